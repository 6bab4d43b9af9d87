// The views, offscreen: spectrogram (compute, zoom, export), feature table (filter, sort, CSV),
// and the GUI thread's responsiveness while work runs.
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>

#include "dataset/demo_dataset.h"
#include "dataset/feature_table.h"
#include "support/event_loop_probe.h"
#include "support/test_data.h"
#include "ui/figures/eda_data.h"
#include "ui/jobs/job_runner.h"
#include "ui/main_window.h"
#include "ui/plot/figure_export.h"
#include "ui/views/eda_views.h"
#include "ui/views/feature_table_view.h"
#include "ui/views/spectrogram_view.h"
#include "util/error.h"

using namespace genrelab;

class ViewsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void abandonedJobDropsItsResult() {
    // The owner of a job dies while the job's result waits in the event queue: abandon() must
    // drop the delivery, whose continuation points into the dead owner.
    bool delivered = false;
    std::atomic<bool> worked{false};
    QPointer<ui::Job> job = ui::Job::start(QStringLiteral("test"), [&](ProgressSink&, const CancelToken&) {
      worked = true;
      return std::function<void()>([&delivered] { delivered = true; });
    });
    // No event processing until abandon(): the result stays queued.
    while (!worked.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    QVERIFY(job);
    job->abandon();
    QVERIFY(!job);
    QCoreApplication::processEvents();
    QTest::qWait(20);
    QVERIFY(!delivered);
    // Without abandon() the result arrives.
    bool arrived = false;
    ui::Job::start(QStringLiteral("test"), [&](ProgressSink&, const CancelToken&) {
      return std::function<void()>([&arrived] { arrived = true; });
    });
    QTRY_VERIFY(arrived);
  }

  void spectrogramComputesZoomsAndExports() {
    GENRELAB_GTZAN_OR_QSKIP(gtzan);
    ui::SpectrogramView view;
    view.resize(900, 600);
    view.show();
    QSignalSpy ready(&view, &ui::SpectrogramView::pictureReady);
    view.loadTrack(QString::fromStdString((*gtzan / "genres_original/jazz/jazz.00001.wav").string()));
    QVERIFY(ready.wait(20000));
    const auto& pic = *view.picture();
    QCOMPARE(pic.mel.db.n_frames, 1293);
    QCOMPARE(pic.image.width(), 1293);
    QCOMPARE(pic.image.height(), 128);
    QVERIFY(std::abs(pic.duration_s - 661794 / 22050.0) < 1e-9);
    view.setVisibleRange(10, 12);
    QCOMPARE(view.visibleRange().first, 10.0);
    view.setVisibleRange(-5, 100);  // clamped to the clip
    QCOMPARE(view.visibleRange().first, 0.0);
    QVERIFY(std::abs(view.visibleRange().second - pic.duration_s) < 1e-9);

    const auto dir = test::temp_dir("ui-export");
    const QString base = QString::fromStdString((dir / "mel").string());
    ui::export_figure(view, base + ".png", {.dpi = 192, .size = {}});
    const QImage png(base + ".png");
    QCOMPARE(png.size(), QSize(1920, 1280));  // 960 x 640 logical at 2x
    // Not blank: the figure has many colours (the spectrogram).
    QSet<QRgb> colours;
    for (int y = 0; y < png.height(); y += 7)
      for (int x = 0; x < png.width(); x += 7) colours.insert(png.pixel(x, y));
    QVERIFY(colours.size() > 200);
    ui::export_figure(view, base + ".svg");
    ui::export_figure(view, base + ".pdf");
    QFile svg(base + ".svg"), pdf(base + ".pdf");
    QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("<svg"));
    QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(5) == "%PDF-");
    QVERIFY_THROWS_EXCEPTION(genrelab::FileError, ui::export_figure(view, base + ".gif"));
    QVERIFY_THROWS_EXCEPTION(genrelab::FileError, ui::export_figure(view, base + "/no/such/dir/x.png"));
  }

  void spectrogramReportsBadFiles() {
    ui::SpectrogramView view;
    QSignalSpy failed(&view, &ui::SpectrogramView::loadFailed);
    view.loadTrack(QStringLiteral("/no/such/file.wav"));
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("does not exist")));
    QVERIFY(!view.hasPicture());
  }

  void featureTableFiltersSortsAndExports() {
    GENRELAB_GTZAN_OR_QSKIP(gtzan);
    auto table =
        std::make_shared<const dataset::FeatureTable>(dataset::read_feature_table(*gtzan / "features_30_sec.csv"));
    ui::FeatureTableView view;
    view.setTable(table, QStringLiteral("features_30_sec.csv"));
    QCOMPARE(view.proxy()->rowCount(), 1000);
    QCOMPARE(view.proxy()->columnCount(), 60);
    view.findChild<QLineEdit*>()->setText(QStringLiteral("jazz"));
    QCOMPARE(view.proxy()->rowCount(), 100);
    const int tempo = 3 + table->column("tempo");
    view.tableView()->sortByColumn(tempo, Qt::DescendingOrder);
    const double first = view.proxy()->index(0, tempo).data(Qt::UserRole).toDouble();
    const double last = view.proxy()->index(99, tempo).data(Qt::UserRole).toDouble();
    QVERIFY(first >= last);
    const auto out = test::temp_dir("ui-table") / "jazz.csv";
    view.exportCsv(QString::fromStdString(out.string()));
    const auto back = dataset::read_feature_table(out);
    QCOMPARE(back.rows(), std::size_t(100));
    QCOMPARE(back.label_names(), std::vector<std::string>{"jazz"});
    QCOMPARE(back.at(0, static_cast<std::size_t>(table->column("tempo"))), first);
  }

  void edaViewsOnSharedTable() {
    GENRELAB_GTZAN_OR_QSKIP(gtzan);
    ui::MainWindow w;
    w.setRecommendedModelEnabled(false);
    w.resize(1400, 900);
    w.show();
    QSignalSpy ready(&w, &ui::MainWindow::analysisReady);
    QElapsedTimer clock;
    clock.start();
    w.openDataset(QString::fromStdString(gtzan->string()));
    QVERIFY(ready.wait(30000));
    // Scan + both tables read + KDE/correlation/PCA/similarity of the 1000-row table.
    qInfo("dataset opened with every EDA view ready in %lld ms", static_cast<long long>(clock.elapsed()));
    const auto dir = test::temp_dir("ui-eda");
    auto out = [&](const char* name) { return QString::fromStdString((dir / name).string()); };

    // KDE: every feature has a grid; pick tempo, add rug + histogram, export; then the grid.
    auto* kde = w.kdeView();
    QCOMPARE(kde->featureBox()->count(), 57);
    kde->featureBox()->setCurrentText(QStringLiteral("tempo"));
    QCOMPARE(kde->figure().feature, 16);
    QVERIFY(kde->figureTitle().contains(QStringLiteral("tempo")));
    kde->figure().rug = kde->figure().histogram = true;
    ui::export_figure(*kde, out("kde_tempo.png"));
    kde->figure().grid = true;
    ui::export_figure(*kde, out("kde_grid.pdf"));
    QVERIFY(QImage(out("kde_tempo.png")).width() > 1000);
    // Legend click hides a genre.
    w.showTab(QStringLiteral("KDE"));
    kde->figure().grid = false;
    kde->canvas()->repaint();
    QVERIFY(!kde->figure().legendBoxes().isEmpty());
    QTest::mouseClick(kde->canvas(), Qt::LeftButton, {}, kde->figure().legendBoxes()[1].center().toPoint());
    QVERIFY(kde->figure().genreHidden(1));

    // Correlation: the study's filter drops 6 at 0.80 and more at 0.5; a pair's scatter.
    auto* corr = w.correlationView();
    QCOMPARE(corr->figure().redundancy().dropped.size(), std::size_t(6));
    corr->thresholdSlider()->setValue(50);
    QVERIFY(corr->figure().redundancy().dropped.size() > 6);
    corr->thresholdSlider()->setValue(80);
    corr->showPair(4, 6);  // spectral_centroid_mean vs spectral_bandwidth_mean
    QVERIFY(corr->scatter().figureTitle().contains(QStringLiteral("r = 0.9")));
    ui::export_figure(*corr, out("correlation.svg"));

    // PCA: 57 components on all features; clicking a point selects and loads its track.
    auto* pca = w.pcaView();
    QCOMPARE(pca->xComponent()->maximum(), 57);
    w.showTab(QStringLiteral("PCA"));
    pca->canvas()->repaint();
    QSignalSpy activated(pca, &ui::EdaView::trackActivated);
    // Find a point on screen by scanning for the nearest row to a few positions.
    const QRectF r = pca->canvas()->rect();
    int row = -1;
    QPointF at;
    for (int y = 60; y < r.height() - 60 && row < 0; y += 4)
      for (int x = 100; x < r.width() - 30 && row < 0; x += 4)
        if ((row = pca->figure().rowAt(r, QPointF(x, y), 2)) >= 0) at = QPointF(x, y);
    QVERIFY(row >= 0);
    QSignalSpy picture(w.spectrogramView(), &ui::SpectrogramView::pictureReady);
    QTest::mouseClick(pca->canvas(), Qt::LeftButton, {}, at.toPoint());
    QCOMPARE(activated.count(), 1);
    // Only the 30 shared clips have audio: a point of another track reports that instead.
    if (picture.count() == 0) picture.wait(2000);
    ui::export_figure(*pca, out("pca.pdf"));

    // Similarity: genre and track matrices; a subset change recomputes everything.
    auto* sim = w.similarityView();
    sim->modeBox()->setCurrentIndex(1);
    QVERIFY(sim->figure().tracks);
    ui::export_figure(*sim, out("tracks.png"));
    Q_EMIT sim->subsetRequested(stats::FeatureSubset::mfcc);
    QVERIFY(ready.wait(30000));
    QCOMPARE(pca->xComponent()->maximum(), 40);
    QCOMPARE(sim->figure().data()->track_similarity.rows(), 1000);
    // The numbers behind the figures, as CSV.
    std::ostringstream corr_csv, pca_csv;
    corr->figure().writeCsv(corr_csv);
    pca->figure().writeCsv(pca_csv);
    const std::string corr_text = corr_csv.str(), pca_text = pca_csv.str();
    QCOMPARE(std::count(corr_text.begin(), corr_text.end(), '\n'), std::ptrdiff_t(58));
    QVERIFY(corr_text.rfind("feature,chroma_stft_mean,", 0) == 0);
    QCOMPARE(std::count(pca_text.begin(), pca_text.end(), '\n'), std::ptrdiff_t(1001));
    for (const char* f : {"kde_tempo.png", "kde_grid.pdf", "correlation.svg", "pca.pdf", "tracks.png"})
      QVERIFY2(QFileInfo(out(f)).size() > 1000, f);
  }

  void featureNamesAbbreviateDeterministically_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("label");
    QTest::newRow("short stays") << "mfcc12_var"
                                 << "mfcc12_var";
    QTest::newRow("13 chars stay") << "perceptr_mean"
                                   << "perceptr_mean";
    QTest::newRow("spectral centroid") << "spectral_centroid_mean"
                                       << "spec_cent_mean";
    QTest::newRow("bandwidth") << "spectral_bandwidth_var"
                               << "spec_bw_var";
    QTest::newRow("zcr") << "zero_crossing_rate_mean"
                         << "zcr_mean";
    QTest::newRow("chroma") << "chroma_stft_mean"
                            << "chroma_mean";
    QTest::newRow("other long name") << "spectral_flatness_mean"
                                     << "spec_flat_mean";
  }
  void featureNamesAbbreviateDeterministically() {
    QFETCH(QString, name);
    QFETCH(QString, label);
    QCOMPARE(ui::abbreviate_feature(name), label);
  }

  void correlationHeatmapReadable() {
    // Issue 20: at the default window size the 57 x 57 heatmap's labels are readable and do not
    // overlap, a cell's read-out names both features, the export is publication size.
    GENRELAB_GTZAN_OR_QSKIP(gtzan);
    ui::MainWindow w;
    w.setRecommendedModelEnabled(false);
    w.resize(1600, 1000);
    w.show();
    QSignalSpy ready(&w, &ui::MainWindow::analysisReady);
    w.openDataset(QString::fromStdString(gtzan->string()));
    QVERIFY(ready.wait(30000));
    w.showTab(QStringLiteral("Correlation"));
    auto* corr = w.correlationView();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTest::qWait(100);  // the splitter settles its sizes after the first show
    const QRectF rect = corr->canvas()->rect();
    const auto l = corr->figure().layout(rect);
    const auto boxes = corr->figure().labelBoxes(rect);
    qInfo("canvas %.0f x %.0f: cell %.1f px, labels %.0f px, every %d, %s", rect.width(), rect.height(), l.cell,
          l.font_px, l.label_step, l.abbreviated ? "abbreviated" : "full names");
    // The heatmap fills the canvas: the square takes most of the shorter side.
    QVERIFY(l.map.width() > 0.6 * std::min(rect.width(), rect.height()));
    QVERIFY(l.cell >= 8);
    QVERIFY(l.font_px >= 7);
    QCOMPARE(l.label_step, 1);
    QCOMPARE(boxes.size(), 2 * 57);
    // Labels stay inside the canvas, off the map, and apart from each other (same-side pairs).
    for (int a = 0; a < boxes.size(); ++a) {
      QVERIFY2(rect.contains(boxes[a].box), qPrintable(boxes[a].text));
      QVERIFY2(!boxes[a].box.intersects(l.map), qPrintable(boxes[a].text));
      for (int b = a + 1; b < boxes.size(); ++b)
        if (boxes[a].row == boxes[b].row)
          QVERIFY2(!boxes[a].box.intersects(boxes[b].box),
                   qPrintable(boxes[a].text + QStringLiteral(" / ") + boxes[b].text));
    }
    // Hover: a cell names both full feature names and r; a label gives its full name.
    const QPointF cell(l.map.left() + 6.5 * l.cell, l.map.top() + 10.5 * l.cell);  // column 6, row 10
    const QString tip = corr->canvas()->hoverText(cell);
    QVERIFY2(tip.contains(QStringLiteral("spectral_bandwidth_mean")) &&
                 tip.contains(QStringLiteral("zero_crossing_rate_mean")) && tip.contains(QStringLiteral("r = ")),
             qPrintable(tip));
    for (const auto& box : boxes)
      if (box.column == 10 && box.row)
        QVERIFY(
            corr->canvas()->hoverText(box.box.center()).startsWith(QStringLiteral("zero_crossing_rate_mean (dropped")));
    // A canvas too small for every label at the minimum font: every other label, still apart.
    const QRectF small(0, 0, 420, 420);
    const auto thin = corr->figure().layout(small);
    QCOMPARE(thin.font_px, ui::CorrelationFigure::kMinLabelPx);
    QVERIFY(thin.label_step >= 2);
    const auto thin_boxes = corr->figure().labelBoxes(small);
    for (int a = 0; a < thin_boxes.size(); ++a)
      for (int b = a + 1; b < thin_boxes.size(); ++b)
        if (thin_boxes[a].row == thin_boxes[b].row) QVERIFY(!thin_boxes[a].box.intersects(thin_boxes[b].box));
    // Export at publication size: full names, larger cells and fonts; at 150 DPI the PNG is wide.
    const QSizeF size = corr->exportSize();
    const auto e = corr->figure().layout(QRectF(QPointF(0, 0), size));
    QVERIFY(!e.abbreviated);
    QCOMPARE(e.font_px, ui::CorrelationFigure::kMaxLabelPx);
    QVERIFY(e.cell >= ui::CorrelationFigure::kExportCellPx - 0.5);
    const auto exported = corr->figure().labelBoxes(QRectF(QPointF(0, 0), size));
    for (const auto& box : exported) QVERIFY2(QRectF(QPointF(0, 0), size).contains(box.box), qPrintable(box.text));
    const QString png = QString::fromStdString((test::temp_dir("ui-heat") / "correlation.png").string());
    ui::export_figure(*corr, png);
    QVERIFY(QImage(png).width() >= 1800);  // ~1190 logical px (full names, 16 px cells) at 150 DPI
  }

  void edaViewsOnDemoDatasetExtractFirst() {
    // The demo dataset has no table: the window extracts one from the audio, then analyses it.
    ui::MainWindow w;
    w.setRecommendedModelEnabled(false);
    QSignalSpy ready(&w, &ui::MainWindow::analysisReady);
    const auto dir = test::temp_dir("ui-demo-eda");
    dataset::ensure_demo_dataset(dir, {.clips_per_genre = 4, .clip_seconds = 6.0});
    w.openDataset(QString::fromStdString(dir.string()));
    QVERIFY(ready.wait(60000));
    QCOMPARE(w.table30()->rows(), std::size_t(20));
    const auto& eda = *w.pcaView()->figure().data();
    QCOMPARE(eda.analysis.genres.size(), std::size_t(5));
    // The synthetic genres differ: each genre's mean similarity to itself beats the others'.
    const auto& m = eda.analysis.similarity.mean;
    for (int g = 0; g < 5; ++g)
      for (int h = 0; h < 5; ++h)
        if (h != g) QVERIFY2(m(g, g) > m(g, h), qPrintable(QStringLiteral("genre %1 vs %2").arg(g).arg(h)));
  }

  void featureTableWith10kRows() {
    // A 3-s table of the full GTZAN has ~10,000 rows: sorting and filtering must stay interactive.
    auto table = std::make_shared<dataset::FeatureTable>();
    for (int c = 0; c < 57; ++c) table->feature_names.push_back("f" + std::to_string(c));
    std::vector<double> row(57);
    std::uint64_t state = 42;
    for (int r = 0; r < 10000; ++r) {
      for (auto& v : row)
        v = static_cast<double>((state = state * 6364136223846793005ULL + 1442695040888963407ULL) >> 11) * 0x1.0p-53;
      table->append("g" + std::to_string(r % 10) + "." + std::to_string(r) + ".wav", 66149, row,
                    "g" + std::to_string(r % 10));
    }
    ui::FeatureTableView view;
    view.resize(1000, 700);
    view.show();
    QElapsedTimer clock;
    clock.start();
    view.setTable(table, QStringLiteral("synthetic"));
    view.tableView()->sortByColumn(20, Qt::AscendingOrder);
    QApplication::processEvents();
    const qint64 sort_ms = clock.restart();
    view.findChild<QLineEdit*>()->setText(QStringLiteral("g7"));
    QApplication::processEvents();
    const qint64 filter_ms = clock.elapsed();
    QCOMPARE(view.proxy()->rowCount(), 1000);
    QVERIFY(view.proxy()->index(0, 20).data(Qt::UserRole).toDouble() <=
            view.proxy()->index(999, 20).data(Qt::UserRole).toDouble());
    qInfo("10,000-row table: load + sort %lld ms, filter %lld ms", static_cast<long long>(sort_ms),
          static_cast<long long>(filter_ms));
    QVERIFY(sort_ms < 3000 && filter_ms < 3000);
  }

  void guiThreadStaysResponsive() {
    // Event-loop latency while the window scans a dataset and computes spectrograms: a 5 ms
    // timer records the gaps between its ticks. Reported for the notes; the bound asserted is
    // loose so a loaded CI machine cannot make it flaky, the printed worst/p99 are the figures.
    GENRELAB_GTZAN_OR_QSKIP(gtzan);
    ui::MainWindow w;
    w.setRecommendedModelEnabled(false);
    w.show();
    test::EventLoopProbe probe;
    probe.start();
    QSignalSpy opened(&w, &ui::MainWindow::datasetOpened);
    w.openDataset(QString::fromStdString(gtzan->string()));
    QVERIFY(opened.wait(30000));
    w.showTab(QStringLiteral("Spectrogram"));
    for (const auto& track : w.dataset()->tracks) {  // every track: decode + spectrogram on a worker, draw here
      QSignalSpy ready(w.spectrogramView(), &ui::SpectrogramView::pictureReady);
      w.selectTrack(QString::fromStdString(track.path.string()));
      QVERIFY(ready.wait(20000));
    }
    probe.stop();
    QVERIFY(probe.ticks() > 50);
    const double worst = probe.worst(), p99 = probe.p99();
    qInfo("event-loop gaps while scanning + 30 spectrograms: %zu ticks, p99 %.1f ms, worst %.1f ms", probe.ticks(), p99,
          worst);
    QVERIFY2(worst < 500, qPrintable(QStringLiteral("GUI thread blocked for %1 ms").arg(worst)));
  }
};

QTEST_MAIN(ViewsTest)
#include "views_test.moc"

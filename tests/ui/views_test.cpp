// The views, offscreen: spectrogram (compute, zoom, export), feature table (filter, sort, CSV),
// and the GUI thread's responsiveness while work runs.
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <algorithm>

#include "dataset/feature_table.h"
#include "support/test_data.h"
#include "ui/main_window.h"
#include "ui/plot/figure_export.h"
#include "ui/views/feature_table_view.h"
#include "ui/views/spectrogram_view.h"
#include "util/error.h"

using namespace genrelab;

class ViewsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void spectrogramComputesZoomsAndExports() {
    const auto gtzan = test::gtzan_dir();
    if (!gtzan) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
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
    const auto gtzan = test::gtzan_dir();
    if (!gtzan) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
    auto table = std::make_shared<const dataset::FeatureTable>(dataset::read_feature_table(*gtzan / "features_30_sec.csv"));
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

  void guiThreadStaysResponsive() {
    // Event-loop latency while the window scans a dataset and computes spectrograms: a 5 ms
    // timer records the gaps between its ticks. Reported for the notes; the bound asserted is
    // loose so a loaded CI machine cannot make it flaky, the printed worst/p99 are the figures.
    const auto gtzan = test::gtzan_dir();
    if (!gtzan) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
    ui::MainWindow w;
    w.show();
    std::vector<double> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    QTimer tick;
    tick.setInterval(5);
    connect(&tick, &QTimer::timeout, [&] {
      const qint64 now = clock.nsecsElapsed();
      if (last) gaps.push_back(static_cast<double>(now - last) / 1e6);
      last = now;
    });
    tick.start();
    QSignalSpy opened(&w, &ui::MainWindow::datasetOpened);
    w.openDataset(QString::fromStdString(gtzan->string()));
    QVERIFY(opened.wait(30000));
    w.showTab(QStringLiteral("Spectrogram"));
    for (const auto& track : w.dataset()->tracks) {  // every track: decode + spectrogram on a worker, draw here
      QSignalSpy ready(w.spectrogramView(), &ui::SpectrogramView::pictureReady);
      w.selectTrack(QString::fromStdString(track.path.string()));
      QVERIFY(ready.wait(20000));
    }
    tick.stop();
    QVERIFY(gaps.size() > 50);
    std::sort(gaps.begin(), gaps.end());
    const double worst = gaps.back(), p99 = gaps[gaps.size() * 99 / 100];
    qInfo("event-loop gaps while scanning + 30 spectrograms: %zu ticks, p99 %.1f ms, worst %.1f ms", gaps.size(), p99, worst);
    QVERIFY2(worst < 500, qPrintable(QStringLiteral("GUI thread blocked for %1 ms").arg(worst)));
  }
};

QTEST_MAIN(ViewsTest)
#include "views_test.moc"

// The Predict view and its place in the main window, offscreen: a model trained in the Training
// view on the demo dataset (extracted from its audio) becomes the active model; songs, a folder
// and a corrupt file are dropped as QMimeData URLs; the queue classifies them on a worker (the
// corrupt file fails alone); results show probabilities and a timeline whose clicks seek the
// player; a saved model reloads through Open model; the GUI thread stays responsive meanwhile.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMimeData>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QUrl>
#include <cmath>
#include <fstream>
#include <memory>

#include "dataset/dataset_scan.h"
#include "dataset/demo_dataset.h"
#include "features/table_extraction.h"
#include "stats/similar_tracks.h"
#include "support/event_loop_probe.h"
#include "support/screenshot.h"
#include "support/test_data.h"
#include "ui/main_window.h"
#include "ui/plot/figure_export.h"
#include "ui/views/figure_canvas.h"
#include "ui/views/prediction_view.h"
#include "ui/views/similar_tracks_list.h"
#include "ui/views/training_view.h"
#include "util/error.h"

using namespace genrelab;
namespace fs = std::filesystem;

namespace {

/// The demo dataset (5 genres x 8 clips of 30 s) and its 30-s feature table, made once.
struct Demo {
  fs::path dir;
  std::vector<fs::path> files;
  std::shared_ptr<const dataset::FeatureTable> table;
};

const Demo& demo() {
  static const Demo d = [] {
    Demo out;
    out.dir = test::temp_dir("ui-predict-demo");
    dataset::ensure_demo_dataset(out.dir);
    const auto scan = dataset::scan_dataset(out.dir);
    std::vector<features::LabeledFile> files;
    for (const auto& t : scan.tracks) {
      files.push_back({t.path, t.label});
      out.files.push_back(t.path);
    }
    out.table = std::make_shared<const dataset::FeatureTable>(features::extract_table(files, {}).table);
    return out;
  }();
  return d;
}

/// Drops `paths` onto `target` as a file manager would.
void drop(QWidget* target, const QStringList& paths) {
  QMimeData mime;
  QList<QUrl> urls;
  for (const auto& p : paths) urls << QUrl::fromLocalFile(p);
  mime.setUrls(urls);
  const QPointF at(target->width() / 2.0, target->height() / 2.0);
  QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent event(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &event);
  QVERIFY(event.isAccepted());
}

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

/// Trains an MLP on the demo table in a Training view (2 folds, final model) and returns the view.
std::unique_ptr<ui::TrainingView> trainDemo() {
  auto view = std::make_unique<ui::TrainingView>();
  view->setTable(demo().table, QStringLiteral("demo features"));
  view->kindCombo()->setCurrentText(QStringLiteral("mlp"));
  view->foldsSpin()->setValue(2);
  view->epochsSpin()->setValue(30);
  view->threadsSpin()->setValue(2);
  view->finalModelCheck()->setChecked(true);
  QSignalSpy finished(view.get(), &ui::TrainingView::trainingFinished);
  view->start();
  if (!finished.wait(120000)) return nullptr;
  return view;
}

}  // namespace

class PredictionViewTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void trainedModelClassifiesDroppedSongs() {
    auto training = trainDemo();
    QVERIFY(training);
    QCOMPARE(training->state(), ui::TrainingView::State::succeeded);
    qInfo("demo dataset, mlp, 2 folds x 30 epochs: accuracy %.3f ± %.3f", training->lastReport()->mean_accuracy,
          training->lastReport()->std_accuracy);
    QVERIFY(training->lastReport()->mean_accuracy >= 0.9);

    ui::PredictionView view;
    view.resize(1300, 800);
    view.show();
    QSignalSpy model(&view, &ui::PredictionView::modelChanged);
    QObject::connect(training.get(), &ui::TrainingView::modelTrained, &view,
                     [&view](std::shared_ptr<const ml::ModelBundle> b, const QString& d) { view.setModel(b, d); });
    // The model of the run on display, as the main window passes it on.
    view.setModel(std::make_shared<const ml::ModelBundle>(*training->lastBundle()), QStringLiteral("demo mlp"));
    QCOMPARE(model.size(), 1);
    QVERIFY(view.hasModel());

    // Two songs, a corrupt file, and a folder of 8 songs: 11 entries, the corrupt one fails.
    const auto bad_dir = test::temp_dir("ui-predict-bad");
    const fs::path bad = bad_dir / "not audio.wav";
    std::ofstream(bad) << "this is text, not a WAV file";
    const auto& files = demo().files;
    const fs::path folder = files.front().parent_path();
    QSignalSpy idle(&view, &ui::PredictionView::queueIdle);
    QSignalSpy finished(&view, &ui::PredictionView::entryFinished);
    test::EventLoopProbe probe;
    probe.start();
    drop(&view, {q(files[10]), q(bad), q(files[30]), q(folder)});
    QCOMPARE(view.entries().size(), 3 + 8);
    QVERIFY(view.busy());
    QVERIFY(idle.wait(120000));
    probe.stop();
    qInfo("event-loop gaps while classifying 10 songs: %zu ticks, p99 %.1f ms, worst %.1f ms", probe.ticks(),
          probe.p99(), probe.worst());
    QVERIFY2(probe.worst() < 500, qPrintable(QString::number(probe.worst())));
    QCOMPARE(finished.size(), 11);
    int correct = 0;
    for (int i = 0; i < view.entries().size(); ++i) {
      const auto& e = view.entries()[i];
      if (e.path == q(bad)) {
        QCOMPARE(e.status, ui::PredictionView::Status::failed);
        QVERIFY2(!e.error.isEmpty(), qPrintable(e.error));
        QVERIFY(view.queueTable()->item(i, 1)->text().startsWith(QStringLiteral("error")));
        continue;
      }
      QCOMPARE(e.status, ui::PredictionView::Status::done);
      QVERIFY(e.result);
      const std::string genre = fs::path(e.path.toStdString()).parent_path().filename().string();
      if (e.result->song.genre == genre) ++correct;
      QCOMPARE(e.result->song.envelope.empty(), false);
    }
    qInfo("%d of 10 demo songs classified as their folder's genre", correct);
    QVERIFY(correct >= 9);

    // The first finished song is on display: probabilities, and a timeline with its windows.
    view.selectEntry(0);
    QVERIFY(view.probabilityFigure().data());
    const auto& song = view.timelineFigure().data()->song;
    QVERIFY(song.windows.size() >= 1);
    // Clicking the timeline in the middle of the song selects a window and seeks the player there.
    ui::FigureCanvas* canvas = view.timelineCanvas();
    const double t =
        view.timelineFigure().timeAt(canvas->rect(), QPointF(canvas->width() / 2.0, canvas->height() * 0.6));
    QVERIFY(std::isfinite(t));
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier,
                      QPoint(canvas->width() / 2, static_cast<int>(canvas->height() * 0.6)));
    const int w = view.timelineFigure().selected_window;
    QVERIFY(w >= 0);
    QCOMPARE(view.timelineFigure().cursor_s, song.windows[static_cast<std::size_t>(w)].start_s);
    QCOMPARE(view.playWindowAt(1e9), -1);  // outside the song
    genrelab::test::save_screenshot(view, QStringLiteral("predict-results"));

    // Results and figures export.
    const auto out = test::temp_dir("ui-predict-export");
    const QString csv = q(out / "predictions.csv");
    view.exportResults(csv);
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QCOMPARE(static_cast<int>(text.count('\n')), 1 + 11);
    QVERIFY(text.contains("failed"));
    for (const char* name : {"timeline.pdf", "timeline.svg", "probabilities.png"}) {
      ui::export_figure(std::string_view(name).starts_with("timeline")
                            ? static_cast<const ui::Figure&>(view.timelineFigure())
                            : view.probabilityFigure(),
                        q(out / name));
      QVERIFY2(QFileInfo(q(out / name)).size() > 3000, name);
    }

    // Save the model, reload it through Open model, classify again; a bad bundle is refused.
    const QString saved = q(out / "demo.glmodel");
    training->saveModel(saved);
    view.clear();
    QCOMPARE(view.entries().size(), 0);
    view.openModel(saved);
    QVERIFY(view.modelDescription().contains(QStringLiteral("demo.glmodel")));
    view.addPaths({q(files[0])});
    QVERIFY(idle.wait(60000));
    QCOMPARE(view.entries().front().status, ui::PredictionView::Status::done);
    QCOMPARE(QString::fromStdString(view.entries().front().result->song.genre),
             QString::fromStdString(dataset::demo_genres().front()));
    QVERIFY_THROWS_EXCEPTION(FileError, view.openModel(q(bad)));
    QVERIFY(view.modelDescription().contains(QStringLiteral("demo.glmodel")));  // the active model stays
  }

  void cancelStopsTheQueue() {
    auto training = trainDemo();
    QVERIFY(training);
    ui::PredictionView view;
    view.setModel(std::make_shared<const ml::ModelBundle>(*training->lastBundle()), QStringLiteral("demo"));
    QSignalSpy idle(&view, &ui::PredictionView::queueIdle);
    QStringList paths;
    for (const auto& f : demo().files) paths << q(f);
    view.addPaths(paths);
    QVERIFY(view.busy());
    view.cancel();
    QVERIFY(idle.wait(30000));
    int cancelled = 0;
    for (const auto& e : view.entries()) cancelled += e.status == ui::PredictionView::Status::cancelled;
    QVERIFY2(cancelled >= static_cast<int>(paths.size()) - 1, qPrintable(QString::number(cancelled)));
  }

  void destroyingWhileClassifyingCancels() {
    auto training = trainDemo();
    QVERIFY(training);
    auto view = std::make_unique<ui::PredictionView>();
    view->setModel(std::make_shared<const ml::ModelBundle>(*training->lastBundle()), QStringLiteral("demo"));
    QStringList paths;
    for (const auto& f : demo().files) paths << q(f);
    view->addPaths(paths);
    QVERIFY(view->busy());
    QElapsedTimer clock;
    clock.start();
    view.reset();  // cancels the song in progress and waits for the worker
    QVERIFY(clock.elapsed() < 3000);
    QTest::qWait(50);  // the job's queued result must not touch the destroyed view
  }

  void recommendedModelClassifiesSongsQueuedWhileItTrainsThenComesFromTheCache() {
    const QString cache = q(test::temp_dir("ui-predict-recommended"));
    const auto index = std::make_shared<const stats::SimilarTracks>(stats::SimilarTracks::create(*demo().table));
    const fs::path song = demo().files[3];
    ui::PredictionView view;
    view.resize(1300, 800);
    view.show();
    view.setSimilarityIndex(index, QStringLiteral("demo features"));
    QSignalSpy finished(&view, &ui::PredictionView::entryFinished);
    view.addPaths({q(song)});  // no model yet: the song waits
    QCOMPARE(view.entries().front().status, ui::PredictionView::Status::queued);
    view.useRecommendedModel(demo().table, QStringLiteral("demo features"), features::ExtractionParams{}, cache);
    QVERIFY(view.preparingModel());
    QVERIFY(finished.wait(120000));
    QCOMPARE(view.entries().front().status, ui::PredictionView::Status::done);
    QVERIFY2(view.modelDescription().startsWith(QStringLiteral("krr_lda, trained on")),
             qPrintable(view.modelDescription()));
    QVERIFY2(view.modelDescription().contains(QStringLiteral("track-grouped folds")),
             qPrintable(view.modelDescription()));
    QVERIFY2(view.modelDescription().contains(QStringLiteral("trained just now")), qPrintable(view.modelDescription()));
    QCOMPARE(QString::fromStdString(view.entries().front().result->song.genre), q(song.parent_path().filename()));

    // Similar tracks of the song: 10 other clips of the table (its own row, the same features, is
    // left out), most similar first, the same ranking as the core's; a click plays one.
    ui::SimilarTracksList* similar = view.similarTracks();
    QTableWidget* list = similar->table();
    QCOMPARE(list->rowCount(), ui::SimilarTracksList::kTop);
    const auto& window = view.entries().front().result->song.windows.front();
    const auto expected =
        index->nearest(index->query_from(view.entries().front().result->feature_names, window.features),
                       ui::SimilarTracksList::kTop, song.stem().string());
    for (int r = 0; r < list->rowCount(); ++r) {
      QVERIFY(list->item(r, 3)->text() != q(song.filename()));
      QCOMPARE(list->item(r, 3)->text(), QString::fromStdString(expected[static_cast<std::size_t>(r)].filename));
      QCOMPARE(list->item(r, 1)->text().toDouble(),
               std::round(expected[static_cast<std::size_t>(r)].similarity * 1000) / 1000);
    }
    QSignalSpy play(&view, &ui::PredictionView::trackPlayRequested);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(1, 3)).center());
    QCOMPARE(play.size(), 1);
    QCOMPARE(play.first().at(0).toString(), list->item(1, 3)->text());
    QCOMPARE(play.first().at(1).toString(), list->item(1, 2)->text());
    test::save_screenshot(view, QStringLiteral("predict-recommended-similar"));

    // The next launch: the same table loads the cached model at once.
    ui::PredictionView again;
    again.useRecommendedModel(demo().table, QStringLiteral("demo features"), features::ExtractionParams{}, cache);
    QTRY_VERIFY_WITH_TIMEOUT(again.hasModel(), 20000);
    QVERIFY2(again.modelDescription().contains(QStringLiteral("from the cache")), qPrintable(again.modelDescription()));

    // A model of the user's wins over the recommended one, even one still being prepared.
    auto training = trainDemo();
    QVERIFY(training);
    ui::PredictionView mine;
    mine.useRecommendedModel(demo().table, QStringLiteral("demo features"), features::ExtractionParams{},
                             q(test::temp_dir("ui-predict-recommended-2")));
    mine.setModel(std::make_shared<const ml::ModelBundle>(*training->lastBundle()), QStringLiteral("my mlp"));
    QTRY_VERIFY_WITH_TIMEOUT(!mine.preparingModel(), 60000);
    QTest::qWait(50);
    QCOMPARE(mine.modelDescription(), QStringLiteral("my mlp"));
    mine.useRecommendedModel(demo().table, QStringLiteral("demo features"), features::ExtractionParams{}, cache);
    QVERIFY(!mine.preparingModel());
  }

  void mainWindowRoutesDroppedSongsToPredict() {
    ui::MainWindow w;
    w.resize(1200, 800);
    w.show();
    drop(&w, {q(demo().files[0])});
    QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(w.predictionView()));
    QCOMPARE(w.predictionView()->entries().size(), 1);
    QCOMPARE(w.predictionView()->entries().front().status, ui::PredictionView::Status::queued);  // waits for a model
  }
};

QTEST_MAIN(PredictionViewTest)
#include "prediction_view_test.moc"

// The Training view, offscreen: a short cross-validation run (report, live chart series, result
// tables, model saved), cancellation within a batch, and the GUI thread's latency while training.
#include <QApplication>
#include <QElapsedTimer>
#include <QComboBox>
#include <QListWidget>
#include <QFile>
#include <QFileInfo>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QCheckBox>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <string_view>
#include <memory>

#include "dataset/feature_table.h"
#include "ml/model_bundle.h"
#include "support/event_loop_probe.h"
#include "support/screenshot.h"
#include "support/test_data.h"
#include "ui/charts/training_charts.h"
#include "ui/plot/figure_export.h"
#include "ui/views/training_view.h"
#include "util/parallel.h"

using namespace genrelab;

namespace {

std::shared_ptr<const dataset::FeatureTable> gtzanTable() {
  static std::shared_ptr<const dataset::FeatureTable> table;
  if (!table) {
    const auto dir = test::gtzan_dir();
    if (!dir || !std::filesystem::exists(*dir / "features_30_sec.csv")) return nullptr;
    table = std::make_shared<const dataset::FeatureTable>(dataset::read_feature_table(*dir / "features_30_sec.csv"));
  }
  return table;
}

void configure(ui::TrainingView& view, int epochs, bool final_model) {
  view.foldsSpin()->setValue(2);
  view.epochsSpin()->setValue(epochs);
  view.threadsSpin()->setValue(2);
  view.finalModelCheck()->setChecked(final_model);
}

}  // namespace

class TrainingViewTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void trainsTwoFoldsAndShowsResults() {
    const auto table = gtzanTable();
    if (!table) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
    ui::TrainingView view;
    view.resize(1200, 800);
    view.show();
    QVERIFY(!view.startButton()->isEnabled());  // no table yet
    view.setTable(table, QStringLiteral("features_30_sec.csv"));
    QVERIFY(view.startButton()->isEnabled());
    QCOMPARE(view.kindCombo()->currentText(), QStringLiteral("cnn1d"));
    configure(view, 4, true);
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QSignalSpy records(&view, &ui::TrainingView::epochRecorded);
    QSignalSpy progress(view.progressBar(), &QProgressBar::valueChanged);
    QTest::mouseClick(view.startButton(), Qt::LeftButton);
    QCOMPARE(view.state(), ui::TrainingView::State::running);
    QVERIFY(!view.startButton()->isEnabled());
    QVERIFY(view.cancelButton()->isEnabled());
    QVERIFY(finished.wait(60000));
    QCOMPARE(view.state(), ui::TrainingView::State::succeeded);
    const ml::TrainingReport* report = view.lastReport();
    QVERIFY(report);
    QCOMPARE(report->folds.size(), std::size_t{2});
    QVERIFY2(report->mean_accuracy > 0.3, qPrintable(QString::number(report->mean_accuracy)));
    qInfo("2 folds x 4 epochs: mean accuracy %.3f ± %.3f, %d chart flushes for %lld records",
          report->mean_accuracy, report->std_accuracy, view.chartFlushes(), static_cast<long long>(records.size()));
    QCOMPARE(records.size(), 3 * 4);  // 2 folds + the final model, 4 epochs each
    QVERIFY(progress.size() >= 2);      // progress along the way, not only the final 100 %
    QCOMPARE(view.progressBar()->value(), view.progressBar()->maximum());
    QVERIFY(view.chartFlushes() >= 1 && view.chartFlushes() <= records.size());

    // Charts: a train and a held-out loss series per fold (+ final model), 4 points each.
    const ui::TrainingCharts* charts = view.charts();
    QVERIFY(charts->folds().contains(0) && charts->folds().contains(1));
    QCOMPARE(charts->lossSeriesCount(), 2 * 3);
    QCOMPARE(charts->accuracySeriesCount(), 3);
    QCOMPARE(charts->pointCount(0), 4);
    QCOMPARE(charts->pointCount(1), 4);

    // Tables.
    QCOMPARE(view.foldTable()->rowCount(), 3);  // 2 folds + mean ± std
    QVERIFY(view.foldTable()->item(2, 4)->text().contains(QStringLiteral("±")));
    QCOMPARE(view.metricsTable()->rowCount(), 11);  // 10 genres + macro F1

    // Confusion heatmap: counts sum to the table's rows, normalised rows to 1.
    ui::ConfusionFigure& confusion = view.confusionFigure();
    QVERIFY(!confusion.empty());
    double total = 0, row0 = 0;
    for (int i = 0; i < 10; ++i)
      for (int j = 0; j < 10; ++j) total += confusion.value(i, j, false);
    for (int j = 0; j < 10; ++j) row0 += confusion.value(0, j, true);
    QCOMPARE(static_cast<long long>(total), static_cast<long long>(table->rows()));
    QVERIFY(std::abs(row0 - 1.0) < 1e-9);
    view.normalizeCheck()->setChecked(true);
    QVERIFY(confusion.normalized);
    QVERIFY(confusion.figureTitle().contains(QStringLiteral("row-normalised")));

    // Save model.
    QVERIFY(view.saveButton()->isEnabled());
    QVERIFY(view.lastBundle());
    const auto dir = test::temp_dir("ui-training");
    const QString path = QString::fromStdString((dir / "model.glmodel").string());
    view.saveModel(path);
    QVERIFY(QFileInfo(path).size() > 1000);
    const ml::ModelBundle loaded = ml::load_bundle(path.toStdString());
    QCOMPARE(loaded.label_names.size(), std::size_t{10});
  }

  void exportsHistoryAndLearningRateSteps() {
    const auto table = gtzanTable();
    if (!table) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
    ui::TrainingView view;
    view.resize(1200, 800);
    view.show();
    view.setTable(table, QStringLiteral("features_30_sec.csv"));
    configure(view, 12, false);  // the rate halves after epoch 10 (lr_step_epochs)
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QSignalSpy models(&view, &ui::TrainingView::modelTrained);
    view.start();
    QVERIFY(finished.wait(60000));
    QCOMPARE(view.state(), ui::TrainingView::State::succeeded);
    QCOMPARE(models.size(), 0);  // no final model asked for
    QCOMPARE(view.charts()->learningRateSteps(), QList<int>{11});

    view.kindCombo()->setCurrentText(QStringLiteral("logreg"));
    configure(view, 3, true);
    view.start();
    QVERIFY(finished.wait(60000));
    QCOMPARE(models.size(), 1);
    QCOMPARE(view.history().size(), std::size_t{2});
    QCOMPARE(view.historyTable()->rowCount(), 2);
    QCOMPARE(view.lastReport()->options.model.kind, ml::ModelKind::logreg);
    QVERIFY(view.charts()->learningRateSteps().isEmpty());  // 3 epochs: no step

    // Picking the first run shows it again; ticking both compares them.
    view.historyTable()->selectRow(0);
    QCOMPARE(view.lastReport()->options.model.kind, ml::ModelKind::cnn1d);
    QCOMPARE(view.charts()->pointCount(0), 12);
    QVERIFY(!view.saveButton()->isEnabled());  // that run kept no model
    view.historyTable()->item(0, 0)->setCheckState(Qt::Checked);
    view.historyTable()->item(1, 0)->setCheckState(Qt::Checked);
    QCOMPARE(view.comparisonFigure().runCount(), 2);
    auto* results = view.findChild<QTabWidget*>();
    QVERIFY(results);
    for (int i = 0; i < results->count(); ++i) {
      results->setCurrentIndex(i);
      genrelab::test::save_screenshot(view, QStringLiteral("training-%1").arg(results->tabText(i).toLower().replace(QLatin1Char(' '), QLatin1Char('-'))));
    }

    // Exports: every table as CSV, the report as JSON, the figures as PNG/SVG/PDF.
    const auto dir = genrelab::test::temp_dir("ui-training-export");
    auto file = [&](const char* name) { return QString::fromStdString((dir / name).string()); };
    auto lines = [](const QString& path) {
      QFile f(path);
      if (!f.open(QIODevice::ReadOnly)) return -1;
      return static_cast<int>(f.readAll().count('\n'));
    };
    view.exportTable(QStringLiteral("folds"), file("folds.csv"));
    QCOMPARE(lines(file("folds.csv")), 1 + 2 + 1);  // header, 2 folds, mean ± std
    view.exportTable(QStringLiteral("per-genre"), file("genres.csv"));
    QCOMPARE(lines(file("genres.csv")), 1 + 10 + 1);
    view.exportTable(QStringLiteral("confusion"), file("confusion.csv"));
    QCOMPARE(lines(file("confusion.csv")), 1 + 100);
    view.exportTable(QStringLiteral("curves"), file("curves.csv"));
    QCOMPARE(lines(file("curves.csv")), 1 + 2 * 12);
    view.exportTable(QStringLiteral("history"), file("history.csv"));
    QCOMPARE(lines(file("history.csv")), 1 + 2);
    view.exportTable(QStringLiteral("report"), file("report.json"));
    QFile json(file("report.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QVERIFY(json.readAll().contains("\"mean_accuracy\""));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, view.exportTable(QStringLiteral("nope"), file("x.csv")));
    for (const char* name : {"curves.pdf", "curves.svg", "curves.png"}) {
      ui::export_figure(*view.charts(), file(name));
      QVERIFY2(QFileInfo(file(name)).size() > 5000, name);
    }
    for (const char* name : {"confusion.pdf", "comparison.png"}) {
      ui::export_figure(std::string_view(name).starts_with("confusion") ? static_cast<const ui::Figure&>(view.confusionFigure())
                                                                          : view.comparisonFigure(),
                        file(name));
      QVERIFY2(QFileInfo(file(name)).size() > 5000, name);
    }
  }

  void leaderboardOnSegmentsGroupedAndLeaky() {
    const auto dir = test::gtzan_dir();
    if (!dir) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
    const auto table = std::make_shared<const dataset::FeatureTable>(
        dataset::read_feature_table(*dir / "features_3_sec_subset_classical_jazz_rock.csv"));
    ui::TrainingView view;
    view.resize(1200, 800);
    view.show();
    view.setTable(table, QStringLiteral("3-s segments"));
    configure(view, 5, false);
    // Every table preset is offered; tick two quick ones for the leaderboard.
    QVERIFY(view.kindCombo()->findText(QStringLiteral("mlp_tuned")) >= 0);
    QVERIFY(view.kindCombo()->findText(QStringLiteral("ensemble")) >= 0);
    QVERIFY(view.kindCombo()->findText(QStringLiteral("rbf")) >= 0);
    QVERIFY(view.kindCombo()->findText(QStringLiteral("cnn2d")) < 0);  // needs audio, not a table
    for (int i = 0; i < view.compareList()->count(); ++i) {
      auto* item = view.compareList()->item(i);
      const bool quick = item->text() == QLatin1String("logreg") || item->text() == QLatin1String("mlp");
      item->setCheckState(quick ? Qt::Checked : Qt::Unchecked);
    }
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    for (const bool leaky : {false, true}) {
      view.protocolCombo()->setCurrentIndex(leaky ? 1 : 0);
      view.repeatsSpin()->setValue(leaky ? 2 : 1);  // the second comparison repeats with seed + 1
      view.compareModels();
      QCOMPARE(view.state(), ui::TrainingView::State::running);
      QVERIFY(finished.wait(120000));
      QCOMPARE(view.state(), ui::TrainingView::State::succeeded);
      const ml::Leaderboard* board = view.leaderboard();
      QVERIFY(board);
      QCOMPARE(board->rows.size(), std::size_t{2});
      QVERIFY(board->rows[0].mean_accuracy >= board->rows[1].mean_accuracy);
      QCOMPARE(view.leaderboardTable()->rowCount(), 2);
      QCOMPARE(view.leaderboardTable()->item(0, 2)->text(), leaky ? QStringLiteral("LEAKY") : QStringLiteral("grouped"));
      QCOMPARE(board->repeats, leaky ? 2 : 1);
      QCOMPARE(board->rows[0].repeat_accuracies.size(), std::size_t{leaky ? 2u : 1u});
      QCOMPARE(view.leaderboardTable()->columnCount(), leaky ? 9 : 8);
      if (leaky) QCOMPARE(view.leaderboardTable()->item(0, 7)->text().count(QStringLiteral(" / ")), 1);
      // The best run is on display, with the track-level columns of a segment table.
      const ml::TrainingReport* report = view.lastReport();
      QVERIFY(report->tracks > 0 && report->tracks < report->rows);
      QCOMPARE(view.foldTable()->columnCount(), 10);
      QCOMPARE(view.foldTable()->horizontalHeaderItem(4)->text().contains(QStringLiteral("LEAKY")), leaky);
      QCOMPARE(view.history().back().name().contains(QStringLiteral("LEAKY")), leaky);
      qInfo("%s: %s %.3f (tracks %.3f), %s %.3f (tracks %.3f)", leaky ? "leaky" : "grouped", board->rows[0].model.c_str(),
            board->rows[0].mean_accuracy, board->rows[0].track_accuracy_mean, board->rows[1].model.c_str(),
            board->rows[1].mean_accuracy, board->rows[1].track_accuracy_mean);
    }
    QCOMPARE(view.history().size(), std::size_t{4});  // every leaderboard row joins the history
    if (auto* results = view.findChild<QTabWidget*>()) results->setCurrentIndex(results->count() - 1);
    genrelab::test::save_screenshot(view, QStringLiteral("training-leaderboard"));
  }

  void cancelEndsWithinABatch() {
    const auto table = gtzanTable();
    if (!table) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
    ui::TrainingView view;
    view.show();
    view.setTable(table, QStringLiteral("features_30_sec.csv"));
    configure(view, 1000, true);
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QSignalSpy records(&view, &ui::TrainingView::epochRecorded);
    view.start();
    QVERIFY(records.wait(30000));
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(view.cancelButton(), Qt::LeftButton);
    QVERIFY(!view.cancelButton()->isEnabled());
    QVERIFY(finished.wait(5000));
    qInfo("cancel -> finished in %lld ms", static_cast<long long>(clock.elapsed()));
    QVERIFY(clock.elapsed() < 3000);
    QCOMPARE(view.state(), ui::TrainingView::State::cancelled);
    QVERIFY(!view.lastReport());
    QVERIFY(!view.saveButton()->isEnabled());
    QVERIFY(view.startButton()->isEnabled());
  }

  void guiThreadStaysResponsiveWhileTraining() {
    const auto table = gtzanTable();
    if (!table) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
    ui::TrainingView view;
    view.resize(1200, 800);
    view.show();
    view.setTable(table, QStringLiteral("features_30_sec.csv"));
    configure(view, 40, true);  // ~1 s of training: enough ticks for a p99
    test::EventLoopProbe probe;
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    probe.start();
    view.start();
    QVERIFY(finished.wait(60000));
    probe.stop();
    QCOMPARE(view.state(), ui::TrainingView::State::succeeded);
    QVERIFY(probe.ticks() > 20);
    const double worst = probe.worst(), p99 = probe.p99();
    qInfo("event-loop gaps while training 2 folds + final x 40 epochs: %zu ticks, p99 %.1f ms, worst %.1f ms, %d chart flushes",
          probe.ticks(), p99, worst, view.chartFlushes());
    QVERIFY2(worst < 500, qPrintable(QStringLiteral("GUI thread blocked for %1 ms").arg(worst)));
  }

  void formGivesCoreDefaults() {
    ui::TrainingView view;
    ml::TrainerOptions o = view.options();
    QCOMPARE(o.model.kind, ml::ModelKind::cnn1d);
    QCOMPARE(o.training.epochs, ml::default_training(ml::ModelKind::cnn1d).epochs);
    QCOMPARE(o.folds, ml::TrainerOptions{}.folds);
    // Every core by default; choosing a model keeps the user's thread count.
    QCOMPARE(o.training.threads, static_cast<int>(std::min(genrelab::hardware_jobs(), 256u)));
    view.threadsSpin()->setValue(1);
    view.kindCombo()->setCurrentText(QStringLiteral("logreg"));
    QCOMPARE(view.threadsSpin()->value(), 1);
    view.featureCombo()->setCurrentText(QStringLiteral("mfcc"));
    o = view.options();
    QCOMPARE(o.model.kind, ml::ModelKind::logreg);
    QCOMPARE(o.features, ml::FeatureSet::mfcc);
    QCOMPARE(o.training.learning_rate, ml::default_training(ml::ModelKind::logreg).learning_rate);
    o.validate();
  }

  void destroyingWhileRunningCancels() {
    const auto table = gtzanTable();
    if (!table) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
    auto view = std::make_unique<ui::TrainingView>();
    view->setTable(table, QStringLiteral("t"));
    configure(*view, 1000, true);
    QSignalSpy records(view.get(), &ui::TrainingView::epochRecorded);
    view->start();
    QVERIFY(records.wait(30000));
    QElapsedTimer clock;
    clock.start();
    view.reset();  // cancels and waits for the worker
    QVERIFY(clock.elapsed() < 3000);
    QTest::qWait(50);  // the job's queued result must not touch the destroyed view
  }
};

QTEST_MAIN(TrainingViewTest)
#include "training_view_test.moc"

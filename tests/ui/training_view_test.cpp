// The Training view, offscreen: a short cross-validation run (report, live chart series, result
// tables, model saved), cancellation within a batch, and the GUI thread's latency while training.
#include <QApplication>
#include <QElapsedTimer>
#include <QComboBox>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QCheckBox>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <memory>

#include "dataset/feature_table.h"
#include "ml/model_bundle.h"
#include "support/event_loop_probe.h"
#include "support/test_data.h"
#include "ui/charts/training_charts.h"
#include "ui/views/training_view.h"

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
    QCOMPARE(view.confusionTable()->rowCount(), 10);
    QCOMPARE(view.confusionTable()->columnCount(), 10);
    long long total = 0;
    for (int i = 0; i < 10; ++i)
      for (int j = 0; j < 10; ++j) total += view.confusionTable()->item(i, j)->text().toLongLong();
    QCOMPARE(total, static_cast<long long>(table->rows()));
    QCOMPARE(view.metricsTable()->rowCount(), 11);  // 10 genres + macro F1

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
    view.kindCombo()->setCurrentText(QStringLiteral("logreg"));
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

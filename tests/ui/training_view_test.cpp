// The Training view, offscreen: a short cross-validation run (report, live chart series, result
// tables, model saved), cancellation within a batch, and the GUI thread's latency while training;
// the audio CNN (cnn2d) offered only with audio, trained from a small generated demo dataset; the
// protocols (GTZAN's fault-filtered split by default, split folders, groups files) in every run,
// table and status line.
#include <QApplication>
#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string_view>

#include "dataset/dataset_scan.h"
#include "dataset/demo_dataset.h"
#include "dataset/feature_table.h"
#include "features/table_extraction.h"
#include "ml/ml_test_util.h"
#include "ml/model_bundle.h"
#include "ml/predictor.h"
#include "support/event_loop_probe.h"
#include "support/screenshot.h"
#include "support/test_data.h"
#include "ui/charts/training_charts.h"
#include "ui/plot/figure_export.h"
#include "ui/views/figure_canvas.h"
#include "ui/views/training_view.h"
#include "util/parallel.h"

using namespace genrelab;
using Choice = ui::ProtocolPicker::Choice;

namespace {

/// Declares `table`, the shared GTZAN 30-s table, or skips the test (QSKIP must stand in the test
/// function itself, hence a macro).
#define GTZAN_TABLE_OR_QSKIP(table) \
  const auto table = gtzanTable();  \
  if (!table) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)")

std::shared_ptr<const dataset::FeatureTable> gtzanTable() {
  static std::shared_ptr<const dataset::FeatureTable> table;
  if (!table) {
    const auto dir = test::gtzan_dir();
    if (!dir || !std::filesystem::exists(*dir / "features_30_sec.csv")) return nullptr;
    table = std::make_shared<const dataset::FeatureTable>(dataset::read_feature_table(*dir / "features_30_sec.csv"));
  }
  return table;
}

/// The audio of a small generated demo dataset (5 genres x 6 clips of 6 s), made once per run.
const std::vector<ml::AudioFile>& demoAudio() {
  static std::vector<ml::AudioFile> files;
  if (files.empty()) {
    const auto dir =
        dataset::ensure_demo_dataset(test::temp_dir("ui-training-demo"), {.clips_per_genre = 6, .clip_seconds = 6.0});
    for (const auto& t : dataset::scan_dataset(dir).tracks) files.push_back({t.path.string(), t.label});
  }
  return files;
}

/// The 30-s features of demoAudio(), extracted once per run (one row per clip, Kaggle layout).
std::shared_ptr<const dataset::FeatureTable> demoTable() {
  static std::shared_ptr<const dataset::FeatureTable> table;
  if (!table) {
    std::vector<features::LabeledFile> files;
    for (const auto& f : demoAudio()) files.push_back({f.path, f.label});
    auto extracted = features::extract_table(files, {.kind = features::TableKind::Clips, .jobs = 2});
    if (!extracted.failures.empty()) return nullptr;
    table = std::make_shared<const dataset::FeatureTable>(std::move(extracted.table));
  }
  return table;
}

/// 3 genres x 20 rows of separable blobs ("g0.00000.wav"…): not GTZAN.
std::shared_ptr<const dataset::FeatureTable> blobTable() {
  static const auto table = std::make_shared<const dataset::FeatureTable>(test::blob_table(3, 20, 8, 3.0));
  return table;
}

/// A split folder of `files` (names with their labels): per label, the first half train, then a
/// quarter valid, the rest test; `valid_line_2` replaces valid.txt's second line.
std::filesystem::path writeSplitFolder(const std::string& name,
                                       const std::vector<std::pair<std::string, std::string>>& files,
                                       const std::string& valid_line_2 = {}) {
  const auto dir = test::temp_dir(name);
  std::map<std::string, std::vector<std::string>> by_label;
  for (const auto& [file, label] : files) by_label[label].push_back(file);
  std::ofstream train(dir / "train.txt"), valid(dir / "valid.txt"), test_list(dir / "test.txt");
  valid << "# valid part\n";  // line 1: a comment
  bool replaced = valid_line_2.empty();
  for (const auto& [label, names] : by_label)
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string line = label + "/" + names[i] + "\n";
      if (2 * i < names.size()) {
        train << line;
      } else if (4 * i < 3 * names.size()) {
        if (!replaced) {
          valid << valid_line_2 << "\n";
          replaced = true;
        } else {
          valid << line;
        }
      } else {
        test_list << line;
      }
    }
  return dir;
}

std::vector<std::pair<std::string, std::string>> rowsOf(const dataset::FeatureTable& table) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t r = 0; r < table.rows(); ++r) out.emplace_back(table.filenames[r], table.labels[r]);
  return out;
}

/// The column of the fold or leaderboard table whose header (lines joined) is `header`, or -1.
int columnOf(const QTableWidget& table, const QString& header) {
  for (int c = 0; c < table.columnCount(); ++c)
    if (table.horizontalHeaderItem(c) && table.horizontalHeaderItem(c)->text().simplified() == header) return c;
  return -1;
}

QListWidgetItem* boardItem(const ui::TrainingView& view, const QString& model) {
  const auto items = view.compareList()->findItems(model, Qt::MatchExactly);
  return items.size() == 1 ? items.front() : nullptr;
}

/// Ticks exactly these models in the leaderboard checklist.
void tickBoard(ui::TrainingView& view, const QStringList& models) {
  for (int i = 0; i < view.compareList()->count(); ++i) {
    auto* item = view.compareList()->item(i);
    item->setCheckState(models.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
  }
}

bool pickerItemEnabled(const ui::TrainingView& view, Choice choice) {
  const auto* model = qobject_cast<const QStandardItemModel*>(view.protocolCombo()->model());
  const int at = view.protocolCombo()->findData(static_cast<int>(choice));
  return model && at >= 0 && model->item(at)->isEnabled();
}

bool kindEnabled(const ui::TrainingView& view, const QString& kind) {
  const auto* model = qobject_cast<const QStandardItemModel*>(view.kindCombo()->model());
  const int at = view.kindCombo()->findText(kind);
  return model && at >= 0 && model->item(at)->isEnabled();
}

/// A small cnn2d (128 mel x 64 frame patches, 8/16/32 channels, Dense 32) with 3 folds: seconds,
/// not minutes, and it still learns the demo genres (as in tests/ml/audio_cnn_test.cpp).
void configureSmallCnn(ui::TrainingView& view, int epochs, bool final_model) {
  view.kindCombo()->setCurrentText(QStringLiteral("cnn2d"));
  view.foldsSpin()->setValue(3);
  view.epochsSpin()->setValue(epochs);
  view.threadsSpin()->setValue(2);
  view.finalModelCheck()->setChecked(final_model);
  view.patchFramesSpin()->setValue(64);
  view.channelsSpin()->setValue(8);
  view.denseUnitsSpin()->setValue(32);
  view.cropsSpin()->setValue(6);
  view.batchSpin()->setValue(16);
}

/// Clicks Cancel on a running view and checks the run ends, cancelled, within 3 s (a batch).
/// Callers return when QTest::currentTestFailed().
void cancelWithinABatch(ui::TrainingView& view, QSignalSpy& finished, const char* what) {
  QElapsedTimer clock;
  clock.start();
  QTest::mouseClick(view.cancelButton(), Qt::LeftButton);
  QVERIFY(!view.cancelButton()->isEnabled());
  QVERIFY(finished.wait(5000));
  qInfo("%s cancel -> finished in %lld ms", what, static_cast<long long>(clock.elapsed()));
  QVERIFY(clock.elapsed() < 3000);
  QCOMPARE(view.state(), ui::TrainingView::State::cancelled);
}

/// Track-grouped folds (a GTZAN table defaults to its fault-filtered split), 2 of them.
void configure(ui::TrainingView& view, int epochs, bool final_model) {
  QVERIFY(view.protocolPicker()->setChoice(Choice::track_grouped));
  view.foldsSpin()->setValue(2);
  view.epochsSpin()->setValue(epochs);
  view.threadsSpin()->setValue(2);
  view.finalModelCheck()->setChecked(final_model);
}

/// Shows `view` at 1400x900 with the demo dataset's audio and `table`, its features.
void showOnDemo(ui::TrainingView& view, const std::shared_ptr<const dataset::FeatureTable>& table) {
  view.resize(1400, 900);
  view.show();
  view.setAudioFiles(demoAudio(), QStringLiteral("demo"));
  view.setTable(table, QStringLiteral("demo features"));
}

}  // namespace

class TrainingViewTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void trainsTwoFoldsAndShowsResults() {
    GTZAN_TABLE_OR_QSKIP(table);
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
    qInfo("2 folds x 4 epochs: mean accuracy %.3f ± %.3f, %d chart flushes for %lld records", report->mean_accuracy,
          report->std_accuracy, view.chartFlushes(), static_cast<long long>(records.size()));
    QCOMPARE(records.size(), 3 * 4);  // 2 folds + the final model, 4 epochs each
    QVERIFY(progress.size() >= 2);    // progress along the way, not only the final 100 %
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
    GTZAN_TABLE_OR_QSKIP(table);
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
      genrelab::test::save_screenshot(
          view,
          QStringLiteral("training-%1").arg(results->tabText(i).toLower().replace(QLatin1Char(' '), QLatin1Char('-'))));
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
      ui::export_figure(std::string_view(name).starts_with("confusion")
                            ? static_cast<const ui::Figure&>(view.confusionFigure())
                            : view.comparisonFigure(),
                        file(name));
      QVERIFY2(QFileInfo(file(name)).size() > 5000, name);
    }
  }

  void leaderboardOnSegmentsGroupedAndLeaky() {
    GENRELAB_GTZAN_OR_QSKIP(dir);
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
    QVERIFY(view.kindCombo()->findText(QStringLiteral("cnn2d")) >= 0);
    QVERIFY(!kindEnabled(view, QStringLiteral("cnn2d")));  // needs audio, not a table
    for (int i = 0; i < view.compareList()->count(); ++i) {
      auto* item = view.compareList()->item(i);
      const bool quick = item->text() == QLatin1String("logreg") || item->text() == QLatin1String("mlp");
      item->setCheckState(quick ? Qt::Checked : Qt::Unchecked);
    }
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    for (const bool leaky : {false, true}) {
      QVERIFY(view.protocolPicker()->setChoice(leaky ? Choice::leaky : Choice::track_grouped));
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
      const int protocol = columnOf(*view.leaderboardTable(), QStringLiteral("Protocol"));
      QVERIFY(protocol >= 0);
      QVERIFY2(view.leaderboardTable()->item(0, protocol)->text() ==
                   (leaky ? QStringLiteral("2 LEAKY folds") : QStringLiteral("2 track-grouped folds (optimistic)")),
               qPrintable(view.leaderboardTable()->item(0, protocol)->text()));
      QCOMPARE(view.leaderboardTable()->item(0, protocol)->foreground().color(),
               leaky ? QColor(180, 20, 20) : QColor(160, 90, 0));  // LEAKY red, optimistic orange
      QVERIFY(view.leaderboardNote()->text().contains(leaky ? QStringLiteral("LEAKY folds")
                                                            : QStringLiteral("optimistic")));
      QCOMPARE(board->repeats, leaky ? 2 : 1);
      QCOMPARE(board->rows[0].repeat_accuracies.size(), std::size_t{leaky ? 2u : 1u});
      QCOMPARE(view.leaderboardTable()->columnCount(), leaky ? 9 : 8);
      if (leaky)
        QCOMPARE(view.leaderboardTable()
                     ->item(0, columnOf(*view.leaderboardTable(), QStringLiteral("Per repeat")))
                     ->text()
                     .count(QStringLiteral(" / ")),
                 1);
      // The best run is on display, with the track-level columns of a segment table.
      const ml::TrainingReport* report = view.lastReport();
      QVERIFY(report->tracks > 0 && report->tracks < report->rows);
      QCOMPARE(view.foldTable()->columnCount(), 10);
      QCOMPARE(view.foldTable()->horizontalHeaderItem(4)->text().contains(QStringLiteral("LEAKY")), leaky);
      QCOMPARE(view.history().back().name().contains(QStringLiteral("LEAKY")), leaky);
      qInfo("%s: %s %.3f (tracks %.3f), %s %.3f (tracks %.3f)", leaky ? "leaky" : "grouped",
            board->rows[0].model.c_str(), board->rows[0].mean_accuracy, board->rows[0].track_accuracy_mean,
            board->rows[1].model.c_str(), board->rows[1].mean_accuracy, board->rows[1].track_accuracy_mean);
    }
    QCOMPARE(view.history().size(), std::size_t{4});  // every leaderboard row joins the history
    if (auto* results = view.findChild<QTabWidget*>()) results->setCurrentIndex(results->count() - 1);
    genrelab::test::save_screenshot(view, QStringLiteral("training-leaderboard"));
  }

  void cancelEndsWithinABatch() {
    GTZAN_TABLE_OR_QSKIP(table);
    ui::TrainingView view;
    view.show();
    view.setTable(table, QStringLiteral("features_30_sec.csv"));
    configure(view, 1000, true);
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QSignalSpy records(&view, &ui::TrainingView::epochRecorded);
    view.start();
    QVERIFY(records.wait(30000));
    cancelWithinABatch(view, finished, "training");
    if (QTest::currentTestFailed()) return;
    QVERIFY(!view.lastReport());
    QVERIFY(!view.saveButton()->isEnabled());
    QVERIFY(view.startButton()->isEnabled());
  }

  void guiThreadStaysResponsiveWhileTraining() {
    GTZAN_TABLE_OR_QSKIP(table);
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
    qInfo(
        "event-loop gaps while training 2 folds + final x 40 epochs: %zu ticks, p99 %.1f ms, worst %.1f ms, %d chart "
        "flushes",
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

  // The preset's parameters, generated from the parameter tables: the rows of its kind, its values,
  // the declared ranges; checked, the run trains with them (and without the preset's search).
  void adjustedPresetTrainsWithTheFormsParameters() {
    ui::TrainingView view;
    view.resize(1200, 900);
    view.show();
    view.setTable(blobTable(), QStringLiteral("blobs"));
    view.kindCombo()->setCurrentText(QStringLiteral("mlp"));
    ui::ParamForm* form = view.modelParams();
    auto* hidden = form->findChild<QLineEdit*>(QStringLiteral("hidden_units"));
    auto* dropout = form->findChild<QDoubleSpinBox*>(QStringLiteral("dropout"));
    QVERIFY(hidden && dropout);
    QCOMPARE(hidden->text(), QStringLiteral("256,128"));
    QCOMPARE(dropout->maximum(), 0.9999);  // [0, 1): the open end, at 4 decimals
    QVERIFY(dropout->toolTip().contains(QStringLiteral("Range: [0, 1)")));
    QVERIFY(!form->editor(QStringLiteral("conv1_filters"))->isVisibleTo(&view));  // cnn1d's, not mlp's
    QCOMPARE(view.options().model.hidden_units, (std::vector<int>{256, 128}));
    view.adjustBox()->setChecked(true);
    QVERIFY(form->isVisibleTo(&view));
    hidden->setText(QStringLiteral("16"));
    QMetaObject::invokeMethod(hidden, "editingFinished");
    dropout->setValue(0.1);
    auto* weight_decay = form->findChild<QDoubleSpinBox*>(QStringLiteral("weight_decay"));
    QVERIFY(weight_decay);
    weight_decay->setValue(0.01);
    const ml::TrainerOptions o = view.options();
    QCOMPARE(o.model.hidden_units, std::vector<int>{16});
    QCOMPARE(o.model.dropout, 0.1);
    QCOMPARE(o.training.weight_decay, 0.01);
    test::save_screenshot(view, QStringLiteral("training-adjusted-mlp"));
    // A preset with a search trains with the form's values instead of searching.
    view.kindCombo()->setCurrentText(QStringLiteral("search"));
    QVERIFY(view.options().search.empty());
    view.adjustBox()->setChecked(false);
    QVERIFY(!view.options().search.empty());
    view.kindCombo()->setCurrentText(QStringLiteral("mlp"));
    view.adjustBox()->setChecked(true);
    hidden->setText(QStringLiteral("16"));
    QMetaObject::invokeMethod(hidden, "editingFinished");
    configure(view, 2, false);
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QTest::mouseClick(view.startButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(view.state(), ui::TrainingView::State::succeeded);
    QCOMPARE(view.lastReport()->options.model.hidden_units, std::vector<int>{16});
    QVERIFY2(view.history().back().name().contains(QStringLiteral("mlp (adjusted)")),
             qPrintable(view.history().back().name()));
  }

  void closedFormKernelModelTrainsWithoutEpochs() {
    GTZAN_TABLE_OR_QSKIP(table);
    ui::TrainingView view;
    view.setTable(table, QStringLiteral("features_30_sec.csv"));
    QVERIFY(view.epochsSpin()->isEnabled());
    view.kindCombo()->setCurrentText(QStringLiteral("krr_forest"));
    QCOMPARE(view.kindCombo()->currentText(), QStringLiteral("krr_forest"));
    QVERIFY(!view.epochsSpin()->isEnabled());
    QVERIFY(view.epochsSpin()->toolTip().contains(QStringLiteral("closed form")));
    const ml::TrainerOptions o = view.options();
    QCOMPARE(o.model.kind, ml::ModelKind::krr);
    QVERIFY(o.model.log_variances);
    QCOMPARE(o.model.krr_trees, 300);
    configure(view, 1, true);
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QSignalSpy records(&view, &ui::TrainingView::epochRecorded);
    QTest::mouseClick(view.startButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(view.state(), ui::TrainingView::State::succeeded);
    QCOMPARE(records.size(), 3);  // one solve per fold and for the final model
    const ml::TrainingReport* report = view.lastReport();
    QVERIFY(report);
    // Two folds of 500 rows train on half the data: still far above the study's CNN on five folds.
    QVERIFY2(report->mean_accuracy > 0.68, qPrintable(QString::number(report->mean_accuracy)));
    QCOMPARE(view.charts()->pointCount(0), 1);
    QVERIFY2(view.history().back().name().contains(
                 QStringLiteral("krr_forest/all, 2 track-grouped folds (optimistic), closed form")),
             qPrintable(view.history().back().name()));
    QVERIFY(view.lastBundle());
    QCOMPARE(view.lastBundle()->weights.size(), std::size_t{6});  // kernel + forest
    view.kindCombo()->setCurrentText(QStringLiteral("mlp"));
    QVERIFY(view.epochsSpin()->isEnabled());
  }

  void cnn2dIsOfferedOnlyWithAudio() {
    ui::TrainingView view;
    view.show();
    // Listed from the start, but off until a dataset with audio is open, with the reason.
    const int at = view.kindCombo()->findText(QStringLiteral("cnn2d"));
    QVERIFY(at >= 0);
    QVERIFY(!kindEnabled(view, QStringLiteral("cnn2d")));
    QVERIFY(!view.audioUnavailableReason().isEmpty());
    QCOMPARE(view.kindCombo()->itemData(at, Qt::ToolTipRole).toString(), view.audioUnavailableReason());

    // A dataset of feature tables only: still off, and the reason says so.
    view.setAudioFiles({}, QStringLiteral("tables-only"));
    QVERIFY(!kindEnabled(view, QStringLiteral("cnn2d")));
    QVERIFY2(view.audioUnavailableReason().contains(QStringLiteral("tables-only has no readable audio files")),
             qPrintable(view.audioUnavailableReason()));
    QCOMPARE(view.kindCombo()->itemData(at, Qt::ToolTipRole).toString(), view.audioUnavailableReason());
    // One genre cannot be classified.
    std::vector<ml::AudioFile> one_genre;
    for (const auto& f : demoAudio())
      if (f.label == demoAudio().front().label) one_genre.push_back(f);
    view.setAudioFiles(one_genre, QStringLiteral("one-genre"));
    QVERIFY(!kindEnabled(view, QStringLiteral("cnn2d")));
    QVERIFY(view.audioUnavailableReason().contains(QStringLiteral("only one genre")));
    // Chosen anyway (programmatically): Start stays off and start() does nothing.
    view.kindCombo()->setCurrentIndex(at);
    QVERIFY(view.audioModelSelected());
    QVERIFY(!view.startButton()->isEnabled());
    QCOMPARE(view.inputLabel()->text(), view.audioUnavailableReason());
    view.start();
    QCOMPARE(view.state(), ui::TrainingView::State::idle);

    // With the demo dataset's audio: on, with the CLI's defaults; table-only controls off.
    view.setAudioFiles(demoAudio(), QStringLiteral("demo"));
    QVERIFY(kindEnabled(view, QStringLiteral("cnn2d")));
    QVERIFY(view.audioUnavailableReason().isEmpty());
    QVERIFY(view.audioModelSelected());
    QVERIFY(view.startButton()->isEnabled());  // no feature table needed
    QVERIFY(!view.featureCombo()->isEnabled());
    QVERIFY(!view.tableCombo()->isEnabled());
    // cnn2d holds out whole tracks by itself: no leaky rows; folds, a groups file or a split.
    QVERIFY(view.protocolCombo()->isEnabled());
    QCOMPARE(view.protocolPicker()->choice(), Choice::track_grouped);
    QVERIFY(!pickerItemEnabled(view, Choice::leaky));
    QVERIFY(pickerItemEnabled(view, Choice::groups_file));
    QVERIFY(pickerItemEnabled(view, Choice::split_folder));
    QVERIFY(view.audioBox()->isVisible());
    QVERIFY2(view.inputLabel()->text().contains(QStringLiteral("audio folder of demo: 30 track(s) in 5 genres")),
             qPrintable(view.inputLabel()->text()));
    QVERIFY(view.featureCombo()->toolTip().contains(QStringLiteral("audio")));
    const ml::AudioCnnOptions o = view.audioOptions();
    QCOMPARE(o.model.kind, ml::ModelKind::cnn2d);
    QCOMPARE(o.training.epochs, 20);  // genrelab-cli train-audio's defaults
    QCOMPARE(o.crops_per_track, 8);
    QCOMPARE(o.model.patch_frames, 130);
    QCOMPARE(o.model.cnn2d_channels, 16);
    QCOMPARE(o.training.batch_size, 32);
    QCOMPARE(o.audio_copies, 0);
    QVERIFY(o.noise_db > 0 && o.max_band_shift > 0 && o.max_level_db > 0);
    QVERIFY(o.monitor_heldout);
    o.validate();
    view.augmentCheck()->setChecked(false);
    view.copiesSpin()->setValue(2);
    QCOMPARE(view.audioOptions().noise_db, 0.0);
    QCOMPARE(view.audioOptions().max_band_shift, 0);
    QCOMPARE(view.audioOptions().max_level_db, 0.0);
    QCOMPARE(view.audioOptions().audio_copies, 2);
    QCOMPARE(view.options().model.kind, ml::ModelKind::cnn2d);

    // Back to a table model: its controls return, the audio box goes, no table means no Start.
    view.kindCombo()->setCurrentText(QStringLiteral("mlp"));
    QVERIFY(view.featureCombo()->isEnabled());
    QVERIFY(view.protocolCombo()->isEnabled());
    QVERIFY(!view.audioBox()->isVisible());
    QVERIFY(!view.startButton()->isEnabled());
    QCOMPARE(view.epochsSpin()->value(), ml::default_training(ml::ModelKind::mlp).epochs);

    // A dataset without audio opened while cnn2d is chosen: back to the study's model.
    view.kindCombo()->setCurrentText(QStringLiteral("cnn2d"));
    view.setAudioFiles({}, QStringLiteral("tables-only"));
    QVERIFY(!view.audioModelSelected());
    QCOMPARE(view.kindCombo()->currentText(), QStringLiteral("cnn1d"));
  }

  void cnn2dTrainsFromTheDemoAudio() {
    constexpr int kEpochs = 12;
    ui::TrainingView view;
    view.resize(1400, 900);
    view.show();
    // An undecodable file among the audio is left out with its reason; the run goes on.
    const auto broken_dir = test::temp_dir("ui-training-broken");
    const auto broken = broken_dir / "broken.wav";
    std::ofstream(broken) << "not a RIFF header";
    auto files = demoAudio();
    files.push_back({broken.string(), files.front().label});
    view.setAudioFiles(files, QStringLiteral("demo"));
    configureSmallCnn(view, kEpochs, true);
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QSignalSpy records(&view, &ui::TrainingView::epochRecorded);
    QSignalSpy progress(view.progressBar(), &QProgressBar::valueChanged);
    QSignalSpy models(&view, &ui::TrainingView::modelTrained);
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(view.startButton(), Qt::LeftButton);
    QCOMPARE(view.state(), ui::TrainingView::State::running);
    QVERIFY(view.cancelButton()->isEnabled());
    QVERIFY(!view.kindCombo()->isEnabled());
    QVERIFY(!view.audioBox()->isEnabled());
    QVERIFY(finished.wait(60000));
    QVERIFY2(view.state() == ui::TrainingView::State::succeeded, qPrintable(finished.front().front().toString()));
    qInfo("cnn2d, 3 folds + final x %d epochs on 30 demo clips: %lld ms", kEpochs,
          static_cast<long long>(clock.elapsed()));

    const ml::TrainingReport* report = view.lastReport();
    QVERIFY(report);
    QCOMPARE(report->options.model.kind, ml::ModelKind::cnn2d);
    QCOMPARE(report->folds.size(), std::size_t{3});
    QCOMPARE(report->tracks, std::size_t{30});  // the broken file left out
    std::size_t held_out = 0;
    for (const auto& f : report->folds) {
      held_out += f.test_tracks;
      QCOMPARE(f.train_rows, (30 - f.test_tracks) * 6);  // training tracks x 6 crops
    }
    QCOMPARE(held_out, std::size_t{30});  // every track held out once
    QVERIFY(report->final_model.has_value());
    QCOMPARE(report->final_model->history.size(), std::size_t{kEpochs});
    qInfo("cnn2d: patch accuracy %.3f ± %.3f, tracks %.3f (mean) / %.3f (vote), macro F1 %.3f", report->mean_accuracy,
          report->std_accuracy, report->mean_track_accuracy_mean, report->mean_track_accuracy_vote, report->macro_f1);
    // Chance is 0.2 over 5 genres; the demo genres differ in tempo, brightness and harmony.
    QVERIFY2(report->mean_track_accuracy_mean >= 0.8, qPrintable(QString::number(report->mean_track_accuracy_mean)));

    // Live curves: every epoch of both folds and of the final model, held-out loss included.
    QCOMPARE(records.size(), 4 * kEpochs);  // 3 folds + the final model
    QVERIFY(progress.size() >= 3);
    QCOMPARE(view.progressBar()->value(), view.progressBar()->maximum());
    const ui::TrainingCharts* charts = view.charts();
    QCOMPARE(charts->lossSeriesCount(), 2 * 4);
    QCOMPARE(charts->pointCount(0), kEpochs);
    QCOMPARE(charts->pointCount(1), kEpochs);
    QCOMPARE(charts->pointCount(2), kEpochs);
    QCOMPARE(charts->pointCount(ml::kFinalFold), kEpochs);
    std::ostringstream curves;
    charts->writeCsv(curves);
    std::istringstream lines(curves.str());
    std::string line;
    std::getline(lines, line);  // header
    int heldout = 0;
    while (std::getline(lines, line)) {
      std::vector<std::string> cells;
      std::stringstream row(line);
      for (std::string c; std::getline(row, c, ',');) cells.push_back(c);
      QCOMPARE(cells.size(), std::size_t{7});
      if (cells[0] != "final" && std::isfinite(std::stod(cells[3]))) ++heldout;
    }
    QCOMPARE(heldout, 3 * kEpochs);

    // Fold table: held-out tracks first (the headline), then patches; per fold, then mean ± std.
    QCOMPARE(view.foldTable()->rowCount(), 4);
    QCOMPARE(view.foldTable()->columnCount(), 10);
    QCOMPARE(view.foldTable()->horizontalHeaderItem(2)->text().simplified(), QStringLiteral("Track acc. (mean)"));
    QCOMPARE(view.foldTable()->horizontalHeaderItem(4)->text().simplified(), QStringLiteral("Patch acc."));
    for (int f = 0; f < 3; ++f) {
      const auto& fold = report->folds[static_cast<std::size_t>(f)];
      QCOMPARE(view.foldTable()->item(f, 1)->text(), QString::number(fold.test_tracks));
      bool ok = false;
      const double track = view.foldTable()->item(f, 2)->text().toDouble(&ok);
      QVERIFY(ok && std::abs(track - fold.track_accuracy_mean) < 1e-3);
      const double patch = view.foldTable()->item(f, 4)->text().toDouble(&ok);
      QVERIFY(ok && std::abs(patch - fold.accuracy) < 1e-3 && patch >= 0 && patch <= 1);
      QCOMPARE(view.foldTable()->item(f, 6)->text(), QString::number(fold.train_rows));
    }
    QCOMPARE(view.foldTable()->item(3, 2)->text(), QStringLiteral("%1 ± %2")
                                                       .arg(report->mean_track_accuracy_mean, 0, 'f', 3)
                                                       .arg(report->std_track_accuracy_mean, 0, 'f', 3));
    QVERIFY(view.foldTable()->item(3, 4)->text().contains(QStringLiteral("±")));

    // Confusion matrix and per-genre scores count the 30 held-out tracks.
    ui::ConfusionFigure& confusion = view.confusionFigure();
    QVERIFY(!confusion.empty());
    double total = 0, diagonal = 0;
    for (int i = 0; i < 5; ++i)
      for (int j = 0; j < 5; ++j) {
        total += confusion.value(i, j, false);
        if (i == j) diagonal += confusion.value(i, j, false);
      }
    QCOMPARE(static_cast<int>(total), 30);
    QVERIFY(std::abs(diagonal / 30.0 - report->mean_track_accuracy_mean) < 1e-9);  // equal folds: 10 tracks each
    QVERIFY(confusion.caption().contains(QStringLiteral("held-out tracks")));
    QCOMPARE(view.metricsTable()->rowCount(), 6);  // 5 genres + macro F1
    QCOMPARE(view.metricsTable()->horizontalHeaderItem(4)->text(), QStringLiteral("Support (tracks)"));
    QCOMPARE(view.metricsTable()->item(0, 4)->text(), QStringLiteral("6"));

    // The skipped file is named with its reason; the run joined the history.
    QVERIFY(finished.front().front().toString().isEmpty());
    QVERIFY(view.history().back().audio->skipped.size() == 1 &&
            view.history().back().audio->skipped.front().path.filename() == "broken.wav");
    QVERIFY(view.history().back().name().contains(
        QStringLiteral("cnn2d/log-mel, 3 track-grouped folds (optimistic), 12 epochs")));
    QCOMPARE(view.historyTable()->rowCount(), 1);

    // The final model: emitted for the Predict tab, saved atomically, loads and classifies a song.
    QCOMPARE(models.size(), 1);
    QVERIFY(view.saveButton()->isEnabled());
    const ml::ModelBundle* bundle = view.lastBundle();
    QVERIFY(bundle);
    QCOMPARE(bundle->feature_set, std::string("log_mel"));
    const auto dir = test::temp_dir("ui-training-cnn2d");
    const QString path = QString::fromStdString((dir / "cnn2d.glmodel").string());
    view.saveModel(path);
    const ml::ModelBundle loaded = ml::load_bundle(path.toStdString());
    QCOMPARE(loaded.model.kind, ml::ModelKind::cnn2d);
    QCOMPARE(loaded.model.patch_frames, 64);
    QCOMPARE(loaded.label_names.size(), std::size_t{5});
    QVERIFY(loaded.log_mel.has_value());
    QVERIFY(loaded.report.contains("mean_track_accuracy_mean"));
    const auto predictor = ml::Predictor::load(path.toStdString(), {.jobs = 1});
    const auto song = predictor.predict_file(demoAudio().front().path);
    QVERIFY2(song.ok(), song.error.c_str());
    QCOMPARE(song.probabilities.size(), std::size_t{5});

    // The folds table exports one header line (the two-line headers joined), 3 folds, mean ± std.
    const QString folds_path = QString::fromStdString((dir / "folds.csv").string());
    view.exportTable(QStringLiteral("folds"), folds_path);
    QFile folds_csv(folds_path);
    QVERIFY(folds_csv.open(QIODevice::ReadOnly));
    const QByteArray folds_text = folds_csv.readAll();
    QCOMPARE(folds_text.count('\n'), 1 + 3 + 1);
    QVERIFY(folds_text.startsWith(
        "Fold,Test tracks,Track acc. (mean),Track acc. (vote),Patch acc.,Patch loss,Train patches,"));
    // The report exports with the audio CNN's own numbers.
    const QString json_path = QString::fromStdString((dir / "report.json").string());
    view.exportTable(QStringLiteral("report"), json_path);
    QFile json(json_path);
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QByteArray text = json.readAll();
    QVERIFY(text.contains("\"audio_cnn\"") && text.contains("\"track_confusion\"") && text.contains("broken.wav"));
    if (auto* results = view.findChild<QTabWidget*>())
      for (int i = 0; i < results->count(); ++i) {
        results->setCurrentIndex(i);
        genrelab::test::save_screenshot(
            view, QStringLiteral("training-cnn2d-%1")
                      .arg(results->tabText(i).toLower().replace(QLatin1Char(' '), QLatin1Char('-'))));
      }
  }

  void cnn2dCancelsAndReportsUnreadableAudio() {
    ui::TrainingView view;
    view.show();
    // Audio that cannot be decoded at all: the run fails with the reason, no crash.
    const auto dir = test::temp_dir("ui-training-unreadable");
    std::vector<ml::AudioFile> unreadable;
    for (const char* genre : {"a", "b"}) {
      const auto file = dir / (std::string(genre) + ".wav");
      std::ofstream(file) << "garbage";
      unreadable.push_back({file.string(), genre});
    }
    view.setAudioFiles(unreadable, QStringLiteral("unreadable"));
    configureSmallCnn(view, 2, true);
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    view.start();
    QCOMPARE(view.state(), ui::TrainingView::State::running);
    QVERIFY(finished.wait(30000));
    QCOMPARE(view.state(), ui::TrainingView::State::failed);
    QVERIFY2(finished.front().front().toString().contains(QStringLiteral("none of the audio files could be decoded")),
             qPrintable(finished.front().front().toString()));
    QVERIFY(!view.lastReport());

    // A long run on the demo audio, cancelled within a batch once the curves move.
    view.setAudioFiles(demoAudio(), QStringLiteral("demo"));
    configureSmallCnn(view, 100000, true);
    finished.clear();
    QSignalSpy records(&view, &ui::TrainingView::epochRecorded);
    view.start();
    QCOMPARE(view.state(), ui::TrainingView::State::running);
    QVERIFY(records.wait(30000));
    cancelWithinABatch(view, finished, "cnn2d");
    if (QTest::currentTestFailed()) return;
    QVERIFY(!view.lastBundle());
    QVERIFY(!view.saveButton()->isEnabled());
    QVERIFY(view.startButton()->isEnabled());
    QVERIFY(view.kindCombo()->isEnabled());
  }

  void cnn2dJoinsTheLeaderboardOnlyWithTheTablesAudio() {
    ui::TrainingView view;
    view.show();
    // Listed, unticked and off until a dataset with audio and a matching table is open.
    QListWidgetItem* cnn = boardItem(view, QStringLiteral("cnn2d"));
    QVERIFY(cnn);
    QCOMPARE(cnn->checkState(), Qt::Unchecked);
    QVERIFY(!(cnn->flags() & Qt::ItemIsEnabled));
    QCOMPARE(view.leaderboardAudioReason(), view.audioUnavailableReason());
    QCOMPARE(cnn->toolTip(), view.leaderboardAudioReason());

    // Audio but no table: the table models' folds are missing.
    view.setAudioFiles(demoAudio(), QStringLiteral("demo"));
    QVERIFY(view.leaderboardAudioReason().contains(QStringLiteral("feature table")));
    QVERIFY(!(cnn->flags() & Qt::ItemIsEnabled));
    const auto table = demoTable();
    QVERIFY(table);
    QCOMPARE(table->rows(), std::size_t{30});
    view.setTable(table, QStringLiteral("demo features"));
    QVERIFY2(view.leaderboardAudioReason().isEmpty(), qPrintable(view.leaderboardAudioReason()));
    QVERIFY(cnn->flags() & Qt::ItemIsEnabled);
    QVERIFY(cnn->toolTip().contains(QStringLiteral("held-out tracks")));
    QCOMPARE(cnn->checkState(), Qt::Unchecked);  // minutes of training: never ticked by default

    // genrelab-cli compare's refusals: repeats, the leaky split. Each unticks it, with the reason.
    cnn->setCheckState(Qt::Checked);
    view.repeatsSpin()->setValue(2);
    QVERIFY(!(cnn->flags() & Qt::ItemIsEnabled));
    QCOMPARE(cnn->checkState(), Qt::Unchecked);
    QVERIFY2(view.leaderboardAudioReason().contains(QStringLiteral("one repeat")),
             qPrintable(view.leaderboardAudioReason()));
    QCOMPARE(cnn->toolTip(), view.leaderboardAudioReason());
    view.repeatsSpin()->setValue(1);
    QVERIFY(cnn->flags() & Qt::ItemIsEnabled);
    QVERIFY(view.protocolPicker()->setChoice(Choice::leaky));
    QVERIFY(!(cnn->flags() & Qt::ItemIsEnabled));
    QVERIFY(view.leaderboardAudioReason().contains(QStringLiteral("track-grouped")));
    QVERIFY(view.protocolPicker()->setChoice(Choice::track_grouped));
    QVERIFY(view.leaderboardAudioReason().isEmpty());
    // A groups file: cnn2d joins, holding out each file in the fold of its track's rows (grouped by artist).
    {
      const auto dir = test::temp_dir("ui-board-groups");
      std::ofstream csv(dir / "artists.csv");
      csv << "file,artist\n";
      for (std::size_t r = 0; r < table->rows(); ++r) csv << table->filenames[r] << ",artist" << r / 3 << "\n";
      csv.close();
      view.setGroupsFile(QString::fromStdString((dir / "artists.csv").string()));
      QCOMPARE(view.protocolPicker()->choice(), Choice::groups_file);
      QVERIFY(cnn->flags() & Qt::ItemIsEnabled);
      QVERIFY2(view.leaderboardAudioReason().isEmpty(), qPrintable(view.leaderboardAudioReason()));
      QVERIFY(view.protocolPicker()->setChoice(Choice::track_grouped));
      QVERIFY(view.leaderboardAudioReason().isEmpty());
    }

    // A table track without its audio file: cnn2d would not see the same held-out tracks.
    auto renamed = std::make_shared<dataset::FeatureTable>(*table);
    renamed->filenames[3] = "elsewhere.00042.wav";
    view.setTable(renamed, QStringLiteral("renamed"));
    QVERIFY(!(cnn->flags() & Qt::ItemIsEnabled));
    QVERIFY2(
        view.leaderboardAudioReason().contains(QStringLiteral("1 of the 30 tracks of renamed have no audio file")) &&
            view.leaderboardAudioReason().contains(QStringLiteral("elsewhere.00042")),
        qPrintable(view.leaderboardAudioReason()));
    // Fewer table rows than files is fine: the files without rows stay out.
    auto fewer = std::make_shared<dataset::FeatureTable>();
    *fewer = *table;
    fewer->filenames.pop_back();
    fewer->lengths.pop_back();
    fewer->labels.pop_back();
    fewer->values.resize(fewer->values.size() - fewer->cols());
    view.setTable(fewer, QStringLiteral("fewer"));
    QVERIFY2(view.leaderboardAudioReason().isEmpty(), qPrintable(view.leaderboardAudioReason()));
    // A GTZAN table beside the demo audio: nothing matches.
    if (const auto gtzan = gtzanTable()) {
      view.setTable(gtzan, QStringLiteral("features_30_sec.csv"));
      QVERIFY(view.leaderboardAudioReason().contains(QStringLiteral("have no audio file")));
    }

    // The audio's own reasons: one genre, none at all.
    view.setTable(table, QStringLiteral("demo features"));
    std::vector<ml::AudioFile> one_genre;
    for (const auto& f : demoAudio())
      if (f.label == demoAudio().front().label) one_genre.push_back(f);
    view.setAudioFiles(one_genre, QStringLiteral("one-genre"));
    QVERIFY(view.leaderboardAudioReason().contains(QStringLiteral("only one genre")));
    QVERIFY(!(cnn->flags() & Qt::ItemIsEnabled));
    view.setAudioFiles({}, QStringLiteral("tables-only"));
    QVERIFY(view.leaderboardAudioReason().contains(QStringLiteral("no readable audio files")));

    // cnn2d alone has no table folds to share: nothing starts.
    view.setAudioFiles(demoAudio(), QStringLiteral("demo"));
    tickBoard(view, {QStringLiteral("cnn2d")});
    QCOMPARE(cnn->checkState(), Qt::Checked);
    view.compareModels();
    QCOMPARE(view.state(), ui::TrainingView::State::idle);
  }

  void leaderboardRunsCnn2dInTheTableModelsFolds() {
    constexpr int kEpochs = 6;
    const auto table = demoTable();
    QVERIFY(table);
    ui::TrainingView view;
    showOnDemo(view, table);
    configureSmallCnn(view, kEpochs, false);  // chosen in the form: the leaderboard takes its epochs
    tickBoard(view, {QStringLiteral("logreg"), QStringLiteral("cnn2d")});
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QSignalSpy records(&view, &ui::TrainingView::epochRecorded);
    QSignalSpy progress(view.progressBar(), &QProgressBar::valueChanged);
    QElapsedTimer clock;
    clock.start();
    view.compareModels();
    QCOMPARE(view.state(), ui::TrainingView::State::running);
    QVERIFY(!view.compareList()->isEnabled());
    QVERIFY(finished.wait(60000));
    QVERIFY2(view.state() == ui::TrainingView::State::succeeded, qPrintable(finished.front().front().toString()));
    qInfo("leaderboard logreg + cnn2d (3 folds x %d epochs) on 30 demo clips: %lld ms", kEpochs,
          static_cast<long long>(clock.elapsed()));

    const ml::Leaderboard* board = view.leaderboard();
    QVERIFY(board);
    QCOMPARE(board->rows.size(), std::size_t{2});
    QVERIFY(board->rows[0].mean_accuracy >= board->rows[1].mean_accuracy);
    const auto at =
        std::find_if(board->rows.begin(), board->rows.end(), [](const auto& r) { return r.model == "cnn2d"; });
    QVERIFY(at != board->rows.end());
    const int cnn_rank = static_cast<int>(at - board->rows.begin());
    const ml::LeaderboardRow& row = *at;
    const ml::LeaderboardRow& logreg = board->rows[static_cast<std::size_t>(1 - cnn_rank)];
    QCOMPARE(logreg.model, std::string("logreg"));
    QCOMPARE(row.protocol, std::string("grouped"));
    QCOMPARE(row.folds, 3);
    QCOMPARE(row.fold_accuracies.size(), std::size_t{3});

    // Every row joined the history in rank order; cnn2d's is an audio run with its own report.
    QCOMPARE(view.history().size(), std::size_t{2});
    const ui::TrainingRun& run = view.history()[static_cast<std::size_t>(cnn_rank)];
    QVERIFY(run.audio);
    QVERIFY(run.name().contains(
        QStringLiteral("cnn2d/log-mel, 3 track-grouped folds (optimistic), %1 epochs").arg(kEpochs)));
    QCOMPARE(run.audio->options.training.epochs, kEpochs);
    QCOMPARE(run.audio->options.model.patch_frames, 64);  // the form's cnn2d settings
    QCOMPARE(run.audio->report.tracks, std::size_t{30});
    // Its accuracy is the held-out tracks' (as genrelab-cli compare ranks it), its macro-F1 theirs.
    QCOMPARE(row.mean_accuracy, run.audio->report.mean_track_accuracy_mean);
    QCOMPARE(row.fold_accuracies, run.audio->report.track_accuracy_mean);
    QCOMPARE(row.macro_f1, run.audio->report.track_macro_f1);
    QVERIFY(row.seconds >= run.audio->report.seconds);

    // The same folds: each file's fold is its table row's fold under the table models.
    const auto& fold_of = run.audio->options.fold_of;
    QCOMPARE(fold_of.size(), demoAudio().size());
    QCOMPARE(board->fold_of_row.size(), table->rows());
    std::vector<std::size_t> held_out(3, 0);
    for (std::size_t i = 0; i < demoAudio().size(); ++i) {
      const std::string name = std::filesystem::path(demoAudio()[i].path).filename().string();
      const auto r = std::find(table->filenames.begin(), table->filenames.end(), name) - table->filenames.begin();
      QVERIFY2(r < static_cast<std::ptrdiff_t>(table->rows()), name.c_str());
      QCOMPARE(fold_of[i], board->fold_of_row[static_cast<std::size_t>(r)]);
      ++held_out[static_cast<std::size_t>(fold_of[i])];
    }
    for (std::size_t f = 0; f < 3; ++f) {
      QCOMPARE(run.report->folds[f].test_tracks, held_out[f]);  // what the CNN held out
      QCOMPARE(logreg.report.folds[f].test_rows, held_out[f]);  // what logreg held out (one row per track)
    }

    // Live curves of the CNN's folds; the bar went up along the way.
    QCOMPARE(records.size(), 3 * kEpochs);
    QVERIFY(progress.size() >= 3);
    QCOMPARE(view.progressBar()->value(), view.progressBar()->maximum());

    // The table: its accuracy labelled as the held-out tracks', both runs named.
    QTableWidget* t = view.leaderboardTable();
    QCOMPARE(t->rowCount(), 2);
    QCOMPARE(t->columnCount(), 8);
    QCOMPARE(t->item(cnn_rank, 1)->text(), QStringLiteral("cnn2d"));
    const int accuracy = columnOf(*t, QStringLiteral("Accuracy (mean ± std)"));
    QVERIFY(accuracy >= 0);
    QCOMPARE(t->item(cnn_rank, columnOf(*t, QStringLiteral("Protocol")))->text(),
             QStringLiteral("3 track-grouped folds (optimistic)"));
    QVERIFY2(t->item(cnn_rank, accuracy)->text().endsWith(QStringLiteral("(tracks)")),
             qPrintable(t->item(cnn_rank, accuracy)->text()));
    QVERIFY(t->item(cnn_rank, accuracy)->toolTip().contains(QStringLiteral("held-out tracks")));
    QVERIFY(!t->item(1 - cnn_rank, accuracy)->text().contains(QStringLiteral("tracks")));
    QCOMPARE(t->item(cnn_rank, columnOf(*t, QStringLiteral("Macro F1")))->text(),
             QString::number(row.macro_f1, 'f', 3));
    QVERIFY(t->item(cnn_rank, 1)->toolTip().contains(QStringLiteral("64 frame log-mel patches")));
    QCOMPARE(t->item(cnn_rank, columnOf(*t, QStringLiteral("Run")))->text(), run.name());
    QVERIFY(t->horizontalHeaderItem(accuracy)->toolTip().contains(QStringLiteral("cnn2d")));
    if (auto* results = view.findChild<QTabWidget*>()) results->setCurrentIndex(results->count() - 1);
    genrelab::test::save_screenshot(view, QStringLiteral("training-leaderboard-cnn2d"));
  }

  void leaderboardKeepsTheTableRowsWhenCnn2dCannotDecode() {
    const auto table = demoTable();
    QVERIFY(table);
    ui::TrainingView view;
    view.show();
    view.setTable(table, QStringLiteral("demo features"));
    // One track's file cannot be decoded (as GTZAN's jazz.00054.wav beside the Kaggle table):
    // cnn2d leaves it out and names it; the other 29 keep their folds.
    const auto dir = test::temp_dir("ui-board-broken");
    auto files = demoAudio();
    const std::string name = std::filesystem::path(files[4].path).filename().string();
    std::ofstream(dir / name) << "not a RIFF header";
    files[4].path = (dir / name).string();
    view.setAudioFiles(files, QStringLiteral("demo"));
    configureSmallCnn(view, 2, false);
    tickBoard(view, {QStringLiteral("logreg"), QStringLiteral("cnn2d")});
    QVERIFY(view.leaderboardAudioReason().isEmpty());
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    view.compareModels();
    QVERIFY(finished.wait(60000));
    QCOMPARE(view.state(), ui::TrainingView::State::succeeded);
    QCOMPARE(view.leaderboard()->rows.size(), std::size_t{2});
    const auto cnn =
        std::find_if(view.history().begin(), view.history().end(), [](const auto& r) { return r.audio != nullptr; });
    QVERIFY(cnn != view.history().end());
    QCOMPARE(cnn->audio->report.tracks, std::size_t{29});
    QCOMPARE(cnn->audio->options.fold_of.size(), std::size_t{29});
    QVERIFY(cnn->audio->skipped.size() == 1 && cnn->audio->skipped.front().path.filename() == name);
    QVERIFY2(view.statusLabel()->text().contains(QStringLiteral("cnn2d left out 1 track(s)")),
             qPrintable(view.statusLabel()->text()));

    // No file decodes: the table models' rows stand and the status says why cnn2d has none.
    for (auto& f : files) {
      const auto broken = dir / std::filesystem::path(f.path).filename();
      std::ofstream(broken) << "not a RIFF header";
      f.path = broken.string();
    }
    view.setAudioFiles(files, QStringLiteral("broken"));
    tickBoard(view, {QStringLiteral("logreg"), QStringLiteral("cnn2d")});
    finished.clear();
    view.compareModels();
    QVERIFY(finished.wait(60000));
    QCOMPARE(view.state(), ui::TrainingView::State::succeeded);
    QCOMPARE(view.leaderboard()->rows.size(), std::size_t{1});
    QCOMPARE(view.leaderboard()->rows[0].model, std::string("logreg"));
    QCOMPARE(view.leaderboardTable()->rowCount(), 1);  // a one-row leaderboard is shown too
    QCOMPARE(view.history().size(), std::size_t{3});
    QVERIFY2(
        view.statusLabel()->text().contains(QStringLiteral("cnn2d failed: none of the audio files could be decoded")),
        qPrintable(view.statusLabel()->text()));
  }

  void leaderboardWithCnn2dCancels() {
    const auto table = demoTable();
    QVERIFY(table);
    ui::TrainingView view;
    view.show();
    view.setAudioFiles(demoAudio(), QStringLiteral("demo"));
    view.setTable(table, QStringLiteral("demo features"));
    configureSmallCnn(view, 100000, false);
    tickBoard(view, {QStringLiteral("logreg"), QStringLiteral("cnn2d")});
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QSignalSpy records(&view, &ui::TrainingView::epochRecorded);
    view.compareModels();
    QCOMPARE(view.state(), ui::TrainingView::State::running);
    QVERIFY(records.wait(30000));                                               // the CNN's epochs: logreg is done
    QVERIFY(view.progressBar()->value() >= view.progressBar()->maximum() / 2);  // past logreg's half
    cancelWithinABatch(view, finished, "leaderboard cnn2d");
    if (QTest::currentTestFailed()) return;
    QVERIFY(!view.leaderboard());
    QCOMPARE(view.leaderboardTable()->rowCount(), 0);
    QVERIFY(view.history().empty());
    QVERIFY(view.compareList()->isEnabled());
  }

  void faultFilteredSplitIsTheDefaultOnGtzan() {
    GTZAN_TABLE_OR_QSKIP(table);
    ui::TrainingView view;
    view.resize(1400, 900);
    view.show();
    // Before a table: offered nowhere, with the reason.
    QVERIFY(!pickerItemEnabled(view, Choice::fault_filtered));
    QVERIFY(!view.protocolPicker()->faultFilteredReason().isEmpty());
    QCOMPARE(view.protocolPicker()->choice(), Choice::track_grouped);
    view.setTable(table, QStringLiteral("features_30_sec.csv"));
    // GTZAN's table: the honest number first.
    QVERIFY2(pickerItemEnabled(view, Choice::fault_filtered), qPrintable(view.protocolPicker()->faultFilteredReason()));
    QCOMPARE(view.protocolPicker()->choice(), Choice::fault_filtered);
    QVERIFY(view.protocolPicker()->problem().isEmpty());
    QVERIFY(!view.foldsSpin()->isEnabled());
    QVERIFY(view.foldsSpin()->toolTip().contains(QStringLiteral("split")));
    QVERIFY(view.rotateCheck()->isEnabled());
    QVERIFY(view.finalModelCheck()->text().contains(QStringLiteral("train+valid")));
    const QString note = view.protocolPicker()->noteLabel()->text();
    QVERIFY2(note.contains(QStringLiteral("train 443, valid 197, test 290 rows; 70 rows in no list")),
             qPrintable(note));
    ml::TrainerOptions o = view.options();
    QVERIFY(o.split && o.split->artist_disjoint() && !o.rotate && !o.groups);
    // The dataset's own copy of the lists (the shared data has one): the same clips, so the same split.
    view.setDatasetFolder(QString::fromStdString(test::gtzan_dir()->string()));
    QCOMPARE(view.protocolPicker()->choice(), Choice::fault_filtered);
    QVERIFY(view.options().split->artist_disjoint());

    // krr (closed form): settings on valid, refit on train+valid, the test part scored once.
    view.kindCombo()->setCurrentText(QStringLiteral("krr"));
    view.threadsSpin()->setValue(2);
    view.finalModelCheck()->setChecked(true);
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    QSignalSpy models(&view, &ui::TrainingView::modelTrained);
    QVERIFY(view.startButton()->isEnabled());
    view.start();
    QVERIFY(finished.wait(60000));
    QVERIFY2(view.state() == ui::TrainingView::State::succeeded, qPrintable(finished.front().front().toString()));
    const ml::TrainingReport* report = view.lastReport();
    QCOMPARE(report->folds.size(), std::size_t{1});
    QCOMPARE(report->folds[0].held_out, std::string("test"));
    QCOMPARE(report->folds[0].test_rows, std::size_t{290});
    QCOMPARE(report->folds[0].train_rows, std::size_t{443 + 197});
    qInfo("krr on the fault-filtered split: test %.3f, valid %.3f", report->mean_accuracy,
          report->mean_validation_accuracy);
    QVERIFY2(report->mean_accuracy > 0.35, qPrintable(QString::number(report->mean_accuracy)));

    // The fold table: one held-out part, "test", with its 290 rows, valid and test accuracy.
    const QTableWidget* folds = view.foldTable();
    QCOMPARE(folds->rowCount(), 1);
    QCOMPARE(folds->horizontalHeaderItem(0)->text(), QStringLiteral("Held out"));
    QCOMPARE(folds->item(0, 0)->text(), QStringLiteral("test"));
    QCOMPARE(folds->item(0, columnOf(*folds, QStringLiteral("Test rows")))->text(), QStringLiteral("290"));
    QVERIFY(columnOf(*folds, QStringLiteral("Valid acc.")) > 0);
    QCOMPARE(folds->item(0, columnOf(*folds, QStringLiteral("Test acc.")))->text(),
             QString::number(report->mean_accuracy, 'f', 3));
    // The status line and the run's name say how it was measured.
    const QString status = view.statusLabel()->text();
    QVERIFY2(status.contains(QStringLiteral("test accuracy %1 % — unseen artists (fault-filtered split, test part); "
                                            "train 443, valid 197, test 290 rows; 70 rows in no list")
                                 .arg(100 * report->mean_accuracy, 0, 'f', 1)),
             qPrintable(status));
    QVERIFY2(view.history().back().name().contains(
                 QStringLiteral("krr/all, unseen artists, fault-filtered test part, closed form")),
             qPrintable(view.history().back().name()));
    double total = 0;
    for (int i = 0; i < 10; ++i)
      for (int j = 0; j < 10; ++j) total += view.confusionFigure().value(i, j, false);
    QCOMPARE(static_cast<int>(total), 290);  // the test part only
    QVERIFY(view.confusionFigure().caption().contains(QStringLiteral("test part, scored once")));
    QCOMPARE(view.charts()->pointCount(0), 1);  // the test part's model, drawn once (not again as "final")
    QCOMPARE(models.size(), 1);
    QVERIFY2(models.front().at(1).toString().contains(QStringLiteral("train+valid")),
             qPrintable(models.front().at(1).toString()));
    if (auto* results = view.findChild<QTabWidget*>()) results->setCurrentIndex(0);  // the folds
    genrelab::test::save_screenshot(view, QStringLiteral("training-fault-filtered-krr"));

    // Rotated: each part held out in turn, then mean ± std.
    view.rotateCheck()->setChecked(true);
    view.start();
    QVERIFY(finished.wait(60000));
    QCOMPARE(view.state(), ui::TrainingView::State::succeeded);
    QCOMPARE(view.foldTable()->rowCount(), 4);
    QCOMPARE(view.foldTable()->item(0, 0)->text(), QStringLiteral("train"));
    QCOMPARE(view.foldTable()->item(2, 0)->text(), QStringLiteral("test"));
    QCOMPARE(view.foldTable()->item(3, 0)->text(), QStringLiteral("mean ± std"));
    QVERIFY2(view.statusLabel()->text().contains(
                 QStringLiteral("over 3 held-out parts — unseen artists (fault-filtered split, "
                                "rotation of its 3 parts)")),
             qPrintable(view.statusLabel()->text()));

    // Track-grouped folds on the same table: labelled optimistic everywhere.
    QVERIFY(view.protocolPicker()->setChoice(Choice::track_grouped));
    QVERIFY(view.foldsSpin()->isEnabled());
    QVERIFY(!view.rotateCheck()->isEnabled());
    view.foldsSpin()->setValue(2);
    view.start();
    QVERIFY(finished.wait(60000));
    QVERIFY(view.statusLabel()->text().contains(
        QStringLiteral("track-grouped folds: same artists in training and test (optimistic)")));
    QVERIFY(view.foldTable()->horizontalHeaderItem(4)->text().contains(QStringLiteral("optimistic")));
    // Another table keeps the user's pick.
    view.setTable(table, QStringLiteral("again"));
    QCOMPARE(view.protocolPicker()->choice(), Choice::track_grouped);
  }

  void faultFilteredIsOfferedOnlyForGtzan() {
    ui::TrainingView view;
    view.show();
    view.setTable(blobTable(), QStringLiteral("blobs"));
    QVERIFY(!pickerItemEnabled(view, Choice::fault_filtered));
    QCOMPARE(view.protocolPicker()->choice(), Choice::track_grouped);
    const QString reason = view.protocolPicker()->faultFilteredReason();
    // The first part with no row is named.
    QVERIFY2(reason.contains(QStringLiteral("blobs is not GTZAN")) &&
                 reason.contains(QStringLiteral("fault-filtered/train.txt")),
             qPrintable(reason));
    const int at = view.protocolCombo()->findData(static_cast<int>(Choice::fault_filtered));
    QCOMPARE(view.protocolCombo()->itemData(at, Qt::ToolTipRole).toString(), reason);
    QVERIFY(!view.protocolPicker()->setChoice(Choice::fault_filtered));
    QVERIFY(view.foldsSpin()->isEnabled());
    QVERIFY(!view.rotateCheck()->isEnabled());
    QVERIFY(!view.options().split);
    // GTZAN's three-genre 3-s table: every part has rows, but most clips are missing.
    if (const auto dir = test::gtzan_dir();
        dir && std::filesystem::exists(*dir / "features_3_sec_subset_classical_jazz_rock.csv")) {
      view.setTable(std::make_shared<const dataset::FeatureTable>(
                        dataset::read_feature_table(*dir / "features_3_sec_subset_classical_jazz_rock.csv")),
                    QStringLiteral("3-s subset"));
      QVERIFY(!pickerItemEnabled(view, Choice::fault_filtered));
      QVERIFY2(view.protocolPicker()->faultFilteredReason().contains(
                   QStringLiteral("3-s subset is not GTZAN's full set: only")),
               qPrintable(view.protocolPicker()->faultFilteredReason()));
    }
    // A dataset folder whose splits/fault-filtered differs from the built-in lists: used, but not
    // claimed artist-disjoint.
    if (const auto table = gtzanTable()) {
      const auto folder = test::temp_dir("ui-own-fault-filtered");
      const auto lists = *dataset::builtin_split("fault-filtered");
      std::filesystem::create_directories(folder / "splits" / "fault-filtered");
      for (int p = 0; p < 3; ++p) {
        std::ofstream out(folder / "splits" / "fault-filtered" /
                          (std::string(dataset::to_string(static_cast<dataset::SplitPart>(p))) + ".txt"));
        const auto& entries = lists.parts[static_cast<std::size_t>(p)];
        for (std::size_t i = p == 2 ? 1 : 0; i < entries.size(); ++i)
          out << entries[i].text << "\n";  // one test clip fewer
      }
      view.setDatasetFolder(QString::fromStdString(folder.string()));
      view.setTable(table, QStringLiteral("features_30_sec.csv"));
      QVERIFY(pickerItemEnabled(view, Choice::fault_filtered));
      QCOMPARE(view.protocolPicker()->choice(), Choice::fault_filtered);
      const auto o = view.options();
      QVERIFY(o.split && !o.split->artist_disjoint());
      QVERIFY(
          view.protocolPicker()->noteLabel()->toolTip().contains(QStringLiteral("differs from the built-in lists")));
      QCOMPARE(QString::fromStdString(ml::protocol_label(o)),
               QStringLiteral("predefined split fault-filtered (test part)"));
    }
  }

  void splitFolderWithAMalformedLineDoesNotStart() {
    ui::TrainingView view;
    view.show();
    view.setTable(blobTable(), QStringLiteral("blobs"));
    view.kindCombo()->setCurrentText(QStringLiteral("logreg"));
    view.epochsSpin()->setValue(5);
    view.threadsSpin()->setValue(2);
    // valid.txt line 2 has a folder inside the name.
    const auto bad = writeSplitFolder("ui-split-bad", rowsOf(*blobTable()), "g0/deep/g0.00010.wav");
    view.setSplitFolder(QString::fromStdString(bad.string()));
    QCOMPARE(view.protocolPicker()->choice(), Choice::split_folder);
    const QString status = view.statusLabel()->text();
    QVERIFY2(status.contains(QString::fromStdString((bad / "valid.txt").string())) &&
                 status.contains(QStringLiteral("line 2")),
             qPrintable(status));
    QVERIFY(!view.protocolPicker()->problem().isEmpty());
    QVERIFY(!view.foldsSpin()->isEnabled());
    QSignalSpy started(&view, &ui::TrainingView::trainingStarted);
    view.start();
    view.compareModels();
    QCOMPARE(started.size(), 0);
    QCOMPARE(view.state(), ui::TrainingView::State::idle);
    QCOMPARE(view.statusLabel()->text(), view.protocolPicker()->problem());

    // A good folder: its test part scored once, named by the folder.
    const auto good = writeSplitFolder("ui-split-good", rowsOf(*blobTable()));
    view.setSplitFolder(QString::fromStdString(good.string()));
    QVERIFY(view.protocolPicker()->problem().isEmpty());
    QVERIFY2(view.protocolPicker()->noteLabel()->text().contains(
                 QStringLiteral("train 30, valid 15, test 15 rows; 0 rows in no list")),
             qPrintable(view.protocolPicker()->noteLabel()->text()));
    QVERIFY(view.protocolCombo()->currentText().startsWith(QStringLiteral("Split folder: ")));
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    view.start();
    QVERIFY(finished.wait(60000));
    QVERIFY2(view.state() == ui::TrainingView::State::succeeded, qPrintable(finished.front().front().toString()));
    QCOMPARE(view.foldTable()->rowCount(), 1);
    QCOMPARE(view.foldTable()->item(0, 0)->text(), QStringLiteral("test"));
    QCOMPARE(view.lastReport()->folds[0].test_rows, std::size_t{15});
    const QString name = QString::fromStdString(good.filename().string());
    QVERIFY2(view.history().back().name().contains(QStringLiteral("split %1, test part").arg(name)),
             qPrintable(view.history().back().name()));
    QVERIFY(view.statusLabel()->text().contains(QStringLiteral("predefined split %1 (test part)").arg(name)));
  }

  void confusionCellListsItsHeldOutTracks() {
    // Click a cell of the confusion matrix: its held-out tracks, each playable from the dataset.
    const auto table = demoTable();
    QVERIFY(table);
    ui::TrainingView view;
    showOnDemo(view, table);
    QVERIFY(view.protocolPicker()->setChoice(Choice::track_grouped));
    view.kindCombo()->setCurrentText(QStringLiteral("logreg"));
    view.epochsSpin()->setValue(3);
    view.foldsSpin()->setValue(3);
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    view.start();
    QVERIFY(finished.wait(60000));
    QVERIFY2(view.state() == ui::TrainingView::State::succeeded, qPrintable(finished.front().front().toString()));
    const ml::TrainingReport* report = view.lastReport();
    QVERIFY(report);
    QCOMPARE(report->held_out.size(), table->rows());                                // every row held out once
    if (auto* results = view.findChild<QTabWidget*>()) results->setCurrentIndex(1);  // Confusion matrix
    QTest::qWait(50);
    ui::FigureCanvas* canvas = view.confusionCanvas();
    const auto n = static_cast<int>(report->label_names.size());
    int clicked = 0;
    for (int t = 0; t < n; ++t)
      for (int p = 0; p < n; ++p) {
        const auto count = report->confusion[static_cast<std::size_t>(t * n + p)];
        if (count == 0) continue;
        const QPointF at = view.confusionFigure().cellCentre(canvas->rect(), t, p);
        QCOMPARE(view.confusionFigure().cellAt(canvas->rect(), at), std::make_pair(t, p));
        QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, at.toPoint());
        QCOMPARE(static_cast<std::int64_t>(view.cellTable()->rowCount()), count);
        for (int r = 0; r < view.cellTable()->rowCount(); ++r) {
          QCOMPARE(view.cellTable()->item(r, 1)->text(),
                   QString::fromStdString(report->label_names[static_cast<std::size_t>(t)]));
          QCOMPARE(view.cellTable()->item(r, 2)->text(),
                   QString::fromStdString(report->label_names[static_cast<std::size_t>(p)]));
          QVERIFY(QFileInfo::exists(view.cellTable()->item(r, 0)->data(Qt::UserRole).toString()));  // its audio
        }
        ++clicked;
      }
    QVERIFY(clicked >= n);
    QVERIFY(view.statusLabel()->text().contains(QStringLiteral("held-out row")));
    QSignalSpy play(&view, &ui::TrainingView::playRequested);
    view.cellTable()->cellDoubleClicked(0, 0);
    QCOMPARE(play.size(), 1);
    QCOMPARE(play.front().front().toString(), view.cellTable()->item(0, 0)->data(Qt::UserRole).toString());
    genrelab::test::save_screenshot(view, QStringLiteral("training-confusion-cell"));
  }

  void groupsFileGivesUnseenArtistFolds() {
    ui::TrainingView view;
    view.show();
    view.setTable(blobTable(), QStringLiteral("blobs"));
    view.kindCombo()->setCurrentText(QStringLiteral("logreg"));
    view.epochsSpin()->setValue(5);
    view.threadsSpin()->setValue(2);
    view.foldsSpin()->setValue(3);
    const auto dir = test::temp_dir("ui-groups");
    // A broken file: named with its line, nothing starts.
    std::ofstream(dir / "broken.csv") << "file,artist\ng0.00000.wav,a,extra\n";
    view.setGroupsFile(QString::fromStdString((dir / "broken.csv").string()));
    QVERIFY2(view.statusLabel()->text().contains(QStringLiteral("broken.csv")) &&
                 view.statusLabel()->text().contains(QStringLiteral("line 2")),
             qPrintable(view.statusLabel()->text()));
    view.start();
    QCOMPARE(view.state(), ui::TrainingView::State::idle);
    // 4 clips per artist, 15 artists.
    {
      std::ofstream csv(dir / "artists.csv");
      csv << "file,artist\n";
      for (std::size_t r = 0; r < blobTable()->rows(); ++r)
        csv << blobTable()->filenames[r] << ",artist" << r / 4 << "\n";
    }
    view.setGroupsFile(QString::fromStdString((dir / "artists.csv").string()));
    QCOMPARE(view.protocolPicker()->choice(), Choice::groups_file);
    QVERIFY(view.protocolPicker()->problem().isEmpty());
    QVERIFY(view.foldsSpin()->isEnabled());
    QVERIFY2(view.protocolPicker()->noteLabel()->text().contains(QStringLiteral("15 groups")),
             qPrintable(view.protocolPicker()->noteLabel()->text()));
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    view.start();
    QVERIFY(finished.wait(60000));
    QVERIFY2(view.state() == ui::TrainingView::State::succeeded, qPrintable(finished.front().front().toString()));
    const ml::TrainingReport* report = view.lastReport();
    QCOMPARE(report->folds.size(), std::size_t{3});
    QCOMPARE(report->protocol, std::string("folds grouped by artist (artists.csv): unseen artists"));
    QVERIFY(report->file_groups && report->file_groups->groups == 15);
    for (std::size_t r = 0; r < report->fold_of_row.size(); r += 4)  // each artist in one fold
      for (std::size_t k = 1; k < 4; ++k) QCOMPARE(report->fold_of_row[r + k], report->fold_of_row[r]);
    QVERIFY(view.history().back().name().contains(QStringLiteral("3 folds by artist (unseen artists)")));
    QVERIFY2(view.statusLabel()->text().contains(QStringLiteral("unseen artist")),
             qPrintable(view.statusLabel()->text()));
    QCOMPARE(view.foldTable()->horizontalHeaderItem(4)->text(), QStringLiteral("Accuracy"));  // not optimistic
  }

  void leaderboardOnTheFaultFilteredSplit() {
    GTZAN_TABLE_OR_QSKIP(table);
    ui::TrainingView view;
    view.resize(1400, 900);
    view.show();
    view.setTable(table, QStringLiteral("features_30_sec.csv"));
    QCOMPARE(view.protocolPicker()->choice(), Choice::fault_filtered);
    view.threadsSpin()->setValue(2);
    tickBoard(view, {QStringLiteral("krr"), QStringLiteral("logreg")});
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    view.compareModels();
    QVERIFY(finished.wait(120000));
    QVERIFY2(view.state() == ui::TrainingView::State::succeeded, qPrintable(finished.front().front().toString()));
    const ml::Leaderboard* board = view.leaderboard();
    QCOMPARE(board->rows.size(), std::size_t{2});
    QCOMPARE(board->protocol, std::string("split"));
    const QTableWidget* t = view.leaderboardTable();
    // Valid beside test (the board ranks by valid: the test part does not pick the winner).
    QCOMPARE(t->horizontalHeaderItem(2)->text(), QStringLiteral("Valid acc."));
    QCOMPARE(t->horizontalHeaderItem(3)->text(), QStringLiteral("Test acc."));
    const int protocol = columnOf(*t, QStringLiteral("Protocol"));
    QVERIFY(protocol > 3);
    for (int r = 0; r < 2; ++r) {
      QCOMPARE(t->item(r, protocol)->text(), QStringLiteral("unseen artists, fault-filtered test part"));
      QCOMPARE(t->item(r, protocol)->toolTip(), QStringLiteral("unseen artists (fault-filtered split, test part)"));
      QCOMPARE(t->item(r, 2)->text(),
               QString::number(board->rows[static_cast<std::size_t>(r)].validation_accuracy, 'f', 3));
      QCOMPARE(t->item(r, 3)->text(), QString::number(board->rows[static_cast<std::size_t>(r)].mean_accuracy, 'f', 3));
    }
    QVERIFY(board->rows[0].validation_accuracy >= board->rows[1].validation_accuracy);
    const QString note = view.leaderboardNote()->text();
    QVERIFY2(note.contains(QStringLiteral("unseen artists (fault-filtered split, test part)")) &&
                 note.contains(QStringLiteral("train 443, valid 197, test 290 rows; 70 rows in no list")),
             qPrintable(note));
    QVERIFY(note.contains(QStringLiteral("Ranked by valid accuracy")));  // as ml::compare_models ranks a split
    QVERIFY(view.statusLabel()->text().contains(QStringLiteral("unseen artists")));
    qInfo("fault-filtered leaderboard: %s %.3f (valid %.3f), %s %.3f (valid %.3f)", board->rows[0].model.c_str(),
          board->rows[0].mean_accuracy, board->rows[0].validation_accuracy, board->rows[1].model.c_str(),
          board->rows[1].mean_accuracy, board->rows[1].validation_accuracy);
    if (auto* results = view.findChild<QTabWidget*>()) results->setCurrentIndex(results->count() - 1);
    genrelab::test::save_screenshot(view, QStringLiteral("training-leaderboard-fault-filtered"));
  }

  void cnn2dOnASplitFolder() {
    const auto table = demoTable();
    QVERIFY(table);
    ui::TrainingView view;
    showOnDemo(view, table);
    configureSmallCnn(view, 3, true);
    // Per genre: 3 clips train, 2 valid, 1 test.
    const auto folder = writeSplitFolder("ui-split-demo", rowsOf(*table));
    view.setSplitFolder(QString::fromStdString(folder.string()));
    QCOMPARE(view.protocolPicker()->choice(), Choice::split_folder);
    QVERIFY(view.protocolPicker()->problem().isEmpty());
    QSignalSpy finished(&view, &ui::TrainingView::trainingFinished);
    view.start();
    QVERIFY(finished.wait(60000));
    QVERIFY2(view.state() == ui::TrainingView::State::succeeded, qPrintable(finished.front().front().toString()));
    const ui::TrainingRun& run = view.history().back();
    QVERIFY(run.audio);
    QCOMPARE(run.audio->options.folds, 1);
    QCOMPARE(run.audio->report.fold_reports.size(), std::size_t{1});
    QCOMPARE(run.audio->report.fold_reports[0].test_tracks, std::size_t{5});
    QCOMPARE(run.audio->report.protocol, std::string("split"));
    QCOMPARE(view.foldTable()->rowCount(), 1);
    QCOMPARE(view.foldTable()->item(0, 0)->text(), QStringLiteral("test"));
    QVERIFY2(view.statusLabel()->text().contains(QStringLiteral("train 15, valid 10, test 5 rows")),
             qPrintable(view.statusLabel()->text()));
    QVERIFY(view.lastBundle());  // trained on train+valid

    // The leaderboard: cnn2d on the same split's parts as logreg.
    tickBoard(view, {QStringLiteral("logreg"), QStringLiteral("cnn2d")});
    QVERIFY2(view.leaderboardAudioReason().isEmpty(), qPrintable(view.leaderboardAudioReason()));
    view.compareModels();
    QVERIFY(finished.wait(60000));
    QVERIFY2(view.state() == ui::TrainingView::State::succeeded, qPrintable(finished.back().front().toString()));
    const ml::Leaderboard* board = view.leaderboard();
    QCOMPARE(board->rows.size(), std::size_t{2});
    for (const auto& row : board->rows) {
      QCOMPARE(row.protocol, std::string("split"));
      QCOMPARE(row.folds, 1);
    }
    const auto cnn = std::find_if(view.history().begin(), view.history().end(),
                                  [](const auto& r) { return r.audio != nullptr && r.bundle == nullptr; });
    QVERIFY(cnn != view.history().end());
    QCOMPARE(cnn->audio->report.fold_reports[0].test_tracks, std::size_t{5});
    const QString split_name = QString::fromStdString(folder.filename().string());
    QCOMPARE(view.leaderboardTable()->item(0, columnOf(*view.leaderboardTable(), QStringLiteral("Protocol")))->text(),
             QStringLiteral("split %1, test part").arg(split_name));
    QVERIFY(view.leaderboardNote()->text().contains(QStringLiteral("predefined split %1 (test part)").arg(split_name)));
  }

  void destroyingWhileRunningCancels() {
    GTZAN_TABLE_OR_QSKIP(table);
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

// The Training view: model kind, feature set, folds, epochs, seed and threads; Start / Cancel /
// Save model…. Training runs on a worker (ui/jobs) through ml::train_and_evaluate(); per-epoch
// records come back by value through queued calls and are drawn in bulk at most ~5 times per
// second. At the end: per-fold accuracies with mean ± std, the summed confusion matrix and
// per-genre precision / recall / F1.
// Thread-safety: GUI thread only (the worker only posts records to it).
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>
#include <memory>
#include <vector>

#include "ml/model_bundle.h"
#include "ml/trainer.h"
#include "ui/charts/training_charts.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTimer;

namespace genrelab::dataset {
struct FeatureTable;
}

namespace genrelab::ui {

class Job;

class TrainingView : public QWidget {
  Q_OBJECT
 public:
  enum class State { idle, running, succeeded, failed, cancelled };

  explicit TrainingView(QWidget* parent = nullptr);
  /// Cancels a running training and waits for its worker.
  ~TrainingView() override;

  /// The options the form describes (defaults from ml::default_training() for the chosen kind).
  ml::TrainerOptions options() const;
  State state() const { return state_; }
  /// The report of the last successful run (null before).
  const ml::TrainingReport* lastReport() const { return report_.get(); }
  /// The final model of the last successful run (null without one).
  const ml::ModelBundle* lastBundle() const { return bundle_.get(); }
  /// Writes the last model atomically (ml::save_bundle); throws FileError / std::invalid_argument,
  /// std::logic_error when there is no model.
  void saveModel(const QString& path) const;

  QPushButton* startButton() const { return start_; }
  QPushButton* cancelButton() const { return cancel_; }
  QPushButton* saveButton() const { return save_; }
  QComboBox* kindCombo() const { return kind_; }
  QComboBox* featureCombo() const { return features_; }
  QSpinBox* foldsSpin() const { return folds_; }
  QSpinBox* epochsSpin() const { return epochs_; }
  QSpinBox* seedSpin() const { return seed_; }
  QSpinBox* threadsSpin() const { return threads_; }
  QCheckBox* finalModelCheck() const { return final_model_; }
  TrainingCharts* charts() const { return charts_; }
  QTableWidget* foldTable() const { return fold_table_; }
  QTableWidget* confusionTable() const { return confusion_table_; }
  QTableWidget* metricsTable() const { return metrics_table_; }
  /// Chart flushes so far (each redraws the series once).
  int chartFlushes() const { return flushes_; }

 public Q_SLOTS:
  void setTable(std::shared_ptr<const dataset::FeatureTable> table, const QString& name);
  /// Starts training with options(); no-op while running or without a table.
  void start();
  /// Requests cancellation; the core stops within one batch.
  void cancel();
  /// Asks for a path and saves the model.
  void saveModelInteractively();

 Q_SIGNALS:
  void trainingStarted();
  /// One epoch record reached the GUI thread (not yet drawn).
  void epochRecorded(int fold, int epoch);
  /// The run ended: state() is succeeded, failed or cancelled; `message` explains failures.
  void trainingFinished(const QString& message);

 private:
  void receiveRecord(const EpochRecord& record);
  void flushCharts();
  void onSucceeded(std::shared_ptr<const ml::TrainingReport> report, std::shared_ptr<const ml::ModelBundle> bundle);
  void onEnded(const QString& message);
  void fillResults();
  void applyKindDefaults();
  void updateButtons();

  QComboBox* kind_;
  QComboBox* features_;
  QSpinBox* folds_;
  QSpinBox* epochs_;
  QSpinBox* seed_;
  QSpinBox* threads_;
  QCheckBox* final_model_;
  QPushButton* start_;
  QPushButton* cancel_;
  QPushButton* save_;
  QLabel* table_label_;
  QLabel* status_;
  QProgressBar* progress_;
  TrainingCharts* charts_;
  QTableWidget* fold_table_;
  QTableWidget* confusion_table_;
  QTableWidget* metrics_table_;
  QTimer* flush_timer_;

  std::shared_ptr<const dataset::FeatureTable> table_;
  QString table_name_;
  QPointer<Job> job_;
  State state_ = State::idle;
  bool cancel_requested_ = false;
  std::vector<EpochRecord> pending_;
  int flushes_ = 0;
  std::shared_ptr<const ml::TrainingReport> report_;
  std::shared_ptr<const ml::ModelBundle> bundle_;
};

}  // namespace genrelab::ui

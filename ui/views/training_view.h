// The Training view: model kind, feature set, folds, epochs, seed and threads; Start / Cancel /
// Save model…. Training runs on a worker (ui/jobs) through ml::train_and_evaluate(); per-epoch
// records come back by value through queued calls and are drawn in bulk at most ~5 times per
// second. At the end: per-fold accuracies with mean ± std, the confusion-matrix heatmap (counts or
// row-normalised) and per-genre precision / recall / F1, all exportable (figures as PNG/SVG/PDF,
// tables as CSV, the report as JSON). Every finished run joins the history: selecting one shows
// it again, ticking several compares their per-genre F1 side by side.
// The model kind cnn2d (the 2-D CNN on log-mel patches, ml/audio_cnn.h) learns from the open
// dataset's audio files instead of a table: choosing it disables the table-only controls and
// shows its own (patches, crops, augmentation, batch); its folds hold out whole tracks, its
// per-fold table shows patch and track accuracy, its confusion matrix counts held-out tracks.
// The Leaderboard tab offers cnn2d beside the table models (as genrelab-cli compare does): it runs
// after them on the audio files of the table's tracks, held out in the table models' folds.
// How accuracy is measured is chosen in the protocol picker (protocol_picker.h): track-grouped
// folds (optimistic on GTZAN: its artists repeat), unseen artists on GTZAN's fault-filtered split
// (the default when the table is GTZAN's), a split folder, a groups file, or leaky rows; every
// run, run name, table and status line says which, in words.
// Thread-safety: GUI thread only (the worker only posts records to it).
#pragma once

#include <QPair>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "experiment/audio_experiment.h"
#include "ml/audio_cnn.h"
#include "ml/compare.h"
#include "ml/model_bundle.h"
#include "ml/trainer.h"
#include "ui/charts/training_charts.h"
#include "ui/figures/training_figures.h"
#include "ui/views/param_form.h"
#include "ui/views/protocol_picker.h"
#include "util/progress.h"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QListWidget;
class QTimer;
class QToolButton;

namespace genrelab::dataset {
struct FeatureTable;
}

namespace genrelab::ui {

class Job;
class FigureCanvas;

/// A finished training run, kept in the history.
struct TrainingRun {
  int number = 0;  ///< 1-based, in order of completion
  QString model;   ///< preset name (ml/model_presets.h)
  QString table;   ///< name of the feature table
  QString finished_at;
  std::shared_ptr<const ml::TrainingReport> report;
  std::shared_ptr<const ml::ModelBundle> bundle;  ///< null without a final model
  std::vector<EpochRecord> records;
  /// cnn2d runs: the audio experiment's outcome (its options, report and the files it left out;
  /// its bundle moved to `bundle`); null for table models.
  std::shared_ptr<const experiment::AudioOutcome> audio;
  /// The table a table model ran on (report rows index it); null for cnn2d.
  std::shared_ptr<const dataset::FeatureTable> rows;
  /// "#2 mlp/all, 5 track-grouped folds (optimistic), 50 epochs", "#3 krr/all, unseen artists,
  /// fault-filtered test part, closed form" (the protocol in words: protocol_words()).
  QString name() const;
};

class TrainingView : public QWidget {
  Q_OBJECT
 public:
  enum class State { idle, running, succeeded, failed, cancelled };

  explicit TrainingView(QWidget* parent = nullptr);
  /// Cancels a running training and waits for its worker.
  ~TrainingView() override;

  /// Chooses the model kind `name` (a preset or cnn2d); false when there is none.
  bool chooseModel(const QString& name);
  void setEpochs(int epochs);
  /// Whether Start / Compare would run now (there is something to train on, nothing is running).
  bool canStart() const;
  bool canCompare() const;
  /// Ticks exactly `models` in the leaderboard's checklist; returns why those that cannot run
  /// (unknown or unavailable) will not.
  QStringList tickLeaderboardModels(const QStringList& models);
  /// Shows the leaderboard among the results.
  void showLeaderboard();
  /// The options the form describes (defaults from ml::default_training() for the chosen kind).
  /// For cnn2d only model, training, folds and final_model mean something: see audioOptions().
  ml::TrainerOptions options() const;
  /// The cnn2d options the form describes (defaults: genrelab-cli train-audio's).
  ml::AudioCnnOptions audioOptions() const;
  /// True when the model kind selected is cnn2d (trained from the audio, not from a table).
  bool audioModelSelected() const;
  /// Why cnn2d cannot be chosen (no dataset, no audio, one genre), or empty when it can.
  QString audioUnavailableReason() const { return audio_reason_; }
  /// Why cnn2d cannot join the leaderboard (no usable audio, a table track without an audio file,
  /// repeats above 1, the leaky split, a groups file), or empty when it can; also its checklist tooltip.
  QString leaderboardAudioReason() const { return board_audio_reason_; }
  State state() const { return state_; }
  /// The report of the run on display: the last successful one, or the one picked in the history
  /// (null before any).
  const ml::TrainingReport* lastReport() const;
  /// The final model of the run on display (null without one).
  const ml::ModelBundle* lastBundle() const;
  /// Writes the displayed run's model atomically (ml::save_bundle); throws FileError /
  /// std::invalid_argument, std::logic_error when there is no model.
  void saveModel(const QString& path) const;
  /// Finished runs, oldest first.
  const std::vector<TrainingRun>& history() const { return runs_; }
  /// Shows run `index` of history() (charts, tables, confusion matrix).
  void showRun(int index);
  /// Compares these runs (indices into history()) in the comparison figure.
  void compareRuns(const QList<int>& indices);
  /// Writes the displayed run's tables: "folds", "per-genre", "confusion", "curves", "history"
  /// as CSV, "report" as JSON. Throws FileError, std::invalid_argument for another name.
  void exportTable(const QString& which, const QString& path) const;

  QPushButton* startButton() const { return start_; }
  QPushButton* cancelButton() const { return cancel_; }
  QPushButton* saveButton() const { return save_; }
  QComboBox* kindCombo() const { return kind_; }
  QComboBox* tableCombo() const { return table_combo_; }
  QComboBox* featureCombo() const { return features_; }
  QSpinBox* foldsSpin() const { return folds_; }
  QSpinBox* epochsSpin() const { return epochs_; }
  QSpinBox* seedSpin() const { return seed_; }
  QSpinBox* threadsSpin() const { return threads_; }
  QCheckBox* finalModelCheck() const { return final_model_; }
  QGroupBox* audioBox() const { return audio_box_; }
  /// cnn2d's controls, generated from the parameter tables (ui/views/param_form.h).
  ParamForm* audioParams() const { return audio_params_; }
  QSpinBox* patchFramesSpin() const { return spinOf(audio_params_, "patch_frames"); }
  QSpinBox* channelsSpin() const { return spinOf(audio_params_, "cnn2d_channels"); }
  QSpinBox* denseUnitsSpin() const { return spinOf(audio_params_, "dense_units"); }
  QSpinBox* batchSpin() const { return spinOf(audio_params_, "batch_size"); }
  QSpinBox* cropsSpin() const { return spinOf(audio_params_, "crops_per_track"); }
  QSpinBox* copiesSpin() const { return spinOf(audio_params_, "audio_copies"); }
  /// "Adjust the parameters": when checked, the table preset trains with the values of
  /// modelParams() (its model and loop, without its search) instead of its own.
  QGroupBox* adjustBox() const { return adjust_box_; }
  ParamForm* modelParams() const { return model_params_; }
  QCheckBox* augmentCheck() const { return augment_; }
  QLabel* inputLabel() const { return table_label_; }
  QLabel* statusLabel() const { return status_; }
  TrainingCharts* charts() const { return charts_; }
  QProgressBar* progressBar() const { return progress_; }
  QTableWidget* foldTable() const { return fold_table_; }
  QTableWidget* metricsTable() const { return metrics_table_; }
  QTableWidget* historyTable() const { return history_table_; }
  ConfusionFigure& confusionFigure() { return confusion_; }
  FigureCanvas* confusionCanvas() const { return confusion_canvas_; }
  /// The held-out tracks of the last confusion cell clicked (file, true, predicted, confidence).
  QTableWidget* cellTable() const { return cell_table_; }
  /// Lists the held-out rows behind confusion cell (truth, predicted) of the shown run.
  void showCell(int truth, int predicted);
  RunComparisonFigure& comparisonFigure() { return comparison_; }
  QCheckBox* normalizeCheck() const { return normalize_; }
  ProtocolPicker* protocolPicker() const { return protocol_; }
  QComboBox* protocolCombo() const { return protocol_->combo(); }
  QCheckBox* rotateCheck() const { return protocol_->rotateCheck(); }
  /// The line above the leaderboard: its protocol in words and what it did with the rows.
  QLabel* leaderboardNote() const { return board_note_label_; }
  QListWidget* compareList() const { return compare_models_; }
  QPushButton* compareButton() const { return compare_; }
  QSpinBox* repeatsSpin() const { return repeats_; }
  QTableWidget* leaderboardTable() const { return leaderboard_table_; }
  const ml::Leaderboard* leaderboard() const { return leaderboard_.get(); }
  /// Chart flushes so far (each redraws the series once).
  int chartFlushes() const { return flushes_; }

 public Q_SLOTS:
  /// Offers one table (replaces the list).
  void setTable(std::shared_ptr<const dataset::FeatureTable> table, const QString& name);
  /// Offers the dataset's tables (e.g. the 30-s and 3-s ones); the first is selected unless the
  /// one selected before is still there (by name).
  void setTables(const QVector<QPair<QString, std::shared_ptr<const dataset::FeatureTable>>>& tables);
  /// How the table offered as `name` was extracted (its sidecar), recorded in the bundles trained
  /// on it so that prediction extracts the same way; nullopt: not known (librosa's defaults).
  void setExtraction(const QString& name, const std::optional<features::ExtractionParams>& params);
  /// Offers the open dataset's audio files to cnn2d (`name`: the dataset, for labels). Without
  /// files (or with one genre) cnn2d is disabled with the reason in its tooltip.
  void setAudioFiles(const std::vector<ml::AudioFile>& files, const QString& name);
  /// The open dataset's folder: a `splits/fault-filtered` folder in it holds the fault-filtered
  /// lists the protocol picker uses (else the built-in ones). Empty: none.
  void setDatasetFolder(const QString& folder);
  /// Chooses a split folder (train.txt, valid.txt, test.txt) as the protocol, as the picker's
  /// "Split folder…" does after its dialog; an unreadable list is shown in the status line.
  void setSplitFolder(const QString& folder) { protocol_->setSplitFolder(folder); }
  /// Chooses a groups file (CSV file,<group>) as the protocol, as "Groups file…" does.
  void setGroupsFile(const QString& path) { protocol_->setGroupsFile(path); }
  /// Starts training with options() (cnn2d: audioOptions() on the audio files, held out as the
  /// protocol says); no-op while running, without a table (cnn2d: without audio) or while the
  /// protocol cannot run (the status line says why).
  void start();
  /// Cross-validates the models ticked in the Leaderboard tab under the same folds (the form's
  /// folds, features, split, seed and threads); each joins the history. A ticked cnn2d runs last,
  /// on the audio files of the table's tracks with the table models' folds (AudioCnnOptions::
  /// fold_of) and the form's cnn2d settings; its row ranks by held-out track accuracy.
  void compareModels();
  /// Requests cancellation; the core stops within one batch.
  void cancel();
  /// Asks for a path and saves the model.
  void saveModelInteractively();

 Q_SIGNALS:
  void trainingStarted();
  /// The user asked for a feature table extracted from the dataset's audio.
  void extractRequested();
  /// One epoch record reached the GUI thread (not yet drawn).
  void epochRecorded(int fold, int epoch);
  /// The run ended: state() is succeeded, failed or cancelled; `message` explains failures.
  void trainingFinished(const QString& message);
  /// A run produced a final model (emitted before trainingFinished); `description` says what it
  /// is and what it was trained on.
  void modelTrained(std::shared_ptr<const ml::ModelBundle> bundle, const QString& description);
  /// The user asked to hear an audio file (a track behind a confusion-matrix cell).
  void playRequested(const QString& path);

 private:
  void receiveRecord(const EpochRecord& record);
  void flushCharts();
  /// What a finished job hands back: one run, or one per leaderboard row.
  struct FinishedRun {
    QString model;
    std::shared_ptr<const ml::TrainingReport> report;
    std::shared_ptr<const ml::ModelBundle> bundle;
    std::shared_ptr<const experiment::AudioOutcome> audio = nullptr;
    QString input = {};  ///< what it was trained on (the table's name, else the audio's)
    std::shared_ptr<const dataset::FeatureTable> table = nullptr;  ///< a table model's rows
  };
  void startAudio();
  /// Enables or disables (and unticks) cnn2d in the leaderboard checklist, with the reason.
  void updateBoardAudio();
  /// Shows what the selected kind trains on (the table, or the audio for cnn2d).
  void updateInputLabel();
  /// Gives the protocol picker the rows it splits: the table's, or the audio files for cnn2d.
  void updateProtocolRows();
  void launch(const QString& status, std::function<std::function<void()>(ProgressSink&, const CancelToken&)> work);
  void onEnded(const QString& message);
  void fillResults(const TrainingRun& run);
  void addHistoryRow(const TrainingRun& run);
  void applyKindDefaults();
  void updateButtons();
  void buildExportMenu();
  const TrainingRun* shownRun() const;

  QComboBox* table_combo_;
  QPushButton* extract_;
  QComboBox* kind_;
  ProtocolPicker* protocol_;
  QComboBox* features_;
  QSpinBox* folds_;
  QSpinBox* epochs_;
  QSpinBox* seed_;
  QSpinBox* threads_;
  QCheckBox* final_model_;
  QGroupBox* audio_box_;
  QCheckBox* augment_;
  // What the generated forms edit: cnn2d's model, loop and sampling; the chosen table preset's
  // model and loop (loaded from the preset when it is chosen).
  ml::ModelParams audio_model_;
  ml::TrainParams audio_training_;
  ml::AudioCnnOptions audio_sampling_;
  ParamForm* audio_params_;
  std::map<QString, features::ExtractionParams> extraction_;  ///< by table name
  ml::ModelParams preset_model_;
  ml::TrainParams preset_training_;
  QGroupBox* adjust_box_;
  ParamForm* model_params_;
  static QSpinBox* spinOf(const ParamForm* form, const char* key);
  QPushButton* start_;
  QPushButton* cancel_;
  QPushButton* save_;
  QLabel* table_label_;
  QLabel* status_;
  QProgressBar* progress_;
  QToolButton* export_;
  TrainingCharts* charts_;
  QTableWidget* fold_table_;
  QTableWidget* metrics_table_;
  QTableWidget* history_table_;
  QTableWidget* cell_table_;
  QListWidget* compare_models_;
  QSpinBox* repeats_;
  QPushButton* compare_;
  QTableWidget* leaderboard_table_;
  QLabel* board_note_label_;
  QCheckBox* normalize_;
  ConfusionFigure confusion_;
  RunComparisonFigure comparison_;
  FigureCanvas* confusion_canvas_;
  FigureCanvas* comparison_canvas_;
  QTimer* flush_timer_;

  QVector<QPair<QString, std::shared_ptr<const dataset::FeatureTable>>> tables_;
  std::shared_ptr<const dataset::FeatureTable> table_;  ///< the selected one
  QString table_name_;
  std::vector<ml::AudioFile> audio_files_;
  QString audio_name_;
  QString audio_reason_;
  QString dataset_folder_;
  QPointer<Job> job_;
  State state_ = State::idle;
  bool cancel_requested_ = false;
  std::vector<EpochRecord> pending_;
  int flushes_ = 0;
  std::vector<FinishedRun> finished_;  ///< handed back by the job, until onEnded()
  std::shared_ptr<const ml::Leaderboard> leaderboard_;
  std::shared_ptr<const ml::Leaderboard> finished_board_;  ///< handed back by a leaderboard job, until onEnded()
  QString board_note_;  ///< what the job adds to its status line (files cnn2d left out, its failure)
  QString board_audio_reason_;
  std::vector<TrainingRun> runs_;
  int shown_ = -1;  ///< index into runs_
};

}  // namespace genrelab::ui

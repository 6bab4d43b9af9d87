// The Training view's jobs: training a table model or cnn2d, comparing models, and what a finished
// job hands back to the history (through core/experiment and ml::train_and_evaluate).
#include "ui/views/training_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QMetaObject>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <chrono>
#include <cmath>
#include <optional>

#include "experiment/audio_experiment.h"
#include "experiment/comparison.h"
#include "features/log_mel_cache.h"
#include "ml/model_presets.h"
#include "ui/jobs/job_runner.h"
#include "ui/views/figure_canvas.h"
#include "ui/views/training_results.h"
#include "ui/views/training_view_parts.h"
#include "util/error.h"

namespace genrelab::ui {

namespace {

EpochRecord to_record(int fold, const ml::EpochStats& s) {
  EpochRecord r;
  r.fold = fold;
  r.epoch = s.epoch;
  r.epochs = s.epochs;
  r.train_loss = s.train_loss;
  r.train_accuracy = s.train_accuracy;
  const bool has_validation = std::isfinite(s.validation_loss);
  r.heldout_loss = has_validation ? s.validation_loss : s.test_loss;
  r.heldout_accuracy = has_validation ? s.validation_accuracy : s.test_accuracy;
  r.learning_rate = s.learning_rate;
  return r;
}

/// Every epoch of a finished run (folds, then the final model), as the charts draw them. With a
/// split, the final model is the test part's model: its epochs are already there.
std::vector<EpochRecord> records_of(const ml::TrainingReport& report) {
  std::vector<EpochRecord> out;
  for (const ml::FoldReport& f : report.folds)
    for (const auto& e : f.history) out.push_back(to_record(f.fold, e));
  if (report.final_model && !report.options.split)
    for (const auto& e : report.final_model->history) out.push_back(to_record(ml::kFinalFold, e));
  return out;
}

/// Runs on the training threads: copies each epoch into a record and posts it to the view.
/// The view outlives the worker (its destructor cancels and waits), so `view` stays valid.
class EpochForwarder final : public ml::TrainingObserver {
 public:
  explicit EpochForwarder(QObject* view, std::function<void(const EpochRecord&)> deliver)
      : view_(view), deliver_(std::move(deliver)) {}
  void on_epoch(int fold, const ml::EpochStats& s) override {
    QMetaObject::invokeMethod(
        view_, [deliver = deliver_, r = to_record(fold, s)] { deliver(r); }, Qt::QueuedConnection);
  }

 private:
  QObject* view_;
  std::function<void(const EpochRecord&)> deliver_;
};

/// "file: reason; file: reason" of the audio files a cnn2d run left out.
QString skipped_text(const std::vector<dataset::SkippedFile>& skipped) {
  QStringList out;
  for (const auto& s : skipped) out << QString::fromStdString(s.path.string() + ": " + s.reason);
  return out.join(QStringLiteral("; "));
}

}  // namespace

void TrainingView::start() {
  if (state_ == State::running) return;
  if (audioModelSelected()) {
    startAudio();
    return;
  }
  if (!table_) return;
  if (!protocol_->problem().isEmpty()) {
    status_->setText(protocol_->problem());
    return;
  }
  ml::TrainerOptions opts = options();
  try {
    opts.validate();
  } catch (const std::exception& e) {
    status_->setText(tr("Invalid options: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  const QString model = adjust_box_->isChecked() ? tr("%1 (adjusted)").arg(kind_->currentText()) : kind_->currentText();
  auto table = table_;
  auto deliver_record = [this](const EpochRecord& r) { receiveRecord(r); };
  QPointer<TrainingView> self(this);
  launch(tr("Training %1 on %2 (%3)…").arg(model, table_name_, protocol_words(opts)),
         [table, opts, model, deliver_record, self, view = static_cast<QObject*>(this)](
             ProgressSink& progress, const CancelToken& token) -> std::function<void()> {
           EpochForwarder observer(view, deliver_record);
           ml::TrainingResult result = ml::train_and_evaluate(*table, opts, &progress, &observer, &token);
           FinishedRun run{model, nullptr, nullptr};
           run.table = table;
           if (result.model) run.bundle = std::make_shared<const ml::ModelBundle>(result.bundle());
           run.report = std::make_shared<const ml::TrainingReport>(std::move(result.report));
           return [self, run] {
             if (self) self->finished_ = {run};
           };
         });
}

void TrainingView::startAudio() {
  if (state_ == State::running) return;
  if (!audio_reason_.isEmpty()) {
    status_->setText(audio_reason_);
    return;
  }
  if (!protocol_->problem().isEmpty()) {
    status_->setText(protocol_->problem());
    return;
  }
  const ml::AudioCnnOptions opts = audioOptions();
  try {
    opts.validate();
  } catch (const std::exception& e) {
    status_->setText(tr("Invalid options: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  // The protocol: a split (its parts as the folds, as genrelab-cli train-audio --split) or track folds.
  ml::TrainerOptions described;
  protocol_->applyTo(described);
  described.folds = opts.folds;
  experiment::AudioExperiment spec;
  spec.cnn = opts;
  spec.protocol = described;
  spec.final_model = final_model_->isChecked();
  const QString input = tr("audio of %1").arg(audio_name_);
  spec.input = input.toStdString();
  const auto files = audio_files_;
  auto deliver_record = [this](const EpochRecord& r) { receiveRecord(r); };
  QPointer<TrainingView> self(this);
  launch(tr("Training cnn2d on the %1 (%n track(s), %2): log-mel spectrograms first…", nullptr,
            static_cast<int>(files.size()))
             .arg(input, protocol_words(described)),
         [files, spec, input, deliver_record, self, view = static_cast<QObject*>(this)](
             ProgressSink& progress, const CancelToken& token) -> std::function<void()> {
           features::LogMelCache cache;
           EpochForwarder observer(view, deliver_record);
           auto outcome = std::make_shared<experiment::AudioOutcome>(
               experiment::run_audio_experiment(files, cache, spec, &progress, &token, &observer));
           FinishedRun run{kAudioKind, std::make_shared<const ml::TrainingReport>(outcome->training), nullptr};
           if (outcome->bundle) {
             run.bundle = std::make_shared<const ml::ModelBundle>(std::move(*outcome->bundle));
             outcome->bundle.reset();
           }
           run.audio = std::move(outcome);
           run.input = input;
           return [self, run] {
             if (self) self->finished_ = {run};
           };
         });
}

void TrainingView::compareModels() {
  if (state_ == State::running || !table_) return;
  if (!protocol_->problem().isEmpty()) {
    status_->setText(protocol_->problem());
    return;
  }
  ml::CompareOptions opts;
  bool with_cnn2d = false;  // not a table preset: it runs after them, on the audio
  for (int i = 0; i < compare_models_->count(); ++i) {
    const QListWidgetItem* item = compare_models_->item(i);
    if (item->checkState() != Qt::Checked) continue;
    if (item->text() == kAudioKind) with_cnn2d = true;
    else opts.models.push_back(item->text().toStdString());
  }
  if (opts.models.empty()) {
    status_->setText(with_cnn2d ? tr("cnn2d is scored on the folds of the table models: tick at least one of them too.")
                                : tr("Tick the models to compare in the Leaderboard tab."));
    return;
  }
  const ml::TrainerOptions form = options();
  opts.folds = form.folds;
  opts.features = form.features;
  protocol_->applyTo(opts);
  opts.seed = form.training.seed;
  opts.repeats = repeats_->value();
  opts.threads = form.training.threads;
  // The form's cnn2d settings; its epochs when cnn2d is the chosen model (else the epochs box
  // holds a table model's), otherwise genrelab-cli compare's.
  ml::AudioCnnOptions audio = audioOptions();
  if (!audioModelSelected()) audio.training.epochs = kAudioEpochs;
  try {
    opts.validate();
    if (with_cnn2d) audio.validate();
  } catch (const std::exception& e) {
    status_->setText(tr("Invalid options: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  std::vector<ml::AudioFile> files;  // of the table's tracks, one each
  QStringList outside;               // audio files that are not in the table
  if (with_cnn2d) {
    updateBoardAudio();
    if (!board_audio_reason_.isEmpty()) {
      status_->setText(board_audio_reason_);
      return;
    }
    const ml::AudioTableMatch match = ml::match_audio_to_table(*table_, audio_files_);
    for (std::size_t i = 0; i < audio_files_.size(); ++i)
      if (match.row_of_file[i] >= 0) files.push_back(audio_files_[i]);
      else outside << QString::fromStdString(std::filesystem::path(audio_files_[i].path).filename().string());
  }
  experiment::ComparisonSpec spec;
  spec.table = opts;
  const QString input = tr("audio of %1").arg(audio_name_);
  if (with_cnn2d) {
    spec.cnn2d.emplace();
    spec.cnn2d->files = std::move(files);
    spec.cnn2d->experiment.cnn = audio;
    spec.cnn2d->experiment.input = input.toStdString();
  }
  auto table = table_;
  const int count = static_cast<int>(opts.models.size()) + (with_cnn2d ? 1 : 0);
  auto deliver_record = [this](const EpochRecord& r) { receiveRecord(r); };
  QPointer<TrainingView> self(this);
  const ml::TrainerOptions described = opts.protocol_options();
  launch(
      tr("Comparing %n model(s) on %1, the same held-out rows for each (%2)…", nullptr, count)
          .arg(table_name_, protocol_words(described)),
      [table, spec, outside, input, deliver_record, self, view = static_cast<QObject*>(this)](
          ProgressSink& progress, const CancelToken& token) -> std::function<void()> {
        EpochForwarder observer(view, deliver_record);
        experiment::Comparison comparison = experiment::run_comparison(*table, spec, &progress, &token, &observer);
        QString note;
        std::optional<FinishedRun> cnn2d;
        if (comparison.cnn2d) {
          FinishedRun run{kAudioKind, std::make_shared<const ml::TrainingReport>(comparison.cnn2d->training), nullptr};
          const auto skipped = comparison.cnn2d->skipped.size();
          if (skipped > 0)
            note = QObject::tr("cnn2d left out %n track(s) whose audio could not be decoded: %1", nullptr,
                               static_cast<int>(skipped))
                       .arg(skipped_text(comparison.cnn2d->skipped));
          run.audio = std::make_shared<const experiment::AudioOutcome>(std::move(*comparison.cnn2d));
          run.input = input;
          cnn2d = std::move(run);
        } else if (!comparison.cnn2d_error.empty()) {
          // The table models' rows stand; the status says why cnn2d has none.
          note = QObject::tr("cnn2d failed: %1").arg(QString::fromStdString(comparison.cnn2d_error));
        }
        if (!outside.isEmpty())
          note += (note.isEmpty() ? QString() : QStringLiteral(" ")) +
                  QObject::tr("%n audio file(s) without rows in the table stayed out of the comparison (first: %1).",
                              nullptr, static_cast<int>(outside.size()))
                      .arg(outside.front());
        // One run per row, in rank order (fillLeaderboard() pairs them up).
        std::vector<FinishedRun> runs;
        for (const ml::LeaderboardRow& row : comparison.board.rows) {
          if (cnn2d && row.model == kAudioKind.toStdString() && row.report.folds.empty()) runs.push_back(*cnn2d);
          else {
            runs.push_back(
                {QString::fromStdString(row.model), std::make_shared<const ml::TrainingReport>(row.report), nullptr});
            runs.back().table = table;
          }
        }
        auto shared = std::make_shared<const ml::Leaderboard>(std::move(comparison.board));
        return [self, runs, shared, note] {
          if (!self) return;
          self->finished_ = runs;
          self->finished_board_ = shared;
          self->board_note_ = note;
        };
      });
}

void TrainingView::launch(const QString& status, Job::Work work) {
  state_ = State::running;
  cancel_requested_ = false;
  finished_.clear();
  finished_board_.reset();
  board_note_.clear();
  pending_.clear();
  flushes_ = 0;
  shown_ = -1;
  charts_->clear();
  fold_table_->clear();
  fold_table_->setRowCount(0);
  confusion_.setMatrix({}, {}, {});
  confusion_canvas_->update();
  cell_table_->setRowCount(0);
  metrics_table_->clear();
  metrics_table_->setRowCount(0);
  progress_->setValue(0);
  status_->setText(status);
  job_ = Job::start(status, std::move(work));
  connect(job_, &Job::progressed, this, [this](double fraction, const QString& message) {
    progress_->setValue(static_cast<int>(std::lround(fraction * 1000)));
    if (!cancel_requested_) status_->setText(message);
  });
  connect(job_, &Job::failed, this, [this](const QString& message) { onEnded(message); });
  connect(job_, &Job::succeeded, this, [this] { onEnded(QString()); });
  updateButtons();
  Q_EMIT trainingStarted();
}

void TrainingView::cancel() {
  if (state_ != State::running || !job_) return;
  cancel_requested_ = true;
  job_->cancel();
  status_->setText(tr("Cancelling…"));
  updateButtons();
}

void TrainingView::receiveRecord(const EpochRecord& record) {
  if (state_ != State::running) return;  // a late record of an ended run
  pending_.push_back(record);
  if (!flush_timer_->isActive()) flush_timer_->start();
  Q_EMIT epochRecorded(record.fold, record.epoch);
}

void TrainingView::flushCharts() {
  if (pending_.empty()) return;
  charts_->setCurrentFold(pending_.back().fold);
  charts_->append(pending_);
  pending_.clear();
  ++flushes_;
}

void TrainingView::onEnded(const QString& message) {
  flush_timer_->stop();
  // Queued epoch records were posted before the job's result, so they have all arrived.
  flushCharts();
  if (!finished_.empty()) {
    state_ = State::succeeded;
    progress_->setValue(1000);
    const QString finished_at = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    for (FinishedRun& f : finished_) {
      TrainingRun run;
      run.number = static_cast<int>(runs_.size()) + 1;
      run.model = f.model;
      run.table = f.input.isEmpty() ? table_name_ : f.input;
      run.finished_at = finished_at;
      run.records = records_of(*f.report);
      run.report = std::move(f.report);
      run.bundle = std::move(f.bundle);
      run.audio = std::move(f.audio);
      run.rows = std::move(f.table);
      runs_.push_back(std::move(run));
      addHistoryRow(runs_.back());
    }
    // Show the run (or the leaderboard's best, its first row) without redrawing the live curves.
    const int first_new = static_cast<int>(runs_.size() - finished_.size());
    shown_ = first_new;
    const TrainingRun& shown = runs_[static_cast<std::size_t>(shown_)];
    const bool board = finished_board_ != nullptr;
    if (board) charts_->show(shown.records);
    fillResults(shown);
    {
      const QSignalBlocker block(history_table_);
      history_table_->selectRow(shown_);
    }
    if (board) {
      leaderboard_ = std::move(finished_board_);
      fill_leaderboard_table(*leaderboard_table_, *leaderboard_, runs_, static_cast<std::size_t>(first_new));
      board_note_label_->setText(leaderboard_note(*leaderboard_));
      QString text = tr("Leaderboard of %n model(s) on %1 (%2 s): best %3", nullptr, static_cast<int>(finished_.size()))
                         .arg(table_name_)
                         .arg(leaderboard_->seconds, 0, 'f', 1)
                         .arg(run_summary(shown));
      if (!board_note_.isEmpty()) text += QLatin1Char(' ') + board_note_;
      status_->setText(text);
    } else {
      QString text = tr("Done (%1 s): %2").arg(shown.report->seconds, 0, 'f', 1).arg(run_summary(shown));
      if (shown.audio && !shown.audio->skipped.empty())
        text += QLatin1Char(' ') + tr("%n audio file(s) could not be decoded and were left out: %1", nullptr,
                                      static_cast<int>(shown.audio->skipped.size()))
                                       .arg(skipped_text(shown.audio->skipped));
      status_->setText(text);
    }
    // What the Predict tab shows of the model: what it learnt from and how it scored, in words.
    const ml::TrainingReport& r = *shown.report;
    const QString scored =
        r.options.split && !r.options.rotate
            ? tr("test accuracy %1").arg(percent(shown.audio ? r.mean_track_accuracy_mean : r.mean_accuracy))
            : tr("accuracy %1 ± %2")
                  .arg(fixed(shown.audio ? r.mean_track_accuracy_mean : r.mean_accuracy),
                       fixed(shown.audio ? r.std_track_accuracy_mean : r.std_accuracy));
    const QString trained_on = r.options.split ? tr("the train+valid part of %1").arg(shown.table) : shown.table;
    if (shown.bundle && shown.audio)
      Q_EMIT modelTrained(shown.bundle, tr("%1 trained on %2 (%3 tracks); held-out tracks: %4 (%5)")
                                            .arg(shown.model, trained_on)
                                            .arg(shown.audio->final_tracks)
                                            .arg(scored, protocol_words(r.options)));
    else if (shown.bundle)
      Q_EMIT modelTrained(shown.bundle, tr("%1 trained on %2 (%3 rows); %4 (%5)")
                                            .arg(shown.model, trained_on)
                                            .arg(r.final_model ? r.final_model->train_rows : r.rows)
                                            .arg(scored, protocol_words(r.options)));
    finished_.clear();
  } else if (cancel_requested_) {
    state_ = State::cancelled;
    status_->setText(tr("Cancelled."));
  } else {
    state_ = State::failed;
    status_->setText(tr("Training failed: %1").arg(message));
  }
  job_ = nullptr;
  updateButtons();
  Q_EMIT trainingFinished(message);
}

}  // namespace genrelab::ui

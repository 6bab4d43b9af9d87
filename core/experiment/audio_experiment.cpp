#include "experiment/audio_experiment.h"

#include <chrono>
#include <cmath>
#include <mutex>

#include <nlohmann/json.hpp>

#include "features/log_mel_cache.h"
#include "ml/compare.h"
#include "stats/scores.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::experiment {
namespace {

/// Share of the progress bar for the log-mels; the rest goes to the folds and the final model.
constexpr double kMelShare = 0.1;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Passes every event on and keeps the final model's epochs.
class KeepFinalEpochs final : public ml::TrainingObserver {
 public:
  explicit KeepFinalEpochs(ml::TrainingObserver* next) : next_(next) {}
  void on_epoch(int fold, const ml::EpochStats& s) override {
    if (next_) next_->on_epoch(fold, s);
    if (fold == ml::kFinalFold) history.push_back(s);
  }
  void on_batch(int fold, const ml::BatchStats& s) override {
    if (next_) next_->on_batch(fold, s);
  }
  void on_fold(const ml::FoldReport& f) override {
    if (next_) next_->on_fold(f);
  }
  std::vector<ml::EpochStats> history;

 private:
  ml::TrainingObserver* next_;
};

/// The cross-validation as a table model's report: rows are log-mel patches (each held out once),
/// accuracy per fold is the patch accuracy with the track accuracies beside it (as for a 3-s
/// segment table), and the confusion matrix and per-genre scores count held-out tracks classified
/// by the mean probability of their patches (what compare ranks cnn2d by).
ml::TrainingReport training_report(const ml::AudioCnnReport& rep, const ml::AudioCnnOptions& options, bool final_model,
                                   const ml::TrainerOptions& described, std::optional<dataset::SplitAssignment> split) {
  ml::TrainingReport r;
  r.options.model = options.model;
  r.options.training = options.training;
  r.options.folds = options.folds;
  r.options.protocol = ml::SplitProtocol::grouped;
  r.options.split = described.split;
  r.options.rotate = described.rotate;
  r.options.final_model = final_model;
  r.protocol = rep.protocol_label;
  r.split = std::move(split);
  r.label_names = rep.label_names;
  r.folds = rep.fold_reports;
  if (described.split)
    for (auto& f : r.folds)  // split_fold_of(): the test part is fold 0 of 1, or part p is fold p of 3
      f.held_out = described.rotate ? std::string(dataset::to_string(static_cast<dataset::SplitPart>(f.fold))) : "test";
  for (const auto& f : r.folds) r.rows += f.test_rows;
  r.groups = r.tracks = rep.tracks;
  const auto patch = stats::mean_std(rep.patch_accuracy);
  r.mean_accuracy = patch.mean;
  r.std_accuracy = patch.std;
  const auto by_mean = stats::mean_std(rep.track_accuracy_mean);
  const auto by_vote = stats::mean_std(rep.track_accuracy_vote);
  r.mean_track_accuracy_mean = by_mean.mean;
  r.std_track_accuracy_mean = by_mean.std;
  r.mean_track_accuracy_vote = by_vote.mean;
  r.std_track_accuracy_vote = by_vote.std;
  r.confusion = rep.track_confusion;
  const std::size_t n = rep.label_names.size();
  if (n > 0 && rep.track_confusion.size() == n * n) {
    const auto scores = stats::compute_scores(stats::ConfusionMatrix::from_counts(rep.track_confusion, n));
    stats::score_columns(scores, r.precision, r.recall, r.f1, r.support);
    r.macro_f1 = scores.macro_f1;
  }
  r.seconds = rep.seconds;
  r.threads = r.threads_per_stage = options.training.threads;
  return r;
}

}  // namespace

AudioFolder scan_audio_folder(const std::filesystem::path& folder, const CancelToken* cancel) {
  auto scan = dataset::scan_dataset(
      folder, {.probe_audio = false, .jobs = 0, .loose_files_label = dataset::folder_label(folder)}, nullptr, cancel);
  AudioFolder out;
  for (const auto& t : scan.tracks) out.files.push_back({t.path.string(), t.label});
  out.skipped = std::move(scan.skipped);
  return out;
}

DecodedAudio decode_log_mels(const std::vector<ml::AudioFile>& files, features::LogMelCache& cache, int threads,
                             ProgressSink* progress, const CancelToken* cancel) {
  NullProgress none;
  std::vector<char> readable(files.size(), 0);
  DecodedAudio out;
  std::mutex mutex;
  ProgressCounter counter(progress ? *progress : none, files.size());
  parallel_for(
      files.size(), static_cast<unsigned>(std::max(threads, 1)),
      [&](std::size_t i) {
        try {
          cache.get(files[i].path);
          readable[i] = 1;
        } catch (const FileError& e) {
          const std::lock_guard lock(mutex);
          out.skipped.push_back({files[i].path, e.reason()});
        }
        counter.step(std::filesystem::path(files[i].path).filename().string());
      },
      cancel);
  if (cancel) cancel->check();
  for (std::size_t i = 0; i < files.size(); ++i)
    if (readable[i]) out.usable.push_back(files[i]);
  std::sort(out.skipped.begin(), out.skipped.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

AudioOutcome run_audio_experiment(const std::vector<ml::AudioFile>& files, features::LogMelCache& cache,
                                  const AudioExperiment& spec, ProgressSink* progress, const CancelToken* cancel,
                                  ml::TrainingObserver* observer) {
  spec.cnn.validate();
  NullProgress none;
  ProgressSink& out = progress ? *progress : none;
  AudioOutcome r;
  const auto start = std::chrono::steady_clock::now();
  std::vector<ml::AudioFile> usable;
  {
    // Each log-mel once (in parallel), shared by every fold and the final model.
    StageProgress mel(out, 0.0, kMelShare, "log-mel spectrograms: ");
    auto decoded = decode_log_mels(files, cache, spec.cnn.training.threads, &mel, cancel);
    usable = std::move(decoded.usable);
    r.skipped = std::move(decoded.skipped);
  }
  if (usable.empty()) throw std::invalid_argument("none of the audio files could be decoded");
  r.mel_seconds = seconds_since(start);

  ml::AudioCnnOptions o = spec.cnn;
  ml::TrainerOptions described;
  described.split = spec.protocol.split;
  described.rotate = spec.protocol.rotate;
  described.groups = spec.protocol.groups;
  described.folds = o.folds;
  o.protocol = ml::protocol_key(described);
  o.protocol_label = ml::protocol_label(described);
  std::vector<ml::AudioFile> final_files = usable;
  if (described.split) {
    // The split's parts of the decoded files; the final model learns from train+valid (the test part's model).
    r.assignment.emplace();
    auto folds = ml::split_fold_of(*described.split, described.rotate, usable, &*r.assignment);
    o.fold_of = std::move(folds.fold_of);
    o.folds = folds.folds;
    final_files.clear();
    for (std::size_t i = 0; i < usable.size(); ++i)
      if (r.assignment->part_of_row[i] == 0 || r.assignment->part_of_row[i] == 1) final_files.push_back(usable[i]);
  } else if (spec.table_folds) {  // the table models' folds: the same held-out tracks
    o.fold_of = ml::audio_folds(*spec.table_folds->table, spec.table_folds->fold_of_row, usable);
  } else if (described.groups) {
    o.fold_of = ml::grouped_fold_of(*described.groups, usable, o.folds, o.training.seed);
  }
  // The folds and the final model share the rest of the bar by their trainings.
  const double stages = o.folds + (spec.final_model ? 1.0 : 0.0);
  const double folds_end = kMelShare + (1.0 - kMelShare) * o.folds / stages;
  KeepFinalEpochs keep(observer);
  {
    StageProgress sink(out, kMelShare, folds_end);
    r.report = ml::cross_validate_audio_cnn(usable, cache, o, &sink, cancel, &keep);
  }
  r.training = training_report(r.report, o, spec.final_model, described, r.assignment);
  if (spec.final_model) {
    StageProgress sink(out, folds_end, 1.0);
    const auto final_start = std::chrono::steady_clock::now();
    ml::ModelBundle bundle = ml::train_audio_cnn(final_files, cache, o, &sink, cancel, &keep);
    ml::FoldReport f;
    f.fold = ml::kFinalFold;
    f.train_rows = bundle.report.value("training_patches", std::size_t{0});
    f.accuracy = f.loss = f.track_accuracy_mean = f.track_accuracy_vote = std::nan("");
    f.history = std::move(keep.history);
    f.epochs_run = f.best_epoch = static_cast<int>(f.history.size());
    f.seconds = seconds_since(final_start);
    r.training.seconds += f.seconds;
    r.training.final_model = std::move(f);
    r.training.row_length = bundle.row_length;
    // The bundle's report says how the recipe was cross-validated.
    nlohmann::json cv = ml::summary_json(r.report);
    cv["input"] = spec.input;
    if (r.assignment) cv["split"] = dataset::describe(*r.assignment);
    cv["final"] = bundle.report;
    bundle.report = std::move(cv);
    r.bundle = std::move(bundle);
  }
  r.final_tracks = final_files.size();
  r.options = std::move(o);
  return r;
}

nlohmann::json audio_report_json(const AudioOutcome& outcome) {
  const auto& rep = outcome.report;
  const auto& o = outcome.options;
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : outcome.skipped) skipped.push_back(s.path.string() + ": " + s.reason);
  return {{"input", "audio"},
          {"crops_per_track", o.crops_per_track},
          {"noise_db", o.noise_db},
          {"max_band_shift", o.max_band_shift},
          {"max_level_db", o.max_level_db},
          {"audio_copies", o.audio_copies},
          {"patch_accuracy", rep.patch_accuracy},
          {"track_accuracy_mean", rep.track_accuracy_mean},
          {"track_accuracy_vote", rep.track_accuracy_vote},
          {"track_confusion", rep.track_confusion},
          {"track_macro_f1", rep.track_macro_f1},
          {"tracks", rep.tracks},
          {"patches_per_epoch", rep.patches_per_epoch},
          {"seconds_per_epoch", rep.train_seconds_per_epoch},
          {"augmented_copies", rep.augmented_copies},
          {"skipped", std::move(skipped)}};
}

}  // namespace genrelab::experiment

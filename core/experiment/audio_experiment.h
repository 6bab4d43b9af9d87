// A cnn2d experiment on audio files, from its description to its reports: the log-mel spectrograms
// (each once, in parallel; undecodable files are left out with their reason), the folds of the
// protocol (a split's parts, the table models' folds, a group file's or the CNN's own track folds),
// the cross-validation, and optionally the final model as a bundle. The Training view, and
// genrelab-cli train-audio and compare, are its clients.
// Thread-safety: run on any thread; the sink and observer are called from the training threads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "dataset/dataset_scan.h"
#include "dataset/split_lists.h"
#include "ml/audio_cnn.h"
#include "ml/model_bundle.h"
#include "ml/trainer.h"
#include "util/progress_fwd.h"

namespace genrelab {
namespace dataset {
class FeatureTable;
}
namespace features {
class LogMelCache;
}
}  // namespace genrelab

namespace genrelab::experiment {

/// The audio files of a folder as dataset::scan_dataset finds them (<label>/<file>, or loose files
/// labelled with the folder's name), in its order, and the files it passed over with their reason.
struct AudioFolder {
  std::vector<ml::AudioFile> files;
  std::vector<dataset::SkippedFile> skipped;
};
/// Throws FileError for a folder that cannot be read, Cancelled.
AudioFolder scan_audio_folder(const std::filesystem::path& folder, const CancelToken* cancel = nullptr);

/// The files whose log-mel spectrogram could be computed (into the cache), in input order, and
/// the others with their reason, sorted by path.
struct DecodedAudio {
  std::vector<ml::AudioFile> usable;
  std::vector<dataset::SkippedFile> skipped;
};
/// Computes every file's log-mel spectrogram into `cache` on `threads` threads. Throws Cancelled.
DecodedAudio decode_log_mels(const std::vector<ml::AudioFile>& files, features::LogMelCache& cache, int threads,
                             ProgressSink* progress, const CancelToken* cancel);

/// The folds a compare run's cnn2d takes from the table models: the tracks each fold held out.
struct TableFolds {
  const dataset::FeatureTable* table = nullptr;
  std::vector<int> fold_of_row;  ///< ml::Leaderboard::fold_of_row
};

struct AudioExperiment {
  ml::AudioCnnOptions cnn;  ///< model, training (seed, threads), folds, augmentation
  /// The protocol: a split (and its rotation) or a group file, else track folds (cnn.folds).
  /// Only split, rotate and groups are read.
  ml::TrainerOptions protocol;
  std::optional<TableFolds> table_folds;  ///< without a split: hold out the table models' tracks
  bool final_model = false;               ///< also train the model to keep (on train+valid of a split, else every file)
  std::string input;                      ///< the input as reports name it (a folder, "audio of <dataset>")
};

struct AudioOutcome {
  ml::AudioCnnOptions options;  ///< as run: folds, fold_of and the protocol's words filled in
  ml::AudioCnnReport report;    ///< the cross-validation
  /// The same as a table model's report: patch rows, track accuracies beside them, the confusion
  /// matrix and scores of the held-out tracks (by mean patch probability); the final model's epochs.
  ml::TrainingReport training;
  /// The final model; its report: ml::summary_json of the cross-validation, "input", "split", "final".
  std::optional<ml::ModelBundle> bundle;
  std::size_t final_tracks = 0;                        ///< the tracks the final model learnt from
  std::vector<dataset::SkippedFile> skipped;           ///< undecodable files, left out
  std::optional<dataset::SplitAssignment> assignment;  ///< how the files fell into the split's parts
  double mel_seconds = 0.0;                            ///< computing the log-mels (before the folds)
};

/// Runs the experiment: 10 % of the progress for the log-mels, the rest for the folds and the
/// final model by their epochs. The observer sees every fold's epochs and the final model's as
/// ml::kFinalFold. Throws std::invalid_argument for bad options, when no file can be decoded or a
/// split part or fold is empty; Cancelled.
AudioOutcome run_audio_experiment(const std::vector<ml::AudioFile>& files, features::LogMelCache& cache,
                                  const AudioExperiment& spec, ProgressSink* progress = nullptr,
                                  const CancelToken* cancel = nullptr, ml::TrainingObserver* observer = nullptr);

/// The options and track-level results of a cnn2d run, for the Training view's report JSON.
nlohmann::json audio_report_json(const AudioOutcome& outcome);

}  // namespace genrelab::experiment

// The leaderboard: several model presets (model_presets.h) cross-validated under the same folds
// (same seed, same grouping protocol, so every model sees the same test rows), one row per model
// with mean ± std accuracy, macro-F1, track-level accuracy for segment tables, and training time;
// optionally repeated with other seeds (other folds), since one split of 1000 clips moves the
// means by a point or two.
// The GUI's training view and `genrelab-cli compare` both show it. Both can add a row for cnn2d,
// the 2-D CNN that learns from the audio files (ml/audio_cnn.h): match_audio_to_table() and
// audio_folds() give it the table models' folds per file, audio_cnn_row() and insert_row() rank it.
// Thread-safety: compare_models() may run on any thread; the sink and observer are called from
// the training threads, one call at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ml/model_presets.h"
#include "ml/trainer.h"
#include "util/progress_fwd.h"

namespace genrelab::ml {

struct AudioCnnOptions;
struct AudioCnnReport;
struct AudioFile;

struct CompareOptions {
  std::vector<std::string> models;  ///< preset names (model_preset_names()); empty = all presets
  int folds = 5;                    ///< 2..100
  FeatureSet features = FeatureSet::all;
  SplitProtocol protocol = SplitProtocol::grouped;
  std::uint64_t seed = 42;  ///< folds and every model's weights
  /// Repeated cross-validation: repeat r (0-based) draws its folds and weights from seed + r, so
  /// every model sees the same folds in each repeat. 1..100.
  int repeats = 1;
  int threads = 1;  ///< TrainParams::threads of each model
  /// The protocol beyond folds (TrainerOptions): a group file for grouped folds, or a predefined
  /// split (every model gets the same parts; `folds` is then unused), optionally rotated.
  std::optional<dataset::GroupFile> groups;
  std::optional<dataset::SplitLists> split;
  bool rotate = false;

  /// Throws std::invalid_argument naming an unknown model or a bad option.
  void validate() const;
  /// Trainer options carrying this comparison's protocol (for protocol_label(), protocol_key()).
  TrainerOptions protocol_options() const;
};

struct LeaderboardRow {
  std::string model;           ///< preset name
  std::string description;     ///< preset description
  std::string defaults_from;   ///< ModelPreset::defaults_from
  std::string protocol;        ///< protocol_key(): "grouped", "leaky", "groups", "split" or "rotation"
  std::string protocol_label;  ///< protocol_label(): the protocol in words
  int folds = 0;               ///< held-out folds or parts per repeat
  /// Over every test fold of every repeat (std: population, ddof 0).
  double mean_accuracy = 0.0, std_accuracy = 0.0;
  /// Of the confusion summed over the test folds; with repeats, the mean over repeats.
  double macro_f1 = 0.0;
  /// Tables with several rows per track (3-s segments): track-level accuracy by mean probability
  /// and by majority vote (trainer.h); equal to mean_accuracy for one row per track. With
  /// repeats, the mean over repeats.
  double track_accuracy_mean = 0.0, track_accuracy_vote = 0.0;
  /// Split protocols: accuracy of the chosen settings where they were chosen (valid part, or the
  /// rotation's inner folds), mean over parts and repeats; NaN for folds.
  double validation_accuracy = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> fold_accuracies;    ///< repeat by repeat, fold by fold
  std::vector<double> repeat_accuracies;  ///< mean accuracy of each repeat (seed + r)
  double std_over_repeats = 0.0;          ///< population std of repeat_accuracies (0 for one repeat)
  double seconds = 0.0;                   ///< wall time of this model's folds, all repeats
  TrainingReport report;                  ///< the first repeat's (seed): confusion, per-genre scores, histories
};

struct Leaderboard {
  std::vector<LeaderboardRow> rows;  ///< in ranks_before() order (ties: the order requested)
  std::size_t table_rows = 0, tracks = 0, groups = 0;
  std::vector<std::string> label_names;
  std::vector<int> fold_of_row;  ///< the folds every model used (in the first repeat)
  std::string protocol;          ///< protocol_key() of the run
  std::string protocol_label;    ///< protocol_label() of the run
  /// Split protocols: rows per part, rows in no list, list entries without rows (dataset::describe());
  /// group files: groups and rows without a group. Empty for plain folds.
  std::string data_note;
  int repeats = 1;
  double seconds = 0.0;
};

/// Cross-validates each requested preset (no final model) on `table`. Progress: each model gets
/// an equal share, with its name in the message; `observer` sees every model's epochs in turn.
/// Throws Cancelled when `cancel` is set, std::invalid_argument for bad options or a table the
/// models cannot use.
Leaderboard compare_models(const dataset::FeatureTable& table, const CompareOptions& options,
                           ProgressSink* progress = nullptr, const CancelToken* cancel = nullptr,
                           TrainingObserver* observer = nullptr);

/// How a dataset's audio files line up with the tracks of a feature table: a file and a row belong
/// together when their labels are equal and dataset::parse_track_key() of their file names gives
/// the same track id ("blues.00000.wav" is the track of the rows "blues.00000.wav" and
/// "blues.00000.3.wav").
struct AudioTableMatch {
  std::size_t tracks = 0;                         ///< distinct tracks of the table
  std::vector<std::ptrdiff_t> row_of_file;        ///< per file: the first table row of its track, or -1
  std::vector<std::string> tracks_without_audio;  ///< "label/track id" of table tracks no file has, table order
  std::vector<std::size_t> files_without_rows;    ///< indices of the files no table row matched
  std::vector<std::size_t> duplicate_files;       ///< indices of files whose track an earlier file already has
  /// Every track of the table has exactly one audio file (files without rows may remain).
  bool covers_table() const noexcept { return tracks_without_audio.empty() && duplicate_files.empty(); }
};
AudioTableMatch match_audio_to_table(const dataset::FeatureTable& table, const std::vector<AudioFile>& files);

/// AudioCnnOptions::fold_of for `files`: the fold of each file's track under `fold_of_row` (the
/// folds the table models used: Leaderboard::fold_of_row), so cnn2d holds out the same tracks.
/// Throws std::invalid_argument "<path>: no fold (not in the feature table)" for the first file
/// without rows, and naming the track when its rows sit in several folds (leaky folds) or when
/// fold_of_row does not have one fold per table row.
std::vector<int> audio_folds(const dataset::FeatureTable& table, const std::vector<int>& fold_of_row,
                             const std::vector<AudioFile>& files);

/// The leaderboard row of a cnn2d cross-validation: accuracy per fold, mean and std (ddof 0) are
/// the held-out tracks' (each classified by the mean probability of its patches), macro-F1 the
/// held-out tracks' (AudioCnnReport::track_macro_f1), protocol "grouped", one repeat; the
/// description names the options. `report` stays empty (the trainer's report is for tables).
LeaderboardRow audio_cnn_row(const AudioCnnReport& report, const AudioCnnOptions& options);

/// The leaderboard's order: by validation accuracy where there is one (split protocols: the score
/// a user may choose a model by, never the test part's; rows without one after those with one),
/// then by mean accuracy (folds: the held-out folds').
bool ranks_before(const LeaderboardRow& a, const LeaderboardRow& b);

/// Adds `row` in rank order (before the first row it ranks_before(), so after its ties) and its
/// seconds to board.seconds.
void insert_row(Leaderboard& board, LeaderboardRow row);

/// {"models": [{model, description, protocol, folds, mean_accuracy, std_accuracy, macro_f1,
/// track_accuracy_mean, track_accuracy_vote, fold_accuracies, repeat_accuracies,
/// std_over_repeats, seconds, leaky, report}], rows, tracks, groups, labels, repeats, seconds}.
nlohmann::json to_json(const Leaderboard& board);

}  // namespace genrelab::ml

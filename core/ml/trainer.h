// Honest cross-validation of a genre classifier on a feature table, then a final model on all
// rows. Per fold: the feature subset, the study's redundancy filter and the standardisation are
// fitted on the training rows only (never on the test fold, nor on a validation split); rows
// that belong together (segments of one track, identical duplicate rows) stay in one fold.
// Deterministic: the same table, options and seed give the same folds, weights and accuracies
// on the same machine with the same thread count.
// Thread-safety: train_and_evaluate() may run on any thread; runs on different threads are
// independent (the torch thread count is set for the calling thread only).
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataset/group_file.h"
#include "dataset/split_lists.h"
#include "ml/classifier.h"
#include "ml/model_bundle.h"
#include "ml/model_spec.h"
#include "ml/network.h"
#include "stats/redundancy_filter.h"
#include "util/progress_fwd.h"

namespace genrelab::dataset {
struct FeatureTable;
}

namespace genrelab::ml {

/// Which table columns feed the model.
enum class FeatureSet {
  all,       ///< every feature column
  filtered,  ///< after the redundancy filter (the study: |r| >= 0.8 among the non-MFCC columns)
  mfcc,      ///< the 40 MFCC mean/var columns only (the study's ablation)
};
std::string_view to_string(FeatureSet set) noexcept;
/// "all", "filtered", "mfcc"; nullopt otherwise.
std::optional<FeatureSet> parse_feature_set(std::string_view text) noexcept;

/// How rows are split into folds.
enum class SplitProtocol {
  /// Rows of one track (3-s segments of a clip) and identical rows stay in one fold: honest.
  grouped,
  /// Every row on its own: segments of one track land in training and test folds, so the test
  /// fold holds near-copies of training rows (the optimistic ~90 % of many notebooks). Reports
  /// always label it "leaky".
  leaky,
};
std::string_view to_string(SplitProtocol protocol) noexcept;
/// "grouped", "leaky"; nullopt otherwise.
std::optional<SplitProtocol> parse_split_protocol(std::string_view text) noexcept;

/// One configuration of a hyper-parameter search. Its training seed and threads are replaced by
/// the run's (TrainerOptions::training); a validation split is not used inside the search.
struct SearchCandidate {
  std::string name;  ///< e.g. "mlp 512x256 d0.5 wd1e-3"
  ModelParams model;
  TrainParams training;
};

struct TrainerOptions {
  ModelParams model;
  TrainParams training;
  int folds = 5;  ///< 2..100
  FeatureSet features = FeatureSet::all;
  stats::RedundancyOptions filter;  ///< for FeatureSet::filtered (default: the study's 0.8, non-MFCC scope)
  /// Keep rows with identical feature values in one fold (GTZAN's repeated clips).
  bool group_duplicates = true;
  SplitProtocol protocol = SplitProtocol::grouped;
  /// Groups from a file (dataset/group_file.h, e.g. artists): with SplitProtocol::grouped the
  /// folds also keep each of its groups on one side (merged with the track and duplicate groups).
  std::optional<dataset::GroupFile> groups;
  /// A predefined split (dataset/split_lists.h) instead of folds (`folds` is then unused): the
  /// settings (search candidate; with validation_fraction > 0, the early-stopping epoch) are
  /// chosen by fitting on the train part and scoring the valid part only, then the model is refitted on
  /// train+valid with them and scored once on the test part (the final model). Rows in no list are
  /// left out. With `rotate`, each part is the held-out part in turn and the settings are chosen on 2
  /// inner folds made of the other two parts (fit on one, score the other, both ways); the final
  /// model is the one whose held-out part is test. Not with SplitProtocol::leaky or `groups`.
  std::optional<dataset::SplitLists> split;
  bool rotate = false;
  /// Hyper-parameter search: when not empty, every fold (and the final model) first scores each
  /// candidate by its mean accuracy over `search_folds` grouped, stratified inner folds of its
  /// own training rows only (never its test fold), then trains the best one (ties: the first) on
  /// all its training rows. `model` and `training` (except seed and threads) are then unused.
  std::vector<SearchCandidate> search;
  int search_folds = 3;  ///< 2..20
  /// After the folds, train the model to keep on all rows.
  bool final_model = true;
  /// How the table was extracted (features::read_sidecar_params): goes into the bundle so that
  /// prediction extracts the same way. Unset: not recorded (librosa's defaults are assumed).
  std::optional<features::ExtractionParams> extraction;
  /// Minimum time between per-batch reports.
  std::chrono::milliseconds batch_interval{200};

  /// Throws std::invalid_argument naming the first bad option.
  void validate() const;
};

/// The protocol of `options` in a few words, saying whether test artists can also be in training:
/// "unseen artists (fault-filtered split, test part)", "unseen artists (fault-filtered split,
/// rotation)", "predefined split <name> (test part)", "folds grouped by <column> (<file>)",
/// "track-grouped folds: same artists in training and test (optimistic)", "LEAKY folds: segments of
/// a track in training and test (optimistic)".
std::string protocol_label(const TrainerOptions& options);
/// The held-out rows in a heading: protocol_label() for a split, else "<folds> " before it
/// ("5 track-grouped folds: same artists in training and test (optimistic)").
std::string protocol_heading(const TrainerOptions& options);
/// A short key for reports and JSON: "grouped", "leaky", "groups" (group file), "split" (a
/// predefined split's test part) or "rotation" (each part of a split held out in turn).
std::string protocol_key(const TrainerOptions& options);

/// The fold index reported while the final model trains on all rows.
inline constexpr int kFinalFold = -1;

/// Results of one fold (or of the final model, fold == kFinalFold, no test rows).
struct FoldReport {
  int fold = 0;
  std::size_t train_rows = 0, validation_rows = 0, test_rows = 0;
  double accuracy = 0.0;  ///< on the test fold (NaN for the final model)
  double loss = 0.0;      ///< mean cross-entropy on the test fold (NaN for the final model)
  /// Tracks among the test rows (dataset::parse_track_key of the filenames) and their accuracy
  /// when each track is classified by the mean probability of its test rows, or by the majority
  /// vote of their top genres (track_vote.h). Equal to `accuracy` for one row per track. NaN for
  /// the final model.
  std::size_t test_tracks = 0;
  double track_accuracy_mean = 0.0;
  double track_accuracy_vote = 0.0;
  int best_epoch = 0;
  int epochs_run = 0;
  bool stopped_early = false;
  double seconds = 0.0;
  std::vector<std::string> input_features;    ///< columns fed to the network, in order
  std::vector<std::string> dropped_features;  ///< columns left out (subset and filter)
  std::vector<double> scaler_mean;            ///< per input feature, fitted on the training rows only
  std::vector<double> scaler_scale;
  std::vector<EpochStats> history;
  /// With a search: the candidate this stage chose, and every candidate's inner mean accuracy.
  std::string chosen;
  std::vector<double> search_scores;
  std::optional<TrainParams> chosen_training;  ///< the chosen candidate's training (seed, threads: the run's)
  /// Split protocols: the part held out and scored ("test", or with rotation "train"/"valid"), and
  /// the accuracy of the chosen settings where they were chosen (fit on train, scored on valid;
  /// rotation: the mean of the 2 inner folds). NaN for folds.
  std::string held_out;
  double validation_accuracy = std::numeric_limits<double>::quiet_NaN();
};

/// Receives progress on the training thread.
class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  /// fold: 0-based, or kFinalFold.
  virtual void on_epoch(int /*fold*/, const EpochStats&) {}
  virtual void on_batch(int /*fold*/, const BatchStats&) {}
  virtual void on_fold(const FoldReport&) {}
};

/// How one held-out row was classified (the rows behind a confusion-matrix cell).
struct HeldOutPrediction {
  std::size_t row = 0;      ///< table row
  int truth = 0;            ///< true genre (label_names index)
  int predicted = 0;        ///< predicted genre
  double confidence = 0.0;  ///< the model's probability of the predicted genre
};

struct TrainingReport {
  TrainerOptions options;
  std::vector<std::string> label_names;  ///< class code -> genre (order of first appearance)
  std::size_t rows = 0;
  std::size_t groups = 0;       ///< groups of rows kept together
  std::int64_t row_length = 0;  ///< median `length` of the table's rows (the training unit)
  std::string protocol;         ///< protocol_label(options)
  /// Split protocols: how the rows fell into the parts (rows left out, list entries without rows).
  std::optional<dataset::SplitAssignment> split;
  /// With a group file: its groups over the rows.
  std::optional<dataset::GroupAssignment> file_groups;
  /// Split protocols: mean of FoldReport::validation_accuracy (NaN for folds).
  double mean_validation_accuracy = std::numeric_limits<double>::quiet_NaN();
  /// Held-out fold (split protocols: scored part, 0-based in `folds`) of every table row; -1 for a
  /// row never held out (split protocols: train/valid rows of the official split, rows in no list).
  std::vector<int> fold_of_row;
  std::vector<FoldReport> folds;
  double mean_accuracy = 0.0;
  double std_accuracy = 0.0;  ///< population std over folds (ddof = 0, numpy's default)
  std::size_t tracks = 0;     ///< distinct tracks (segments of one track count once)
  /// Track-level accuracy over folds (FoldReport::track_accuracy_*), mean and population std.
  double mean_track_accuracy_mean = 0.0, std_track_accuracy_mean = 0.0;
  double mean_track_accuracy_vote = 0.0, std_track_accuracy_vote = 0.0;
  std::vector<std::int64_t> confusion;  ///< summed over the folds' test rows; row-major, rows = true genre
  /// Every held-out row's prediction, fold by fold (what `confusion` counts).
  std::vector<HeldOutPrediction> held_out;
  std::vector<double> precision, recall, f1;  ///< per genre, from `confusion`
  std::vector<std::int64_t> support;
  double macro_f1 = 0.0;
  std::optional<FoldReport> final_model;
  double seconds = 0.0;       ///< wall time of the folds and the final model
  int threads = 1;            ///< TrainParams::threads
  int stage_jobs = 1;         ///< folds (and final model) trained at once
  int threads_per_stage = 1;  ///< torch compute threads of each
  std::string blas;
};

/// How train_and_evaluate() spends TrainParams::threads on `stages` independent trainings (the
/// folds and the final model): min(threads, stages) train at once, each with
/// max(1, threads / that) compute threads. The study's CNN is too small to gain from splitting its
/// operations: two folds at once on two threads take about half the time of one fold on two.
struct ThreadSplit {
  int stage_jobs = 1;
  int threads_per_stage = 1;
};
ThreadSplit split_threads(int threads, int stages);

/// The held-out rows of confusion cell (truth, predicted), most confident first.
std::vector<HeldOutPrediction> held_out_in_cell(const TrainingReport& report, int truth, int predicted);

/// JSON with folds[].accuracy, mean_accuracy, std_accuracy, labels, confusion, per_genre[], seconds,
/// the options, and per-epoch histories.
nlohmann::json to_json(const TrainingReport& report);

struct TrainingResult {
  TrainingReport report;
  std::optional<Classifier> model;  ///< the final model (when TrainerOptions::final_model)

  /// The final model with its parameters, preprocessing and report. Throws std::logic_error
  /// without a final model.
  ModelBundle bundle();
};

/// The group of every row under `options`: row_groups() for SplitProtocol::grouped (merged with
/// the group file's groups when there is one), one group per row for SplitProtocol::leaky.
std::vector<int> split_groups(const dataset::FeatureTable& table, const TrainerOptions& options);

/// The held-out fold of every row for these options (what train_and_evaluate() uses; split
/// protocols: TrainingReport::fold_of_row).
std::vector<int> make_folds(const dataset::FeatureTable& table, const TrainerOptions& options);

/// Cross-validates, then trains the final model; folds train at once as split_threads() says.
/// Progress: fraction over all epochs of all folds and the final model, with a message per epoch
/// and (rate-limited) per batch; the observer and the sink are called from the training threads,
/// one call at a time. Throws Cancelled
/// within one batch of `cancel` being set, std::invalid_argument for bad options or a table
/// the options cannot use (too few rows or groups, no MFCC columns, input too short for the CNN).
TrainingResult train_and_evaluate(const dataset::FeatureTable& table, const TrainerOptions& options,
                                  ProgressSink* progress = nullptr, TrainingObserver* observer = nullptr,
                                  const CancelToken* cancel = nullptr);

}  // namespace genrelab::ml

// A leaderboard from its description: the table models (ml::compare_models, the same held-out rows
// for each) and optionally the 2-D log-mel CNN on the audio of the same tracks, held out like the
// table models' folds (or the split's parts), ranked with them. The Training view's Leaderboard
// tab and genrelab-cli compare are its clients.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "experiment/audio_experiment.h"
#include "ml/compare.h"

namespace genrelab::experiment {

struct ComparisonSpec {
  ml::CompareOptions table;  ///< the table models and the protocol (folds, groups, split, seed, repeats)
  bool table_models = true;  ///< false: cnn2d alone (table.models is then ignored)
  /// cnn2d on these files (one per track; ranked after the table models). Its experiment's
  /// protocol and table folds are filled in from `table` and the table models' folds.
  struct Cnn2d {
    std::vector<ml::AudioFile> files;
    AudioExperiment experiment;
  };
  std::optional<Cnn2d> cnn2d;
};

struct Comparison {
  ml::Leaderboard board;
  std::optional<AudioOutcome> cnn2d;
  /// Why cnn2d has no row (its failure; the table models' rows stand). Empty when it ran or was not asked for.
  std::string cnn2d_error;
};

/// Runs the comparison. Progress: an equal share per model (cnn2d included), the cnn2d share
/// prefixed "cnn2d (k/k): ". The observer sees cnn2d's epochs (the table models report none).
/// Throws what ml::compare_models throws, and Cancelled; cnn2d's own failures go to cnn2d_error.
Comparison run_comparison(const dataset::FeatureTable& table, const ComparisonSpec& spec,
                          ProgressSink* progress = nullptr, const CancelToken* cancel = nullptr,
                          ml::TrainingObserver* observer = nullptr);

}  // namespace genrelab::experiment

// Track-level scores from per-row (per-segment) predictions: a held-out track is classified by
// the mean of its rows' probabilities, and by the majority vote of its rows' top genres. Used to
// score segment models (3-s rows) on whole tracks next to their segment accuracy.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace genrelab::ml {

struct TrackScores {
  std::size_t tracks = 0;              ///< distinct track ids among the rows
  std::size_t correct_mean = 0;        ///< tracks whose mean probability peaks at their genre
  std::size_t correct_vote = 0;        ///< tracks whose vote elects their genre
  double accuracy_mean = 0.0;          ///< correct_mean / tracks (NaN without rows)
  double accuracy_vote = 0.0;          ///< correct_vote / tracks (NaN without rows)
  std::vector<std::string> track_ids;  ///< in order of first row
  std::vector<int> track_labels;       ///< true genre of each track (the majority of its rows' labels)
  std::vector<int> predicted_mean;     ///< per track
  std::vector<int> predicted_vote;     ///< per track
};

/// Aggregates rows into tracks. `probabilities` is rows x n_classes, row-major. A vote tie goes
/// to the tied genre with the highest mean probability (then the lowest code); the true genre of
/// a track whose rows disagree (not in GTZAN) is their most frequent label (ties: lowest code).
/// Throws std::invalid_argument when sizes differ or a label is outside [0, n_classes).
TrackScores track_scores(std::span<const std::string> track_ids, std::span<const int> labels,
                         std::span<const float> probabilities, std::size_t n_classes);

}  // namespace genrelab::ml

#include "ml/track_vote.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <unordered_map>

namespace genrelab::ml {

TrackScores track_scores(std::span<const std::string> track_ids, std::span<const int> labels,
                         std::span<const float> probabilities, std::size_t n_classes) {
  const std::size_t rows = track_ids.size();
  if (labels.size() != rows) throw std::invalid_argument("track_scores: one label per row needed");
  if (n_classes == 0 || probabilities.size() != rows * n_classes)
    throw std::invalid_argument("track_scores: probabilities must be rows x classes");
  for (int l : labels)
    if (l < 0 || static_cast<std::size_t>(l) >= n_classes)
      throw std::invalid_argument("track_scores: label out of range");

  TrackScores s;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::vector<double>> prob_sum, votes, label_count;
  for (std::size_t r = 0; r < rows; ++r) {
    auto [it, fresh] = index.try_emplace(track_ids[r], s.track_ids.size());
    if (fresh) {
      s.track_ids.push_back(track_ids[r]);
      prob_sum.emplace_back(n_classes, 0.0);
      votes.emplace_back(n_classes, 0.0);
      label_count.emplace_back(n_classes, 0.0);
    }
    const std::size_t t = it->second;
    const float* p = probabilities.data() + r * n_classes;
    std::size_t top = 0;
    for (std::size_t c = 0; c < n_classes; ++c) {
      prob_sum[t][c] += static_cast<double>(p[c]);
      if (p[c] > p[top]) top = c;
    }
    votes[t][top] += 1.0;
    label_count[t][static_cast<std::size_t>(labels[r])] += 1.0;
  }
  // The first largest entry; `tie_break` orders equal entries (higher first).
  const auto argmax = [n_classes](const std::vector<double>& v, const std::vector<double>* tie_break) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < n_classes; ++c) {
      if (v[c] > v[best] || (v[c] == v[best] && tie_break && (*tie_break)[c] > (*tie_break)[best])) best = c;
    }
    return static_cast<int>(best);
  };
  s.tracks = s.track_ids.size();
  for (std::size_t t = 0; t < s.tracks; ++t) {
    const int truth = argmax(label_count[t], nullptr);
    const int by_mean = argmax(prob_sum[t], nullptr);
    const int by_vote = argmax(votes[t], &prob_sum[t]);
    s.track_labels.push_back(truth);
    s.predicted_mean.push_back(by_mean);
    s.predicted_vote.push_back(by_vote);
    s.correct_mean += by_mean == truth ? 1 : 0;
    s.correct_vote += by_vote == truth ? 1 : 0;
  }
  const double n = static_cast<double>(s.tracks);
  s.accuracy_mean = s.tracks ? static_cast<double>(s.correct_mean) / n : std::numeric_limits<double>::quiet_NaN();
  s.accuracy_vote = s.tracks ? static_cast<double>(s.correct_vote) / n : std::numeric_limits<double>::quiet_NaN();
  return s;
}

}  // namespace genrelab::ml

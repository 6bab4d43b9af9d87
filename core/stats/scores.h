// Classification scores as scikit-learn 1.2 computes them with labels=range(n_classes) and
// zero_division=0: confusion matrix (rows = true class, columns = predicted class), accuracy,
// per-class precision / recall / F1 / support, and macro averages (unweighted means over all
// n_classes classes, including classes with no rows or no predictions, which score 0).
// Scores are fractions in [0, 1], never NaN.
// Thread-safety: ConfusionMatrix is immutable after construction; functions are pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace genrelab::stats {

class ConfusionMatrix {
 public:
  /// Counts pairs (truth[i], predicted[i]). Throws std::invalid_argument when the spans differ in
  /// length or are empty, n_classes is 0, or a label is outside [0, n_classes).
  ConfusionMatrix(std::span<const int> truth, std::span<const int> predicted, std::size_t n_classes);
  /// From row-major counts (n_classes^2 values >= 0, at least one > 0), e.g. a sum over folds.
  static ConfusionMatrix from_counts(std::vector<std::int64_t> counts, std::size_t n_classes);

  std::size_t classes() const noexcept { return n_; }
  std::int64_t count(std::size_t truth, std::size_t predicted) const { return counts_.at(truth * n_ + predicted); }
  std::int64_t total() const noexcept { return total_; }
  /// Row-major n_classes x n_classes.
  const std::vector<std::int64_t>& counts() const noexcept { return counts_; }

 private:
  ConfusionMatrix(std::vector<std::int64_t> counts, std::size_t n);
  std::vector<std::int64_t> counts_;
  std::size_t n_;
  std::int64_t total_ = 0;
};

struct ClassScores {
  double precision = 0.0;    ///< tp / (tp + fp); 0 when the class was never predicted
  double recall = 0.0;       ///< tp / (tp + fn); 0 when the class has no rows
  double f1 = 0.0;           ///< 2 p r / (p + r); 0 when p + r = 0
  std::int64_t support = 0;  ///< rows of this class
};

struct Scores {
  double accuracy = 0.0;
  std::vector<ClassScores> per_class;
  double macro_precision = 0.0;
  double macro_recall = 0.0;
  double macro_f1 = 0.0;  ///< mean of the per-class F1 (scikit-learn's average="macro")
};

Scores compute_scores(const ConfusionMatrix& confusion);

/// The per-class scores of `scores` as columns, in class order (the layout of the training and
/// evaluation reports): replaces the contents of the four vectors.
void score_columns(const Scores& scores, std::vector<double>& precision, std::vector<double>& recall,
                   std::vector<double>& f1, std::vector<std::int64_t>& support);

/// Mean and population standard deviation (ddof 0, numpy's default) of per-fold scores, as every
/// report prints them; both 0 without values.
struct MeanStd {
  double mean = 0.0;
  double std = 0.0;
};
MeanStd mean_std(std::span<const double> values);

}  // namespace genrelab::stats

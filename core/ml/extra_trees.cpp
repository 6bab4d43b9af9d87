#include "ml/extra_trees.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

#include "ml/folds.h"

namespace genrelab::ml {
namespace {

class Builder {
 public:
  Builder(ExtraTrees& forest, std::span<const float> x, std::size_t cols, std::span<const int> y, std::uint64_t seed)
      : f_(forest), x_(x), cols_(cols), y_(y), rng_(seed),
        max_features_(std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(static_cast<double>(cols))))),
        order_(cols) {
    std::iota(order_.begin(), order_.end(), std::size_t{0});
  }

  /// Grows a tree on `rows` and returns its root. Depth-first with an explicit stack (a tree on
  /// skewed rows may be thousands of levels deep), left before right: every internal node gets
  /// its index before its children.
  ExtraTrees::Ref grow_tree(std::vector<std::size_t>& rows) {
    struct Task {
      std::size_t first, last;  // the node's rows
      std::ptrdiff_t parent;    // the internal node it hangs from; -1 for the root
      bool left;                // which child of the parent it is
    };
    ExtraTrees::Ref root = 0;
    std::vector<Task> stack{{0, rows.size(), -1, false}};
    while (!stack.empty()) {
      const Task t = stack.back();
      stack.pop_back();
      const auto ref = split(rows, t.first, t.last);
      if (t.parent < 0) root = ref;
      else (t.left ? f_.left : f_.right)[static_cast<std::size_t>(t.parent)] = ref;
      if (ref < 0) continue;
      const auto mid = split_point_;
      stack.push_back({mid, t.last, ref, false});
      stack.push_back({t.first, mid, ref, true});
    }
    return root;
  }

 private:
  /// Makes the node of rows[first, last): a leaf, or an internal node whose rows it partitions
  /// (the left part ends at split_point_).
  ExtraTrees::Ref split(std::vector<std::size_t>& rows, std::size_t first, std::size_t last) {
    const std::size_t n = last - first;
    std::vector<double> counts(f_.classes, 0.0);
    for (std::size_t i = first; i < last; ++i) ++counts[static_cast<std::size_t>(y_[rows[i]])];
    const bool pure = std::count_if(counts.begin(), counts.end(), [](double c) { return c > 0; }) <= 1;
    if (pure || n < 2) return leaf(counts, n);

    // Features in random order until max_features of them vary here (scikit-learn's rule).
    double best_score = std::numeric_limits<double>::infinity();
    std::int32_t best_feature = -1;
    float best_threshold = 0.0f;
    std::size_t varying = 0;
    for (std::size_t k = 0; k < cols_ && varying < max_features_; ++k) {
      std::swap(order_[k], order_[k + rng_() % (cols_ - k)]);
      const std::size_t c = order_[k];
      float lo = std::numeric_limits<float>::infinity(), hi = -lo;
      for (std::size_t i = first; i < last; ++i) {
        const float v = at(rows[i], c);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      if (!(hi > lo)) continue;
      ++varying;
      float t = lo + static_cast<float>(std::uniform_real_distribution<double>(0.0, 1.0)(rng_)) * (hi - lo);
      if (t >= hi) t = lo;  // rounding: keep at least the maximum on the right
      std::vector<double> left(f_.classes, 0.0);
      double n_left = 0.0;
      for (std::size_t i = first; i < last; ++i)
        if (at(rows[i], c) <= t) {
          ++left[static_cast<std::size_t>(y_[rows[i]])];
          ++n_left;
        }
      const double n_right = static_cast<double>(n) - n_left;
      // Weighted Gini impurity n_l (1 - sum p_l^2) + n_r (1 - sum p_r^2), up to a constant.
      double sum_l = 0.0, sum_r = 0.0;
      for (std::size_t k2 = 0; k2 < f_.classes; ++k2) {
        sum_l += left[k2] * left[k2];
        sum_r += (counts[k2] - left[k2]) * (counts[k2] - left[k2]);
      }
      const double score = -(n_left > 0 ? sum_l / n_left : 0.0) - (n_right > 0 ? sum_r / n_right : 0.0);
      if (score < best_score) {
        best_score = score;
        best_feature = static_cast<std::int32_t>(c);
        best_threshold = t;
      }
    }
    if (best_feature < 0) return leaf(counts, n);  // every feature constant: identical rows

    const auto node = static_cast<ExtraTrees::Ref>(f_.feature.size());
    f_.feature.push_back(best_feature);
    f_.threshold.push_back(best_threshold);
    f_.left.push_back(0);
    f_.right.push_back(0);
    const auto mid = std::partition(
        rows.begin() + static_cast<std::ptrdiff_t>(first), rows.begin() + static_cast<std::ptrdiff_t>(last),
        [&](std::size_t r) { return at(r, static_cast<std::size_t>(best_feature)) <= best_threshold; });
    split_point_ = static_cast<std::size_t>(mid - rows.begin());
    return node;
  }

  float at(std::size_t row, std::size_t col) const { return x_[row * cols_ + col]; }
  ExtraTrees::Ref leaf(const std::vector<double>& counts, std::size_t n) {
    const auto index = static_cast<ExtraTrees::Ref>(f_.leaves());
    for (double c : counts) f_.leaf_proba.push_back(static_cast<float>(c / static_cast<double>(n)));
    return -1 - index;
  }

  ExtraTrees& f_;
  std::span<const float> x_;
  std::size_t cols_;
  std::span<const int> y_;
  std::mt19937_64 rng_;
  std::size_t max_features_;
  std::vector<std::size_t> order_;
  std::size_t split_point_ = 0;
};

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("extra-trees forest: " + what);
}

}  // namespace

ExtraTrees ExtraTrees::fit(std::span<const float> x, std::size_t rows, std::size_t cols, std::span<const int> y,
                           std::size_t classes, int trees, std::uint64_t seed) {
  require(rows > 0 && cols > 0 && x.size() == rows * cols && y.size() == rows,
          "sizes of the training rows do not agree");
  require(classes >= 1 && trees >= 1, "needs at least one class and one tree");
  for (int v : y) require(v >= 0 && static_cast<std::size_t>(v) < classes, "label out of range");
  ExtraTrees forest;
  forest.classes = classes;
  std::vector<std::size_t> order(rows);
  for (int t = 0; t < trees; ++t) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    Builder builder(forest, x, cols, y, mix_seed(seed, static_cast<std::uint64_t>(t)));
    forest.roots.push_back(builder.grow_tree(order));
  }
  return forest;
}

std::vector<float> ExtraTrees::predict_proba(std::span<const float> x, std::size_t rows, std::size_t cols) const {
  if (x.size() != rows * cols) throw std::invalid_argument("extra-trees forest: wrong input size");
  std::vector<double> sum(rows * classes, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = x.data() + r * cols;
    for (Ref ref : roots) {
      while (ref >= 0) {
        const auto n = static_cast<std::size_t>(ref);
        ref = row[static_cast<std::size_t>(feature[n])] <= threshold[n] ? left[n] : right[n];
      }
      const float* p = leaf_proba.data() + static_cast<std::size_t>(-1 - ref) * classes;
      for (std::size_t k = 0; k < classes; ++k) sum[r * classes + k] += static_cast<double>(p[k]);
    }
  }
  std::vector<float> out(sum.size());
  const auto trees = static_cast<double>(std::max<std::size_t>(roots.size(), 1));
  for (std::size_t i = 0; i < sum.size(); ++i) out[i] = static_cast<float>(sum[i] / trees);
  return out;
}

void ExtraTrees::validate(std::size_t cols) const {
  const std::size_t nodes = feature.size();
  require(classes >= 1 && !roots.empty(), "no classes or no trees");
  require(threshold.size() == nodes && left.size() == nodes && right.size() == nodes,
          "node arrays of different lengths");
  require(leaf_proba.size() % classes == 0 && leaves() > 0, "leaf table is not leaves x classes");
  const auto valid = [&](Ref ref, std::size_t after) {
    return ref >= 0 ? static_cast<std::size_t>(ref) < nodes && (after == nodes || static_cast<std::size_t>(ref) > after)
                    : static_cast<std::size_t>(-1 - static_cast<std::int64_t>(ref)) < leaves();
  };
  for (Ref r : roots) require(valid(r, nodes), "a root refers to no node");
  for (std::size_t n = 0; n < nodes; ++n) {
    require(feature[n] >= 0 && static_cast<std::size_t>(feature[n]) < cols,
            "node " + std::to_string(n) + " tests no input column");
    require(std::isfinite(threshold[n]), "node " + std::to_string(n) + " has a threshold that is not finite");
    require(valid(left[n], n) && valid(right[n], n),
            "node " + std::to_string(n) + " has a child out of range or before it");
  }
  for (float p : leaf_proba) require(std::isfinite(p) && p >= 0.0f && p <= 1.0f, "a leaf probability is not in [0, 1]");
}

}  // namespace genrelab::ml

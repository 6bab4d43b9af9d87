// Extremely randomised trees (Geurts, Ernst & Wehenkel, 2006), the classifier of scikit-learn's
// ExtraTreesClassifier with its defaults: every tree sees every training row (no bootstrap) and
// grows until its leaves are pure (or their rows identical); at each node it draws features in
// random order until sqrt(F) of them vary among the node's rows, draws one threshold uniformly
// between each one's minimum and maximum there, and keeps the split with the lowest weighted Gini
// impurity. A leaf holds the class frequencies of its rows; the forest's probabilities are the
// mean over trees. Torch-free; the kernel ridge classifier (network.cpp) averages its
// probabilities with a forest's.
// Thread-safety: fit() is pure; predict_proba() and validate() only read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace genrelab::ml {

struct ExtraTrees {
  /// A reference to a node: >= 0 is an internal node's index, < 0 the leaf -1 - ref.
  using Ref = std::int32_t;
  std::vector<Ref> roots;             ///< per tree
  std::vector<std::int32_t> feature;  ///< per internal node: the input column it tests
  std::vector<float> threshold;       ///< per internal node: x[feature] <= threshold goes left
  std::vector<Ref> left, right;       ///< per internal node (an internal child has a larger index)
  std::vector<float> leaf_proba;      ///< leaves x classes, each row sums to 1
  std::size_t classes = 0;

  /// Grows `trees` trees on `rows` rows of `cols` floats (row-major) with class codes in
  /// [0, classes), drawing from `seed`. Throws std::invalid_argument for bad sizes or labels.
  static ExtraTrees fit(std::span<const float> x, std::size_t rows, std::size_t cols, std::span<const int> y,
                        std::size_t classes, int trees, std::uint64_t seed);
  /// Mean class probabilities over the trees of `rows` rows (rows x classes, row-major).
  std::vector<float> predict_proba(std::span<const float> x, std::size_t rows, std::size_t cols) const;
  std::size_t leaves() const noexcept { return classes == 0 ? 0 : leaf_proba.size() / classes; }
  /// Structure checks for a forest read from a file: sizes agree, references in range, internal
  /// children after their parents (so a walk always ends), features < cols, finite values.
  /// Throws std::invalid_argument with the reason.
  void validate(std::size_t cols) const;
};

}  // namespace genrelab::ml

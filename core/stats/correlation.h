// Pearson correlation matrix of the columns of a feature matrix (numpy.corrcoef with rows as
// observations, clipped to [-1, 1]). Unitless. Columns that are constant (StandardScaler's test)
// have no defined correlation: numpy gives NaN, here r = 0 off the diagonal and 1 on it, and the
// column is flagged, so a heatmap never receives NaN.
// Thread-safety: pure function; the result is plain data.
#pragma once

#include <vector>

#include <Eigen/Core>

namespace genrelab::stats {

struct CorrelationMatrix {
  Eigen::MatrixXd r;           ///< d x d, symmetric, 1 on the diagonal, values in [-1, 1]
  std::vector<bool> constant;  ///< per column: zero variance, r = 0 with every other column
};

/// Correlation of the columns of x (rows = tracks). Throws std::invalid_argument for fewer than
/// 2 rows, no columns or a NaN/inf cell. Cost: one pass to centre, one d x d rank update.
CorrelationMatrix pearson_correlation(const Eigen::Ref<const Eigen::MatrixXd>& x);

}  // namespace genrelab::stats

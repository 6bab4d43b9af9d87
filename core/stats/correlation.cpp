#include "stats/correlation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "stats/feature_matrix.h"
#include "stats/standard_scaler.h"

namespace genrelab::stats {

CorrelationMatrix pearson_correlation(const Eigen::Ref<const Eigen::MatrixXd>& x) {
  if (x.rows() < 2) throw std::invalid_argument("correlation: needs at least 2 rows, got " + std::to_string(x.rows()));
  if (x.cols() < 1) throw std::invalid_argument("correlation: needs at least one column");
  require_finite(x, "correlation");
  const Eigen::Index n = x.rows();
  const Eigen::Index d = x.cols();
  CorrelationMatrix result;
  result.constant.assign(static_cast<std::size_t>(d), false);
  // Centre each column and scale it to unit norm; then r = Z^T Z. Constant columns become 0.
  Eigen::MatrixXd z(n, d);
  for (Eigen::Index c = 0; c < d; ++c) {
    const auto col = x.col(c);
    const double mean = col.sum() / static_cast<double>(n);
    z.col(c) = col.array() - mean;
    const double ss = z.col(c).squaredNorm();
    const bool constant = col.minCoeff() == col.maxCoeff() ||
                          is_constant_feature(ss / static_cast<double>(n), mean, static_cast<std::size_t>(n));
    result.constant[static_cast<std::size_t>(c)] = constant;
    if (constant) z.col(c).setZero();
    else z.col(c) /= std::sqrt(ss);
  }
  result.r = Eigen::MatrixXd::Zero(d, d);
  result.r.selfadjointView<Eigen::Lower>().rankUpdate(z.transpose());
  for (Eigen::Index j = 0; j < d; ++j) {
    for (Eigen::Index i = j + 1; i < d; ++i) {
      const double v = std::clamp(result.r(i, j), -1.0, 1.0);
      result.r(i, j) = v;
      result.r(j, i) = v;
    }
    result.r(j, j) = 1.0;
  }
  return result;
}

}  // namespace genrelab::stats

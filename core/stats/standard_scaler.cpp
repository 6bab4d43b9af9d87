#include "stats/standard_scaler.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "stats/feature_matrix.h"

namespace genrelab::stats {

bool is_constant_feature(double variance, double mean, std::size_t n) noexcept {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double nd = static_cast<double>(n);
  const double bound = nd * eps * variance + (nd * mean * eps) * (nd * mean * eps);
  return variance <= bound;
}

StandardScaler::StandardScaler(Eigen::VectorXd mean, Eigen::VectorXd scale, Eigen::VectorXd var,
                               std::vector<bool> constant, std::size_t samples)
    : mean_(std::move(mean)), scale_(std::move(scale)), var_(std::move(var)), constant_(std::move(constant)),
      samples_(samples) {}

StandardScaler StandardScaler::fit(const Eigen::Ref<const Eigen::MatrixXd>& x) {
  if (x.rows() < 1 || x.cols() < 1)
    throw std::invalid_argument("StandardScaler: needs at least one row and one column");
  require_finite(x, "StandardScaler");
  const auto n = static_cast<double>(x.rows());
  const Eigen::Index d = x.cols();
  Eigen::VectorXd mean(d), var(d), scale(d);
  std::vector<bool> constant(static_cast<std::size_t>(d));
  for (Eigen::Index c = 0; c < d; ++c) {
    const auto col = x.col(c);
    double m = col.sum() / n;
    // scikit-learn's corrected two-pass variance: sum of squared deviations minus the square of
    // their (rounding-error) sum over n.
    const double dev_sum = (col.array() - m).sum();
    double v = ((col.array() - m).square().sum() - dev_sum * dev_sum / n) / n;
    const bool all_equal = col.minCoeff() == col.maxCoeff();
    if (all_equal) {
      m = col(0);  // exact, so the column transforms to exact zeros
      v = 0.0;
    }
    const bool is_const = all_equal || is_constant_feature(v, m, static_cast<std::size_t>(x.rows()));
    mean(c) = m;
    var(c) = v;
    scale(c) = is_const ? 1.0 : std::sqrt(v);
    constant[static_cast<std::size_t>(c)] = is_const;
  }
  return StandardScaler(std::move(mean), std::move(scale), std::move(var), std::move(constant),
                        static_cast<std::size_t>(x.rows()));
}

StandardScaler StandardScaler::from_parameters(Eigen::VectorXd mean, Eigen::VectorXd scale) {
  if (mean.size() == 0 || mean.size() != scale.size())
    throw std::invalid_argument("StandardScaler: mean and scale must have the same, non-zero size");
  for (Eigen::Index c = 0; c < mean.size(); ++c) {
    if (!std::isfinite(mean(c)))
      throw std::invalid_argument("StandardScaler: mean of column " + std::to_string(c) + " is not finite");
    if (!(std::isfinite(scale(c)) && scale(c) > 0.0))
      throw std::invalid_argument("StandardScaler: scale of column " + std::to_string(c) + " must be finite and > 0");
  }
  std::vector<bool> constant(static_cast<std::size_t>(mean.size()), false);
  return StandardScaler(std::move(mean), std::move(scale), Eigen::VectorXd(), std::move(constant), 0);
}

Eigen::MatrixXd StandardScaler::transform(const Eigen::Ref<const Eigen::MatrixXd>& x) const {
  Eigen::MatrixXd out = x;
  transform_in_place(out);
  return out;
}

void StandardScaler::transform_in_place(Eigen::MatrixXd& x) const {
  if (x.cols() != mean_.size())
    throw std::invalid_argument("StandardScaler: fitted on " + std::to_string(mean_.size()) + " columns, got " +
                                std::to_string(x.cols()));
  require_finite(x, "StandardScaler::transform");
  for (Eigen::Index c = 0; c < x.cols(); ++c) x.col(c) = (x.col(c).array() - mean_(c)) / scale_(c);
}

}  // namespace genrelab::stats

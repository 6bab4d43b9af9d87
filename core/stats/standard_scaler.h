// Standardisation like scikit-learn's StandardScaler: per column, subtract the mean and divide by
// the population standard deviation (ddof=0) of the rows it was fitted on. Columns that are
// constant on those rows (scikit-learn's _is_constant_feature test) get scale 1, so they map to 0
// instead of dividing by zero. Values keep the table's units on input and are unitless after.
// Thread-safety: immutable after fit(); transform() may run on several threads at once.
#pragma once

#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace genrelab::stats {

/// scikit-learn 1.2's _is_constant_feature: var <= n*eps*var + (n*mean*eps)^2, the error bound of
/// the two-pass variance of n values (eps = 2^-52). Also true when var is exactly 0.
bool is_constant_feature(double variance, double mean, std::size_t n) noexcept;

class StandardScaler {
 public:
  /// Fits on the rows of x (rows = tracks). Throws std::invalid_argument for no rows, no columns
  /// or a NaN/inf cell. A column whose values are all equal gets that value as its mean exactly.
  static StandardScaler fit(const Eigen::Ref<const Eigen::MatrixXd>& x);
  /// A scaler from stored parameters (a saved model). Throws std::invalid_argument unless the sizes
  /// match, the means are finite and every scale is finite and > 0.
  static StandardScaler from_parameters(Eigen::VectorXd mean, Eigen::VectorXd scale);

  std::size_t features() const noexcept { return static_cast<std::size_t>(mean_.size()); }
  /// Rows fitted on (0 for from_parameters()).
  std::size_t samples_seen() const noexcept { return samples_; }
  const Eigen::VectorXd& mean() const noexcept { return mean_; }
  /// Population std, or 1 for constant columns (scikit-learn's scale_).
  const Eigen::VectorXd& scale() const noexcept { return scale_; }
  /// Population variance (scikit-learn's var_); empty for from_parameters().
  const Eigen::VectorXd& variance() const noexcept { return var_; }
  /// Columns found constant by fit() (all false for from_parameters()).
  const std::vector<bool>& constant() const noexcept { return constant_; }

  /// (x - mean) / scale per column. Throws std::invalid_argument when the column count differs or
  /// a cell is NaN/inf.
  Eigen::MatrixXd transform(const Eigen::Ref<const Eigen::MatrixXd>& x) const;
  /// The same in place.
  void transform_in_place(Eigen::MatrixXd& x) const;

 private:
  StandardScaler(Eigen::VectorXd mean, Eigen::VectorXd scale, Eigen::VectorXd var, std::vector<bool> constant,
                 std::size_t samples);
  Eigen::VectorXd mean_;
  Eigen::VectorXd scale_;
  Eigen::VectorXd var_;
  std::vector<bool> constant_;
  std::size_t samples_;
};

}  // namespace genrelab::stats

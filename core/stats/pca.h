// Principal component analysis by SVD of the centred data, like scikit-learn 1.2's
// PCA(svd_solver="full"): components are the right singular vectors, explained variance is
// S^2 / (n - 1), the ratio divides by the sum over all min(n, d) components, and signs follow
// svd_flip(u_based_decision=True) as scikit-learn 1.2.1 (Debian 12's python3-sklearn) does: in each
// column of U (the scores) the entry of largest magnitude (the first such row) is made positive.
// Scikit-learn 1.5 and later flip on the rows of V instead (u_based_decision=False); PcaSigns
// selects that for comparisons with notebooks run on a recent scikit-learn. Scikit-learn 1.2.1
// picks its randomized solver for 1000 x 57 with few components; that solver applies the same
// u-based flip and only approximates these values. Components with zero singular value have
// arbitrary sign.
// Units: scores and components in the input's units (unitless after StandardScaler).
// Thread-safety: immutable after fit(); transform() may run on several threads at once.
#pragma once

#include <cstddef>

#include <Eigen/Core>

namespace genrelab::stats {

/// Which factor decides the sign of each component (scikit-learn's svd_flip).
enum class PcaSigns {
  u_based,  ///< largest |score| per component positive: scikit-learn < 1.5 (Debian 12 ships 1.2.1)
  v_based,  ///< largest |loading| per component positive: scikit-learn >= 1.5
};

class Pca {
 public:
  /// Fits on the rows of x (rows = tracks). n_components in [1, min(n, d)], or 0 for min(n, d).
  /// Throws std::invalid_argument for fewer than 2 rows, no columns, a NaN/inf cell, an
  /// out-of-range n_components, or data without variance (every column constant).
  /// Cost: Householder QR of the n x d data when n >= d, then an SVD of the d x d factor.
  static Pca fit(const Eigen::Ref<const Eigen::MatrixXd>& x, std::size_t n_components = 0,
                 PcaSigns signs = PcaSigns::u_based);

  std::size_t n_components() const noexcept { return static_cast<std::size_t>(components_.rows()); }
  std::size_t n_features() const noexcept { return static_cast<std::size_t>(components_.cols()); }
  /// k x d; row i is the i-th principal axis (scikit-learn's components_).
  const Eigen::MatrixXd& components() const noexcept { return components_; }
  /// k values, S^2 / (n - 1).
  const Eigen::VectorXd& explained_variance() const noexcept { return explained_variance_; }
  /// k fractions of the total variance, decreasing.
  const Eigen::VectorXd& explained_variance_ratio() const noexcept { return explained_variance_ratio_; }
  const Eigen::VectorXd& singular_values() const noexcept { return singular_values_; }
  const Eigen::VectorXd& mean() const noexcept { return mean_; }
  /// n x k: the fitted rows projected (scikit-learn's fit_transform).
  const Eigen::MatrixXd& scores() const noexcept { return scores_; }

  /// (x - mean) * components^T. Throws std::invalid_argument for a column count mismatch or NaN/inf.
  Eigen::MatrixXd transform(const Eigen::Ref<const Eigen::MatrixXd>& x) const;

 private:
  Pca() = default;
  Eigen::MatrixXd components_;
  Eigen::VectorXd explained_variance_;
  Eigen::VectorXd explained_variance_ratio_;
  Eigen::VectorXd singular_values_;
  Eigen::VectorXd mean_;
  Eigen::MatrixXd scores_;
};

}  // namespace genrelab::stats

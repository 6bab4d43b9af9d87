#include "stats/pca.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <Eigen/QR>
#include <Eigen/SVD>

#include "stats/feature_matrix.h"

namespace genrelab::stats {

Pca Pca::fit(const Eigen::Ref<const Eigen::MatrixXd>& x, std::size_t n_components, PcaSigns signs) {
  const Eigen::Index n = x.rows();
  const Eigen::Index d = x.cols();
  if (n < 2) throw std::invalid_argument("PCA: needs at least 2 rows, got " + std::to_string(n));
  if (d < 1) throw std::invalid_argument("PCA: needs at least one column");
  require_finite(x, "PCA");
  const auto max_k = static_cast<std::size_t>(std::min(n, d));
  if (n_components == 0) n_components = max_k;
  if (n_components > max_k)
    throw std::invalid_argument("PCA: n_components = " + std::to_string(n_components) +
                                " exceeds min(rows, columns) = " + std::to_string(max_k));
  const auto k = static_cast<Eigen::Index>(n_components);

  Pca p;
  p.mean_ = x.colwise().mean().transpose();
  Eigen::MatrixXd xc = x.rowwise() - p.mean_.transpose();

  Eigen::VectorXd s;
  Eigen::MatrixXd v;
  if (n >= d) {
    // X = Q R, and R (d x d) has the singular values and right singular vectors of X: a QR of the
    // tall matrix plus a small SVD is several times cheaper than bidiagonalising X itself.
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(xc);
    const Eigen::MatrixXd r = qr.matrixQR().topRows(d).triangularView<Eigen::Upper>();
    Eigen::BDCSVD<Eigen::MatrixXd> svd(r, Eigen::ComputeFullV);
    s = svd.singularValues();
    v = svd.matrixV();
  } else {
    Eigen::BDCSVD<Eigen::MatrixXd> svd(xc, Eigen::ComputeThinV);
    s = svd.singularValues();
    v = svd.matrixV();
  }
  const double total = s.squaredNorm();
  if (!(total > 0.0)) throw std::invalid_argument("PCA: every column is constant (no variance to explain)");

  p.singular_values_ = s.head(k);
  p.explained_variance_ = p.singular_values_.array().square() / static_cast<double>(n - 1);
  p.explained_variance_ratio_ = p.singular_values_.array().square() / total;
  p.scores_ = xc * v.leftCols(k);
  p.components_ = v.leftCols(k).transpose();
  // svd_flip: U = scores / S, so the largest |U| entry of a column is the largest |score|.
  // Eigen's maxCoeff returns the first of equal maxima, as numpy.argmax does.
  for (Eigen::Index c = 0; c < k; ++c) {
    Eigen::Index at = 0;
    double value = 0.0;
    if (signs == PcaSigns::u_based) {
      p.scores_.col(c).cwiseAbs().maxCoeff(&at);
      value = p.scores_(at, c);
    } else {
      p.components_.row(c).cwiseAbs().maxCoeff(&at);
      value = p.components_(c, at);
    }
    if (value < 0.0) {
      p.scores_.col(c) *= -1.0;
      p.components_.row(c) *= -1.0;
    }
  }
  return p;
}

Eigen::MatrixXd Pca::transform(const Eigen::Ref<const Eigen::MatrixXd>& x) const {
  if (x.cols() != mean_.size())
    throw std::invalid_argument("PCA: fitted on " + std::to_string(mean_.size()) + " columns, got " +
                                std::to_string(x.cols()));
  require_finite(x, "PCA::transform");
  return (x.rowwise() - mean_.transpose()) * components_.transpose();
}

}  // namespace genrelab::stats

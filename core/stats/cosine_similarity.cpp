#include "stats/cosine_similarity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "stats/feature_matrix.h"

namespace genrelab::stats {
namespace {

void require_shape(const Eigen::Ref<const Eigen::MatrixXd>& x, const char* what) {
  if (x.rows() < 1 || x.cols() < 1)
    throw std::invalid_argument(std::string(what) + ": needs at least one row and one column");
  require_finite(x, what);
}

}  // namespace

Eigen::MatrixXd normalize_rows(const Eigen::Ref<const Eigen::MatrixXd>& x) {
  require_finite(x, "cosine similarity");
  // scikit-learn's normalize: norms below 10 * eps count as zero and are replaced by 1.
  constexpr double kZero = 10.0 * std::numeric_limits<double>::epsilon();
  Eigen::VectorXd norms = x.rowwise().norm();
  for (Eigen::Index r = 0; r < norms.size(); ++r)
    if (norms(r) < kZero) norms(r) = 1.0;
  return norms.cwiseInverse().asDiagonal() * x;
}

Eigen::MatrixXd cosine_similarity(const Eigen::Ref<const Eigen::MatrixXd>& x) {
  require_shape(x, "cosine similarity");
  const Eigen::MatrixXd u = normalize_rows(x);
  Eigen::MatrixXd s = Eigen::MatrixXd::Zero(x.rows(), x.rows());
  s.selfadjointView<Eigen::Lower>().rankUpdate(u);
  for (Eigen::Index j = 1; j < s.cols(); ++j)
    for (Eigen::Index i = 0; i < j; ++i) s(i, j) = s(j, i);
  return s;
}

GenreSimilarity genre_similarity(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const int> labels,
                                 std::size_t n_genres) {
  require_shape(x, "genre similarity");
  if (n_genres == 0) throw std::invalid_argument("genre similarity: needs at least one genre");
  require_labels(labels, static_cast<std::size_t>(x.rows()), n_genres, "genre similarity");
  const Eigen::MatrixXd u = normalize_rows(x);
  const auto g = static_cast<Eigen::Index>(n_genres);
  Eigen::MatrixXd centroid = Eigen::MatrixXd::Zero(g, x.cols());  // mean unit row per genre
  GenreSimilarity result;
  result.counts.assign(n_genres, 0);
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const auto label = static_cast<std::size_t>(labels[static_cast<std::size_t>(r)]);
    centroid.row(static_cast<Eigen::Index>(label)) += u.row(r);
    ++result.counts[label];
  }
  for (std::size_t k = 0; k < n_genres; ++k) {
    if (result.counts[k] == 0)
      throw std::invalid_argument("genre similarity: genre " + std::to_string(k) + " has no rows");
    centroid.row(static_cast<Eigen::Index>(k)) /= static_cast<double>(result.counts[k]);
  }
  // mean_{i in a, j in b} u_i . u_j = (mean_a u) . (mean_b u)
  result.mean = centroid * centroid.transpose();
  return result;
}

std::vector<GenrePair> ranked_genre_pairs(const GenreSimilarity& similarity) {
  std::vector<GenrePair> pairs;
  const auto g = static_cast<std::size_t>(similarity.mean.rows());
  for (std::size_t a = 0; a < g; ++a)
    for (std::size_t b = a + 1; b < g; ++b)
      pairs.push_back({a, b, similarity.mean(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b))});
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const GenrePair& p, const GenrePair& q) { return p.similarity > q.similarity; });
  return pairs;
}

std::vector<SimilarRow> most_similar_rows(const Eigen::Ref<const Eigen::MatrixXd>& x, std::size_t query,
                                          std::size_t k) {
  require_shape(x, "most similar rows");
  if (query >= static_cast<std::size_t>(x.rows()))
    throw std::invalid_argument("most similar rows: query row " + std::to_string(query) + " out of range");
  const Eigen::MatrixXd u = normalize_rows(x);
  const Eigen::VectorXd s = u * u.row(static_cast<Eigen::Index>(query)).transpose();
  std::vector<SimilarRow> rows;
  rows.reserve(static_cast<std::size_t>(x.rows()));
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    if (static_cast<std::size_t>(r) != query) rows.push_back({static_cast<std::size_t>(r), s(r)});
  k = std::min(k, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(k), rows.end(),
                    [](const SimilarRow& a, const SimilarRow& b) {
                      return a.similarity > b.similarity || (a.similarity == b.similarity && a.row < b.row);
                    });
  rows.resize(k);
  return rows;
}

}  // namespace genrelab::stats

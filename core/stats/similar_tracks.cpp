#include "stats/similar_tracks.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "dataset/feature_table.h"
#include "stats/cosine_similarity.h"
#include "stats/standard_scaler.h"

namespace genrelab::stats {

SimilarTracks SimilarTracks::create(const dataset::FeatureTable& table) {
  if (table.rows() == 0) throw std::invalid_argument("similar tracks: the table has no rows");
  if (table.cols() == 0) throw std::invalid_argument("similar tracks: the table has no feature columns");
  SimilarTracks s;
  s.columns_ = table.feature_names;
  const std::size_t n = table.rows();
  std::vector<std::size_t> finite;
  for (std::size_t c = 0; c < table.cols(); ++c) {
    bool ok = true;
    for (std::size_t r = 0; r < n && ok; ++r) ok = std::isfinite(table.at(r, c));
    if (ok) finite.push_back(c);
    else s.left_out_.push_back({table.feature_names[c], "NaN or infinite values"});
  }
  if (finite.empty()) throw std::invalid_argument("similar tracks: no column without NaN or infinite values");
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(finite.size()));
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t j = 0; j < finite.size(); ++j)
      x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) = table.at(r, finite[j]);
  const auto scaler = StandardScaler::fit(x);
  std::vector<Eigen::Index> keep;
  for (std::size_t j = 0; j < finite.size(); ++j) {
    // A constant column is 0 for every table row after standardisation: it would add nothing to
    // the rows' norms but would to a query's (a query can differ from the constant), so it is out.
    if (scaler.constant()[j]) {
      s.left_out_.push_back({table.feature_names[finite[j]], "zero variance"});
      continue;
    }
    keep.push_back(static_cast<Eigen::Index>(j));
    s.used_.push_back(finite[j]);
    s.used_names_.push_back(table.feature_names[finite[j]]);
  }
  // Left-out columns in table order, whatever the reason.
  std::stable_sort(s.left_out_.begin(), s.left_out_.end(), [&](const LeftOutColumn& a, const LeftOutColumn& b) {
    return table.column(a.name) < table.column(b.name);
  });
  if (keep.empty()) throw std::invalid_argument("similar tracks: every column is constant or non-finite on the table");
  const auto d = static_cast<Eigen::Index>(keep.size());
  s.mean_.resize(d);
  s.scale_.resize(d);
  Eigen::MatrixXd z(x.rows(), d);
  for (Eigen::Index j = 0; j < d; ++j) {
    s.mean_(j) = scaler.mean()(keep[static_cast<std::size_t>(j)]);
    s.scale_(j) = scaler.scale()(keep[static_cast<std::size_t>(j)]);
    z.col(j) = (x.col(keep[static_cast<std::size_t>(j)]).array() - s.mean_(j)) / s.scale_(j);
  }
  s.unit_ = normalize_rows(z);
  s.filenames_ = table.filenames;
  s.labels_ = table.labels;
  s.track_ids_.reserve(n);
  for (const auto& f : table.filenames) s.track_ids_.push_back(dataset::parse_track_key(f).track_id);
  return s;
}

std::vector<double> SimilarTracks::query_from(const std::vector<std::string>& names,
                                              std::span<const double> values) const {
  if (names.size() != values.size())
    throw std::invalid_argument("similar tracks: " + std::to_string(names.size()) + " names for " +
                                std::to_string(values.size()) + " values");
  std::vector<double> query;
  query.reserve(columns_.size());
  for (const auto& c : columns_) {
    const auto it = std::find(names.begin(), names.end(), c);
    if (it == names.end())
      throw std::invalid_argument("column '" + c + "' is not a feature GenreLab extracts from audio");
    query.push_back(values[static_cast<std::size_t>(it - names.begin())]);
  }
  return query;
}

Eigen::VectorXd SimilarTracks::standardise(std::span<const double> query) const {
  if (query.size() != columns_.size())
    throw std::invalid_argument("similar tracks: the query has " + std::to_string(query.size()) +
                                " values, the table " + std::to_string(columns_.size()) + " columns");
  Eigen::VectorXd z(static_cast<Eigen::Index>(used_.size()));
  for (std::size_t j = 0; j < used_.size(); ++j) {
    const double v = query[used_[j]];
    if (!std::isfinite(v))
      throw std::invalid_argument("similar tracks: the query's " + used_names_[j] + " is NaN or infinite");
    const auto k = static_cast<Eigen::Index>(j);
    z(k) = (v - mean_(k)) / scale_(k);
  }
  return z;
}

std::vector<SimilarTrack> SimilarTracks::nearest_standardised(const Eigen::VectorXd& standardised, std::size_t top,
                                                              const std::string& exclude_track) const {
  if (standardised.size() != unit_.cols())
    throw std::invalid_argument("similar tracks: a standardised query needs " + std::to_string(unit_.cols()) +
                                " values");
  // Same normalisation as the table rows (a zero query stays zero: similarity 0, never NaN).
  const Eigen::VectorXd q = normalize_rows(standardised.transpose()).transpose();
  const Eigen::VectorXd sim = unit_ * q;
  std::vector<std::size_t> order;
  order.reserve(rows());
  for (std::size_t r = 0; r < rows(); ++r)
    if (exclude_track.empty() || track_ids_[r] != exclude_track) order.push_back(r);
  top = std::min(top, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](std::size_t a, std::size_t b) {
                      const double sa = sim(static_cast<Eigen::Index>(a)), sb = sim(static_cast<Eigen::Index>(b));
                      return sa > sb || (sa == sb && a < b);
                    });
  std::vector<SimilarTrack> out;
  out.reserve(top);
  for (std::size_t i = 0; i < top; ++i) {
    const std::size_t r = order[i];
    out.push_back({r, filenames_[r], labels_[r], sim(static_cast<Eigen::Index>(r))});
  }
  return out;
}

std::vector<SimilarTrack> SimilarTracks::nearest(std::span<const double> query, std::size_t top,
                                                 const std::string& exclude_track) const {
  return nearest_standardised(standardise(query), top, exclude_track);
}

std::vector<SimilarTrack> SimilarTracks::nearest_mean(const std::vector<std::vector<double>>& queries, std::size_t top,
                                                      const std::string& exclude_track) const {
  if (queries.empty()) throw std::invalid_argument("similar tracks: no query rows");
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(unit_.cols());
  for (const auto& q : queries) mean += standardise(q);
  mean /= static_cast<double>(queries.size());
  return nearest_standardised(mean, top, exclude_track);
}

}  // namespace genrelab::stats

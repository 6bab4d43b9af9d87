// "Similar tracks": the rows of a feature table nearest to a query (a song's feature rows), by the
// GTZAN study's similarity measure: cosine similarity of features standardised with the table's
// column means and population standard deviations (StandardScaler). Columns that are constant on
// the table (zero std, scikit-learn's test) or hold a NaN/inf cell are left out of the similarity
// and listed in left_out(). Similarities are unitless, in [-1, 1]; a query or row that is all zero
// after standardisation has similarity 0 with everything (cosine_similarity.h's convention).
// Thread-safety: immutable after create(); nearest() may run on several threads at once.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace genrelab::dataset {
struct FeatureTable;
}

namespace genrelab::stats {

/// One ranked table row.
struct SimilarTrack {
  std::size_t row = 0;  ///< index into the table
  std::string filename;
  std::string label;
  double similarity = 0.0;
};

/// A table column left out of the similarity, and why ("zero variance", "NaN or infinite values").
struct LeftOutColumn {
  std::string name;
  std::string reason;
};

class SimilarTracks {
 public:
  /// Standardises and row-normalises the table once. Throws std::invalid_argument for a table with
  /// no rows, no feature columns, or no column left once the constant and non-finite ones are out.
  static SimilarTracks create(const dataset::FeatureTable& table);

  std::size_t rows() const noexcept { return filenames_.size(); }
  /// Every feature column of the table (a query row has one value per column, in this order).
  const std::vector<std::string>& columns() const noexcept { return columns_; }
  /// Columns the similarity uses, in table order.
  const std::vector<std::string>& used_columns() const noexcept { return used_names_; }
  const std::vector<LeftOutColumn>& left_out() const noexcept { return left_out_; }

  /// A query row in columns() order taken by name from a row of another producer (`names`, e.g. a
  /// feature extractor's, in the order of `values`). Throws std::invalid_argument naming the first
  /// table column that `names` lacks, or for sizes that differ.
  std::vector<double> query_from(const std::vector<std::string>& names, std::span<const double> values) const;
  /// A query row (columns() values) standardised on the used columns. Throws std::invalid_argument
  /// for the wrong size or a NaN/inf value in a used column.
  Eigen::VectorXd standardise(std::span<const double> query) const;

  /// The `top` rows most similar to an already standardised vector (used_columns() values), most
  /// similar first, ties in table order; fewer when the table (after exclusion) is smaller. With a
  /// non-empty `exclude_track`, rows of that track id (dataset::parse_track_key, so all 3-s
  /// segments of it too) are skipped.
  std::vector<SimilarTrack> nearest_standardised(const Eigen::VectorXd& standardised, std::size_t top,
                                                 const std::string& exclude_track = {}) const;
  /// standardise() then nearest_standardised().
  std::vector<SimilarTrack> nearest(std::span<const double> query, std::size_t top,
                                    const std::string& exclude_track = {}) const;
  /// A song of several windows: the mean of the windows' standardised rows, ranked. Throws
  /// std::invalid_argument for no rows.
  std::vector<SimilarTrack> nearest_mean(const std::vector<std::vector<double>>& queries, std::size_t top,
                                         const std::string& exclude_track = {}) const;

 private:
  SimilarTracks() = default;
  std::vector<std::string> columns_;
  std::vector<std::string> used_names_;
  std::vector<std::size_t> used_;  ///< indices into columns_
  std::vector<LeftOutColumn> left_out_;
  Eigen::VectorXd mean_, scale_;  ///< per used column
  Eigen::MatrixXd unit_;          ///< standardised table rows scaled to unit norm (zero rows stay 0)
  std::vector<std::string> filenames_, labels_, track_ids_;
};

}  // namespace genrelab::stats

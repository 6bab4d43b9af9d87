// A feature table as the statistics code wants it: a column-major Eigen matrix (rows = tracks or
// segments, columns = features, feature units as in the table), genre codes per row, and the
// feature subsets the GTZAN study compares (all, MFCC only, everything except MFCC).
// Plain data; the functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace genrelab::dataset {
struct FeatureTable;
}

namespace genrelab::stats {

/// Finite feature values with a genre code per row.
struct LabeledMatrix {
  Eigen::MatrixXd values;                  ///< rows x features, column-major
  std::vector<std::string> feature_names;  ///< one per column
  std::vector<int> labels;                 ///< one per row: index into label_names
  std::vector<std::string> label_names;    ///< genres in order of first appearance

  std::size_t rows() const noexcept { return static_cast<std::size_t>(values.rows()); }
  std::size_t cols() const noexcept { return static_cast<std::size_t>(values.cols()); }
};

/// Copies a table into a LabeledMatrix. Throws std::invalid_argument when the table has no rows
/// or no feature columns, or a cell is NaN or infinite (naming the file of the row and the column).
LabeledMatrix to_labeled_matrix(const dataset::FeatureTable& table);

/// Throws std::invalid_argument naming `what`, the row and the column of the first NaN/inf cell.
/// `names` (optional) names the columns in the message.
void require_finite(const Eigen::Ref<const Eigen::MatrixXd>& x, std::string_view what,
                    const std::vector<std::string>* names = nullptr);

/// Throws std::invalid_argument unless every label is in [0, n_labels) and there is one per row.
void require_labels(std::span<const int> labels, std::size_t rows, std::size_t n_labels, std::string_view what);

/// Feature subsets of the study. MFCC columns are those whose name starts with "mfcc"
/// (columns 17..56 of the Kaggle schema).
enum class FeatureSubset { all, mfcc, non_mfcc };

/// "all", "mfcc", "non-mfcc".
std::string_view to_string(FeatureSubset subset) noexcept;
/// Parses "all", "mfcc", "non-mfcc" (also "non_mfcc"); nullopt otherwise.
std::optional<FeatureSubset> parse_feature_subset(std::string_view text) noexcept;

/// True for names starting with "mfcc".
bool is_mfcc_column(std::string_view name) noexcept;

/// Indices of the columns of `names` in `subset`, in column order (may be empty).
std::vector<std::size_t> subset_columns(const std::vector<std::string>& names, FeatureSubset subset);

/// Replaces every value v of the columns whose name ends in "_var" by log(max(v, 1e-12)) (the
/// variances of the feature tables span orders of magnitude; non-positive ones become log 1e-12).
/// `names` names the columns of x.
void log_variance_columns(Eigen::Ref<Eigen::MatrixXd> x, std::span<const std::string> names);

/// The given columns of x, in the given order.
Eigen::MatrixXd select_columns(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const std::size_t> columns);

}  // namespace genrelab::stats

#include "stats/feature_matrix.h"

#include <cmath>
#include <stdexcept>

#include "dataset/feature_table.h"

namespace genrelab::stats {

LabeledMatrix to_labeled_matrix(const dataset::FeatureTable& table) {
  const std::size_t n = table.rows();
  const std::size_t d = table.cols();
  if (n == 0) throw std::invalid_argument("feature table has no rows");
  if (d == 0) throw std::invalid_argument("feature table has no feature columns");
  if (table.values.size() != n * d || table.labels.size() != n)
    throw std::invalid_argument("feature table is inconsistent: values/labels do not match the row count");
  LabeledMatrix m;
  m.feature_names = table.feature_names;
  m.label_names = table.label_names();
  m.values.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < d; ++c) {
      const double v = table.values[r * d + c];
      if (!std::isfinite(v))
        throw std::invalid_argument("feature table: row " + std::to_string(r) + " (" + table.filenames[r] +
                                    "), column '" + table.feature_names[c] + "' is not a finite number");
      m.values(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = v;
    }
  }
  m.labels.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t g = 0; g < m.label_names.size(); ++g) {
      if (m.label_names[g] == table.labels[r]) {
        m.labels[r] = static_cast<int>(g);
        break;
      }
    }
  }
  return m;
}

void require_finite(const Eigen::Ref<const Eigen::MatrixXd>& x, std::string_view what,
                    const std::vector<std::string>* names) {
  if (x.allFinite()) return;
  for (Eigen::Index c = 0; c < x.cols(); ++c) {
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      if (std::isfinite(x(r, c))) continue;
      std::string column = std::to_string(c);
      if (names && static_cast<std::size_t>(c) < names->size())
        column = "'" + (*names)[static_cast<std::size_t>(c)] + "'";
      throw std::invalid_argument(std::string(what) + ": row " + std::to_string(r) + ", column " + column +
                                  " is not a finite number (" + std::to_string(x(r, c)) + ")");
    }
  }
}

void require_labels(std::span<const int> labels, std::size_t rows, std::size_t n_labels, std::string_view what) {
  if (labels.size() != rows)
    throw std::invalid_argument(std::string(what) + ": " + std::to_string(labels.size()) + " labels for " +
                                std::to_string(rows) + " rows");
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= n_labels)
      throw std::invalid_argument(std::string(what) + ": label " + std::to_string(labels[i]) + " of row " +
                                  std::to_string(i) + " is outside [0, " + std::to_string(n_labels) + ")");
}

std::string_view to_string(FeatureSubset subset) noexcept {
  switch (subset) {
    case FeatureSubset::all:
      return "all";
    case FeatureSubset::mfcc:
      return "mfcc";
    case FeatureSubset::non_mfcc:
      return "non-mfcc";
  }
  return "all";
}

std::optional<FeatureSubset> parse_feature_subset(std::string_view text) noexcept {
  if (text == "all") return FeatureSubset::all;
  if (text == "mfcc") return FeatureSubset::mfcc;
  if (text == "non-mfcc" || text == "non_mfcc") return FeatureSubset::non_mfcc;
  return std::nullopt;
}

bool is_mfcc_column(std::string_view name) noexcept { return name.starts_with("mfcc"); }

std::vector<std::size_t> subset_columns(const std::vector<std::string>& names, FeatureSubset subset) {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < names.size(); ++c) {
    const bool mfcc = is_mfcc_column(names[c]);
    if (subset == FeatureSubset::all || (subset == FeatureSubset::mfcc) == mfcc) out.push_back(c);
  }
  return out;
}

void log_variance_columns(Eigen::Ref<Eigen::MatrixXd> x, std::span<const std::string> names) {
  if (names.size() != static_cast<std::size_t>(x.cols()))
    throw std::invalid_argument("log_variance_columns: " + std::to_string(names.size()) + " names for " +
                                std::to_string(x.cols()) + " columns");
  for (std::size_t c = 0; c < names.size(); ++c)
    if (names[c].ends_with("_var"))
      x.col(static_cast<Eigen::Index>(c)) = x.col(static_cast<Eigen::Index>(c)).cwiseMax(1e-12).array().log().matrix();
}

Eigen::MatrixXd select_columns(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const std::size_t> columns) {
  Eigen::MatrixXd out(x.rows(), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] >= static_cast<std::size_t>(x.cols()))
      throw std::invalid_argument("select_columns: column " + std::to_string(columns[i]) + " out of range");
    out.col(static_cast<Eigen::Index>(i)) = x.col(static_cast<Eigen::Index>(columns[i]));
  }
  return out;
}

}  // namespace genrelab::stats

#include "stats/table_analysis.h"

#include <chrono>
#include <stdexcept>
#include <string>

#include "dataset/feature_table.h"

namespace genrelab::stats {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point& t) {
  const auto now = Clock::now();
  const double s = std::chrono::duration<double>(now - t).count();
  t = now;
  return s;
}

}  // namespace

TableAnalysis analyze(const LabeledMatrix& data, const AnalysisOptions& options, AnalysisTimes* times) {
  // Validate everything before any work.
  const GenreKde kde(options.kde);
  const RedundancyFilter filter(options.filter);
  if (data.rows() < 2)
    throw std::invalid_argument("analysis: needs at least 2 rows, got " + std::to_string(data.rows()));
  if (data.feature_names.size() != data.cols())
    throw std::invalid_argument("analysis: " + std::to_string(data.feature_names.size()) + " names for " +
                                std::to_string(data.cols()) + " columns");
  require_labels(data.labels, data.rows(), data.label_names.size(), "analysis");
  auto subset = subset_columns(data.feature_names, options.features);
  if (subset.empty())
    throw std::invalid_argument("analysis: the table has no '" + std::string(to_string(options.features)) +
                                "' feature columns");
  require_finite(data.values, "analysis", &data.feature_names);

  AnalysisTimes t;
  const auto start = Clock::now();
  auto mark = start;
  std::vector<FeatureKde> curves;
  if (options.compute_kde) curves = kde.compute_all(data.values, data.labels, data.label_names.size());
  t.kde = seconds_since(mark);
  auto correlation = pearson_correlation(data.values);
  t.correlation = seconds_since(mark);
  auto redundancy = filter.apply(correlation, data.feature_names);
  t.filter = seconds_since(mark);
  auto scaler = StandardScaler::fit(data.values);
  const Eigen::MatrixXd z = select_columns(scaler.transform(data.values), subset);
  t.scaler = seconds_since(mark);
  auto pca = Pca::fit(z, options.pca_components);
  t.pca = seconds_since(mark);
  auto similarity = genre_similarity(z, data.labels, data.label_names.size());
  auto ranked = ranked_genre_pairs(similarity);
  t.similarity = seconds_since(mark);
  t.total = std::chrono::duration<double>(Clock::now() - start).count();
  if (times) *times = t;
  return TableAnalysis{data.feature_names,    data.label_names,  std::move(curves), std::move(correlation),
                       std::move(redundancy), std::move(scaler), std::move(subset), std::move(pca),
                       std::move(similarity), std::move(ranked)};
}

TableAnalysis analyze(const dataset::FeatureTable& table, const AnalysisOptions& options, AnalysisTimes* times) {
  return analyze(to_labeled_matrix(table), options, times);
}

}  // namespace genrelab::stats

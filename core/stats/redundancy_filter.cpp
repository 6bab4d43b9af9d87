#include "stats/redundancy_filter.h"

#include <cmath>
#include <stdexcept>

#include "stats/feature_matrix.h"

namespace genrelab::stats {

std::string_view to_string(FilterScope scope) noexcept { return scope == FilterScope::all ? "all" : "non-mfcc"; }

std::optional<FilterScope> parse_filter_scope(std::string_view text) noexcept {
  if (text == "all") return FilterScope::all;
  if (text == "non-mfcc" || text == "non_mfcc") return FilterScope::non_mfcc;
  return std::nullopt;
}

RedundancyFilter::RedundancyFilter(const RedundancyOptions& options) : options_(options) {
  if (!(options_.threshold > 0.0 && options_.threshold <= 1.0))
    throw std::invalid_argument("redundancy filter: threshold must be in (0, 1], got " +
                                std::to_string(options_.threshold));
}

RedundancyResult RedundancyFilter::apply(const CorrelationMatrix& correlation,
                                         const std::vector<std::string>& names) const {
  const auto d = static_cast<std::size_t>(correlation.r.rows());
  if (correlation.r.cols() != correlation.r.rows() || names.size() != d)
    throw std::invalid_argument("redundancy filter: " + std::to_string(names.size()) + " names for a " +
                                std::to_string(correlation.r.rows()) + " x " + std::to_string(correlation.r.cols()) +
                                " correlation matrix");
  std::vector<std::size_t> scope;
  for (std::size_t c = 0; c < d; ++c)
    if (options_.scope == FilterScope::all || !is_mfcc_column(names[c])) scope.push_back(c);

  std::vector<bool> drop(d, false);
  RedundancyResult result;
  for (std::size_t jj = 0; jj < scope.size(); ++jj) {
    const std::size_t j = scope[jj];
    std::size_t best = d;
    double best_abs = -1.0;
    for (std::size_t ii = 0; ii < jj; ++ii) {
      const std::size_t i = scope[ii];
      const double a = std::abs(correlation.r(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
      if (a >= options_.threshold && a > best_abs) {
        best = i;
        best_abs = a;
      }
    }
    if (best == d) continue;
    drop[j] = true;
    result.dropped.push_back(
        {j, names[j], best, names[best], correlation.r(static_cast<Eigen::Index>(best), static_cast<Eigen::Index>(j))});
  }
  for (std::size_t c = 0; c < d; ++c) {
    if (drop[c]) continue;
    result.kept.push_back(c);
    result.kept_names.push_back(names[c]);
  }
  return result;
}

}  // namespace genrelab::stats

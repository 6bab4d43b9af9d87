// The redundancy filter of the GTZAN study: walk the upper triangle of the correlation matrix in
// column order and drop every column whose |r| with ANY earlier column of the scope (dropped or
// kept) is >= the threshold (the familiar `upper = corr.abs().where(triu(k=1));
// [c for c in upper if any(upper[c] >= t)]`). The study filtered the 17 non-MFCC columns only and
// kept all 40 MFCC columns; on features_30_sec.csv at 0.8 that drops spectral_bandwidth_mean,
// rolloff_mean, rolloff_var, zero_crossing_rate_mean, zero_crossing_rate_var and harmony_var
// (51 features left); over all 57 columns it drops 18.
// Thread-safety: immutable after construction; apply() is const.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stats/correlation.h"

namespace genrelab::stats {

/// Which columns the filter looks at; the others are always kept.
enum class FilterScope {
  non_mfcc,  ///< columns whose name does not start with "mfcc" (the study's choice; default)
  all,       ///< every column
};

std::string_view to_string(FilterScope scope) noexcept;
/// "non-mfcc" (or "non_mfcc"), "all"; nullopt otherwise.
std::optional<FilterScope> parse_filter_scope(std::string_view text) noexcept;

struct RedundancyOptions {
  double threshold = 0.8;  ///< drop at |r| >= threshold; in (0, 1]
  FilterScope scope = FilterScope::non_mfcc;
};

/// A dropped column and why: its earlier partner with the largest |r| (the first such on ties).
struct DroppedColumn {
  std::size_t column = 0;
  std::string name;
  std::size_t partner = 0;
  std::string partner_name;
  double r = 0.0;  ///< signed Pearson r of the pair, |r| >= threshold
};

struct RedundancyResult {
  std::vector<std::size_t> kept;  ///< column indices, in column order
  std::vector<std::string> kept_names;
  std::vector<DroppedColumn> dropped;  ///< in column order
};

class RedundancyFilter {
 public:
  /// Throws std::invalid_argument unless 0 < threshold <= 1.
  explicit RedundancyFilter(const RedundancyOptions& options = {});
  const RedundancyOptions& options() const noexcept { return options_; }

  /// Applies the filter to a correlation matrix of the columns named `names`. Constant columns
  /// (r = 0) are never dropped by it. Throws std::invalid_argument when the sizes differ.
  RedundancyResult apply(const CorrelationMatrix& correlation, const std::vector<std::string>& names) const;

 private:
  RedundancyOptions options_;
};

}  // namespace genrelab::stats

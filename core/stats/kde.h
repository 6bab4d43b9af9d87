// Gaussian kernel density estimates of one feature per genre, as seaborn's kdeplot draws them:
// scipy.stats.gaussian_kde (bandwidth = factor * sample std with ddof=1; Scott's factor n^(-1/5)
// by default, Silverman's (3n/4)^(-1/5), or a manual factor), evaluated on one evenly spaced grid
// per feature shared by all genres (seaborn's gridsize=200, cut=3). Densities are in
// 1 / (feature unit) and each genre's curve integrates to 1.
// Thread-safety: GaussianKde and GenreKde are immutable after construction; their const methods
// may run on several threads at once.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace genrelab::stats {

/// How the bandwidth factor is chosen (scipy's bw_method).
enum class BandwidthRule {
  scott,      ///< n^(-1/5) (scipy's and seaborn's default)
  silverman,  ///< (n * 3/4)^(-1/5)
  manual,     ///< KdeOptions::manual_factor (scipy's scalar bw_method)
};

/// What the shared grid of a feature spans.
enum class GridSpan {
  /// The union of every genre's own seaborn support [min - cut*bw, max + cut*bw]: each genre's
  /// curve is drawn at least as far as a kdeplot of that genre alone would draw it.
  union_of_genres,
  /// seaborn's common_grid=True: the support of a KDE fitted to all rows pooled.
  pooled,
};

std::string_view to_string(BandwidthRule rule) noexcept;
/// "scott", "silverman", "manual"; nullopt otherwise.
std::optional<BandwidthRule> parse_bandwidth_rule(std::string_view text) noexcept;

struct KdeOptions {
  BandwidthRule rule = BandwidthRule::scott;
  double manual_factor = 1.0;     ///< rule == manual: bandwidth = factor * std; finite, > 0
  double adjust = 1.0;            ///< seaborn's bw_adjust: multiplies the factor; finite, > 0
  std::size_t grid_points = 200;  ///< seaborn's gridsize; 2 .. 100000
  double cut = 3.0;               ///< grid reaches cut bandwidths past the data (seaborn's cut); finite, >= 0
  GridSpan span = GridSpan::union_of_genres;
};

/// Throws std::invalid_argument naming the first parameter out of range.
void validate(const KdeOptions& options);

/// One-dimensional Gaussian KDE of a sample set (scipy.stats.gaussian_kde without weights).
class GaussianKde {
 public:
  /// Fits to `samples` (copied). Throws std::invalid_argument for fewer than 2 samples, a NaN/inf
  /// sample, all samples equal (zero variance: no bandwidth), or bad options.
  static GaussianKde fit(std::span<const double> samples, const KdeOptions& options = {});

  std::size_t count() const noexcept { return samples_.size(); }
  /// The factor that multiplies the sample std (scipy's kde.factor, times adjust).
  double factor() const noexcept { return factor_; }
  /// Kernel standard deviation in feature units (sqrt of scipy's kde.covariance).
  double bandwidth() const noexcept { return bandwidth_; }

  /// Densities at numpy.linspace(first, last, out.size()) (out.size() >= 2, first < last).
  /// Fast: per sample, kernel values are walked outwards from the nearest grid point by a
  /// multiplicative recurrence (3 exp per sample, then 2 multiplications per point, re-anchored
  /// by 2 exp every 32 points) and stop
  /// once below 1e-18 of the kernel peak. Agrees with evaluate_direct() to ~1e-14 of the maximum
  /// density (tested). Adds nothing for grid points beyond the kernels' reach (exactly 0).
  void evaluate_grid(double first, double last, std::span<double> out) const;
  /// The density at x by the plain sum over all samples (scipy's evaluate): the reference.
  double evaluate_direct(double x) const;

 private:
  GaussianKde(std::vector<double> samples, double factor, double bandwidth);
  std::vector<double> samples_;
  double factor_;
  double bandwidth_;
};

/// Bandwidth factor of `rule` for n samples (before adjust).
double bandwidth_factor(BandwidthRule rule, std::size_t n, double manual_factor) noexcept;

/// One genre's curve on the feature's grid.
struct GenreDensity {
  std::size_t count = 0;        ///< rows of this genre
  double bandwidth = 0.0;       ///< kernel std in feature units; 0 when skipped
  double weight = 0.0;          ///< count / all rows: multiply the density by it for seaborn's common_norm
  std::vector<double> density;  ///< one value per grid point; empty when skipped
  std::string skipped;          ///< why there is no curve ("fewer than 2 rows", "zero variance"); empty otherwise
};

/// The curves of one feature: a shared grid and one entry per genre code.
struct FeatureKde {
  std::vector<double> grid;          ///< evenly spaced, feature units; empty when no genre has a curve
  std::vector<GenreDensity> genres;  ///< indexed by genre code
};

/// Per-genre KDE of features on a shared grid. Genres with fewer than 2 rows or all values equal
/// get no curve and a reason, as seaborn skips them ("Dataset has 0 variance").
class GenreKde {
 public:
  /// Validates the options (throws std::invalid_argument).
  explicit GenreKde(const KdeOptions& options = {});
  const KdeOptions& options() const noexcept { return options_; }

  /// Curves of one feature column. labels: one genre code in [0, n_genres) per row. Throws
  /// std::invalid_argument for mismatched sizes, bad labels or a NaN/inf value.
  FeatureKde compute(std::span<const double> column, std::span<const int> labels, std::size_t n_genres) const;
  /// Curves of every column of x (rows = tracks), in column order.
  std::vector<FeatureKde> compute_all(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const int> labels,
                                      std::size_t n_genres) const;

 private:
  FeatureKde compute_grouped(std::span<const double> column, const std::vector<std::vector<std::size_t>>& groups,
                             std::vector<double>& scratch) const;
  KdeOptions options_;
};

}  // namespace genrelab::stats

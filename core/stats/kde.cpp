#include "stats/kde.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "stats/feature_matrix.h"

namespace genrelab::stats {
namespace {

// Kernel values below this fraction of the kernel's peak are not added. Past it the walk stops;
// the neglected tail of one kernel is below ~1e-17 of its peak (the ratios shrink geometrically).
constexpr double kTail = 1e-18;
constexpr std::size_t kMaxGridPoints = 100000;
// Steps between exact recomputations of the walked kernel value (rounding grows ~3 eps per step).
constexpr long kReanchor = 32;

struct SampleMoments {
  double mean = 0.0;
  double std = 0.0;  // ddof = 1
  double min = 0.0;
  double max = 0.0;
};

// Two passes, as numpy.cov: the mean, then the sum of squared deviations.
SampleMoments sample_moments(std::span<const double> v) {
  SampleMoments m;
  m.min = m.max = v.front();
  double sum = 0.0;
  for (const double x : v) {
    sum += x;
    m.min = std::min(m.min, x);
    m.max = std::max(m.max, x);
  }
  const double n = static_cast<double>(v.size());
  m.mean = sum / n;
  double ss = 0.0;
  for (const double x : v) ss += (x - m.mean) * (x - m.mean);
  m.std = std::sqrt(ss / (n - 1.0));
  return m;
}

// numpy.linspace(first, last, n): first + i * step, the last point exactly `last`.
std::vector<double> linspace(double first, double last, std::size_t n) {
  std::vector<double> g(n);
  const double step = (last - first) / static_cast<double>(n - 1);
  for (std::size_t i = 0; i < n; ++i) g[i] = static_cast<double>(i) * step + first;
  g.back() = last;
  return g;
}

}  // namespace

std::string_view to_string(BandwidthRule rule) noexcept {
  switch (rule) {
    case BandwidthRule::scott:
      return "scott";
    case BandwidthRule::silverman:
      return "silverman";
    case BandwidthRule::manual:
      return "manual";
  }
  return "scott";
}

std::optional<BandwidthRule> parse_bandwidth_rule(std::string_view text) noexcept {
  if (text == "scott") return BandwidthRule::scott;
  if (text == "silverman") return BandwidthRule::silverman;
  if (text == "manual") return BandwidthRule::manual;
  return std::nullopt;
}

void validate(const KdeOptions& o) {
  if (!(std::isfinite(o.manual_factor) && o.manual_factor > 0.0))
    throw std::invalid_argument("KDE: manual_factor must be finite and > 0, got " + std::to_string(o.manual_factor));
  if (!(std::isfinite(o.adjust) && o.adjust > 0.0))
    throw std::invalid_argument("KDE: adjust must be finite and > 0, got " + std::to_string(o.adjust));
  if (o.grid_points < 2 || o.grid_points > kMaxGridPoints)
    throw std::invalid_argument("KDE: grid_points must be in [2, " + std::to_string(kMaxGridPoints) + "], got " +
                                std::to_string(o.grid_points));
  if (!(std::isfinite(o.cut) && o.cut >= 0.0))
    throw std::invalid_argument("KDE: cut must be finite and >= 0, got " + std::to_string(o.cut));
}

double bandwidth_factor(BandwidthRule rule, std::size_t n, double manual_factor) noexcept {
  const double nd = static_cast<double>(n);
  switch (rule) {
    case BandwidthRule::scott:
      return std::pow(nd, -1.0 / 5.0);
    case BandwidthRule::silverman:
      return std::pow(nd * 3.0 / 4.0, -1.0 / 5.0);
    case BandwidthRule::manual:
      return manual_factor;
  }
  return std::pow(nd, -1.0 / 5.0);
}

GaussianKde::GaussianKde(std::vector<double> samples, double factor, double bandwidth)
    : samples_(std::move(samples)), factor_(factor), bandwidth_(bandwidth) {}

GaussianKde GaussianKde::fit(std::span<const double> samples, const KdeOptions& options) {
  validate(options);
  if (samples.size() < 2)
    throw std::invalid_argument("KDE: needs at least 2 samples, got " + std::to_string(samples.size()));
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (!std::isfinite(samples[i]))
      throw std::invalid_argument("KDE: sample " + std::to_string(i) + " is not a finite number");
  const auto m = sample_moments(samples);
  if (m.min == m.max) throw std::invalid_argument("KDE: all samples are equal (zero variance, no bandwidth)");
  const double factor = bandwidth_factor(options.rule, samples.size(), options.manual_factor) * options.adjust;
  return GaussianKde({samples.begin(), samples.end()}, factor, factor * m.std);
}

void GaussianKde::evaluate_grid(double first, double last, std::span<double> out) const {
  const std::size_t g = out.size();
  if (g < 2 || !(first < last) || !std::isfinite(first) || !std::isfinite(last))
    throw std::invalid_argument("KDE: evaluate_grid needs at least 2 points and a finite first < last");
  std::fill(out.begin(), out.end(), 0.0);
  const double step = (last - first) / static_cast<double>(g - 1);
  const double h = bandwidth_;
  const double inv2h2 = 1.0 / (2.0 * h * h);
  // Kernel value k(d) = exp(-d^2 / 2h^2) at d = x_j - s. Between neighbours the ratio
  // k(d + step) / k(d) = exp(-(2 d step + step^2) / 2h^2), and that ratio itself changes by the
  // constant factor q = exp(-step^2 / h^2) per step; the same holds walking left with -step.
  // Every kReanchor steps both are recomputed exactly, so rounding cannot build up over long walks.
  const double q = std::exp(-2.0 * step * step * inv2h2);
  const auto last_index = static_cast<long>(g - 1);
  for (const double s : samples_) {
    const long j0 = std::clamp(std::lround((s - first) / step), 0L, last_index);
    const double d0 = (static_cast<double>(j0) * step + first) - s;
    const double v0 = std::exp(-d0 * d0 * inv2h2);
    out[static_cast<std::size_t>(j0)] += v0;
    // |d0| <= step / 2 inside the grid, so both ratios start at <= 1 and the walks only decrease.
    for (const long dir : {1L, -1L}) {
      const double signed_step = static_cast<double>(dir) * step;
      double ratio = std::exp(-(2.0 * d0 * signed_step + step * step) * inv2h2);
      double v = v0;
      long since_anchor = 0;
      for (long j = j0 + dir; j >= 0 && j <= last_index; j += dir) {
        if (++since_anchor == kReanchor) {
          since_anchor = 0;
          const double d = (static_cast<double>(j) * step + first) - s;
          v = std::exp(-d * d * inv2h2);
          ratio = std::exp(-(2.0 * d * signed_step + step * step) * inv2h2);
        } else {
          v *= ratio;
          ratio *= q;
        }
        if (v < kTail) break;
        out[static_cast<std::size_t>(j)] += v;
      }
    }
  }
  const double norm = 1.0 / (static_cast<double>(samples_.size()) * h * std::sqrt(2.0 * std::numbers::pi));
  for (double& o : out) o *= norm;
}

double GaussianKde::evaluate_direct(double x) const {
  const double inv2h2 = 1.0 / (2.0 * bandwidth_ * bandwidth_);
  double sum = 0.0;
  for (const double s : samples_) sum += std::exp(-(x - s) * (x - s) * inv2h2);
  return sum / (static_cast<double>(samples_.size()) * bandwidth_ * std::sqrt(2.0 * std::numbers::pi));
}

GenreKde::GenreKde(const KdeOptions& options) : options_(options) { validate(options_); }

FeatureKde GenreKde::compute(std::span<const double> column, std::span<const int> labels, std::size_t n_genres) const {
  require_labels(labels, column.size(), n_genres, "KDE");
  std::vector<std::vector<std::size_t>> groups(n_genres);
  for (std::size_t r = 0; r < labels.size(); ++r) groups[static_cast<std::size_t>(labels[r])].push_back(r);
  std::vector<double> scratch;
  return compute_grouped(column, groups, scratch);
}

std::vector<FeatureKde> GenreKde::compute_all(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const int> labels,
                                              std::size_t n_genres) const {
  require_labels(labels, static_cast<std::size_t>(x.rows()), n_genres, "KDE");
  std::vector<std::vector<std::size_t>> groups(n_genres);
  for (std::size_t r = 0; r < labels.size(); ++r) groups[static_cast<std::size_t>(labels[r])].push_back(r);
  std::vector<FeatureKde> out;
  out.reserve(static_cast<std::size_t>(x.cols()));
  std::vector<double> column(static_cast<std::size_t>(x.rows()));
  std::vector<double> scratch;
  for (Eigen::Index c = 0; c < x.cols(); ++c) {
    Eigen::Map<Eigen::VectorXd>(column.data(), x.rows()) = x.col(c);
    out.push_back(compute_grouped(column, groups, scratch));
  }
  return out;
}

FeatureKde GenreKde::compute_grouped(std::span<const double> column,
                                     const std::vector<std::vector<std::size_t>>& groups,
                                     std::vector<double>& scratch) const {
  for (std::size_t r = 0; r < column.size(); ++r)
    if (!std::isfinite(column[r]))
      throw std::invalid_argument("KDE: row " + std::to_string(r) + " is not a finite number");
  FeatureKde result;
  result.genres.resize(groups.size());
  std::vector<std::optional<GaussianKde>> fitted(groups.size());
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    auto& gd = result.genres[g];
    gd.count = groups[g].size();
    gd.weight = column.empty() ? 0.0 : static_cast<double>(gd.count) / static_cast<double>(column.size());
    if (gd.count < 2) {
      gd.skipped = gd.count == 0 ? "no rows" : "fewer than 2 rows";
      continue;
    }
    scratch.resize(gd.count);
    for (std::size_t i = 0; i < gd.count; ++i) scratch[i] = column[groups[g][i]];
    const auto [mn, mx] = std::minmax_element(scratch.begin(), scratch.end());
    if (*mn == *mx) {
      gd.skipped = "zero variance";
      continue;
    }
    fitted[g] = GaussianKde::fit(scratch, options_);
    gd.bandwidth = fitted[g]->bandwidth();
    lo = std::min(lo, *mn - options_.cut * gd.bandwidth);
    hi = std::max(hi, *mx + options_.cut * gd.bandwidth);
  }
  if (lo > hi) return result;  // no genre has a curve: no grid either
  if (options_.span == GridSpan::pooled) {
    // seaborn's common_grid: the support of a KDE of all rows with the same rule.
    const auto m = sample_moments(column);
    const double bw = bandwidth_factor(options_.rule, column.size(), options_.manual_factor) * options_.adjust * m.std;
    lo = m.min - options_.cut * bw;
    hi = m.max + options_.cut * bw;
  }
  result.grid = linspace(lo, hi, options_.grid_points);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (!fitted[g]) continue;
    auto& density = result.genres[g].density;
    density.resize(options_.grid_points);
    fitted[g]->evaluate_grid(lo, hi, density);
  }
  return result;
}

}  // namespace genrelab::stats

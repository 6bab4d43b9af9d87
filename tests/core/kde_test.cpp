#include "stats/kde.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "stats_test_util.h"

using namespace genrelab;
using genrelab::test::to_doubles;
using stats::BandwidthRule;
using stats::GaussianKde;
using stats::GenreKde;
using stats::KdeOptions;

namespace {

std::vector<double> normal_samples(std::size_t n, double mean, double sd, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(mean, sd);
  std::vector<double> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

double sample_std(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

}  // namespace

TEST(Kde, BandwidthRulesAreScipys) {
  // scipy.stats.gaussian_kde: scotts_factor = n**(-1/(d+4)), silverman_factor = (n*(d+2)/4)**(-1/(d+4)), d = 1.
  EXPECT_DOUBLE_EQ(stats::bandwidth_factor(BandwidthRule::scott, 100, 0), std::pow(100.0, -0.2));
  EXPECT_DOUBLE_EQ(stats::bandwidth_factor(BandwidthRule::silverman, 100, 0), std::pow(75.0, -0.2));
  EXPECT_DOUBLE_EQ(stats::bandwidth_factor(BandwidthRule::manual, 100, 0.3), 0.3);
  const auto v = normal_samples(57, 2.0, 3.0, 1);
  const auto kde = GaussianKde::fit(v);
  EXPECT_NEAR(kde.bandwidth(), std::pow(57.0, -0.2) * sample_std(v), 1e-15 * kde.bandwidth());
  const auto adjusted = GaussianKde::fit(v, {.rule = BandwidthRule::silverman, .adjust = 2.0});
  EXPECT_NEAR(adjusted.factor(), 2.0 * std::pow(57.0 * 0.75, -0.2), 1e-15);
  EXPECT_NEAR(adjusted.bandwidth(), adjusted.factor() * sample_std(v), 1e-15 * adjusted.bandwidth());
}

TEST(Kde, RejectsBadInputAndOptions) {
  const std::vector<double> one{1.0}, same{2.0, 2.0, 2.0}, nan{1.0, std::nan(""), 2.0};
  EXPECT_THROW(GaussianKde::fit(one), std::invalid_argument);
  EXPECT_THROW(GaussianKde::fit(same), std::invalid_argument);
  EXPECT_THROW(GaussianKde::fit(nan), std::invalid_argument);
  EXPECT_THROW(GenreKde({.grid_points = 1}), std::invalid_argument);
  EXPECT_THROW(GenreKde({.cut = -1.0}), std::invalid_argument);
  EXPECT_THROW(GenreKde({.adjust = 0.0}), std::invalid_argument);
  EXPECT_THROW(GenreKde({.rule = BandwidthRule::manual, .manual_factor = -0.5}), std::invalid_argument);
  EXPECT_THROW(GenreKde({.manual_factor = std::numeric_limits<double>::infinity()}), std::invalid_argument);
  const GenreKde kde;
  const std::vector<double> col{1, 2, 3, std::numeric_limits<double>::infinity()};
  const std::vector<int> labels{0, 0, 0, 0};
  EXPECT_THROW(kde.compute(col, labels, 1), std::invalid_argument);
  const std::vector<double> ok{1, 2, 3, 4};
  const std::vector<int> bad_labels{0, 1, 2, 0};
  EXPECT_THROW(kde.compute(ok, bad_labels, 2), std::invalid_argument);              // label 2 out of range
  EXPECT_THROW(kde.compute(ok, std::vector<int>{0, 0}, 1), std::invalid_argument);  // size mismatch
}

// The fast grid evaluation against the plain sum, over grids much finer and much coarser than the
// bandwidth and grids that do not cover every sample. Bound: the recurrence accumulates ~3 roundings
// per step and is re-anchored every 32 steps (~1e-14 relative per kernel value); the cut tail is
// < 1e-17 of a kernel peak; the direct sum itself rounds ~1e-16 per term. 1e-13 of the peak.
TEST(Kde, FastGridMatchesDirectSum) {
  for (const unsigned seed : {1u, 2u, 3u}) {
    auto v = normal_samples(300, 0.0, 1.0, seed);
    const auto w = normal_samples(100, 6.0, 0.2, seed + 10);  // a narrow second mode
    v.insert(v.end(), w.begin(), w.end());
    const auto kde = GaussianKde::fit(v);
    struct Grid {
      double first, last;
      std::size_t n;
    };
    for (const auto g : {Grid{-5.0, 8.0, 200}, Grid{-5.0, 8.0, 5000}, Grid{-5.0, 8.0, 7}, Grid{-1.0, 1.0, 50},
                         Grid{5.9, 6.1, 300}, Grid{-40.0, 40.0, 200}}) {
      std::vector<double> fast(g.n);
      kde.evaluate_grid(g.first, g.last, fast);
      const double step = (g.last - g.first) / static_cast<double>(g.n - 1);
      double peak = 0, worst = 0;
      for (std::size_t i = 0; i < g.n; ++i) {
        const double x = i + 1 == g.n ? g.last : static_cast<double>(i) * step + g.first;
        const double exact = kde.evaluate_direct(x);
        peak = std::max(peak, exact);
        worst = std::max(worst, std::abs(fast[i] - exact));
        ASSERT_GE(fast[i], 0.0);
      }
      EXPECT_LE(worst, 1e-13 * peak) << "seed " << seed << " grid " << g.first << ".." << g.last << " x" << g.n;
    }
  }
}

TEST(Kde, DensityIntegratesToOne) {
  const auto v = normal_samples(200, 10.0, 2.0, 7);
  const auto kde = GaussianKde::fit(v);
  std::vector<double> d(4001);
  kde.evaluate_grid(-10.0, 30.0, d);
  double area = 0;  // trapezoid rule, step 0.01 << bandwidth (~0.7): error << 1e-6
  for (std::size_t i = 0; i + 1 < d.size(); ++i) area += 0.5 * (d[i] + d[i + 1]) * 0.01;
  EXPECT_NEAR(area, 1.0, 1e-6);
}

TEST(Kde, SkipsGenresWithoutVarianceAndNamesTheReason) {
  const GenreKde kde;
  // genre 0: varied; genre 1: one row; genre 2: constant; genre 3: no rows.
  const std::vector<double> col{1.0, 2.0, 4.0, 9.0, 5.0, 5.0, 5.0};
  const std::vector<int> labels{0, 0, 0, 1, 2, 2, 2};
  const auto f = kde.compute(col, labels, 4);
  ASSERT_EQ(f.genres.size(), 4u);
  ASSERT_EQ(f.grid.size(), 200u);
  EXPECT_EQ(f.genres[0].density.size(), 200u);
  EXPECT_TRUE(f.genres[0].skipped.empty());
  EXPECT_EQ(f.genres[1].skipped, "fewer than 2 rows");
  EXPECT_EQ(f.genres[2].skipped, "zero variance");
  EXPECT_EQ(f.genres[3].skipped, "no rows");
  for (std::size_t g = 1; g < 4; ++g) {
    EXPECT_TRUE(f.genres[g].density.empty());
    EXPECT_EQ(f.genres[g].bandwidth, 0.0);
  }
  EXPECT_DOUBLE_EQ(f.genres[2].weight, 3.0 / 7.0);
  // The grid spans genre 0's support only: [1 - 3 bw, 4 + 3 bw].
  EXPECT_NEAR(f.grid.front(), 1.0 - 3.0 * f.genres[0].bandwidth, 1e-12);
  EXPECT_NEAR(f.grid.back(), 4.0 + 3.0 * f.genres[0].bandwidth, 1e-12);
  for (double d : f.genres[0].density) ASSERT_TRUE(std::isfinite(d));
  // No genre estimable (a constant feature): no grid, no curve, no NaN.
  const auto flat = kde.compute(std::vector<double>{3, 3, 3, 3}, std::vector<int>{0, 0, 1, 1}, 2);
  EXPECT_TRUE(flat.grid.empty());
  EXPECT_EQ(flat.genres[0].skipped, "zero variance");
}

// Against scipy.stats.gaussian_kde (scipy 1.10.1) per genre of features_30_sec.csv, on grids
// defined as seaborn 0.12's _define_support_grid (see scripts/reference/stats_reference.py).
// Tolerances: bandwidths come from the same two-pass std in a different summation order
// (~1e-15 relative); densities differ by that through the kernel width plus scipy's Cholesky
// whitening, a few 1e-15 of the peak; 1e-12 of the peak leaves a wide margin and is still far
// below anything a plot can show.
TEST(Kde, MatchesScipyPerGenreOnGtzan) {
  GENRELAB_REQUIRE_STATS_REF(m, ref);
  for (const auto& [key, r] : ref["kde"].items()) {
    const std::string feature = key.substr(0, key.find('/'));
    const auto col = std::find(m.feature_names.begin(), m.feature_names.end(), feature) - m.feature_names.begin();
    ASSERT_LT(col, static_cast<long>(m.cols())) << feature;
    KdeOptions o;
    o.rule = *stats::parse_bandwidth_rule(r["rule"].get<std::string>());
    if (!r["manual_factor"].is_null()) o.manual_factor = r["manual_factor"].get<double>();
    o.span = r["span"] == "pooled" ? stats::GridSpan::pooled : stats::GridSpan::union_of_genres;
    const GenreKde kde(o);
    const std::vector<double> column(m.values.col(col).data(), m.values.col(col).data() + m.rows());
    const auto f = kde.compute(column, m.labels, m.label_names.size());
    ASSERT_EQ(f.grid.size(), r["grid_points"].get<std::size_t>()) << key;
    const double width = r["grid_last"].get<double>() - r["grid_first"].get<double>();
    EXPECT_NEAR(f.grid.front(), r["grid_first"].get<double>(), 1e-13 * width) << key;
    EXPECT_NEAR(f.grid.back(), r["grid_last"].get<double>(), 1e-13 * width) << key;
    const auto idx = r["indices"].get<std::vector<std::size_t>>();
    ASSERT_EQ(r["genres"].size(), f.genres.size());
    for (std::size_t g = 0; g < f.genres.size(); ++g) {
      const auto& rg = r["genres"][g];
      const double bw = rg["bandwidth"].get<double>();
      EXPECT_NEAR(f.genres[g].bandwidth, bw, 1e-13 * bw) << key << " genre " << g;
      EXPECT_DOUBLE_EQ(f.genres[g].weight, 0.1);
      const double peak = rg["max_density"].get<double>();
      const auto want = to_doubles(rg["density_at_indices"]);
      ASSERT_EQ(want.size(), idx.size());
      for (std::size_t i = 0; i < idx.size(); ++i)
        EXPECT_NEAR(f.genres[g].density[idx[i]], want[i], 1e-12 * peak) << key << " genre " << g << " point " << idx[i];
    }
  }
}

TEST(Kde, ComputeAllCoversEveryFeatureAndGenre) {
  if (!test::gtzan_30s()) GTEST_SKIP() << "shared GTZAN data not found (set GENRELAB_DATA)";
  const auto& m = *test::gtzan_30s();
  const GenreKde kde;
  const auto all = kde.compute_all(m.values, m.labels, m.label_names.size());
  ASSERT_EQ(all.size(), 57u);
  for (std::size_t c = 0; c < all.size(); ++c) {
    ASSERT_EQ(all[c].grid.size(), 200u);
    ASSERT_EQ(all[c].genres.size(), 10u);
    for (const auto& g : all[c].genres) {
      ASSERT_EQ(g.density.size(), 200u) << m.feature_names[c];
      // cut = 3 on the union grid: every curve is below 2% of its peak at both ends.
      const double peak = *std::max_element(g.density.begin(), g.density.end());
      EXPECT_LT(g.density.front(), 0.02 * peak) << m.feature_names[c];
      EXPECT_LT(g.density.back(), 0.02 * peak) << m.feature_names[c];
    }
  }
  // compute() on one column gives the same as compute_all().
  const std::vector<double> tempo(m.values.col(16).data(), m.values.col(16).data() + m.rows());
  const auto one = kde.compute(tempo, m.labels, 10);
  EXPECT_EQ(one.grid, all[16].grid);
  EXPECT_EQ(one.genres[3].density, all[16].genres[3].density);
}

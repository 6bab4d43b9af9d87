#include "stats/table_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "stats_test_util.h"

using namespace genrelab;
using genrelab::test::to_doubles;

namespace {

// Nothing the views plot may be NaN or infinite.
void expect_all_finite(const stats::TableAnalysis& a) {
  for (const auto& f : a.kde) {
    for (double g : f.grid) ASSERT_TRUE(std::isfinite(g));
    for (const auto& genre : f.genres)
      for (double d : genre.density) ASSERT_TRUE(std::isfinite(d));
  }
  EXPECT_TRUE(a.correlation.r.allFinite());
  EXPECT_TRUE(a.pca.explained_variance_ratio().allFinite());
  EXPECT_TRUE(a.pca.scores().allFinite());
  EXPECT_TRUE(a.pca.components().allFinite());
  EXPECT_TRUE(a.similarity.mean.allFinite());
  for (const auto& d : a.redundancy.dropped) EXPECT_TRUE(std::isfinite(d.r));
}

stats::LabeledMatrix synthetic(Eigen::Index rows, Eigen::Index cols, int genres, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n01;
  stats::LabeledMatrix m;
  m.values.resize(rows, cols);
  for (Eigen::Index i = 0; i < m.values.size(); ++i) m.values.data()[i] = n01(rng);
  for (Eigen::Index c = 0; c < cols; ++c)
    m.feature_names.push_back(c % 2 ? "mfcc" + std::to_string(c) + "_mean" : "f" + std::to_string(c));
  for (int g = 0; g < genres; ++g) m.label_names.push_back("g" + std::to_string(g));
  for (Eigen::Index r = 0; r < rows; ++r) m.labels.push_back(static_cast<int>(r % genres));
  return m;
}

}  // namespace

TEST(TableAnalysis, GtzanDefaultsAreTheStudys) {
  GENRELAB_REQUIRE_STATS_REF(m, ref);
  stats::AnalysisTimes times;
  const auto a = stats::analyze(m, {}, &times);
  ASSERT_EQ(a.redundancy.dropped.size(), 6u);
  EXPECT_EQ(a.redundancy.dropped[0].name, "spectral_bandwidth_mean");
  EXPECT_EQ(a.redundancy.dropped[5].name, "harmony_var");
  EXPECT_EQ(a.redundancy.kept.size(), 51u);
  ASSERT_EQ(a.kde.size(), 57u);
  EXPECT_EQ(a.kde[0].genres.size(), 10u);
  EXPECT_EQ(a.subset.size(), 57u);
  const auto ratio = to_doubles(ref["pca"]["all"]["explained_variance_ratio"]);
  for (Eigen::Index i = 0; i < 5; ++i)
    EXPECT_NEAR(a.pca.explained_variance_ratio()(i), ratio[static_cast<std::size_t>(i)], 1e-12);
  // Most similar genre pair by the reference block means.
  const auto& g = ref["similarity"]["all"]["genre_means"];
  double best = -2;
  for (std::size_t i = 0; i < 10; ++i)
    for (std::size_t j = i + 1; j < 10; ++j) best = std::max(best, g[i][j].get<double>());
  EXPECT_NEAR(a.ranked_pairs.front().similarity, best, 1e-13);
  EXPECT_GT(times.total, 0.0);
  EXPECT_GE(times.total, times.kde);
  expect_all_finite(a);
  // Study scope "mfcc" for PCA/similarity: 40 columns.
  const auto mf = stats::analyze(m, {.features = stats::FeatureSubset::mfcc, .compute_kde = false});
  EXPECT_EQ(mf.subset.size(), 40u);
  EXPECT_TRUE(mf.kde.empty());
  EXPECT_NEAR(mf.pca.explained_variance_ratio()(0), ref["pca"]["mfcc"]["explained_variance_ratio"][0].get<double>(),
              1e-12);
}

TEST(TableAnalysis, BadInputGivesDefinedResultsOrClearErrors) {
  // A constant column: no NaN anywhere, the column is flagged, never dropped by the filter.
  auto m = synthetic(60, 6, 3, 1);
  m.values.col(2).setConstant(0.25);
  const auto a = stats::analyze(m);
  EXPECT_TRUE(a.correlation.constant[2]);
  EXPECT_TRUE(a.scaler.constant()[2]);
  for (const auto& g : a.kde[2].genres) EXPECT_EQ(g.skipped, "zero variance");
  EXPECT_TRUE(a.kde[2].grid.empty());
  expect_all_finite(a);

  // A single genre: similarity is 1 x 1 and there are no pairs to rank.
  const auto one = stats::analyze(synthetic(30, 4, 1, 2));
  EXPECT_EQ(one.similarity.mean.rows(), 1);
  EXPECT_TRUE(one.ranked_pairs.empty());
  expect_all_finite(one);

  // Fewer rows than features: PCA keeps min(rows, columns) components; genres of 1 row get no KDE.
  const auto few = stats::analyze(synthetic(4, 10, 3, 3));
  EXPECT_EQ(few.pca.n_components(), 4u);
  EXPECT_EQ(few.kde[0].genres[2].skipped, "fewer than 2 rows");  // rows 0..3 -> genres 0,1,2,0
  expect_all_finite(few);

  // NaN and inf cells are refused with the column's name.
  auto bad = synthetic(20, 4, 2, 4);
  bad.values(7, 3) = std::numeric_limits<double>::infinity();
  try {
    stats::analyze(bad);
    FAIL() << "inf accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(bad.feature_names[3]), std::string::npos) << e.what();
  }
  // One row; no column in the chosen subset; everything constant in it (nothing for PCA); bad options.
  EXPECT_THROW(stats::analyze(synthetic(1, 4, 1, 5)), std::invalid_argument);
  auto no_mfcc = synthetic(20, 4, 2, 6);
  no_mfcc.feature_names = {"a", "b", "c", "d"};
  EXPECT_THROW(stats::analyze(no_mfcc, {.features = stats::FeatureSubset::mfcc}), std::invalid_argument);
  auto flat = synthetic(20, 4, 2, 7);
  flat.values.col(1).setConstant(1.0);
  flat.values.col(3).setConstant(2.0);
  EXPECT_THROW(stats::analyze(flat, {.features = stats::FeatureSubset::mfcc}), std::invalid_argument);
  EXPECT_THROW(stats::analyze(synthetic(20, 4, 2, 8), {.filter = {.threshold = 2.0}}), std::invalid_argument);
}

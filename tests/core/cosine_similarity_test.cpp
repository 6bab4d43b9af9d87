#include "stats/cosine_similarity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stats/feature_matrix.h"
#include "stats/standard_scaler.h"
#include "stats_test_util.h"

using namespace genrelab;
using genrelab::test::to_doubles;

// Against sklearn.metrics.pairwise.cosine_similarity (scikit-learn 1.2.1) on the StandardScaler'd
// features_30_sec.csv: genre x genre block means of the 1000 x 1000 matrix, per feature subset,
// and a corner of the track x track matrix. Tolerance: dot products of unit vectors of 17..57
// terms plus means over up to 10,000 of them, rounding ~1e-15; 1e-13 leaves margin.
TEST(CosineSimilarity, MatchesScikitLearnOnGtzan) {
  GENRELAB_REQUIRE_STATS_REF(m, ref);
  const Eigen::MatrixXd z = stats::StandardScaler::fit(m.values).transform(m.values);
  for (const auto subset : {stats::FeatureSubset::all, stats::FeatureSubset::mfcc, stats::FeatureSubset::non_mfcc}) {
    const auto name = std::string(stats::to_string(subset));
    const auto& r = ref["similarity"][name];
    const Eigen::MatrixXd zs = stats::select_columns(z, stats::subset_columns(m.feature_names, subset));
    const auto g = stats::genre_similarity(zs, m.labels, m.label_names.size());
    ASSERT_EQ(g.mean.rows(), 10);
    EXPECT_EQ(g.counts, std::vector<std::size_t>(10, 100));
    for (Eigen::Index a = 0; a < 10; ++a)
      for (Eigen::Index b = 0; b < 10; ++b)
        EXPECT_NEAR(g.mean(a, b),
                    r["genre_means"][static_cast<std::size_t>(a)][static_cast<std::size_t>(b)].get<double>(), 1e-13)
            << name << " " << m.label_names[static_cast<std::size_t>(a)] << "/"
            << m.label_names[static_cast<std::size_t>(b)];
    const auto tracks = stats::cosine_similarity(zs.topRows(5));
    for (Eigen::Index i = 0; i < 5; ++i)
      for (Eigen::Index j = 0; j < 5; ++j)
        EXPECT_NEAR(tracks(i, j),
                    r["tracks_0to4"][static_cast<std::size_t>(i)][static_cast<std::size_t>(j)].get<double>(), 1e-13);
    const auto near = stats::most_similar_rows(zs, 0, 5);
    ASSERT_EQ(near.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
      EXPECT_EQ(near[i].row, r["most_similar_to_row0"][i]["row"].get<std::size_t>()) << name;
      EXPECT_NEAR(near[i].similarity, r["most_similar_to_row0"][i]["cosine"].get<double>(), 1e-13);
    }
  }
}

// The O(n d) genre means equal the block means of the explicit n x n matrix.
TEST(CosineSimilarity, GenreMeansAreBlockMeansOfTrackMatrix) {
  if (!test::gtzan_30s()) GTEST_SKIP() << "shared GTZAN data not found (set GENRELAB_DATA)";
  const auto& m = *test::gtzan_30s();
  const Eigen::MatrixXd z = stats::StandardScaler::fit(m.values).transform(m.values);
  const auto s = stats::cosine_similarity(z);
  ASSERT_EQ(s.rows(), 1000);
  EXPECT_LT((s - s.transpose()).cwiseAbs().maxCoeff(), 1e-15);
  EXPECT_NEAR(s.diagonal().minCoeff(), 1.0, 1e-14);
  const auto g = stats::genre_similarity(z, m.labels, 10);
  Eigen::MatrixXd block = Eigen::MatrixXd::Zero(10, 10);
  for (Eigen::Index i = 0; i < 1000; ++i)
    for (Eigen::Index j = 0; j < 1000; ++j)
      block(m.labels[static_cast<std::size_t>(i)], m.labels[static_cast<std::size_t>(j)]) += s(i, j) / 1e4;
  EXPECT_LT((block - g.mean).cwiseAbs().maxCoeff(), 1e-13);
  const auto pairs = stats::ranked_genre_pairs(g);
  ASSERT_EQ(pairs.size(), 45u);
  for (std::size_t i = 1; i < pairs.size(); ++i) EXPECT_GE(pairs[i - 1].similarity, pairs[i].similarity);
  EXPECT_LT(pairs.front().a, pairs.front().b);
}

TEST(CosineSimilarity, ZeroRowsGiveZeroNotNaN) {
  Eigen::MatrixXd x(3, 2);
  x << 1, 0,  //
      0, 0,   //
      3, 4;
  const auto s = stats::cosine_similarity(x);
  EXPECT_TRUE(s.allFinite());
  EXPECT_EQ(s(1, 1), 0.0);
  EXPECT_EQ(s(0, 1), 0.0);
  EXPECT_NEAR(s(0, 2), 0.6, 1e-15);
  const auto g = stats::genre_similarity(x, std::vector<int>{0, 1, 1}, 2);
  EXPECT_TRUE(g.mean.allFinite());
  EXPECT_NEAR(g.mean(0, 1), 0.3, 1e-15);  // (0 + 0.6) / 2
}

TEST(CosineSimilarity, SingleGenreAndBadInput) {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(4, 3);
  const auto g = stats::genre_similarity(x, std::vector<int>{0, 0, 0, 0}, 1);
  EXPECT_EQ(g.mean.rows(), 1);
  EXPECT_TRUE(stats::ranked_genre_pairs(g).empty());
  EXPECT_THROW(stats::genre_similarity(x, std::vector<int>{0, 0, 0, 0}, 2), std::invalid_argument);  // genre 1 empty
  EXPECT_THROW(stats::genre_similarity(x, std::vector<int>{0, 0, 0}, 1), std::invalid_argument);
  Eigen::MatrixXd bad = x;
  bad(0, 0) = std::numeric_limits<double>::infinity();
  EXPECT_THROW(stats::cosine_similarity(bad), std::invalid_argument);
  EXPECT_THROW(stats::most_similar_rows(x, 4, 2), std::invalid_argument);
  EXPECT_EQ(stats::most_similar_rows(x, 0, 10).size(), 3u);
}

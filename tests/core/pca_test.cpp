#include "stats/pca.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "stats/feature_matrix.h"
#include "stats/standard_scaler.h"
#include "stats_test_util.h"

using namespace genrelab;
using genrelab::test::to_doubles;
using stats::Pca;

namespace {

Eigen::MatrixXd random_matrix(Eigen::Index n, Eigen::Index d, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n01;
  Eigen::MatrixXd x(n, d);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = n01(rng);
  return x;
}

// svd_flip(u_based_decision=True): in each score column the entry of largest magnitude is > 0.
void expect_u_based_signs(const Pca& p) {
  for (Eigen::Index c = 0; c < p.scores().cols(); ++c) {
    Eigen::Index row = 0;
    p.scores().col(c).cwiseAbs().maxCoeff(&row);
    EXPECT_GT(p.scores()(row, c), 0.0) << "component " << c;
  }
}

}  // namespace

// Against sklearn.decomposition.PCA(svd_solver="full") (scikit-learn 1.2.1, LAPACK gesdd) on the
// StandardScaler'd features_30_sec.csv, per feature subset. Tolerances: ratios and variances are
// squared singular values, which two backward-stable SVDs agree on to ~1e-15 relative of the
// largest (1e-12 absolute for ratios, 1e-10 relative for variances leave margin). Singular vectors
// are only as accurate as eps * s_max / gap to the nearest other singular value; the first three
// gaps here are >= 3% of s_max, so 1e-10 for components and scores. Signs must match exactly.
TEST(Pca, MatchesScikitLearnOnGtzanSubsets) {
  GENRELAB_REQUIRE_STATS_REF(m, ref);
  const Eigen::MatrixXd z = stats::StandardScaler::fit(m.values).transform(m.values);
  for (const auto subset : {stats::FeatureSubset::all, stats::FeatureSubset::mfcc, stats::FeatureSubset::non_mfcc}) {
    const auto name = std::string(stats::to_string(subset));
    const auto& r = ref["pca"][name];
    const auto cols = stats::subset_columns(m.feature_names, subset);
    const auto p = Pca::fit(stats::select_columns(z, cols));
    const auto ratio = to_doubles(r["explained_variance_ratio"]);
    const auto var = to_doubles(r["explained_variance"]);
    ASSERT_EQ(p.n_components(), cols.size()) << name;
    ASSERT_EQ(ratio.size(), cols.size()) << name;
    for (std::size_t i = 0; i < ratio.size(); ++i) {
      EXPECT_NEAR(p.explained_variance_ratio()(static_cast<Eigen::Index>(i)), ratio[i], 1e-12) << name << " " << i;
      EXPECT_NEAR(p.explained_variance()(static_cast<Eigen::Index>(i)), var[i], 1e-10 * var[0]) << name << " " << i;
    }
    for (std::size_t k = 0; k < 3; ++k) {
      const auto comp = to_doubles(r["components_first3"][k]);
      for (std::size_t j = 0; j < comp.size(); ++j)
        EXPECT_NEAR(p.components()(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)), comp[j], 1e-10)
            << name << " component " << k << " feature " << j;
      for (std::size_t row = 0; row < 5; ++row)
        EXPECT_NEAR(p.scores()(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(k)),
                    r["scores_rows0to4_first3"][row][k].get<double>(), 1e-10)
            << name << " row " << row << " component " << k;
    }
    expect_u_based_signs(p);
    EXPECT_NEAR(p.explained_variance_ratio().sum(), 1.0, 1e-13);
  }
}

TEST(Pca, MatchesScikitLearnOnThreeSecondSubset) {
  const auto& ref = test::stats_reference();
  if (!test::gtzan_3s_subset() || !ref.contains("pca_3sec_subset")) GTEST_SKIP() << "3-s subset not available";
  const auto& m = *test::gtzan_3s_subset();
  ASSERT_EQ(m.rows(), ref["pca_3sec_subset"]["rows"].get<std::size_t>());
  const auto p = Pca::fit(stats::StandardScaler::fit(m.values).transform(m.values), 10);
  const auto ratio = to_doubles(ref["pca_3sec_subset"]["explained_variance_ratio_first10"]);
  for (Eigen::Index i = 0; i < 10; ++i)
    EXPECT_NEAR(p.explained_variance_ratio()(i), ratio[static_cast<std::size_t>(i)], 1e-12);
  for (std::size_t k = 0; k < 2; ++k) {  // same gap argument as above
    const auto comp = to_doubles(ref["pca_3sec_subset"]["components_first2"][k]);
    for (std::size_t j = 0; j < comp.size(); ++j)
      EXPECT_NEAR(p.components()(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)), comp[j], 1e-10);
  }
}

TEST(Pca, TransformReproducesScoresAndKeepsRequestedComponents) {
  const Eigen::MatrixXd x = random_matrix(200, 6, 3) * Eigen::VectorXd::LinSpaced(6, 1.0, 6.0).asDiagonal();
  const auto p = Pca::fit(x, 2);
  EXPECT_EQ(p.n_components(), 2u);
  EXPECT_EQ(p.components().cols(), 6);
  EXPECT_LT((p.transform(x) - p.scores()).cwiseAbs().maxCoeff(), 1e-12);
  // Components are orthonormal; the 2 kept ratios are the top of all 6.
  EXPECT_LT((p.components() * p.components().transpose() - Eigen::Matrix2d::Identity()).cwiseAbs().maxCoeff(), 1e-12);
  const auto full = Pca::fit(x);
  EXPECT_NEAR(p.explained_variance_ratio()(1), full.explained_variance_ratio()(1), 1e-14);
  EXPECT_GT(full.explained_variance_ratio()(0), full.explained_variance_ratio()(5));
  expect_u_based_signs(p);
  // Flipping the data flips the scores, and the sign rule flips them back.
  const auto neg = Pca::fit(-x, 2);
  EXPECT_LT((neg.scores() - p.scores()).cwiseAbs().maxCoeff(), 1e-10);
}

TEST(Pca, VBasedSignsOfRecentScikitLearn) {
  const Eigen::MatrixXd x = random_matrix(100, 5, 4) * Eigen::VectorXd::LinSpaced(5, 1.0, 5.0).asDiagonal();
  const auto u = Pca::fit(x);
  const auto v = Pca::fit(x, 0, stats::PcaSigns::v_based);
  for (Eigen::Index c = 0; c < 5; ++c) {
    Eigen::Index at = 0;
    v.components().row(c).cwiseAbs().maxCoeff(&at);
    EXPECT_GT(v.components()(c, at), 0.0) << "component " << c;
    // Same axes and ratios, at most a sign apart.
    const double dot = u.components().row(c).dot(v.components().row(c));
    EXPECT_NEAR(std::abs(dot), 1.0, 1e-12);
    EXPECT_LT((v.scores().col(c) - std::copysign(1.0, dot) * u.scores().col(c)).cwiseAbs().maxCoeff(), 1e-12);
  }
  EXPECT_EQ(u.explained_variance_ratio(), v.explained_variance_ratio());
}

TEST(Pca, FewerRowsThanFeaturesIsDefined) {
  const Eigen::MatrixXd x = random_matrix(5, 12, 8);
  const auto p = Pca::fit(x);
  EXPECT_EQ(p.n_components(), 5u);  // min(rows, columns), as scikit-learn
  EXPECT_TRUE(p.explained_variance_ratio().allFinite());
  EXPECT_NEAR(p.explained_variance_ratio().sum(), 1.0, 1e-13);
  EXPECT_LT(p.explained_variance_ratio()(4), 1e-25);  // 5 centred rows span at most 4 dimensions
  EXPECT_TRUE(p.scores().allFinite());
}

TEST(Pca, RejectsDegenerateInput) {
  EXPECT_THROW(Pca::fit(Eigen::MatrixXd::Ones(1, 3)), std::invalid_argument);   // one row
  EXPECT_THROW(Pca::fit(Eigen::MatrixXd::Ones(10, 3)), std::invalid_argument);  // no variance at all
  EXPECT_THROW(Pca::fit(random_matrix(10, 3, 1), 4), std::invalid_argument);
  Eigen::MatrixXd x = random_matrix(10, 3, 1);
  x(4, 0) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(Pca::fit(x), std::invalid_argument);
  const auto p = Pca::fit(random_matrix(10, 3, 1));
  EXPECT_THROW(p.transform(Eigen::MatrixXd::Zero(2, 4)), std::invalid_argument);
  // One constant column among varying ones is fine: it gets no weight.
  Eigen::MatrixXd with_const = random_matrix(30, 3, 2);
  with_const.col(1).setConstant(7.0);
  const auto q = Pca::fit(with_const);
  EXPECT_TRUE(q.explained_variance_ratio().allFinite());
  EXPECT_LT(std::abs(q.components()(0, 1)), 1e-12);
}

#include "stats/standard_scaler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stats_test_util.h"

using namespace genrelab;
using genrelab::test::to_doubles;
using stats::StandardScaler;

// Against sklearn.preprocessing.StandardScaler (scikit-learn 1.2.1) on features_30_sec.csv.
// Tolerances: means and variances are sums over 1000 (or 800) values in a different order than
// numpy's pairwise sum, a few 1e-16 relative; 1e-13 relative leaves margin. Transformed values are
// O(1), so 1e-12 absolute.
TEST(StandardScaler, MatchesScikitLearnOnGtzan) {
  GENRELAB_REQUIRE_STATS_REF(m, ref);
  const auto s = StandardScaler::fit(m.values);
  EXPECT_EQ(s.features(), 57u);
  EXPECT_EQ(s.samples_seen(), 1000u);
  const auto mean = to_doubles(ref["scaler"]["mean"]);
  const auto scale = to_doubles(ref["scaler"]["scale"]);
  for (Eigen::Index c = 0; c < 57; ++c) {
    const auto i = static_cast<std::size_t>(c);
    EXPECT_NEAR(s.mean()(c), mean[i], 1e-13 * std::abs(mean[i]) + 1e-300) << m.feature_names[i];
    EXPECT_NEAR(s.scale()(c), scale[i], 1e-13 * scale[i]) << m.feature_names[i];
    EXPECT_FALSE(s.constant()[i]);
  }
  const auto& part_ref = ref["scaler"]["fit_first_800"];
  const auto part = StandardScaler::fit(m.values.topRows(800));
  const auto row = part.transform(m.values.row(900));
  const auto want = to_doubles(part_ref["row_900_transformed"]);
  for (Eigen::Index c = 0; c < 57; ++c) EXPECT_NEAR(row(0, c), want[static_cast<std::size_t>(c)], 1e-12);
  // Fitted rows come out with mean 0 and population std 1.
  const Eigen::MatrixXd z = s.transform(m.values);
  for (Eigen::Index c = 0; c < 57; ++c) {
    EXPECT_NEAR(z.col(c).mean(), 0.0, 1e-13);
    EXPECT_NEAR(std::sqrt(z.col(c).squaredNorm() / 1000.0), 1.0, 1e-13);
  }
}

TEST(StandardScaler, ConstantColumnsGetScaleOneAndMapToZero) {
  Eigen::MatrixXd x(4, 3);
  x << 1, 0.1, 5,  //
      2, 0.1, 5,   //
      3, 0.1, 5,   //
      4, 0.1, 5;
  const auto s = StandardScaler::fit(x);
  EXPECT_EQ(s.constant(), (std::vector<bool>{false, true, true}));
  EXPECT_EQ(s.scale()(1), 1.0);
  EXPECT_EQ(s.mean()(1), 0.1);  // exactly the value, though 4 x 0.1 / 4 is not
  EXPECT_EQ(s.variance()(2), 0.0);
  const auto z = s.transform(x);
  EXPECT_TRUE((z.col(1).array() == 0.0).all());
  EXPECT_TRUE((z.col(2).array() == 0.0).all());
  EXPECT_NEAR(s.scale()(0), std::sqrt(1.25), 1e-15);  // population std of 1..4
  // A single row: every column is constant.
  const auto one = StandardScaler::fit(x.topRows(1));
  EXPECT_EQ(one.constant(), (std::vector<bool>{true, true, true}));
  EXPECT_TRUE(one.transform(x).allFinite());
}

TEST(StandardScaler, RejectsNonFiniteAndShapeMismatch) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Random(5, 3);
  const auto s = StandardScaler::fit(x);
  x(1, 2) = std::numeric_limits<double>::infinity();
  EXPECT_THROW(StandardScaler::fit(x), std::invalid_argument);
  EXPECT_THROW(s.transform(x), std::invalid_argument);
  EXPECT_THROW(s.transform(Eigen::MatrixXd::Zero(2, 4)), std::invalid_argument);
  EXPECT_THROW(StandardScaler::fit(Eigen::MatrixXd(0, 3)), std::invalid_argument);
  EXPECT_THROW(StandardScaler::from_parameters(Eigen::VectorXd::Zero(2), Eigen::VectorXd::Zero(2)),
               std::invalid_argument);  // scale 0
  EXPECT_THROW(StandardScaler::from_parameters(Eigen::VectorXd::Zero(2), Eigen::VectorXd::Ones(3)),
               std::invalid_argument);
  const auto p = StandardScaler::from_parameters(Eigen::Vector2d(1.0, 2.0), Eigen::Vector2d(2.0, 4.0));
  const auto z = p.transform(Eigen::RowVector2d(3.0, 6.0));
  EXPECT_EQ(z(0, 0), 1.0);
  EXPECT_EQ(z(0, 1), 1.0);
}

TEST(StandardScaler, ConstantTestIsScikitLearns) {
  // _is_constant_feature: var <= n*eps*var + (n*mean*eps)^2.
  EXPECT_TRUE(stats::is_constant_feature(0.0, 5.0, 10));
  EXPECT_TRUE(stats::is_constant_feature(1e-30, 1.0, 1000));  // bound (1000 eps)^2 ~ 4.9e-26
  EXPECT_FALSE(stats::is_constant_feature(1e-20, 1.0, 1000));
  EXPECT_FALSE(stats::is_constant_feature(1e-30, 0.0, 1000));  // tiny but real spread around 0
}

#include "stats/correlation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <Eigen/Eigenvalues>

#include "stats_test_util.h"

using namespace genrelab;
using genrelab::test::to_doubles;

// Against numpy.corrcoef(x, rowvar=False) clipped to [-1, 1] (numpy 1.24.2) on features_30_sec.csv.
// Tolerance: both are sums of 1000 products of centred values in different orders; the rounding
// difference is a few 1e-16 per entry, 1e-13 leaves a wide margin.
TEST(Correlation, MatchesNumpyOnGtzan) {
  GENRELAB_REQUIRE_STATS_REF(m, ref);
  const auto c = stats::pearson_correlation(m.values);
  ASSERT_EQ(c.r.rows(), 57);
  const auto upper = to_doubles(ref["correlation_upper"]);
  ASSERT_EQ(upper.size(), 57u * 56u / 2u);
  std::size_t k = 0;
  double worst = 0;
  for (Eigen::Index i = 0; i < 57; ++i) {
    EXPECT_EQ(c.r(i, i), 1.0);
    EXPECT_FALSE(c.constant[static_cast<std::size_t>(i)]);
    for (Eigen::Index j = i + 1; j < 57; ++j, ++k) {
      worst = std::max(worst, std::abs(c.r(i, j) - upper[k]));
      ASSERT_EQ(c.r(i, j), c.r(j, i));
    }
  }
  EXPECT_LE(worst, 1e-13);
  // Spot check a pair the filter depends on: rolloff_mean ~ spectral_centroid_mean (r = 0.98).
  EXPECT_NEAR(c.r(4, 8), 0.979, 0.001);
}

TEST(Correlation, ConstantColumnsGiveZeroNotNaN) {
  Eigen::MatrixXd x(6, 4);
  x.col(0) << 1, 2, 3, 4, 5, 7;
  x.col(1).setConstant(0.1);  // the mean of six 0.1 is not exactly 0.1 in floating point
  x.col(2) = -2.0 * x.col(0).array() + 3.0;
  x.col(3) << 1e8, 1e8, 1e8, 1e8, 1e8, 1e8;
  const auto c = stats::pearson_correlation(x);
  EXPECT_TRUE(c.r.allFinite());
  EXPECT_FALSE(c.constant[0]);
  EXPECT_TRUE(c.constant[1]);
  EXPECT_FALSE(c.constant[2]);
  EXPECT_TRUE(c.constant[3]);
  EXPECT_EQ(c.r(0, 1), 0.0);
  EXPECT_EQ(c.r(1, 3), 0.0);
  EXPECT_EQ(c.r(1, 1), 1.0);
  EXPECT_NEAR(c.r(0, 2), -1.0, 1e-15);
  EXPECT_GE(c.r(0, 2), -1.0);  // clipped, never -1.0000000000000002
}

TEST(Correlation, RejectsTooFewRowsAndNonFinite) {
  EXPECT_THROW(stats::pearson_correlation(Eigen::MatrixXd::Ones(1, 3)), std::invalid_argument);
  EXPECT_THROW(stats::pearson_correlation(Eigen::MatrixXd(5, 0)), std::invalid_argument);
  Eigen::MatrixXd x = Eigen::MatrixXd::Random(5, 3);
  x(2, 1) = std::numeric_limits<double>::quiet_NaN();
  try {
    stats::pearson_correlation(x);
    FAIL() << "NaN accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("row 2, column 1"), std::string::npos) << e.what();
  }
}

TEST(Correlation, FewerRowsThanColumnsIsDefined) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n01;
  Eigen::MatrixXd x(3, 10);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = n01(rng);
  const auto c = stats::pearson_correlation(x);
  EXPECT_TRUE(c.r.allFinite());
  EXPECT_LE(c.r.cwiseAbs().maxCoeff(), 1.0);
  // With 3 rows the centred columns live in a 2-D plane: the matrix has rank <= 2.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(c.r);
  EXPECT_LT(eig.eigenvalues()(7), 1e-12);
}

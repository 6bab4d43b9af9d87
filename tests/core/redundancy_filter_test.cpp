#include "stats/redundancy_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "stats_test_util.h"

using namespace genrelab;
using genrelab::test::to_doubles;
using stats::FilterScope;
using stats::RedundancyFilter;

namespace {

const std::vector<std::string> kStudyDropped{"spectral_bandwidth_mean", "rolloff_mean",           "rolloff_var",
                                             "zero_crossing_rate_mean", "zero_crossing_rate_var", "harmony_var"};

std::vector<std::string> dropped_names(const stats::RedundancyResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.dropped) out.push_back(d.name);
  return out;
}

}  // namespace

// The study's filter (issue 4): non-MFCC scope at 0.8 drops exactly these six; 51 features stay.
TEST(RedundancyFilter, StudyDefaultDropsTheSixOnGtzan) {
  GENRELAB_REQUIRE_STATS_REF(m, ref);
  const auto c = stats::pearson_correlation(m.values);
  const auto r = RedundancyFilter().apply(c, m.feature_names);
  EXPECT_EQ(dropped_names(r), kStudyDropped);
  EXPECT_EQ(r.kept.size(), 51u);
  EXPECT_EQ(r.kept_names.size(), 51u);
  for (std::size_t i = 17; i < 57; ++i)
    EXPECT_NE(std::find(r.kept.begin(), r.kept.end(), i), r.kept.end()) << "MFCC column " << i << " must stay";
  // Partners and r against the reference (numpy.corrcoef; same 1e-13 as the correlation test).
  const auto& want = ref["redundancy"]["non-mfcc/0.8"];
  ASSERT_EQ(want.size(), r.dropped.size());
  for (std::size_t i = 0; i < r.dropped.size(); ++i) {
    EXPECT_EQ(r.dropped[i].partner_name, want[i]["partner"].get<std::string>()) << r.dropped[i].name;
    EXPECT_NEAR(r.dropped[i].r, want[i]["r"].get<double>(), 1e-13) << r.dropped[i].name;
    EXPECT_GE(std::abs(r.dropped[i].r), 0.8);
    EXPECT_LT(r.dropped[i].partner, r.dropped[i].column);
  }
  // Any threshold in [0.79, 0.84] gives the same six.
  for (const double t : {0.79, 0.81, 0.84})
    EXPECT_EQ(dropped_names(RedundancyFilter({.threshold = t}).apply(c, m.feature_names)), kStudyDropped) << t;
  EXPECT_NE(dropped_names(RedundancyFilter({.threshold = 0.78}).apply(c, m.feature_names)), kStudyDropped);
  EXPECT_NE(dropped_names(RedundancyFilter({.threshold = 0.85}).apply(c, m.feature_names)), kStudyDropped);
}

TEST(RedundancyFilter, AllColumnsScopeDrops18OnGtzan) {
  GENRELAB_REQUIRE_STATS_REF(m, ref);
  const auto c = stats::pearson_correlation(m.values);
  const auto r = RedundancyFilter({.threshold = 0.8, .scope = FilterScope::all}).apply(c, m.feature_names);
  ASSERT_EQ(r.dropped.size(), 18u);
  EXPECT_EQ(r.kept.size(), 39u);
  const auto& want = ref["redundancy"]["all/0.8"];
  ASSERT_EQ(want.size(), 18u);
  for (std::size_t i = 0; i < 18; ++i) {
    EXPECT_EQ(r.dropped[i].name, want[i]["column"].get<std::string>());
    EXPECT_EQ(r.dropped[i].partner_name, want[i]["partner"].get<std::string>());
  }
  // The first six are the study's: the walk is in column order and non-MFCC columns come first.
  const auto names = dropped_names(r);
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 6), kStudyDropped);
}

// "Earlier column" means any earlier column of the scope, even one that was itself dropped (the
// study's pandas recipe), not only the kept ones: A ~ B and B ~ C but A !~ C drops both B and C.
TEST(RedundancyFilter, ComparesWithDroppedColumnsToo) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> n01;
  const Eigen::Index n = 2000;
  Eigen::MatrixXd x(n, 3);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double a = n01(rng), e1 = n01(rng), e2 = n01(rng);
    x(i, 0) = a;
    x(i, 1) = a + 0.6 * e1;
    x(i, 2) = a + 0.6 * e1 + 0.9 * e2;
  }
  const auto c = stats::pearson_correlation(x);
  ASSERT_GE(c.r(0, 1), 0.8);  // preconditions of the construction
  ASSERT_GE(c.r(1, 2), 0.8);
  ASSERT_LT(c.r(0, 2), 0.8);
  const auto r = RedundancyFilter().apply(c, {"a", "b", "c"});
  EXPECT_EQ(dropped_names(r), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(r.dropped[1].partner_name, "b");
  EXPECT_EQ(r.kept_names, std::vector<std::string>{"a"});
}

TEST(RedundancyFilter, MfccColumnsStayInStudyScopeAndConstantsAreNeverDropped) {
  Eigen::MatrixXd x(5, 4);
  x.col(0) << 1, 2, 3, 4, 6;
  x.col(1) = 2.0 * x.col(0);  // mfcc1_mean: perfectly correlated, but MFCC
  x.col(2).setConstant(4.0);  // constant: r = 0
  x.col(3) = -x.col(0);       // perfectly anti-correlated non-MFCC column
  const std::vector<std::string> names{"tempo", "mfcc1_mean", "flat", "rms_mean"};
  const auto c = stats::pearson_correlation(x);
  const auto r = RedundancyFilter().apply(c, names);
  EXPECT_EQ(dropped_names(r), std::vector<std::string>{"rms_mean"});
  EXPECT_NEAR(r.dropped[0].r, -1.0, 1e-15);
  EXPECT_EQ(r.kept_names, (std::vector<std::string>{"tempo", "mfcc1_mean", "flat"}));
  const auto all = RedundancyFilter({.scope = FilterScope::all}).apply(c, names);
  EXPECT_EQ(dropped_names(all), (std::vector<std::string>{"mfcc1_mean", "rms_mean"}));
}

TEST(RedundancyFilter, RejectsBadThresholdAndMismatchedNames) {
  EXPECT_THROW(RedundancyFilter({.threshold = 0.0}), std::invalid_argument);
  EXPECT_THROW(RedundancyFilter({.threshold = 1.5}), std::invalid_argument);
  EXPECT_THROW(RedundancyFilter({.threshold = std::numeric_limits<double>::quiet_NaN()}), std::invalid_argument);
  EXPECT_NO_THROW(RedundancyFilter({.threshold = 1.0}));
  const auto c = stats::pearson_correlation(Eigen::MatrixXd::Random(4, 2));
  EXPECT_THROW(RedundancyFilter().apply(c, {"only one"}), std::invalid_argument);
  EXPECT_EQ(stats::parse_filter_scope("non-mfcc"), FilterScope::non_mfcc);
  EXPECT_EQ(stats::parse_filter_scope("all"), FilterScope::all);
  EXPECT_FALSE(stats::parse_filter_scope("mfcc"));
}

#include "stats/feature_matrix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "dataset/feature_table.h"
#include "dataset/kaggle_schema.h"
#include "stats_test_util.h"

using namespace genrelab;

TEST(FeatureMatrix, CopiesTableWithGenreCodesInFirstAppearanceOrder) {
  dataset::FeatureTable t;
  t.feature_names = {"a", "mfcc1_mean"};
  const std::vector<double> r0{1, 2}, r1{3, 4}, r2{5, 6};
  t.append("rock.00000.wav", 1, r0, "rock");
  t.append("blues.00000.wav", 1, r1, "blues");
  t.append("rock.00001.wav", 1, r2, "rock");
  const auto m = stats::to_labeled_matrix(t);
  EXPECT_EQ(m.label_names, (std::vector<std::string>{"rock", "blues"}));
  EXPECT_EQ(m.labels, (std::vector<int>{0, 1, 0}));
  EXPECT_EQ(m.values(1, 0), 3.0);
  EXPECT_EQ(m.values(2, 1), 6.0);
  t.values[3] = std::numeric_limits<double>::quiet_NaN();
  try {
    stats::to_labeled_matrix(t);
    FAIL() << "NaN accepted";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("blues.00000.wav"), std::string::npos) << what;
    EXPECT_NE(what.find("mfcc1_mean"), std::string::npos) << what;
  }
  EXPECT_THROW(stats::to_labeled_matrix(dataset::FeatureTable{}), std::invalid_argument);
}

TEST(FeatureMatrix, SubsetsOfTheKaggleSchema) {
  const std::vector<std::string> names(dataset::kFeatureNames.begin(), dataset::kFeatureNames.end());
  const auto all = stats::subset_columns(names, stats::FeatureSubset::all);
  const auto mfcc = stats::subset_columns(names, stats::FeatureSubset::mfcc);
  const auto non = stats::subset_columns(names, stats::FeatureSubset::non_mfcc);
  EXPECT_EQ(all.size(), 57u);
  ASSERT_EQ(mfcc.size(), 40u);
  ASSERT_EQ(non.size(), 17u);
  EXPECT_EQ(mfcc.front(), dataset::kFirstMfccColumn);
  EXPECT_EQ(non.back(), dataset::kFirstMfccColumn - 1);
  for (const auto s : {stats::FeatureSubset::all, stats::FeatureSubset::mfcc, stats::FeatureSubset::non_mfcc})
    EXPECT_EQ(stats::parse_feature_subset(stats::to_string(s)), s);
  EXPECT_FALSE(stats::parse_feature_subset("chroma"));
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(3, 4);
  const std::vector<std::size_t> pick{3, 1};
  const auto sel = stats::select_columns(x, pick);
  EXPECT_EQ(sel.col(0), x.col(3));
  EXPECT_EQ(sel.col(1), x.col(1));
  const std::vector<std::size_t> bad{4};
  EXPECT_THROW(stats::select_columns(x, bad), std::invalid_argument);
}

TEST(FeatureMatrix, LogOfVarianceColumnsOnly) {
  Eigen::MatrixXd x(2, 3);
  x << 100.0, 2.0, 0.0,  //
      1e-3, 3.0, -5.0;
  const std::vector<std::string> names{"rms_var", "rms_mean", "tempo_var"};
  stats::log_variance_columns(x, names);
  EXPECT_DOUBLE_EQ(x(0, 0), std::log(100.0));
  EXPECT_DOUBLE_EQ(x(1, 0), std::log(1e-3));
  EXPECT_DOUBLE_EQ(x(0, 1), 2.0);  // not a variance
  EXPECT_DOUBLE_EQ(x(1, 1), 3.0);
  EXPECT_DOUBLE_EQ(x(0, 2), std::log(1e-12));  // zero and negative: the floor, never -inf or NaN
  EXPECT_DOUBLE_EQ(x(1, 2), std::log(1e-12));
  EXPECT_THROW(stats::log_variance_columns(x, std::vector<std::string>{"a_var"}), std::invalid_argument);
}

#include "stats/scores.h"

#include <gtest/gtest.h>

#include "stats_test_util.h"

using namespace genrelab;

// Against scikit-learn 1.2.1 (confusion_matrix, accuracy_score, precision_recall_fscore_support
// with labels=range(10), zero_division=0) on a seeded synthetic prediction where class 9 is never
// predicted. Counts are exact; scores are ratios of small integers and means of 10 of them, so
// they agree to a few ulps: 1e-15.
TEST(Scores, MatchScikitLearn) {
  const auto& ref = test::stats_reference();
  ASSERT_FALSE(ref.is_null()) << "tests/data/stats_reference.json missing";
  const auto& r = ref["scores"];
  const auto truth = r["y_true"].get<std::vector<int>>();
  const auto pred = r["y_pred"].get<std::vector<int>>();
  const stats::ConfusionMatrix cm(truth, pred, 10);
  EXPECT_EQ(cm.total(), 300);
  for (std::size_t t = 0; t < 10; ++t)
    for (std::size_t p = 0; p < 10; ++p) EXPECT_EQ(cm.count(t, p), r["confusion"][t][p].get<std::int64_t>());
  const auto s = stats::compute_scores(cm);
  EXPECT_NEAR(s.accuracy, r["accuracy"].get<double>(), 1e-15);
  for (std::size_t k = 0; k < 10; ++k) {
    EXPECT_NEAR(s.per_class[k].precision, r["precision"][k].get<double>(), 1e-15) << k;
    EXPECT_NEAR(s.per_class[k].recall, r["recall"][k].get<double>(), 1e-15) << k;
    EXPECT_NEAR(s.per_class[k].f1, r["f1"][k].get<double>(), 1e-15) << k;
    EXPECT_EQ(s.per_class[k].support, r["support"][k].get<std::int64_t>()) << k;
  }
  EXPECT_EQ(s.per_class[9].precision, 0.0);  // never predicted: zero_division=0
  EXPECT_NEAR(s.macro_precision, r["macro_precision"].get<double>(), 1e-15);
  EXPECT_NEAR(s.macro_recall, r["macro_recall"].get<double>(), 1e-15);
  EXPECT_NEAR(s.macro_f1, r["macro_f1"].get<double>(), 1e-15);
}

TEST(Scores, PerfectAndHandCountedCases) {
  const std::vector<int> y{0, 1, 2, 2};
  const auto perfect = stats::compute_scores(stats::ConfusionMatrix(y, y, 3));
  EXPECT_EQ(perfect.accuracy, 1.0);
  EXPECT_EQ(perfect.macro_f1, 1.0);
  // truth 0 0 1 1, predicted 0 1 1 1: class 0 p=1 r=.5 f1=2/3; class 1 p=2/3 r=1 f1=.8.
  const auto s =
      stats::compute_scores(stats::ConfusionMatrix(std::vector<int>{0, 0, 1, 1}, std::vector<int>{0, 1, 1, 1}, 2));
  EXPECT_DOUBLE_EQ(s.accuracy, 0.75);
  EXPECT_DOUBLE_EQ(s.per_class[0].f1, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.per_class[1].f1, 0.8);
  EXPECT_DOUBLE_EQ(s.macro_f1, (2.0 / 3.0 + 0.8) / 2.0);
  // A class with neither rows nor predictions counts as 0 in the macro average (labels= given).
  const auto with_absent = stats::compute_scores(stats::ConfusionMatrix(y, y, 4));
  EXPECT_EQ(with_absent.per_class[3].f1, 0.0);
  EXPECT_DOUBLE_EQ(with_absent.macro_f1, 0.75);
  const auto merged = stats::ConfusionMatrix::from_counts({2, 0, 1, 3}, 2);
  EXPECT_EQ(merged.total(), 6);
  EXPECT_DOUBLE_EQ(stats::compute_scores(merged).accuracy, 5.0 / 6.0);
}

TEST(Scores, RejectBadLabels) {
  const std::vector<int> a{0, 1}, b{0}, out{0, 3}, neg{-1, 0};
  EXPECT_THROW(stats::ConfusionMatrix(a, b, 2), std::invalid_argument);
  EXPECT_THROW(stats::ConfusionMatrix(a, out, 2), std::invalid_argument);
  EXPECT_THROW(stats::ConfusionMatrix(neg, a, 2), std::invalid_argument);
  EXPECT_THROW(stats::ConfusionMatrix(std::vector<int>{}, std::vector<int>{}, 2), std::invalid_argument);
  EXPECT_THROW(stats::ConfusionMatrix(a, a, 0), std::invalid_argument);
  EXPECT_THROW(stats::ConfusionMatrix::from_counts({0, 0, 0, 0}, 2), std::invalid_argument);
  EXPECT_THROW(stats::ConfusionMatrix::from_counts({1, 2, 3}, 2), std::invalid_argument);
}

TEST(Scores, MeanAndPopulationStd) {
  // numpy: np.mean([0.7, 0.74, 0.71, 0.73, 0.75]) = 0.726, np.std(...) (ddof 0) = 0.01854723699...
  const std::vector<double> folds{0.7, 0.74, 0.71, 0.73, 0.75};
  const auto s = stats::mean_std(folds);
  EXPECT_NEAR(s.mean, 0.726, 1e-15);
  EXPECT_NEAR(s.std, 0.018547236990991, 1e-14);
  EXPECT_EQ(stats::mean_std(std::vector<double>{0.5}).std, 0.0);
  const auto none = stats::mean_std(std::vector<double>{});
  EXPECT_EQ(none.mean, 0.0);
  EXPECT_EQ(none.std, 0.0);
}

TEST(Scores, ColumnsFollowTheClassOrder) {
  const auto scores = stats::compute_scores(stats::ConfusionMatrix::from_counts({3, 1, 0, 2}, 2));
  std::vector<double> precision{9.0}, recall, f1;
  std::vector<std::int64_t> support;
  stats::score_columns(scores, precision, recall, f1, support);
  ASSERT_EQ(precision.size(), 2u);      // replaced, not appended
  EXPECT_DOUBLE_EQ(precision[0], 1.0);  // 3 of 3 predicted class 0
  EXPECT_DOUBLE_EQ(recall[0], 0.75);    // 3 of 4 rows of class 0
  EXPECT_DOUBLE_EQ(precision[1], 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(f1[1], 2.0 * (2.0 / 3.0) / (2.0 / 3.0 + 1.0));
  EXPECT_EQ(support, (std::vector<std::int64_t>{4, 2}));
}

// Extra-trees forest: learning, determinism, probabilities, structure checks of stored forests.
#include "ml/extra_trees.h"

#include <gtest/gtest.h>

#include <random>

namespace {

namespace ml = genrelab::ml;

struct Rows {
  std::vector<float> x;
  std::vector<int> y;
  std::size_t rows = 0;
};

/// Class c lies around c * 2 in feature 0; features 1-3 are noise the trees must learn to ignore.
Rows noisy(std::size_t per_class, unsigned seed) {
  Rows r;
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  for (int c = 0; c < 3; ++c)
    for (std::size_t i = 0; i < per_class; ++i) {
      r.x.push_back(static_cast<float>(2 * c) + 0.5f * noise(rng));
      for (int f = 0; f < 3; ++f) r.x.push_back(noise(rng));
      r.y.push_back(c);
      ++r.rows;
    }
  return r;
}

double accuracy(const std::vector<float>& p, const std::vector<int>& y) {
  std::size_t right = 0;
  for (std::size_t r = 0; r < y.size(); ++r) {
    const auto* row = p.data() + r * 3;
    right += static_cast<std::size_t>(std::max_element(row, row + 3) - row) == static_cast<std::size_t>(y[r]);
  }
  return static_cast<double>(right) / static_cast<double>(y.size());
}

TEST(ExtraTrees, LearnsAndFitsItsTrainingRows) {
  const auto train = noisy(50, 1), test = noisy(100, 2);
  const auto forest = ml::ExtraTrees::fit(train.x, train.rows, 4, train.y, 3, 100, 7);
  EXPECT_EQ(forest.roots.size(), 100u);
  EXPECT_NO_THROW(forest.validate(4));
  EXPECT_DOUBLE_EQ(accuracy(forest.predict_proba(train.x, train.rows, 4), train.y), 1.0);  // pure leaves
  const auto p = forest.predict_proba(test.x, test.rows, 4);
  EXPECT_GT(accuracy(p, test.y), 0.9);  // the Bayes rule: about 95 %
  for (std::size_t r = 0; r < test.rows; ++r) EXPECT_NEAR(p[r * 3] + p[r * 3 + 1] + p[r * 3 + 2], 1.0f, 1e-5f);
  // Distinct rows: every tree grows until each leaf holds one class.
  for (float v : forest.leaf_proba) EXPECT_TRUE(v == 0.0f || v == 1.0f);
}

TEST(ExtraTrees, SameSeedSameForest) {
  const auto train = noisy(20, 3);
  const auto a = ml::ExtraTrees::fit(train.x, train.rows, 4, train.y, 3, 10, 5);
  const auto b = ml::ExtraTrees::fit(train.x, train.rows, 4, train.y, 3, 10, 5);
  const auto c = ml::ExtraTrees::fit(train.x, train.rows, 4, train.y, 3, 10, 6);
  EXPECT_EQ(a.threshold, b.threshold);
  EXPECT_EQ(a.feature, b.feature);
  EXPECT_NE(a.threshold, c.threshold);
}

TEST(ExtraTrees, IdenticalRowsOfTwoClassesMakeAMixedLeaf) {
  const std::vector<float> x{1, 1, 1, 1, 1, 1};
  const std::vector<int> y{0, 1, 1};
  const auto forest = ml::ExtraTrees::fit(x, 3, 2, y, 2, 3, 1);
  EXPECT_TRUE(forest.feature.empty());
  const auto p = forest.predict_proba(std::vector<float>{0, 0}, 1, 2);
  EXPECT_NEAR(p[0], 1.0f / 3.0f, 1e-6f);
  EXPECT_NEAR(p[1], 2.0f / 3.0f, 1e-6f);
}

TEST(ExtraTrees, StoredForestsAreChecked) {
  const auto train = noisy(10, 4);
  const auto good = ml::ExtraTrees::fit(train.x, train.rows, 4, train.y, 3, 2, 1);
  ASSERT_FALSE(good.feature.empty());
  auto wide = good;
  wide.feature[0] = 4;  // a column the input lacks
  EXPECT_THROW(wide.validate(4), std::invalid_argument);
  auto cycle = good;
  cycle.left[0] = 0;  // a node pointing at itself would never end a walk
  EXPECT_THROW(cycle.validate(4), std::invalid_argument);
  auto dangling = good;
  dangling.right[0] = -1 - static_cast<ml::ExtraTrees::Ref>(good.leaves());
  EXPECT_THROW(dangling.validate(4), std::invalid_argument);
  auto bad_root = good;
  bad_root.roots[0] = static_cast<ml::ExtraTrees::Ref>(good.feature.size());
  EXPECT_THROW(bad_root.validate(4), std::invalid_argument);
  EXPECT_THROW(ml::ExtraTrees::fit(train.x, train.rows, 4, std::vector<int>(train.rows, 5), 3, 2, 1),
               std::invalid_argument);
}

}  // namespace

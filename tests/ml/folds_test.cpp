// Fold logic: grouping (segments of a track, identical rows), stratification, seeding, holdout.
#include "ml/folds.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "dataset/feature_table.h"
#include "ml_test_util.h"
#include "support/test_data.h"

namespace {

using genrelab::dataset::FeatureTable;
namespace ml = genrelab::ml;

std::vector<int> label_codes(const FeatureTable& t) {
  const auto names = t.label_names();
  std::vector<int> codes;
  for (const auto& l : t.labels)
    codes.push_back(static_cast<int>(std::find(names.begin(), names.end(), l) - names.begin()));
  return codes;
}

/// Rows per (fold, label).
std::map<std::pair<int, int>, int> fold_label_counts(const std::vector<int>& folds, const std::vector<int>& labels) {
  std::map<std::pair<int, int>, int> counts;
  for (std::size_t r = 0; r < folds.size(); ++r) ++counts[{folds[r], labels[r]}];
  return counts;
}

void expect_groups_unsplit(const std::vector<int>& folds, const std::vector<int>& groups) {
  std::map<int, int> fold_of_group;
  for (std::size_t r = 0; r < folds.size(); ++r) {
    const auto [it, inserted] = fold_of_group.emplace(groups[r], folds[r]);
    EXPECT_EQ(it->second, folds[r]) << "group " << groups[r] << " is split across folds";
  }
}

TEST(Folds, SegmentsOfATrackShareAGroup) {
  FeatureTable t;
  t.feature_names = {"a"};
  double v = 0;
  for (const char* track : {"jazz.00001", "jazz.00002", "rock.00001"})
    for (int s = 0; s < 10; ++s) {
      const double x[] = {v++};
      t.append(std::string(track) + "." + std::to_string(s) + ".wav", 66149, x, std::string(track).substr(0, 4));
    }
  const auto g = ml::row_groups(t);
  EXPECT_EQ(ml::group_count(g), 3u);
  for (int r = 0; r < 30; ++r) EXPECT_EQ(g[static_cast<std::size_t>(r)], r / 10);
}

TEST(Folds, IdenticalRowsShareAGroupAcrossTracks) {
  FeatureTable t;
  t.feature_names = {"a", "b"};
  const double x1[] = {1.0, 2.0}, x2[] = {1.0, 2.5}, x3[] = {3.0, 4.0};
  t.append("metal.00058.wav", 1, x1, "metal");
  t.append("metal.00001.wav", 1, x2, "metal");
  t.append("rock.00016.wav", 1, x1, "rock");  // a duplicate with another label, as in GTZAN
  t.append("rock.00002.wav", 1, x3, "rock");
  const auto g = ml::row_groups(t);
  EXPECT_EQ(g, (std::vector<int>{0, 1, 0, 2}));
  const auto ungrouped = ml::row_groups(t, /*group_duplicates=*/false);
  EXPECT_EQ(ungrouped, (std::vector<int>{0, 1, 2, 3}));
}

TEST(Folds, GtzanHas14DuplicatePairs) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto t = genrelab::dataset::read_feature_table(gtzan / "features_30_sec.csv");
  const auto g = ml::row_groups(t);
  EXPECT_EQ(ml::group_count(g), 1000u - 14u);  // data README: 14 pairs of identical rows
  auto row_of = [&](const std::string& f) {
    return static_cast<std::size_t>(std::find(t.filenames.begin(), t.filenames.end(), f) - t.filenames.begin());
  };
  EXPECT_EQ(g[row_of("metal.00058.wav")], g[row_of("rock.00016.wav")]);
  EXPECT_EQ(g[row_of("disco.00098.wav")], g[row_of("disco.00099.wav")]);
  EXPECT_NE(g[row_of("disco.00097.wav")], g[row_of("disco.00098.wav")]);
  const auto folds = ml::stratified_group_folds(label_codes(t), g, 5, 42);
  expect_groups_unsplit(folds, g);
  // 100 rows per genre: 20 per fold, except where a duplicate pair has to move one across.
  for (const auto& [key, n] : fold_label_counts(folds, label_codes(t))) {
    EXPECT_GE(n, 19) << "fold " << key.first << " genre " << key.second;
    EXPECT_LE(n, 21) << "fold " << key.first << " genre " << key.second;
  }
}

TEST(Folds, StratifiedExactlyWithSingletonGroups) {
  const auto t = genrelab::test::blob_table(10, 100, 3, 1.0);
  const auto labels = label_codes(t);
  const auto groups = ml::row_groups(t);
  ASSERT_EQ(ml::group_count(groups), 1000u);
  const auto folds = ml::stratified_group_folds(labels, groups, 5, 1);
  for (const auto& [key, n] : fold_label_counts(folds, labels)) EXPECT_EQ(n, 20) << key.first << "/" << key.second;
  // Uneven classes: 7 rows into 3 folds gives 3/2/2.
  std::vector<int> l(7, 0), g(7);
  for (int i = 0; i < 7; ++i) g[static_cast<std::size_t>(i)] = i;
  const auto f = ml::stratified_group_folds(l, g, 3, 1);
  std::vector<int> per_fold(3, 0);
  for (int x : f) ++per_fold[static_cast<std::size_t>(x)];
  std::sort(per_fold.begin(), per_fold.end());
  EXPECT_EQ(per_fold, (std::vector<int>{2, 2, 3}));
}

TEST(Folds, GroupsOfManySizesStayWholeAndBalanced) {
  // Tracks of 1..10 segments in 3 genres.
  std::mt19937 rng(3);
  std::vector<int> labels, groups;
  for (int g = 0; g < 300; ++g) {
    const int size = 1 + static_cast<int>(rng() % 10);
    for (int i = 0; i < size; ++i) {
      labels.push_back(g % 3);
      groups.push_back(g);
    }
  }
  const auto folds = ml::stratified_group_folds(labels, groups, 5, 99);
  expect_groups_unsplit(folds, groups);
  std::map<int, int> per_label;
  for (int l : labels) ++per_label[l];
  for (const auto& [key, n] : fold_label_counts(folds, labels)) {
    const double ideal = per_label[key.second] / 5.0;
    EXPECT_NEAR(n, ideal, 10.0) << "fold " << key.first << " genre " << key.second;  // within one largest group
  }
}

TEST(Folds, SeedDecidesTheFolds) {
  const auto t = genrelab::test::blob_table(4, 50, 2, 1.0);
  const auto labels = label_codes(t);
  const auto groups = ml::row_groups(t);
  const auto a = ml::stratified_group_folds(labels, groups, 5, 42);
  EXPECT_EQ(a, ml::stratified_group_folds(labels, groups, 5, 42));
  EXPECT_NE(a, ml::stratified_group_folds(labels, groups, 5, 43));
}

TEST(Folds, RejectsImpossibleRequests) {
  const std::vector<int> labels{0, 1, 0}, groups{0, 1, 1};
  EXPECT_THROW(ml::stratified_group_folds(labels, groups, 3, 1), std::invalid_argument);  // 2 groups, 3 folds
  EXPECT_THROW(ml::stratified_group_folds(labels, groups, 1, 1), std::invalid_argument);
  EXPECT_THROW(ml::stratified_group_folds(labels, std::vector<int>{0, 1}, 2, 1), std::invalid_argument);
  EXPECT_THROW(ml::stratified_group_folds(std::vector<int>{0, -1, 0}, groups, 2, 1), std::invalid_argument);
}

TEST(Folds, GroupedHoldoutKeepsGroupsWhole) {
  std::vector<int> labels, groups;
  for (int g = 0; g < 100; ++g)
    for (int i = 0; i < 3; ++i) {
      labels.push_back(g % 2);
      groups.push_back(g);
    }
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < labels.size(); r += 1)
    if (groups[r] % 5 != 0) rows.push_back(r);  // 80 groups, 240 rows
  const auto split = ml::grouped_holdout(rows, labels, groups, 0.25, 5);
  EXPECT_EQ(split.kept.size() + split.held_out.size(), rows.size());
  EXPECT_EQ(split.held_out.size(), 60u);  // 20 of 80 groups of 3
  std::set<int> held_groups, kept_groups;
  for (auto r : split.held_out) held_groups.insert(groups[r]);
  for (auto r : split.kept) kept_groups.insert(groups[r]);
  for (int g : held_groups) EXPECT_EQ(kept_groups.count(g), 0u) << g;
  for (auto r : split.held_out) EXPECT_NE(groups[r] % 5, 0);  // only rows that were offered
  EXPECT_THROW(ml::grouped_holdout(rows, labels, groups, 0.0, 5), std::invalid_argument);
  EXPECT_THROW(ml::grouped_holdout(rows, labels, groups, 0.6, 5), std::invalid_argument);
}

}  // namespace

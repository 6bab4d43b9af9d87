#include "features/sharding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>

using namespace genrelab::features;

TEST(Sharding, ParsesKOverN) {
  EXPECT_EQ(parse_shard("3/4"), (ShardSpec{3, 4}));
  EXPECT_EQ(parse_shard("1/1"), (ShardSpec{1, 1}));
  for (const char* bad : {"0/4", "5/4", "4", "a/b", "1/0", "-1/4", "1/4x", "/4", ""})
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
}

TEST(Sharding, DisjointCompleteBalancedAndStable) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::int64_t> size(1000, 5'000'000);
  std::vector<std::int64_t> sizes(1003);
  std::vector<std::string> keys(sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    sizes[i] = i % 10 == 0 ? 1'000'000 : size(rng);  // some equal sizes: ties go by key
    keys[i] = "label/" + std::to_string(i) + ".wav";
  }
  const std::int64_t largest = *std::max_element(sizes.begin(), sizes.end());
  std::vector<int> owner(sizes.size(), 0);
  std::vector<std::int64_t> bytes;
  std::vector<std::size_t> counts;
  for (int k = 1; k <= 4; ++k) {
    const auto mine = shard_indices(sizes, keys, {k, 4});
    EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
    EXPECT_EQ(mine, shard_indices(sizes, keys, {k, 4}));  // deterministic
    std::int64_t b = 0;
    for (const auto i : mine) {
      ++owner[i];
      b += sizes[i];
    }
    bytes.push_back(b);
    counts.push_back(mine.size());
  }
  EXPECT_TRUE(std::all_of(owner.begin(), owner.end(), [](int n) { return n == 1; }));  // each item in exactly one shard
  EXPECT_LE(*std::max_element(counts.begin(), counts.end()) - *std::min_element(counts.begin(), counts.end()), 1u);
  // Snake dealing: the shards' byte totals differ by less than the largest item.
  EXPECT_LT(*std::max_element(bytes.begin(), bytes.end()) - *std::min_element(bytes.begin(), bytes.end()), largest);
  EXPECT_EQ(shard_indices(sizes, keys, {1, 1}).size(), sizes.size());
}

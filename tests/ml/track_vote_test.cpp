// Track-level scores: mean probability and majority vote over a track's rows.
#include "ml/track_vote.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace {

namespace ml = genrelab::ml;

TEST(TrackVote, MeanAndVoteCanDisagree) {
  // Track "a" (genre 0): two rows lean slightly to genre 0, one row is sure of genre 1. The vote
  // elects 0 (2 of 3); the mean probability is (0.55 + 0.55 + 0.01) / 3 = 0.37 for genre 0 and
  // 0.63 for genre 1. Track "b" (genre 1): both rows pick genre 1.
  const std::vector<std::string> ids = {"a", "b", "a", "a", "b"};
  const std::vector<int> labels = {0, 1, 0, 0, 1};
  const std::vector<float> p = {0.55f, 0.45f, 0.2f, 0.8f, 0.55f, 0.45f, 0.01f, 0.99f, 0.4f, 0.6f};
  const auto s = ml::track_scores(ids, labels, p, 2);
  ASSERT_EQ(s.tracks, 2u);
  EXPECT_EQ(s.track_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.track_labels, (std::vector<int>{0, 1}));
  EXPECT_EQ(s.predicted_vote, (std::vector<int>{0, 1}));
  EXPECT_EQ(s.predicted_mean, (std::vector<int>{1, 1}));
  EXPECT_EQ(s.correct_vote, 2u);
  EXPECT_EQ(s.correct_mean, 1u);
  EXPECT_DOUBLE_EQ(s.accuracy_vote, 1.0);
  EXPECT_DOUBLE_EQ(s.accuracy_mean, 0.5);
}

TEST(TrackVote, TieGoesToHigherMeanProbability) {
  // Two rows, one vote each for genres 0 and 2; genre 2's winning row is surer (0.9 > 0.5), so
  // genre 2 has the higher summed probability (0.9 + 0.3 against 0.5 + 0.1).
  const std::vector<std::string> ids = {"t", "t"};
  const std::vector<int> labels = {2, 2};
  const std::vector<float> p = {0.5f, 0.4f, 0.1f, 0.1f, 0.0f, 0.9f};
  const auto s = ml::track_scores(ids, labels, p, 3);
  EXPECT_EQ(s.predicted_vote, (std::vector<int>{2}));
  EXPECT_EQ(s.predicted_mean, (std::vector<int>{2}));
  EXPECT_DOUBLE_EQ(s.accuracy_vote, 1.0);
}

TEST(TrackVote, BadInputThrowsAndEmptyIsNaN) {
  const std::vector<std::string> ids = {"a"};
  const std::vector<int> labels = {0}, bad_label = {3};
  const std::vector<float> p = {0.3f, 0.7f};
  EXPECT_THROW(ml::track_scores(ids, bad_label, p, 2), std::invalid_argument);
  EXPECT_THROW(ml::track_scores(ids, labels, p, 3), std::invalid_argument);
  const auto s = ml::track_scores({}, {}, {}, 2);
  EXPECT_EQ(s.tracks, 0u);
  EXPECT_TRUE(std::isnan(s.accuracy_mean));
}

}  // namespace

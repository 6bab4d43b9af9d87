#include "dsp/beat_grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace genrelab;

namespace {

/// Clicks (short decaying 1 kHz bursts) at `bpm` over a 1e-3 noise floor: aubio's silence gate
/// ignores onsets in digital silence (TOOLCHAIN.md), real recordings always have a floor.
std::vector<float> click_track(double bpm, double seconds, int sr = 22050) {
  std::vector<float> y(static_cast<std::size_t>(seconds * sr));
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> noise(-1e-3f, 1e-3f);
  for (auto& v : y) v = noise(rng);
  const double period = 60.0 / bpm;
  for (double t = 0.1; t < seconds; t += period) {
    const auto start = static_cast<std::size_t>(t * sr);
    for (std::size_t i = 0; i < 600 && start + i < y.size(); ++i)
      y[start + i] +=
          static_cast<float>(0.8 * std::exp(-static_cast<double>(i) / 120.0) * std::sin(2 * M_PI * 1000.0 * i / sr));
  }
  return y;
}

}  // namespace

TEST(BeatGrid, RejectsBadParameters) {
  EXPECT_THROW(dsp::BeatTracker::create({22050, 1000, 256}), std::invalid_argument);
  EXPECT_THROW(dsp::BeatTracker::create({0, 1024, 256}), std::invalid_argument);
}

TEST(BeatGrid, FindsTheBeatsOfAClickTrack) {
  const auto tracker = dsp::BeatTracker::create();
  for (const double bpm : {90.0, 120.0, 140.0}) {
    const auto grid = tracker.track(click_track(bpm, 20.0));
    EXPECT_NEAR(grid.bpm, bpm, bpm * 0.03) << bpm;
    ASSERT_GT(grid.beats_s.size(), 10u) << bpm;
    // Inter-beat intervals after the tracker has locked on (skip the first few seconds).
    int good = 0, total = 0;
    for (std::size_t i = 1; i < grid.beats_s.size(); ++i) {
      if (grid.beats_s[i] < 5.0) continue;
      ++total;
      if (std::abs(grid.beats_s[i] - grid.beats_s[i - 1] - 60.0 / bpm) < 0.03) ++good;
    }
    EXPECT_GE(good, total * 9 / 10) << bpm;
  }
}

TEST(BeatGrid, SilenceHasNoBeats) {
  const auto grid = dsp::BeatTracker::create().track(std::vector<float>(22050 * 5, 0.0f));
  EXPECT_TRUE(grid.beats_s.empty());
}

// Time stretch, pitch shift and resampling for augmentation: a shifted sine moves by the asked
// interval, a stretched click track keeps its clicks at scaled times, lengths follow librosa.
#include "dsp/time_stretch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

namespace {

namespace dsp = genrelab::dsp;
constexpr double kSr = 22050.0;

std::vector<float> sine(double hz, double seconds) {
  std::vector<float> y(static_cast<std::size_t>(seconds * kSr));
  for (std::size_t i = 0; i < y.size(); ++i)
    y[i] = static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * hz * static_cast<double>(i) / kSr));
  return y;
}

/// Frequency from the upward zero crossings between `from` and `to` (seconds), with linear
/// interpolation of each crossing: exact to ~0.01 % on a clean sine of 1 s.
double frequency(const std::vector<float>& y, double from, double to) {
  const auto a = static_cast<std::size_t>(from * kSr), b = static_cast<std::size_t>(to * kSr);
  double first = -1, last = -1;
  int crossings = 0;
  for (std::size_t i = a; i + 1 < b; ++i) {
    if (y[i] <= 0.0f && y[i + 1] > 0.0f) {
      const double t = static_cast<double>(i) + static_cast<double>(y[i] / (y[i] - y[i + 1]));
      if (first < 0) first = t;
      last = t;
      ++crossings;
    }
  }
  return crossings > 1 ? (crossings - 1) * kSr / (last - first) : 0.0;
}

TEST(TimeStretch, PitchShiftedSineMovesByTheInterval) {
  const auto y = sine(440.0, 2.0);
  for (double semitones : {3.0, -5.0, 12.0}) {
    const auto shifted = dsp::pitch_shift(y, kSr, semitones);
    ASSERT_EQ(shifted.size(), y.size());
    const double hz = frequency(shifted, 0.5, 1.5);  // away from the edges
    const double moved = 12.0 * std::log2(hz / 440.0);
    // 0.02 semitones = 0.1 %: the vocoder keeps a steady sine's frequency within a fraction of
    // a cent; an off-by-one in the rate or the resampling ratio would miss by far more.
    EXPECT_NEAR(moved, semitones, 0.02) << semitones << " semitones gave " << hz << " Hz";
  }
}

TEST(TimeStretch, StretchedClickTrackKeepsOnsetsScaled) {
  // Clicks (10 ms bursts of 2 kHz) every 0.5 s over a 1e-3 noise floor, 4 s.
  std::vector<float> y(static_cast<std::size_t>(4.0 * kSr));
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, 1e-3f);
  for (auto& v : y) v = noise(rng);
  std::vector<double> clicks;
  for (double t = 0.25; t < 3.9; t += 0.5) {
    clicks.push_back(t);
    const auto start = static_cast<std::size_t>(t * kSr);
    for (std::size_t i = 0; i < 220; ++i)
      y[start + i] +=
          static_cast<float>(0.8 * std::sin(2.0 * std::numbers::pi * 2000.0 * static_cast<double>(i) / kSr));
  }
  for (double rate : {0.8, 1.25}) {
    const auto s = dsp::time_stretch(y, rate);
    EXPECT_EQ(s.size(), static_cast<std::size_t>(std::llround(static_cast<double>(y.size()) / rate)));
    for (double t : clicks) {
      // The energy centroid within +-0.2 s of the scaled click time (the clicks are 0.5 s apart
      // before stretching, so each window holds one click).
      const double expected = t / rate;
      const auto lo = static_cast<std::size_t>((expected - 0.2) * kSr);
      const auto hi = std::min(s.size(), static_cast<std::size_t>((expected + 0.2) * kSr));
      double energy = 0.0, moment = 0.0;
      for (std::size_t i = lo; i < hi; ++i) {
        const double e = static_cast<double>(s[i]) * static_cast<double>(s[i]);
        energy += e;
        moment += e * static_cast<double>(i) / kSr;
      }
      // The 10-ms click's own energy centre is 5 ms after its start (the vocoder keeps a burst's
      // duration). 15 ms (two thirds of a hop of the vocoder's STFT; measured: at most 12 ms, for the last
      // click near the end of the signal) allows for its smearing; a
      // wrong rate would put later clicks 100 ms or more away.
      EXPECT_NEAR(moment / energy, expected + 0.005, 0.015) << "rate " << rate << ", click at " << t << " s";
    }
  }
}

TEST(TimeStretch, ResampleChangesSpeedAndPitchTogether) {
  const auto y = sine(1000.0, 1.0);
  const auto slow = dsp::resample_by(y, kSr, 2 * kSr);  // played at kSr: half speed, an octave down
  EXPECT_NEAR(static_cast<double>(slow.size()), 2.0 * static_cast<double>(y.size()), 2.0);
  EXPECT_NEAR(frequency(slow, 0.3, 1.7), 500.0, 0.1);
}

TEST(TimeStretch, BadArgumentsThrow) {
  const auto y = sine(440.0, 0.2);
  EXPECT_THROW(dsp::time_stretch(y, 0.0), std::invalid_argument);
  EXPECT_THROW(dsp::time_stretch(y, 5.0), std::invalid_argument);
  EXPECT_THROW(dsp::pitch_shift(y, kSr, 30.0), std::invalid_argument);
  EXPECT_THROW(dsp::resample_by(y, 0.0, kSr), std::invalid_argument);
  EXPECT_TRUE(dsp::time_stretch({}, 1.5).empty());
  EXPECT_EQ(dsp::time_stretch(std::span<const float>(y.data(), 100), 2.0).size(), 50u);  // shorter than a frame
}

}  // namespace

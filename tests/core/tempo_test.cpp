#include "dsp/tempo.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "dsp/onset.h"
#include "dsp/stft.h"
#include "mel_test_util.h"
#include "support/kaggle_reference.h"
#include "support/test_data.h"

using namespace genrelab;
namespace kaggle = genrelab::test::kaggle;

TEST(Onset, DifferenceMedianAndShift) {
  // 4 bands, 10 frames. Frame 3 rises by (1, 2, 3, 4) dB over frame 2: the median of the clipped
  // differences is (2 + 3) / 2 = 2.5, reported lag + n_fft / (2 hop) = 3 frames after frame 2.
  // Frame 6 falls by 11..14 dB (clipped to 0 at index 8); frame 7 rises back by 11..14 (12.5 at 9).
  dsp::Spectrogram s{4, 10, std::vector<float>(40, -10.0f)};
  for (int t = 3; t < 10; ++t)
    for (int b = 0; b < 4; ++b) {
      s.frame(t)[b] = -10.0f + static_cast<float>(b + 1);
    }
  for (int b = 0; b < 4; ++b) s.frame(6)[b] = -20.0f;
  const auto env = dsp::onset_strength_median(s, 2048, 512);
  ASSERT_EQ(env.size(), 10u);
  const float want[10] = {0, 0, 0, 0, 0, 2.5f, 0, 0, 0, 12.5f};
  for (std::size_t t = 0; t < 10; ++t) EXPECT_EQ(env[t], want[t]) << t;
  // Odd band count: the middle value. 3 bands rising by (5, 1, 3) -> 3.
  dsp::Spectrogram o{3, 5, std::vector<float>(15, 0.0f)};
  for (int t = 1; t < 5; ++t) {
    o.frame(t)[0] = 5.0f;
    o.frame(t)[1] = 1.0f;
    o.frame(t)[2] = 3.0f;
  }
  const auto env_odd = dsp::onset_strength_median(o, 2048, 512);
  EXPECT_EQ(env_odd[3], 3.0f);
  EXPECT_THROW((void)dsp::onset_strength_median(o, 2048, 0), std::invalid_argument);
}

TEST(Onset, MatchesLibrosaOnBlues) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  GENRELAB_REQUIRE_LIBROSA_REF(lr);
  const auto r = test::mel::run_on_blues(gtzan);
  const auto& want = lr["onset_envelope_median"];
  ASSERT_EQ(want.size(), r.onset.size());
  int exact = 0;
  double worst = 0.0;
  for (std::size_t t = 0; t < r.onset.size(); ++t) {
    const double w = want[t];
    if (static_cast<float>(w) == r.onset[t]) ++exact;
    worst = std::max(worst, std::abs(static_cast<double>(r.onset[t]) - w));
    // The envelope is a median of differences of mel dB values (magnitude up to ~40 dB) that carry
    // ~1e-5 dB of float32 noise from the mel product: allow 5e-5 dB.
    EXPECT_NEAR(r.onset[t], w, 5e-5) << t;
  }
  std::printf("blues.00000 onset envelope: %d/%zu bit-equal, worst abs err %.3g\n", exact, r.onset.size(), worst);
}

TEST(Tempo, RejectsBadParameters) {
  EXPECT_THROW(dsp::TempoEstimator::create({0, 512, 120, 1, 8, 320}), std::invalid_argument);
  EXPECT_THROW(dsp::TempoEstimator::create({22050, 0, 120, 1, 8, 320}), std::invalid_argument);
  EXPECT_THROW(dsp::TempoEstimator::create({22050, 512, 0, 1, 8, 320}), std::invalid_argument);
  EXPECT_THROW(dsp::TempoEstimator::create({22050, 512, 120, 0, 8, 320}), std::invalid_argument);
  EXPECT_THROW(dsp::TempoEstimator::create({22050, 512, 120, 1, 0.01, 320}), std::invalid_argument);
  EXPECT_THROW(dsp::TempoEstimator::create({22050, 512, 120, 1, 8, 0}), std::invalid_argument);
}

TEST(Tempo, LagsAndPriorAsLibrosa) {
  const auto est = dsp::TempoEstimator::create();
  EXPECT_EQ(est.win_length(), 344);  // time_to_frames(8.0) = int(8 * 22050) // 512
  EXPECT_TRUE(std::isinf(est.bpm_of_lag(0)));
  EXPECT_EQ(est.bpm_of_lag(21), 123.046875);  // 60 * 22050 / (512 * 21), exact in binary
  EXPECT_EQ(est.bpm_of_lag(1), 60.0 * 22050 / 512.0);
}

TEST(Tempo, TempogramEqualsDirectAutocorrelation) {
  // beat.tempogram written out directly (no FFT): envelope padded by win / 2 linear ramps to 0,
  // frame t = padded[t, t + win) x periodic Hann, autocorrelation at lags 0 .. win - 1, divided by
  // its max, averaged over frames. The FFT version must agree to float64 rounding (1e-12 allows
  // for ~1e4 ulps of accumulated error in the 344-term sums).
  const auto est = dsp::TempoEstimator::create();
  const std::size_t win = 344, half = 172, n = 200;
  std::vector<float> env(n);
  for (std::size_t t = 0; t < n; ++t)
    env[t] = static_cast<float>(1.0 + std::sin(0.3 * static_cast<double>(t)) + ((t % 7) == 0 ? 2.0 : 0.0));
  std::vector<double> padded(n + 2 * half, 0.0);
  for (std::size_t i = 0; i < half; ++i) {
    padded[i] = static_cast<float>(static_cast<double>(i) * (static_cast<double>(env.front()) / half));
    const double right_step = static_cast<double>(env.back()) / half;
    padded[half + n + i] = static_cast<float>(static_cast<double>(half - 1 - i) * right_step);
  }
  for (std::size_t t = 0; t < n; ++t) padded[half + t] = env[t];
  const auto window = dsp::periodic_hann(static_cast<int>(win));
  std::vector<double> want(win, 0.0), x(win), ac(win);
  for (std::size_t t = 0; t < n; ++t) {
    for (std::size_t i = 0; i < win; ++i) x[i] = padded[t + i] * window[i];
    double peak = 0.0;
    for (std::size_t k = 0; k < win; ++k) {
      ac[k] = 0.0;
      for (std::size_t i = 0; i + k < win; ++i) ac[k] += x[i] * x[i + k];
      peak = std::max(peak, std::abs(ac[k]));
    }
    for (std::size_t k = 0; k < win; ++k) want[k] += ac[k] / peak;
  }
  const auto got = est.mean_tempogram(env);
  ASSERT_EQ(got.size(), win);
  EXPECT_NEAR(got[0], 1.0, 1e-15);
  for (std::size_t k = 0; k < win; ++k) EXPECT_NEAR(got[k], want[k] / n, 1e-12) << k;
}

TEST(Tempo, ZeroEnvelopeGivesZero) {
  const auto est = dsp::TempoEstimator::create();
  EXPECT_EQ(est.estimate(std::vector<float>(500, 0.0f)), 0.0);
  EXPECT_EQ(est.estimate(std::vector<float>{}), 0.0);
}

TEST(Tempo, ClickTrackTempo) {
  const auto est = dsp::TempoEstimator::create();
  // Pulses every 21 frames (123.05 BPM) and every 26 frames (99.38 BPM), 30 s long: the prior
  // around 120 BPM must not move the estimate off the true period.
  for (int period : {21, 26}) {
    std::vector<float> env(1293, 0.0f);
    for (std::size_t t = 5; t < env.size(); t += static_cast<std::size_t>(period)) env[t] = 3.0f;
    EXPECT_EQ(est.estimate(env), est.bpm_of_lag(period)) << period;
  }
  // A single click: the autocorrelation is zero at every lag but 0, so the prior alone decides
  // (the lag nearest 120 BPM, which is 22 = 117.45 BPM).
  std::vector<float> one(1293, 0.0f);
  one[600] = 1.0f;
  EXPECT_EQ(est.estimate(one), est.bpm_of_lag(22));
}

TEST(Tempo, MatchesLibrosaOnBlues) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  GENRELAB_REQUIRE_LIBROSA_REF(lr);
  const auto est = dsp::TempoEstimator::create();
  // From librosa's own envelope and from ours: both must give the reference 123.046875 exactly.
  std::vector<float> env;
  for (const auto& v : lr["onset_envelope_median"]) env.push_back(v.get<float>());
  EXPECT_EQ(est.estimate(env), lr["tempo"].get<double>());
  EXPECT_EQ(test::mel::run_on_blues(gtzan).tempo, 123.046875);
}

TEST(Tempo, MatchesKaggleCsvOn30Clips) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto& table = kaggle::table_30s();
  const test::mel::MelBlock block;
  auto errors = kaggle::worst_errors({"tempo"});
  std::printf("%-18s %14s %14s\n", "clip", "tempo", "csv");
  kaggle::for_each_clip(gtzan, [&](const std::string& name, std::span<const float> y) {
    const double got = block.run(y).tempo;
    const double want = table.value(name, "tempo");
    std::printf("%-18s %14.10g %14.10g%s\n", name.c_str(), got, want, got == want ? "" : "  MISMATCH");
    EXPECT_EQ(got, want) << name;  // the bar: bit-equal doubles
    errors[0].add(name, got, want);
  });
  kaggle::print_table("tempo vs features_30_sec.csv (30 clips)", errors);
}

TEST(Tempo, MatchesKaggle3sSegments) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto& table = kaggle::table_3s_subset();
  const test::mel::MelBlock block;
  auto errors = kaggle::worst_errors({"tempo"});
  // Each segment is processed alone (own top_db floor, own 130-frame envelope, tempogram windows
  // longer than the segment).
  kaggle::for_each_segment(gtzan, table, [&](const std::string& seg_name, std::span<const float> seg) {
    const double got = block.run(seg).tempo;
    const double want = table.value(seg_name, "tempo");
    EXPECT_EQ(got, want) << seg_name;
    errors[0].add(seg_name, got, want);
  });
  EXPECT_GE(errors[0].rows, 89);
  kaggle::print_table("tempo vs features_3_sec subset (3-s segments)", errors);
}

#include "dsp/mfcc.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "audio/decode.h"
#include "dsp/numpy_reduce.h"
#include "mel_test_util.h"
#include "support/kaggle_reference.h"
#include "support/test_data.h"

using namespace genrelab;
namespace kaggle = genrelab::test::kaggle;

namespace {

// The Kaggle bar for the 40 MFCC columns (see the task's parity bar): means within 1e-4 absolute
// (MFCC means are near zero for the higher coefficients and carry float32 DCT noise: librosa
// 0.7.2 itself is off by up to 3e-5 there), variances within 1e-5 relative.
constexpr double kMeanAbsTol = 1e-4;
constexpr double kVarRelTol = 1e-5;

// The 40 columns mfcc1_mean, mfcc1_var, ..., mfcc20_var.
std::vector<kaggle::WorstError> mfcc_columns() {
  std::vector<std::string> names;
  for (int k = 1; k <= 20; ++k) {
    names.push_back("mfcc" + std::to_string(k) + "_mean");
    names.push_back("mfcc" + std::to_string(k) + "_var");
  }
  return kaggle::worst_errors(names);
}

void compare_row(const std::vector<std::vector<float>>& mfcc, const kaggle::ReferenceTable& table,
                 const std::string& name, std::vector<kaggle::WorstError>& errors) {
  ASSERT_EQ(mfcc.size(), 20u);
  for (std::size_t k = 0; k < 20; ++k) {
    const std::span<const float> row(mfcc[k]);
    const auto m = static_cast<double>(dsp::numpy_mean(row));
    const auto v = static_cast<double>(dsp::numpy_var(row));
    auto& mean = errors[2 * k];
    auto& var = errors[2 * k + 1];
    const double want_m = table.value(name, mean.column);
    const double want_v = table.value(name, var.column);
    mean.add(name, m, want_m);
    var.add(name, v, want_v);
    EXPECT_NEAR(m, want_m, kMeanAbsTol) << name << " " << mean.column;
    EXPECT_NEAR(v, want_v, kVarRelTol * want_v) << name << " " << var.column;
  }
}

}  // namespace

TEST(Mfcc, RejectsBadParameters) {
  EXPECT_THROW(dsp::Mfcc::create(0, 128), std::invalid_argument);
  EXPECT_THROW(dsp::Mfcc::create(129, 128), std::invalid_argument);
  EXPECT_THROW(dsp::Mfcc::create(1, 0), std::invalid_argument);
  const auto mfcc = dsp::Mfcc::create(20, 128);
  dsp::Spectrogram wrong{40, 2, std::vector<float>(80)};
  EXPECT_THROW((void)mfcc.compute(wrong), std::invalid_argument);
}

TEST(Mfcc, IsTheOrthonormalDctII) {
  // scipy.fftpack.dct(x, type=2, norm='ortho'): a constant c gives c * sqrt(N) in coefficient 0 and
  // 0 elsewhere; the basis row cos(pi k0 (2n + 1) / 2N) gives sqrt(N / 2) in coefficient k0.
  constexpr int n = 128;
  const auto mfcc = dsp::Mfcc::create(20, n);
  dsp::Spectrogram s{n, 2, std::vector<float>(2 * n)};
  for (int i = 0; i < n; ++i) {
    s.data[static_cast<std::size_t>(i)] = -3.0f;
    s.data[static_cast<std::size_t>(n + i)] =
        static_cast<float>(std::cos(std::numbers::pi * 5 * (2 * i + 1) / (2.0 * n)));
  }
  const auto c = mfcc.compute(s);
  ASSERT_EQ(c.size(), 20u);
  ASSERT_EQ(c[0].size(), 2u);
  EXPECT_NEAR(c[0][0], -3.0 * std::sqrt(128.0), 1e-5);
  EXPECT_NEAR(c[5][1], std::sqrt(64.0), 1e-6);
  for (std::size_t k = 1; k < 20; ++k) EXPECT_NEAR(c[k][0], 0.0, 1e-5) << k;
  for (std::size_t k = 0; k < 20; ++k) {
    if (k != 5) {
      EXPECT_NEAR(c[k][1], 0.0, 1e-6) << k;
    }
  }
}

TEST(Mfcc, MatchesLibrosaOnBlues) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  GENRELAB_REQUIRE_LIBROSA_REF(lr);
  const auto r = test::mel::run_on_blues(gtzan);
  const auto& want = lr["mfcc"];
  ASSERT_EQ(want.size(), 20u);
  double worst = 0.0;
  for (std::size_t k = 0; k < 20; ++k) {
    ASSERT_EQ(want[k].size(), r.mfcc[k].size());
    for (std::size_t t = 0; t < r.mfcc[k].size(); ++t) {
      const double w = want[k][t];
      const double err = std::abs(static_cast<double>(r.mfcc[k][t]) - w);
      worst = std::max(worst, err);
      // librosa's DCT runs in float32 (pocketfft) on mel dB values of up to ~40 dB: its rounding
      // noise is a few float32 ulps of the ~500-magnitude coefficient 0, i.e. ~1e-4; our mel dB
      // values also differ from librosa's by up to ~1e-5 dB (float32 sgemm order).
      EXPECT_NEAR(r.mfcc[k][t], w, 2e-4 + 2e-6 * std::abs(w)) << "coefficient " << k << " frame " << t;
    }
  }
  std::printf("blues.00000 mfcc [20][1293]: worst abs err %.3g\n", worst);
}

TEST(Mfcc, MatchesKaggleCsvOn30Clips) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto& table = kaggle::table_30s();
  const test::mel::MelBlock block;
  auto errors = mfcc_columns();
  kaggle::for_each_clip(gtzan, [&](const std::string& name, std::span<const float> y) {
    ASSERT_TRUE(table.has(name)) << name;
    ASSERT_EQ(static_cast<double>(y.size()), table.value(name, "length")) << name;
    compare_row(block.run(y).mfcc, table, name, errors);
  });
  kaggle::print_table("MFCC vs features_30_sec.csv, worst over the 30 clips:", errors);
}

TEST(Mfcc, MatchesKaggle3sSegments) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto& table = kaggle::table_3s_subset();
  const test::mel::MelBlock block;
  auto errors = mfcc_columns();
  kaggle::for_each_segment(gtzan, table, [&](const std::string& seg_name, std::span<const float> seg) {
    compare_row(block.run(seg).mfcc, table, seg_name, errors);  // each segment processed on its own
  });
  const int segments = errors[0].rows;
  EXPECT_GE(segments, 89);  // 9 clips x 10 segments, minus none (all 9 clips are >= 661676 samples)
  std::printf("%d segments checked\n", segments);
  kaggle::print_table("MFCC vs features_3_sec (classical/jazz/rock), worst over the segments:", errors);
}

TEST(MelBlock, TimingPerClip) {
  // Prints the block's time per 30-s clip (never asserted: speed is benchmarked, not tested).
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto y = audio::load_mono(gtzan / "genres_original/blues/blues.00000.wav");
  const test::mel::MelBlock block;
  const auto power = dsp::squared(dsp::magnitude(block.stft.compute(y)));
  using clock = std::chrono::steady_clock;
  double t_mel = 1e9, t_db = 1e9, t_mfcc = 1e9, t_onset = 1e9, t_tempo = 1e9;
  double sink = 0.0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = clock::now();
    auto mel = block.mel.apply(power);
    const auto t1 = clock::now();
    dsp::power_to_db(mel);
    const auto t2 = clock::now();
    const auto c = block.mfcc.compute(mel);
    const auto t3 = clock::now();
    const auto env = dsp::onset_strength_median(mel);
    const auto t4 = clock::now();
    sink += block.tempo.estimate(env) + static_cast<double>(c[0][0]);
    const auto t5 = clock::now();
    auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    t_mel = std::min(t_mel, ms(t0, t1));
    t_db = std::min(t_db, ms(t1, t2));
    t_mfcc = std::min(t_mfcc, ms(t2, t3));
    t_onset = std::min(t_onset, ms(t3, t4));
    t_tempo = std::min(t_tempo, ms(t4, t5));
  }
  std::printf(
      "per 30-s clip (best of 5): mel apply %.2f ms, power_to_db %.2f ms, mfcc %.2f ms, onset %.2f ms, "
      "tempo %.2f ms, total %.2f ms (checksum %g)\n",
      t_mel, t_db, t_mfcc, t_onset, t_tempo, t_mel + t_db + t_mfcc + t_onset + t_tempo, sink);
  SUCCEED();
}

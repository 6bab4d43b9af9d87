#include "dsp/chroma.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <random>

#include "audio/decode.h"
#include "dsp/numpy_reduce.h"
#include "dsp/rms.h"
#include "dsp/spectral_shape.h"
#include "dsp/zero_crossing_rate.h"
#include "support/kaggle_reference.h"
#include "support/test_data.h"

using namespace genrelab;
namespace kaggle = genrelab::test::kaggle;

namespace {

dsp::Spectrogram power_of(std::span<const float> y) {
  return dsp::squared(dsp::magnitude(dsp::Stft::create().compute(y)));
}

std::vector<float> sine(double hz, std::size_t n, float amplitude = 0.5f) {
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = amplitude * static_cast<float>(std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / 22050.0));
  return y;
}

}  // namespace

TEST(Chroma, RejectsBadParameters) {
  EXPECT_THROW(dsp::ChromaFilterbank::create(0, 2048, 0.0f), std::invalid_argument);
  EXPECT_THROW(dsp::ChromaFilterbank::create(22050, 2047, 0.0f), std::invalid_argument);
  EXPECT_THROW(dsp::ChromaFilterbank::create(22050, 2048, 0.0f, 0), std::invalid_argument);
  EXPECT_THROW(dsp::ChromaFilterbank::create(22050, 2048, std::numeric_limits<float>::quiet_NaN()),
               std::invalid_argument);
  const dsp::Spectrogram wrong_bins{1024, 1, std::vector<float>(1024)};
  EXPECT_THROW(dsp::chroma_stft(wrong_bins), std::invalid_argument);
  EXPECT_THROW(dsp::estimate_tuning(wrong_bins), std::invalid_argument);
}

TEST(Chroma, FilterbankShapeAndPitchClasses) {
  const auto fb = dsp::ChromaFilterbank::create(22050, 2048, 0.0f);
  ASSERT_EQ(fb.n_chroma(), 12);
  ASSERT_EQ(fb.n_bins(), 1025);
  ASSERT_EQ(fb.weights().size(), 12u * 1025u);
  // base_c: row 0 is C. The bin nearest C5 (523.25 Hz, bin 48.6 -> 49 at 10.77 Hz/bin) must weigh
  // most in row 0, the bin nearest A4 (440 Hz -> bin 41) most in row 9.
  auto argmax_row = [&](int k) {
    int best = 0;
    for (int c = 1; c < 12; ++c)
      if (fb.weight(c, k) > fb.weight(best, k)) best = c;
    return best;
  };
  EXPECT_EQ(argmax_row(49), 0);
  EXPECT_EQ(argmax_row(41), 9);
  // The octave dominance window is centred 5 octaves above A0 (880 Hz = bin 81.7): the A row
  // peaks there, not at the broad low-frequency bins.
  int peak = 0;
  for (int k = 1; k < fb.n_bins(); ++k)
    if (fb.weight(9, k) > fb.weight(9, peak)) peak = k;
  EXPECT_TRUE(peak == 81 || peak == 82) << peak;
}

TEST(Chroma, BinCentredSineGivesExactTuning) {
  // A sine on bin 41 exactly (41 * 22050 / 2048 = 441.43 Hz): the Hann main lobe is symmetric, so
  // the parabolic shift is ~0 and every pitch is 441.43 Hz, 12 * log2(441.43 / 440) = 0.0562 bins
  // sharp. The histogram's left edge is then 0.05 = np.linspace(-0.5, 0.5, 101)[55] exactly.
  const auto power = power_of(sine(41 * 22050.0 / 2048, 22050));
  EXPECT_EQ(dsp::estimate_tuning_f64(power), 55 * 0.01 - 0.5);
}

TEST(Chroma, SineGivesItsPitchClassAndTuning) {
  // A4 tuned 25 cents sharp: tuning comes out near +0.25 bins, and row 9 (A) is the maximum
  // (1.0 after the per-frame max normalisation) in every frame.
  const double hz = 440.0 * std::pow(2.0, 0.25 / 12);
  const auto power = power_of(sine(hz, 22050));
  const float tuning = dsp::estimate_tuning(power);
  // piptrack's parabolic interpolation on a Hann-windowed POWER spectrum pulls off-centre peaks
  // toward the bin centre (0.22 here): allow 5 cents.
  EXPECT_NEAR(tuning, 0.25f, 0.05f);
  const auto chroma = dsp::chroma_stft(power);
  const auto T = static_cast<std::size_t>(power.n_frames);
  ASSERT_EQ(chroma.size(), 12 * T);
  for (std::size_t t = 0; t < T; ++t) {
    EXPECT_EQ(chroma[9 * T + t], 1.0f) << t;
    for (std::size_t c = 0; c < 12; ++c) EXPECT_LE(chroma[c * T + t], 1.0f);
  }
}

TEST(Chroma, SilenceIsLeftUnnormalised) {
  // Frames whose max is below float32 tiny are divided by 1 (util.normalize with fill=None), so
  // silence stays 0 rather than becoming NaN; an empty pitch set gives tuning 0.
  const auto power = power_of(std::vector<float>(10000, 0.0f));
  EXPECT_EQ(dsp::estimate_tuning(power), 0.0f);
  for (float v : dsp::chroma_stft(power)) ASSERT_EQ(v, 0.0f);
}

TEST(Chroma, MatchesPlainFormulaBitForBit) {
  // chroma_stft (two frames per pass in SSE2 lanes) against librosa's formula written plainly with
  // the public filterbank: raw = Σ_k w[c][k]·S[k] in float64 over ascending k, rounded to float32,
  // then divided by the frame max in float64 and rounded. 5 frames: the last one runs unpaired.
  std::mt19937 rng(99);
  std::uniform_real_distribution<float> dist(0.0f, 2.0f);
  dsp::Spectrogram power{1025, 5, std::vector<float>(5 * 1025)};
  for (float& v : power.data) v = dist(rng) * dist(rng) * dist(rng) * dist(rng);
  const auto fb = dsp::ChromaFilterbank::create_f64(22050, 2048, dsp::estimate_tuning_f64(power));
  const auto chroma = dsp::chroma_stft(power);
  for (int t = 0; t < 5; ++t) {
    float raw[12];
    double top = 0.0;
    for (int c = 0; c < 12; ++c) {
      double acc = 0.0;
      for (int k = 0; k < 1025; ++k) acc += static_cast<double>(fb.weight(c, k)) * static_cast<double>(power.at(k, t));
      raw[c] = static_cast<float>(acc);
      top = std::max(top, static_cast<double>(raw[c]));
    }
    for (int c = 0; c < 12; ++c)
      EXPECT_EQ(chroma[static_cast<std::size_t>(c * 5 + t)], static_cast<float>(static_cast<double>(raw[c]) / top))
          << c << " " << t;
  }
}

TEST(Chroma, MatchesLibrosaOnBlues) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  GENRELAB_REQUIRE_LIBROSA_REF(lr);
  const auto y = audio::load_mono(gtzan / "genres_original/blues/blues.00000.wav");
  const auto power = power_of(y);
  ASSERT_EQ(power.n_frames, 1293);

  // blues.00000.json chroma_tuning = -0.18: the float64 histogram edge 32 * 0.01 - 0.5, exactly.
  const double tuning = dsp::estimate_tuning_f64(power);
  EXPECT_EQ(tuning, lr["chroma_tuning"].get<double>());
  EXPECT_EQ(dsp::estimate_tuning(power), static_cast<float>(lr["chroma_tuning"].get<double>()));

  // chroma_filterbank_row_sums (float32, 9 digits). Our weights are float64 maths rounded to
  // float32 like librosa's; the sums differ only by the summation order of 1025 float32 values.
  const auto fb = dsp::ChromaFilterbank::create_f64(22050, 2048, tuning);
  const auto& row_sums = lr["chroma_filterbank_row_sums"];
  double worst_fb = 0.0;
  for (int c = 0; c < 12; ++c) {
    double sum = 0.0;
    for (int k = 0; k < fb.n_bins(); ++k) sum += static_cast<double>(fb.weight(c, k));
    const double want = row_sums[static_cast<std::size_t>(c)];
    worst_fb = std::max(worst_fb, std::abs(sum - want) / want);
    EXPECT_NEAR(sum, want, want * 1e-6) << "row " << c;
  }

  // chroma [12][1293]. librosa's raw chroma is a BLAS sgemm (float32 accumulation in the
  // library's own order); ours is the exact dot product rounded once. After the max
  // normalisation the elements are in [0, 1]: allow 4e-6 absolute (a few float32 ulps at 1.0).
  const auto chroma = dsp::chroma_stft(power);
  const auto& want = lr["chroma"];
  double worst = 0.0;
  std::size_t exact = 0;
  for (std::size_t c = 0; c < 12; ++c) {
    for (std::size_t t = 0; t < 1293; ++t) {
      const double w = want[c][t];
      const double got = chroma[c * 1293 + t];
      worst = std::max(worst, std::abs(got - w));
      if (static_cast<float>(w) == chroma[c * 1293 + t]) ++exact;
      ASSERT_NEAR(got, w, 4e-6) << "chroma " << c << " frame " << t;
    }
  }
  std::printf(
      "blues.00000: filterbank row sums worst rel err %.2e; chroma worst abs err %.2e, %zu/%d elements "
      "bit-equal\n",
      worst_fb, worst, exact, 12 * 1293);

  // The flattening order is the one np.mean saw: the reference's own mean (features) must come out
  // of numpy_mean over our buffer to float32 rounding.
  const float mean = dsp::numpy_mean<float>(chroma);
  const double want_mean = lr["features"]["chroma_stft_mean"];
  EXPECT_NEAR(mean, want_mean, want_mean * 1e-6);
}

namespace {

// One Kaggle table row: the signal is processed on its own (own padding, own tuning). The parity
// bar: relative 1e-5 (librosa 0.7.2 itself reaches ~1e-6 against this table).
void compare_row(const kaggle::ReferenceTable& table, const std::string& row, std::span<const float> y,
                 std::vector<kaggle::WorstError>& errors) {
  const auto chroma = dsp::chroma_stft(power_of(y));
  const double got[2] = {dsp::numpy_mean<float>(chroma), dsp::numpy_var<float>(chroma)};
  for (std::size_t i = 0; i < 2; ++i) {
    const double want = table.value(row, errors[i].column);
    errors[i].add(row, got[i], want);
    EXPECT_NEAR(got[i], want, 1e-5 * want) << row << " " << errors[i].column;
  }
}

std::vector<kaggle::WorstError> chroma_columns() {
  return kaggle::worst_errors({"chroma_stft_mean", "chroma_stft_var"});
}

}  // namespace

TEST(Chroma, MatchesKaggleTable30s) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto& table = kaggle::table_30s();
  auto errors = chroma_columns();
  kaggle::for_each_clip(gtzan,
                        [&](const std::string& row, std::span<const float> y) { compare_row(table, row, y, errors); });
  kaggle::print_table("chroma vs features_30_sec.csv (30 clips)", errors);
}

TEST(Chroma, MatchesKaggleTable3sSegments) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto& table = kaggle::table_3s_subset();
  auto errors = chroma_columns();
  kaggle::for_each_segment(
      gtzan, table, [&](const std::string& row, std::span<const float> seg) { compare_row(table, row, seg, errors); });
  ASSERT_EQ(errors[0].rows, 90);
  kaggle::print_table("chroma vs features_3_sec subset (90 segments)", errors);
}

// Speed of the whole block (chroma incl. tuning and filterbank, centroid/bandwidth/rolloff, rms,
// zcr) on one 30-s clip, given the STFT. Printed only: speed is never asserted.
TEST(ChromaBlockTiming, PrintsTimePerClip) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto y = audio::load_mono(gtzan / "genres_original/blues/blues.00000.wav");
  const auto stft = dsp::Stft::create();
  using clock = std::chrono::steady_clock;
  auto ms = [](clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const auto t0 = clock::now();
  const auto mag = dsp::magnitude(stft.compute(y));
  const auto power = dsp::squared(mag);
  const auto t1 = clock::now();
  constexpr int kRuns = 5;
  double best[5] = {1e9, 1e9, 1e9, 1e9, 1e9};
  float sink = 0.0f;
  for (int r = 0; r < kRuns; ++r) {
    const auto a = clock::now();
    const double tuning = dsp::estimate_tuning_f64(power);
    const auto b = clock::now();
    const auto chroma = dsp::chroma_stft(power);
    const auto c = clock::now();
    const auto shape = dsp::spectral_shape(mag);
    const auto d = clock::now();
    const auto r_ = dsp::rms(y);
    const auto e = clock::now();
    const auto z = dsp::zero_crossing_rate(y);
    const auto f = clock::now();
    sink += chroma[0] + r_[0] + static_cast<float>(shape.rolloff[0] + z[0] + tuning);
    best[0] = std::min(best[0], ms(b - a));
    best[1] = std::min(best[1], ms(c - b));
    best[2] = std::min(best[2], ms(d - c));
    best[3] = std::min(best[3], ms(e - d));
    best[4] = std::min(best[4], ms(f - e));
  }
  std::printf(
      "block time per 30-s clip (best of %d), STFT+|D|+|D|^2 (not this block) %.2f ms:\n"
      "  chroma_stft %.2f ms (of which estimate_tuning %.2f ms), spectral_shape %.2f ms, rms %.2f ms, "
      "zcr %.2f ms; block total %.2f ms [%g]\n",
      kRuns, ms(t1 - t0), best[1], best[0], best[2], best[3], best[4], best[1] + best[2] + best[3] + best[4],
      static_cast<double>(sink));
}

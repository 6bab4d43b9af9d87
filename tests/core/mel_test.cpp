#include "dsp/mel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "dsp/power_to_db.h"
#include "mel_test_util.h"
#include "support/test_data.h"

using namespace genrelab;

TEST(MelFilterbank, RejectsBadParameters) {
  EXPECT_THROW(dsp::MelFilterbank::create({0, 2048, 128, 0.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(dsp::MelFilterbank::create({22050, 2047, 128, 0.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(dsp::MelFilterbank::create({22050, 2048, 0, 0.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(dsp::MelFilterbank::create({22050, 2048, 128, 500.0, 400.0}), std::invalid_argument);
  EXPECT_THROW(dsp::MelFilterbank::create({22050, 2048, 128, 0.0, 12000.0}), std::invalid_argument);
  EXPECT_THROW(dsp::MelFilterbank::create({22050, 2048, 128, -1.0, 0.0}), std::invalid_argument);
  const auto fb = dsp::MelFilterbank::create();
  dsp::Spectrogram wrong{1024, 3, std::vector<float>(1024 * 3)};
  EXPECT_THROW((void)fb.apply(wrong), std::invalid_argument);
}

TEST(MelFilterbank, SlaneyScaleMatchesLibrosaDocstrings) {
  // librosa.hz_to_mel(60) == 0.9; hz_to_mel([110, 220, 440]) == [1.65, 3.3, 6.6]; mel_to_hz(3) == 200.
  EXPECT_NEAR(dsp::hz_to_mel_slaney(60.0), 0.9, 1e-12);
  EXPECT_NEAR(dsp::hz_to_mel_slaney(440.0), 6.6, 1e-12);
  EXPECT_NEAR(dsp::mel_to_hz_slaney(3.0), 200.0, 1e-12);
  EXPECT_DOUBLE_EQ(dsp::hz_to_mel_slaney(1000.0), 15.0);  // the linear/log break
  for (double hz : {20.0, 999.0, 1000.0, 1234.5, 8000.0, 11025.0})
    EXPECT_NEAR(dsp::mel_to_hz_slaney(dsp::hz_to_mel_slaney(hz)), hz, hz * 1e-14);
  // librosa.mel_frequencies(n_mels=40) docstring (printed to 3 decimals).
  const auto fb = dsp::MelFilterbank::create({22050, 2048, 38, 0.0, 0.0});
  const auto& f = fb.band_edges_hz();
  ASSERT_EQ(f.size(), 40u);
  EXPECT_EQ(f[0], 0.0);
  EXPECT_NEAR(f[1], 85.317, 5e-4);
  EXPECT_NEAR(f[12], 1024.856, 5e-4);
  EXPECT_NEAR(f[38], 10096.408, 5e-4);
  EXPECT_EQ(f[39], 11025.0);
}

TEST(MelFilterbank, TrianglesAreContiguousAndAreaNormalised) {
  const auto fb = dsp::MelFilterbank::create();
  ASSERT_EQ(fb.n_mels(), 128);
  ASSERT_EQ(fb.n_bins(), 1025);
  int stored = 0;
  for (int m = 0; m < fb.n_mels(); ++m) {
    ASSERT_GT(fb.bin_count(m), 0) << m;  // no empty channel at 128 bands / 2048-point FFT
    stored += fb.bin_count(m);
    // Outside its run a band is exactly zero; the run starts and ends on non-zero weights.
    for (int k = 0; k < fb.n_bins(); ++k) {
      if (k < fb.first_bin(m) || k >= fb.first_bin(m) + fb.bin_count(m)) {
        ASSERT_EQ(fb.weight(m, k), 0.0f);
      }
    }
    EXPECT_GT(fb.weight(m, fb.first_bin(m)), 0.0f);
    EXPECT_GT(fb.weight(m, fb.first_bin(m) + fb.bin_count(m) - 1), 0.0f);
    // Slaney area normalisation: the triangle of height 2 / (f[m+2] - f[m]) has unit area in Hz,
    // so the weights sum to about 1 / (bin spacing) = 2048 / 22050 (loose: triangles are sampled).
    double sum = 0.0;
    for (int k = 0; k < fb.n_bins(); ++k) sum += static_cast<double>(fb.weight(m, k));
    EXPECT_NEAR(sum, 2048.0 / 22050.0, 0.03) << m;
  }
  // Neighbouring triangles overlap once: every bin is in at most two runs, which is what makes
  // apply() cost ~2 multiply-adds per FFT bin.
  EXPECT_LE(stored, 2 * fb.n_bins());
}

TEST(MelFilterbank, RowSumsMatchLibrosa) {
  GENRELAB_REQUIRE_LIBROSA_REF(lr);
  const auto fb = dsp::MelFilterbank::create();
  const auto& want = lr["mel_filterbank_row_sums"];
  ASSERT_EQ(want.size(), 128u);
  for (int m = 0; m < 128; ++m) {
    double sum = 0.0;
    for (int k = 0; k < fb.n_bins(); ++k) sum += static_cast<double>(fb.weight(m, k));
    // The reference is np.sum(mel_basis, axis=1) in float32 (9 significant digits); our float64 sum
    // of the same float32 weights differs by the float32 summation error only (a few 1e-8).
    const double w = want[static_cast<std::size_t>(m)];
    EXPECT_NEAR(sum, w, 1e-6 * w) << m;
  }
}

TEST(MelFilterbank, SparseApplyEqualsDenseProduct) {
  const auto fb = dsp::MelFilterbank::create({22050, 512, 40, 50.0, 8000.0});
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(0.0f, 10.0f);
  dsp::Spectrogram power{257, 5, std::vector<float>(257 * 5)};
  for (float& v : power.data) v = dist(rng);
  const auto mel = fb.apply(power);
  ASSERT_EQ(mel.n_bins, 40);
  ASSERT_EQ(mel.n_frames, 5);
  for (int t = 0; t < 5; ++t)
    for (int m = 0; m < 40; ++m) {
      double dense = 0.0;
      for (int k = 0; k < 257; ++k) dense += static_cast<double>(fb.weight(m, k)) * static_cast<double>(power.at(k, t));
      EXPECT_EQ(mel.at(m, t), static_cast<float>(dense)) << m << "," << t;  // same float64 sum, zeros add nothing
    }
}

TEST(PowerToDb, KnownValuesAndTopDbFloor) {
  dsp::Spectrogram s{3, 2, {1.0f, 10.0f, 1e-3f, 0.0f, 1e-20f, 100.0f}};
  dsp::power_to_db(s);
  EXPECT_EQ(s.data[0], 0.0f);
  EXPECT_EQ(s.data[1], 10.0f);
  EXPECT_NEAR(s.data[2], -30.0f, 1e-5f);
  EXPECT_EQ(s.data[3], -60.0f);  // amin 1e-10 gives -100 dB, floored at max (20 dB) - 80
  EXPECT_EQ(s.data[4], -60.0f);
  EXPECT_EQ(s.data[5], 20.0f);

  dsp::Spectrogram t{2, 1, {1e-12f, 1.0f}};
  dsp::power_to_db(t, {10.0, 1e-10, std::numeric_limits<double>::infinity()});  // ref 10, no floor
  EXPECT_NEAR(t.data[0], -110.0f, 1e-4f);
  EXPECT_EQ(t.data[1], -10.0f);

  EXPECT_THROW(dsp::power_to_db(t, {1.0, 0.0, 80.0}), std::invalid_argument);
  EXPECT_THROW(dsp::power_to_db(t, {1.0, 1e-10, -1.0}), std::invalid_argument);
}

TEST(MelSpectrogram, MatchesLibrosaOnBlues) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  GENRELAB_REQUIRE_LIBROSA_REF(lr);
  const auto r = test::mel::run_on_blues(gtzan);
  ASSERT_EQ(r.mel_power.n_frames, 1293);
  ASSERT_EQ(r.mel_power.n_bins, 128);

  // librosa's np.dot is a float32 sgemm (BLAS summation order); we sum exact products in float64
  // and round once. The two agree to a few float32 ulps; 1e-6 relative is ~8 ulps. Values below
  // 1e-6 of the clip's peak are dominated by cancellation-free but tiny terms, same bound.
  const auto& power5 = lr["mel_power_first5"];
  const auto& db5 = lr["mel_db_first5"];
  int exact = 0;
  double worst_rel = 0.0, worst_db = 0.0;
  for (int m = 0; m < 128; ++m)
    for (int t = 0; t < 5; ++t) {
      const double want = power5[static_cast<std::size_t>(m)][static_cast<std::size_t>(t)];
      const double got = r.mel_power.at(m, t);
      if (static_cast<float>(want) == static_cast<float>(got)) ++exact;
      worst_rel = std::max(worst_rel, std::abs(got - want) / want);
      EXPECT_NEAR(got, want, 1e-6 * want) << "mel power band " << m << " frame " << t;
      // dB: 10 log10 turns a relative error e into 4.3 e dB; plus float32 rounding of the dB value.
      const double want_db = db5[static_cast<std::size_t>(m)][static_cast<std::size_t>(t)];
      worst_db = std::max(worst_db, std::abs(static_cast<double>(r.mel_db.at(m, t)) - want_db));
      EXPECT_NEAR(r.mel_db.at(m, t), want_db, 1e-5 + 5e-6 * std::abs(want_db)) << "mel dB band " << m << " frame " << t;
    }
  std::printf("mel power first 5 frames: %d/640 bit-equal, worst rel err %.3g; mel dB worst abs err %.3g dB\n", exact,
              worst_rel, worst_db);

  float peak = 0.0f;
  for (float v : r.mel_power.data) peak = std::max(peak, v);
  const double want_peak = lr["mel_power_max"];
  EXPECT_NEAR(peak, want_peak, 1e-6 * want_peak);
}

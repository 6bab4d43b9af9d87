#include "dsp/stft.h"

#include <gtest/gtest.h>

#include <cmath>

#include "audio/decode.h"
#include "support/test_data.h"

using namespace genrelab;

TEST(Stft, ReflectIndexMatchesNumpy) {
  // np.pad(np.arange(4), 5, mode='reflect') == [1 2 3 2 1 | 0 1 2 3 | 2 1 0 1 2]
  const int expected[] = {1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2};
  for (int i = -5; i < 9; ++i) EXPECT_EQ(dsp::reflect_index(i, 4), expected[i + 5]) << i;
  EXPECT_EQ(dsp::reflect_index(-3, 1), 0);
}

TEST(Stft, RejectsBadParameters) {
  EXPECT_THROW(dsp::Stft::create({2047, 512}), std::invalid_argument);
  EXPECT_THROW(dsp::Stft::create({2048, 0}), std::invalid_argument);
}

TEST(Stft, FrameCountAndSineBin) {
  const auto stft = dsp::Stft::create();
  std::vector<float> y(22050);
  // 1076.66 Hz = bin 100 exactly at n_fft 2048, sr 22050.
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(std::sin(2 * M_PI * 100.0 * i / 2048.0));
  const auto spec = stft.compute(y);
  EXPECT_EQ(spec.n_frames, 1 + 22050 / 512);
  EXPECT_EQ(spec.n_bins, 1025);
  const auto mag = dsp::magnitude(spec);
  const float* f = mag.frame(20);
  EXPECT_NEAR(f[100], 512.0f, 0.01f);  // sum of the Hann window / 2
  EXPECT_LT(f[110], 1e-3f);
}

TEST(Stft, InverseReconstructsInterior) {
  const auto stft = dsp::Stft::create();
  std::vector<float> y(10000);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(std::sin(0.01 * i) + 0.5 * std::cos(0.37 * i));
  const auto back = stft.inverse(stft.compute(y));
  ASSERT_EQ(back.size(), 512u * (10000 / 512));
  for (std::size_t i = 0; i < back.size(); ++i) ASSERT_NEAR(back[i], y[i], 1e-5) << i;
}

TEST(Stft, MatchesLibrosaOnBlues) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  GENRELAB_REQUIRE_LIBROSA_REF(lr);
  const auto y = audio::load_mono(gtzan / "genres_original/blues/blues.00000.wav");
  ASSERT_EQ(y.size(), lr["n_samples"].get<std::size_t>());
  const auto mag = dsp::magnitude(dsp::Stft::create().compute(y));
  ASSERT_EQ(mag.n_frames, lr["n_frames"].get<int>());
  const auto& expected = lr["stft_mag_frame0_first16"];
  // Reference values carry 9 significant digits (float32 round trip): allow 1 float32 ulp.
  for (int k = 0; k < 16; ++k) {
    const double want = expected[static_cast<std::size_t>(k)];
    EXPECT_NEAR(mag.frame(0)[k], want, std::abs(want) * 2e-7) << k;
  }
}

#include "features/log_mel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "audio/decode.h"
#include "support/test_data.h"

using namespace genrelab;

TEST(LogMel, ToneLandsInItsBandAndRangeIsTopDb) {
  std::vector<float> y(22050 * 2);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(0.5 * std::sin(2 * M_PI * 1000.0 * i / 22050.0));
  const auto m = features::log_mel_spectrogram(y);
  ASSERT_EQ(m.db.n_bins, 128);
  ASSERT_EQ(m.db.n_frames, 1 + static_cast<int>(y.size()) / 512);
  EXPECT_NEAR(m.seconds_per_frame, 512.0 / 22050, 1e-12);
  EXPECT_DOUBLE_EQ(m.fmax_hz, 11025.0);
  const float* frame = m.db.frame(40);
  const auto loudest = static_cast<std::size_t>(std::max_element(frame, frame + 128) - frame);
  EXPECT_NEAR(m.band_hz[loudest], 1000.0, 60.0);  // the band whose centre is nearest 1 kHz
  const auto [lo, hi] = std::minmax_element(m.db.data.begin(), m.db.data.end());
  EXPECT_EQ(*hi, 0.0f);
  EXPECT_GE(*lo, -80.0f);
  EXPECT_THROW(features::log_mel_spectrogram(std::vector<float>(100)), std::invalid_argument);
}

TEST(LogMel, MatchesLibrosaMelDbOfBlues) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  GENRELAB_REQUIRE_LIBROSA_REF(lr);
  // mel_db_first5 is power_to_db(mel, ref=1.0); ours is relative to the maximum, so compare
  // after adding back 10*log10(mel_power_max) (the reference's own maximum).
  const auto y = audio::load_mono(gtzan / "genres_original/blues/blues.00000.wav");
  const auto m = features::log_mel_spectrogram(y);
  const double max_db = 10.0 * std::log10(lr["mel_power_max"].get<double>());
  const auto& ref = lr["mel_db_first5"];
  for (int band = 0; band < 128; ++band)
    for (int t = 0; t < 5; ++t) {
      const double want = ref[static_cast<std::size_t>(band)][static_cast<std::size_t>(t)].get<double>();
      EXPECT_NEAR(static_cast<double>(m.db.at(band, t)) + max_db, std::max(want, max_db - 80.0), 2e-4)
          << band << "," << t;
    }
}

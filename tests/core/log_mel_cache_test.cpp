// The log-mel cache: each file is computed once (memory), reused from its folder by a new cache,
// recomputed when the file changes, shared safely between threads; bad files name themselves.
#include "features/log_mel_cache.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <thread>

#include "audio/decode.h"
#include "features/log_mel.h"
#include "support/test_data.h"
#include "util/error.h"

namespace {

namespace fs = std::filesystem;
using genrelab::features::LogMelCache;

void write_tone(const fs::path& path, double hz, double seconds) {
  SF_INFO info{};
  info.samplerate = 22050;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  std::vector<float> y(static_cast<std::size_t>(seconds * 22050));
  for (std::size_t i = 0; i < y.size(); ++i)
    y[i] = static_cast<float>(0.4 * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / 22050));
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr);
  sf_writef_float(f, y.data(), static_cast<sf_count_t>(y.size()));
  sf_close(f);
}

TEST(LogMelCache, ComputesOncePerFileAndReusesItsFolder) {
  const auto dir = genrelab::test::temp_dir("log-mel-cache");
  const auto a = dir / "a.wav", b = dir / "b.wav", store = dir / "cache";
  write_tone(a, 440, 1.0);
  write_tone(b, 880, 1.5);
  LogMelCache cache({}, store);
  const auto first = cache.get(a);
  for (int epoch = 0; epoch < 5; ++epoch) EXPECT_EQ(cache.get(a).get(), first.get());  // the same object
  EXPECT_EQ(cache.computed(), 1u);
  EXPECT_EQ(cache.memory_hits(), 5u);
  const auto direct = genrelab::features::log_mel_spectrogram(genrelab::audio::load_mono(a));
  EXPECT_EQ(first->data, direct.db.data);
  EXPECT_EQ(first->n_bins, 128);

  // Several threads asking for one new file: it is computed once.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&] { cache.get(b); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(cache.computed(), 2u);

  // A new cache (a later run) reads both from the folder, bit for bit.
  LogMelCache again({}, store);
  EXPECT_EQ(again.get(a)->data, first->data);
  again.get(b);
  EXPECT_EQ(again.disk_hits(), 2u);
  EXPECT_EQ(again.computed(), 0u);

  // A changed file (other length) is recomputed.
  write_tone(a, 440, 2.0);
  LogMelCache third({}, store);
  EXPECT_GT(third.get(a)->n_frames, first->n_frames);
  EXPECT_EQ(third.computed(), 1u);

  // Other parameters never reuse an entry.
  genrelab::features::ExtractionParams p;
  p.n_mels = 64;
  LogMelCache other(p, store);
  EXPECT_EQ(other.get(b)->n_bins, 64);
  EXPECT_EQ(other.computed(), 1u);
}

TEST(LogMelCache, BadFileNamesItselfAndTheCacheGoesOn) {
  const auto dir = genrelab::test::temp_dir("log-mel-cache-bad");
  const auto bad = dir / "bad.wav", good = dir / "good.wav";
  std::ofstream(bad) << "not audio";
  write_tone(good, 300, 0.5);
  LogMelCache cache;
  try {
    cache.get(bad);
    FAIL() << "no error for a bad file";
  } catch (const genrelab::FileError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.wav"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(cache.get(good));
  EXPECT_THROW(cache.get(bad), genrelab::FileError);  // not cached as a success
}

}  // namespace

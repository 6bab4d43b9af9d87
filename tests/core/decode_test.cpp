#include "audio/decode.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <numbers>

#include "dataset/feature_table.h"
#include "support/test_data.h"
#include "util/error.h"

using namespace genrelab;
namespace fs = std::filesystem;

namespace {

void write_audio(const fs::path& path, const std::vector<float>& interleaved, int channels, int rate, int format) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  sf_writef_float(f, interleaved.data(),
                  static_cast<sf_count_t>(interleaved.size() / static_cast<std::size_t>(channels)));
  sf_close(f);
}

std::vector<float> sine(std::size_t n, double freq, int rate, double amp = 0.5) {
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = static_cast<float>(amp * std::sin(2 * std::numbers::pi * freq * static_cast<double>(i) / rate));
  return y;
}

/// Dominant frequency by counting upward zero crossings.
double zero_crossing_frequency(const std::vector<float>& y, int rate) {
  int crossings = 0;
  for (std::size_t i = 1; i < y.size(); ++i)
    if (y[i - 1] < 0 && y[i] >= 0) ++crossings;
  return crossings * static_cast<double>(rate) / static_cast<double>(y.size());
}

void expect_file_error(const fs::path& path, const std::string& reason_part) {
  try {
    audio::load_mono(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const FileError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    EXPECT_NE(e.reason().find(reason_part), std::string::npos) << e.reason();
  }
}

}  // namespace

TEST(Decode, SharedClipsMatchCsvLengthsAndInt16Scaling) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto table = dataset::read_feature_table(gtzan / "features_30_sec.csv");
  std::map<std::string, std::int64_t> lengths;
  for (std::size_t r = 0; r < table.rows(); ++r) lengths[table.filenames[r]] = table.lengths[r];
  int clips = 0;
  for (const auto& entry : fs::recursive_directory_iterator(gtzan / "genres_original")) {
    if (entry.path().extension() != ".wav") continue;
    ++clips;
    const auto y = audio::load_mono(entry.path());
    ASSERT_TRUE(lengths.count(entry.path().filename().string())) << entry.path();
    EXPECT_EQ(static_cast<std::int64_t>(y.size()), lengths[entry.path().filename().string()]) << entry.path();
    // The README: plain 44-byte header, then 16-bit PCM. librosa's samples are int16 / 32768.
    std::ifstream raw(entry.path(), std::ios::binary);
    raw.seekg(44);
    std::vector<std::int16_t> pcm(y.size());
    raw.read(reinterpret_cast<char*>(pcm.data()), static_cast<std::streamsize>(pcm.size() * 2));
    ASSERT_TRUE(raw) << entry.path();
    for (std::size_t i = 0; i < y.size(); ++i)
      ASSERT_EQ(y[i], static_cast<float>(pcm[i]) / 32768.0f) << entry.path() << " sample " << i;
  }
  EXPECT_EQ(clips, 30);
}

TEST(Decode, ProbeReportsHeader) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto info = audio::probe(gtzan / "genres_original/country/country.00002.wav");
  EXPECT_EQ(info.sample_rate, 22050);
  EXPECT_EQ(info.channels, 1);
  EXPECT_EQ(info.frames, 669680);  // MANIFEST.tsv
  EXPECT_NEAR(info.duration_s, 669680 / 22050.0, 1e-9);
  EXPECT_EQ(info.format, "WAV");
  EXPECT_EQ(info.encoding, "PCM_16");
}

TEST(Decode, CorruptKaggleFileIsRejectedWithItsName) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  expect_file_error(gtzan / "known_bad/jazz.00054.wav", "not a decodable audio file");
}

TEST(Decode, BadInputsGiveClearErrors) {
  const auto dir = test::temp_dir("decode-bad");
  expect_file_error(dir / "missing.wav", "does not exist");
  std::ofstream(dir / "empty.wav").close();
  expect_file_error(dir / "empty.wav", "empty file");
  std::ofstream(dir / "text.wav") << "this is not audio, just some text renamed to .wav\n";
  expect_file_error(dir / "text.wav", "not a decodable audio file");
  expect_file_error(dir, "not a regular file");
  // A WAV cut right after its header: no frames.
  write_audio(dir / "full.wav", sine(1000, 440, 22050), 1, 22050, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  std::ifstream full(dir / "full.wav", std::ios::binary);
  std::vector<char> header(44);
  full.read(header.data(), 44);
  std::ofstream(dir / "header_only.wav", std::ios::binary).write(header.data(), 44);
  EXPECT_THROW(audio::load_mono(dir / "header_only.wav"), FileError);
}

TEST(Decode, StereoIsAveragedAsLibrosaDoes) {
  const auto dir = test::temp_dir("decode-stereo");
  const auto left = sine(5000, 440, 22050, 0.5), right = sine(5000, 660, 22050, 0.25);
  std::vector<float> interleaved;
  for (std::size_t i = 0; i < left.size(); ++i) {
    interleaved.push_back(left[i]);
    interleaved.push_back(right[i]);
  }
  write_audio(dir / "stereo.wav", interleaved, 2, 22050, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const auto y = audio::load_mono(dir / "stereo.wav");
  ASSERT_EQ(y.size(), left.size());
  for (std::size_t i = 0; i < y.size(); ++i) ASSERT_EQ(y[i], (left[i] + right[i]) / 2.0f) << i;
}

TEST(Decode, ResamplesToTargetRate) {
  const auto dir = test::temp_dir("decode-resample");
  write_audio(dir / "44k.wav", sine(44100 * 2, 1000, 44100), 1, 44100, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  const auto y = audio::load_mono(dir / "44k.wav", 22050);
  EXPECT_NEAR(static_cast<double>(y.size()), 44100.0, 2.0);
  EXPECT_NEAR(zero_crossing_frequency(y, 22050), 1000.0, 1.0);
  // Amplitude kept (soxr HQ passband is flat at 1 kHz).
  float peak = 0;
  for (std::size_t i = 2000; i < y.size() - 2000; ++i) peak = std::max(peak, std::abs(y[i]));
  EXPECT_NEAR(peak, 0.5f, 0.01f);
  const auto native = audio::load_mono(dir / "44k.wav", 0);
  EXPECT_EQ(native.size(), 88200u);
}

TEST(Decode, StreamingChunksEqualWholeFile) {
  const auto dir = test::temp_dir("decode-stream");
  write_audio(dir / "48k.wav", sine(48000 * 3 + 17, 300, 48000), 1, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
  const auto whole = audio::load_mono(dir / "48k.wav");
  auto reader = audio::MonoReader::open(dir / "48k.wav");
  std::vector<float> streamed, chunk(1237);
  for (std::size_t n; (n = reader.read(chunk)) > 0;)
    streamed.insert(streamed.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
  EXPECT_EQ(streamed, whole);
  EXPECT_NEAR(static_cast<double>(reader.expected_frames()), static_cast<double>(whole.size()), 2.0);
}

TEST(Decode, CompressedFormatsDecode) {
  const auto dir = test::temp_dir("decode-formats");
  const auto y = sine(22050, 440, 22050);
  struct Case {
    const char* name;
    int format;
    double tolerance;  // lossless formats are exact to 16 bits; lossy ones only keep the tone
  };
  for (const Case c : {Case{"a.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1.0 / 32768},
                       Case{"a.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 0.05},
                       Case{"a.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 0.1}}) {
    SF_INFO probe{};
    probe.samplerate = 22050;
    probe.channels = 1;
    probe.format = c.format;
    if (!sf_format_check(&probe)) {
      ADD_FAILURE() << "libsndfile cannot write " << c.name;
      continue;
    }
    write_audio(dir / c.name, y, 1, 22050, c.format);
    const auto back = audio::load_mono(dir / c.name);
    ASSERT_GT(back.size(), 20000u) << c.name;
    EXPECT_NEAR(zero_crossing_frequency(back, 22050), 440.0, 3.0) << c.name;
    if (c.tolerance < 0.01) {
      for (std::size_t i = 0; i < y.size(); ++i) ASSERT_NEAR(back[i], y[i], c.tolerance) << c.name << " " << i;
    }
  }
}

TEST(Decode, AudioExtensions) {
  EXPECT_TRUE(audio::has_audio_extension("a/b.WAV"));
  EXPECT_TRUE(audio::has_audio_extension("x.mp3"));
  EXPECT_TRUE(audio::has_audio_extension("x.flac"));
  EXPECT_FALSE(audio::has_audio_extension("x.png"));
  EXPECT_FALSE(audio::has_audio_extension("x.csv"));
}

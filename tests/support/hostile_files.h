// Generators of hostile inputs for the reliability tests (tests/core/hostile_input_test.cpp,
// tests/ml/hostile_bundle_test.cpp): hand-made WAV headers (any rate, channel count, declared
// size), libsndfile-encoded files, truncations and random bytes. Nothing is downloaded.
#pragma once

#include <sndfile.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace genrelab::test::hostile {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline void put_le(std::string& s, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

/// A canonical 44-byte-header WAV written by hand, so that any header value can be given:
/// format 1 = PCM (16 bit), 3 = IEEE float (32 bit). `declared_data_bytes` overrides the data
/// chunk size (e.g. 0xFFFFFFF0 for a header that claims far more than the file holds).
inline std::string wav_bytes(const std::vector<float>& interleaved, int rate, int channels, int format = 3,
                             std::int64_t declared_data_bytes = -1) {
  const int bits = format == 3 ? 32 : 16;
  std::string data;
  for (const float v : interleaved) {
    if (format == 3) {
      std::uint32_t u;
      std::memcpy(&u, &v, 4);
      put_le(data, u, 4);
    } else {
      const double c = static_cast<double>(v) * 32768.0;
      put_le(data,
             static_cast<std::uint16_t>(static_cast<std::int16_t>(c > 32767    ? 32767
                                                                  : c < -32768 ? -32768
                                                                               : c)),
             2);
    }
  }
  const std::uint64_t declared =
      declared_data_bytes >= 0 ? static_cast<std::uint64_t>(declared_data_bytes) : data.size();
  std::string s = "RIFF";
  put_le(s, (36 + declared) & 0xffffffffu, 4);
  s += "WAVEfmt ";
  put_le(s, 16, 4);
  put_le(s, static_cast<std::uint64_t>(format), 2);
  put_le(s, static_cast<std::uint64_t>(channels), 2);
  put_le(s, static_cast<std::uint64_t>(rate), 4);
  put_le(s, static_cast<std::uint64_t>(rate) * static_cast<std::uint64_t>(channels * bits / 8), 4);
  put_le(s, static_cast<std::uint64_t>(channels * bits / 8), 2);
  put_le(s, static_cast<std::uint64_t>(bits), 2);
  s += "data";
  put_le(s, declared & 0xffffffffu, 4);
  return s + data;
}

/// Writes with libsndfile (any format it encodes: FLAC, OGG/Vorbis, MP3, …). False when it cannot.
inline bool write_sndfile(const std::filesystem::path& p, const std::vector<float>& interleaved, int rate, int channels,
                          int format) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  if (!sf_format_check(&info)) return false;
  SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
  if (!f) return false;
  sf_writef_float(f, interleaved.data(),
                  static_cast<sf_count_t>(interleaved.size() / static_cast<std::size_t>(channels)));
  sf_close(f);
  return true;
}

/// A tone with a little noise, so that every feature has something to measure.
inline std::vector<float> tone(std::size_t n, int rate, double amp = 0.4, unsigned seed = 1) {
  std::vector<float> y(n);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> noise(-0.01, 0.01);
  for (std::size_t i = 0; i < n; ++i)
    y[i] =
        static_cast<float>(amp * std::sin(2 * 3.141592653589793 * 440.0 * static_cast<double>(i) / rate) + noise(rng));
  return y;
}

inline std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

}  // namespace genrelab::test::hostile

// Audio decoding (libsndfile: WAV, AIFF, FLAC, OGG/Vorbis, Opus, MP3) to mono float32, with
// resampling through libsoxr (high quality). Samples are scaled as librosa/soundfile do:
// 16-bit PCM becomes int16 / 32768 exactly. Mono mixdown is librosa's: the float32 sum of the
// channels divided by their count.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace genrelab::audio {

/// librosa's default sample rate, used for every feature.
inline constexpr int kDefaultSampleRate = 22050;
/// Sample rates GenreLab decodes (Hz). Files outside this range are refused with a FileError
/// rather than resampled: a 1 Hz header is damage, not audio, and would upsample 22050-fold.
inline constexpr int kMinSampleRate = 1000;
inline constexpr int kMaxSampleRate = 768000;

/// What a file holds, as its header says.
struct AudioInfo {
  int sample_rate = 0;  ///< Hz
  int channels = 0;
  std::int64_t frames = 0;  ///< samples per channel
  double duration_s = 0.0;
  std::string format;    ///< container, e.g. "WAV"
  std::string encoding;  ///< sample encoding, e.g. "PCM_16"
};

/// Reads the header only. Throws FileError (file + reason) for anything that is not decodable audio
/// (missing, empty, unreadable, not audio, no frames, sample rate outside kMinSampleRate..kMaxSampleRate).
AudioInfo probe(const std::filesystem::path& path);

/// Streams a file as mono float32 at `target_rate` (0 keeps the file's rate), a chunk at a time,
/// so a long file never needs to be held in memory. Not thread-safe; one reader per thread.
class MonoReader {
 public:
  /// Opens and validates the file. Throws FileError.
  static MonoReader open(const std::filesystem::path& path, int target_rate = kDefaultSampleRate);
  MonoReader(MonoReader&&) noexcept;
  MonoReader& operator=(MonoReader&&) noexcept;
  ~MonoReader();

  const AudioInfo& info() const noexcept;
  const std::filesystem::path& path() const noexcept;
  /// Output sample rate (Hz).
  int sample_rate() const noexcept;
  /// Output length in samples: exact without resampling, the resampler's length otherwise.
  std::int64_t expected_frames() const noexcept;
  /// Fills `out` with the next samples; returns how many were written, 0 at the end.
  /// Throws FileError when the file turns out to be truncated or unreadable mid-way, or holds a
  /// NaN or infinite sample (float files; librosa refuses such signals too).
  std::size_t read(std::span<float> out);

 private:
  struct Impl;
  explicit MonoReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Decodes a whole file to mono float32 at `target_rate` (0 keeps the file's rate). Throws FileError.
std::vector<float> load_mono(const std::filesystem::path& path, int target_rate = kDefaultSampleRate);

/// Audio file name extensions that a folder scan considers (lower case, with the dot).
bool has_audio_extension(const std::filesystem::path& path);

}  // namespace genrelab::audio

// Log-mel spectrograms of audio files, computed once per file and reused (across the epochs and
// folds of a training run, and across runs when a cache folder is given). Entries are keyed by
// the file's absolute path, size and modification time and by the log-mel parameters (sample
// rate, n_fft, hop, n_mels, top_db), so an edited file or other parameters never reuse a stale
// picture. On disk: one file per entry, "GLMEL\0\0\0", u32 n_mels, u32 frames, float32 values
// (frame-major), written atomically.
// Thread-safety: get() may be called from several threads at once; one file is computed once
// (other callers wait for it).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "dsp/stft.h"
#include "features/extraction_params.h"

namespace genrelab::features {

class LogMelCache {
 public:
  /// `folder`: where entries persist between runs (created when missing); empty = memory only.
  /// Throws std::invalid_argument for bad parameters.
  explicit LogMelCache(ExtractionParams params = {}, std::filesystem::path folder = {});

  /// The log-mel spectrogram (log_mel.h: dB re max, n_mels bins, frame-major) of `audio`.
  /// Throws FileError naming the file when it cannot be decoded.
  std::shared_ptr<const dsp::Spectrogram> get(const std::filesystem::path& audio);

  std::size_t computed() const noexcept { return computed_.load(); }    ///< decoded and transformed
  std::size_t disk_hits() const noexcept { return disk_hits_.load(); }  ///< read from the folder
  std::size_t memory_hits() const noexcept { return memory_hits_.load(); }
  const ExtractionParams& params() const noexcept { return params_; }

 private:
  std::string key(const std::filesystem::path& audio) const;
  ExtractionParams params_;
  std::filesystem::path folder_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::map<std::string, std::shared_ptr<const dsp::Spectrogram>> entries_;
  std::map<std::string, bool> pending_;
  std::atomic<std::size_t> computed_{0}, disk_hits_{0}, memory_hits_{0};
};

}  // namespace genrelab::features

// The GTZAN feature row (57 values in Kaggle order) of one clip, computed as librosa 0.7.2 does
// with its defaults (see ../shared/FEATURES.md). One STFT serves every spectral feature.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "features/extraction_params.h"

namespace genrelab::features {

/// CPU seconds spent per block of the extraction (for benchmarks).
struct BlockTimes {
  static constexpr std::size_t kBlocks = 7;
  static constexpr std::array<const char*, kBlocks> kNames = {
      "stft", "chroma", "rms+zcr", "centroid/bandwidth/rolloff", "hpss", "mel+mfcc", "onset+tempo"};
  std::array<double, kBlocks> seconds{};
  BlockTimes& operator+=(const BlockTimes& o) {
    for (std::size_t i = 0; i < kBlocks; ++i) seconds[i] += o.seconds[i];
    return *this;
  }
};

/// Bounds of one 3-second segment within a clip.
struct SegmentBounds {
  std::int64_t start = 0;
  std::int64_t length = 0;
};

/// Computes feature rows. Immutable after create(); compute() is thread-safe.
class FeatureExtractor {
 public:
  /// Validates the parameters (std::invalid_argument) and prepares FFT plans and filterbanks.
  static FeatureExtractor create(const ExtractionParams& params = {});
  FeatureExtractor(FeatureExtractor&&) noexcept;
  FeatureExtractor& operator=(FeatureExtractor&&) noexcept;
  ~FeatureExtractor();

  const ExtractionParams& params() const noexcept;
  /// Column names of compute()'s result.
  const std::vector<std::string>& feature_names() const noexcept;

  /// Feature row of a mono signal at params().sample_rate. y needs at least n_fft/2 + 1
  /// samples (numpy's reflect padding needs them); throws std::invalid_argument otherwise, and when
  /// a feature comes out non-finite (samples near float32's range; librosa refuses those too).
  /// Silent and constant signals give finite rows, equal to librosa's.
  std::vector<double> compute(std::span<const float> y, BlockTimes* times = nullptr) const;

  /// Only the `tempo` column (librosa's beat_track estimate) of a signal, in BPM.
  double tempo(std::span<const float> y) const;

  /// The 3-second segments of a clip of n samples, Kaggle's rule (see ExtractionParams).
  std::vector<SegmentBounds> segments(std::int64_t n_samples) const;

 private:
  struct Impl;
  explicit FeatureExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace genrelab::features

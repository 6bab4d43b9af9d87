// Beat tracking with aubio (aubio_tempo, "default" onset function): beat times and a BPM
// estimate for beat grids and as a second opinion. This is NOT the estimator behind the Kaggle
// `tempo` column: that column is librosa 0.7.2's beat_track tempo, dsp::TempoEstimator.
#pragma once

#include <span>
#include <vector>

namespace genrelab::dsp {

/// aubio's analysis parameters. At 22050 Hz aubio needs hop ~ sr/86 (256); hop 512 halves tempi.
struct BeatGridParams {
  int sample_rate = 22050;  ///< Hz, > 0
  int window = 1024;        ///< onset analysis window, samples (power of two >= hop)
  int hop = 256;            ///< samples between analyses (>= 32)
};

struct BeatGrid {
  std::vector<double> beats_s;  ///< beat times in seconds, ascending
  double bpm = 0.0;             ///< aubio's tempo at the end of the signal (0 when none found)
  double confidence = 0.0;      ///< aubio's confidence in [0, 1]
};

/// Stateless between calls (a fresh aubio object per track()), so track() is thread-safe.
class BeatTracker {
 public:
  /// Throws std::invalid_argument for parameters out of range.
  static BeatTracker create(const BeatGridParams& params = {});
  BeatGrid track(std::span<const float> y) const;
  const BeatGridParams& params() const noexcept { return params_; }

 private:
  explicit BeatTracker(BeatGridParams p) : params_(p) {}
  BeatGridParams params_;
};

}  // namespace genrelab::dsp

// Global tempo estimate as librosa 0.7.2's beat.beat_track(y, sr)[0], i.e. beat.tempo(onset_envelope,
// sr, hop_length, start_bpm, std_bpm, ac_size, max_tempo, aggregate=np.mean) after beat_track's
// "no onsets -> 0" shortcut: an autocorrelation tempogram (windows of ac_size seconds, one per
// frame, envelope padded with linear ramps to 0, periodic Hann, FFT autocorrelation, each window
// normalised by its max), averaged over frames, weighted by a log-normal prior around start_bpm,
// lags at or above max_tempo excluded; the result is the BPM of the best lag, 60 sr / (hop lag).
// Thread-safety: immutable after create(); estimate() is const and may run on several threads.
#pragma once

#include <memory>
#include <span>
#include <vector>

namespace genrelab::dsp {

struct RealFftPlans;  // dsp/fftw_util.h

/// sample_rate > 0 Hz, hop_length > 0 samples, start_bpm > 0, std_bpm > 0 (octaves),
/// ac_size_s > 0 s (at least one frame), max_tempo > 0 BPM (+infinity: no limit).
struct TempoParams {
  int sample_rate = 22050;
  int hop_length = 512;
  double start_bpm = 120.0;
  double std_bpm = 1.0;
  double ac_size_s = 8.0;
  double max_tempo = 320.0;
};

class TempoEstimator {
 public:
  /// Validates the parameters (throws std::invalid_argument) and plans the FFTs.
  static TempoEstimator create(const TempoParams& params = {});

  const TempoParams& params() const noexcept { return params_; }
  /// Autocorrelation window in frames: librosa's time_to_frames(ac_size) (344 by default).
  int win_length() const noexcept { return win_length_; }
  /// BPM of lag k (k >= 1): 60 sr / (hop k).
  double bpm_of_lag(int lag) const;

  /// The mean normalised autocorrelation over frames (librosa's tempogram averaged over time),
  /// win_length() lags. Empty input gives all zeros.
  std::vector<double> mean_tempogram(std::span<const float> onset_envelope) const;

  /// Tempo in BPM of an onset envelope (onset_strength_median); 0 when the envelope is all zero or
  /// empty, as beat_track returns.
  double estimate(std::span<const float> onset_envelope) const;

 private:
  TempoEstimator(TempoParams params, int win_length, std::shared_ptr<const RealFftPlans> plans,
                 std::vector<double> window, std::vector<double> log_prior);
  TempoParams params_;
  int win_length_;
  std::shared_ptr<const RealFftPlans> plans_;
  std::vector<double> window_;     // periodic Hann, win_length
  std::vector<double> log_prior_;  // per lag, -inf where excluded
};

}  // namespace genrelab::dsp

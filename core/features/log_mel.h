// Log-mel spectrogram for display and image models: librosa's
// power_to_db(melspectrogram(y, sr, n_fft, hop, n_mels=128), ref=np.max, top_db=80), i.e. dB
// relative to the loudest cell, floored at -80 dB — the picture of Kaggle's images_original.
#pragma once

#include <span>
#include <vector>

#include "dsp/stft.h"
#include "features/extraction_params.h"

namespace genrelab::features {

struct LogMel {
  dsp::Spectrogram db;             ///< frame-major, n_bins = n_mels; values in [-top_db, 0] dB
  std::vector<double> band_hz;     ///< centre frequency of each mel band, Hz (n_mels values)
  double seconds_per_frame = 0.0;  ///< hop / sample rate
  double fmax_hz = 0.0;            ///< upper edge of the top band
};

/// Computes the log-mel spectrogram with `params` (sample_rate, n_fft, hop_length, n_mels,
/// top_db). y needs at least n_fft/2 + 1 samples; throws std::invalid_argument otherwise.
/// Silence gives all cells 0 dB (ref = max = amin). Thread-safe (no shared state).
LogMel log_mel_spectrogram(std::span<const float> y, const ExtractionParams& params = {});

}  // namespace genrelab::features

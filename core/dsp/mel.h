// Mel filterbank exactly as librosa 0.7.2's filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False,
// norm='slaney', dtype=float32): Slaney's mel scale (linear below 1 kHz, logarithmic above),
// triangles between neighbouring mel centre frequencies, area normalisation 2 / (f[i+2] - f[i]),
// weights stored as float32. apply() is feature.melspectrogram's np.dot(mel_basis, S) on a power
// spectrogram. Frequencies are in Hz, the spectrogram is power (|D|^2). Thread-safety: immutable
// after create(); apply() is const and may be called from several threads at once.
#pragma once

#include <cstddef>
#include <vector>

#include "dsp/stft.h"

namespace genrelab::dsp {

/// Filterbank parameters (librosa defaults). sample_rate > 0 Hz; n_fft even >= 2; n_mels >= 1;
/// 0 <= fmin < fmax <= sample_rate / 2 Hz; fmax = 0 means sample_rate / 2 (librosa's fmax=None).
struct MelParams {
  int sample_rate = 22050;
  int n_fft = 2048;
  int n_mels = 128;
  double fmin = 0.0;
  double fmax = 0.0;  // 0 means sample_rate / 2
};

/// The float32 mel basis of shape [n_mels][n_fft/2+1], kept sparse: each band is non-zero only on
/// a short run of FFT bins, so apply() costs about 2 multiply-adds per FFT bin instead of n_mels.
class MelFilterbank {
 public:
  /// Validates the parameters (throws std::invalid_argument) and builds the weights.
  static MelFilterbank create(const MelParams& params = {});

  int n_mels() const noexcept { return params_.n_mels; }
  int n_bins() const noexcept { return params_.n_fft / 2 + 1; }
  /// The parameters with fmax resolved (0 replaced by sample_rate / 2).
  const MelParams& params() const noexcept { return params_; }

  /// Mel centre frequencies in Hz, librosa's mel_frequencies(n_mels + 2, fmin, fmax) (float64).
  const std::vector<double>& band_edges_hz() const noexcept { return mel_f_; }
  /// The dense float32 weight of FFT bin k in band m (0 outside the band's run).
  float weight(int m, int k) const;
  /// The run of FFT bins [first, first + count) where band m may be non-zero.
  int first_bin(int m) const { return bands_[static_cast<std::size_t>(m)].first; }
  int bin_count(int m) const { return bands_[static_cast<std::size_t>(m)].count; }

  /// Mel power spectrogram of a frame-major power spectrogram with n_fft/2+1 bins per frame
  /// (throws std::invalid_argument otherwise). Result: frame-major, n_mels bins, float32.
  Spectrogram apply(const Spectrogram& power) const;

 private:
  struct Band {
    int first = 0;           // first FFT bin of the run
    int count = 0;           // bins in the run
    std::size_t offset = 0;  // start of the run in weights_
  };
  MelFilterbank(MelParams params, std::vector<double> mel_f, std::vector<Band> bands, std::vector<float> weights);
  MelParams params_;
  std::vector<double> mel_f_;
  std::vector<Band> bands_;
  std::vector<float> weights_;  // the runs of all bands, back to back
};

/// librosa's hz_to_mel(f, htk=False) (Slaney scale), float64 as numpy computes it.
double hz_to_mel_slaney(double hz);
/// librosa's mel_to_hz(m, htk=False), float64.
double mel_to_hz_slaney(double mel);

}  // namespace genrelab::dsp

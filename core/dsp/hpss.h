// Harmonic/percussive source separation as librosa 0.7.2's effects.hpss(y) computes it
// (Fitzgerald 2010 median filtering with soft masks):
//   S, phase = magphase(D)                      D = stft(y), complex64; S = |D| float32
//   H = median_filter(S, size=(1, k), 'reflect')  along time   (scipy reflect repeats the edge)
//   P = median_filter(S, size=(k, 1), 'reflect')  along frequency
//   mask_H = softmask(H, P * margin, power, split_zeros = margin == 1), mask_P likewise
//   y_h = fix_length(istft((S * mask_H) * phase), len(y)), y_p likewise
// Everything in float32 as numpy does it; the inverse STFT is Stft::inverse. The two waveforms
// feed the harmony_* / perceptr_* columns of the GTZAN tables (their float32 mean and variance).
// Hpss is immutable after create(); compute() is const and thread-safe. Per call it allocates
// 12 bytes per STFT cell of scratch (H, then S * mask_P, and one complex spectrum reused for both
// inverses), about 16 MB for a 30-s clip.
#pragma once

#include <cstddef>
#include <vector>

#include "dsp/stft.h"

namespace genrelab::dsp {

/// librosa.decompose.hpss parameters (defaults of 0.7.2).
/// kernel_size: median filter length in frames (time) and bins (frequency), odd, >= 1.
/// power: soft-mask exponent, > 0 (+inf gives librosa's hard mask X > X_ref).
/// margin: >= 1; 1 keeps H + P = S and splits all-zero cells 50/50, larger values leave a residual.
struct HpssParams {
  int kernel_size = 31;
  double power = 2.0;
  double margin = 1.0;
};

/// Harmonic and percussive waveforms, each exactly n_samples long (librosa trims the istft to
/// hop * (len / hop) samples, then util.fix_length zero-pads it to len(y)).
struct HpssSignals {
  std::vector<float> harmonic, percussive;
};

class Hpss {
 public:
  /// Validates the parameters; throws std::invalid_argument (even or < 1 kernel, power <= 0 or NaN, margin < 1).
  static Hpss create(const HpssParams& params = {});
  const HpssParams& params() const noexcept { return params_; }

  /// D = stft.compute(y) and mag = magnitude(D), computed by the caller (shared with other
  /// features). Throws std::invalid_argument when D, mag and stft do not agree in shape.
  HpssSignals compute(const Stft& stft, const ComplexSpectrogram& D, const Spectrogram& mag,
                      std::size_t n_samples) const;

  /// The two masks (librosa.decompose.hpss(..., mask=True)) for a magnitude spectrogram,
  /// frame-major like `mag`.
  void masks(const Spectrogram& mag, Spectrogram& mask_harmonic, Spectrogram& mask_percussive) const;

 private:
  explicit Hpss(HpssParams params) : params_(params) {}
  HpssParams params_;
};

}  // namespace genrelab::dsp

// Mel-frequency cepstral coefficients as librosa 0.7.2's feature.mfcc(S=mel_db, n_mfcc, dct_type=2,
// norm='ortho', lifter=0): scipy.fftpack.dct(S, type=2, norm='ortho', axis=0)[:n_mfcc] of a mel dB
// spectrogram (power_to_db of the mel power spectrogram). Output float32, in dB-like units.
// Thread-safety: immutable after create(); compute() is const and may run on several threads.
#pragma once

#include <vector>

#include "dsp/stft.h"

namespace genrelab::dsp {

class Mfcc {
 public:
  /// 1 <= n_mfcc <= n_mels (throws std::invalid_argument otherwise).
  static Mfcc create(int n_mfcc = 20, int n_mels = 128);

  int n_mfcc() const noexcept { return n_mfcc_; }
  int n_mels() const noexcept { return n_mels_; }

  /// The orthonormal DCT-II of each frame of a frame-major mel dB spectrogram with n_mels bins
  /// (throws std::invalid_argument otherwise). Result [coefficient][frame], each row contiguous
  /// like librosa's C-ordered (n_mfcc, T) array.
  std::vector<std::vector<float>> compute(const Spectrogram& mel_db) const;

 private:
  Mfcc(int n_mfcc, int n_mels, std::vector<double> basis);
  int n_mfcc_;
  int n_mels_;
  std::vector<double> basis_;  // [n_mfcc][n_mels]: ortho DCT-II rows
};

}  // namespace genrelab::dsp

// Chromagram from a power spectrogram exactly as librosa 0.7.2's feature.chroma_stft computes it
// with its defaults: tuning estimated by estimate_tuning (piptrack on |D|^2, 1/100-bin histogram),
// the filters.chroma filterbank for that tuning (12 x (1 + n_fft/2), float32), raw chroma =
// filterbank @ |D|^2, then each frame divided by its maximum (util.normalize, norm=inf).
// Units: chroma values are dimensionless in [0, 1]; tuning is in fractions of a chroma bin.
// Thread-safety: everything here is a pure function or an immutable object; ChromaFilterbank is
// safe to share between threads.
#pragma once

#include <span>
#include <vector>

#include "dsp/stft.h"

namespace genrelab::dsp {

/// librosa.estimate_tuning(S=|D|^2, sr, n_fft, bins_per_octave=12) with piptrack's defaults
/// (fmin 150 Hz, fmax 4000 Hz exclusive, threshold 0.1 x frame max, resolution 0.01): the LEFT edge
/// of the fullest bin of np.histogram(residuals, np.linspace(-0.5, 0.5, 101)), in [-0.5, 0.5).
/// Returns 0 when no pitch is found (librosa warns and returns 0.0). `power` is frame-major |D|^2
/// (float32) with 1 + n_fft/2 bins. Throws std::invalid_argument on bad sizes or sample_rate <= 0.
float estimate_tuning(const Spectrogram& power, int sample_rate = 22050, int n_fft = 2048);

/// The same estimate as librosa returns it: a float64 histogram edge (i * 0.01 - 0.5 computed as
/// np.linspace does). chroma_stft feeds this value, not its float rounding, to the filterbank.
double estimate_tuning_f64(const Spectrogram& power, int sample_rate = 22050, int n_fft = 2048);

/// librosa.filters.chroma(sr, n_fft, n_chroma, tuning) with ctroct=5, octwidth=2, norm=2,
/// base_c=True, dtype float32: weights[c][k] for chroma c (C first) and FFT bin k in [0, n_fft/2].
/// Immutable once created.
class ChromaFilterbank {
 public:
  /// Validates (sample_rate > 0, n_fft even >= 2, n_chroma >= 1, |tuning| finite; throws
  /// std::invalid_argument) and builds the weights (float64 maths, rounded to float32 at the end).
  static ChromaFilterbank create(int sample_rate, int n_fft, float tuning, int n_chroma = 12);
  /// As create(), with the tuning in float64 (estimate_tuning_f64's exact histogram edge).
  static ChromaFilterbank create_f64(int sample_rate, int n_fft, double tuning, int n_chroma = 12);

  int n_chroma() const noexcept { return n_chroma_; }
  int n_bins() const noexcept { return n_bins_; }
  /// Row-major float32 weights as librosa returns them: weight of bin k in chroma c at
  /// c * n_bins() + k.
  const std::vector<float>& weights() const noexcept { return weights_; }
  float weight(int c, int k) const {
    return weights_[static_cast<std::size_t>(c) * static_cast<std::size_t>(n_bins_) + static_cast<std::size_t>(k)];
  }

  /// Raw chroma (filterbank @ power) of one frame of n_bins() float32 values into
  /// out[0 .. n_chroma()), accumulated in float64 and rounded to float32 (numpy's np.dot uses
  /// BLAS sgemm, whose float32 summation order is the library's own: this is the exact dot
  /// product, rounded once, so it differs from librosa by float32 rounding only).
  void apply(const float* power_frame, float* out) const noexcept;
  /// apply() on two frames at once (same results; twice the throughput).
  void apply_pair(const float* frame0, const float* frame1, float* out0, float* out1) const noexcept;

 private:
  ChromaFilterbank(int n_chroma, int n_bins, std::vector<float> weights);
  int n_chroma_;
  int n_bins_;
  std::vector<float> weights_;  // [c][k], librosa's layout
  std::vector<double> by_bin_;  // [k][c] in float64: the layout the per-frame dot products stream through
};

/// librosa.feature.chroma_stft(S=power, sr, n_fft) with all other defaults (tuning estimated,
/// 12 chroma bins, norm=inf). Memory order: librosa's chroma is np.dot(chromafb, S) normalised
/// through np.empty_like, and np.dot always allocates a C-contiguous result, so the (12, T) array
/// is C-ordered (even though S is Fortran-ordered). The result is returned flattened in that
/// order: chroma c of frame t at c * T + t (T = power.n_frames). numpy_mean/numpy_var over it
/// therefore reproduce np.mean/np.var(chroma) (float32 pairwise sums over the whole buffer).
/// Frames whose maximum is below float32 tiny (silence) are left unnormalised, as librosa does.
std::vector<float> chroma_stft(const Spectrogram& power, int sample_rate = 22050, int n_fft = 2048);

}  // namespace genrelab::dsp

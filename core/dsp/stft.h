// Short-time Fourier transform exactly as librosa 0.7.2 computes it: periodic Hann window
// (float64), centred frames with numpy 'reflect' padding of n_fft/2 on each side, window x frame
// and the real FFT in float64, result rounded to complex64. Frames: 1 + len / hop.
#pragma once

#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace genrelab::dsp {

struct RealFftPlans;  // dsp/fftw_util.h

/// STFT parameters (librosa defaults). n_fft: FFT size and window length, even, >= 16.
/// hop_length: samples between frames, in [1, n_fft].
struct StftParams {
  int n_fft = 2048;
  int hop_length = 512;
};

/// A complex spectrogram laid out frame-major: bin k of frame t is data[t * n_bins + k].
struct ComplexSpectrogram {
  int n_bins = 0;
  int n_frames = 0;
  std::vector<std::complex<float>> data;
  const std::complex<float>* frame(int t) const { return data.data() + static_cast<std::size_t>(t) * n_bins; }
};

/// A real spectrogram (magnitude, power, mel, dB …), frame-major like ComplexSpectrogram:
/// bin k of frame t is data[t * n_bins + k].
struct Spectrogram {
  int n_bins = 0;
  int n_frames = 0;
  std::vector<float> data;
  float* frame(int t) { return data.data() + static_cast<std::size_t>(t) * n_bins; }
  const float* frame(int t) const { return data.data() + static_cast<std::size_t>(t) * n_bins; }
  float at(int k, int t) const { return data[static_cast<std::size_t>(t) * n_bins + k]; }
};

/// numpy's np.pad(..., mode='reflect') index for position i of the padded signal
/// (i may be negative or >= n): mirror without repeating the edge sample. n >= 1.
std::ptrdiff_t reflect_index(std::ptrdiff_t i, std::ptrdiff_t n);

/// scipy.signal.get_window('hann', n, fftbins=True), computed as scipy does (float64).
std::vector<double> periodic_hann(int n);

/// A reusable STFT (FFTW plan + window). compute() is thread-safe (const, no shared scratch).
class Stft {
 public:
  /// Validates the parameters (throws std::invalid_argument) and plans the FFT.
  static Stft create(const StftParams& params = {});
  const StftParams& params() const noexcept { return params_; }
  int n_bins() const noexcept { return params_.n_fft / 2 + 1; }
  /// Frames for a signal of n samples: 1 + n / hop.
  int n_frames(std::size_t n_samples) const noexcept;
  const std::vector<double>& window() const noexcept { return window_; }

  /// The STFT of y (any length >= 1).
  ComplexSpectrogram compute(std::span<const float> y) const;

  /// Inverse of a frame-major complex spectrogram as librosa 0.7.2's istft (center=True, no
  /// length): irfft in float64, window, overlap-add into float32, divide by the window
  /// sum-square where it exceeds float32 tiny, trim n_fft/2 at both ends. Length hop*(T-1); the
  /// vector keeps n_fft floats of spare capacity, so padding it to len(y) does not reallocate.
  std::vector<float> inverse(const ComplexSpectrogram& spec) const;

 private:
  Stft(StftParams params, std::shared_ptr<const RealFftPlans> plans, std::vector<double> window);
  StftParams params_;
  std::shared_ptr<const RealFftPlans> plans_;
  std::vector<double> window_;
};

/// np.abs of a complex64 array: |x| rounded to float32 (glibc hypotf is correctly rounded).
Spectrogram magnitude(const ComplexSpectrogram& spec);

/// Element-wise square in float32 (np.abs(D)**2 in librosa).
Spectrogram squared(const Spectrogram& mag);

}  // namespace genrelab::dsp

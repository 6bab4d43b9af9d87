#include "dsp/spectral_shape.h"

#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>

#include "dsp/numpy_reduce.h"

namespace genrelab::dsp {

SpectralShape spectral_shape(const Spectrogram& magnitude, int sample_rate, int n_fft, double roll_percent) {
  if (sample_rate <= 0) throw std::invalid_argument("spectral_shape: sample_rate must be > 0");
  if (n_fft < 2 || n_fft % 2 != 0) throw std::invalid_argument("spectral_shape: n_fft must be even and >= 2");
  if (!(roll_percent > 0.0 && roll_percent < 1.0))
    throw std::invalid_argument("spectral_shape: roll_percent must lie in (0, 1)");
  if (magnitude.n_bins != n_fft / 2 + 1)
    throw std::invalid_argument("spectral_shape: spectrogram has " + std::to_string(magnitude.n_bins) +
                                " bins, expected 1 + n_fft/2 = " + std::to_string(n_fft / 2 + 1));
  if (magnitude.n_frames < 0 ||
      magnitude.data.size() != static_cast<std::size_t>(magnitude.n_bins) * static_cast<std::size_t>(magnitude.n_frames))
    throw std::invalid_argument("spectral_shape: spectrogram data size does not match its shape");

  const auto n_bins = static_cast<std::size_t>(magnitude.n_bins);
  const auto n_frames = static_cast<std::size_t>(magnitude.n_frames);

  // fft_frequencies: np.linspace(0, sr/2, n_bins) = k * step, last point set to sr/2.
  std::vector<double> freq(n_bins);
  const double nyquist = static_cast<double>(sample_rate) / 2;
  const double step = nyquist / static_cast<double>(n_bins - 1);
  for (std::size_t k = 0; k < n_bins; ++k) freq[k] = static_cast<double>(k) * step;
  freq[n_bins - 1] = nyquist;

  // roll_percent * cumsum[-1]: a Python float times a float32 array stays float32.
  const float roll = static_cast<float>(roll_percent);
  const double tiny = static_cast<double>(std::numeric_limits<float>::min());  // util.tiny(S), S float32

  SpectralShape out;
  out.centroid.resize(n_frames);
  out.bandwidth.resize(n_frames);
  out.rolloff.resize(n_frames);
  std::vector<double> work(n_bins), snorm(n_bins);
  std::vector<float> cumsum(n_bins);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const float* s = magnitude.frame(static_cast<int>(t));

    // util.normalize(S, norm=1, axis=0): float64 pairwise sum, quotient rounded to float32.
    for (std::size_t k = 0; k < n_bins; ++k) work[k] = static_cast<double>(s[k]);
    double length = numpy_sum(std::span<const double>(work));
    if (length < tiny) length = 1.0;
    for (std::size_t k = 0; k < n_bins; ++k) snorm[k] = static_cast<double>(static_cast<float>(work[k] / length));

    // Centroid: np.sum(freq * Snorm, axis=0), pairwise along the contiguous frequency axis.
    for (std::size_t k = 0; k < n_bins; ++k) work[k] = freq[k] * snorm[k];
    const double centroid = numpy_sum(std::span<const double>(work));
    out.centroid[t] = centroid;

    // Bandwidth: np.sum(Snorm * |freq - centroid|**2, axis=0) over a C-ordered product: the rows
    // (bins) are added one after the other, starting from numpy's identity 0.
    double acc = 0.0;
    for (std::size_t k = 0; k < n_bins; ++k) {
      const double dev = std::abs(freq[k] - centroid);
      acc += snorm[k] * (dev * dev);
    }
    out.bandwidth[t] = std::sqrt(acc);  // **(1./p) with p = 2: numpy's fast path is sqrt

    // Roll-off: np.cumsum(S, axis=0) is a sequential float32 accumulate.
    float c = 0.0f;
    for (std::size_t k = 0; k < n_bins; ++k) {
      c = k == 0 ? s[0] : c + s[k];
      cumsum[k] = c;
    }
    const float threshold = roll * cumsum[n_bins - 1];
    std::size_t k = 0;
    while (k < n_bins && cumsum[k] < threshold) ++k;
    out.rolloff[t] = k < n_bins ? freq[k] : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

}  // namespace genrelab::dsp

#include "dsp/spectral_shape.h"

#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>

#include "dsp/numpy_reduce.h"

namespace genrelab::dsp {
namespace {

using v2d = double __attribute__((vector_size(16)));  // two frames side by side (SSE2)
using v2f = float __attribute__((vector_size(8)));

}  // namespace

SpectralShape spectral_shape(const Spectrogram& magnitude, int sample_rate, int n_fft, double roll_percent) {
  if (sample_rate <= 0) throw std::invalid_argument("spectral_shape: sample_rate must be > 0");
  if (n_fft < 2 || n_fft % 2 != 0) throw std::invalid_argument("spectral_shape: n_fft must be even and >= 2");
  if (!(roll_percent > 0.0 && roll_percent < 1.0))
    throw std::invalid_argument("spectral_shape: roll_percent must lie in (0, 1)");
  if (magnitude.n_bins != n_fft / 2 + 1)
    throw std::invalid_argument("spectral_shape: spectrogram has " + std::to_string(magnitude.n_bins) +
                                " bins, expected 1 + n_fft/2 = " + std::to_string(n_fft / 2 + 1));
  if (magnitude.n_frames < 0 || magnitude.data.size() != static_cast<std::size_t>(magnitude.n_bins) *
                                                             static_cast<std::size_t>(magnitude.n_frames))
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
  // Frames go through in pairs: each loop then carries two independent dependency chains (the
  // sequential bandwidth sum and float32 cumsum are latency-bound) and one divpd serves both
  // frames. Each lane computes exactly what the one-frame arithmetic would.
  std::vector<double> work0(n_bins), work1(n_bins), snorm(2 * n_bins);  // snorm interleaved [k][frame]
  std::vector<float> cumsum0(n_bins), cumsum1(n_bins);
  for (std::size_t t = 0; t < n_frames; t += 2) {
    const bool pair = t + 1 < n_frames;
    const float* s0 = magnitude.frame(static_cast<int>(t));
    const float* s1 = pair ? magnitude.frame(static_cast<int>(t + 1)) : s0;

    // np.cumsum(S, axis=0) for the roll-off: a sequential float32 accumulate.
    float c0 = 0.0f, c1 = 0.0f;
    for (std::size_t k = 0; k < n_bins; ++k) {
      work0[k] = static_cast<double>(s0[k]);
      work1[k] = static_cast<double>(s1[k]);
      c0 = k == 0 ? s0[0] : c0 + s0[k];
      c1 = k == 0 ? s1[0] : c1 + s1[k];
      cumsum0[k] = c0;
      cumsum1[k] = c1;
    }

    // util.normalize(S, norm=1, axis=0): float64 pairwise sum, quotient rounded to float32.
    double length0 = numpy_sum(std::span<const double>(work0));
    double length1 = numpy_sum(std::span<const double>(work1));
    if (length0 < tiny) length0 = 1.0;
    if (length1 < tiny) length1 = 1.0;
    const v2d length = {length0, length1};
    for (std::size_t k = 0; k < n_bins; ++k) {
      // Explicit vector conversions (cvtpd2ps, cvtps2pd): GCC 12's SLP vectoriser dropped the
      // float32 rounding of the scalar form `(double)(float)q[i]` on vector lanes.
      const v2d n = __builtin_convertvector(__builtin_convertvector(v2d{work0[k], work1[k]} / length, v2f), v2d);
      __builtin_memcpy(&snorm[2 * k], &n, sizeof n);
      // Centroid terms: freq * Snorm in float64.
      work0[k] = freq[k] * n[0];
      work1[k] = freq[k] * n[1];
    }
    // Centroid: np.sum(freq * Snorm, axis=0), pairwise along the contiguous frequency axis.
    const double centroid0 = numpy_sum(std::span<const double>(work0));
    const double centroid1 = numpy_sum(std::span<const double>(work1));

    // Bandwidth: np.sum(Snorm * |freq - centroid|**2, axis=0) over a C-ordered product: the rows
    // (bins) are added one after the other, starting from numpy's identity 0.
    const v2d centroid = {centroid0, centroid1};
    v2d acc = {0.0, 0.0};
    for (std::size_t k = 0; k < n_bins; ++k) {
      v2d dev = freq[k] - centroid;
      dev = dev < 0.0 ? -dev : dev;  // np.abs
      v2d sn;
      __builtin_memcpy(&sn, &snorm[2 * k], sizeof sn);
      acc += sn * (dev * dev);
    }

    // Roll-off: threshold = roll_percent * cumsum[-1] in float32; first bin not below it.
    const float threshold0 = roll * cumsum0[n_bins - 1];
    const float threshold1 = roll * cumsum1[n_bins - 1];
    std::size_t k0 = 0, k1 = 0;
    while (k0 < n_bins && cumsum0[k0] < threshold0) ++k0;
    while (k1 < n_bins && cumsum1[k1] < threshold1) ++k1;

    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.centroid[t] = centroid0;
    out.bandwidth[t] = std::sqrt(acc[0]);  // **(1./p) with p = 2: numpy's fast path is sqrt
    out.rolloff[t] = k0 < n_bins ? freq[k0] : nan;
    if (pair) {
      out.centroid[t + 1] = centroid1;
      out.bandwidth[t + 1] = std::sqrt(acc[1]);
      out.rolloff[t + 1] = k1 < n_bins ? freq[k1] : nan;
    }
  }
  return out;
}

}  // namespace genrelab::dsp

#include "dsp/stft.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "dsp/fftw_util.h"

namespace genrelab::dsp {

std::ptrdiff_t reflect_index(std::ptrdiff_t i, std::ptrdiff_t n) {
  if (n == 1) return 0;
  const std::ptrdiff_t period = 2 * (n - 1);
  std::ptrdiff_t m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

std::vector<double> periodic_hann(int n) {
  // scipy.signal.windows.general_cosine(n + 1, [0.5, 0.5]) without its last point:
  // fac = np.linspace(-pi, pi, n + 1); w = 0.5 + 0.5 * cos(fac).
  std::vector<double> w(static_cast<std::size_t>(n));
  const double step = (std::numbers::pi - (-std::numbers::pi)) / n;
  for (int i = 0; i < n; ++i) {
    const double fac = i * step + (-std::numbers::pi);
    w[static_cast<std::size_t>(i)] = 0.5 + 0.5 * std::cos(fac);
  }
  return w;
}

Stft::Stft(StftParams params, std::shared_ptr<const RealFftPlans> plans, std::vector<double> window)
    : params_(params), plans_(std::move(plans)), window_(std::move(window)) {}

Stft Stft::create(const StftParams& params) {
  if (params.n_fft < 16 || params.n_fft % 2 != 0)
    throw std::invalid_argument("n_fft must be even and >= 16, got " + std::to_string(params.n_fft));
  if (params.hop_length < 1 || params.hop_length > params.n_fft)
    throw std::invalid_argument("hop_length must be in [1, n_fft], got " + std::to_string(params.hop_length));
  auto plans = std::make_shared<const RealFftPlans>(params.n_fft);
  return Stft(params, std::move(plans), periodic_hann(params.n_fft));
}

int Stft::n_frames(std::size_t n_samples) const noexcept {
  return 1 + static_cast<int>(n_samples / static_cast<std::size_t>(params_.hop_length));
}

ComplexSpectrogram Stft::compute(std::span<const float> y) const {
  if (y.empty()) throw std::invalid_argument("STFT of an empty signal");
  const int n_fft = params_.n_fft;
  const int hop = params_.hop_length;
  const auto n = static_cast<std::ptrdiff_t>(y.size());
  const std::ptrdiff_t pad = n_fft / 2;
  ComplexSpectrogram spec;
  spec.n_bins = n_bins();
  spec.n_frames = n_frames(y.size());
  spec.data.resize(static_cast<std::size_t>(spec.n_bins) * static_cast<std::size_t>(spec.n_frames));
  FftwBuffer in(sizeof(double) * static_cast<std::size_t>(n_fft));
  FftwBuffer out(sizeof(fftw_complex) * static_cast<std::size_t>(spec.n_bins));
  auto* frame = static_cast<double*>(in.ptr);
  auto* bins = static_cast<fftw_complex*>(out.ptr);
  for (int t = 0; t < spec.n_frames; ++t) {
    const std::ptrdiff_t start = static_cast<std::ptrdiff_t>(t) * hop - pad;
    if (start >= 0 && start + n_fft <= n) {
      for (int i = 0; i < n_fft; ++i)
        frame[i] = window_[static_cast<std::size_t>(i)] * static_cast<double>(y[static_cast<std::size_t>(start + i)]);
    } else {
      for (int i = 0; i < n_fft; ++i)
        frame[i] = window_[static_cast<std::size_t>(i)] *
                   static_cast<double>(y[static_cast<std::size_t>(reflect_index(start + i, n))]);
    }
    fftw_execute_dft_r2c(plans_->forward, frame, bins);
    std::complex<float>* dst = spec.data.data() + static_cast<std::size_t>(t) * static_cast<std::size_t>(spec.n_bins);
    for (int k = 0; k < spec.n_bins; ++k) dst[k] = {static_cast<float>(bins[k][0]), static_cast<float>(bins[k][1])};
  }
  return spec;
}

std::vector<float> Stft::inverse(const ComplexSpectrogram& spec) const {
  const int n_fft = params_.n_fft;
  const int hop = params_.hop_length;
  if (spec.n_bins != n_bins()) throw std::invalid_argument("inverse STFT: bin count does not match n_fft");
  if (spec.n_frames < 1) return {};
  const auto nfft = static_cast<std::size_t>(n_fft);
  const auto hp = static_cast<std::size_t>(hop);
  const auto frames = static_cast<std::size_t>(spec.n_frames);
  const std::size_t len = nfft + hp * (frames - 1);
  const std::size_t trim = nfft / 2;
  std::vector<float> y(len, 0.0f);
  FftwBuffer in(sizeof(fftw_complex) * static_cast<std::size_t>(spec.n_bins));
  FftwBuffer out(sizeof(double) * nfft);
  auto* bins = static_cast<fftw_complex*>(in.ptr);
  auto* frame = static_cast<double*>(out.ptr);
  using F2 = float __attribute__((vector_size(8)));
  using D2 = double __attribute__((vector_size(16)));
  // librosa: ytmp = window * np.fft.irfft(frame) with irfft's 1/n normalisation. 1/n is a power of
  // two, so w * (x / n) == (w / n) * x exactly: fold it into the window once.
  std::vector<double> scaled_window(nfft);
  for (std::size_t i = 0; i < nfft; ++i) scaled_window[i] = window_[i] / n_fft;
  for (std::size_t t = 0; t < frames; ++t) {
    const std::complex<float>* src = spec.frame(static_cast<int>(t));
    for (int k = 0; k < spec.n_bins; ++k) {
      bins[k][0] = src[k].real();
      bins[k][1] = src[k].imag();
    }
    // numpy's irfft ignores the imaginary parts of the DC and Nyquist bins; so does FFTW's c2r.
    fftw_execute_dft_c2r(plans_->backward, bins, frame);
    float* dst = y.data() + t * hp;
    // __overlap_add (numba): float32 buffer += float64 value, i.e. the sum in float64, rounded.
    // Two samples per SSE2 instruction (n_fft is even); the same operations as the scalar form.
    for (std::size_t i = 0; i < nfft; i += 2) {
      F2 acc;
      D2 w, f;
      std::memcpy(&acc, dst + i, sizeof(F2));
      std::memcpy(&w, scaled_window.data() + i, sizeof(D2));
      std::memcpy(&f, frame + i, sizeof(D2));
      const F2 sum = __builtin_convertvector(__builtin_convertvector(acc, D2) + w * f, F2);
      std::memcpy(dst + i, &sum, sizeof(F2));
    }
  }
  // Divide by filters.window_sumsquare where it exceeds float32 tiny. That envelope is a float32
  // buffer to which each frame adds window^2 (float64, rounded per add) in frame order, so
  // sample i holds the float32 running sum of w[i - t*hop]^2 over t ascending. Away from the
  // ends every sample sees all its frames and the sum depends only on i % hop: compute that
  // pattern once and each edge sample on its own, in the same order.
  auto wss_at = [&](std::size_t i) {
    // Frames t with 0 <= i - t*hop < n_fft, clipped to [0, frames), ascending.
    const std::size_t t_hi = std::min(i / hp, frames - 1);
    const std::size_t t_lo = i + 1 > nfft ? (i + 1 - nfft + hp - 1) / hp : 0;
    float acc = 0.0f;
    for (std::size_t t = t_lo; t <= t_hi; ++t) {
      const double w = window_[i - t * hp];
      acc = static_cast<float>(static_cast<double>(acc) + w * w);
    }
    return acc;
  };
  const std::size_t interior_lo = nfft - hp, interior_hi = frames * hp;  // every frame present
  std::vector<float> pattern(hp);
  if (interior_lo < interior_hi)
    for (std::size_t r = 0; r < hp; ++r) pattern[r] = wss_at(interior_lo + (r + hp - interior_lo % hp) % hp);
  const float tiny = std::numeric_limits<float>::min();
  const std::size_t end = len - trim;
  const std::size_t mid_lo = std::clamp(interior_lo, trim, end), mid_hi = std::clamp(interior_hi, mid_lo, end);
  for (std::size_t i = trim; i < mid_lo; ++i)
    if (const float wss = wss_at(i); wss > tiny) y[i] /= wss;
  for (std::size_t i = mid_lo, r = mid_lo % hp; i < mid_hi; ++i) {
    if (pattern[r] > tiny) y[i] /= pattern[r];
    if (++r == hp) r = 0;
  }
  for (std::size_t i = mid_hi; i < end; ++i)
    if (const float wss = wss_at(i); wss > tiny) y[i] /= wss;
  // Trim n_fft/2 at both ends in place; the spare capacity lets callers pad (util.fix_length)
  // without a reallocation.
  y.erase(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(trim));
  y.resize(len - 2 * trim);
  return y;
}

Spectrogram magnitude(const ComplexSpectrogram& spec) {
  Spectrogram mag{spec.n_bins, spec.n_frames, std::vector<float>(spec.data.size())};
  for (std::size_t i = 0; i < spec.data.size(); ++i) {
    const double re = spec.data[i].real(), im = spec.data[i].imag();
    mag.data[i] = static_cast<float>(std::sqrt(re * re + im * im));
  }
  return mag;
}

Spectrogram squared(const Spectrogram& mag) {
  Spectrogram out{mag.n_bins, mag.n_frames, std::vector<float>(mag.data.size())};
  for (std::size_t i = 0; i < mag.data.size(); ++i) out.data[i] = mag.data[i] * mag.data[i];
  return out;
}

}  // namespace genrelab::dsp

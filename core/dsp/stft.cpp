#include "dsp/stft.h"

#include <fftw3.h>

#include <cmath>
#include <limits>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <string>

namespace genrelab::dsp {
namespace {

// FFTW's planner is not thread-safe; execution of an existing plan on new arrays is.
std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

struct FftwBuffer {
  explicit FftwBuffer(std::size_t bytes) : ptr(fftw_malloc(bytes)) {
    if (!ptr) throw std::bad_alloc();
  }
  ~FftwBuffer() { fftw_free(ptr); }
  FftwBuffer(const FftwBuffer&) = delete;
  FftwBuffer& operator=(const FftwBuffer&) = delete;
  void* ptr;
};

}  // namespace

struct Stft::Plans {
  fftw_plan forward = nullptr;
  fftw_plan backward = nullptr;
  ~Plans() {
    std::lock_guard lock(fftw_planner_mutex());
    if (forward) fftw_destroy_plan(forward);
    if (backward) fftw_destroy_plan(backward);
  }
};

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

Stft::Stft(StftParams params, std::shared_ptr<const Plans> plans, std::vector<double> window)
    : params_(params), plans_(std::move(plans)), window_(std::move(window)) {}

Stft Stft::create(const StftParams& params) {
  if (params.n_fft < 16 || params.n_fft % 2 != 0)
    throw std::invalid_argument("n_fft must be even and >= 16, got " + std::to_string(params.n_fft));
  if (params.hop_length < 1 || params.hop_length > params.n_fft)
    throw std::invalid_argument("hop_length must be in [1, n_fft], got " + std::to_string(params.hop_length));
  auto plans = std::make_shared<Plans>();
  const auto n = static_cast<std::size_t>(params.n_fft);
  FftwBuffer in(sizeof(double) * n), out(sizeof(fftw_complex) * (n / 2 + 1));
  {
    std::lock_guard lock(fftw_planner_mutex());
    // FFTW_ESTIMATE: deterministic plans (the same arithmetic on every run and machine state).
    plans->forward = fftw_plan_dft_r2c_1d(params.n_fft, static_cast<double*>(in.ptr),
                                          static_cast<fftw_complex*>(out.ptr), FFTW_ESTIMATE);
    plans->backward = fftw_plan_dft_c2r_1d(params.n_fft, static_cast<fftw_complex*>(out.ptr),
                                           static_cast<double*>(in.ptr), FFTW_ESTIMATE);
  }
  if (!plans->forward || !plans->backward) throw std::runtime_error("FFTW planning failed");
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
      for (int i = 0; i < n_fft; ++i) frame[i] = window_[static_cast<std::size_t>(i)] * static_cast<double>(y[static_cast<std::size_t>(start + i)]);
    } else {
      for (int i = 0; i < n_fft; ++i)
        frame[i] = window_[static_cast<std::size_t>(i)] * static_cast<double>(y[static_cast<std::size_t>(reflect_index(start + i, n))]);
    }
    fftw_execute_dft_r2c(plans_->forward, frame, bins);
    std::complex<float>* dst = spec.data.data() + static_cast<std::size_t>(t) * static_cast<std::size_t>(spec.n_bins);
    for (int k = 0; k < spec.n_bins; ++k)
      dst[k] = {static_cast<float>(bins[k][0]), static_cast<float>(bins[k][1])};
  }
  return spec;
}

std::vector<float> Stft::inverse(const ComplexSpectrogram& spec) const {
  const int n_fft = params_.n_fft;
  const int hop = params_.hop_length;
  if (spec.n_bins != n_bins()) throw std::invalid_argument("inverse STFT: bin count does not match n_fft");
  if (spec.n_frames < 1) return {};
  const std::size_t len = static_cast<std::size_t>(n_fft) + static_cast<std::size_t>(hop) * static_cast<std::size_t>(spec.n_frames - 1);
  std::vector<float> y(len, 0.0f);
  std::vector<float> wss(len, 0.0f);
  FftwBuffer in(sizeof(fftw_complex) * static_cast<std::size_t>(spec.n_bins));
  FftwBuffer out(sizeof(double) * static_cast<std::size_t>(n_fft));
  auto* bins = static_cast<fftw_complex*>(in.ptr);
  auto* frame = static_cast<double*>(out.ptr);
  const double scale = 1.0 / n_fft;  // numpy's irfft normalises by 1/n
  for (int t = 0; t < spec.n_frames; ++t) {
    const std::complex<float>* src = spec.frame(t);
    for (int k = 0; k < spec.n_bins; ++k) {
      bins[k][0] = src[k].real();
      bins[k][1] = src[k].imag();
    }
    // numpy's irfft ignores the imaginary parts of the DC and Nyquist bins; so does FFTW's c2r.
    fftw_execute_dft_c2r(plans_->backward, bins, frame);
    float* dst = y.data() + static_cast<std::size_t>(t) * static_cast<std::size_t>(hop);
    float* wdst = wss.data() + static_cast<std::size_t>(t) * static_cast<std::size_t>(hop);
    for (int i = 0; i < n_fft; ++i) {
      const double w = window_[static_cast<std::size_t>(i)];
      // float32 buffer += float64 value: numpy computes in float64 and rounds the sum.
      dst[i] = static_cast<float>(static_cast<double>(dst[i]) + w * (frame[i] * scale));
      wdst[i] = static_cast<float>(static_cast<double>(wdst[i]) + w * w);
    }
  }
  const float tiny = std::numeric_limits<float>::min();
  for (std::size_t i = 0; i < len; ++i)
    if (wss[i] > tiny) y[i] /= wss[i];
  const std::size_t trim = static_cast<std::size_t>(n_fft / 2);
  return std::vector<float>(y.begin() + static_cast<std::ptrdiff_t>(trim), y.end() - static_cast<std::ptrdiff_t>(trim));
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

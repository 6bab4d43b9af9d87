#include "dsp/mel.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace genrelab::dsp {
namespace {

// Constants of librosa's Slaney scale (core/time_frequency.py), evaluated as Python does.
constexpr double kFSp = 200.0 / 3;
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = (kMinLogHz - 0.0) / kFSp;
double log_step() {
  static const double step = std::log(6.4) / 27.0;
  return step;
}

// np.linspace(start, stop, num) (endpoint=True): i * step + start with step = (stop - start) / (num - 1),
// and the last point set to stop exactly.
std::vector<double> numpy_linspace(double start, double stop, int num) {
  std::vector<double> y(static_cast<std::size_t>(num));
  if (num == 1) {
    y[0] = start;
    return y;
  }
  const double delta = stop - start;
  const double step = delta / (num - 1);
  for (int i = 0; i < num; ++i) {
    // numpy's gh-5437 branch for a zero step divides first; the result is the same start value.
    y[static_cast<std::size_t>(i)] = (step == 0 ? i / static_cast<double>(num - 1) * delta : i * step) + start;
  }
  y.back() = stop;
  return y;
}

}  // namespace

double hz_to_mel_slaney(double hz) {
  if (hz >= kMinLogHz) return kMinLogMel + std::log(hz / kMinLogHz) / log_step();
  return (hz - 0.0) / kFSp;
}

double mel_to_hz_slaney(double mel) {
  if (mel >= kMinLogMel) return kMinLogHz * std::exp(log_step() * (mel - kMinLogMel));
  return 0.0 + kFSp * mel;
}

MelFilterbank::MelFilterbank(MelParams params, std::vector<double> mel_f, std::vector<Band> bands,
                             std::vector<float> weights)
    : params_(params), mel_f_(std::move(mel_f)), bands_(std::move(bands)), weights_(std::move(weights)) {}

MelFilterbank MelFilterbank::create(const MelParams& params) {
  if (params.sample_rate <= 0)
    throw std::invalid_argument("mel: sample_rate must be > 0, got " + std::to_string(params.sample_rate));
  if (params.n_fft < 2 || params.n_fft % 2 != 0)
    throw std::invalid_argument("mel: n_fft must be even and >= 2, got " + std::to_string(params.n_fft));
  if (params.n_mels < 1) throw std::invalid_argument("mel: n_mels must be >= 1, got " + std::to_string(params.n_mels));
  MelParams p = params;
  const double nyquist = static_cast<double>(p.sample_rate) / 2;
  if (p.fmax == 0.0) p.fmax = nyquist;
  if (!(p.fmin >= 0.0) || !(p.fmax > p.fmin) || p.fmax > nyquist)
    throw std::invalid_argument("mel: need 0 <= fmin < fmax <= sample_rate / 2, got fmin " + std::to_string(p.fmin) +
                                ", fmax " + std::to_string(p.fmax));

  const int n_bins = p.n_fft / 2 + 1;
  const auto n_mels = static_cast<std::size_t>(p.n_mels);
  // fft_frequencies: np.linspace(0, sr / 2, 1 + n_fft // 2).
  const std::vector<double> fftfreqs = numpy_linspace(0.0, nyquist, n_bins);
  // mel_frequencies(n_mels + 2, fmin, fmax): uniform on the mel axis, mapped back to Hz.
  std::vector<double> mel_f = numpy_linspace(hz_to_mel_slaney(p.fmin), hz_to_mel_slaney(p.fmax), p.n_mels + 2);
  for (double& m : mel_f) m = mel_to_hz_slaney(m);

  std::vector<Band> bands(n_mels);
  std::vector<float> weights;
  std::vector<float> row(static_cast<std::size_t>(n_bins));
  for (std::size_t i = 0; i < n_mels; ++i) {
    const double fdiff_lo = mel_f[i + 1] - mel_f[i];
    const double fdiff_hi = mel_f[i + 2] - mel_f[i + 1];
    const double enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
    int first = n_bins, last = -1;
    for (int k = 0; k < n_bins; ++k) {
      const double fk = fftfreqs[static_cast<std::size_t>(k)];
      const double lower = -(mel_f[i] - fk) / fdiff_lo;
      const double upper = (mel_f[i + 2] - fk) / fdiff_hi;
      // The triangle is stored as float32 first; `weights *= enorm[:, None]` then multiplies the
      // float32 weight by the float64 norm and rounds again (two roundings, as numpy does).
      const auto tri = static_cast<float>(std::max(0.0, std::min(lower, upper)));
      const auto w = static_cast<float>(static_cast<double>(tri) * enorm);
      row[static_cast<std::size_t>(k)] = w;
      if (w != 0.0f) {
        first = std::min(first, k);
        last = k;
      }
    }
    Band& band = bands[i];
    band.offset = weights.size();
    if (last >= first) {
      band.first = first;
      band.count = last - first + 1;
      weights.insert(weights.end(), row.begin() + first, row.begin() + last + 1);
    }
  }
  return MelFilterbank(p, std::move(mel_f), std::move(bands), std::move(weights));
}

float MelFilterbank::weight(int m, int k) const {
  const Band& band = bands_.at(static_cast<std::size_t>(m));
  if (k < band.first || k >= band.first + band.count) return 0.0f;
  return weights_[band.offset + static_cast<std::size_t>(k - band.first)];
}

Spectrogram MelFilterbank::apply(const Spectrogram& power) const {
  if (power.n_bins != n_bins())
    throw std::invalid_argument("mel: spectrogram has " + std::to_string(power.n_bins) + " bins, expected " +
                                std::to_string(n_bins()));
  const auto n_mels = static_cast<std::size_t>(params_.n_mels);
  Spectrogram out{params_.n_mels, power.n_frames,
                  std::vector<float>(n_mels * static_cast<std::size_t>(power.n_frames))};
  for (int t = 0; t < power.n_frames; ++t) {
    const float* s = power.frame(t);
    float* dst = out.frame(t);
    for (std::size_t m = 0; m < n_mels; ++m) {
      const Band& band = bands_[m];
      const float* w = weights_.data() + band.offset;
      const float* x = s + band.first;
      // np.dot runs a float32 sgemm; its exact summation order depends on the BLAS build, so the
      // sum is taken in float64 (exact products, one rounding per band) and rounded once.
      double acc = 0.0;
      for (int k = 0; k < band.count; ++k) acc += static_cast<double>(w[k]) * static_cast<double>(x[k]);
      dst[m] = static_cast<float>(acc);
    }
  }
  return out;
}

}  // namespace genrelab::dsp

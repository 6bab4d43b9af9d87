#include "dsp/time_stretch.h"

#include <soxr.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <stdexcept>
#include <string>

#include "dsp/stft.h"

namespace genrelab::dsp {
namespace {

constexpr int kNfft = 2048;
constexpr int kHop = 512;

/// librosa.core.phase_vocoder: frames at fractional steps `rate` apart, magnitudes interpolated
/// linearly, phases advanced by each bin's measured instantaneous frequency.
ComplexSpectrogram phase_vocoder(const ComplexSpectrogram& d, double rate) {
  const int bins = d.n_bins;
  int steps = 0;
  for (double s = 0.0; s < d.n_frames; s += rate) ++steps;
  ComplexSpectrogram out;
  out.n_bins = bins;
  out.n_frames = steps;
  out.data.resize(static_cast<std::size_t>(steps) * static_cast<std::size_t>(bins));
  std::vector<double> phi_advance(static_cast<std::size_t>(bins)), phase(static_cast<std::size_t>(bins));
  for (int k = 0; k < bins; ++k) {
    phi_advance[static_cast<std::size_t>(k)] = bins > 1 ? std::numbers::pi * kHop * k / (bins - 1) : 0.0;
    phase[static_cast<std::size_t>(k)] = std::arg(std::complex<double>(d.frame(0)[k]));
  }
  // Frames past the end are zero (librosa pads two zero columns).
  const auto column = [&](int t, int k) {
    return t < d.n_frames ? std::complex<double>(d.frame(t)[k]) : std::complex<double>(0.0, 0.0);
  };
  for (int t = 0; t < steps; ++t) {
    const double step = t * rate;
    const int i = static_cast<int>(step);
    const double alpha = step - i;
    auto* o = out.data.data() + static_cast<std::size_t>(t) * static_cast<std::size_t>(bins);
    for (int k = 0; k < bins; ++k) {
      const auto c0 = column(i, k), c1 = column(i + 1, k);
      const double mag = (1.0 - alpha) * std::abs(c0) + alpha * std::abs(c1);
      const auto kk = static_cast<std::size_t>(k);
      o[k] = std::complex<float>(std::polar(mag, phase[kk]));
      double dphase = std::arg(c1) - std::arg(c0) - phi_advance[kk];
      dphase -= 2.0 * std::numbers::pi * std::nearbyint(dphase / (2.0 * std::numbers::pi));
      phase[kk] += phi_advance[kk] + dphase;
    }
  }
  return out;
}

void fix_length(std::vector<float>& y, std::size_t n) { y.resize(n, 0.0f); }

}  // namespace

std::vector<float> time_stretch(std::span<const float> y, double rate) {
  if (!(rate >= 0.25 && rate <= 4.0))
    throw std::invalid_argument("time_stretch: rate must be in [0.25, 4] (got " + std::to_string(rate) + ")");
  const auto n = static_cast<std::size_t>(std::llround(static_cast<double>(y.size()) / rate));
  if (y.empty()) return {};
  static const Stft stft = Stft::create({kNfft, kHop});
  auto out = stft.inverse(phase_vocoder(stft.compute(y), rate));
  fix_length(out, n);
  return out;
}

std::vector<float> resample_by(std::span<const float> y, double in_rate, double out_rate) {
  if (!(in_rate > 0 && out_rate > 0) || out_rate / in_rate > 16 || in_rate / out_rate > 16)
    throw std::invalid_argument("resample_by: rates must be > 0 with a ratio in [1/16, 16]");
  if (y.empty()) return {};
  std::vector<float> out(static_cast<std::size_t>(std::ceil(static_cast<double>(y.size()) * out_rate / in_rate)) + 16);
  std::size_t done = 0;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
  const soxr_error_t err =
      soxr_oneshot(in_rate, out_rate, 1, y.data(), y.size(), nullptr, out.data(), out.size(), &done, &io, &q, nullptr);
  if (err) throw std::runtime_error(std::string("libsoxr: ") + err);
  out.resize(done);
  return out;
}

std::vector<float> pitch_shift(std::span<const float> y, double sample_rate, double semitones) {
  if (!(semitones >= -24 && semitones <= 24))
    throw std::invalid_argument("pitch_shift: semitones must be in [-24, 24] (got " + std::to_string(semitones) + ")");
  if (!(sample_rate > 0)) throw std::invalid_argument("pitch_shift: sample rate must be > 0");
  const double rate = std::pow(2.0, -semitones / 12.0);
  const auto stretched = time_stretch(y, rate);
  auto out = resample_by(stretched, sample_rate / rate, sample_rate);
  fix_length(out, y.size());
  return out;
}

}  // namespace genrelab::dsp

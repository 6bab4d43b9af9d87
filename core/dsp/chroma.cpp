#include "dsp/chroma.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>

namespace genrelab::dsp {
namespace {

// piptrack / pitch_tuning defaults as estimate_tuning calls them from chroma_stft.
constexpr double kPiptrackFmin = 150.0;
constexpr double kPiptrackFmax = 4000.0;
constexpr float kPiptrackThreshold = 0.1f;  // 0.1 * np.max(S, axis=0), evaluated in float32
constexpr int kTuningHistogramBins = 100;   // int(np.ceil(1. / resolution)) with resolution 0.01

// filters.chroma defaults used by chroma_stft.
constexpr double kCtroct = 5.0;
constexpr double kOctwidth = 2.0;
constexpr int kBaseCRoll = 3;  // np.roll(wts, -3, axis=0): rows start at C instead of A

void check_spectrogram(const Spectrogram& s, int sample_rate, int n_fft, const char* who) {
  if (sample_rate <= 0) throw std::invalid_argument(std::string(who) + ": sample_rate must be > 0");
  if (n_fft < 2 || n_fft % 2 != 0) throw std::invalid_argument(std::string(who) + ": n_fft must be even and >= 2");
  if (s.n_bins != n_fft / 2 + 1)
    throw std::invalid_argument(std::string(who) + ": spectrogram has " + std::to_string(s.n_bins) +
                                " bins, expected 1 + n_fft/2 = " + std::to_string(n_fft / 2 + 1));
  if (s.n_frames < 0 || s.data.size() != static_cast<std::size_t>(s.n_bins) * static_cast<std::size_t>(s.n_frames))
    throw std::invalid_argument(std::string(who) + ": spectrogram data size does not match its shape");
}

// np.mod for float32 (npy_divmodf): fmod, then moved to the divisor's sign.
float numpy_mod(float a, float b) {
  float mod = std::fmod(a, b);
  if (mod != 0.0f) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = std::copysign(0.0f, b);
  }
  return mod;
}

// Same for float64 (np.remainder in filters.chroma).
double numpy_mod(double a, double b) {
  double mod = std::fmod(a, b);
  if (mod != 0.0) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

// np.linspace(-0.5, 0.5, 101)[i]: i * step + start, with the last point set to stop.
double histogram_edge(int i) {
  if (i == kTuningHistogramBins) return 0.5;
  return static_cast<double>(i) * (1.0 / kTuningHistogramBins) + (-0.5);
}

// np.max of one frame. Eight independent running maxima in two SSE vectors (the order does not
// matter for a max of non-NaN values), so the loop is not bound by one comparison chain.
float max_of(const float* s, int n) noexcept {
  using v4sf = float __attribute__((vector_size(16)));
  auto load4 = [](const float* p) {
    v4sf v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
  };
  float m = s[0];
  int k = 0;
  if (n >= 8) {
    v4sf m0 = load4(s), m1 = load4(s + 4);
    for (k = 8; k + 8 <= n; k += 8) {
      const v4sf v0 = load4(s + k), v1 = load4(s + k + 4);
      m0 = m0 > v0 ? m0 : v0;
      m1 = m1 > v1 ? m1 : v1;
    }
    m0 = m0 > m1 ? m0 : m1;
    m = std::max(std::max(m0[0], m0[1]), std::max(m0[2], m0[3]));
  }
  for (; k < n; ++k) m = std::max(m, s[k]);
  return m;
}

}  // namespace

double estimate_tuning_f64(const Spectrogram& power, int sample_rate, int n_fft) {
  check_spectrogram(power, sample_rate, n_fft, "estimate_tuning");
  const int n_bins = power.n_bins;
  const double sr = sample_rate;

  // piptrack's frequency mask fmin <= f < fmax on fft_frequencies (np.linspace(0, sr/2, n_bins)).
  const double fmax = std::min(kPiptrackFmax, sr / 2);
  const double fstep = (sr / 2) / (n_bins - 1);
  int k_lo = n_bins, k_hi = 0;  // [k_lo, k_hi)
  for (int k = 0; k < n_bins; ++k) {
    const double f = k == n_bins - 1 ? sr / 2 : k * fstep;
    if (kPiptrackFmin <= f && f < fmax) {
      k_lo = std::min(k_lo, k);
      k_hi = k + 1;
    }
  }

  // Peaks (pitch, magnitude) in librosa's float32 arithmetic. The order of collection does not
  // matter: only a median and a histogram are taken over them.
  std::vector<float> pitches, mags;
  pitches.reserve(static_cast<std::size_t>(power.n_frames) * 64);  // typical peak count, avoids regrowth
  mags.reserve(pitches.capacity());
  const float tiny = std::numeric_limits<float>::min();
  for (int t = 0; t < power.n_frames && k_lo < k_hi; ++t) {
    const float* s = power.frame(t);
    const float frame_max = max_of(s, n_bins);
    const float ref = kPiptrackThreshold * frame_max;
    // util.localmax(S * (S > ref)) along frequency with 'edge' padding.
    auto x = [&](int k) { return s[k] > ref ? s[k] : 0.0f; };
    float left = x(k_lo > 0 ? k_lo - 1 : 0);
    float xk = x(k_lo);
    for (int k = k_lo; k < k_hi; ++k) {
      const float right = x(k < n_bins - 1 ? k + 1 : n_bins - 1);
      const bool peak = xk > left && xk >= right;
      left = xk;
      xk = right;
      if (!peak) continue;
      float shift = 0.0f, dskew = 0.0f;
      if (k > 0 && k < n_bins - 1) {
        // avg = 0.5 * (S[2:] - S[:-2]); shift = 2 * S[1:-1] - S[2:] - S[:-2], guarded against 0.
        const float avg = 0.5f * (s[k + 1] - s[k - 1]);
        float den = 2.0f * s[k] - s[k + 1] - s[k - 1];
        den = den + (std::abs(den) < tiny ? 1.0f : 0.0f);
        shift = avg / den;
        dskew = 0.5f * avg * shift;
      }
      // (idx + shift) * float(sr) / n_fft in float64, stored into the float32 pitches array.
      const double pitch = (static_cast<double>(k) + static_cast<double>(shift)) * sr / n_fft;
      pitches.push_back(static_cast<float>(pitch));
      mags.push_back(s[k] + dskew);
    }
  }

  // threshold = np.median(mag[pitch > 0]); the even case is a float32 mean of the two middles.
  std::vector<float> positive;
  positive.reserve(mags.size());
  for (std::size_t i = 0; i < mags.size(); ++i)
    if (pitches[i] > 0.0f) positive.push_back(mags[i]);
  float threshold = 0.0f;
  if (!positive.empty()) {
    const std::size_t half = positive.size() / 2;
    std::nth_element(positive.begin(), positive.begin() + static_cast<std::ptrdiff_t>(half), positive.end());
    const float upper = positive[half];
    if (positive.size() % 2 == 1) {
      threshold = upper;
    } else {
      const float lower = *std::max_element(positive.begin(), positive.begin() + static_cast<std::ptrdiff_t>(half));
      threshold = (lower + upper) / 2.0f;
    }
  }

  // pitch_tuning: residual = mod(12 * log2(f / 27.5), 1) in float32, folded into [-0.5, 0.5),
  // histogram over np.linspace(-0.5, 0.5, 101) (right edge of the last bin inclusive).
  int counts[kTuningHistogramBins] = {};
  double edges[kTuningHistogramBins + 1];
  for (int i = 0; i <= kTuningHistogramBins; ++i) edges[i] = histogram_edge(i);
  bool any = false;
  for (std::size_t i = 0; i < mags.size(); ++i) {
    const float f = pitches[i];
    if (!(f > 0.0f) || !(mags[i] >= threshold)) continue;
    any = true;
    float residual = numpy_mod(12.0f * std::log2(f / 27.5f), 1.0f);
    if (residual >= 0.5f) residual -= 1.0f;
    const double r = residual;
    if (!(r >= edges[0] && r <= edges[kTuningHistogramBins])) continue;  // also drops NaN
    int b = std::clamp(static_cast<int>(std::floor((r + 0.5) * kTuningHistogramBins)), 0, kTuningHistogramBins - 1);
    while (b > 0 && r < edges[b]) --b;
    while (b < kTuningHistogramBins - 1 && r >= edges[b + 1]) ++b;
    ++counts[b];
  }
  if (!any) return 0.0;  // librosa: "Trying to estimate tuning from empty frequency set."
  // np.argmax: the first fullest bin; the tuning is its left edge.
  const int best = static_cast<int>(std::max_element(counts, counts + kTuningHistogramBins) - counts);
  return edges[best];
}

float estimate_tuning(const Spectrogram& power, int sample_rate, int n_fft) {
  return static_cast<float>(estimate_tuning_f64(power, sample_rate, n_fft));
}

ChromaFilterbank::ChromaFilterbank(int n_chroma, int n_bins, std::vector<float> weights)
    : n_chroma_(n_chroma), n_bins_(n_bins), weights_(std::move(weights)) {
  by_bin_.resize(weights_.size());
  for (int c = 0; c < n_chroma_; ++c)
    for (int k = 0; k < n_bins_; ++k)
      by_bin_[static_cast<std::size_t>(k) * static_cast<std::size_t>(n_chroma_) + static_cast<std::size_t>(c)] =
          weight(c, k);
}

ChromaFilterbank ChromaFilterbank::create(int sample_rate, int n_fft, float tuning, int n_chroma) {
  return create_f64(sample_rate, n_fft, static_cast<double>(tuning), n_chroma);
}

ChromaFilterbank ChromaFilterbank::create_f64(int sample_rate, int n_fft, double tuning, int n_chroma) {
  if (sample_rate <= 0) throw std::invalid_argument("chroma filterbank: sample_rate must be > 0");
  if (n_fft < 2 || n_fft % 2 != 0) throw std::invalid_argument("chroma filterbank: n_fft must be even and >= 2");
  if (n_chroma < 1) throw std::invalid_argument("chroma filterbank: n_chroma must be >= 1");
  if (!std::isfinite(tuning)) throw std::invalid_argument("chroma filterbank: tuning must be finite");
  const auto nfft = static_cast<std::size_t>(n_fft);
  const auto nc = static_cast<std::size_t>(n_chroma);
  const double nchroma = n_chroma;

  // frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]; frqbins = n_chroma * hz_to_octs(
  // frequencies, tuning, n_chroma) with A440 = 440 * 2**(tuning / n_chroma).
  const double a440 = 440.0 * std::pow(2.0, tuning / nchroma);
  const double fstep = static_cast<double>(sample_rate) / n_fft;
  std::vector<double> frqbins(nfft);
  for (std::size_t i = 1; i < nfft; ++i) frqbins[i] = nchroma * std::log2(static_cast<double>(i) * fstep / (a440 / 16));
  // The 0 Hz bin is placed 1.5 octaves below bin 1.
  frqbins[0] = frqbins[1] - 1.5 * nchroma;
  std::vector<double> binwidth(nfft, 1.0);
  for (std::size_t i = 0; i + 1 < nfft; ++i) binwidth[i] = std::max(frqbins[i + 1] - frqbins[i], 1.0);

  // Only the first 1 + n_fft/2 columns survive; every step is per column, so skip the rest.
  const std::size_t n_bins = nfft / 2 + 1;
  const double half = std::nearbyint(nchroma / 2);  // np.round: half to even
  std::vector<double> wts(nc * n_bins);
  for (std::size_t k = 0; k < n_bins; ++k) {
    double norm2 = 0.0;  // np.sum(mag**2, axis=0) of a C-ordered array: sequential over rows
    for (std::size_t c = 0; c < nc; ++c) {
      const double d = numpy_mod(frqbins[k] - static_cast<double>(c) + half + 10 * nchroma, nchroma) - half;
      const double z = 2 * d / binwidth[k];
      const double w = std::exp(-0.5 * (z * z));
      wts[c * n_bins + k] = w;
      norm2 += w * w;
    }
    double length = std::sqrt(norm2);
    if (length < std::numeric_limits<double>::min()) length = 1.0;
    const double o = (frqbins[k] / nchroma - kCtroct) / kOctwidth;
    const double dominance = std::exp(-0.5 * (o * o));
    for (std::size_t c = 0; c < nc; ++c) wts[c * n_bins + k] = wts[c * n_bins + k] / length * dominance;
  }

  std::vector<float> weights(nc * n_bins);
  for (std::size_t c = 0; c < nc; ++c) {
    const std::size_t src = (c + kBaseCRoll) % nc;
    for (std::size_t k = 0; k < n_bins; ++k) weights[c * n_bins + k] = static_cast<float>(wts[src * n_bins + k]);
  }
  return ChromaFilterbank(n_chroma, static_cast<int>(n_bins), std::move(weights));
}

namespace {

// Two float64 lanes (SSE2, the x86-64 baseline). Each lane is one chroma row's own sequential sum
// over the bins, so the result does not depend on the vector width.
using v2d = double __attribute__((vector_size(16)));

v2d load2(const double* p) noexcept {
  v2d v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

// 12 chroma x 2 frames at once: 12 accumulator registers, two independent add chains per weight
// load (a single frame is bound by the add latency).
void apply12_pair(const double* by_bin, int n_bins, const float* s0, const float* s1, float* out0,
                  float* out1) noexcept {
  v2d a0 = {}, a1 = {}, a2 = {}, a3 = {}, a4 = {}, a5 = {};
  v2d b0 = {}, b1 = {}, b2 = {}, b3 = {}, b4 = {}, b5 = {};
  for (int k = 0; k < n_bins; ++k) {
    const double* w = by_bin + static_cast<std::ptrdiff_t>(k) * 12;
    const double x0 = s0[k], x1 = s1[k];
    const v2d x = {x0, x0}, y = {x1, x1};
    v2d wv = load2(w);
    a0 += wv * x;
    b0 += wv * y;
    wv = load2(w + 2);
    a1 += wv * x;
    b1 += wv * y;
    wv = load2(w + 4);
    a2 += wv * x;
    b2 += wv * y;
    wv = load2(w + 6);
    a3 += wv * x;
    b3 += wv * y;
    wv = load2(w + 8);
    a4 += wv * x;
    b4 += wv * y;
    wv = load2(w + 10);
    a5 += wv * x;
    b5 += wv * y;
  }
  const v2d as[6] = {a0, a1, a2, a3, a4, a5}, bs[6] = {b0, b1, b2, b3, b4, b5};
  for (int i = 0; i < 6; ++i) {
    out0[2 * i] = static_cast<float>(as[i][0]);
    out0[2 * i + 1] = static_cast<float>(as[i][1]);
    out1[2 * i] = static_cast<float>(bs[i][0]);
    out1[2 * i + 1] = static_cast<float>(bs[i][1]);
  }
}

}  // namespace

void ChromaFilterbank::apply(const float* power_frame, float* out) const noexcept {
  if (n_chroma_ == 12) {
    float unused[12];
    apply12_pair(by_bin_.data(), n_bins_, power_frame, power_frame, out, unused);
    return;
  }
  for (int c = 0; c < n_chroma_; ++c) {
    double acc = 0.0;
    for (int k = 0; k < n_bins_; ++k)
      acc += by_bin_[static_cast<std::size_t>(k) * static_cast<std::size_t>(n_chroma_) + static_cast<std::size_t>(c)] *
             static_cast<double>(power_frame[k]);
    out[c] = static_cast<float>(acc);
  }
}

void ChromaFilterbank::apply_pair(const float* frame0, const float* frame1, float* out0, float* out1) const noexcept {
  if (n_chroma_ == 12) {
    apply12_pair(by_bin_.data(), n_bins_, frame0, frame1, out0, out1);
    return;
  }
  apply(frame0, out0);
  apply(frame1, out1);
}

std::vector<float> chroma_stft(const Spectrogram& power, int sample_rate, int n_fft) {
  check_spectrogram(power, sample_rate, n_fft, "chroma_stft");
  const double tuning = estimate_tuning_f64(power, sample_rate, n_fft);
  const auto fb = ChromaFilterbank::create_f64(sample_rate, n_fft, tuning);
  const auto n_chroma = static_cast<std::size_t>(fb.n_chroma());
  const auto n_frames = static_cast<std::size_t>(power.n_frames);
  std::vector<float> chroma(n_chroma * n_frames);
  std::vector<float> raw(2 * n_chroma);
  auto normalise = [&](const float* r, std::size_t t) {
    // util.normalize(norm=inf): length = max |x| in float64; below float32 tiny the frame is left
    // as is; S / length is computed in float64 and stored into a float32 array.
    double length = 0.0;
    for (std::size_t c = 0; c < n_chroma; ++c) length = std::max(length, static_cast<double>(std::abs(r[c])));
    if (length < static_cast<double>(std::numeric_limits<float>::min())) length = 1.0;
    for (std::size_t c = 0; c < n_chroma; ++c)
      chroma[c * n_frames + t] = static_cast<float>(static_cast<double>(r[c]) / length);
  };
  std::size_t t = 0;
  for (; t + 1 < n_frames; t += 2) {
    fb.apply_pair(power.frame(static_cast<int>(t)), power.frame(static_cast<int>(t + 1)), raw.data(),
                  raw.data() + n_chroma);
    normalise(raw.data(), t);
    normalise(raw.data() + n_chroma, t + 1);
  }
  if (t < n_frames) {
    fb.apply(power.frame(static_cast<int>(t)), raw.data());
    normalise(raw.data(), t);
  }
  return chroma;
}

}  // namespace genrelab::dsp

#include "dsp/hpss.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "dsp/median_filter.h"

namespace genrelab::dsp {
namespace {

// How numpy evaluates `(X / Z) ** power` on a float32 array with a Python float exponent:
// ndarray.__pow__ has fast paths for 2 (np.square), 1 (a copy) and 0.5 (np.sqrt); any other
// exponent goes to np.power with the exponent rounded to float32 (powf).
enum class PowerKind { square, identity, sqrt, general, hard };

struct MaskRule {
  PowerKind kind;
  float power;     // float32 exponent for PowerKind::general
  float margin_h;  // margins rounded to float32, as numpy does for `perc * margin_harm`
  float margin_p;
  bool split_zeros;  // librosa: margin_harm == 1 and margin_perc == 1
};

MaskRule mask_rule(const HpssParams& p) {
  MaskRule r{};
  if (std::isinf(p.power)) r.kind = PowerKind::hard;
  else if (p.power == 2.0) r.kind = PowerKind::square;
  else if (p.power == 1.0) r.kind = PowerKind::identity;
  else if (p.power == 0.5) r.kind = PowerKind::sqrt;
  else r.kind = PowerKind::general;
  r.power = static_cast<float>(p.power);
  r.margin_h = static_cast<float>(p.margin);
  r.margin_p = static_cast<float>(p.margin);
  r.split_zeros = p.margin == 1.0;
  return r;
}

inline float mask_power(float x, const MaskRule& r) {
  switch (r.kind) {
    case PowerKind::square:
      return x * x;
    case PowerKind::sqrt:
      return std::sqrt(x);
    case PowerKind::general:
      return std::pow(x, r.power);
    case PowerKind::identity:
    case PowerKind::hard:
      break;
  }
  return x;
}

// librosa.util.softmask(X, X_ref, power, split_zeros) for one cell, in float32:
//   Z = max(X, X_ref); cells with Z < float32 tiny get 0.5 (split_zeros) or 0;
//   otherwise mask = (X/Z)^p / ((X/Z)^p + (X_ref/Z)^p). power = inf: the hard mask X > X_ref.
inline float softmask(float x, float x_ref, const MaskRule& r) {
  if (r.kind == PowerKind::hard) return x > x_ref ? 1.0f : 0.0f;
  const float z = std::max(x, x_ref);
  if (z < std::numeric_limits<float>::min()) return r.split_zeros ? 0.5f : 0.0f;
  const float m = mask_power(x / z, r);
  const float m_ref = mask_power(x_ref / z, r);
  return m / (m + m_ref);
}

// The unit phase of one cell, phase = exp(1j * angle(D)) in complex64. We take (re, im) / |D|
// with |D| = S (np.abs in float32, already computed) in float32: the same unit vector within
// 1 float32 ulp. librosa's own value goes through a float32 angle (np.angle, then exp), whose
// rounding moves each component by up to ~1.2e-7; either way the harmony/perceptr statistics
// land within the rounding noise of the Kaggle values (see hpss_test). angle(0) = 0: phase 1.
inline std::complex<float> unit_phase(std::complex<float> d, float s) {
  if (s == 0.0f) return {1.0f, 0.0f};
  return {d.real() / s, d.imag() / s};
}

// Pass 1 over n cells (any margin/power): the masks from H (h) and P (p); x = (S * mask_H) * phase;
// h is overwritten with S * mask_P for pass 2. (S * mask) * phase is a float32 product, then
// float32 x complex64, i.e. (a * c, a * s) in float32.
void pass1_scalar(const float* s, const std::complex<float>* d, float* h, const float* p, std::complex<float>* x,
                  std::size_t n, const MaskRule& r) {
  for (std::size_t i = 0; i < n; ++i) {
    const float mh = softmask(h[i], p[i] * r.margin_h, r);
    const float mp = softmask(p[i], h[i] * r.margin_p, r);
    const std::complex<float> ph = unit_phase(d[i], s[i]);
    const float ah = s[i] * mh;
    x[i] = {ah * ph.real(), ah * ph.imag()};
    h[i] = s[i] * mp;
  }
}

// Pass 2: x = a * phase with a = S * mask_P from pass 1.
void pass2_scalar(const float* a, const std::complex<float>* d, const float* s, std::complex<float>* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::complex<float> ph = unit_phase(d[i], s[i]);
    x[i] = {a[i] * ph.real(), a[i] * ph.imag()};
  }
}

// SIMD versions of both passes for librosa's default rule (power 2, margin 1 with split_zeros),
// element for element the same float32 operations as the scalar code above (IEEE division and
// multiplication, no contraction), so the result is bit-identical. Complex data is handled
// interleaved (re, im, re, im ...): S and the mask product are duplicated into both slots.
using V4 = float __attribute__((vector_size(16)));
using V8 = float __attribute__((vector_size(32)));

template <typename V>
[[gnu::always_inline]] inline void dup_lo_hi(const V& v, V& lo, V& hi) {
  if constexpr (sizeof(V) == 16) {
    lo = __builtin_shufflevector(v, v, 0, 0, 1, 1);
    hi = __builtin_shufflevector(v, v, 2, 2, 3, 3);
  } else {
    lo = __builtin_shufflevector(v, v, 0, 0, 1, 1, 2, 2, 3, 3);
    hi = __builtin_shufflevector(v, v, 4, 4, 5, 5, 6, 6, 7, 7);
  }
}

template <typename V>
[[gnu::always_inline]] inline void store_phased(const V& amp, const V& s, const float* d, float* x) {
  constexpr std::size_t W = sizeof(V) / sizeof(float);
  V unit{};  // (1, 0, 1, 0, ...): the phase of a zero cell
  for (std::size_t j = 0; j < W; j += 2) unit[j] = 1.0f;
  V s_lo, s_hi, a_lo, a_hi;
  dup_lo_hi(s, s_lo, s_hi);
  dup_lo_hi(amp, a_lo, a_hi);
  V d_lo, d_hi;
  std::memcpy(&d_lo, d, sizeof(V));
  std::memcpy(&d_hi, d + W, sizeof(V));
  const V ph_lo = s_lo == 0.0f ? unit : d_lo / s_lo;
  const V ph_hi = s_hi == 0.0f ? unit : d_hi / s_hi;
  const V x_lo = a_lo * ph_lo, x_hi = a_hi * ph_hi;
  std::memcpy(x, &x_lo, sizeof(V));
  std::memcpy(x + W, &x_hi, sizeof(V));
}

template <typename V>
[[gnu::always_inline]] inline void pass1_default_simd(const float* s, const std::complex<float>* d, float* h,
                                                      const float* p, std::complex<float>* x, std::size_t n) {
  constexpr std::size_t W = sizeof(V) / sizeof(float);
  const auto* df = reinterpret_cast<const float*>(d);  // complex<float> arrays are (re, im) pairs
  auto* xf = reinterpret_cast<float*>(x);
  const float tiny = std::numeric_limits<float>::min();
  std::size_t i = 0;
  for (; i + W <= n; i += W) {
    V vs, vh, vp;
    std::memcpy(&vs, s + i, sizeof(V));
    std::memcpy(&vh, h + i, sizeof(V));
    std::memcpy(&vp, p + i, sizeof(V));
    const V z = vh > vp ? vh : vp;  // np.maximum (NaN-free input)
    const auto bad = z < tiny;
    const V zz = bad ? V{} + 1.0f : z;  // librosa sets Z = 1 there, then overrides the mask
    V a = vh / zz, b = vp / zz;
    a = a * a;
    b = b * b;
    const V sum = a + b;
    const V mh = bad ? V{} + 0.5f : a / sum;
    const V mp = bad ? V{} + 0.5f : b / sum;
    const V ah = vs * mh, ap = vs * mp;
    std::memcpy(h + i, &ap, sizeof(V));
    store_phased(ah, vs, df + 2 * i, xf + 2 * i);
  }
  const MaskRule rule{PowerKind::square, 2.0f, 1.0f, 1.0f, true};
  pass1_scalar(s + i, d + i, h + i, p + i, x + i, n - i, rule);
}

template <typename V>
[[gnu::always_inline]] inline void pass2_simd(const float* a, const std::complex<float>* d, const float* s,
                                              std::complex<float>* x, std::size_t n) {
  constexpr std::size_t W = sizeof(V) / sizeof(float);
  const auto* df = reinterpret_cast<const float*>(d);
  auto* xf = reinterpret_cast<float*>(x);
  std::size_t i = 0;
  for (; i + W <= n; i += W) {
    V va, vs;
    std::memcpy(&va, a + i, sizeof(V));
    std::memcpy(&vs, s + i, sizeof(V));
    store_phased(va, vs, df + 2 * i, xf + 2 * i);
  }
  pass2_scalar(a + i, d + i, s + i, x + i, n - i);
}

void pass1_default_sse2(const float* s, const std::complex<float>* d, float* h, const float* p, std::complex<float>* x,
                        std::size_t n) {
  pass1_default_simd<V4>(s, d, h, p, x, n);
}
void pass2_sse2(const float* a, const std::complex<float>* d, const float* s, std::complex<float>* x, std::size_t n) {
  pass2_simd<V4>(a, d, s, x, n);
}

using Pass1Fn = void (*)(const float*, const std::complex<float>*, float*, const float*, std::complex<float>*,
                         std::size_t);
using Pass2Fn = void (*)(const float*, const std::complex<float>*, const float*, std::complex<float>*, std::size_t);

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// Baseline x86-64 is SSE2; AVX2 doubles the width when the CPU has it (same operations, same bits).
[[gnu::target("avx2")]] void pass1_default_avx2(const float* s, const std::complex<float>* d, float* h, const float* p,
                                                std::complex<float>* x, std::size_t n) {
  pass1_default_simd<V8>(s, d, h, p, x, n);
}
[[gnu::target("avx2")]] void pass2_avx2(const float* a, const std::complex<float>* d, const float* s,
                                        std::complex<float>* x, std::size_t n) {
  pass2_simd<V8>(a, d, s, x, n);
}
Pass1Fn pass1_default() {
  static const Pass1Fn f = __builtin_cpu_supports("avx2") ? pass1_default_avx2 : pass1_default_sse2;
  return f;
}
Pass2Fn pass2() {
  static const Pass2Fn f = __builtin_cpu_supports("avx2") ? pass2_avx2 : pass2_sse2;
  return f;
}
#else
Pass1Fn pass1_default() { return pass1_default_sse2; }
Pass2Fn pass2() { return pass2_sse2; }
#endif

void require_shape(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("Hpss::compute: ") + what);
}

}  // namespace

Hpss Hpss::create(const HpssParams& params) {
  if (params.kernel_size < 1 || params.kernel_size % 2 == 0)
    throw std::invalid_argument("hpss kernel_size must be odd and >= 1, got " + std::to_string(params.kernel_size));
  if (!(params.power > 0.0)) throw std::invalid_argument("hpss power must be > 0, got " + std::to_string(params.power));
  if (!(params.margin >= 1.0))
    throw std::invalid_argument("hpss margin must be >= 1, got " + std::to_string(params.margin));
  return Hpss(params);
}

void Hpss::masks(const Spectrogram& mag, Spectrogram& mask_harmonic, Spectrogram& mask_percussive) const {
  const Spectrogram harm = median_filter_time(mag, params_.kernel_size);
  const Spectrogram perc = median_filter_freq(mag, params_.kernel_size);
  const MaskRule rule = mask_rule(params_);
  mask_harmonic = {mag.n_bins, mag.n_frames, std::vector<float>(mag.data.size())};
  mask_percussive = {mag.n_bins, mag.n_frames, std::vector<float>(mag.data.size())};
  for (std::size_t i = 0; i < mag.data.size(); ++i) {
    mask_harmonic.data[i] = softmask(harm.data[i], perc.data[i] * rule.margin_h, rule);
    mask_percussive.data[i] = softmask(perc.data[i], harm.data[i] * rule.margin_p, rule);
  }
}

HpssSignals Hpss::compute(const Stft& stft, const ComplexSpectrogram& D, const Spectrogram& mag,
                          std::size_t n_samples) const {
  require_shape(D.n_bins == stft.n_bins() && mag.n_bins == D.n_bins, "bin counts of stft, D and mag differ");
  require_shape(mag.n_frames == D.n_frames && mag.data.size() == D.data.size(), "D and mag differ in shape");
  require_shape(n_samples > 0 && stft.n_frames(n_samples) == D.n_frames, "frame count does not match n_samples");
  const auto n_bins = static_cast<std::size_t>(D.n_bins);
  const MaskRule rule = mask_rule(params_);
  const bool default_rule = rule.kind == PowerKind::square && rule.split_zeros;

  // H (median along time) for every cell; pass 1 overwrites each cell with S * mask_P once its
  // masks are made, so the percussive spectrum needs no buffer of its own.
  Spectrogram store;
  median_filter_time(mag, params_.kernel_size, store);
  // P (median along frequency) is made a block of frames at a time, right before its masks.
  constexpr int kBlockFrames = 32;
  std::vector<float> p_block(static_cast<std::size_t>(kBlockFrames) * n_bins);
  ComplexSpectrogram x{D.n_bins, D.n_frames, std::vector<std::complex<float>>(D.data.size())};
  for (int t0 = 0; t0 < D.n_frames; t0 += kBlockFrames) {
    const int count = std::min(kBlockFrames, D.n_frames - t0);
    median_filter_freq_frames(mag, params_.kernel_size, t0, count, p_block.data());
    const std::size_t off = static_cast<std::size_t>(t0) * n_bins, n = static_cast<std::size_t>(count) * n_bins;
    if (default_rule)
      pass1_default()(mag.data.data() + off, D.data.data() + off, store.data.data() + off, p_block.data(),
                      x.data.data() + off, n);
    else
      pass1_scalar(mag.data.data() + off, D.data.data() + off, store.data.data() + off, p_block.data(),
                   x.data.data() + off, n, rule);
  }
  HpssSignals out;
  out.harmonic = stft.inverse(x);
  pass2()(store.data.data(), D.data.data(), mag.data.data(), x.data.data(), D.data.size());
  out.percussive = stft.inverse(x);
  // util.fix_length(y, len(y)): the istft holds hop * (len / hop) <= len samples; zero-pad the tail.
  out.harmonic.resize(n_samples, 0.0f);
  out.percussive.resize(n_samples, 0.0f);
  return out;
}

}  // namespace genrelab::dsp

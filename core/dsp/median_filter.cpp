#include "dsp/median_filter.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace genrelab::dsp {
namespace {

// Lanes processed together: 16 floats = one cache line, so a strided walk down a column of a
// frame-major spectrogram uses every byte it loads, and several registers per step give the
// CPU independent work.
constexpr std::size_t kLanes = 16;

using V4 = float __attribute__((vector_size(16)));
using V8 = float __attribute__((vector_size(32)));
using V16 = float __attribute__((vector_size(64)));

// Scratch for the sorted windows: 16 lanes per rank, aligned for the widest vector loads.
struct alignas(64) AlignedLanes {
  float v[kLanes];
};

void check_size(int size) {
  if (size < 1 || size % 2 == 0)
    throw std::invalid_argument("median filter size must be odd and >= 1, got " + std::to_string(size));
}

// The window of output j covers padded positions j .. j + size - 1 (padded position m is sample
// m - size/2); pidx maps each padded position to its sample index.
std::vector<std::ptrdiff_t> padded_indices(std::size_t n, int size) {
  const std::ptrdiff_t half = size / 2;
  std::vector<std::ptrdiff_t> pidx(n + static_cast<std::size_t>(size) - 1);
  for (std::size_t m = 0; m < pidx.size(); ++m)
    pidx[m] = scipy_reflect_index(static_cast<std::ptrdiff_t>(m) - half, static_cast<std::ptrdiff_t>(n));
  return pidx;
}

// One group of 16 lanes held in R registers of type V. s (size * 16 floats of scratch) holds the
// sorted window of every lane: s[i * R + r] = the rank-i elements of register r's lanes.
//
// Each step removes the sample leaving the window and inserts the one entering it, with two
// branch-free passes fused into one sweep over the ranks:
//   remove x_old: b[i] = a[i] < x_old ? a[i] : a[i + 1]   (drops exactly one copy of x_old:
//                 the entries below it are a prefix and the first entry not below it equals it)
//   insert x_new: c[i] = max(b[i - 1], min(b[i], x_new))  (b[-1] = -inf, b[size - 1] = +inf)
// Only comparisons and selects: the median is an input element, bit for bit.
//
// An always-inline template, so each caller below compiles it for its own instruction set.
// `a < b ? a : b` compiles to minps (whose semantics are exactly that); vectors are never passed
// by value (their ABI depends on the instruction set).
template <typename V, int R>
[[gnu::always_inline]] inline void median_group(const float* in, std::ptrdiff_t in_stride, float* out,
                                                std::ptrdiff_t out_stride, const std::ptrdiff_t* pidx, std::size_t n,
                                                int size, float* scratch) {
  static_assert(sizeof(V) * R == kLanes * sizeof(float));
  constexpr std::size_t W = sizeof(V) / sizeof(float);
  V* s = reinterpret_cast<V*>(scratch);
  const int half = size / 2;
  const V pos_inf = V{} + std::numeric_limits<float>::infinity();
  for (int i = 0; i < size * R; ++i) s[i] = pos_inf;
  // Fill the first window by insertion into a row of +inf (each insertion drops one +inf).
  for (int m = 0; m < size; ++m) {
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      V x;
      std::memcpy(&x, in + pidx[m] * in_stride + r * static_cast<std::ptrdiff_t>(W), sizeof(V));
      for (int i = size - 1; i > 0; --i) {
        const V lo = s[i * R + r] < x ? s[i * R + r] : x;
        s[i * R + r] = s[(i - 1) * R + r] > lo ? s[(i - 1) * R + r] : lo;
      }
      s[r] = s[r] < x ? s[r] : x;
    }
  }
  std::memcpy(out, &s[half * R], kLanes * sizeof(float));
  for (std::size_t j = 1; j < n; ++j) {
    V x_old[R], x_new[R], a[R], b_prev[R];
    const float* p_old = in + pidx[j - 1] * in_stride;
    const float* p_new = in + pidx[j - 1 + static_cast<std::size_t>(size)] * in_stride;
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      std::memcpy(&x_old[r], p_old + r * static_cast<std::ptrdiff_t>(W), sizeof(V));
      std::memcpy(&x_new[r], p_new + r * static_cast<std::ptrdiff_t>(W), sizeof(V));
      a[r] = s[r];
      b_prev[r] = -pos_inf;
    }
    for (int i = 0; i < size - 1; ++i) {
#pragma GCC unroll 4
      for (int r = 0; r < R; ++r) {
        const V a_next = s[(i + 1) * R + r];
        const V b = a[r] < x_old[r] ? a[r] : a_next;
        const V lo = b < x_new[r] ? b : x_new[r];
        s[i * R + r] = b_prev[r] > lo ? b_prev[r] : lo;
        b_prev[r] = b;
        a[r] = a_next;
      }
    }
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) s[(size - 1) * R + r] = b_prev[r] > x_new[r] ? b_prev[r] : x_new[r];
    std::memcpy(out + static_cast<std::ptrdiff_t>(j) * out_stride, &s[half * R], kLanes * sizeof(float));
  }
}

using GroupKernel = void (*)(const float*, std::ptrdiff_t, float*, std::ptrdiff_t, const std::ptrdiff_t*, std::size_t,
                             int, float*);

void median_group_sse2(const float* in, std::ptrdiff_t in_stride, float* out, std::ptrdiff_t out_stride,
                       const std::ptrdiff_t* pidx, std::size_t n, int size, float* scratch) {
  median_group<V4, 4>(in, in_stride, out, out_stride, pidx, n, size, scratch);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GENRELAB_MEDIAN_DISPATCH 1
// The default build targets baseline x86-64 (SSE2); AVX2 halves the instruction count and is
// chosen at run time when the CPU has it. Same operations, same result.
[[gnu::target("avx2")]] void median_group_avx2(const float* in, std::ptrdiff_t in_stride, float* out,
                                               std::ptrdiff_t out_stride, const std::ptrdiff_t* pidx, std::size_t n,
                                               int size, float* scratch) {
  median_group<V8, 2>(in, in_stride, out, out_stride, pidx, n, size, scratch);
}
[[gnu::target("avx512f")]] void median_group_avx512(const float* in, std::ptrdiff_t in_stride, float* out,
                                                    std::ptrdiff_t out_stride, const std::ptrdiff_t* pidx,
                                                    std::size_t n, int size, float* scratch) {
  median_group<V16, 1>(in, in_stride, out, out_stride, pidx, n, size, scratch);
}
#endif

GroupKernel best_kernel() {
#ifdef GENRELAB_MEDIAN_DISPATCH
  static const GroupKernel kernel = [] {
    if (__builtin_cpu_supports("avx512f")) return median_group_avx512;
    return __builtin_cpu_supports("avx2") ? median_group_avx2 : median_group_sse2;
  }();
  return kernel;
#else
  return median_group_sse2;
#endif
}

GroupKernel group_kernel(MedianKernel kernel) {
  switch (kernel) {
    case MedianKernel::best:
      return best_kernel();
    case MedianKernel::sse2:
      return median_group_sse2;
#ifdef GENRELAB_MEDIAN_DISPATCH
    case MedianKernel::avx2:
      if (__builtin_cpu_supports("avx2")) return median_group_avx2;
      break;
    case MedianKernel::avx512:
      if (__builtin_cpu_supports("avx512f")) return median_group_avx512;
      break;
#else
    default:
      break;
#endif
  }
  return nullptr;
}

}  // namespace

bool median_kernel_supported(MedianKernel kernel) { return group_kernel(kernel) != nullptr; }

std::ptrdiff_t scipy_reflect_index(std::ptrdiff_t i, std::ptrdiff_t n) {
  if (n <= 1) return 0;
  const std::ptrdiff_t period = 2 * n;
  std::ptrdiff_t m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

void median_filter_lanes(const float* in, std::ptrdiff_t in_stride, float* out, std::ptrdiff_t out_stride,
                         std::size_t n, std::size_t n_lanes, int size, MedianKernel which) {
  check_size(size);
  const GroupKernel kernel = group_kernel(which);
  if (!kernel) throw std::invalid_argument("median filter kernel not supported on this CPU");
  if (n == 0 || n_lanes == 0) return;
  const auto pidx = padded_indices(n, size);
  std::vector<AlignedLanes> sorted(static_cast<std::size_t>(size));
  const std::size_t full = n_lanes / kLanes * kLanes;
  for (std::size_t l = 0; l < full; l += kLanes)
    kernel(in + l, in_stride, out + l, out_stride, pidx.data(), n, size, reinterpret_cast<float*>(sorted.data()));
  if (full == n_lanes) return;
  // The last lanes do not fill a group: run them through a zero-padded 16-lane copy.
  const std::size_t rest = n_lanes - full;
  std::vector<float> tmp_in(n * kLanes, 0.0f), tmp_out(n * kLanes);
  for (std::size_t j = 0; j < n; ++j)
    std::copy_n(in + static_cast<std::ptrdiff_t>(j) * in_stride + static_cast<std::ptrdiff_t>(full), rest,
                tmp_in.data() + j * kLanes);
  kernel(tmp_in.data(), kLanes, tmp_out.data(), kLanes, pidx.data(), n, size, reinterpret_cast<float*>(sorted.data()));
  for (std::size_t j = 0; j < n; ++j)
    std::copy_n(tmp_out.data() + j * kLanes, rest,
                out + static_cast<std::ptrdiff_t>(j) * out_stride + static_cast<std::ptrdiff_t>(full));
}

void median_filter_time(const Spectrogram& in, int size, Spectrogram& out) {
  check_size(size);
  out.n_bins = in.n_bins;
  out.n_frames = in.n_frames;
  out.data.resize(in.data.size());
  // Frame-major: the bins of one frame are contiguous, so bins are the SIMD lanes and time the series.
  median_filter_lanes(in.data.data(), in.n_bins, out.data.data(), out.n_bins, static_cast<std::size_t>(in.n_frames),
                      static_cast<std::size_t>(in.n_bins), size);
}

Spectrogram median_filter_time(const Spectrogram& in, int size) {
  Spectrogram out;
  median_filter_time(in, size, out);
  return out;
}

void median_filter_freq_frames(const Spectrogram& in, int size, int first_frame, int count, float* out) {
  check_size(size);
  if (first_frame < 0 || count < 0 || first_frame > in.n_frames - count)
    throw std::invalid_argument("median_filter_freq_frames: frame range outside the spectrogram");
  const auto n = static_cast<std::size_t>(in.n_bins);
  if (n == 0 || count == 0) return;
  const GroupKernel kernel = best_kernel();
  const auto pidx = padded_indices(n, size);
  std::vector<AlignedLanes> sorted(static_cast<std::size_t>(size));
  // Frames are the lanes here: transpose 16 frames into a bin-major block (bin k of lane l at
  // k * 16 + l), filter it along bins, transpose back.
  std::vector<float> block_in(n * kLanes), block_out(n * kLanes);
  const auto t_end = static_cast<std::size_t>(first_frame) + static_cast<std::size_t>(count);
  for (auto t0 = static_cast<std::size_t>(first_frame); t0 < t_end; t0 += kLanes) {
    const std::size_t lanes = std::min(kLanes, t_end - t0);
    if (lanes < kLanes) std::fill(block_in.begin(), block_in.end(), 0.0f);
    for (std::size_t l = 0; l < lanes; ++l) {
      const float* src = in.data.data() + (t0 + l) * n;
      for (std::size_t k = 0; k < n; ++k) block_in[k * kLanes + l] = src[k];
    }
    kernel(block_in.data(), kLanes, block_out.data(), kLanes, pidx.data(), n, size,
           reinterpret_cast<float*>(sorted.data()));
    for (std::size_t l = 0; l < lanes; ++l) {
      float* dst = out + (t0 + l - static_cast<std::size_t>(first_frame)) * n;
      for (std::size_t k = 0; k < n; ++k) dst[k] = block_out[k * kLanes + l];
    }
  }
}

void median_filter_freq(const Spectrogram& in, int size, Spectrogram& out) {
  check_size(size);
  out.n_bins = in.n_bins;
  out.n_frames = in.n_frames;
  out.data.resize(in.data.size());
  median_filter_freq_frames(in, size, 0, in.n_frames, out.data.data());
}

Spectrogram median_filter_freq(const Spectrogram& in, int size) {
  Spectrogram out;
  median_filter_freq(in, size, out);
  return out;
}

}  // namespace genrelab::dsp

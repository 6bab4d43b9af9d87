// Sliding-window median filters along one axis of a frame-major Spectrogram, exactly as
// scipy.ndimage.median_filter(S, size=..., mode='reflect') computes them on librosa's (bins, frames)
// array: the output is the element of rank size/2 (0-based) of the window centred on each
// element. Out-of-range window positions use scipy's 'reflect' extension, which REPEATS the edge
// sample (d c b a | a b c d), applied periodically when the window is longer than the series.
//
// The result is an exact order statistic of the input (no arithmetic), so it is bit-identical to
// scipy. Input must be NaN-free (NaN has no rank; scipy's own result is then undefined too).
// Cost: O(size) vector operations per 16 outputs (a sorted window per SIMD lane, updated with
// branch-free compare/select passes), no sort per output. All functions are thread-safe
// (no shared state); they allocate only their output and a few kB of scratch per call.
#pragma once

#include <cstddef>

#include "dsp/stft.h"

namespace genrelab::dsp {

/// scipy.ndimage 'reflect' index for position i of a series of n >= 1 samples (i may be
/// negative or >= n): d c b a | a b c d | d c b a, periodic with period 2n.
std::ptrdiff_t scipy_reflect_index(std::ptrdiff_t i, std::ptrdiff_t n);

/// Median along time (librosa's size=(1, size)): out(k, t) = median of in(k, t - size/2 .. t + size/2).
/// size: odd, >= 1. Throws std::invalid_argument otherwise. `out` (not `in`) is resized to match `in`.
void median_filter_time(const Spectrogram& in, int size, Spectrogram& out);
Spectrogram median_filter_time(const Spectrogram& in, int size);

/// Median along frequency (librosa's size=(size, 1)): out(k, t) = median of in(k - size/2 .. k + size/2, t).
/// size: odd, >= 1. Throws std::invalid_argument otherwise. `out` (not `in`) is resized to match `in`.
void median_filter_freq(const Spectrogram& in, int size, Spectrogram& out);
Spectrogram median_filter_freq(const Spectrogram& in, int size);

/// median_filter_freq for frames [first_frame, first_frame + count) only, written frame-major to
/// out[(t - first_frame) * n_bins + k]. Lets a consumer stream a block at a time instead of
/// holding a whole second spectrogram. Throws std::invalid_argument for a bad size or range.
void median_filter_freq_frames(const Spectrogram& in, int size, int first_frame, int count, float* out);

/// Instruction set of the median kernel. Every choice gives the same bits; only speed differs.
/// best: the fastest the CPU supports (AVX-512F, else AVX2, else SSE2), chosen once per process.
enum class MedianKernel { best, sse2, avx2, avx512 };

/// Whether this build and CPU can run `kernel` (best and sse2 always can on x86-64).
bool median_kernel_supported(MedianKernel kernel);

/// The kernel behind both: n_lanes independent series of n samples each, sample j of lane l at
/// in[j * in_stride + l] (lanes contiguous), median written to out[j * out_stride + l].
/// size: odd, >= 1; kernel: supported (both else throw std::invalid_argument). in and out must not overlap.
void median_filter_lanes(const float* in, std::ptrdiff_t in_stride, float* out, std::ptrdiff_t out_stride,
                         std::size_t n, std::size_t n_lanes, int size, MedianKernel kernel = MedianKernel::best);

}  // namespace genrelab::dsp

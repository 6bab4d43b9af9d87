#include "dsp/zero_crossing_rate.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace genrelab::dsp {

std::vector<double> zero_crossing_rate(std::span<const float> y, int frame_length, int hop_length) {
  if (frame_length < 1) throw std::invalid_argument("zero_crossing_rate: frame_length must be >= 1");
  if (hop_length < 1) throw std::invalid_argument("zero_crossing_rate: hop_length must be >= 1");
  if (y.empty()) throw std::invalid_argument("zero_crossing_rate: empty signal");
  const auto n = static_cast<std::ptrdiff_t>(y.size());
  const std::ptrdiff_t pad = frame_length / 2;
  const std::ptrdiff_t padded = n + 2 * pad;
  if (padded < frame_length) throw std::invalid_argument("zero_crossing_rate: signal shorter than one frame");
  const std::size_t n_frames = 1 + static_cast<std::size_t>((padded - frame_length) / hop_length);

  // zero_crossings(threshold=1e-10): np.abs(y) <= threshold compares in float32 (a Python float
  // does not widen a float32 array), then the clipped samples are +0.
  const float threshold = 1e-10f;
  auto negative = [&](std::ptrdiff_t i) {
    const float v = y[static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(i - pad, 0, n - 1))];  // 'edge'
    return std::abs(v) <= threshold ? false : std::signbit(v);
  };
  // crossings_before[i]: crossings at padded positions 1..i (a crossing at i compares i with i-1).
  // Every frame then counts positions start+1 .. start+frame_length-1 by one subtraction.
  std::vector<std::uint32_t> crossings_before(static_cast<std::size_t>(padded));
  bool prev = negative(0);
  std::uint32_t count = 0;
  for (std::ptrdiff_t i = 1; i < padded; ++i) {
    const bool cur = negative(i);
    count += cur != prev ? 1u : 0u;
    prev = cur;
    crossings_before[static_cast<std::size_t>(i)] = count;
  }
  std::vector<double> out(n_frames);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const std::size_t start = t * static_cast<std::size_t>(hop_length);
    const std::uint32_t c =
        crossings_before[start + static_cast<std::size_t>(frame_length) - 1] - crossings_before[start];
    out[t] = static_cast<double>(c) / static_cast<double>(frame_length);
  }
  return out;
}

}  // namespace genrelab::dsp

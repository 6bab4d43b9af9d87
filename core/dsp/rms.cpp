#include "dsp/rms.h"

#include <cmath>
#include <cstddef>
#include <stdexcept>

#include "dsp/numpy_reduce.h"
#include "dsp/stft.h"

namespace genrelab::dsp {

std::vector<float> rms(std::span<const float> y, int frame_length, int hop_length) {
  if (frame_length < 1) throw std::invalid_argument("rms: frame_length must be >= 1");
  if (hop_length < 1) throw std::invalid_argument("rms: hop_length must be >= 1");
  if (y.empty()) throw std::invalid_argument("rms: empty signal");
  const auto n = static_cast<std::ptrdiff_t>(y.size());
  const std::ptrdiff_t pad = frame_length / 2;
  const std::ptrdiff_t padded = n + 2 * pad;
  if (padded < frame_length) throw std::invalid_argument("rms: signal shorter than one frame");
  const std::size_t n_frames = 1 + static_cast<std::size_t>((padded - frame_length) / hop_length);

  // Squares of the reflect-padded signal, computed once: frames overlap 4x by default.
  std::vector<float> squares(static_cast<std::size_t>(padded));
  for (std::ptrdiff_t i = 0; i < padded; ++i) {
    const std::ptrdiff_t j = i - pad;
    const float v =
        (j >= 0 && j < n) ? y[static_cast<std::size_t>(j)] : y[static_cast<std::size_t>(reflect_index(j, n))];
    squares[static_cast<std::size_t>(i)] = v * v;  // np.abs(x)**2 in float32
  }
  std::vector<float> out(n_frames);
  const auto len = static_cast<std::size_t>(frame_length);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const float sum = numpy_sum(std::span<const float>(squares.data() + t * static_cast<std::size_t>(hop_length), len));
    out[t] = std::sqrt(sum / static_cast<float>(frame_length));
  }
  return out;
}

}  // namespace genrelab::dsp

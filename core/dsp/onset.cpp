#include "dsp/onset.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace genrelab::dsp {

std::vector<float> onset_strength_median(const Spectrogram& mel_db, int n_fft, int hop_length) {
  if (n_fft <= 0 || hop_length <= 0)
    throw std::invalid_argument("onset: n_fft and hop_length must be > 0, got " + std::to_string(n_fft) + ", " +
                                std::to_string(hop_length));
  if (mel_db.n_bins < 1) throw std::invalid_argument("onset: spectrogram has no bins");
  constexpr int kLag = 1;
  const int pad = kLag + n_fft / (2 * hop_length);
  const int n_frames = mel_db.n_frames;
  const auto n_bins = static_cast<std::size_t>(mel_db.n_bins);
  std::vector<float> env(static_cast<std::size_t>(std::max(n_frames, 0)), 0.0f);
  std::vector<float> diff(n_bins);
  // np.median of an even count: the mean of the two middle order statistics, i.e. their float32
  // sum divided by 2; of an odd count, the middle one.
  const std::size_t hi = n_bins / 2;
  const bool even = n_bins % 2 == 0;
  // env[t] = aggregate(S[:, j + lag] - S[:, j]) with j = t - pad; the last `pad - lag` differences
  // fall off the end when librosa trims to the frame count, so they are never computed.
  for (int t = pad; t < n_frames; ++t) {
    const int j = t - pad;
    const float* prev = mel_db.frame(j);
    const float* cur = mel_db.frame(j + kLag);
    for (std::size_t b = 0; b < n_bins; ++b) diff[b] = std::max(0.0f, cur[b] - prev[b]);
    std::nth_element(diff.begin(), diff.begin() + static_cast<std::ptrdiff_t>(hi), diff.end());
    const float upper = diff[hi];
    if (even) {
      const float lower = *std::max_element(diff.begin(), diff.begin() + static_cast<std::ptrdiff_t>(hi));
      env[static_cast<std::size_t>(t)] = (lower + upper) / 2.0f;
    } else {
      env[static_cast<std::size_t>(t)] = upper;
    }
  }
  return env;
}

}  // namespace genrelab::dsp

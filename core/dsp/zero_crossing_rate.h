// Zero-crossing rate per frame exactly as librosa 0.7.2's feature.zero_crossing_rate(y) computes
// it: y padded by frame_length/2 on each side in numpy 'edge' mode, frames of frame_length every
// hop_length samples, |y| <= 1e-10 (float32) set to 0, a crossing wherever np.signbit differs from
// the previous sample of the same frame (0 counts as positive; the first sample of a frame is
// never a crossing), rate = crossings / frame_length in float64.
// Units: crossings per sample, in [0, 1). Thread-safety: pure function.
#pragma once

#include <span>
#include <vector>

namespace genrelab::dsp {

/// One float64 value per frame; frames: 1 + (len + 2*(frame_length/2) - frame_length) / hop_length.
/// The values are count / frame_length with integer counts, so they are exact (np.mean of a bool
/// array sums in float64 exactly). Throws std::invalid_argument for frame_length < 1,
/// hop_length < 1, or a padded signal shorter than one frame.
std::vector<double> zero_crossing_rate(std::span<const float> y, int frame_length = 2048, int hop_length = 512);

}  // namespace genrelab::dsp

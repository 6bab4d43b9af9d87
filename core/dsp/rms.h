// Root-mean-square energy per frame of a waveform exactly as librosa 0.7.2's feature.rms(y=y)
// computes it: y padded by frame_length/2 on each side in numpy 'reflect' mode, frames of
// frame_length every hop_length samples, no window, sqrt(mean(y**2)) in float32.
// Units: same as the samples (full scale 1.0). Thread-safety: pure function.
#pragma once

#include <span>
#include <vector>

namespace genrelab::dsp {

/// One float32 value per frame; frames: 1 + (len + 2*(frame_length/2) - frame_length) / hop_length
/// (1 + len/hop for even frame_length). Summation order: util.frame gives a (frame_length, T) view
/// whose frame axis is contiguous, np.abs(x)**2 keeps that (Fortran) layout, so np.mean(axis=0)
/// is numpy's float32 pairwise sum over each frame's contiguous squares, then / frame_length.
/// Throws std::invalid_argument for frame_length < 1, hop_length < 1, or a padded signal shorter
/// than one frame (librosa raises ParameterError there).
std::vector<float> rms(std::span<const float> y, int frame_length = 2048, int hop_length = 512);

}  // namespace genrelab::dsp

// Onset strength envelope as librosa 0.7.2's onset.onset_strength(y, sr, aggregate=np.median) computes
// it inside beat.beat_track: from the mel dB spectrogram (128-band mel power spectrogram with
// fmax 11025 -> power_to_db(ref 1, amin 1e-10, top_db 80), the same array MFCC uses), the first
// difference along time (lag 1) clipped at 0, the median over bands per frame, lag + n_fft / (2 hop)
// zeros prepended and the result cut to the frame count. float32, units dB per frame.
// Thread-safety: a free function on caller-owned data.
#pragma once

#include <vector>

#include "dsp/stft.h"

namespace genrelab::dsp {

/// The median-aggregated onset envelope of a frame-major mel dB spectrogram; length n_frames.
/// n_fft and hop_length (> 0, else std::invalid_argument) only set the centring shift
/// 1 + n_fft / (2 hop_length) (integer division), as librosa's center=True does.
std::vector<float> onset_strength_median(const Spectrogram& mel_db, int n_fft = 2048, int hop_length = 512);

}  // namespace genrelab::dsp

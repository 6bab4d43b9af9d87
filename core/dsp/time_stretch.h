// Time stretch and pitch shift for audio augmentation, as librosa 0.7.2's effects compute them:
// time_stretch = STFT (n_fft 2048, hop 512) -> phase vocoder -> inverse STFT, length
// round(n / rate); pitch_shift = time_stretch by 2^(-semitones/12), then resampling back to the
// original rate (libsoxr, high quality) and the original length. resample_by() alone changes
// speed and pitch together (a tape played faster).
// Thread-safety: pure functions (each call plans its own FFT; FFTW planning is serialised
// inside dsp::Stft).
#pragma once

#include <span>
#include <vector>

namespace genrelab::dsp {

/// Plays y `rate` times faster without changing its pitch (rate > 1: shorter). rate in
/// [0.25, 4]; throws std::invalid_argument otherwise. Output length round(y.size() / rate).
/// Signals shorter than one FFT frame are returned resampled in time by the same vocoder on the
/// reflect-padded frame (still valid, just few frames).
std::vector<float> time_stretch(std::span<const float> y, double rate);

/// Shifts the pitch of y by `semitones` (in [-24, 24]; throws std::invalid_argument otherwise)
/// keeping its duration: same length as y. `sample_rate` only sets the resampler's ratio.
std::vector<float> pitch_shift(std::span<const float> y, double sample_rate, double semitones);

/// Resamples y from in_rate to out_rate with libsoxr (high quality): length about
/// y.size() * out_rate / in_rate. Played at in_rate, the result is slower and lower for
/// out_rate > in_rate. Rates > 0 and a ratio in [1/16, 16]; throws std::invalid_argument.
std::vector<float> resample_by(std::span<const float> y, double in_rate, double out_rate);

}  // namespace genrelab::dsp

// librosa 0.7.2's power_to_db(S, ref, amin, top_db) on a float32 spectrogram, in place:
// 10 * log10(max(amin, S)) - 10 * log10(max(amin, |ref|)), then clipped from below at
// (max over the WHOLE array) - top_db. Every step is float32 as numpy does it for a float32 array
// (amin is rounded to float32; the floor max - top_db is taken in float64 and rounded to float32).
// Units: input power (any scale), output dB. Thread-safety: a free function on caller-owned data.
#pragma once

#include "dsp/stft.h"

namespace genrelab::dsp {

/// ref > 0 (the 0 dB power), amin > 0 (floor before the log), top_db >= 0 dB
/// (+infinity disables the clipping, librosa's top_db=None).
struct PowerToDbParams {
  double ref = 1.0;
  double amin = 1e-10;
  double top_db = 80.0;
};

/// Converts s from power to dB in place. Throws std::invalid_argument for amin <= 0, ref <= 0 or
/// top_db < 0 (librosa raises for the first and last; a non-positive ref has no meaning here).
void power_to_db(Spectrogram& s, const PowerToDbParams& params = {});

/// One float32 value as power_to_db computes it before the top_db clipping (ref = 1):
/// float32(10) * float32(log10(max(amin, x))).
float power_to_db_value(float x, float amin);

}  // namespace genrelab::dsp

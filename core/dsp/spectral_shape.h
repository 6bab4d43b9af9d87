// Spectral centroid, bandwidth and roll-off of a magnitude spectrogram exactly as librosa 0.7.2's
// feature.spectral_centroid / spectral_bandwidth / spectral_rolloff compute them with their
// defaults (S = |D|, freq = fft_frequencies, p = 2, norm = True, roll_percent = 0.85).
// Units: Hz. Per-frame values are float64, as librosa returns them.
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "dsp/stft.h"

namespace genrelab::dsp {

/// Per-frame spectral shape (each vector has one value per frame, in Hz).
struct SpectralShape {
  std::vector<double> centroid, bandwidth, rolloff;
};

/// `magnitude` is frame-major |D| (float32) with 1 + n_fft/2 bins; freq[k] = np.linspace(0, sr/2,
/// 1 + n_fft/2)[k]. For each frame, as librosa does it:
///  - util.normalize(S, norm=1): ΣS in float64 (numpy pairwise sum along the contiguous frequency
///    axis, |D| being Fortran-ordered), S/ΣS rounded to float32 (ΣS < float32 tiny: left as is);
///  - centroid = Σ freq·Snorm (float64 products, pairwise sum: the product keeps S's F order);
///  - bandwidth = sqrt(Σ Snorm·(freq − centroid)²): here the product is C-ordered (np.subtract.outer
///    makes the deviation C-ordered and numpy's iterator lets C order win), so np.sum(axis=0) adds
///    the bins one after the other;
///  - rolloff = freq of the first bin whose float32 sequential cumsum(S) is not below
///    float32(roll_percent)·cumsum[-1] (np.where(cumsum < threshold, nan, 1) then np.nanmin).
/// Throws std::invalid_argument on bad sizes, sample_rate <= 0 or roll_percent outside (0, 1).
SpectralShape spectral_shape(const Spectrogram& magnitude, int sample_rate = 22050, int n_fft = 2048,
                             double roll_percent = 0.85);

}  // namespace genrelab::dsp

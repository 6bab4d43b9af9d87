#include "dsp/mfcc.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace genrelab::dsp {

Mfcc::Mfcc(int n_mfcc, int n_mels, std::vector<double> basis)
    : n_mfcc_(n_mfcc), n_mels_(n_mels), basis_(std::move(basis)) {}

Mfcc Mfcc::create(int n_mfcc, int n_mels) {
  if (n_mels < 1) throw std::invalid_argument("mfcc: n_mels must be >= 1, got " + std::to_string(n_mels));
  if (n_mfcc < 1 || n_mfcc > n_mels)
    throw std::invalid_argument("mfcc: n_mfcc must be in [1, n_mels], got " + std::to_string(n_mfcc));
  // scipy's DCT-II: y[k] = 2 sum_n x[n] cos(pi k (2n + 1) / (2N)); norm='ortho' scales y[0] by
  // sqrt(1 / (4N)) and the others by sqrt(1 / (2N)).
  const auto n = static_cast<std::size_t>(n_mels);
  std::vector<double> basis(static_cast<std::size_t>(n_mfcc) * n);
  const double n_d = n_mels;
  for (int k = 0; k < n_mfcc; ++k) {
    const double scale = 2.0 * std::sqrt(1.0 / ((k == 0 ? 4.0 : 2.0) * n_d));
    for (int i = 0; i < n_mels; ++i) {
      // Reduce the angle's integer numerator mod 4N so that cos sees a small, exact argument.
      const long long num = (static_cast<long long>(k) * (2 * i + 1)) % (4LL * n_mels);
      basis[static_cast<std::size_t>(k) * n + static_cast<std::size_t>(i)] =
          scale * std::cos(std::numbers::pi * static_cast<double>(num) / (2.0 * n_d));
    }
  }
  return Mfcc(n_mfcc, n_mels, std::move(basis));
}

std::vector<std::vector<float>> Mfcc::compute(const Spectrogram& mel_db) const {
  if (mel_db.n_bins != n_mels_)
    throw std::invalid_argument("mfcc: spectrogram has " + std::to_string(mel_db.n_bins) + " bins, expected " +
                                std::to_string(n_mels_));
  const auto n_frames = static_cast<std::size_t>(mel_db.n_frames);
  const auto n = static_cast<std::size_t>(n_mels_);
  std::vector<std::vector<float>> out(static_cast<std::size_t>(n_mfcc_), std::vector<float>(n_frames));
  // scipy runs the DCT in float32 (pocketfft on the float32 input); we sum in float64 and round
  // once, which is within float32 rounding of it. Frames are processed in tiles, transposed so that
  // the inner loop runs over independent frames (vectorisable, fixed summation order per frame).
  constexpr std::size_t kTile = 32;
  std::vector<double> tile(n * kTile);
  std::array<double, kTile> acc{};
  for (std::size_t t0 = 0; t0 < n_frames; t0 += kTile) {
    const std::size_t nt = std::min(kTile, n_frames - t0);
    for (std::size_t j = 0; j < nt; ++j) {
      const float* x = mel_db.frame(static_cast<int>(t0 + j));
      for (std::size_t i = 0; i < n; ++i) tile[i * kTile + j] = static_cast<double>(x[i]);
    }
    for (std::size_t k = 0; k < static_cast<std::size_t>(n_mfcc_); ++k) {
      const double* b = basis_.data() + k * n;
      acc.fill(0.0);
      for (std::size_t i = 0; i < n; ++i) {
        const double bi = b[i];
        const double* xi = tile.data() + i * kTile;
        for (std::size_t j = 0; j < kTile; ++j) acc[j] += bi * xi[j];
      }
      float* dst = out[k].data() + t0;
      for (std::size_t j = 0; j < nt; ++j) dst[j] = static_cast<float>(acc[j]);
    }
  }
  return out;
}

}  // namespace genrelab::dsp

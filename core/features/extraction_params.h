// Every parameter of the GTZAN feature recipe (librosa 0.7.2 defaults), in one place. Written
// into each table's JSON sidecar so a table states how it was made.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "util/param_spec.h"

namespace genrelab::features {

struct ExtractionParams {
  int sample_rate = 22050;         ///< Hz; audio is resampled to this (librosa.load default)
  int n_fft = 2048;                ///< STFT size and Hann window length, samples (even, 64..65536)
  int hop_length = 512;            ///< samples between frames (1..n_fft)
  int n_mels = 128;                ///< mel bands for MFCC and onset strength (1..512)
  int n_mfcc = 20;                 ///< MFCC coefficients (1..n_mels); 20 gives the 57-column Kaggle schema
  double top_db = 80.0;            ///< power_to_db floor below the maximum, dB (> 0)
  double roll_percent = 0.85;      ///< spectral rolloff energy fraction (0..1)
  int hpss_kernel = 31;            ///< HPSS median filter width, frames and bins (odd, >= 3)
  double hpss_power = 2.0;         ///< HPSS soft-mask exponent (> 0)
  double hpss_margin = 1.0;        ///< HPSS soft-mask margin (>= 1)
  double tempo_start_bpm = 120.0;  ///< tempo prior centre, BPM (> 0)
  double tempo_std_bpm = 1.0;      ///< tempo prior width, octaves (> 0)
  double tempo_ac_size_s = 8.0;    ///< tempogram window, seconds (> 0)
  double tempo_max_bpm = 320.0;    ///< highest tempo considered, BPM (> 0)
  /// 3-s rows: segment i is samples [stride*i, stride*i + length); kept while stride*(i+1) < n,
  /// at most max_segments (0 = no limit). Kaggle: length 66149, stride 66150, 10 segments.
  std::int64_t segment_length = 66149;
  std::int64_t segment_stride = 66150;
  int max_segments = 10;

  /// Throws std::invalid_argument naming the first parameter out of range.
  void validate() const;
  /// Column names of the feature row (the 57 Kaggle names when n_mfcc == 20).
  std::vector<std::string> feature_names() const;

  friend bool operator==(const ExtractionParams&, const ExtractionParams&) = default;
};

/// Every field of ExtractionParams declared once (key, range, help, where the default comes from):
/// validate(), the JSON of sidecars, stores and bundles come from this table (util/param_spec.h).
const std::vector<Param<ExtractionParams>>& extraction_param_specs();

void to_json(nlohmann::json& j, const ExtractionParams& p);
/// Reads parameters; missing keys keep their defaults. Throws std::invalid_argument naming a
/// field of the wrong type.
void from_json(const nlohmann::json& j, ExtractionParams& p);

}  // namespace genrelab::features

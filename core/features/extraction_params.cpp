#include "features/extraction_params.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "dataset/kaggle_schema.h"

namespace genrelab::features {

const std::vector<Param<ExtractionParams>>& extraction_param_specs() {
  using E = ExtractionParams;
  constexpr std::string_view librosa = "librosa 0.7.2's defaults, as the Kaggle tables were made";
  // clang-format off: one parameter per entry, its fields in the order of Param
  static const std::vector<Param<E>> specs = {
      {.key = "sample_rate",
       .field = &E::sample_rate,
       .range = {1000, 384000},
       .label = "Sample rate (Hz)",
       .help = "Audio is resampled to this rate (librosa.load)",
       .chosen_on = librosa},
      {.key = "n_fft",
       .field = &E::n_fft,
       .range = {64, 65536},
       .label = "FFT size",
       .help = "STFT size and Hann window length, samples (even)",
       .chosen_on = librosa},
      {.key = "hop_length",
       .field = &E::hop_length,
       .range = {1, 65536},
       .label = "Hop",
       .help = "Samples between frames (at most the FFT size)",
       .chosen_on = librosa},
      {.key = "n_mels",
       .field = &E::n_mels,
       .range = {1, 512},
       .label = "Mel bands",
       .help = "Mel bands of the MFCC, the onset strength and the spectrogram",
       .chosen_on = librosa},
      {.key = "n_mfcc",
       .field = &E::n_mfcc,
       .range = {1, 512},
       .label = "MFCCs",
       .help = "MFCC coefficients (at most the mel bands); 20 gives the 57-column Kaggle schema",
       .chosen_on = librosa},
      {.key = "top_db",
       .field = &E::top_db,
       .range = {0, 200, true, false},
       .label = "Dynamic range (dB)",
       .help = "power_to_db floor below the maximum",
       .chosen_on = librosa},
      {.key = "roll_percent",
       .field = &E::roll_percent,
       .range = {0, 1, true, true},
       .help = "Spectral rolloff energy fraction",
       .chosen_on = librosa},
      {.key = "hpss_kernel",
       .field = &E::hpss_kernel,
       .range = {3, 1001},
       .help = "HPSS median filter width, frames and bins (odd)",
       .chosen_on = librosa},
      {.key = "hpss_power",
       .field = &E::hpss_power,
       .range = {0, 100, true, false},
       .help = "HPSS soft-mask exponent",
       .chosen_on = librosa},
      {.key = "hpss_margin",
       .field = &E::hpss_margin,
       .range = {1, 100},
       .help = "HPSS soft-mask margin",
       .chosen_on = librosa},
      {.key = "tempo_start_bpm",
       .field = &E::tempo_start_bpm,
       .range = {0, 1000, true, false},
       .help = "Tempo prior centre, BPM",
       .chosen_on = librosa},
      {.key = "tempo_std_bpm",
       .field = &E::tempo_std_bpm,
       .range = {0, 10, true, false},
       .help = "Tempo prior width, octaves",
       .chosen_on = librosa},
      {.key = "tempo_ac_size_s",
       .field = &E::tempo_ac_size_s,
       .range = {0, 600, true, false},
       .help = "Tempogram window, seconds",
       .chosen_on = librosa},
      {.key = "tempo_max_bpm",
       .field = &E::tempo_max_bpm,
       .range = {0, 2000, true, false},
       .help = "Highest tempo considered, BPM",
       .chosen_on = librosa},
      {.key = "segment_length",
       .field = &E::segment_length,
       .range = {1, 1e10},
       .help = "3-s rows: samples per segment (more than half the FFT size)",
       .chosen_on = "the Kaggle features_3_sec.csv (66149 samples)"},
      {.key = "segment_stride",
       .field = &E::segment_stride,
       .range = {1, 1e10},
       .help = "3-s rows: samples between segment starts",
       .chosen_on = "the Kaggle features_3_sec.csv (66150 samples)"},
      {.key = "max_segments",
       .field = &E::max_segments,
       .range = {0, 1000000},
       .help = "3-s rows: at most this many segments per clip (0: no limit)",
       .chosen_on = "the Kaggle features_3_sec.csv (10 per clip)"},
  };
  // clang-format on
  return specs;
}

void ExtractionParams::validate() const {
  check_params(extraction_param_specs(), *this, "extraction parameter ");
  const auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("extraction parameter ") + what);
  };
  require(n_fft % 2 == 0, "n_fft must be even");
  require(hop_length <= n_fft, "hop_length must be at most n_fft");
  require(n_mfcc <= n_mels, "n_mfcc must be at most n_mels");
  require(hpss_kernel % 2 == 1, "hpss_kernel must be odd");
  require(segment_length >= n_fft / 2 + 1, "segment_length must be more than n_fft / 2");
}

std::vector<std::string> ExtractionParams::feature_names() const {
  std::vector<std::string> names(dataset::kFeatureNames.begin(),
                                 dataset::kFeatureNames.begin() + dataset::kFirstMfccColumn);
  for (int i = 1; i <= n_mfcc; ++i) {
    names.push_back("mfcc" + std::to_string(i) + "_mean");
    names.push_back("mfcc" + std::to_string(i) + "_var");
  }
  return names;
}

void to_json(nlohmann::json& j, const ExtractionParams& p) {
  j = nlohmann::json::object();
  params_to_json(extraction_param_specs(), p, j);
}

void from_json(const nlohmann::json& j, ExtractionParams& p) {
  p = ExtractionParams{};
  params_from_json(extraction_param_specs(), j, p);
}

}  // namespace genrelab::features

#include "features/extraction_params.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "dataset/kaggle_schema.h"

namespace genrelab::features {
namespace {

void require(bool ok, const char* name, const std::string& range) {
  if (!ok) throw std::invalid_argument(std::string("extraction parameter ") + name + " must be " + range);
}

}  // namespace

void ExtractionParams::validate() const {
  require(sample_rate >= 1000 && sample_rate <= 384000, "sample_rate", "in [1000, 384000] Hz");
  require(n_fft >= 64 && n_fft <= 65536 && n_fft % 2 == 0, "n_fft", "even and in [64, 65536]");
  require(hop_length >= 1 && hop_length <= n_fft, "hop_length", "in [1, n_fft]");
  require(n_mels >= 1 && n_mels <= 512, "n_mels", "in [1, 512]");
  require(n_mfcc >= 1 && n_mfcc <= n_mels, "n_mfcc", "in [1, n_mels]");
  require(top_db > 0, "top_db", "> 0");
  require(roll_percent > 0 && roll_percent < 1, "roll_percent", "in (0, 1)");
  require(hpss_kernel >= 3 && hpss_kernel % 2 == 1, "hpss_kernel", "odd and >= 3");
  require(hpss_power > 0, "hpss_power", "> 0");
  require(hpss_margin >= 1, "hpss_margin", ">= 1");
  require(tempo_start_bpm > 0 && tempo_std_bpm > 0 && tempo_ac_size_s > 0 && tempo_max_bpm > 0, "tempo_*", "> 0");
  require(segment_length >= n_fft / 2 + 1 && segment_stride >= 1, "segment_length/segment_stride", "positive (length > n_fft/2)");
  require(max_segments >= 0, "max_segments", ">= 0");
}

std::vector<std::string> ExtractionParams::feature_names() const {
  std::vector<std::string> names(dataset::kFeatureNames.begin(), dataset::kFeatureNames.begin() + dataset::kFirstMfccColumn);
  for (int i = 1; i <= n_mfcc; ++i) {
    names.push_back("mfcc" + std::to_string(i) + "_mean");
    names.push_back("mfcc" + std::to_string(i) + "_var");
  }
  return names;
}

#define GENRELAB_PARAM_FIELDS(X)                                                                            \
  X(sample_rate) X(n_fft) X(hop_length) X(n_mels) X(n_mfcc) X(top_db) X(roll_percent) X(hpss_kernel)         \
  X(hpss_power) X(hpss_margin) X(tempo_start_bpm) X(tempo_std_bpm) X(tempo_ac_size_s) X(tempo_max_bpm)       \
  X(segment_length) X(segment_stride) X(max_segments)

void to_json(nlohmann::json& j, const ExtractionParams& p) {
  j = nlohmann::json::object();
#define X(name) j[#name] = p.name;
  GENRELAB_PARAM_FIELDS(X)
#undef X
}

void from_json(const nlohmann::json& j, ExtractionParams& p) {
  p = ExtractionParams{};
#define X(name) \
  if (j.contains(#name)) j.at(#name).get_to(p.name);
  GENRELAB_PARAM_FIELDS(X)
#undef X
}

}  // namespace genrelab::features

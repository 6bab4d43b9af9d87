// Genre prediction for whole songs with a model bundle: decode and resample to 22050 Hz mono
// (streamed, so memory stays bounded whatever the length), cut into windows of the model's
// training unit (30-s clips or 3-s segments), extract the 57 GTZAN features of each window, keep
// the bundle's input columns, apply its scaler, run the network and aggregate the windows.
// Torch-free header.
// Thread-safety: predict_*() may be called from several threads at once (the network runs under
// a lock; feature extraction, the dominant cost, runs in parallel).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/progress_fwd.h"

namespace genrelab::ml {

struct ModelBundle;

/// How per-window predictions become the song's.
enum class Aggregation {
  mean,  ///< mean of the window probabilities; the genre is its argmax
  vote,  ///< majority of the windows' genres (ties: higher mean probability); probabilities are vote shares
};
std::string_view to_string(Aggregation a) noexcept;
std::optional<Aggregation> parse_aggregation(std::string_view text) noexcept;

/// Training unit of 3-s segment rows (Kaggle's features_3_sec.csv), samples at 22050 Hz.
inline constexpr std::int64_t kSegmentRowLength = 66149;
/// Training unit of 30-s clip rows (GTZAN's usual clip length), samples at 22050 Hz.
inline constexpr std::int64_t kClipRowLength = 661794;

struct PredictOptions {
  double window_s = 0.0;  ///< window length in seconds; 0 = the model's training unit
  double hop_s = 0.0;     ///< seconds between window starts; 0 = half a window
  Aggregation aggregate = Aggregation::mean;
  unsigned jobs = 0;  ///< threads for a batch or the windows of one song; 0 = all cores
  /// Peak envelope of the song for display (SongPrediction::envelope): about this many points;
  /// 0 = none. At most 1,000,000.
  int envelope_points = 0;
  /// Keep every window's feature row (WindowPrediction::features, all of feature_names()), e.g. to
  /// find similar tracks. Costs one feature extraction per window extra for cnn2d models.
  bool keep_features = false;

  /// Throws std::invalid_argument for negative or non-finite values, or a hop longer than the window.
  void validate() const;
};

struct WindowPrediction {
  double start_s = 0.0, end_s = 0.0;
  int genre = 0;                     ///< index into label_names()
  std::vector<float> probabilities;  ///< per label
  /// With PredictOptions::keep_features: the window's features, one per Predictor::feature_names().
  std::vector<double> features;
};

struct SongPrediction {
  std::filesystem::path file;
  std::string error;  ///< non-empty when the file could not be classified (the rest is empty)
  std::string genre;  ///< top genre
  int genre_index = -1;
  double confidence = 0.0;                ///< probabilities[genre_index]
  std::vector<float> probabilities;       ///< per label (see Aggregation)
  std::vector<WindowPrediction> windows;  ///< in time order
  std::vector<std::string> warnings;
  double duration_s = 0.0;  ///< decoded length at 22050 Hz
  /// With PredictOptions::envelope_points: the largest |sample| of each run of envelope_step_s
  /// seconds of the decoded signal, in time order (for drawing the waveform).
  std::vector<float> envelope;
  double envelope_step_s = 0.0;

  bool ok() const noexcept { return error.empty(); }
};

class Predictor {
 public:
  /// Loads a bundle (FileError for an unreadable or inconsistent one) and checks that its input
  /// columns are GTZAN feature names (FileError otherwise).
  static Predictor load(const std::filesystem::path& bundle, const PredictOptions& options = {});
  static Predictor from_bundle(const ModelBundle& bundle, const PredictOptions& options = {});
  Predictor(Predictor&&) noexcept;
  Predictor& operator=(Predictor&&) noexcept;
  ~Predictor();

  const std::vector<std::string>& label_names() const noexcept;
  const PredictOptions& options() const noexcept;
  std::int64_t window_samples() const noexcept;  ///< at 22050 Hz
  std::int64_t hop_samples() const noexcept;
  int sample_rate() const noexcept;  ///< 22050
  /// Every feature GenreLab extracts from a window (WindowPrediction::features), in order.
  const std::vector<std::string>& feature_names() const noexcept;
  /// How the training unit was found ("bundle" when recorded, else a guess from the report).
  const std::string& unit_source() const noexcept;
  /// Where the extraction parameters come from: the table's, recorded in the bundle, or librosa's
  /// defaults when the bundle does not record them (bundles of older versions, Kaggle's tables).
  const std::string& extraction_source() const noexcept;

  /// Classifies one file, streaming it. Never throws for a bad file: the result carries `error`.
  /// Throws Cancelled when `cancel` is set. `progress` gets the fraction of the file decoded so far.
  SongPrediction predict_file(const std::filesystem::path& path, const CancelToken* cancel = nullptr,
                              ProgressSink* progress = nullptr) const;
  /// Classifies a mono signal at sample_rate().
  SongPrediction predict_samples(std::span<const float> mono, const CancelToken* cancel = nullptr) const;
  /// Classifies many files on options().jobs threads; results in input order. Progress per file.
  std::vector<SongPrediction> predict_files(const std::vector<std::filesystem::path>& files,
                                            ProgressSink* progress = nullptr,
                                            const CancelToken* cancel = nullptr) const;

 private:
  struct Impl;
  explicit Predictor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Expands folders (recursively, audio extensions only, sorted) and keeps files as given, in order.
/// A path that does not exist is kept so that its error shows in the results.
std::vector<std::filesystem::path> expand_audio_inputs(const std::vector<std::filesystem::path>& inputs);

}  // namespace genrelab::ml

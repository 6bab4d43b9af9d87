// A trained model in one file: everything needed to use it again on a feature table. Torch-free
// (the weights are plain float32 tensors), so the format can be read without libtorch.
//
// File layout (all integers little-endian):
//   8 bytes   magic "GLMODEL\0"
//   u32       format version (kBundleFormatVersion)
//   u32       0 (reserved)
//   u64       metadata length M, then M bytes of UTF-8 JSON: format_version, genrelab_version,
//             model (ModelParams), training (TrainParams), feature_set, filter, input_features
//             (ordered as the network sees them), dropped_features, scaler {mean, scale},
//             label_names, report (the training report), weights [{name, shape, offset, count}];
//             optional: row_length, log_mel (cnn2d: the log-mel parameters of its patches)
//   u64       weight byte length W, then W bytes of float32 values (offsets/counts in floats)
//   u64       FNV-1a 64 checksum of every byte before it
// Written atomically (temporary file + rename). The usual file extension is ".glmodel".
// Thread-safety: plain data; the functions are thread-safe for distinct files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "features/extraction_params.h"
#include "ml/model_spec.h"
#include "ml/network.h"

namespace genrelab::ml {

inline constexpr std::uint32_t kBundleFormatVersion = 1;
inline constexpr const char* kBundleExtension = ".glmodel";
/// load_bundle() refuses larger files (the study's CNN is about 1 MB; the largest network the
/// parameter ranges allow would not fit anyway).
inline constexpr std::uint64_t kMaxBundleBytes = std::uint64_t{1} << 30;

struct ModelBundle {
  ModelParams model;
  TrainParams training;
  std::string feature_set = "all";                   ///< "all", "filtered" or "mfcc" (see trainer.h)
  nlohmann::json filter = nlohmann::json::object();  ///< redundancy filter options used for "filtered"
  std::vector<std::string> input_features;           ///< table columns, in the order the network sees them
  std::vector<std::string> dropped_features;         ///< table columns the model does not use
  std::vector<double> scaler_mean;       ///< per input feature, table units (logged for model.log_variances)
  std::vector<double> scaler_scale;      ///< per input feature, table units, > 0
  std::vector<std::string> label_names;  ///< class code -> genre
  nlohmann::json report = nlohmann::json::object();  ///< the training report (trainer.h)
  /// Median `length` (samples at 22050 Hz) of the training table's rows: the unit the model was
  /// trained on (~661794 for 30-s clips, 66149 for 3-s segments). 0 = not recorded (bundles
  /// written before this field; optional metadata key "row_length").
  std::int64_t row_length = 0;
  /// cnn2d: the log-mel parameters (sample rate, n_fft, hop, n_mels, top_db) its patches were
  /// cut from (optional metadata key "log_mel"). A cnn2d bundle has no input_features, no scaler
  /// and feature_set "log_mel"; its input is a patch of model.mel_bands x model.patch_frames.
  std::optional<features::ExtractionParams> log_mel;
  /// Table models: how the table they learnt from was extracted (its sidecar; optional metadata
  /// key "extraction"). Prediction extracts the same way. Absent in bundles written before this
  /// field and for tables without a sidecar (e.g. Kaggle's CSVs): librosa's defaults are assumed.
  std::optional<features::ExtractionParams> extraction;
  std::vector<NamedTensor> weights;

  /// Inputs of the network: input_features.size(), or the patch size for cnn2d.
  std::size_t n_inputs() const noexcept;

  /// Consistency of the fields among themselves (sizes, finite statistics, unique names, labels,
  /// parameter ranges, weight count against the architecture's parameter count); does not build
  /// the network. Throws std::invalid_argument with the reason.
  void validate() const;
};

/// Writes the bundle atomically. Throws std::invalid_argument for an inconsistent bundle and
/// FileError when the file cannot be written.
void save_bundle(const std::filesystem::path& path, const ModelBundle& bundle);

/// Reads and checks a bundle: magic, format version, sizes, checksum, metadata fields and their
/// consistency, weight table, and that the weights hold exactly as many values as the network
/// the parameters describe. Throws FileError("<path>: <reason>") when anything does not fit.
/// Loading never executes anything from the file (no pickle or TorchScript: JSON and raw floats),
/// and nothing is allocated beyond the file's size (at most kMaxBundleBytes) before it is checked.
/// (Whether each weight's shape fits the architecture is checked when a Classifier is built.)
ModelBundle load_bundle(const std::filesystem::path& path);

}  // namespace genrelab::ml

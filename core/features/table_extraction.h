// Building Kaggle-format feature tables from audio files, on several threads, with progress,
// cancellation and per-file errors that never stop the batch.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dataset/feature_table.h"
#include "features/extraction_params.h"

namespace genrelab {
class CancelToken;
class ProgressSink;
}  // namespace genrelab

namespace genrelab::features {

/// One row per clip (features_30_sec.csv) or one row per 3-s segment (features_3_sec.csv).
enum class TableKind { Clips, Segments };

struct LabeledFile {
  std::filesystem::path path;
  std::string label;
};

struct ExtractOptions {
  TableKind kind = TableKind::Clips;
  unsigned jobs = 0;  ///< worker threads; 0 = all cores
  ExtractionParams params;
};

struct ExtractFailure {
  std::filesystem::path path;
  std::string reason;
};

struct ExtractResult {
  dataset::FeatureTable table;           ///< rows sorted by (label, file name, segment)
  std::vector<ExtractFailure> failures;  ///< in input order
  double audio_seconds = 0.0;            ///< total duration of the decoded audio
};

/// Extracts every file. Rows come out in a stable order whatever `jobs` is. A file that cannot be
/// decoded or is too short lands in `failures` and the rest go on. Throws Cancelled when `cancel`
/// is set (no partial result). Progress is reported per finished file.
ExtractResult extract_table(const std::vector<LabeledFile>& files, const ExtractOptions& options,
                            ProgressSink* progress = nullptr, const CancelToken* cancel = nullptr);

/// The JSON sidecar written next to a table (`<table>.json`): how it was made.
std::filesystem::path sidecar_path(const std::filesystem::path& table);
void write_sidecar(const std::filesystem::path& table, const ExtractOptions& options, const ExtractResult& result);

}  // namespace genrelab::features

// Building Kaggle-format feature tables from audio files, on several threads, with progress,
// cancellation and per-file errors that never stop the batch.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dataset/feature_table.h"
#include "features/extraction_params.h"
#include "features/sharding.h"
#include "util/progress_fwd.h"

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
  ExtractionParams params{};
  /// Feature store (dataset/feature_store.h) to reuse and fill; empty = none. Files whose path,
  /// size, modification time (or, when only the time changed, content hash) and parameters match
  /// are read from it; the others are extracted and committed one by one as they finish.
  std::filesystem::path store{};
  /// Only this shard of `files` is extracted (the store still records the whole list, for merging).
  ShardSpec shard{};
  /// With a store: also keep each file's log-mel spectrogram (compressed) for audio models.
  bool cache_log_mel = false;
};

struct ExtractFailure {
  std::filesystem::path path;
  std::string reason;
};

struct ExtractResult {
  dataset::FeatureTable table;           ///< rows sorted by (label, file name, segment)
  std::vector<ExtractFailure> failures;  ///< in input order
  double audio_seconds = 0.0;            ///< total duration of the decoded audio
  std::size_t files = 0;                 ///< files of this shard (all files without sharding)
  std::size_t reused = 0;                ///< files read from the store (including cached failures)
  std::size_t rehashed = 0;              ///< of those, files whose time changed but content did not
  std::size_t computed = 0;              ///< files extracted (or attempted) in this call
};

/// Extracts every file (of the shard). Rows come out in a stable order, (label, path), whatever
/// `jobs` is, with or without a store. A file that cannot be decoded or is too short lands in
/// `failures` and the rest go on. Throws Cancelled when `cancel` is set (no partial result; files
/// already committed to the store stay there). Throws FileError naming the store when it cannot be
/// opened or written. Progress is reported per finished file.
///
/// Reopening a dataset: call this with `store` set (the GUI: dataset::default_store_path(root));
/// when nothing changed it reads every row from the store without decoding any audio.
ExtractResult extract_table(const std::vector<LabeledFile>& files, const ExtractOptions& options,
                            ProgressSink* progress = nullptr, const CancelToken* cancel = nullptr);

/// Combines the stores of a sharded run (each written by extract_table with the same files, kind and
/// parameters and shard k/n for k = 1..n) into the table a single run would have produced, row for
/// row. Fills `options` (kind, parameters) from the stores. Throws FileError naming a store when
/// the shards disagree, a shard is missing or a file of the list has no entry (shard unfinished).
ExtractResult merge_shards(const std::vector<std::filesystem::path>& stores, ExtractOptions& options);

/// Hash of the parameters, table kind and recipe version that the store keys entries on.
std::string params_hash(const ExtractionParams& params);

/// The JSON sidecar written next to a table (`<table>.json`): how it was made.
std::filesystem::path sidecar_path(const std::filesystem::path& table);
void write_sidecar(const std::filesystem::path& table, const ExtractOptions& options, const ExtractResult& result);
/// The extraction parameters a table's sidecar records, or nullopt without a sidecar (tables
/// GenreLab did not write, e.g. Kaggle's: made with librosa's defaults). Throws FileError naming
/// the sidecar when it cannot be read or holds parameters out of range.
std::optional<ExtractionParams> read_sidecar_params(const std::filesystem::path& table);

/// "clips" or "segments": the kind under which the store files rows.
const char* kind_name(TableKind kind) noexcept;

}  // namespace genrelab::features

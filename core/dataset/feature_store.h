// The persistent feature store: one SQLite file (WAL mode) that remembers, per audio file and
// table kind, the features already extracted, so reopening a dataset reuses them and a changed
// file or changed parameters recompute only what is stale. CSV stays the interchange format;
// the store is a cache and a resume point.
//
// Schema (version kSchemaVersion, in table `meta`):
//   files(path, kind, params_hash, size, mtime_ns, content_hash, seconds, error)  unique (path, kind)
//   rows(file_id, segment, filename, length, features BLOB of doubles)            -1 = clip row
//   log_mel(file_id, n_mels, n_frames, encoding, data BLOB)  optional cache, zlib-compressed float32
//   run_files(position, path, label) + meta 'run': the file list of the last run (for merging shards)
// One transaction per stored file, so a killed process loses at most the files in flight and
// never leaves half a file. Thread-safe: one connection behind a mutex; several processes may
// share a store file (busy timeout), though each shard of a cluster run should have its own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace genrelab::dataset {

/// Size and modification time of a file: the cheap identity checked before any hashing.
struct FileStamp {
  std::int64_t size = -1;
  std::int64_t mtime_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};
/// The stamp of an existing regular file, or nullopt when it cannot be stat'ed.
std::optional<FileStamp> file_stamp(const std::filesystem::path& file);

struct StoredRow {
  std::string filename;  ///< as in the CSV: "blues.00000.wav" or "blues.00000.3.wav"
  std::int64_t length = 0;
  std::vector<double> features;
};

/// A cached log-mel spectrogram of a whole file (frame-major floats, dB), stored zlib-compressed.
struct StoredLogMel {
  int n_mels = 0;
  int n_frames = 0;
  std::vector<float> db;
};

/// What the store knows about one audio file for one table kind.
struct StoredFile {
  std::string path;         ///< the key: absolute, lexically normal path
  std::string kind;         ///< "clips" or "segments"
  std::string params_hash;  ///< hash of the extraction parameters and recipe version
  FileStamp stamp;
  std::uint64_t content_hash = 0;
  double seconds = 0.0;  ///< duration of the decoded audio
  std::string error;     ///< non-empty: extraction failed for this content (no rows)
  std::vector<StoredRow> rows;
  std::optional<StoredLogMel> log_mel;  ///< written by put() when set; find() leaves it empty (see log_mel())
};

/// The file list of the last extraction run into this store, before sharding, so shard stores can
/// be merged into exactly the table a single run would have written.
struct RunManifest {
  std::string kind;
  std::string params_json;  ///< ExtractionParams as JSON
  std::string params_hash;
  int shard_k = 1;  ///< this store holds shard k of n (1-based)
  int shard_n = 1;
  bool complete = false;  ///< the run finished (every file of the shard stored or failed)
  std::vector<std::pair<std::string, std::string>> files;  ///< (path key, label) in input order
  std::uint64_t list_hash() const;
};

class FeatureStore {
 public:
  static constexpr int kSchemaVersion = 1;

  /// Opens or creates the store (its folder must exist). Throws FileError naming `file` when it
  /// cannot be opened, is not a SQLite database, or was made by a newer GenreLab (schema version).
  static FeatureStore open(const std::filesystem::path& file);
  /// Opens an existing store (throws FileError "does not exist" rather than creating one).
  static FeatureStore open_existing(const std::filesystem::path& file);

  FeatureStore(FeatureStore&&) noexcept;
  FeatureStore& operator=(FeatureStore&&) noexcept;
  ~FeatureStore();

  const std::filesystem::path& path() const noexcept { return path_; }

  /// The stored entry of (path, kind) with its rows, or nullopt.
  std::optional<StoredFile> find(const std::string& path, const std::string& kind) const;
  /// Stores one file in one transaction, replacing any earlier entry of (path, kind) and its rows.
  void put(const StoredFile& file);
  /// Records a new stamp for an entry whose content hash was found unchanged (a touched file).
  void restamp(const std::string& path, const std::string& kind, const FileStamp& stamp);
  /// Number of (path, kind) entries.
  std::size_t size() const;

  /// The cached log-mel spectrogram of (path, kind), or nullopt. Throws FileError when the blob is damaged.
  std::optional<StoredLogMel> log_mel(const std::string& path, const std::string& kind) const;
  bool has_log_mel(const std::string& path, const std::string& kind) const;

  /// Replaces the run manifest (files rewritten only when the list changed).
  void set_run(const RunManifest& run);
  void mark_run_complete();
  std::optional<RunManifest> run() const;

  struct Db;  ///< the SQLite connection (defined in the .cpp)

 private:
  FeatureStore(std::filesystem::path path, std::unique_ptr<Db> db);
  std::filesystem::path path_;
  std::unique_ptr<Db> db_;
  mutable std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
};

/// The key under which the store files a path: absolute and lexically normal.
std::string store_key(const std::filesystem::path& file);

/// Where the GUI keeps the store of a dataset folder: <cache_dir()>/stores/<folder name>-<hash of
/// its absolute path>.sqlite (dataset folders may be read-only). Creates the stores folder.
std::filesystem::path default_store_path(const std::filesystem::path& dataset_root);

}  // namespace genrelab::dataset

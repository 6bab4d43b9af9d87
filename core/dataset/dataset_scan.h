// Scanning a dataset folder: the Kaggle GTZAN layout (genres_original/<genre>/*.wav,
// images_original/<genre>/*.png, features_30_sec.csv, features_3_sec.csv) or any folder of
// audio organised as <label>/<files>. Unreadable files are reported, never fatal.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audio/decode.h"
#include "util/progress_fwd.h"

namespace genrelab::dataset {

/// A readable audio file with its label (the folder it sits in).
struct Track {
  std::filesystem::path path;
  std::string label;
  std::string track_id;  ///< file name without extension, e.g. "blues.00000"
  audio::AudioInfo info;
};

/// A file that was passed over, and why.
struct SkippedFile {
  std::filesystem::path path;
  std::string reason;
};

/// A feature table found in the dataset folder.
struct TableFile {
  std::filesystem::path path;
  std::size_t rows = 0;
  std::string error;  ///< non-empty when the table could not be read
};

struct DatasetScan {
  std::filesystem::path root;
  bool kaggle_layout = false;                       ///< genres_original/ was found
  std::vector<std::string> labels;                  ///< sorted; labels with at least one readable track
  std::vector<Track> tracks;                        ///< sorted by (label, file name)
  std::vector<SkippedFile> skipped;                 ///< sorted by path
  std::optional<TableFile> table_30s;               ///< features_30_sec*.csv
  std::optional<TableFile> table_3s;                ///< features_3_sec*.csv
  std::optional<std::filesystem::path> images_dir;  ///< images_original/

  std::map<std::string, std::size_t> tracks_per_label() const;
  /// Kaggle's spectrogram image of a track (images_original/<genre>/<genre><digits>.png), if present.
  std::optional<std::filesystem::path> image_for(const Track& track) const;
};

struct ScanOptions {
  bool probe_audio = true;  ///< read each file's header (else files are listed unchecked)
  unsigned jobs = 0;        ///< threads for probing; 0 = all cores
  /// Label for audio files lying directly in the root folder; empty = skip them as unlabelled.
  std::string loose_files_label;
};

/// A folder's own name, as the label of the audio files lying directly in it ("genres/jazz/" and
/// "genres/jazz/." give "jazz"): the ScanOptions::loose_files_label of a folder given by hand.
std::string folder_label(const std::filesystem::path& folder);

/// Scans `root`. Throws FileError when root does not exist or is not a folder; every problem
/// with a single file lands in `skipped`. Cancellable (throws Cancelled); reports progress.
DatasetScan scan_dataset(const std::filesystem::path& root, const ScanOptions& options = {},
                         ProgressSink* progress = nullptr, const CancelToken* cancel = nullptr);

}  // namespace genrelab::dataset

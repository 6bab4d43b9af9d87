// A small synthetic dataset for a first run without GTZAN: a few "genres" that differ in rhythm
// and timbre (tempo, percussion, brightness, harmony), so every view and a training run make sense.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "util/progress_fwd.h"

namespace genrelab::dataset {

struct DemoSpec {
  int clips_per_genre = 8;
  double clip_seconds = 30.0;
  int sample_rate = 22050;
  unsigned seed = 2024;
};

/// Names of the demo genres, in order.
std::vector<std::string> demo_genres();

/// Writes <dir>/genres_original/<genre>/<genre>.NNNNN.wav (16-bit PCM mono), deterministic for a
/// seed. Skips the work when a complete dataset made with the same spec is already there
/// (marker file). Files are written atomically. Throws FileError when the folder is not writable.
std::filesystem::path ensure_demo_dataset(const std::filesystem::path& dir, const DemoSpec& spec = {},
                                          ProgressSink* progress = nullptr, const CancelToken* cancel = nullptr);

}  // namespace genrelab::dataset

// The Kaggle GTZAN feature tables as a reference for the DSP parity tests: rows looked up by
// filename (read with dataset::read_feature_table), the 30 shared clips, Kaggle's 3-second segment
// rule (FEATURES.md), and a worst-error accumulator that prints one table row per feature column.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dataset/feature_table.h"

namespace genrelab::test::kaggle {

/// A feature table in the Kaggle layout (features_30_sec.csv, the 3-s subset, or librosa's
/// reference_30s.csv) with its rows found by filename ("blues.00000.wav", "rock.00002.4.wav").
class ReferenceTable {
 public:
  explicit ReferenceTable(const std::filesystem::path& path);

  bool has(const std::string& filename) const { return rows_.count(filename) != 0; }
  /// The value of feature `column` (or of `length`) in the row of `filename`, exactly as
  /// read_feature_table parsed it; throws std::out_of_range if the row or column is missing.
  double value(const std::string& filename, std::string_view column) const;
  const dataset::FeatureTable& table() const noexcept { return table_; }

 private:
  dataset::FeatureTable table_;
  std::unordered_map<std::string, std::size_t> rows_;
};

/// features_30_sec.csv of the shared data (gtzan_dir()), read once. Throws without the shared
/// data: call GENRELAB_REQUIRE_GTZAN first.
const ReferenceTable& table_30s();
/// features_3_sec_subset_classical_jazz_rock.csv of the shared data, read once.
const ReferenceTable& table_3s_subset();

/// The 30 shared clips as track ids: <genre>.0000{0,1,2} for the 10 GTZAN genres.
std::vector<std::string> shared_clips();
/// The shared clips that have rows in the 3-s subset table (classical, jazz, rock): 9 clips.
std::vector<std::string> segmented_clips();
/// "blues" for "blues.00000".
std::string genre_of(const std::string& track);
/// The table row of a whole clip ("blues.00000.wav") and of its 3-s segment i ("blues.00000.4.wav").
std::string clip_row(const std::string& track);
std::string segment_row(const std::string& track, int i);
/// <gtzan>/genres_original/<genre>/<track>.wav
std::filesystem::path clip_path(const std::filesystem::path& gtzan, const std::string& track);
/// The clip decoded as the extractor reads it (mono, 22050 Hz).
std::vector<float> load_clip(const std::filesystem::path& gtzan, const std::string& track);

/// Kaggle's 3-s segments: segment i is y[66150 i, 66150 i + 66149), each processed on its own.
inline constexpr std::size_t kSegmentStride = 66150;
inline constexpr std::size_t kSegmentLength = 66149;
/// Segment i of y; empty when y is too short for it.
std::span<const float> segment(std::span<const float> y, int i);

using RowVisitor = std::function<void(const std::string& row, std::span<const float> y)>;
/// fn(clip_row(track), clip) for each of the 30 shared clips, in shared_clips() order. Stops at the
/// first fatal test failure (an ASSERT that failed inside fn).
void for_each_clip(const std::filesystem::path& gtzan, const RowVisitor& fn);
/// fn(segment_row(track, i), segment(clip, i)) for each row of `table` that is a segment
/// (i = 0..9) of one of segmented_clips(), clip by clip. A row whose segment lies past the end of
/// its clip is a fatal failure; like for_each_clip, stops at the first fatal failure.
void for_each_segment(const std::filesystem::path& gtzan, const ReferenceTable& table, const RowVisitor& fn);

/// The worst error of one feature column over many rows, for the printed tables.
struct WorstError {
  explicit WorstError(std::string column_name = {}) : column(std::move(column_name)) {}

  std::string column;
  int rows = 0;
  int bit_equal = 0;      ///< rows where got == want
  double abs = 0.0;       ///< worst |got - want|
  double rel = 0.0;       ///< worst |got - want| / |want| (infinite where want is 0 and got is not)
  std::string where_abs;  ///< row of the worst abs error (the first row while all are 0)
  std::string where_rel;  ///< row of the worst rel error; a NaN error is the worst and stays
  void add(const std::string& row, double got, double want);
};

/// One accumulator per column name, in order.
std::vector<WorstError> worst_errors(const std::vector<std::string>& columns);

/// Prints `title`, then per column: worst abs and rel errors with their rows, and the bit-equal count.
void print_table(const std::string& title, const std::vector<WorstError>& errors);

}  // namespace genrelab::test::kaggle

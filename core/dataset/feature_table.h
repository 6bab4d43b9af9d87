// Feature tables in the Kaggle GTZAN CSV layout: `filename,length,<features…>,label`.
// Plain data, no locking: share between threads only read-only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace genrelab::dataset {

/// Track id and segment index parsed from a table filename: "blues.00000.wav" is track
/// "blues.00000" (segment -1, a whole clip); "blues.00000.3.wav" is segment 3 of it.
struct TrackKey {
  std::string track_id;
  int segment = -1;
};
TrackKey parse_track_key(std::string_view filename);

/// Rows of features with their file, length (samples at 22050 Hz) and label.
struct FeatureTable {
  std::vector<std::string> feature_names;  ///< columns between `length` and `label`
  std::vector<std::string> filenames;
  std::vector<std::int64_t> lengths;
  std::vector<std::string> labels;
  std::vector<double> values;  ///< row-major, rows() x cols()

  std::size_t rows() const noexcept { return filenames.size(); }
  std::size_t cols() const noexcept { return feature_names.size(); }
  std::span<const double> row(std::size_t r) const { return {values.data() + r * cols(), cols()}; }
  double at(std::size_t r, std::size_t c) const { return values[r * cols() + c]; }
  /// Appends a row; `features` must have cols() values.
  void append(std::string filename, std::int64_t length, std::span<const double> features, std::string label);
  /// Index of a feature column, or -1.
  int column(std::string_view name) const noexcept;
  /// Distinct labels in order of first appearance.
  std::vector<std::string> label_names() const;
};

struct TableReadOptions {
  /// Require exactly the 57 Kaggle feature columns in Kaggle order (else any numeric columns
  /// between `filename,length` and `label` are accepted).
  bool require_kaggle_schema = true;
};

/// Reads a Kaggle-format CSV (CRLF, LF or CR line ends, optional UTF-8 BOM, RFC 4180 double
/// quotes (which may hold commas and line breaks), blank lines ignored), streaming: memory is the
/// table itself (10^6 Kaggle rows: about 0.5 GB of values). Throws TableError with line and column
/// for a bad header, a row with the wrong number of cells, a non-numeric or non-finite cell, a
/// length that is not a sample count, an unclosed quote or an empty label.
FeatureTable read_feature_table(const std::filesystem::path& path, const TableReadOptions& options = {});

/// Counts data rows of a CSV cheaply (non-blank lines after the header); throws FileError.
std::size_t count_table_rows(const std::filesystem::path& path);

/// Problems of a header against the Kaggle schema ("missing column 'tempo'", …); empty when it fits.
std::vector<std::string> kaggle_schema_problems(const std::vector<std::string>& header);

/// Writes the table atomically in the Kaggle format (LF line ends, numbers as Python's repr; names
/// holding commas, quotes, line breaks or edge spaces are quoted). Throws FileError, writing
/// nothing, when a value is not finite (the reader would refuse it).
void write_feature_table(const std::filesystem::path& path, const FeatureTable& table);

}  // namespace genrelab::dataset

#include "dataset/feature_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "dataset/csv_reader.h"
#include "dataset/kaggle_schema.h"
#include "util/atomic_file.h"
#include "util/csv.h"
#include "util/error.h"
#include "util/float_format.h"

namespace genrelab::dataset {
namespace {

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

TrackKey parse_track_key(std::string_view filename) {
  std::string_view name = filename;
  if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (const auto dot = name.find_last_of('.'); dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  TrackKey key;
  // "<genre>.<5 digits>.<segment>": the last dot-part is a segment index when the part before
  // it is itself numeric (so "blues.00000" alone is a whole track).
  const auto last = name.find_last_of('.');
  if (last != std::string_view::npos) {
    const auto prev = name.substr(0, last).find_last_of('.');
    const auto seg = name.substr(last + 1);
    if (prev != std::string_view::npos && is_digits(seg) && is_digits(name.substr(prev + 1, last - prev - 1)) &&
        seg.size() <= 4) {
      key.track_id = std::string(name.substr(0, last));
      std::from_chars(seg.data(), seg.data() + seg.size(), key.segment);
      return key;
    }
  }
  key.track_id = std::string(name);
  return key;
}

void FeatureTable::append(std::string filename, std::int64_t length, std::span<const double> features,
                          std::string label) {
  if (features.size() != cols()) throw std::invalid_argument("FeatureTable::append: wrong number of features");
  filenames.push_back(std::move(filename));
  lengths.push_back(length);
  labels.push_back(std::move(label));
  values.insert(values.end(), features.begin(), features.end());
}

int FeatureTable::column(std::string_view name) const noexcept {
  const auto it = std::find(feature_names.begin(), feature_names.end(), name);
  return it == feature_names.end() ? -1 : static_cast<int>(it - feature_names.begin());
}

std::vector<std::string> FeatureTable::label_names() const {
  std::vector<std::string> names;
  for (const auto& l : labels)
    if (std::find(names.begin(), names.end(), l) == names.end()) names.push_back(l);
  return names;
}

std::vector<std::string> kaggle_schema_problems(const std::vector<std::string>& header) {
  std::vector<std::string> problems;
  if (header.empty() || header.front() != "filename") problems.push_back("first column must be 'filename'");
  if (header.size() < 2 || header[1] != "length") problems.push_back("second column must be 'length'");
  if (header.empty() || header.back() != "label") problems.push_back("last column must be 'label'");
  for (const auto name : kFeatureNames)
    if (std::find(header.begin(), header.end(), name) == header.end())
      problems.push_back("missing column '" + std::string(name) + "'");
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto& h = header[i];
    if (h == "filename" || h == "length" || h == "label") continue;
    if (std::find(kFeatureNames.begin(), kFeatureNames.end(), h) == kFeatureNames.end())
      problems.push_back("unexpected column '" + h + "'");
  }
  if (problems.empty()) {
    for (std::size_t i = 0; i < kFeatureCount; ++i)
      if (header[i + 2] != kFeatureNames[i]) {
        problems.push_back("column '" + header[i + 2] + "' is out of Kaggle order (expected '" +
                           std::string(kFeatureNames[i]) + "')");
        break;
      }
  }
  return problems;
}

namespace {

/// A cell as an error message shows it: at most 40 characters (a cell may be megabytes long).
std::string shown(std::string_view cell) {
  return cell.size() <= 40 ? std::string(cell)
                           : std::string(cell.substr(0, 40)) + "... (" + std::to_string(cell.size()) + " characters)";
}

/// A `length` cell: a non-negative whole number of samples ("661794" or "661794.0").
bool parse_length(std::string_view cell, std::int64_t& out) {
  const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), out);
  if (ec == std::errc() && ptr == cell.data() + cell.size()) return out >= 0;
  double v = 0;
  const auto [dptr, dec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  // 2^62 bounds any real length and keeps the cast defined.
  if (dec != std::errc() || dptr != cell.data() + cell.size() || !std::isfinite(v) || v < 0 || v != std::floor(v) ||
      v > 4.6e18)
    return false;
  out = static_cast<std::int64_t>(v);
  return true;
}

}  // namespace

FeatureTable read_feature_table(const std::filesystem::path& path, const TableReadOptions& options) {
  CsvReader reader(path);
  std::vector<std::string> header;
  if (!reader.next(header)) throw FileError(path, "empty table (no header)");
  const long header_line = reader.line();
  if (options.require_kaggle_schema) {
    if (const auto problems = kaggle_schema_problems(header); !problems.empty())
      throw TableError(
          path, header_line, "",
          "not a Kaggle GTZAN feature table: " + problems.front() +
              (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more problems)" : ""));
  } else {
    if (header.size() < 3 || header.front() != "filename" || header.back() != "label")
      throw TableError(path, header_line, "", "header must start with 'filename' and end with 'label'");
  }
  const bool has_length = header.size() > 1 && header[1] == "length";
  const std::size_t first_feature = has_length ? 2 : 1;
  FeatureTable table;
  table.feature_names.assign(header.begin() + static_cast<std::ptrdiff_t>(first_feature), header.end() - 1);
  if (table.feature_names.empty()) throw TableError(path, header_line, "", "no feature columns");
  {
    std::vector<std::string> sorted = header;
    std::sort(sorted.begin(), sorted.end());
    if (const auto dup = std::adjacent_find(sorted.begin(), sorted.end()); dup != sorted.end())
      throw TableError(path, header_line, *dup, "duplicate column");
  }

  std::vector<double> row(table.cols());
  std::vector<std::string> cells;
  while (reader.next(cells)) {
    const long line_no = reader.line();
    if (cells.size() != header.size())
      throw TableError(path, line_no, "",
                       "expected " + std::to_string(header.size()) + " cells, found " + std::to_string(cells.size()));
    const std::string_view filename = cells.front();
    if (filename.empty()) throw TableError(path, line_no, "filename", "empty filename");
    std::int64_t length = 0;
    if (has_length && !parse_length(cells[1], length))
      throw TableError(path, line_no, "length", "not a sample count: '" + shown(cells[1]) + "'");
    for (std::size_t c = 0; c < table.cols(); ++c) {
      const std::string_view cell = cells[first_feature + c];
      double v = 0;
      const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec == std::errc::result_out_of_range && ptr == cell.data() + cell.size())
        throw TableError(path, line_no, table.feature_names[c], "number out of range: '" + shown(cell) + "'");
      if (cell.empty() || ec != std::errc() || ptr != cell.data() + cell.size())
        throw TableError(path, line_no, table.feature_names[c], "not a number: '" + shown(cell) + "'");
      if (!std::isfinite(v))
        throw TableError(path, line_no, table.feature_names[c], "non-finite value '" + shown(cell) + "'");
      row[c] = v;
    }
    if (cells.back().empty()) throw TableError(path, line_no, "label", "empty label");
    table.append(std::move(cells.front()), length, row, std::move(cells.back()));
  }
  return table;
}

std::size_t count_table_rows(const std::filesystem::path& path) {
  CsvReader reader(path);
  std::vector<std::string> cells;
  std::size_t n = 0;
  if (!reader.next(cells)) return 0;
  while (reader.next(cells)) ++n;
  return n;
}

void write_feature_table(const std::filesystem::path& path, const FeatureTable& table) {
  // Never write a table that read_feature_table() would refuse.
  for (std::size_t i = 0; i < table.values.size(); ++i)
    if (!std::isfinite(table.values[i]))
      throw FileError(path, "row " + std::to_string(i / table.cols() + 1) + " (" + table.filenames[i / table.cols()] +
                                "), column '" + table.feature_names[i % table.cols()] +
                                "': non-finite value, not written");
  write_file_atomically(path, [&](std::ostream& out) {
    out << "filename,length";
    for (const auto& name : table.feature_names) out << ',' << csv_cell(name);
    out << ",label\n";
    for (std::size_t r = 0; r < table.rows(); ++r) {
      out << csv_cell(table.filenames[r]) << ',' << table.lengths[r];
      for (const double v : table.row(r)) out << ',' << python_float_repr(v);
      out << ',' << csv_cell(table.labels[r]) << '\n';
    }
  });
}

}  // namespace genrelab::dataset

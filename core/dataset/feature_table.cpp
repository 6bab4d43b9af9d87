#include "dataset/feature_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "features/kaggle_schema.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/float_format.h"

namespace genrelab::dataset {
namespace {

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

/// Splits one CSV line into cells (RFC 4180 quotes; no embedded newlines).
std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.push_back(std::move(cell));
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(std::move(cell));
  return cells;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Reads the whole file and splits it into lines on \r\n, \n or \r.
std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw FileError(path, "file does not exist or is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "cannot open file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  if (text.find('\0') != std::string::npos) throw FileError(path, "not a text file (contains NUL bytes)");
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
      lines.emplace_back(text, start, i - start);
      if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  return lines;
}

bool blank(std::string_view line) { return trim(line).empty(); }

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

void FeatureTable::append(std::string filename, std::int64_t length, std::span<const double> features, std::string label) {
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
  for (const auto name : features::kFeatureNames)
    if (std::find(header.begin(), header.end(), name) == header.end())
      problems.push_back("missing column '" + std::string(name) + "'");
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto& h = header[i];
    if (h == "filename" || h == "length" || h == "label") continue;
    if (std::find(features::kFeatureNames.begin(), features::kFeatureNames.end(), h) == features::kFeatureNames.end())
      problems.push_back("unexpected column '" + h + "'");
  }
  if (problems.empty()) {
    for (std::size_t i = 0; i < features::kFeatureCount; ++i)
      if (header[i + 2] != features::kFeatureNames[i]) {
        problems.push_back("column '" + header[i + 2] + "' is out of Kaggle order (expected '" +
                           std::string(features::kFeatureNames[i]) + "')");
        break;
      }
  }
  return problems;
}

FeatureTable read_feature_table(const std::filesystem::path& path, const TableReadOptions& options) {
  const auto lines = read_lines(path);
  std::size_t first = 0;
  while (first < lines.size() && blank(lines[first])) ++first;
  if (first == lines.size()) throw FileError(path, "empty table (no header)");
  std::vector<std::string> header;
  for (auto& cell : split_csv_line(lines[first])) header.emplace_back(trim(cell));
  const long header_line = static_cast<long>(first) + 1;
  if (options.require_kaggle_schema) {
    if (const auto problems = kaggle_schema_problems(header); !problems.empty())
      throw TableError(path, header_line, "", "not a Kaggle GTZAN feature table: " + problems.front() +
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
  for (std::size_t a = 0; a < header.size(); ++a)
    for (std::size_t b = a + 1; b < header.size(); ++b)
      if (header[a] == header[b]) throw TableError(path, header_line, header[a], "duplicate column");

  std::vector<double> row(table.cols());
  for (std::size_t li = first + 1; li < lines.size(); ++li) {
    if (blank(lines[li])) continue;
    const long line_no = static_cast<long>(li) + 1;
    const auto cells = split_csv_line(lines[li]);
    if (cells.size() != header.size())
      throw TableError(path, line_no, "", "expected " + std::to_string(header.size()) + " cells, found " + std::to_string(cells.size()));
    const auto filename = trim(cells.front());
    if (filename.empty()) throw TableError(path, line_no, "filename", "empty filename");
    std::int64_t length = 0;
    if (has_length) {
      const auto cell = trim(cells[1]);
      double v = 0;
      const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(v) || v < 0 || v != std::floor(v))
        throw TableError(path, line_no, "length", "not a sample count: '" + std::string(cell) + "'");
      length = static_cast<std::int64_t>(v);
    }
    for (std::size_t c = 0; c < table.cols(); ++c) {
      const auto cell = trim(cells[first_feature + c]);
      double v = 0;
      const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (cell.empty() || ec != std::errc() || ptr != cell.data() + cell.size())
        throw TableError(path, line_no, table.feature_names[c], "not a number: '" + std::string(cell) + "'");
      if (!std::isfinite(v)) throw TableError(path, line_no, table.feature_names[c], "non-finite value '" + std::string(cell) + "'");
      row[c] = v;
    }
    const auto label = trim(cells.back());
    if (label.empty()) throw TableError(path, line_no, "label", "empty label");
    table.append(std::string(filename), length, row, std::string(label));
  }
  return table;
}

std::size_t count_table_rows(const std::filesystem::path& path) {
  const auto lines = read_lines(path);
  std::size_t n = 0;
  bool header_seen = false;
  for (const auto& l : lines) {
    if (blank(l)) continue;
    if (header_seen) ++n;
    header_seen = true;
  }
  return n;
}

void write_feature_table(const std::filesystem::path& path, const FeatureTable& table) {
  write_file_atomically(path, [&](std::ostream& out) {
    out << "filename,length";
    for (const auto& name : table.feature_names) out << ',' << name;
    out << ",label\n";
    for (std::size_t r = 0; r < table.rows(); ++r) {
      out << table.filenames[r] << ',' << table.lengths[r];
      for (const double v : table.row(r)) out << ',' << python_float_repr(v);
      out << ',' << table.labels[r] << '\n';
    }
  });
}

}  // namespace genrelab::dataset

// Test helpers shared by the chroma / spectral-shape / rms+zcr parity tests: a minimal reader of
// the Kaggle feature tables (CRLF, no quoting), the list of shared clips, the 3-s segment rule,
// and a worst-error accumulator that prints one table row per feature.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace genrelab::test::chroma_block {

/// A Kaggle features CSV (features_30_sec.csv or the 3-s subset): rows keyed by filename.
class KaggleTable {
 public:
  explicit KaggleTable(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF endings
      if (line.empty()) continue;
      std::vector<std::string> fields;
      std::size_t pos = 0;
      while (true) {
        const std::size_t comma = line.find(',', pos);
        fields.push_back(line.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      if (first) {
        for (std::size_t i = 0; i < fields.size(); ++i) column_[fields[i]] = i;
        first = false;
      } else {
        rows_[fields.at(0)] = std::move(fields);
      }
    }
  }
  bool has(const std::string& filename) const { return rows_.count(filename) != 0; }
  /// The value as written (Python's float repr round-trips through strtod).
  double value(const std::string& filename, const std::string& column) const {
    return std::strtod(rows_.at(filename).at(column_.at(column)).c_str(), nullptr);
  }

 private:
  std::map<std::string, std::size_t> column_;
  std::map<std::string, std::vector<std::string>> rows_;
};

/// The 30 shared clips: <genre>.0000{0,1,2}.wav for the 10 genres.
inline std::vector<std::string> shared_clips() {
  static const char* genres[] = {"blues", "classical", "country", "disco", "hiphop",
                                 "jazz",  "metal",     "pop",     "reggae", "rock"};
  std::vector<std::string> names;
  for (const char* g : genres)
    for (int i = 0; i < 3; ++i) names.push_back(std::string(g) + ".0000" + std::to_string(i));
  return names;
}

/// The clips that have rows in the 3-s subset table (classical, jazz, rock).
inline std::vector<std::string> segmented_clips() {
  std::vector<std::string> names;
  for (const char* g : {"classical", "jazz", "rock"})
    for (int i = 0; i < 3; ++i) names.push_back(std::string(g) + ".0000" + std::to_string(i));
  return names;
}

inline std::filesystem::path clip_path(const std::filesystem::path& gtzan, const std::string& track) {
  return gtzan / "genres_original" / track.substr(0, track.find('.')) / (track + ".wav");
}

/// Kaggle's 3-s segment i: y[66150 * i : 66150 * i + 66149] (stride 66150, length 66149; see
/// FEATURES.md). Empty when the clip is too short for it.
inline std::span<const float> segment(const std::vector<float>& y, int i) {
  constexpr std::size_t kStride = 66150, kLength = 66149;
  const std::size_t start = kStride * static_cast<std::size_t>(i);
  if (start + kLength > y.size()) return {};
  return std::span<const float>(y).subspan(start, kLength);
}

/// Worst relative error of one feature column over many rows, with a bit-equality count.
struct WorstError {
  explicit WorstError(std::string name) : column(std::move(name)) {}
  std::string column;
  double worst = 0.0;
  std::string where;
  int rows = 0;
  int bit_equal = 0;
  void add(const std::string& row, double got, double want) {
    ++rows;
    if (got == want) ++bit_equal;
    const double rel = want == 0.0 ? std::abs(got) : std::abs(got - want) / std::abs(want);
    if (!(rel <= worst)) {  // also records NaN
      worst = rel;
      where = row;
    }
  }
};

inline void print_table(const std::string& title, const std::vector<WorstError>& errors) {
  std::printf("%s\n  %-26s %14s  %-22s %s\n", title.c_str(), "column", "worst rel err", "at", "bit-equal");
  for (const auto& e : errors)
    std::printf("  %-26s %14.3e  %-22s %d/%d\n", e.column.c_str(), e.worst, e.where.c_str(), e.bit_equal, e.rows);
  std::fflush(stdout);
}

}  // namespace genrelab::test::chroma_block

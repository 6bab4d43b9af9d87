#include "support/kaggle_reference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <stdexcept>

#include "audio/decode.h"
#include "support/test_data.h"

namespace genrelab::test::kaggle {

namespace {

std::filesystem::path required_gtzan_dir() {
  const auto dir = gtzan_dir();
  if (!dir) throw std::runtime_error("shared GTZAN data not found (set GENRELAB_DATA)");
  return *dir;
}

std::vector<std::string> clips_of(std::initializer_list<const char*> genres) {
  std::vector<std::string> tracks;
  for (const char* g : genres)
    for (int i = 0; i < 3; ++i) tracks.push_back(std::string(g) + ".0000" + std::to_string(i));
  return tracks;
}

// NaN is worse than anything and is never replaced.
bool worse(double err, double worst) { return !std::isnan(worst) && !(err <= worst); }

}  // namespace

ReferenceTable::ReferenceTable(const std::filesystem::path& path) : table_(dataset::read_feature_table(path)) {
  for (std::size_t r = 0; r < table_.rows(); ++r) rows_.emplace(table_.filenames[r], r);
}

double ReferenceTable::value(const std::string& filename, std::string_view column) const {
  const auto row = rows_.find(filename);
  if (row == rows_.end()) throw std::out_of_range("no row " + filename);
  if (column == "length") return static_cast<double>(table_.lengths[row->second]);
  const int col = table_.column(column);
  if (col < 0) throw std::out_of_range("no column " + std::string(column));
  return table_.at(row->second, static_cast<std::size_t>(col));
}

const ReferenceTable& table_30s() {
  static const ReferenceTable table(required_gtzan_dir() / "features_30_sec.csv");
  return table;
}

const ReferenceTable& table_3s_subset() {
  static const ReferenceTable table(required_gtzan_dir() / "features_3_sec_subset_classical_jazz_rock.csv");
  return table;
}

std::vector<std::string> shared_clips() {
  return clips_of({"blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"});
}

std::vector<std::string> segmented_clips() { return clips_of({"classical", "jazz", "rock"}); }

std::string genre_of(const std::string& track) { return track.substr(0, track.find('.')); }

std::string clip_row(const std::string& track) { return track + ".wav"; }

std::string segment_row(const std::string& track, int i) { return track + "." + std::to_string(i) + ".wav"; }

std::filesystem::path clip_path(const std::filesystem::path& gtzan, const std::string& track) {
  return gtzan / "genres_original" / genre_of(track) / clip_row(track);
}

std::vector<float> load_clip(const std::filesystem::path& gtzan, const std::string& track) {
  return audio::load_mono(clip_path(gtzan, track));
}

std::span<const float> segment(std::span<const float> y, int i) {
  const std::size_t start = kSegmentStride * static_cast<std::size_t>(i);
  if (start + kSegmentLength > y.size()) return {};
  return y.subspan(start, kSegmentLength);
}

void for_each_clip(const std::filesystem::path& gtzan, const RowVisitor& fn) {
  for (const auto& track : shared_clips()) {
    fn(clip_row(track), load_clip(gtzan, track));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

void for_each_segment(const std::filesystem::path& gtzan, const ReferenceTable& table, const RowVisitor& fn) {
  for (const auto& track : segmented_clips()) {
    const auto y = load_clip(gtzan, track);
    for (int i = 0; i < 10; ++i) {
      const std::string row = segment_row(track, i);
      if (!table.has(row)) continue;
      const auto seg = segment(y, i);
      ASSERT_FALSE(seg.empty()) << row;
      fn(row, seg);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

void WorstError::add(const std::string& row, double got, double want) {
  ++rows;
  if (got == want) ++bit_equal;
  const double a = std::abs(got - want);
  const double r = a == 0.0 ? 0.0 : want == 0.0 ? std::numeric_limits<double>::infinity() : a / std::abs(want);
  if (rows == 1 || worse(a, abs)) {
    abs = a;
    where_abs = row;
  }
  if (rows == 1 || worse(r, rel)) {
    rel = r;
    where_rel = row;
  }
}

std::vector<WorstError> worst_errors(const std::vector<std::string>& columns) {
  std::vector<WorstError> errors;
  for (const auto& c : columns) errors.emplace_back(c);
  return errors;
}

void print_table(const std::string& title, const std::vector<WorstError>& errors) {
  std::printf("%s\n  %-24s %10s  %-22s %10s  %-22s %s\n", title.c_str(), "column", "worst abs", "at", "worst rel", "at",
              "bit-equal");
  for (const auto& e : errors)
    std::printf("  %-24s %10.3e  %-22s %10.3e  %-22s %d/%d\n", e.column.c_str(), e.abs, e.where_abs.c_str(), e.rel,
                e.where_rel.c_str(), e.bit_equal, e.rows);
  std::fflush(stdout);
}

}  // namespace genrelab::test::kaggle

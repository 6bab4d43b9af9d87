#include "features/table_extraction.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "dataset/dataset_scan.h"
#include "dataset/demo_dataset.h"
#include "support/test_data.h"
#include "util/error.h"
#include "util/progress.h"

using namespace genrelab;
namespace fs = std::filesystem;

namespace {

std::vector<features::LabeledFile> demo_files(const fs::path& dir) {
  dataset::ensure_demo_dataset(dir, {.clips_per_genre = 2, .clip_seconds = 7.0});
  std::vector<features::LabeledFile> files;
  for (const auto& t : dataset::scan_dataset(dir).tracks) files.push_back({t.path, t.label});
  std::reverse(files.begin(), files.end());  // input order must not matter
  return files;
}

}  // namespace

TEST(TableExtraction, StableOrderWhateverTheJobCount) {
  const auto files = demo_files(test::temp_dir("extract-order"));
  features::ExtractOptions one{.kind = features::TableKind::Clips, .jobs = 1, .params = {}};
  features::ExtractOptions two = one;
  two.jobs = 2;
  const auto a = features::extract_table(files, one);
  const auto b = features::extract_table(files, two);
  ASSERT_EQ(a.table.rows(), 10u);
  EXPECT_EQ(a.table.filenames, b.table.filenames);
  EXPECT_EQ(a.table.values, b.table.values);  // bit-identical
  EXPECT_EQ(a.table.filenames.front(), "breaks.00000.wav");
  EXPECT_EQ(a.table.labels.back(), "swell");
  EXPECT_NEAR(a.audio_seconds, 70.0, 1e-9);
}

TEST(TableExtraction, SegmentsAndFailuresGoOn) {
  const auto dir = test::temp_dir("extract-segments");
  auto files = demo_files(dir / "demo");
  std::ofstream(dir / "broken.wav") << "not audio";
  files.insert(files.begin() + 3, {dir / "broken.wav", "pulse"});
  files.push_back({dir / "missing.wav", "pulse"});
  NullProgress progress;
  const auto r =
      features::extract_table(files, {.kind = features::TableKind::Segments, .jobs = 2, .params = {}}, &progress);
  // 7-s clips: segments start at 0 and 66150 (2 * 66150 < 154350 < 3 * 66150) -> 2 rows each.
  EXPECT_EQ(r.table.rows(), 20u);
  EXPECT_EQ(r.table.filenames[1], "breaks.00000.1.wav");
  EXPECT_EQ(r.table.lengths[1], 66149);
  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_EQ(r.failures[0].path.filename(), "broken.wav");
  EXPECT_NE(r.failures[0].reason.find("not a decodable"), std::string::npos);
  EXPECT_NE(r.failures[1].reason.find("does not exist"), std::string::npos);

  const auto csv = dir / "t.csv";
  dataset::write_feature_table(csv, r.table);
  features::write_sidecar(csv, {.kind = features::TableKind::Segments, .jobs = 2, .params = {}}, r);
  const auto back = dataset::read_feature_table(csv);
  EXPECT_EQ(back.values, r.table.values);  // repr round-trips every double
  const auto meta = nlohmann::json::parse(std::ifstream(features::sidecar_path(csv)));
  EXPECT_EQ(meta["parameters"]["n_fft"], 2048);
  EXPECT_EQ(meta["rows"], 20);
  EXPECT_EQ(meta["failures"].size(), 2u);

  // The parameters travel with the table: its sidecar gives them back; no sidecar, none; a broken
  // one is an error naming it.
  EXPECT_EQ(features::read_sidecar_params(csv), features::ExtractionParams{});
  EXPECT_EQ(features::read_sidecar_params(dir / "no-such-table.csv"), std::nullopt);
  std::ofstream(features::sidecar_path(csv)) << R"({"parameters": {"n_fft": 2047}})";
  try {
    features::read_sidecar_params(csv);
    ADD_FAILURE() << "an odd n_fft was accepted";
  } catch (const FileError& e) {
    EXPECT_EQ(e.file(), features::sidecar_path(csv));
    EXPECT_NE(e.reason().find("n_fft must be even"), std::string::npos) << e.what();
  }
}

TEST(TableExtraction, TooShortFilesAreReported) {
  const auto dir = test::temp_dir("extract-short");
  dataset::ensure_demo_dataset(dir, {.clips_per_genre = 1, .clip_seconds = 1.0});
  const auto file = dir / "genres_original/drone/drone.00000.wav";
  const auto segs =
      features::extract_table({{file, "drone"}}, {.kind = features::TableKind::Segments, .jobs = 1, .params = {}});
  ASSERT_EQ(segs.failures.size(), 1u);
  EXPECT_NE(segs.failures[0].reason.find("too short for one segment"), std::string::npos);
  const auto clips = features::extract_table({{file, "drone"}}, {});
  EXPECT_EQ(clips.table.rows(), 1u);  // one second is enough for a clip row
}

TEST(TableExtraction, CancelThrowsAndReturnsNothing) {
  const auto files = demo_files(test::temp_dir("extract-cancel"));
  CancelToken cancel;
  cancel.cancel();
  EXPECT_THROW(features::extract_table(files, {}, nullptr, &cancel), Cancelled);
}

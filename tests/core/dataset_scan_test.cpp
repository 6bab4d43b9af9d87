#include "dataset/dataset_scan.h"

#include <gtest/gtest.h>

#include <fstream>

#include "dataset/demo_dataset.h"
#include "support/test_data.h"
#include "util/error.h"
#include "util/progress.h"

using namespace genrelab;
namespace fs = std::filesystem;

TEST(DatasetScan, SharedGtzanSubset) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto scan = dataset::scan_dataset(gtzan);
  EXPECT_TRUE(scan.kaggle_layout);
  EXPECT_EQ(scan.labels.size(), 10u);
  EXPECT_EQ(scan.tracks.size(), 30u);
  for (const auto& [label, n] : scan.tracks_per_label()) EXPECT_EQ(n, 3u) << label;
  ASSERT_EQ(scan.skipped.size(), 1u);
  EXPECT_EQ(scan.skipped[0].path.filename(), "jazz.00054.wav");
  EXPECT_NE(scan.skipped[0].reason.find("not a decodable audio file"), std::string::npos);
  ASSERT_TRUE(scan.table_30s);
  EXPECT_EQ(scan.table_30s->rows, 1000u);
  ASSERT_TRUE(scan.table_3s);
  EXPECT_EQ(scan.table_3s->rows, 2996u);
  ASSERT_TRUE(scan.images_dir);
  EXPECT_TRUE(scan.image_for(scan.tracks[3]));   // classical.00000 has a Kaggle image
  EXPECT_FALSE(scan.image_for(scan.tracks[0]));  // blues images are not in the subset
  // Stable order: by label, then file name.
  EXPECT_EQ(scan.tracks.front().track_id, "blues.00000");
  EXPECT_EQ(scan.tracks.back().track_id, "rock.00002");
}

TEST(DatasetScan, MissingOrFileRootIsAnError) {
  const auto dir = test::temp_dir("scan-missing");
  EXPECT_THROW(dataset::scan_dataset(dir / "nope"), FileError);
  std::ofstream(dir / "file.txt") << "x";
  EXPECT_THROW(dataset::scan_dataset(dir / "file.txt"), FileError);
  const auto empty = dataset::scan_dataset(dir);
  EXPECT_TRUE(empty.tracks.empty());
  EXPECT_TRUE(empty.labels.empty());
}

TEST(DatasetScan, BadFilesAreSkippedWithReasonsAndTheRestGoesOn) {
  const auto dir = test::temp_dir("scan-bad");
  dataset::ensure_demo_dataset(dir / "src", {.clips_per_genre = 1, .clip_seconds = 1.0});
  fs::create_directories(dir / "ds/rock");
  fs::create_directories(dir / "ds/jazz/live");
  fs::copy_file(dir / "src/genres_original/pulse/pulse.00000.wav", dir / "ds/rock/good one.wav");
  fs::copy_file(dir / "src/genres_original/drone/drone.00000.wav", dir / "ds/jazz/live/nested.wav");
  std::ofstream(dir / "ds/rock/empty.wav").close();
  std::ofstream(dir / "ds/rock/text.mp3") << "hello";
  std::ofstream(dir / "ds/rock/notes.txt") << "ignored: not audio";
  fs::copy_file(dir / "ds/rock/good one.wav", dir / "ds/top-level.wav");
  fs::create_directory_symlink(dir / "ds", dir / "ds/jazz/loop");  // a link loop must not trap the walk
  const auto scan = dataset::scan_dataset(dir / "ds");
  EXPECT_FALSE(scan.kaggle_layout);
  EXPECT_EQ(scan.labels, (std::vector<std::string>{"jazz", "rock"}));
  ASSERT_EQ(scan.tracks.size(), 2u);
  EXPECT_EQ(scan.tracks[0].label, "jazz");  // nested folders keep the top-level label
  ASSERT_EQ(scan.skipped.size(), 3u);
  for (const auto& s : scan.skipped) {
    const auto name = s.path.filename().string();
    if (name == "empty.wav") EXPECT_NE(s.reason.find("empty file"), std::string::npos);
    else if (name == "text.mp3") EXPECT_NE(s.reason.find("not a decodable"), std::string::npos);
    else if (name == "top-level.wav") EXPECT_NE(s.reason.find("not inside a label folder"), std::string::npos);
    else ADD_FAILURE() << "unexpected skip " << s.path;
  }
}

TEST(DatasetScan, Cancels) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  CancelToken cancel;
  cancel.cancel();
  EXPECT_THROW(dataset::scan_dataset(gtzan, {}, nullptr, &cancel), Cancelled);
}

TEST(DemoDataset, GeneratesOnceAndScans) {
  const auto dir = test::temp_dir("demo");
  const dataset::DemoSpec spec{.clips_per_genre = 2, .clip_seconds = 4.0};
  dataset::ensure_demo_dataset(dir, spec);
  const auto scan = dataset::scan_dataset(dir);
  EXPECT_TRUE(scan.kaggle_layout);
  EXPECT_EQ(scan.labels, dataset::demo_genres());
  EXPECT_EQ(scan.tracks.size(), 10u);
  EXPECT_TRUE(scan.skipped.empty());
  for (const auto& t : scan.tracks) {
    EXPECT_EQ(t.info.sample_rate, 22050);
    EXPECT_EQ(t.info.frames, 4 * 22050);
  }
  const auto file = dir / "genres_original/pulse/pulse.00001.wav";
  const auto before = fs::last_write_time(file);
  dataset::ensure_demo_dataset(dir, spec);  // complete already: nothing rewritten
  EXPECT_EQ(fs::last_write_time(file), before);
}

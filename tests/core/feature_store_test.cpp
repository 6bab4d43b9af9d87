#include "dataset/feature_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "dataset/dataset_scan.h"
#include "dataset/demo_dataset.h"
#include "features/table_extraction.h"
#include "support/test_data.h"
#include "util/error.h"
#include "util/progress.h"

using namespace genrelab;
namespace fs = std::filesystem;

namespace {

std::vector<features::LabeledFile> short_clips(const fs::path& dir, int per_genre = 2) {
  // 3.5-s clips: one 3-s segment each, and a few milliseconds of extraction per file.
  dataset::ensure_demo_dataset(dir, {.clips_per_genre = per_genre, .clip_seconds = 3.5});
  std::vector<features::LabeledFile> files;
  for (const auto& t : dataset::scan_dataset(dir, {.probe_audio = false, .jobs = 0, .loose_files_label = {}}).tracks)
    files.push_back({t.path, t.label});
  return files;
}

/// Rewrites bytes near the end of a file (inside the PCM data): same size, other content.
void change_content(const fs::path& file) {
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (std::size_t i = bytes.size() - 2000; i < bytes.size() - 1000; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x55);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

int row_of(const dataset::FeatureTable& t, const std::string& filename) {
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (t.filenames[r] == filename) return static_cast<int>(r);
  return -1;
}

/// Cancels its token after `after` finished files.
class CancelAfter final : public ProgressSink {
 public:
  CancelAfter(CancelToken& token, int after) : token_(token), left_(after) {}
  void report(double, std::string_view message) override {
    if (message.find(".wav") != std::string_view::npos && --left_ <= 0) token_.cancel();
  }

 private:
  CancelToken& token_;
  std::atomic<int> left_;
};

}  // namespace

TEST(FeatureStore, PutFindReplaceAndLogMel) {
  const auto dir = test::temp_dir("store-basic");
  auto store = dataset::FeatureStore::open(dir / "s.sqlite");
  dataset::StoredFile f{"/a/b.wav", "segments", "p1", {123, 456}, 0xFFFF'FFFF'FFFF'FFF0ull, 6.0, "", {}, std::nullopt};
  f.rows = {{"b.0.wav", 66149, {1.5, -2.0, 1e-300}}, {"b.1.wav", 66149, {3.0, 4.0, 5.0}}};
  f.log_mel = dataset::StoredLogMel{2, 3, {-80.f, -1.f, 0.f, -3.5f, -2.f, -10.f}};
  store.put(f);
  auto back = store.find("/a/b.wav", "segments");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->stamp, f.stamp);
  EXPECT_EQ(back->content_hash, f.content_hash);  // the full 64 bits survive SQLite's signed integers
  ASSERT_EQ(back->rows.size(), 2u);
  EXPECT_EQ(back->rows[1].filename, "b.1.wav");
  EXPECT_EQ(back->rows[0].features, f.rows[0].features);  // bit-exact doubles
  EXPECT_FALSE(store.find("/a/b.wav", "clips"));
  const auto mel = store.log_mel("/a/b.wav", "segments");
  ASSERT_TRUE(mel);
  EXPECT_EQ(mel->n_frames, 3);
  EXPECT_EQ(mel->db, f.log_mel->db);

  f.rows.pop_back();
  f.log_mel.reset();
  store.put(f);  // replaces the entry, its rows and its spectrogram
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.find("/a/b.wav", "segments")->rows.size(), 1u);
  EXPECT_FALSE(store.has_log_mel("/a/b.wav", "segments"));
  store.restamp("/a/b.wav", "segments", {123, 999});
  EXPECT_EQ(store.find("/a/b.wav", "segments")->stamp.mtime_ns, 999);
}

TEST(FeatureStore, ErrorsNameTheStoreFile) {
  const auto dir = test::temp_dir("store-errors");
  std::ofstream(dir / "not-a-store.sqlite") << "filename,length,label\nthis is a CSV, not a database\n";
  try {
    dataset::FeatureStore::open(dir / "not-a-store.sqlite");
    FAIL() << "no exception";
  } catch (const FileError& e) {
    EXPECT_EQ(e.file(), dir / "not-a-store.sqlite");
    EXPECT_NE(e.reason().find("not a usable GenreLab feature store"), std::string::npos) << e.reason();
  }
  EXPECT_THROW(dataset::FeatureStore::open_existing(dir / "missing.sqlite"), FileError);
  EXPECT_THROW(dataset::FeatureStore::open(dir / "no-such-folder" / "s.sqlite"), FileError);
  EXPECT_FALSE(fs::exists(dir / "no-such-folder"));  // never created behind the user's back
  // A store from a newer GenreLab: refused with both versions named.
  { dataset::FeatureStore::open(dir / "newer.sqlite"); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "newer.sqlite").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  try {
    dataset::FeatureStore::open(dir / "newer.sqlite");
    FAIL() << "no exception";
  } catch (const FileError& e) {
    EXPECT_NE(e.reason().find("schema version 99"), std::string::npos) << e.reason();
  }
}

TEST(FeatureStore, ReopenReusesTouchedFilesAndRecomputesOnlyChangedOnes) {
  const auto dir = test::temp_dir("store-stale");
  const auto files = short_clips(dir / "audio");
  const features::ExtractOptions plain{.kind = features::TableKind::Clips, .jobs = 2, .params = {}};
  auto with_store = plain;
  with_store.store = dir / "s.sqlite";

  const auto reference = features::extract_table(files, plain);
  const auto first = features::extract_table(files, with_store);
  EXPECT_EQ(first.computed, 10u);
  EXPECT_EQ(first.reused, 0u);
  EXPECT_EQ(first.table.values, reference.table.values);  // the store changes nothing in the table

  const auto again = features::extract_table(files, with_store);
  EXPECT_EQ(again.computed, 0u);
  EXPECT_EQ(again.reused, 10u);
  EXPECT_EQ(again.table.filenames, reference.table.filenames);
  EXPECT_EQ(again.table.values, reference.table.values);
  EXPECT_EQ(again.audio_seconds, reference.audio_seconds);

  // Touched (new time, same bytes): the content hash says unchanged, nothing is extracted.
  const auto& touched = files[3].path;
  fs::last_write_time(touched, fs::last_write_time(touched) + std::chrono::seconds(10));
  const auto after_touch = features::extract_table(files, with_store);
  EXPECT_EQ(after_touch.computed, 0u);
  EXPECT_EQ(after_touch.rehashed, 1u);
  EXPECT_EQ(after_touch.table.values, reference.table.values);
  EXPECT_EQ(features::extract_table(files, with_store).rehashed, 0u);  // the new time was recorded

  // Changed bytes (same size): only that file is extracted again, and its row changes.
  const auto& changed = files[6].path;
  change_content(changed);
  const auto after_change = features::extract_table(files, with_store);
  EXPECT_EQ(after_change.computed, 1u);
  EXPECT_EQ(after_change.reused, 9u);
  const int r = row_of(after_change.table, changed.filename().string());
  ASSERT_GE(r, 0);
  EXPECT_NE(after_change.table.at(static_cast<std::size_t>(r), 0), reference.table.at(static_cast<std::size_t>(r), 0));
  const auto fresh = features::extract_table(files, plain);
  EXPECT_EQ(after_change.table.values, fresh.table.values);

  // 3-s rows are a separate kind in the same store: first time, all extracted.
  auto segments = with_store;
  segments.kind = features::TableKind::Segments;
  EXPECT_EQ(features::extract_table(files, segments).computed, 10u);
  EXPECT_EQ(features::extract_table(files, segments).reused, 10u);
  EXPECT_EQ(features::extract_table(files, with_store).reused, 10u);  // clips entries untouched
}

TEST(FeatureStore, ChangedParameterMakesEveryFileStale) {
  const auto dir = test::temp_dir("store-params");
  const auto files = short_clips(dir / "audio", 1);
  features::ExtractOptions options{.kind = features::TableKind::Clips, .jobs = 2, .params = {}};
  options.store = dir / "s.sqlite";
  EXPECT_EQ(features::extract_table(files, options).computed, 5u);
  options.params.roll_percent = 0.9;
  const auto changed = features::extract_table(files, options);
  EXPECT_EQ(changed.computed, 5u);
  EXPECT_EQ(changed.reused, 0u);
  EXPECT_EQ(features::extract_table(files, options).reused, 5u);
  options.params.roll_percent = 0.85;  // back to the default: one entry per (file, kind), so extracted again
  EXPECT_EQ(features::extract_table(files, options).computed, 5u);
}

TEST(FeatureStore, FailuresAreRememberedAndLogMelIsCached) {
  const auto dir = test::temp_dir("store-failures");
  auto files = short_clips(dir / "audio", 1);
  std::ofstream(dir / "broken.wav") << "not audio";
  files.push_back({dir / "broken.wav", "pulse"});
  files.push_back({dir / "missing.wav", "pulse"});
  features::ExtractOptions options{.kind = features::TableKind::Clips, .jobs = 1, .params = {}};
  options.store = dir / "s.sqlite";
  options.cache_log_mel = true;
  const auto first = features::extract_table(files, options);
  ASSERT_EQ(first.failures.size(), 2u);
  const auto again = features::extract_table(files, options);
  EXPECT_EQ(again.computed, 1u);  // only the missing file is tried again; the broken one is remembered
  ASSERT_EQ(again.failures.size(), 2u);
  EXPECT_EQ(again.failures[0].reason, first.failures[0].reason);
  auto store = dataset::FeatureStore::open(options.store);
  const auto mel = store.log_mel(dataset::store_key(files[0].path), "clips");
  ASSERT_TRUE(mel);
  EXPECT_EQ(mel->n_mels, 128);
  EXPECT_EQ(mel->n_frames, 1 + static_cast<int>(3.5 * 22050) / 512);  // centred frames
}

TEST(FeatureStore, CancelKeepsFinishedFilesAndTheRerunResumes) {
  const auto dir = test::temp_dir("store-cancel");
  const auto files = short_clips(dir / "audio");
  features::ExtractOptions options{.kind = features::TableKind::Clips, .jobs = 1, .params = {}};
  options.store = dir / "s.sqlite";
  CancelToken cancel;
  CancelAfter sink(cancel, 4);
  EXPECT_THROW(features::extract_table(files, options, &sink, &cancel), Cancelled);
  EXPECT_EQ(dataset::FeatureStore::open(options.store).size(), 4u);
  EXPECT_FALSE(dataset::FeatureStore::open(options.store).run()->complete);
  const auto resumed = features::extract_table(files, options);
  EXPECT_EQ(resumed.reused, 4u);
  EXPECT_EQ(resumed.computed, 6u);
  EXPECT_EQ(resumed.table.values, features::extract_table(files, {}).table.values);
}

TEST(FeatureStore, ShardStoresMergeIntoTheSingleRunTable) {
  const auto dir = test::temp_dir("store-merge");
  auto files = short_clips(dir / "audio");
  files.push_back(files[2]);  // a duplicate in the list stays a duplicate row, as in a single run
  files.push_back({dir / "missing.wav", "drone"});
  features::ExtractOptions options{.kind = features::TableKind::Segments, .jobs = 1, .params = {}};
  const auto single = features::extract_table(files, options);
  std::vector<fs::path> stores;
  std::size_t shard_files = 0;
  for (int k = 3; k >= 1; --k) {
    auto shard = options;
    shard.shard = {k, 3};
    shard.store = dir / ("shard-" + std::to_string(k) + ".sqlite");
    shard_files += features::extract_table(files, shard).files;
    stores.push_back(shard.store);
    if (k == 2) {  // two of three: refused, naming the missing shard
      features::ExtractOptions merged;
      EXPECT_THROW(features::merge_shards(stores, merged), FileError);
    }
  }
  EXPECT_EQ(shard_files, files.size());
  features::ExtractOptions merged;
  const auto result = features::merge_shards(stores, merged);
  EXPECT_EQ(merged.kind, features::TableKind::Segments);
  EXPECT_EQ(result.table.filenames, single.table.filenames);
  EXPECT_EQ(result.table.labels, single.table.labels);
  EXPECT_EQ(result.table.values, single.table.values);
  EXPECT_EQ(result.failures.size(), 1u);

  auto other = options;  // a store of another run cannot join
  other.shard = {1, 3};
  other.store = dir / "other.sqlite";
  other.params.n_mfcc = 13;
  features::extract_table(std::vector(files.begin(), files.begin() + 3), other);
  stores[2] = other.store;
  EXPECT_THROW(features::merge_shards(stores, merged), FileError);
}

TEST(FeatureStore, DefaultStorePathIsPerDatasetInTheCache) {
  const auto dir = test::temp_dir("store-default");
  const char* old = std::getenv("XDG_CACHE_HOME");
  const std::string saved = old ? old : "";
  setenv("XDG_CACHE_HOME", dir.c_str(), 1);
  const auto a = dataset::default_store_path("/data/music/gtzan");
  const auto b = dataset::default_store_path("/data/music/gtzan/");
  const auto c = dataset::default_store_path("/other/gtzan");
  if (old) setenv("XDG_CACHE_HOME", saved.c_str(), 1);
  else unsetenv("XDG_CACHE_HOME");
  EXPECT_EQ(a.parent_path(), dir / "genrelab" / "stores");
  EXPECT_TRUE(fs::is_directory(a.parent_path()));
  EXPECT_EQ(a.filename().string().rfind("gtzan-", 0), 0u) << a;
  EXPECT_EQ(a.extension(), ".sqlite");
  EXPECT_NE(a, c);  // same folder name, other dataset
  EXPECT_EQ(b, a);  // a trailing slash names the same folder
}

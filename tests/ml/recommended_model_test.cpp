// The recommended model (ml/recommended_model.h): its cache by table content (miss, hit, changed
// table, other extraction parameters, corrupt or foreign cache file), the table hash, which
// protocol it is scored on, and the words that describe a bundle.
#include <gtest/gtest.h>

#include <fstream>

#include "dataset/feature_table.h"
#include "ml/model_bundle.h"
#include "ml/recommended_model.h"
#include "ml/trainer.h"
#include "ml_test_util.h"
#include "support/test_data.h"
#include "util/error.h"

namespace {

using namespace genrelab;
namespace fs = std::filesystem;

/// 3 genres x 10 clips of 6 features: not GTZAN, so folds score it (small: every training runs
/// the preset's 256-candidate search in each of 5 folds and for the final model).
dataset::FeatureTable table() { return test::blob_table(3, 10, 6, 3.0, 3); }

TEST(RecommendedModel, CacheMissThenHitThenChangedTable) {
  const auto cache = test::temp_dir("recommended-cache");
  const auto t = table();
  features::ExtractionParams params;  // how the table was extracted (its sidecar)
  params.hop_length = 256;
  const auto first = ml::recommended_model(t, "blobs.csv", params, cache, 2);
  EXPECT_FALSE(first.from_cache);
  EXPECT_TRUE(first.cache_problem.empty());
  EXPECT_TRUE(first.save_problem.empty()) << first.save_problem;
  ASSERT_TRUE(fs::exists(first.file));
  EXPECT_EQ(first.file, ml::recommended_model_file(cache, t));
  EXPECT_EQ(first.file.parent_path(), cache / "models");
  EXPECT_EQ(first.bundle.report["preset"], "krr_lda");
  EXPECT_EQ(first.bundle.report["table"], "blobs.csv");
  EXPECT_EQ(first.bundle.report["protocol"], "grouped");  // not GTZAN: track-grouped folds
  EXPECT_GT(first.bundle.report["mean_accuracy"].get<double>(), 0.8);
  EXPECT_EQ(first.bundle.extraction, params);  // so prediction extracts songs the same way

  // Hit: the same bundle, read from the file, without training.
  const auto second = ml::recommended_model(t, "blobs.csv", params, cache, 2);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.file, first.file);
  ASSERT_EQ(second.bundle.weights.size(), first.bundle.weights.size());
  for (std::size_t i = 0; i < first.bundle.weights.size(); ++i)
    EXPECT_EQ(second.bundle.weights[i].values, first.bundle.weights[i].values) << first.bundle.weights[i].name;
  EXPECT_EQ(second.bundle.report.dump(), first.bundle.report.dump());
  EXPECT_EQ(second.bundle.extraction, params);

  // One value changed: another cache entry, trained anew; the first entry stays.
  auto changed = t;
  changed.values[17] += 0.5;
  const auto third = ml::recommended_model(changed, "blobs.csv", params, cache, 2);
  EXPECT_FALSE(third.from_cache);
  EXPECT_NE(third.file, first.file);
  EXPECT_TRUE(fs::exists(first.file));
  EXPECT_TRUE(ml::recommended_model(changed, "blobs.csv", params, cache, 2).from_cache);

  // The same values said to come from other extraction parameters (a sidecar removed since): retrained.
  const auto other = ml::recommended_model(t, "blobs.csv", std::nullopt, cache, 2);
  EXPECT_FALSE(other.from_cache);
  EXPECT_NE(other.cache_problem.find("other parameters"), std::string::npos) << other.cache_problem;
  EXPECT_FALSE(other.bundle.extraction.has_value());
}

TEST(RecommendedModel, CorruptOrForeignCacheFileIsRetrainedAndReplaced) {
  const auto cache = test::temp_dir("recommended-corrupt");
  const auto t = table();
  const auto file = ml::recommended_model_file(cache, t);
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << "GLMODEL\0 truncated";
  const auto fixed = ml::recommended_model(t, "blobs.csv", std::nullopt, cache, 2);
  EXPECT_FALSE(fixed.from_cache);
  EXPECT_NE(fixed.cache_problem.find(file.string()), std::string::npos) << fixed.cache_problem;
  EXPECT_NO_THROW(ml::load_bundle(file));  // replaced by a complete bundle
  EXPECT_TRUE(ml::recommended_model(t, "blobs.csv", std::nullopt, cache, 2).from_cache);

  // A valid bundle of another table copied under this table's name is not taken for it.
  auto other = t;
  other.labels[0] = "g1";
  const auto other_model = ml::recommended_model(other, "other.csv", std::nullopt, cache, 2);
  fs::copy_file(other_model.file, file, fs::copy_options::overwrite_existing);
  const auto again = ml::recommended_model(t, "blobs.csv", std::nullopt, cache, 2);
  EXPECT_FALSE(again.from_cache);
  EXPECT_NE(again.cache_problem.find("another table"), std::string::npos) << again.cache_problem;
}

TEST(RecommendedModel, UnwritableCacheStillGivesTheModel) {
  const auto dir = test::temp_dir("recommended-unwritable");
  const auto blocker = dir / "file";
  std::ofstream(blocker) << "a file where the cache folder should be";
  const auto m = ml::recommended_model(table(), "blobs.csv", std::nullopt, blocker, 2);
  EXPECT_FALSE(m.from_cache);
  EXPECT_FALSE(m.save_problem.empty());
  EXPECT_FALSE(m.bundle.weights.empty());
}

TEST(RecommendedModel, TableHashSeesEveryFieldTrainingReads) {
  const auto t = table();
  const auto h = ml::table_content_hash(t);
  EXPECT_EQ(ml::table_content_hash(table()), h);
  auto a = t;
  a.feature_names[3] = "other";
  auto b = t;
  b.filenames[5] = "g0.99999.wav";
  auto c = t;
  c.labels[7] = "g3";
  auto d = t;
  d.lengths[9] = 66149;
  auto e = t;
  e.values.back() = std::nextafter(e.values.back(), 1e9);
  for (const auto* x : {&a, &b, &c, &d, &e}) EXPECT_NE(ml::table_content_hash(*x), h);
}

TEST(RecommendedModel, GtzanIsScoredOnUnseenArtists) {
  GENRELAB_REQUIRE_GTZAN(dir);
  const auto gtzan = dataset::read_feature_table(dir / "features_30_sec.csv");
  const auto options = ml::recommended_options(gtzan, 2);
  ASSERT_TRUE(options.split.has_value());
  EXPECT_EQ(options.split->name, "fault-filtered");
  EXPECT_FALSE(options.rotate);
  EXPECT_EQ(ml::protocol_label(options), "unseen artists (fault-filtered split, test part)");
  // A third of GTZAN (its first 3 genres) is not the split's dataset: folds.
  dataset::FeatureTable part;
  part.feature_names = gtzan.feature_names;
  for (std::size_t r = 0; r < gtzan.rows(); ++r)
    if (gtzan.labels[r] == "blues" || gtzan.labels[r] == "classical" || gtzan.labels[r] == "country")
      part.append(gtzan.filenames[r], gtzan.lengths[r], gtzan.row(r), gtzan.labels[r]);
  EXPECT_FALSE(ml::recommended_options(part, 2).split.has_value());
  EXPECT_FALSE(ml::recommended_options(table(), 2).split.has_value());
}

TEST(RecommendedModel, DescribeSaysPresetRowsTableAndProtocol) {
  ml::ModelBundle b;
  b.model.kind = ml::ModelKind::krr;
  b.feature_set = "all";
  b.report = {{"preset", "krr_lda"},
              {"table", "/data/features_30_sec.csv"},
              {"mean_accuracy", 0.5448},
              {"protocol", "split"},
              {"protocol_label", "unseen artists (fault-filtered split, test part)"},
              {"final_model", {{"train_rows", 640}}}};
  EXPECT_EQ(ml::describe_bundle(b, "m.glmodel"),
            "krr_lda, trained on 640 rows of features_30_sec.csv; accuracy 54.5 % on unseen artists (fault-filtered "
            "split, test part)");
  // An older bundle: no preset, no protocol words, leaky folds.
  b.report = {{"mean_accuracy", 0.9}, {"protocol", "leaky"}, {"rows", 300}};
  EXPECT_EQ(ml::describe_bundle(b, "old.glmodel"),
            "old.glmodel (krr, all features), trained on 300 rows; accuracy 90.0 % on LEAKY folds (optimistic)");
  b.report = nlohmann::json::object();
  EXPECT_EQ(ml::describe_bundle(b, "bare.glmodel"), "bare.glmodel (krr, all features)");
}

}  // namespace

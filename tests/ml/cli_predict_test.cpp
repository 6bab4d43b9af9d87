// genrelab-cli predict, run as a user would: the round trip extract -> train -> predict on a small
// demo dataset, the table and JSON outputs, and unreadable files among good ones.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "dataset/demo_dataset.h"
#include "ml/model_bundle.h"
#include "support/cli_run.h"
#include "support/test_data.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using namespace genrelab::test::cli;

TEST(CliPredict, ExtractTrainPredictRoundTrip) {
  const auto dir = genrelab::test::temp_dir("cli-predict");
  const auto data = genrelab::dataset::ensure_demo_dataset(dir / "demo", {.clips_per_genre = 4, .clip_seconds = 6.0});
  const auto table = dir / "features.csv", model = dir / "model.glmodel";
  run_json({"extract", data.string(), "-o", table.string(), "--json"});
  ASSERT_TRUE(fs::exists(table));
  run_json({"train", table.string(), "--model", "mlp", "--folds", "2", "--epochs", "40", "--seed", "1", "-o",
            model.string(), "--json"});
  ASSERT_TRUE(fs::exists(model));
  // The table's extraction parameters (its sidecar) travel into the bundle, and predict uses them.
  EXPECT_EQ(genrelab::ml::load_bundle(model).extraction, genrelab::features::ExtractionParams{});
  const auto said = run({"predict", "-m", model.string(), (data / "genres_original").string()}, {{}, true});
  EXPECT_NE(said.out.find("extraction parameters: the table's, recorded in the bundle"), std::string::npos) << said.out;

  const auto missing = dir / "nothing.wav";
  const auto j = run_json({"predict", "-m", model.string(), data.string(), missing.string(), "--json"});
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 4u * genrelab::dataset::demo_genres().size() + 1);
  int correct = 0, songs = 0;
  for (const auto& s : j) {
    ASSERT_TRUE(s.contains("file"));
    if (s.contains("error")) {
      EXPECT_EQ(s["file"], missing.string());
      continue;
    }
    ++songs;
    for (const char* key : {"genre", "probabilities", "windows", "warnings"}) EXPECT_TRUE(s.contains(key)) << key;
    EXPECT_EQ(s["probabilities"].size(), genrelab::dataset::demo_genres().size());
    ASSERT_EQ(s["windows"].size(), 1u);  // 6-s clips, a model trained on 6-s rows: one window each
    EXPECT_EQ(s["windows"][0]["start_s"], 0.0);
    EXPECT_TRUE(s["windows"][0].contains("probabilities"));
    EXPECT_TRUE(s["warnings"].empty());
    const auto genre = fs::path(s["file"].get<std::string>()).parent_path().filename().string();
    correct += s["genre"] == genre;
  }
  EXPECT_EQ(j.back()["file"], missing.string());  // input order
  EXPECT_GE(correct, songs * 7 / 10) << correct << " of " << songs;

  // Table output, shorter windows, vote.
  const auto first = (data / "genres_original").string();
  const auto r = run({"predict", "-m", model.string(), first, "--window", "2", "--hop", "1", "--aggregate", "vote"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("top-3"), std::string::npos) << r.out;

  // Only bad inputs: exit 1, still JSON.
  const auto bad = run_json({"predict", "-m", model.string(), missing.string(), "--json"}, 1);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_TRUE(bad[0].contains("error"));
  const auto no_model = run_json({"predict", "-m", missing.string(), first, "--json"}, 1);
  EXPECT_TRUE(no_model.contains("error"));
}

TEST(CliPredict, WithoutModelTrainsTheRecommendedModelOnceThenLoadsItFromTheCache) {
  const auto dir = genrelab::test::temp_dir("cli-predict-recommended");
  const auto data = genrelab::dataset::ensure_demo_dataset(
      dir / "demo", {.clips_per_genre = 6, .clip_seconds = 6.0});  // audio only: no table
  const RunOptions options{{"GENRELAB_DATA=" + data.string(), "XDG_CACHE_HOME=" + (dir / "cache").string()}, true};
  const auto song = (data / "genres_original" / "pulse" / "pulse.00000.wav").string();
  const auto first = run({"predict", song}, options);
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("has no feature table: extracting one from"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("model: krr_lda, trained on"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("track-grouped folds: same artists in training and test (optimistic)"), std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("cached: " + (dir / "cache" / "genrelab" / "models").string()), std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("top-3"), std::string::npos) << first.out;

  const auto second = run({"predict", song, "--json"}, options);
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("loaded from the cache"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("reused 30 file(s) from the store"), std::string::npos) << second.out;  // no audio decoded

  // --table: that table; one that cannot train the recipe fails with its name.
  const auto tiny = dir / "tiny.csv";
  {
    std::ofstream out(tiny);
    out << "filename,length,tempo,label\na.00000.wav,661794,120.0,a\nb.00000.wav,661794,90.0,b\n";
  }
  const auto bad = run({"predict", song, "--table", tiny.string()}, options);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("tiny.csv: the recommended model cannot be trained on it"), std::string::npos) << bad.out;
}

TEST(CliPredict, WithoutModelOnTheSharedGtzanSaysItsUnseenArtistAccuracy) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  fs::path song;
  for (const auto& e : fs::recursive_directory_iterator(gtzan / "genres_original"))
    if (e.path().extension() == ".wav" && e.path().filename() != "jazz.00054.wav") {
      song = e.path();
      break;
    }
  if (song.empty()) GTEST_SKIP() << "no audio in " << gtzan;
  const auto cache = genrelab::test::temp_dir("cli-predict-gtzan-cache");
  const auto r =
      run({"predict", song.string()}, {{"GENRELAB_DATA=" + gtzan.string(), "XDG_CACHE_HOME=" + cache.string()}, true});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("of features_30_sec.csv; accuracy"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("on unseen artists (fault-filtered split, test part)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("top-3"), std::string::npos) << r.out;  // a genre was printed
}

}  // namespace

// libtorch is a module loaded on first use (ml/network_model.h): what needs no model runs
// without it, and what does says which file it could not load.
TEST(CliPredict, LibtorchIsLoadedOnlyToTrainAndPredict) {
  const auto dir = genrelab::test::temp_dir("cli-torch-module");
  const auto data = genrelab::dataset::ensure_demo_dataset(dir / "demo", {.clips_per_genre = 2, .clip_seconds = 3.0});
  const auto missing = (dir / "no-such-module.so").string();
  const RunOptions without_torch{{"GENRELAB_TORCH_MODULE=" + missing}, true};
  const auto table = (dir / "features.csv").string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--version"}, {"info", data.string()}, {"extract", data.string(), "-o", table}}) {
    const auto r = run(args, without_torch);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.out;
  }
  const std::vector<std::string> train{"train", table,      "--model", "logreg", "--folds",
                                       "2",     "--epochs", "2",       "-o",     (dir / "model.glmodel").string()};
  const auto r = run(train, without_torch);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("cannot load GenreLab's libtorch module"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(missing), std::string::npos) << r.out;
  EXPECT_EQ(run(train).exit_code, 0);
}

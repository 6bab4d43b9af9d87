// genrelab-cli train-audio, run as a user would: a tiny demo folder (5 genres x 2 clips of 3 s),
// small patches and one epoch, a file that cannot be decoded among good ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "dataset/demo_dataset.h"
#include "support/cli_run.h"
#include "support/test_data.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using namespace genrelab::test::cli;

TEST(CliTrainAudio, CrossValidatesTheCnnOnAnAudioFolder) {
  const auto dir = genrelab::test::temp_dir("cli-train-audio");
  const auto data = genrelab::dataset::ensure_demo_dataset(dir / "demo", {.clips_per_genre = 2, .clip_seconds = 3.0});
  // Not audio: reported with its name and left out; the other 10 tracks go on.
  std::ofstream(data / "genres_original" / "pulse" / "broken.wav") << "not a wave file";

  const std::vector<std::string> small{"--folds",        "2",  "--epochs",   "1", "--crops",       "2",
                                       "--patch-frames", "32", "--channels", "4", "--dense-units", "8",
                                       "--threads",      "1",  "--seed",     "5"};
  auto args = std::vector<std::string>{"train-audio", data.string(), "--json"};
  args.insert(args.end(), small.begin(), small.end());
  const auto j = run_json(args);
  EXPECT_EQ(j["tracks"], 10);
  EXPECT_EQ(j["protocol"], "grouped");
  EXPECT_EQ(j["model"]["kind"], "cnn2d");
  EXPECT_EQ(j["model"]["patch_frames"], 32);
  ASSERT_EQ(j["folds"].size(), 2u);
  for (const auto& f : j["folds"])
    for (const char* key : {"patch_accuracy", "track_accuracy_mean", "track_accuracy_vote"}) {
      EXPECT_GE(f[key].get<double>(), 0.0) << key;
      EXPECT_LE(f[key].get<double>(), 1.0) << key;
    }
  EXPECT_EQ(j["patches_per_epoch"], 10);  // 5 training tracks x 2 crops per fold
  EXPECT_EQ(j["spectrograms_computed"], 10);
  EXPECT_GT(j["seconds_per_epoch"].get<double>(), 0.0);
  ASSERT_EQ(j["skipped"].size(), 1u);
  EXPECT_NE(j["skipped"][0]["file"].get<std::string>().find("broken.wav"), std::string::npos);

  // Human-readable output: the fold table, mean +- std, the protocol and the epoch time; with
  // -o, a final model on every track that predict reads (one epoch: any demo genre will do).
  const auto model = dir / "cnn2d.glmodel";
  args = {"train-audio", data.string(), "-o", model.string()};
  args.insert(args.end(), small.begin(), small.end());
  const auto text = run(args);
  EXPECT_EQ(text.exit_code, 0) << text.out;
  for (const char* piece : {"tracks (vote)", "mean  ", "protocol: track-grouped folds", "s per epoch", "saved to"})
    EXPECT_NE(text.out.find(piece), std::string::npos) << piece << "\n" << text.out;
  ASSERT_TRUE(fs::exists(model));
  const auto song = data / "genres_original" / "drone" / "drone.00000.wav";
  ASSERT_TRUE(fs::exists(song));
  const auto p = run_json({"predict", "-m", model.string(), song.string(), "--json", "-j", "1"});
  ASSERT_EQ(p.size(), 1u);
  ASSERT_FALSE(p[0].contains("error")) << p;
  EXPECT_EQ(p[0]["probabilities"].size(), 5u);
  EXPECT_FALSE(p[0]["windows"].empty());

  // compare: a cnn2d row beside a table model, under the same track folds (the broken file is
  // left out of both); a feature table has no audio for it.
  const auto board =
      run_json({"compare", data.string(), "--models", "logreg,cnn2d", "--folds", "2", "--threads", "1", "--json"});
  ASSERT_EQ(board["models"].size(), 2u) << board;
  bool cnn2d = false;
  for (const auto& m : board["models"])
    if (m["model"] == "cnn2d") {
      cnn2d = true;
      EXPECT_EQ(m["protocol"], "grouped");
      EXPECT_EQ(m["fold_accuracies"].size(), 2u);
      ASSERT_TRUE(m["macro_f1"].is_number()) << m;  // over the held-out tracks of both folds
      EXPECT_GE(m["macro_f1"].get<double>(), 0.0);
      EXPECT_LE(m["macro_f1"].get<double>(), 1.0);
    }
  EXPECT_TRUE(cnn2d) << board;
  const auto table = dir / "t.csv";
  std::ofstream(table) << "filename,length,f,label\na.wav,1,0.5,x\n";
  const auto refused = run_json({"compare", table.string(), "--models", "cnn2d", "--json"}, 1);
  EXPECT_NE(refused["error"].get<std::string>().find("audio folder"), std::string::npos) << refused;

  // Errors: a missing folder, one genre only.
  EXPECT_EQ(run({"train-audio", (dir / "nothing").string()}).exit_code, 1);
  const auto one =
      run_json({"train-audio", (data / "genres_original" / "pulse").string(), "--json", "--folds", "2"}, 1);
  EXPECT_NE(one["error"].get<std::string>().find("at least 2 genres"), std::string::npos) << one;
}

TEST(CliTrainAudio, SplitAndGroupsProtocols) {
  const auto dir = genrelab::test::temp_dir("cli-train-audio-split");
  const auto data = genrelab::dataset::ensure_demo_dataset(dir / "demo", {.clips_per_genre = 3, .clip_seconds = 3.0});
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(data / "genres_original"))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 15u);
  // Clip k of each genre: 0 train, 1 valid, 2 test; groups pair clips 0 and 1 ("artists").
  const auto lists = dir / "lists";
  fs::create_directories(lists);
  {
    std::ofstream train(lists / "train.txt"), valid(lists / "valid.txt"), test(lists / "test.txt"),
        groups(dir / "g.csv");
    groups << "file,artist\n";
    for (const auto& f : files) {
      const auto name = f.filename().string(), genre = f.parent_path().filename().string();
      const int k = name.find(".00000.") != std::string::npos ? 0 : name.find(".00001.") != std::string::npos ? 1 : 2;
      (k == 0 ? train : k == 1 ? valid : test) << genre << "/" << name << "\n";
      groups << name << "," << genre << (k < 2 ? "-a" : "-b") << "\n";
    }
  }
  const std::vector<std::string> small{"--epochs",   "1", "--crops",       "2", "--patch-frames", "32",
                                       "--channels", "4", "--dense-units", "8", "--threads",      "1"};
  auto args = std::vector<std::string>{
      "train-audio", data.string(), "--split", lists.string(), "--json", "-o", (dir / "m.glmodel").string()};
  args.insert(args.end(), small.begin(), small.end());
  const auto j = run_json(args);
  EXPECT_EQ(j["protocol"], "split");
  ASSERT_EQ(j["folds"].size(), 1u);       // the test part, scored once
  EXPECT_EQ(j["patches_per_epoch"], 20);  // train+valid: 10 tracks x 2 crops
  EXPECT_NE(j["split"].get<std::string>().find("train 5, valid 5, test 5 rows"), std::string::npos) << j["split"];
  EXPECT_TRUE(fs::exists(dir / "m.glmodel"));

  args = {"train-audio", data.string(), "--split", lists.string(), "--rotate", "--json"};
  args.insert(args.end(), small.begin(), small.end());
  EXPECT_EQ(run_json(args)["folds"].size(), 3u);

  // Groups: the folds come from the group file (clips 0 and 1 of a genre are one "artist").
  args = {"train-audio", data.string(), "--groups", (dir / "g.csv").string(), "--folds", "2", "--json"};
  args.insert(args.end(), small.begin(), small.end());
  const auto g = run_json(args);
  EXPECT_EQ(g["protocol"], "groups");
  EXPECT_EQ(g["folds"].size(), 2u);
  EXPECT_EQ(g["protocol_label"], "folds grouped by artist (g.csv): unseen artists");
}

}  // namespace

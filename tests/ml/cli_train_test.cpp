// genrelab-cli train / evaluate, run as a user would (small synthetic table, few epochs).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "dataset/feature_table.h"
#include "ml_test_util.h"
#include "support/cli_run.h"
#include "support/test_data.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using namespace genrelab::test::cli;

TEST(CliTrain, TrainThenEvaluate) {
  const auto dir = genrelab::test::temp_dir("cli-train");
  const auto table = dir / "blobs.csv";
  genrelab::dataset::write_feature_table(table, genrelab::test::blob_table(3, 30, 12, 3.0));
  const auto model = dir / "model.glmodel", report = dir / "report.json";
  const auto j = run_json({"train", table.string(), "--model", "mlp", "--folds", "3", "--epochs", "5", "--seed", "3",
                           "-o", model.string(), "--report", report.string(), "--json"});
  ASSERT_EQ(j["folds"].size(), 3u);
  for (const auto& f : j["folds"]) EXPECT_GE(f["accuracy"].get<double>(), 0.0);
  for (const char* key : {"mean_accuracy", "std_accuracy", "confusion", "per_genre", "seconds"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_GT(j["mean_accuracy"].get<double>(), 0.8);
  EXPECT_EQ(j["model"]["kind"], "mlp");
  EXPECT_EQ(j["training"]["seed"], 3);
  EXPECT_EQ(j["confusion"].size(), 3u);
  ASSERT_TRUE(fs::exists(model));
  std::ifstream in(report);
  EXPECT_EQ(json::parse(in)["mean_accuracy"], j["mean_accuracy"]);

  const auto e = run_json({"evaluate", "-m", model.string(), table.string(), "--json"});
  EXPECT_EQ(e["rows"], 90);
  EXPECT_EQ(e["kind"], "mlp");
  EXPECT_GT(e["accuracy"].get<double>(), 0.8);  // its own training rows
  EXPECT_EQ(e["per_genre"].size(), 3u);

  // Human-readable output: one line per epoch and the fold table.
  const auto text =
      run({"train", table.string(), "--model", "logreg", "--folds", "3", "--epochs", "2", "-o", model.string()});
  EXPECT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("fold 3  epoch   2/2"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("mean accuracy"), std::string::npos);
  EXPECT_NE(text.out.find("trainings at once"), std::string::npos);
}

TEST(CliTrain, KernelRidgeWithForestIsSolvedThenEvaluated) {
  const auto dir = genrelab::test::temp_dir("cli-train-krr");
  const auto table = dir / "blobs.csv";
  genrelab::dataset::write_feature_table(table, genrelab::test::blob_table(3, 30, 12, 3.0));
  const auto model = dir / "krr.glmodel";
  const auto j = run_json({"train", table.string(), "--model", "krr", "--krr-trees", "25", "--krr-lambda", "0.2",
                           "--log-variances", "--folds", "3", "-o", model.string(), "--json"});
  EXPECT_EQ(j["model"]["kind"], "krr");
  EXPECT_EQ(j["model"]["krr_trees"], 25);
  EXPECT_EQ(j["model"]["krr_lambda"], 0.2);
  EXPECT_EQ(j["model"]["log_variances"], true);
  for (const auto& f : j["folds"]) EXPECT_EQ(f["epochs_run"], 1);
  EXPECT_GT(j["mean_accuracy"].get<double>(), 0.8);
  const auto e = run_json({"evaluate", "-m", model.string(), table.string(), "--json"});
  EXPECT_EQ(e["kind"], "krr");
  EXPECT_GT(e["accuracy"].get<double>(), 0.95);  // its own training rows
  const auto text = run({"train", table.string(), "--model", "krr", "--folds", "3", "-o", model.string()});
  EXPECT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(
      text.out.find("3 track-grouped folds: same artists in training and test (optimistic), solved in closed form"),
      std::string::npos)
      << text.out;
}

TEST(CliTrain, ErrorsAreReported) {
  const auto dir = genrelab::test::temp_dir("cli-train-errors");
  const auto table = dir / "blobs.csv";
  genrelab::dataset::write_feature_table(table, genrelab::test::blob_table(3, 10, 12, 3.0));
  const auto model = dir / "model.glmodel";
  // Damaged bundle.
  std::ofstream(model) << "not a model";
  const auto bad = run_json({"evaluate", "-m", model.string(), table.string(), "--json"}, 1);
  EXPECT_NE(bad["error"].get<std::string>().find("not a GenreLab model bundle"), std::string::npos) << bad;
  // A table the model cannot read (other column names).
  ASSERT_EQ(run({"train", table.string(), "--model", "logreg", "--folds", "2", "--epochs", "1", "-o", model.string()})
                .exit_code,
            0);
  auto other = genrelab::test::blob_table(3, 10, 12, 3.0);
  other.feature_names[0] = "zz";
  genrelab::dataset::write_feature_table(dir / "other.csv", other);
  const auto mismatch = run_json({"evaluate", "-m", model.string(), (dir / "other.csv").string(), "--json"}, 1);
  EXPECT_NE(mismatch["error"].get<std::string>().find("'f0'"), std::string::npos) << mismatch;
  // mfcc features on a table without MFCC columns.
  const auto no_mfcc = run_json({"train", table.string(), "--features", "mfcc", "-o", model.string(), "--json"}, 1);
  EXPECT_NE(no_mfcc["error"].get<std::string>().find("no MFCC columns"), std::string::npos) << no_mfcc;
  EXPECT_NE(run({"train", table.string(), "--model", "svm", "-o", model.string()}).exit_code, 0);
}

}  // namespace

namespace {

TEST(CliTrain, LeakySplitIsLabelled) {
  const auto dir = genrelab::test::temp_dir("cli-train-leaky");
  const auto table = dir / "segments.csv";
  genrelab::dataset::write_feature_table(table, genrelab::test::segment_table(3, 6, 4, 8, 2.0, 1.0));
  const auto model = dir / "model.glmodel";
  const auto grouped =
      run({"train", table.string(), "--model", "logreg", "--folds", "3", "--epochs", "2", "-o", model.string()});
  EXPECT_EQ(grouped.exit_code, 0) << grouped.out;
  EXPECT_NE(grouped.out.find("protocol: track-grouped folds"), std::string::npos) << grouped.out;
  EXPECT_NE(grouped.out.find("track level (18 tracks"), std::string::npos) << grouped.out;
  EXPECT_EQ(grouped.out.find("LEAKY"), std::string::npos);
  const auto leaky = run(
      {"train", table.string(), "--model", "logreg", "--folds", "3", "--epochs", "2", "--leaky", "-o", model.string()});
  EXPECT_EQ(leaky.exit_code, 0) << leaky.out;
  EXPECT_NE(leaky.out.find("protocol: LEAKY"), std::string::npos) << leaky.out;
  EXPECT_NE(leaky.out.find("[LEAKY]"), std::string::npos) << leaky.out;
  const auto j = run_json({"train", table.string(), "--model", "logreg", "--folds", "3", "--epochs", "2", "--leaky",
                           "-o", model.string(), "--json"});
  EXPECT_EQ(j["protocol"], "leaky");
  EXPECT_EQ(j["tracks"], 18);
}

}  // namespace

namespace {

TEST(CliCompare, PrintsALeaderboard) {
  const auto dir = genrelab::test::temp_dir("cli-compare");
  const auto table = dir / "blobs.csv";
  genrelab::dataset::write_feature_table(table, genrelab::test::blob_table(3, 12, 8, 3.0));
  const auto j =
      run_json({"compare", table.string(), "--models", "logreg,mlp", "--folds", "3", "--threads", "1", "--json"});
  ASSERT_EQ(j["models"].size(), 2u);
  EXPECT_GE(j["models"][0]["mean_accuracy"].get<double>(), j["models"][1]["mean_accuracy"].get<double>());
  EXPECT_EQ(j["rows"], 36);
  const auto text = run({"compare", table.string(), "--models", "logreg", "--folds", "3", "--leaky"});
  EXPECT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("rank"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("LEAKY"), std::string::npos) << text.out;
  const auto repeated = run({"compare", table.string(), "--models", "logreg", "--folds", "3", "--repeats", "2"});
  EXPECT_EQ(repeated.exit_code, 0) << repeated.out;
  EXPECT_NE(repeated.out.find("2 repeats (seeds 42..43)"), std::string::npos) << repeated.out;
  EXPECT_NE(repeated.out.find("per repeat"), std::string::npos) << repeated.out;
  const auto repeated_json =
      run_json({"compare", table.string(), "--models", "rbf", "--folds", "3", "--repeats", "2", "--json"});
  EXPECT_EQ(repeated_json["repeats"], 2);
  EXPECT_EQ(repeated_json["models"][0]["fold_accuracies"].size(), 6u);
  const auto cnn_repeated = run_json({"compare", dir.string(), "--models", "cnn2d", "--repeats", "2", "--json"}, 1);
  EXPECT_NE(cnn_repeated["error"].get<std::string>().find("drop --repeats"), std::string::npos) << cnn_repeated;
  const auto bad = run({"compare", table.string(), "--models", "svm"});
  EXPECT_NE(bad.exit_code, 0);
  const auto missing = run({"compare", (dir / "none.csv").string(), "--json"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.out.find("none.csv"), std::string::npos) << missing.out;
}

}  // namespace

#include <sndfile.h>

#include <cmath>
#include <numbers>
#include <random>

namespace {

TEST(CliCompare, AudioFolderIsExtractedFirst) {
  // Two "genres" of 4-s clips (low tone vs bright noise), 4 clips each, one unreadable file.
  const auto dir = genrelab::test::temp_dir("cli-compare-audio");
  std::mt19937 rng(5);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  for (const char* genre : {"low", "bright"}) {
    fs::create_directories(dir / genre);
    for (int i = 0; i < 4; ++i) {
      std::vector<float> y(4 * 22050);
      for (std::size_t n = 0; n < y.size(); ++n)
        y[n] = std::string(genre) == "low" ? static_cast<float>(0.3 * std::sin(2 * std::numbers::pi * (110.0 + 10 * i) *
                                                                               static_cast<double>(n) / 22050))
                                           : 0.2f * noise(rng);
      SF_INFO info{};
      info.samplerate = 22050;
      info.channels = 1;
      info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
      const auto path = dir / genre / (std::string(genre) + ".0000" + std::to_string(i) + ".wav");
      SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
      ASSERT_NE(f, nullptr);
      sf_writef_float(f, y.data(), static_cast<sf_count_t>(y.size()));
      sf_close(f);
    }
  }
  std::ofstream(dir / "low" / "broken.wav") << "not audio";
  const auto j = run_json({"compare", dir.string(), "--models", "logreg", "--folds", "2", "--threads", "1", "--json"});
  ASSERT_EQ(j["models"].size(), 1u);
  EXPECT_EQ(j["rows"], 8);  // the broken file is reported on stderr and left out
  EXPECT_EQ(j["models"][0]["model"], "logreg");
  EXPECT_GE(j["models"][0]["mean_accuracy"].get<double>(), 0.75);  // tone vs noise
}

}  // namespace

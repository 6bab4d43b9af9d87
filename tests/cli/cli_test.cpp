// Runs genrelab-cli as a user would and checks what it prints.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/test_data.h"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using namespace genrelab::test::cli;

/// compare-table against a Kaggle table: the parity bar of issue 3.
void expect_kaggle_parity(const fs::path& ours, const fs::path& kaggle, int rows) {
  const auto cmp = run_json({"compare-table", ours.string(), kaggle.string(), "--json"});
  EXPECT_EQ(cmp["matched_rows"], rows);
  ASSERT_EQ(cmp["columns"].size(), 57u);
  for (const auto& c : cmp["columns"]) {
    const std::string name = c["feature"];
    const double rel = c["max_rel_error"].get<double>();
    const double abs_err = c["max_abs_error"].get<double>();
    if (name == "tempo" || name.rfind("zero_crossing_rate", 0) == 0 || name.rfind("rolloff", 0) == 0) {
      EXPECT_EQ(c["exact"], rows) << name;
    } else if (name == "harmony_mean" || name == "perceptr_mean") {
      EXPECT_LE(abs_err, 1e-8) << name;
    } else if (name.find("mfcc") == 0 && name.find("_mean") != std::string::npos) {
      EXPECT_LE(abs_err, 1e-4) << name;
    } else {
      EXPECT_LE(rel, 1e-5) << name;
    }
  }
}

}  // namespace

TEST(Cli, VersionAndHelp) {
  const auto v = run({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("genrelab-cli ", 0), 0u) << v.out;
  const auto h = run({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* sub : {"info", "extract", "compare-table", "bench"})
    EXPECT_NE(h.out.find(sub), std::string::npos) << sub;
}

TEST(Cli, InfoOnSharedDataset) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto j = run_json({"info", gtzan.string(), "--json"});
  EXPECT_EQ(j["genres"], 10);
  EXPECT_EQ(j["readable_tracks"], 30);
  EXPECT_EQ(j["layout"], "kaggle-gtzan");
  EXPECT_EQ(j["tables"]["features_30_sec"]["rows"], 1000);
  EXPECT_EQ(j["tables"]["features_3_sec"]["rows"], 2996);
  ASSERT_EQ(j["skipped"].size(), 1u);
  EXPECT_NE(j["skipped"][0]["file"].get<std::string>().find("known_bad/jazz.00054.wav"), std::string::npos);
  EXPECT_NE(j["skipped"][0]["reason"].get<std::string>().find("not a decodable audio file"), std::string::npos);
  for (const auto& [genre, n] : j["tracks_per_genre"].items()) EXPECT_EQ(n, 3) << genre;
}

TEST(Cli, InfoOnFilesAndErrors) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto j = run_json({"info", (gtzan / "genres_original/disco/disco.00001.wav").string(), "--json"});
  EXPECT_EQ(j["sample_rate"], 22050);
  EXPECT_EQ(j["channels"], 1);
  EXPECT_EQ(j["frames"], 666160);  // MANIFEST.tsv
  const auto bad = run_json({"info", (gtzan / "known_bad/jazz.00054.wav").string(), "--json"}, 1);
  EXPECT_NE(bad["error"].get<std::string>().find("not a decodable"), std::string::npos);
  const auto missing = run_json({"info", "/no/such/folder", "--json"}, 1);
  EXPECT_NE(missing["error"].get<std::string>().find("does not exist"), std::string::npos);
}

TEST(Cli, ExtractRebuildsKaggleRowsOfSharedClips) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto out = genrelab::test::temp_dir("cli-extract") / "features.csv";
  const auto summary = run_json({"extract", gtzan.string(), "-o", out.string(), "--json"});
  EXPECT_EQ(summary["rows"], 30);
  ASSERT_EQ(summary["failures"].size(), 1u);  // the corrupt Kaggle file, with its reason
  EXPECT_NE(summary["failures"][0]["reason"].get<std::string>().find("not a decodable"), std::string::npos);
  ASSERT_TRUE(fs::exists(out));
  ASSERT_TRUE(fs::exists(out.string() + ".json"));
  expect_kaggle_parity(out, gtzan / "features_30_sec.csv", 30);
}

TEST(Cli, ExtractRebuildsKaggle3sRows) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto out = genrelab::test::temp_dir("cli-extract-3s") / "segments.csv";
  const auto g = gtzan / "genres_original";
  // Genre folders given directly: their files take the folder's name as label.
  const auto summary = run_json({"extract", (g / "classical").string(), (g / "jazz").string(), (g / "rock").string(),
                                 "-o", out.string(), "--segment", "3", "--json"});
  EXPECT_EQ(summary["rows"], 90);
  EXPECT_TRUE(summary["failures"].empty());
  expect_kaggle_parity(out, gtzan / "features_3_sec_subset_classical_jazz_rock.csv", 90);
}

TEST(Cli, CtrlCLeavesNoHalfWrittenTable) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto dir = genrelab::test::temp_dir("cli-cancel");
  const auto out = dir / "segments.csv";
  int err[2];
  ASSERT_EQ(pipe(err), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(err[1], 2);
    close(err[0]);
    // The shared folder ten times over: 3000 segment rows on one thread take ~10 s.
    const std::string g = gtzan.string();
    execl(GENRELAB_CLI, GENRELAB_CLI, "extract", g.c_str(), g.c_str(), g.c_str(), g.c_str(), g.c_str(), g.c_str(),
          g.c_str(), g.c_str(), g.c_str(), g.c_str(), "-o", out.c_str(), "--segment", "3", "-j", "1",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(err[1]);
  // Interrupt once extraction is under way (its first progress line), not during start-up,
  // which loads Qt and libtorch and can take a while on a busy machine.
  std::string seen;
  char buf[256];
  for (ssize_t n; seen.find("extract") == std::string::npos && (n = read(err[0], buf, sizeof(buf))) > 0;)
    seen.append(buf, static_cast<std::size_t>(n));
  kill(pid, SIGINT);
  for (ssize_t n; (n = read(err[0], buf, sizeof(buf))) > 0;)
    seen.append(buf, static_cast<std::size_t>(n));  // drain to EOF
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << seen;
  EXPECT_EQ(WEXITSTATUS(status), 130);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path().filename().string());
  // Neither the table nor a temporary file: only the feature store, which keeps the finished files.
  EXPECT_EQ(files, std::vector<std::string>{"segments.csv.sqlite"});
  EXPECT_NE(seen.find("run again to resume"), std::string::npos) << seen;
}

// ---- analyze / bench analyze (issue 4) ----

TEST(Cli, AnalyzeListsTheStudysSixDroppedColumns) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto j = run_json({"analyze", (gtzan / "features_30_sec.csv").string(), "--json"});
  ASSERT_TRUE(j.contains("dropped")) << j.dump();
  std::vector<std::string> dropped;
  for (const auto& d : j["dropped"]) {
    dropped.push_back(d["column"]);
    EXPECT_FALSE(d["partner"].get<std::string>().empty());
    EXPECT_GE(std::abs(d["r"].get<double>()), 0.8);
  }
  EXPECT_EQ(dropped, (std::vector<std::string>{"spectral_bandwidth_mean", "rolloff_mean", "rolloff_var",
                                               "zero_crossing_rate_mean", "zero_crossing_rate_var", "harmony_var"}));
  EXPECT_EQ(j["kept"].size(), 51u);
  EXPECT_EQ(j["filter_scope"], "non-mfcc");
  EXPECT_EQ(j["genres"].size(), 10u);
  // PCA of the 57 standardised columns; PC1 = 0.23949563801262702 by scikit-learn 1.2.1
  // (tests/data/stats_reference.json); the JSON carries full double precision.
  ASSERT_EQ(j["pca"]["explained_variance_ratio"].size(), 5u);
  EXPECT_NEAR(j["pca"]["explained_variance_ratio"][0].get<double>(), 0.23949563801262702, 1e-12);
  const auto& most = j["similarity"]["most_similar"];
  const auto& least = j["similarity"]["least_similar"];
  ASSERT_EQ(most.size(), 3u);
  ASSERT_EQ(least.size(), 3u);
  EXPECT_GE(most[0]["cosine"].get<double>(), most[1]["cosine"].get<double>());
  EXPECT_LE(least[0]["cosine"].get<double>(), least[1]["cosine"].get<double>());
  EXPECT_GT(most[2]["cosine"].get<double>(), least[2]["cosine"].get<double>());
}

TEST(Cli, AnalyzeScopesAndSubsets) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto table = (gtzan / "features_30_sec.csv").string();
  const auto all = run_json({"analyze", table, "--filter-scope", "all", "--json"});
  EXPECT_EQ(all["dropped"].size(), 18u);
  EXPECT_EQ(all["kept"].size(), 39u);
  const auto t79 = run_json({"analyze", table, "--threshold", "0.79", "--json"});
  EXPECT_EQ(t79["dropped"].size(), 6u);
  const auto mfcc = run_json({"analyze", table, "--features", "mfcc", "--components", "3", "--json"});
  EXPECT_EQ(mfcc["pca"]["columns"], 40);
  EXPECT_EQ(mfcc["pca"]["explained_variance_ratio"].size(), 3u);
  const auto text = run({"analyze", table});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("drop harmony_var"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("most similar"), std::string::npos) << text.out;
}

TEST(Cli, AnalyzeBadInput) {
  const auto dir = genrelab::test::temp_dir("cli-analyze");
  // One genre, a constant column, fewer rows than features: defined results, no NaN in the JSON.
  const auto small = dir / "small.csv";
  {
    std::ofstream out(small);
    out << "filename,length,a,b,flat,mfcc1_mean,mfcc1_var,label\n"
           "x.00000.wav,1,1.0,2.0,5.0,0.5,3.0,rock\n"
           "x.00001.wav,1,2.0,1.0,5.0,0.7,1.0,rock\n"
           "x.00002.wav,1,4.0,0.5,5.0,0.1,2.0,rock\n";
  }
  const auto j = run_json({"analyze", small.string(), "--json"});
  EXPECT_EQ(j["constant_columns"], json::array({"flat"}));
  EXPECT_TRUE(j["similarity"]["most_similar"].empty());
  EXPECT_EQ(j.dump().find("null"), std::string::npos) << j.dump();  // nlohmann writes NaN as null
  // Errors: a missing file, a bad threshold, a single row.
  const auto missing = run_json({"analyze", (dir / "nope.csv").string(), "--json"}, 1);
  EXPECT_TRUE(missing.contains("error"));
  const auto bad_t = run_json({"analyze", small.string(), "--threshold", "0", "--json"}, 1);
  EXPECT_NE(bad_t["error"].get<std::string>().find("threshold"), std::string::npos) << bad_t.dump();
  const auto one = dir / "one.csv";
  {
    std::ofstream out(one);
    out << "filename,length,a,b,label\nx.00000.wav,1,1.0,2.0,rock\n";
  }
  const auto one_j = run_json({"analyze", one.string(), "--json"}, 1);
  EXPECT_NE(one_j["error"].get<std::string>().find("at least 2 rows"), std::string::npos) << one_j.dump();
}

TEST(Cli, BenchAnalyzeReportsTimesAndAgreesWithBaseline) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto j = run_json({"bench", "analyze", "--rows", "500", "--repeats", "1", "--json"});
  ASSERT_GE(j["cases"].size(), 2u) << j.dump();
  for (const auto& c : j["cases"]) {
    EXPECT_GT(c["median_seconds"]["total"].get<double>(), 0.0);
    EXPECT_GT(c["baseline_seconds"].get<double>(), 0.0);
    EXPECT_TRUE(c["agreement_with_baseline"]["dropped_identical"].get<bool>());
    EXPECT_LT(c["agreement_with_baseline"]["kde_max_error_of_peak"].get<double>(), 1e-12);
    EXPECT_LT(c["agreement_with_baseline"]["similarity_max_error"].get<double>(), 1e-12);
  }
  EXPECT_EQ(j["cases"][0]["rows"], 1000);
  EXPECT_EQ(j["cases"].back()["rows"], 500);
}

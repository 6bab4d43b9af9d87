// genrelab-cli extract with the feature store: kill -9 and resume, shards in parallel + merge.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "dataset/demo_dataset.h"
#include "support/cli_run.h"
#include "support/test_data.h"

namespace fs = std::filesystem;
using namespace genrelab::test::cli;

namespace {

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Starts genrelab-cli with its output and errors discarded; returns the child's pid.
pid_t spawn(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    std::vector<char*> argv{const_cast<char*>(GENRELAB_CLI)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(GENRELAB_CLI, argv.data());
    _exit(127);
  }
  return pid;
}

/// Files committed to a store so far, read the way another process would (-1 while it is not there).
int committed_files(const fs::path& store) {
  if (!fs::exists(store)) return -1;
  sqlite3* db = nullptr;
  int n = -1;
  if (sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM files", -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
      n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return n;
}

fs::path short_clips(const fs::path& dir, int per_genre) {
  genrelab::dataset::ensure_demo_dataset(dir, {.clips_per_genre = per_genre, .clip_seconds = 3.2});
  return dir;
}

}  // namespace

TEST(CliStore, SecondRunReusesEverythingAndErrorsNameTheStore) {
  const auto dir = genrelab::test::temp_dir("cli-store");
  const auto audio = short_clips(dir / "audio", 2);
  const auto out = dir / "t.csv";
  const auto first = run_json({"extract", audio.string(), "-o", out.string(), "-j", "2", "--json"});
  EXPECT_EQ(first["computed"], 10);
  EXPECT_EQ(first["store"], out.string() + ".sqlite");  // the default: beside the table
  const auto bytes = slurp(out);
  const auto second = run_json({"extract", audio.string(), "-o", out.string(), "-j", "2", "--json"});
  EXPECT_EQ(second["computed"], 0);
  EXPECT_EQ(second["reused"], 10);
  EXPECT_EQ(slurp(out), bytes);

  std::ofstream(dir / "text.sqlite") << "not a database, just text\n";
  const auto bad = run_json(
      {"extract", audio.string(), "-o", (dir / "u.csv").string(), "--store", (dir / "text.sqlite").string(), "--json"},
      1);
  EXPECT_NE(bad["error"].get<std::string>().find((dir / "text.sqlite").string()), std::string::npos) << bad;
  EXPECT_FALSE(fs::exists(dir / "u.csv"));
  const auto shard =
      run_json({"extract", audio.string(), "-o", (dir / "u.csv").string(), "--shard", "0/4", "--json"}, 1);
  EXPECT_NE(shard["error"].get<std::string>().find("1 <= K <= N"), std::string::npos) << shard;
}

TEST(CliStore, KillNineMidRunThenResumeGivesTheCleanRunTable) {
  const auto dir = genrelab::test::temp_dir("cli-kill");
  const auto audio = short_clips(dir / "audio", 12);  // 60 files, about 20 ms each on one thread
  const auto clean = dir / "clean.csv";
  run_json({"extract", audio.string(), "-o", clean.string(), "--no-store", "-j", "2", "--json"});
  const auto out = dir / "t.csv";
  const auto store = dir / "t.csv.sqlite";
  const pid_t pid = spawn({"extract", audio.string(), "-o", out.string(), "-j", "1", "--segment", "30"});
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (committed_files(store) < 5 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed";
  const int kept = committed_files(store);
  EXPECT_GE(kept, 5);
  EXPECT_LT(kept, 60);
  EXPECT_FALSE(fs::exists(out));

  const auto resumed = run_json({"extract", audio.string(), "-o", out.string(), "-j", "2", "--json"});
  EXPECT_EQ(resumed["reused"], kept);  // every committed file is used, none is lost or doubled
  EXPECT_EQ(resumed["computed"].get<int>() + kept, 60);
  EXPECT_EQ(resumed["rows"], 60);
  EXPECT_EQ(committed_files(store), 60);
  EXPECT_EQ(slurp(out), slurp(clean));  // byte for byte
}

TEST(CliStore, FourShardsInParallelMergeToTheSingleRunTable) {
  const auto dir = genrelab::test::temp_dir("cli-shards");
  const auto audio = short_clips(dir / "audio", 5);  // 25 files: shards of 7, 6, 6, 6
  std::ofstream(audio / "genres_original" / "pulse" / "broken.wav") << "not audio";
  const auto single = dir / "single.csv";
  run_json({"extract", audio.string(), "-o", single.string(), "--segment", "3", "-j", "2", "--no-store", "--json"});
  std::vector<pid_t> pids;
  std::vector<std::string> stores;
  for (int k = 1; k <= 4; ++k) {
    const auto part = dir / ("part-" + std::to_string(k) + ".csv");
    pids.push_back(spawn({"extract", audio.string(), "-o", part.string(), "--segment", "3", "-j", "1", "--shard",
                          std::to_string(k) + "/4"}));
    stores.push_back(part.string() + ".sqlite");
  }
  for (const pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::vector<std::string> merge{
      "merge", stores[2], stores[0], stores[3], stores[1], "-o", (dir / "merged.csv").string(), "--json"};
  const auto merged = run_json(merge);
  EXPECT_EQ(merged["files"], 26);
  EXPECT_EQ(merged["failures"].size(), 1u);
  EXPECT_EQ(slurp(dir / "merged.csv"), slurp(single));  // byte for byte
  EXPECT_GT(slurp(single).size(), 1000u);

  const auto missing =
      run_json({"merge", stores[0], stores[1], stores[2], "-o", (dir / "m3.csv").string(), "--json"}, 1);
  EXPECT_NE(missing["error"].get<std::string>().find("shard 4/4 is missing"), std::string::npos) << missing;
  EXPECT_FALSE(fs::exists(dir / "m3.csv"));
}

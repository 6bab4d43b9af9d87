// No lost work (issue 10): a process killed with SIGKILL in the middle of writing a feature table
// or a model bundle leaves the complete old file or the complete new one, never a mix or a
// truncation; the temporary files it leaves are hidden and removed by the next write.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "support/hostile_files.h"
#include "support/test_data.h"

extern char** environ;

namespace fs = std::filesystem;

namespace {

pid_t spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  EXPECT_EQ(::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  return pid;
}

int run(const std::vector<std::string>& args) {
  const pid_t pid = spawn(args);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<fs::path> temporaries(const fs::path& target) {
  std::vector<fs::path> out;
  const std::string prefix = "." + target.filename().string() + ".tmp-";
  for (const auto& e : fs::directory_iterator(target.parent_path()))
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
  return out;
}

void kill_during_writes(const std::string& kind, const std::string& ext) {
  const auto dir = genrelab::test::temp_dir("no-lost-work-" + kind);
  ASSERT_EQ(run({GENRELAB_ATOMIC_WRITER, "reference", dir.string()}), 0);
  const std::string a = genrelab::test::hostile::slurp(dir / ("a" + ext));
  const std::string b = genrelab::test::hostile::slurp(dir / ("b" + ext));
  ASSERT_GT(a.size(), 1000000u);
  ASSERT_NE(a, b);
  const auto target = dir / ("target" + ext);
  std::mt19937 rng(10);
  std::uniform_int_distribution<int> delay_ms(0, 700);
  int saw_old_or_new[2] = {0, 0}, missing = 0, left_temporaries = 0;
  const int kKills = 8;
  for (int i = 0; i < kKills; ++i) {
    const pid_t pid = spawn({GENRELAB_ATOMIC_WRITER, "loop", kind, target.string()});
    // Wait for the writer's first complete write (it starts with the other version's file in
    // place from the previous round), then kill it at a random moment of its later writes.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const auto first = fs::exists(target) ? fs::last_write_time(target) : fs::file_time_type::min();
    while (std::chrono::steady_clock::now() < deadline && (!fs::exists(target) || fs::last_write_time(target) == first))
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer ended by itself (status " << status << ")";
    if (!fs::exists(target)) {
      ++missing;  // killed before its first write completed: nothing to lose yet
      continue;
    }
    const std::string now = genrelab::test::hostile::slurp(target);
    ASSERT_TRUE(now == a || now == b) << kind << ": kill " << i << " left " << now.size()
                                      << " bytes that are neither version";
    ++saw_old_or_new[now == a ? 0 : 1];
    left_temporaries = static_cast<int>(temporaries(target).size());  // each write cleans the earlier ones
  }
  std::printf(
      "  %s: %d kills -> %d x version a, %d x version b, %d before the first write; %d temporary files left "
      "behind\n",
      kind.c_str(), kKills, saw_old_or_new[0], saw_old_or_new[1], missing, left_temporaries);
  EXPECT_GT(saw_old_or_new[0] + saw_old_or_new[1], 0);
  // The next write (another process) removes what dead writers left, and is complete itself.
  ASSERT_EQ(run({GENRELAB_ATOMIC_WRITER, "once", kind, target.string()}), 0);
  EXPECT_EQ(genrelab::test::hostile::slurp(target), a);
  EXPECT_TRUE(temporaries(target).empty()) << temporaries(target).front();
  fs::remove_all(dir);
}

}  // namespace

TEST(NoLostWork, KillDuringTableWritesLeavesOldOrNewTable) { kill_during_writes("csv", ".csv"); }

TEST(NoLostWork, KillDuringBundleWritesLeavesOldOrNewBundle) { kill_during_writes("bundle", ".glmodel"); }

TEST(NoLostWork, TemporariesOfLiveWritersAreKept) {
  // A temporary file of a live process (this one) or another machine must survive a write.
  const auto dir = genrelab::test::temp_dir("no-lost-work-live");
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::string h(host);
  for (char& c : h)
    if (c == '-' || c == '/' || c == '.') c = '_';
  const auto mine = dir / (".t.csv.tmp-" + h + "-" + std::to_string(::getpid()) + "-99");
  const auto other_host = dir / ".t.csv.tmp-otherhost-1-0";
  const auto dead = dir / (".t.csv.tmp-" + h + "-999999999-0");  // above pid_max: never alive
  for (const auto& p : {mine, other_host, dead}) genrelab::test::hostile::write_bytes(p, "partial");
  genrelab::test::hostile::write_bytes(dir / "t.csv", "old");
  ASSERT_EQ(run({GENRELAB_ATOMIC_WRITER, "once", "csv", (dir / "t.csv").string()}), 0);
  EXPECT_TRUE(fs::exists(mine));
  EXPECT_TRUE(fs::exists(other_host));
  EXPECT_FALSE(fs::exists(dead));
  fs::remove_all(dir);
}

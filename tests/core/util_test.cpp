#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <set>
#include <stdexcept>

#include "support/test_data.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

using namespace genrelab;
namespace fs = std::filesystem;

TEST(Parallel, VisitsEveryIndexOnce) {
  std::vector<std::atomic<int>> hits(1000);
  parallel_for(hits.size(), 4, [&](std::size_t i) { hits[i]++; });
  for (const auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(Parallel, RethrowsTheFirstError) {
  EXPECT_THROW(parallel_for(100, 3,
                            [](std::size_t i) {
                              if (i == 42) throw std::runtime_error("boom");
                            }),
               std::runtime_error);
}

TEST(Parallel, StopsWhenCancelled) {
  CancelToken cancel;
  std::atomic<int> ran{0};
  parallel_for(
      10000, 2,
      [&](std::size_t i) {
        if (i == 10) cancel.cancel();
        ran++;
      },
      &cancel);
  EXPECT_LT(ran.load(), 10000);
}

TEST(Progress, RateLimitedKeepsFirstAndLast) {
  std::vector<double> seen;
  RateLimitedProgress p([&](double f, std::string_view) { seen.push_back(f); }, std::chrono::hours(1));
  for (int i = 0; i <= 100; ++i) p.report(i / 100.0, "same");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen.front(), 0.0);
  EXPECT_EQ(seen.back(), 1.0);
}

TEST(AtomicFile, ReplacesOrLeavesTargetUntouched) {
  const auto dir = test::temp_dir("atomic");
  const auto target = dir / "out.csv";
  write_text_atomically(target, "first\n");
  EXPECT_THROW(write_file_atomically(target,
                                     [](std::ostream& out) {
                                       out << "half a file";
                                       throw std::runtime_error("interrupted");
                                     }),
               std::runtime_error);
  std::ifstream in(target);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "first");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);  // no temporary left behind
  EXPECT_THROW(write_text_atomically(dir / "no/such/dir/x.csv", "x"), FileError);
}

// Worker / cancel / progress stress (issue 10): many jobs, cancels from another thread at random
// moments, restarts. Run by the regular tests and, under ThreadSanitizer, by scripts/sanitize.sh.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "dataset/dataset_scan.h"
#include "features/table_extraction.h"
#include "support/hostile_files.h"
#include "support/test_data.h"
#include "util/error.h"
#include "util/progress.h"

using namespace genrelab;
namespace fs = std::filesystem;

namespace {

/// Counts reports from any thread; checks each fraction is in [0, 1].
class CountingSink final : public ProgressSink {
 public:
  void report(double fraction, std::string_view message) override {
    ++reports;
    if (!(fraction >= 0.0 && fraction <= 1.0) || message.empty()) ++bad;
  }
  std::atomic<int> reports{0}, bad{0};
};

}  // namespace

TEST(Stress, ExtractAndScanWithManyJobsCancelAndRestart) {
  const auto dir = test::temp_dir("stress-extract");
  const int sr = 22050;
  for (int i = 0; i < 12; ++i) {
    fs::create_directories(dir / ("g" + std::to_string(i % 3)));
    test::hostile::write_bytes(
        dir / ("g" + std::to_string(i % 3)) / ("c" + std::to_string(i) + ".wav"),
        test::hostile::wav_bytes(test::hostile::tone(sr, sr, 0.3, static_cast<unsigned>(i)), sr, 1));
  }
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> delay_us(0, 40000);
  int cancelled = 0, finished = 0;
  features::ExtractResult reference;
  for (int round = 0; round < 8; ++round) {
    CancelToken cancel;
    CountingSink sink;
    RateLimitedProgress limited([&](double f, std::string_view m) { sink.report(f, m); }, std::chrono::milliseconds(1));
    const int wait = delay_us(rng);
    std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::microseconds(wait));
      cancel.cancel();
    });
    try {
      const auto scan =
          dataset::scan_dataset(dir, {.probe_audio = true, .jobs = 8, .loose_files_label = {}}, &limited, &cancel);
      std::vector<features::LabeledFile> files;
      for (const auto& t : scan.tracks) files.push_back({t.path, t.label});
      auto result = features::extract_table(files, {.kind = features::TableKind::Clips, .jobs = 8, .params = {}},
                                            &limited, &cancel);
      ++finished;
      EXPECT_EQ(result.table.rows(), 12u);
      if (reference.table.rows() == 0) reference = std::move(result);
      else EXPECT_EQ(result.table.values, reference.table.values);
    } catch (const Cancelled&) {
      ++cancelled;
    }
    canceller.join();
    EXPECT_EQ(sink.bad, 0);
  }
  // A restart after all those cancels gives the same table as a single job.
  const auto scan = dataset::scan_dataset(dir, {.probe_audio = true, .jobs = 1, .loose_files_label = {}});
  std::vector<features::LabeledFile> files;
  for (const auto& t : scan.tracks) files.push_back({t.path, t.label});
  const auto one = features::extract_table(files, {.kind = features::TableKind::Clips, .jobs = 1, .params = {}});
  const auto many = features::extract_table(files, {.kind = features::TableKind::Clips, .jobs = 8, .params = {}});
  EXPECT_EQ(many.table.values, one.table.values);
  EXPECT_EQ(many.table.filenames, one.table.filenames);
  if (reference.table.rows() > 0) {
    EXPECT_EQ(reference.table.values, one.table.values);
  }
  std::printf("  8 rounds: %d cancelled, %d finished before the cancel\n", cancelled, finished);
}

// Training stress (issue 10): train, cancel from another thread at a random moment, restart, in
// a loop, with folds training at once. Run by the regular tests and, under ThreadSanitizer, by
// scripts/sanitize.sh.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "ml/ml_test_util.h"
#include "ml/trainer.h"
#include "util/error.h"
#include "util/progress.h"

namespace ml = genrelab::ml;

namespace {

class Counter final : public genrelab::ProgressSink, public ml::TrainingObserver {
 public:
  void report(double, std::string_view) override { ++reports; }
  void on_epoch(int, const ml::EpochStats&) override { ++epochs; }
  void on_batch(int, const ml::BatchStats&) override { ++batches; }
  std::atomic<int> reports{0}, epochs{0}, batches{0};
};

}  // namespace

TEST(Stress, TrainCancelRestartLoop) {
  const auto table = genrelab::test::blob_table(3, 30, 12, 2.0);
  ml::TrainerOptions options;
  options.model.kind = ml::ModelKind::mlp;
  options.model.hidden_units = {16};
  options.folds = 3;
  options.training.epochs = 20;
  options.training.threads = 2;  // two folds at once
  options.batch_interval = std::chrono::milliseconds(0);
  const auto reference = ml::train_and_evaluate(table, options);
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> delay_us(0, 150000);
  int cancelled = 0, finished = 0;
  for (int round = 0; round < 6; ++round) {
    genrelab::CancelToken cancel;
    Counter counter;
    const int wait = delay_us(rng);
    std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::microseconds(wait));
      cancel.cancel();
    });
    try {
      const auto result = ml::train_and_evaluate(table, options, &counter, &counter, &cancel);
      ++finished;
      EXPECT_EQ(result.report.mean_accuracy, reference.report.mean_accuracy);  // a restart changes nothing
    } catch (const genrelab::Cancelled&) {
      ++cancelled;
    }
    canceller.join();
  }
  const auto again = ml::train_and_evaluate(table, options);
  EXPECT_EQ(again.report.mean_accuracy, reference.report.mean_accuracy);
  std::printf("  6 rounds: %d cancelled, %d finished before the cancel\n", cancelled, finished);
}

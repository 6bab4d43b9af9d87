// genrelab-cli bench train: GenreLab's 5-fold x 50-epoch cnn1d timed against the same model, folds
// and batch size in PyTorch for Python (tests/bench/train_cnn1d.py), and the ratio.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/feature_table.h"
#include "ml/trainer.h"
#include "training.h"
#include "util/atomic_file.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct BenchTrainArgs {
  std::filesystem::path table;   // default: features_30_sec.csv of the default dataset
  std::filesystem::path script;  // default: tests/bench/train_cnn1d.py of the source tree
  std::string python = "/usr/bin/python3";
  int threads = 2;
  int folds = 5;
  int epochs = 50;
  unsigned long long seed = 42;
  int repeats = 1;         // timed runs of each side (the fastest counts)
  bool python_run = true;  // false: time GenreLab only
  bool json = false;
};

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

int run_bench_train(const BenchTrainArgs& args) {
  const fs::path table_path = args.table.empty() ? default_table() : args.table;
  if (table_path.empty()) return error_exit("no table: pass --table or set GENRELAB_DATA", args.json);
  const fs::path script =
      args.script.empty() ? fs::path(GENRELAB_SOURCE_DIR) / "tests/bench/train_cnn1d.py" : args.script;
  if (args.python_run && !fs::exists(script))
    return error_exit(script.string() + ": the Python baseline script does not exist", args.json);
  ml::TrainerOptions options;
  options.folds = args.folds;
  options.training.epochs = args.epochs;
  options.training.seed = args.seed;
  options.training.threads = args.threads;
  options.final_model = false;  // the Python baseline runs the folds only
  dataset::FeatureTable table;
  std::vector<int> folds;
  if (auto code = run_guarded(args.json, [&] {
        table = dataset::read_feature_table(table_path, {.require_kaggle_schema = false});
        folds = ml::make_folds(table, options);
      }))
    return *code;
  std::FILE* lines = args.json ? stderr : stdout;
  const auto split = ml::split_threads(args.threads, options.folds);
  std::fprintf(lines, "bench train: cnn1d, %s (%zu rows x %zu features), %d folds x %d epochs, batch %d\n",
               table_path.filename().c_str(), table.rows(), table.cols(), options.folds, options.training.epochs,
               options.training.batch_size);
  std::fprintf(lines,
               "threads: %d for each side (GenreLab: %d folds at once, %d compute thread(s) each; Python: "
               "torch.set_num_threads(%d))\n",
               args.threads, split.stage_jobs, split.threads_per_stage, args.threads);
  std::fprintf(lines, "BLAS: %s; OMP_WAIT_POLICY %s\n", ml::blas_library().c_str(), omp_wait_policy());
  std::fflush(lines);

  // GenreLab, in this process.
  std::vector<double> ours;
  ml::TrainingReport report;
  for (int i = 0; i < args.repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    if (auto code = run_guarded(args.json, [&] {
          report = ml::train_and_evaluate(table, options, nullptr, nullptr, &interrupt_token()).report;
        }))
      return *code;
    ours.push_back(seconds_since(t0));
    std::fprintf(lines, "GenreLab run %d: %.2f s, mean accuracy %.4f\n", i + 1, ours.back(), report.mean_accuracy);
    std::fflush(lines);
  }
  const double our_best = *std::min_element(ours.begin(), ours.end());

  json out{{"table", fs::absolute(table_path).string()},
           {"rows", table.rows()},
           {"folds", options.folds},
           {"epochs", options.training.epochs},
           {"batch_size", options.training.batch_size},
           {"threads", args.threads},
           {"blas", ml::blas_library()},
           {"omp_wait_policy", std::getenv("OMP_WAIT_POLICY") ? std::getenv("OMP_WAIT_POLICY") : ""},
           {"genrelab", {{"seconds", our_best}, {"runs", ours}, {"mean_accuracy", report.mean_accuracy}}}};
  if (!args.python_run) {
    if (args.json) print_json(out);
    else std::printf("GenreLab: %.2f s (fastest of %d)\n", our_best, args.repeats);
    return 0;
  }

  // The same folds, model and batch size in PyTorch for Python.
  const auto dir = fs::temp_directory_path() / ("genrelab-bench-train-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto spec_path = dir / "spec.json";
  json model_j = options.model, training_j = options.training;
  const json spec{{"table", fs::absolute(table_path).string()},
                  {"feature_names", table.feature_names},
                  {"fold_of_row", folds},
                  {"folds", options.folds},
                  {"model", model_j},
                  {"training", training_j},
                  {"threads", args.threads},
                  {"seed", args.seed}};
  write_text_atomically(spec_path, spec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  std::vector<double> theirs, their_walls;
  json python_result;
  for (int i = 0; i < args.repeats; ++i) {
    const auto result_path = dir / "result.json";
    const std::string cmd = shell_quote(args.python) + " " + shell_quote(script.string()) + " " +
                            shell_quote(spec_path.string()) + " " + shell_quote(result_path.string()) + " >/dev/null";
    const auto t0 = std::chrono::steady_clock::now();
    const int status = std::system(cmd.c_str());
    const double wall = seconds_since(t0);
    std::ifstream in(result_path);
    if (status != 0 || !in) {
      fs::remove_all(dir);
      return error_exit("the Python baseline failed (" + cmd + "); is python3-torch installed?", args.json);
    }
    python_result = json::parse(in);
    theirs.push_back(python_result["seconds"].get<double>());
    their_walls.push_back(wall);
    std::fprintf(lines, "Python run %d: %.2f s training (%.2f s with start-up), mean accuracy %.4f\n", i + 1,
                 theirs.back(), wall, python_result["mean_accuracy"].get<double>());
    std::fflush(lines);
  }
  fs::remove_all(dir);
  const double their_best = *std::min_element(theirs.begin(), theirs.end());
  const double ratio = our_best / their_best;
  out["python"] = {{"seconds", their_best},
                   {"runs", theirs},
                   {"process_seconds", their_walls},
                   {"mean_accuracy", python_result["mean_accuracy"]},
                   {"torch_version", python_result["torch_version"]},
                   {"script", script.string()}};
  out["ratio"] = ratio;
  if (args.json) {
    print_json(out);
    return 0;
  }
  std::printf("GenreLab       %7.2f s  mean accuracy %.4f\n", our_best, report.mean_accuracy);
  std::printf("PyTorch/Python %7.2f s  mean accuracy %.4f\n", their_best, python_result["mean_accuracy"].get<double>());
  std::printf("ratio GenreLab / Python: %.3f (%.1fx faster)\n", ratio, 1.0 / ratio);
  return 0;
}

}  // namespace

void add_bench_train(CLI::App& bench, Runner& runner) {
  auto args = std::make_shared<BenchTrainArgs>();
  auto* bench_train = bench.add_subcommand(
      "train", "Time the 5-fold x 50-epoch cnn1d against the same model and folds in PyTorch for Python");
  bench_train->add_option("--table", args->table, "Feature table (default: features_30_sec.csv of the shared data)");
  bench_train->add_option("--threads", args->threads, "Compute threads of both sides")->check(CLI::Range(1, 256));
  bench_train->add_option("--folds", args->folds, "Folds")->check(CLI::Range(2, 100));
  bench_train->add_option("--epochs", args->epochs, "Epochs per fold")->check(CLI::Range(1, 100000));
  bench_train->add_option("--seed", args->seed, "Seed");
  bench_train->add_option("--repeats", args->repeats, "Timed runs of each side (the fastest counts)")
      ->check(CLI::Range(1, 100));
  bench_train->add_option("--python", args->python, "Python interpreter with torch (Debian: /usr/bin/python3)");
  bench_train->add_option("--script", args->script, "Baseline script (default: tests/bench/train_cnn1d.py)");
  bench_train->add_flag("!--no-python", args->python_run, "Time GenreLab only");
  bench_train->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*bench_train, runner, [args] { return run_bench_train(*args); });
}

}  // namespace genrelab::cli

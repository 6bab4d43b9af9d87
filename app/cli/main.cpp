// genrelab-cli: the batch face of GenreLab. Parsing and wiring only; each subcommand, its options
// and its work are in a file of its own under app/cli/ (commands.h).
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "common.h"
#include "util/allocator.h"
#include "util/progress.h"

namespace {

void on_interrupt(int) {
  // Lock-free atomic store: async-signal-safe. A second Ctrl-C kills the process the usual way.
  genrelab::cli::interrupt_token().cancel();
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

namespace genrelab::cli {

void run_when_chosen(CLI::App& command, Runner& runner, Runner run) {
  command.callback([&runner, run = std::move(run)] { runner = run; });
}

}  // namespace genrelab::cli

int main(int argc, char** argv) {
  namespace cli = genrelab::cli;
  CLI::App app{"GenreLab command-line tool: GTZAN-style feature extraction and analysis in batch"};
  app.set_version_flag("--version", std::string("genrelab-cli ") + GENRELAB_VERSION);
  app.require_subcommand(1);

  cli::Runner runner;
  cli::add_info(app, runner);
  cli::add_extract(app, runner);
  cli::add_merge(app, runner);
  cli::add_tempo(app, runner);
  cli::add_compare_table(app, runner);
  auto* bench = app.add_subcommand("bench", "Benchmarks");
  bench->require_subcommand(1);
  cli::add_bench_extract(*bench, runner);
  cli::add_bench_store(*bench, runner);
  cli::add_bench_analyze(*bench, runner);
  cli::add_bench_train(*bench, runner);
  cli::add_analyze(app, runner);
  cli::add_train(app, runner);
  cli::add_evaluate(app, runner);
  cli::add_compare(app, runner);
  cli::add_train_audio(app, runner);
  cli::add_predict(app, runner);
  cli::add_similar(app, runner);
  cli::add_params(app, runner);
#ifdef GENRELAB_WITH_EXPORT
  cli::add_export(app, runner);
#endif

  CLI11_PARSE(app, argc, argv);
  genrelab::tune_allocator_for_batch_work();
  std::signal(SIGINT, on_interrupt);

  // Commands report the errors they expect per file; anything else (e.g. libtorch that cannot be
  // loaded) ends the run with its message instead of std::terminate.
  try {
    if (runner) return runner();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

// The genrelab-cli subcommands, one file each under app/cli/. Each add_* function declares its
// subcommand, options and help on a CLI11 App; when the user chooses it, parsing sets the runner
// to the command's work, which main() then runs for the exit code.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace genrelab::cli {

/// The chosen command's work, run after parsing; returns the exit code.
using Runner = std::function<int()>;

/// Makes parsing set `runner` to `run` when `command` is the one chosen (its CLI11 callback).
void run_when_chosen(CLI::App& command, Runner& runner, Runner run);

// In the order of `genrelab-cli --help`.
void add_info(CLI::App& app, Runner& runner);
void add_extract(CLI::App& app, Runner& runner);
void add_merge(CLI::App& app, Runner& runner);
void add_tempo(CLI::App& app, Runner& runner);
void add_compare_table(CLI::App& app, Runner& runner);
// Children of `bench`.
void add_bench_extract(CLI::App& bench, Runner& runner);
void add_bench_store(CLI::App& bench, Runner& runner);
void add_bench_analyze(CLI::App& bench, Runner& runner);
void add_bench_train(CLI::App& bench, Runner& runner);
void add_analyze(CLI::App& app, Runner& runner);
void add_train(CLI::App& app, Runner& runner);
void add_evaluate(CLI::App& app, Runner& runner);
void add_compare(CLI::App& app, Runner& runner);
void add_train_audio(CLI::App& app, Runner& runner);
void add_predict(CLI::App& app, Runner& runner);
void add_similar(CLI::App& app, Runner& runner);
void add_params(CLI::App& app, Runner& runner);
/// Only in builds with the GUI's figures (GENRELAB_WITH_EXPORT).
void add_export(CLI::App& app, Runner& runner);

}  // namespace genrelab::cli

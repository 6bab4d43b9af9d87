// genrelab-cli: the batch face of GenreLab. Parsing and wiring only; the work is in cli_commands.cpp.
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli_commands.h"
#include "util/allocator.h"
#include "util/progress.h"

namespace {

void on_interrupt(int) {
  // Lock-free atomic store: async-signal-safe. A second Ctrl-C kills the process the usual way.
  genrelab::cli::interrupt_token().cancel();
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = genrelab::cli;
  CLI::App app{"GenreLab command-line tool: GTZAN-style feature extraction and analysis in batch"};
  app.set_version_flag("--version", std::string("genrelab-cli ") + GENRELAB_VERSION);
  app.require_subcommand(1);

  std::string info_path;
  bool info_json = false;
  auto* info = app.add_subcommand("info", "Describe an audio file or a dataset folder");
  info->add_option("path", info_path, "Audio file or dataset folder")->required();
  info->add_flag("--json", info_json, "Machine-readable output");

  cli::ExtractArgs extract_args;
  auto* extract = app.add_subcommand("extract", "Compute the 57 GTZAN features (librosa 0.7.2 recipe) into a Kaggle-format CSV");
  extract->add_option("inputs", extract_args.inputs, "Audio files or folders (<label>/<file> or Kaggle layout)")->required();
  extract->add_option("-o,--output", extract_args.output, "Output CSV (written atomically, with a .json sidecar)")->required();
  extract->add_option("--segment", extract_args.segment_seconds, "30: one row per clip; 3: one row per 3-second segment")
      ->check(CLI::IsMember({30, 3}));
  extract->add_option("-j,--jobs", extract_args.jobs, "Worker threads (default: all cores)");
  extract->add_flag("--json", extract_args.json, "Machine-readable summary");

  std::vector<std::filesystem::path> tempo_files;
  bool tempo_json = false;
  auto* tempo = app.add_subcommand("tempo", "Tempo by librosa's estimator (the Kaggle column) and aubio's beat tracker, with beat times");
  tempo->add_option("files", tempo_files, "Audio files")->required();
  tempo->add_flag("--json", tempo_json, "Machine-readable output with beat times");

  std::string cmp_a, cmp_b;
  bool cmp_json = false;
  auto* compare = app.add_subcommand("compare-table", "Per-feature worst error between two feature tables (rows matched by filename)");
  compare->add_option("a", cmp_a, "Table to check")->required();
  compare->add_option("b", cmp_b, "Reference table")->required();
  compare->add_flag("--json", cmp_json, "Machine-readable output");

  cli::BenchArgs bench_args;
  auto* bench = app.add_subcommand("bench", "Benchmarks");
  bench->require_subcommand(1);
  auto* bench_extract = bench->add_subcommand("extract", "Real-time factor and per-block time of the feature extraction (one core)");
  bench_extract->add_option("--data", bench_args.data, "Dataset folder (default: GENRELAB_DATA or the shared GTZAN subset)");
  bench_extract->add_option("--clips", bench_args.clips, "Clips to time")->check(CLI::Range(1, 100000));
  bench_extract->add_option("--repeats", bench_args.repeats, "Passes over the clips")->check(CLI::Range(1, 1000));
  bench_extract->add_flag("--json", bench_args.json, "Machine-readable output");

  cli::AnalyzeArgs analyze_args;
  auto* analyze = app.add_subcommand("analyze", "Redundancy filter, PCA explained variance and genre similarity of a feature table");
  analyze->add_option("table", analyze_args.table, "Feature table (Kaggle CSV layout)")->required();
  analyze->add_option("--threshold", analyze_args.threshold, "Drop a column when |r| with an earlier one is >= this (0, 1]");
  analyze->add_option("--filter-scope", analyze_args.filter_scope, "Columns the filter looks at (the study: non-mfcc)")
      ->check(CLI::IsMember({"non-mfcc", "all"}));
  analyze->add_option("--features", analyze_args.features, "Standardised columns for PCA and genre similarity")
      ->check(CLI::IsMember({"all", "mfcc", "non-mfcc"}));
  analyze->add_option("--components", analyze_args.components, "PCA components to print")->check(CLI::Range(1, 10000));
  analyze->add_flag("--json", analyze_args.json, "Machine-readable output");

  cli::BenchAnalyzeArgs bench_analyze_args;
  auto* bench_analyze = bench->add_subcommand("analyze", "Time the whole table analysis (KDE, correlation, filter, PCA, similarity) on one core");
  bench_analyze->add_option("--table", bench_analyze_args.table, "30-s feature table (default: features_30_sec.csv of the shared data)");
  bench_analyze->add_option("--rows", bench_analyze_args.rows, "Rows of the synthetic 3-s-like table")->check(CLI::Range(10, 1000000));
  bench_analyze->add_option("--repeats", bench_analyze_args.repeats, "Timed runs per table (median reported)")->check(CLI::Range(1, 1000));
  bench_analyze->add_flag("!--no-baseline", bench_analyze_args.baseline, "Skip the direct (naive) implementation");
  bench_analyze->add_flag("--json", bench_analyze_args.json, "Machine-readable output");

  CLI11_PARSE(app, argc, argv);
  genrelab::tune_allocator_for_batch_work();
  std::signal(SIGINT, on_interrupt);

  if (*info) return cli::cmd_info(info_path, info_json);
  if (*extract) return cli::cmd_extract(extract_args);
  if (*tempo) return cli::cmd_tempo(tempo_files, tempo_json);
  if (*compare) return cli::cmd_compare_table(cmp_a, cmp_b, cmp_json);
  if (*bench_extract) return cli::cmd_bench_extract(bench_args);
  if (*analyze) return cli::cmd_analyze(analyze_args);
  if (*bench_analyze) return cli::cmd_bench_analyze(bench_analyze_args);
  return 0;
}

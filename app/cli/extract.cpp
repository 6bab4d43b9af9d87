// genrelab-cli extract: the 57 GTZAN features of audio files into a Kaggle-format CSV, through a
// feature store that makes a second run (or a resumed one) reuse what was extracted.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/dataset_scan.h"
#include "dataset/feature_table.h"
#include "features/table_extraction.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ExtractArgs {
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path output;
  int segment_seconds = 30;  // 30 = one row per clip, 3 = one row per 3-s segment
  unsigned jobs = 0;
  std::filesystem::path store;  // feature store (default: <output>.sqlite beside the output)
  bool use_store = true;        // false: --no-store
  std::string shard;            // "K/N": only shard K of N (empty: all files)
  bool log_mel = false;         // also cache log-mel spectrograms in the store
  bool json = false;
};

int run_extract(const ExtractArgs& args) {
  if (args.segment_seconds != 30 && args.segment_seconds != 3)
    return error_exit("--segment must be 30 (one row per clip) or 3 (3-second rows)", args.json);
  // Collect files: folders are scanned (<label>/<file>); single files take their folder's name as label.
  std::vector<features::LabeledFile> files;
  std::vector<dataset::SkippedFile> skipped;
  for (const auto& input : args.inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      try {
        // Files directly inside a named folder (e.g. genres_original/jazz) take that folder's name.
        auto scan = dataset::scan_dataset(
            input, {.probe_audio = false, .jobs = 0, .loose_files_label = dataset::folder_label(input)}, nullptr,
            &interrupt_token());
        for (auto& t : scan.tracks) files.push_back({t.path, t.label});
        skipped.insert(skipped.end(), scan.skipped.begin(), scan.skipped.end());
      } catch (const FileError& e) {
        skipped.push_back({input, e.reason()});
      }
    } else if (fs::exists(input, ec)) {
      const auto parent = fs::absolute(input).parent_path().filename().string();
      files.push_back({input, parent.empty() ? "unknown" : parent});
    } else {
      skipped.push_back({input, "does not exist"});
    }
  }
  if (files.empty()) {
    for (const auto& s : skipped) std::cerr << s.path.string() << ": " << s.reason << "\n";
    return error_exit("no audio files to extract", args.json);
  }
  features::ExtractOptions options;
  options.kind = args.segment_seconds == 3 ? features::TableKind::Segments : features::TableKind::Clips;
  options.jobs = args.jobs == 0 ? hardware_jobs() : args.jobs;
  if (args.use_store) options.store = args.store.empty() ? fs::path(args.output.string() + ".sqlite") : args.store;
  else if (!args.store.empty()) return error_exit("--store and --no-store contradict each other", args.json);
  if (args.log_mel && !args.use_store) return error_exit("--log-mel needs a store", args.json);
  options.cache_log_mel = args.log_mel;
  if (!args.shard.empty()) {
    try {
      options.shard = features::parse_shard(args.shard);
    } catch (const std::invalid_argument& e) {
      return error_exit(std::string("--shard: ") + e.what(), args.json);
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  features::ExtractResult result;
  const std::string cancelled = options.store.empty() ? "cancelled: nothing was written"
                                                      : "cancelled: no table written; finished files are kept in " +
                                                            options.store.string() + ", run again to resume";
  // A FileError here: the store cannot be opened or written.
  if (auto code = run_with_progress(
          "extract", args.json,
          [&](ProgressSink& progress) {
            result = features::extract_table(files, options, &progress, &interrupt_token());
          },
          StepReports().cancelled(cancelled)))
    return *code;
  const double seconds = seconds_since(t0);
  for (const auto& s : skipped) result.failures.push_back({s.path, s.reason});
  try {
    dataset::write_feature_table(args.output, result.table);
    features::write_sidecar(args.output, options, result);
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  }
  if (args.json) {
    print_json({{"output", args.output.string()},
                {"sidecar", features::sidecar_path(args.output).string()},
                {"rows", result.table.rows()},
                {"files", result.files},
                {"jobs", options.jobs},
                {"seconds", seconds},
                {"audio_seconds", result.audio_seconds},
                {"failures", failures_json(result.failures)},
                {"store", options.store.empty() ? json(nullptr) : json(options.store.string())},
                {"shard", std::to_string(options.shard.k) + "/" + std::to_string(options.shard.n)},
                {"reused", result.reused},
                {"rehashed", result.rehashed},
                {"computed", result.computed}});
  } else {
    std::printf("wrote %s: %zu rows from %zu files in %.2f s on %u thread(s)", args.output.c_str(), result.table.rows(),
                result.files - (result.failures.size() - skipped.size()), seconds, options.jobs);
    if (!options.store.empty())
      std::printf(", %zu extracted, %zu reused from %s", result.computed, result.reused, options.store.c_str());
    else std::printf(" (%.0fx real time)", result.audio_seconds / std::max(seconds, 1e-9));
    std::printf("\n");
    if (!options.shard.whole())
      std::printf("shard %d/%d: combine the shards' stores with genrelab-cli merge\n", options.shard.k,
                  options.shard.n);
    print_failures(result.failures);
  }
  return 0;
}

}  // namespace

void add_extract(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ExtractArgs>();
  auto* extract =
      app.add_subcommand("extract", "Compute the 57 GTZAN features (librosa 0.7.2 recipe) into a Kaggle-format CSV");
  extract->add_option("inputs", args->inputs, "Audio files or folders (<label>/<file> or Kaggle layout)")->required();
  extract->add_option("-o,--output", args->output, "Output CSV (written atomically, with a .json sidecar)")->required();
  extract->add_option("--segment", args->segment_seconds, "30: one row per clip; 3: one row per 3-second segment")
      ->check(CLI::IsMember({30, 3}));
  extract->add_option("-j,--jobs", args->jobs, "Worker threads (default: all cores)");
  extract->add_option("--store", args->store, "Feature store to reuse and resume from (default: <output>.sqlite)");
  extract->add_flag("!--no-store", args->use_store, "Extract everything, keep no store");
  extract->add_option("--shard", args->shard, "K/N: only shard K of N (1 <= K <= N), for clusters; combine with merge");
  extract->add_flag("--log-mel", args->log_mel, "Also cache each file's log-mel spectrogram in the store (compressed)");
  extract->add_flag("--json", args->json, "Machine-readable summary");
  run_when_chosen(*extract, runner, [args] { return run_extract(*args); });
}

}  // namespace genrelab::cli

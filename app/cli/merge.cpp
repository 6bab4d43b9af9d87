// genrelab-cli merge: the shard stores of a sharded extract (--shard K/N) combined into the table
// (and sidecar) a single extract run would have written.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/feature_table.h"
#include "features/table_extraction.h"
#include "util/error.h"

namespace genrelab::cli {
namespace {

using nlohmann::json;

struct MergeArgs {
  std::vector<std::filesystem::path> stores;  // the shard stores of one sharded extract run
  std::filesystem::path output;
  bool json = false;
};

int run_merge(const MergeArgs& args) {
  features::ExtractOptions options;
  features::ExtractResult result;
  try {
    result = features::merge_shards(args.stores, options);
    dataset::write_feature_table(args.output, result.table);
    features::write_sidecar(args.output, options, result);
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  } catch (const std::exception& e) {
    return error_exit(std::string("merge: ") + e.what(), args.json);
  }
  if (args.json) {
    print_json({{"output", args.output.string()},
                {"sidecar", features::sidecar_path(args.output).string()},
                {"rows", result.table.rows()},
                {"files", result.files},
                {"shards", args.stores.size()},
                {"audio_seconds", result.audio_seconds},
                {"failures", failures_json(result.failures)}});
  } else {
    std::printf("wrote %s: %zu rows from %zu files in %zu shards\n", args.output.c_str(), result.table.rows(),
                result.files, args.stores.size());
    print_failures(result.failures);
  }
  return 0;
}

}  // namespace

void add_merge(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<MergeArgs>();
  auto* merge = app.add_subcommand(
      "merge", "Combine the stores of a sharded extract (--shard K/N) into the table one run would write");
  merge->add_option("stores", args->stores, "Shard stores (one per shard, any order)")->required();
  merge->add_option("-o,--output", args->output, "Output CSV (written atomically, with a .json sidecar)")->required();
  merge->add_flag("--json", args->json, "Machine-readable summary");
  run_when_chosen(*merge, runner, [args] { return run_merge(*args); });
}

}  // namespace genrelab::cli

// genrelab-cli info: what an audio file is, or what a dataset folder holds.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "commands.h"
#include "common.h"
#include "dataset/dataset_scan.h"
#include "util/error.h"
#include "util/progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct InfoArgs {
  std::string path;  // audio file or dataset folder
  bool json = false;
};

json table_json(const std::optional<dataset::TableFile>& t) {
  if (!t) return nullptr;
  json j{{"path", t->path.string()}, {"rows", t->rows}};
  if (!t->error.empty()) j["error"] = t->error;
  return j;
}

int run_info(const InfoArgs& args) {
  const fs::path path = args.path;
  const bool as_json = args.json;
  std::error_code ec;
  if (!fs::exists(path, ec)) return error_exit(path.string() + ": does not exist", as_json);
  if (!fs::is_directory(path, ec)) {
    try {
      const auto info = audio::probe(path);
      if (as_json) {
        print_json({{"file", path.string()},
                    {"sample_rate", info.sample_rate},
                    {"channels", info.channels},
                    {"frames", info.frames},
                    {"duration_s", info.duration_s},
                    {"format", info.format},
                    {"encoding", info.encoding}});
      } else {
        std::printf(
            "%s\n  format       %s %s\n  sample rate  %d Hz\n  channels     %d\n  frames       %lld\n  duration     "
            "%.3f s\n",
            path.c_str(), info.format.c_str(), info.encoding.c_str(), info.sample_rate, info.channels,
            static_cast<long long>(info.frames), info.duration_s);
      }
      return 0;
    } catch (const FileError& e) {
      if (as_json) print_json({{"file", path.string()}, {"error", e.reason()}});
      else std::cerr << "error: " << e.what() << "\n";
      return 1;
    }
  }
  dataset::DatasetScan scan;
  // Ctrl-C during the scan is reported as the error "cancelled" (exit 1).
  if (auto code = run_with_progress(
          "scan", as_json,
          [&](ProgressSink& progress) { scan = dataset::scan_dataset(path, {}, &progress, &interrupt_token()); },
          StepReports().cancelled_as_error()))
    return *code;
  const auto counts = scan.tracks_per_label();
  if (as_json) {
    json labels = json::object();
    double seconds = 0;
    for (const auto& [label, n] : counts) labels[label] = n;
    for (const auto& t : scan.tracks) seconds += t.info.duration_s;
    json skipped = json::array();
    for (const auto& s : scan.skipped) skipped.push_back({{"file", s.path.string()}, {"reason", s.reason}});
    print_json(
        {{"root", scan.root.string()},
         {"layout", scan.kaggle_layout ? "kaggle-gtzan" : "label-folders"},
         {"genres", scan.labels.size()},
         {"tracks_per_genre", labels},
         {"readable_tracks", scan.tracks.size()},
         {"audio_seconds", seconds},
         {"tables", {{"features_30_sec", table_json(scan.table_30s)}, {"features_3_sec", table_json(scan.table_3s)}}},
         {"images", scan.images_dir ? json(scan.images_dir->string()) : json(nullptr)},
         {"skipped", skipped}});
    return 0;
  }
  std::printf("%s (%s layout)\n", scan.root.c_str(), scan.kaggle_layout ? "Kaggle GTZAN" : "<label>/<file>");
  std::printf("  %zu genres, %zu readable tracks\n", scan.labels.size(), scan.tracks.size());
  for (const auto& [label, n] : counts) std::printf("    %-12s %zu\n", label.c_str(), n);
  for (const auto& [name, table] : {std::pair{"30-s table", &scan.table_30s}, std::pair{"3-s table", &scan.table_3s}}) {
    if (!*table) std::printf("  %-11s none\n", name);
    else if (!(*table)->error.empty())
      std::printf("  %-11s %s: %s\n", name, (*table)->path.c_str(), (*table)->error.c_str());
    else std::printf("  %-11s %s (%zu rows)\n", name, (*table)->path.filename().c_str(), (*table)->rows);
  }
  if (scan.images_dir) std::printf("  images      %s\n", scan.images_dir->c_str());
  std::printf("  skipped     %zu file(s)\n", scan.skipped.size());
  for (const auto& s : scan.skipped) std::printf("    %s: %s\n", s.path.c_str(), s.reason.c_str());
  return 0;
}

}  // namespace

void add_info(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<InfoArgs>();
  auto* info = app.add_subcommand("info", "Describe an audio file or a dataset folder");
  info->add_option("path", args->path, "Audio file or dataset folder")->required();
  info->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*info, runner, [args] { return run_info(*args); });
}

}  // namespace genrelab::cli

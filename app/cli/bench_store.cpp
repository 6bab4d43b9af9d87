// genrelab-cli bench store: reopening an extracted collection through the feature store, against
// extracting it and against reading its CSV; the content hash's cost against decoding.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "commands.h"
#include "common.h"
#include "dataset/dataset_scan.h"
#include "dataset/demo_dataset.h"
#include "dataset/feature_table.h"
#include "features/table_extraction.h"
#include "util/content_hash.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct BenchStoreArgs {
  std::filesystem::path dir;  // generated collection (default: <temp>/genrelab-bench-store-<clips>x<seconds>s)
  int clips = 1000;
  double seconds = 3.0;
  unsigned jobs = 0;
  bool generate_only = false;  // only write the collection (to time `extract` on it by hand)
  bool json = false;
};

int run_bench_store(const BenchStoreArgs& args) {
  const int per_genre = std::max(1, args.clips / static_cast<int>(dataset::demo_genres().size()));
  char name[96];
  std::snprintf(name, sizeof(name), "genrelab-bench-store-%dx%gs", per_genre * 5, args.seconds);
  const fs::path dir = args.dir.empty() ? fs::temp_directory_path() / name : args.dir;
  const unsigned jobs = args.jobs == 0 ? hardware_jobs() : args.jobs;
  features::ExtractOptions options;
  options.jobs = jobs;
  options.store = dir / "bench.sqlite";
  std::vector<features::LabeledFile> files;
  double generate_s = 0, scan_s = 0, probe_s = 0, extract_s = 0, reopen_s = 0, csv_s = 0, hash_s = 0, decode_s = 0;
  std::size_t rows = 0, bytes = 0, decoded = 0;
  // Ctrl-C ends the benchmark silently (exit 130); failed checks are errors (exit 1).
  auto t = std::chrono::steady_clock::now();
  if (auto code = run_with_progress(
          "generate", args.json,
          [&](ProgressSink& progress) {
            dataset::ensure_demo_dataset(
                dir, {.clips_per_genre = per_genre, .clip_seconds = args.seconds, .sample_rate = 22050, .seed = 2024},
                &progress, &interrupt_token());
          },
          StepReports().cancelled("")))
    return *code;
  generate_s = seconds_since(t);
  if (args.generate_only) {
    if (args.json) print_json({{"dir", dir.string()}, {"generate_s", generate_s}});
    else std::printf("generated %s in %.1f s\n", dir.c_str(), generate_s);
    return 0;
  }
  if (auto code = run_with_progress(
          "extract", args.json,
          [&](ProgressSink& progress) {
            t = std::chrono::steady_clock::now();
            for (const auto& track :
                 dataset::scan_dataset(dir, {.probe_audio = false, .jobs = jobs, .loose_files_label = {}}).tracks)
              files.push_back({track.path, track.label});
            scan_s = seconds_since(t);
            t = std::chrono::steady_clock::now();
            dataset::scan_dataset(
                dir, {.probe_audio = true, .jobs = jobs, .loose_files_label = {}});  // what the GUI does on open
            probe_s = seconds_since(t);

            std::error_code ec;
            fs::remove(options.store, ec);
            t = std::chrono::steady_clock::now();
            const auto first = features::extract_table(files, options, &progress, &interrupt_token());
            extract_s = seconds_since(t);
            t = std::chrono::steady_clock::now();
            const auto again = features::extract_table(files, options, nullptr, &interrupt_token());
            reopen_s = seconds_since(t);
            if (again.computed != 0 || again.table.values != first.table.values)
              throw std::runtime_error("bench store: the reopened table differs from the extracted one");
            rows = again.table.rows();
            // Baseline: a dataset that ships its table as CSV (Kaggle's way) is reopened by parsing it.
            const auto csv = dir / "bench.csv";
            dataset::write_feature_table(csv, again.table);
            t = std::chrono::steady_clock::now();
            const auto parsed = dataset::read_feature_table(csv);
            csv_s = seconds_since(t);
            if (parsed.rows() != rows) throw std::runtime_error("bench store: CSV round trip lost rows");
            // Content hash (done once per changed file) against decoding the same files, both from the page cache.
            t = std::chrono::steady_clock::now();
            std::uint64_t sink = 0;
            for (const auto& f : files) {
              sink ^= content_hash_file(f.path);
              bytes += static_cast<std::size_t>(fs::file_size(f.path));
            }
            hash_s = seconds_since(t);
            const std::size_t sample = std::min<std::size_t>(files.size(), 200);
            t = std::chrono::steady_clock::now();
            for (std::size_t i = 0; i < sample; ++i) decoded += audio::load_mono(files[i].path).size() + (sink & 1);
            decode_s = seconds_since(t) * static_cast<double>(files.size()) / static_cast<double>(sample);
          },
          StepReports().cancelled("")))
    return *code;
  const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  if (args.json) {
    print_json({{"dir", dir.string()},
                {"files", files.size()},
                {"rows", rows},
                {"jobs", jobs},
                {"generate_s", generate_s},
                {"scan_s", scan_s},
                {"scan_with_probe_s", probe_s},
                {"extract_s", extract_s},
                {"reopen_s", reopen_s},
                {"csv_read_s", csv_s},
                {"reopen_speedup_vs_extract", extract_s / reopen_s},
                {"reopen_vs_csv_read", reopen_s / csv_s},
                {"hash_s", hash_s},
                {"hash_mib_per_s", mib / hash_s},
                {"decode_s_estimated", decode_s},
                {"hash_share_of_decode", hash_s / decode_s},
                {"hash_share_of_extract", hash_s / (extract_s * jobs)},
                {"store_bytes", fs::file_size(options.store)},
                {"peak_rss_mib", static_cast<double>(peak_rss_kib()) / 1024.0}});
    return 0;
  }
  std::printf("collection: %zu generated %.1f-s clips in %s (generated in %.1f s)\n", files.size(), args.seconds,
              dir.c_str(), generate_s);
  std::printf("  scan (list files)           %8.3f s\n", scan_s);
  std::printf("  scan with header probe      %8.3f s   (what the GUI does on open)\n", probe_s);
  std::printf("  extract into a new store    %8.3f s   (%u thread(s))\n", extract_s, jobs);
  std::printf("  reopen through the store    %8.3f s   %.0fx faster than extracting\n", reopen_s, extract_s / reopen_s);
  std::printf("  read the same table as CSV  %8.3f s   store/CSV time ratio %.2f\n", csv_s, reopen_s / csv_s);
  std::printf("content hash of all files     %8.3f s   (%.0f MiB, %.0f MiB/s, one thread)\n", hash_s, mib,
              mib / hash_s);
  std::printf("decode of all files (est.)    %8.3f s   hash costs %.1f%% of decoding, %.2f%% of extracting\n", decode_s,
              100.0 * hash_s / decode_s, 100.0 * hash_s / (extract_s * jobs));
  std::printf("store file %.1f MiB, peak RSS %.0f MiB\n",
              static_cast<double>(fs::file_size(options.store)) / (1024.0 * 1024.0),
              static_cast<double>(peak_rss_kib()) / 1024.0);
  return 0;
}

}  // namespace

void add_bench_store(CLI::App& bench, Runner& runner) {
  auto args = std::make_shared<BenchStoreArgs>();
  auto* bench_store = bench.add_subcommand(
      "store", "Reopen a generated collection through the feature store vs extracting it and reading its CSV");
  bench_store->add_option("--clips", args->clips, "Generated clips (five synthetic genres)")
      ->check(CLI::Range(5, 1000000));
  bench_store->add_option("--seconds", args->seconds, "Length of each clip")->check(CLI::Range(1.0, 60.0));
  bench_store->add_option("--dir", args->dir, "Where the collection is generated (kept and reused)");
  bench_store->add_option("-j,--jobs", args->jobs, "Extraction threads (default: all cores)");
  bench_store->add_flag("--generate-only", args->generate_only,
                        "Only generate the collection (then time extract on it)");
  bench_store->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*bench_store, runner, [args] { return run_bench_store(*args); });
}

}  // namespace genrelab::cli

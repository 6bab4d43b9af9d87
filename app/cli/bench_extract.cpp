// genrelab-cli bench extract: the real-time factor and per-block time of the feature extraction on
// one core, against librosa 0.7.2's figures and scipy's way of median filtering.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "commands.h"
#include "common.h"
#include "dataset/dataset_scan.h"
#include "dataset/default_location.h"
#include "dsp/median_filter.h"
#include "dsp/stft.h"
#include "features/feature_extractor.h"
#include "util/error.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct BenchExtractArgs {
  std::filesystem::path data;  // dataset folder (default: the shared GTZAN subset)
  int clips = 10;
  int repeats = 3;
  bool json = false;
};

/// The baseline for HPSS: what scipy.ndimage.median_filter does, a selection (nth_element) of
/// the 31 values around every output, along time and along frequency.
double naive_median_seconds(const dsp::Spectrogram& mag, int size) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<float> window(static_cast<std::size_t>(size)), out(mag.data.size());
  const int half = size / 2;
  for (int axis = 0; axis < 2; ++axis) {
    const int n = axis == 0 ? mag.n_frames : mag.n_bins;
    for (int t = 0; t < mag.n_frames; ++t)
      for (int k = 0; k < mag.n_bins; ++k) {
        const int pos = axis == 0 ? t : k;
        for (int j = -half; j <= half; ++j) {
          const auto i = static_cast<int>(dsp::scipy_reflect_index(pos + j, n));
          window[static_cast<std::size_t>(j + half)] = axis == 0 ? mag.at(k, i) : mag.at(i, t);
        }
        std::nth_element(window.begin(), window.begin() + half, window.end());
        out[static_cast<std::size_t>(t) * static_cast<std::size_t>(mag.n_bins) + static_cast<std::size_t>(k)] =
            window[static_cast<std::size_t>(half)];
      }
  }
  return seconds_since(t0);
}

int run_bench_extract(const BenchExtractArgs& args) {
  fs::path data = args.data;
  if (data.empty()) {
    const auto def = dataset::default_dataset_dir();
    if (!def) return error_exit("no dataset: pass --data or set GENRELAB_DATA", args.json);
    data = *def;
  }
  dataset::DatasetScan scan;
  try {
    scan = dataset::scan_dataset(data, {}, nullptr, &interrupt_token());
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  }
  // Take clips round-robin over genres so the sample covers every genre.
  std::vector<const dataset::Track*> picked;
  for (std::size_t round = 0; picked.size() < static_cast<std::size_t>(args.clips); ++round) {
    bool any = false;
    for (const auto& label : scan.labels) {
      std::size_t seen = 0;
      for (const auto& t : scan.tracks)
        if (t.label == label && seen++ == round && picked.size() < static_cast<std::size_t>(args.clips)) {
          picked.push_back(&t);
          any = true;
        }
    }
    if (!any) break;
  }
  if (picked.empty()) return error_exit("no readable clips in " + data.string(), args.json);
  std::vector<std::vector<float>> clips;
  double audio_seconds = 0;
  for (const auto* t : picked) {
    clips.push_back(audio::load_mono(t->path));
    audio_seconds += static_cast<double>(clips.back().size()) / audio::kDefaultSampleRate;
  }
  const auto extractor = features::FeatureExtractor::create();
  const long rss_before = peak_rss_kib();
  extractor.compute(clips.front());  // warm-up: page in tables and FFT code
  features::BlockTimes times;
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < args.repeats; ++r)
    for (const auto& y : clips) extractor.compute(y, &times);
  const double total = seconds_since(t0);
  const double worker_mib = static_cast<double>(peak_rss_kib() - rss_before) / 1024.0;
  // In-process baseline for the block that dominates librosa: both HPSS median filters of one clip.
  const auto mag = dsp::magnitude(dsp::Stft::create().compute(clips.front()));
  const auto t1 = std::chrono::steady_clock::now();
  dsp::median_filter_time(mag, 31);
  dsp::median_filter_freq(mag, 31);
  const double sliding = seconds_since(t1);
  const double naive = naive_median_seconds(mag, 31);
  const double runs = static_cast<double>(args.repeats) * static_cast<double>(clips.size());
  const double per_clip = total / runs;
  const double per_clip_audio = audio_seconds / static_cast<double>(clips.size());
  // Baseline from ../shared/FEATURES.md: librosa 0.7.2 on this kind of machine, one thread,
  // median over 29 clips (hpss 1.45 s of it).
  constexpr double kLibrosaSecondsPerClip = 1.95;
  constexpr double kLibrosaHpssSeconds = 1.45;
  if (args.json) {
    json blocks = json::object();
    for (std::size_t i = 0; i < features::BlockTimes::kBlocks; ++i)
      blocks[features::BlockTimes::kNames[i]] = times.seconds[i] / runs;
    print_json({{"clips", clips.size()},
                {"repeats", args.repeats},
                {"threads", 1},
                {"seconds_per_clip", per_clip},
                {"clip_audio_seconds", per_clip_audio},
                {"realtime_factor", per_clip_audio / per_clip},
                {"speedup_vs_librosa_0_7_2", kLibrosaSecondsPerClip / per_clip},
                {"block_seconds_per_clip", blocks},
                {"worker_peak_memory_mib", worker_mib},
                {"median_filters",
                 {{"sliding_s", sliding}, {"per_output_selection_s", naive}, {"speedup", naive / sliding}}}});
    return 0;
  }
  std::printf("feature extraction, one thread, %zu clips x %d repeats (%.1f s of audio per clip)\n", clips.size(),
              args.repeats, per_clip_audio);
  std::printf("  %-28s %10s %8s\n", "block", "ms/clip", "share");
  for (std::size_t i = 0; i < features::BlockTimes::kBlocks; ++i)
    std::printf("  %-28s %10.2f %7.1f%%\n", features::BlockTimes::kNames[i], 1e3 * times.seconds[i] / runs,
                100.0 * times.seconds[i] / total);
  std::printf("  %-28s %10.2f\n", "total", 1e3 * per_clip);
  std::printf("real-time factor: %.0fx (seconds of audio per second of compute, one core)\n",
              per_clip_audio / per_clip);
  std::printf("vs librosa 0.7.2 (%.2f s/clip, FEATURES.md): %.1fx faster; hpss %.1fx faster\n", kLibrosaSecondsPerClip,
              kLibrosaSecondsPerClip / per_clip, kLibrosaHpssSeconds / (times.seconds[4] / runs));
  std::printf("memory: one worker's peak grew the process by %.1f MiB (RSS) while extracting %.1f-s clips\n",
              worker_mib, per_clip_audio);
  std::printf(
      "HPSS median filters of one clip, same process: sliding window %.1f ms vs per-output selection "
      "(scipy's method) %.1f ms: %.0fx\n",
      1e3 * sliding, 1e3 * naive, naive / sliding);
  return 0;
}

}  // namespace

void add_bench_extract(CLI::App& bench, Runner& runner) {
  auto args = std::make_shared<BenchExtractArgs>();
  auto* bench_extract =
      bench.add_subcommand("extract", "Real-time factor and per-block time of the feature extraction (one core)");
  bench_extract->add_option("--data", args->data, "Dataset folder (default: GENRELAB_DATA or the shared GTZAN subset)");
  bench_extract->add_option("--clips", args->clips, "Clips to time")->check(CLI::Range(1, 100000));
  bench_extract->add_option("--repeats", args->repeats, "Passes over the clips")->check(CLI::Range(1, 1000));
  bench_extract->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*bench_extract, runner, [args] { return run_bench_extract(*args); });
}

}  // namespace genrelab::cli

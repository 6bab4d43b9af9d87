#include "cli_commands.h"
#include "cli_output.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <map>
#include <sys/resource.h>
#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "dataset/dataset_scan.h"
#include "dsp/beat_grid.h"
#include "dsp/median_filter.h"
#include "dsp/stft.h"
#include "dataset/default_location.h"
#include "dataset/demo_dataset.h"
#include "dataset/feature_store.h"
#include "dataset/feature_table.h"
#include "features/feature_extractor.h"
#include "features/table_extraction.h"
#include "terminal_progress.h"
#include "util/content_hash.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json table_json(const std::optional<dataset::TableFile>& t) {
  if (!t) return nullptr;
  json j{{"path", t->path.string()}, {"rows", t->rows}};
  if (!t->error.empty()) j["error"] = t->error;
  return j;
}

}  // namespace

CancelToken& interrupt_token() {
  static CancelToken token;
  return token;
}

int cmd_info(const fs::path& path, bool as_json) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return error_exit(path.string() + ": does not exist", as_json);
  if (!fs::is_directory(path, ec)) {
    try {
      const auto info = audio::probe(path);
      if (as_json) {
        print_json({{"file", path.string()}, {"sample_rate", info.sample_rate}, {"channels", info.channels},
                    {"frames", info.frames}, {"duration_s", info.duration_s}, {"format", info.format},
                    {"encoding", info.encoding}});
      } else {
        std::printf("%s\n  format       %s %s\n  sample rate  %d Hz\n  channels     %d\n  frames       %lld\n  duration     %.3f s\n",
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
  TerminalProgress progress("scan", as_json);
  dataset::DatasetScan scan;
  try {
    scan = dataset::scan_dataset(path, {}, &progress, &interrupt_token());
  } catch (const FileError& e) {
    return error_exit(e.what(), as_json);
  }
  progress.finish();
  const auto counts = scan.tracks_per_label();
  if (as_json) {
    json labels = json::object();
    double seconds = 0;
    for (const auto& [label, n] : counts) labels[label] = n;
    for (const auto& t : scan.tracks) seconds += t.info.duration_s;
    json skipped = json::array();
    for (const auto& s : scan.skipped) skipped.push_back({{"file", s.path.string()}, {"reason", s.reason}});
    print_json({{"root", scan.root.string()},
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
    else if (!(*table)->error.empty()) std::printf("  %-11s %s: %s\n", name, (*table)->path.c_str(), (*table)->error.c_str());
    else std::printf("  %-11s %s (%zu rows)\n", name, (*table)->path.filename().c_str(), (*table)->rows);
  }
  if (scan.images_dir) std::printf("  images      %s\n", scan.images_dir->c_str());
  std::printf("  skipped     %zu file(s)\n", scan.skipped.size());
  for (const auto& s : scan.skipped) std::printf("    %s: %s\n", s.path.c_str(), s.reason.c_str());
  return 0;
}

int cmd_extract(const ExtractArgs& args) {
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
        auto folder = fs::absolute(input).lexically_normal();
        if (!folder.has_filename()) folder = folder.parent_path();  // "jazz/" -> "jazz"
        auto scan = dataset::scan_dataset(input, {.probe_audio = false, .jobs = 0, .loose_files_label = folder.filename().string()},
                                          nullptr, &interrupt_token());
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
  TerminalProgress progress("extract", args.json);
  const auto t0 = std::chrono::steady_clock::now();
  features::ExtractResult result;
  try {
    result = features::extract_table(files, options, &progress, &interrupt_token());
  } catch (const Cancelled&) {
    progress.finish();
    if (options.store.empty()) std::cerr << "cancelled: nothing was written\n";
    else std::cerr << "cancelled: no table written; finished files are kept in " << options.store.string() << ", run again to resume\n";
    return 130;
  } catch (const FileError& e) {  // the store cannot be opened or written
    progress.finish();
    return error_exit(e.what(), args.json);
  }
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& s : skipped) result.failures.push_back({s.path, s.reason});
  try {
    dataset::write_feature_table(args.output, result.table);
    features::write_sidecar(args.output, options, result);
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  }
  if (args.json) {
    json failures = json::array();
    for (const auto& f : result.failures) failures.push_back({{"file", f.path.string()}, {"reason", f.reason}});
    print_json({{"output", args.output.string()}, {"sidecar", features::sidecar_path(args.output).string()},
                {"rows", result.table.rows()}, {"files", result.files}, {"jobs", options.jobs},
                {"seconds", seconds}, {"audio_seconds", result.audio_seconds}, {"failures", failures},
                {"store", options.store.empty() ? json(nullptr) : json(options.store.string())},
                {"shard", std::to_string(options.shard.k) + "/" + std::to_string(options.shard.n)},
                {"reused", result.reused}, {"rehashed", result.rehashed}, {"computed", result.computed}});
  } else {
    std::printf("wrote %s: %zu rows from %zu files in %.2f s on %u thread(s)", args.output.c_str(), result.table.rows(),
                result.files - (result.failures.size() - skipped.size()), seconds, options.jobs);
    if (!options.store.empty())
      std::printf(", %zu extracted, %zu reused from %s", result.computed, result.reused, options.store.c_str());
    else
      std::printf(" (%.0fx real time)", result.audio_seconds / std::max(seconds, 1e-9));
    std::printf("\n");
    if (!options.shard.whole()) std::printf("shard %d/%d: combine the shards' stores with genrelab-cli merge\n", options.shard.k, options.shard.n);
    if (!result.failures.empty()) std::printf("%zu file(s) failed:\n", result.failures.size());
    for (const auto& f : result.failures) std::printf("  %s: %s\n", f.path.c_str(), f.reason.c_str());
  }
  return 0;
}

int cmd_merge(const MergeArgs& args) {
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
    json failures = json::array();
    for (const auto& f : result.failures) failures.push_back({{"file", f.path.string()}, {"reason", f.reason}});
    print_json({{"output", args.output.string()}, {"sidecar", features::sidecar_path(args.output).string()},
                {"rows", result.table.rows()}, {"files", result.files}, {"shards", args.stores.size()},
                {"audio_seconds", result.audio_seconds}, {"failures", failures}});
  } else {
    std::printf("wrote %s: %zu rows from %zu files in %zu shards\n", args.output.c_str(), result.table.rows(), result.files,
                args.stores.size());
    if (!result.failures.empty()) std::printf("%zu file(s) failed:\n", result.failures.size());
    for (const auto& f : result.failures) std::printf("  %s: %s\n", f.path.c_str(), f.reason.c_str());
  }
  return 0;
}

int cmd_tempo(const std::vector<fs::path>& files, bool as_json) {
  const auto extractor = features::FeatureExtractor::create();
  const auto tracker = dsp::BeatTracker::create();
  json results = json::array();
  int failures = 0;
  if (!as_json) std::printf("%-40s %14s %12s %10s %6s\n", "file", "librosa BPM", "aubio BPM", "confidence", "beats");
  for (const auto& file : files) {
    try {
      const auto y = audio::load_mono(file);
      const double librosa_bpm = extractor.tempo(y);
      const auto grid = tracker.track(y);
      if (as_json) {
        results.push_back({{"file", file.string()}, {"tempo", librosa_bpm}, {"aubio_bpm", grid.bpm},
                           {"aubio_confidence", grid.confidence}, {"beats_s", grid.beats_s}});
      } else {
        std::printf("%-40s %14.3f %12.2f %10.2f %6zu\n", file.filename().c_str(), librosa_bpm, grid.bpm, grid.confidence,
                    grid.beats_s.size());
      }
    } catch (const FileError& e) {
      ++failures;
      if (as_json) results.push_back({{"file", file.string()}, {"error", e.reason()}});
      else std::fprintf(stderr, "%s\n", e.what());
    } catch (const std::invalid_argument& e) {  // too short for an STFT frame
      ++failures;
      if (as_json) results.push_back({{"file", file.string()}, {"error", e.what()}});
      else std::fprintf(stderr, "%s: %s\n", file.c_str(), e.what());
    }
  }
  if (as_json) print_json(results);
  else std::printf("librosa BPM: the Kaggle `tempo` column (librosa 0.7.2 beat_track estimator); aubio BPM: aubio's beat tracker\n");
  return failures == 0 ? 0 : 1;
}

int cmd_compare_table(const fs::path& a_path, const fs::path& b_path, bool as_json) {
  dataset::FeatureTable a, b;
  try {
    a = dataset::read_feature_table(a_path, {.require_kaggle_schema = false});
    b = dataset::read_feature_table(b_path, {.require_kaggle_schema = false});
  } catch (const FileError& e) {
    return error_exit(e.what(), as_json);
  }
  std::map<std::string, std::size_t> b_rows;
  for (std::size_t r = 0; r < b.rows(); ++r) b_rows.emplace(b.filenames[r], r);  // first of duplicates
  struct Worst {
    double rel = 0, abs = 0;
    std::string rel_file;
    std::size_t exact = 0, compared = 0;
  };
  std::vector<std::string> columns;
  for (const auto& name : a.feature_names)
    if (b.column(name) >= 0) columns.push_back(name);
  std::vector<Worst> worst(columns.size());
  std::size_t matched = 0;
  for (std::size_t r = 0; r < a.rows(); ++r) {
    const auto it = b_rows.find(a.filenames[r]);
    if (it == b_rows.end()) continue;
    ++matched;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double va = a.at(r, static_cast<std::size_t>(a.column(columns[c])));
      const double vb = b.at(it->second, static_cast<std::size_t>(b.column(columns[c])));
      const double abs_err = std::abs(va - vb);
      const double rel_err = vb == 0 ? (va == 0 ? 0.0 : std::numeric_limits<double>::infinity()) : abs_err / std::abs(vb);
      auto& w = worst[c];
      ++w.compared;
      if (va == vb) ++w.exact;
      w.abs = std::max(w.abs, abs_err);
      if (rel_err > w.rel || w.rel_file.empty()) {
        if (rel_err >= w.rel) w.rel_file = a.filenames[r];
        w.rel = std::max(w.rel, rel_err);
      }
    }
  }
  if (as_json) {
    json cols = json::array();
    for (std::size_t c = 0; c < columns.size(); ++c)
      cols.push_back({{"feature", columns[c]}, {"max_rel_error", worst[c].rel}, {"max_abs_error", worst[c].abs},
                      {"worst_file", worst[c].rel_file}, {"exact", worst[c].exact}, {"compared", worst[c].compared}});
    print_json({{"a", a_path.string()}, {"b", b_path.string()}, {"rows_a", a.rows()}, {"rows_b", b.rows()},
                {"matched_rows", matched}, {"columns", cols}});
    return 0;
  }
  std::printf("%s (%zu rows) vs %s (%zu rows): %zu rows matched by filename\n", a_path.c_str(), a.rows(), b_path.c_str(),
              b.rows(), matched);
  std::printf("%-26s %12s %12s %9s  %s\n", "feature", "max rel err", "max abs err", "exact", "worst file");
  for (std::size_t c = 0; c < columns.size(); ++c)
    std::printf("%-26s %12.3e %12.3e %4zu/%-4zu  %s\n", columns[c].c_str(), worst[c].rel, worst[c].abs, worst[c].exact,
                worst[c].compared, worst[c].rel_file.c_str());
  return 0;
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

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

}  // namespace

int cmd_bench_extract(const BenchArgs& args) {
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
    print_json({{"clips", clips.size()}, {"repeats", args.repeats}, {"threads", 1}, {"seconds_per_clip", per_clip},
                {"clip_audio_seconds", per_clip_audio}, {"realtime_factor", per_clip_audio / per_clip},
                {"speedup_vs_librosa_0_7_2", kLibrosaSecondsPerClip / per_clip}, {"block_seconds_per_clip", blocks},
                {"worker_peak_memory_mib", worker_mib},
                {"median_filters", {{"sliding_s", sliding}, {"per_output_selection_s", naive}, {"speedup", naive / sliding}}}});
    return 0;
  }
  std::printf("feature extraction, one thread, %zu clips x %d repeats (%.1f s of audio per clip)\n", clips.size(),
              args.repeats, per_clip_audio);
  std::printf("  %-28s %10s %8s\n", "block", "ms/clip", "share");
  for (std::size_t i = 0; i < features::BlockTimes::kBlocks; ++i)
    std::printf("  %-28s %10.2f %7.1f%%\n", features::BlockTimes::kNames[i], 1e3 * times.seconds[i] / runs,
                100.0 * times.seconds[i] / total);
  std::printf("  %-28s %10.2f\n", "total", 1e3 * per_clip);
  std::printf("real-time factor: %.0fx (seconds of audio per second of compute, one core)\n", per_clip_audio / per_clip);
  std::printf("vs librosa 0.7.2 (%.2f s/clip, FEATURES.md): %.1fx faster; hpss %.1fx faster\n", kLibrosaSecondsPerClip,
              kLibrosaSecondsPerClip / per_clip, kLibrosaHpssSeconds / (times.seconds[4] / runs));
  std::printf("memory: one worker's peak grew the process by %.1f MiB (RSS) while extracting %.1f-s clips\n", worker_mib,
              per_clip_audio);
  std::printf("HPSS median filters of one clip, same process: sliding window %.1f ms vs per-output selection "
              "(scipy's method) %.1f ms: %.0fx\n", 1e3 * sliding, 1e3 * naive, naive / sliding);
  return 0;
}

int cmd_bench_store(const BenchStoreArgs& args) {
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
  try {
    TerminalProgress gen_progress("generate", args.json);
    auto t = std::chrono::steady_clock::now();
    dataset::ensure_demo_dataset(dir, {.clips_per_genre = per_genre, .clip_seconds = args.seconds, .sample_rate = 22050, .seed = 2024},
                                 &gen_progress, &interrupt_token());
    gen_progress.finish();
    generate_s = seconds_since(t);
    if (args.generate_only) {
      if (args.json) print_json({{"dir", dir.string()}, {"generate_s", generate_s}});
      else std::printf("generated %s in %.1f s\n", dir.c_str(), generate_s);
      return 0;
    }
    t = std::chrono::steady_clock::now();
    for (const auto& track : dataset::scan_dataset(dir, {.probe_audio = false, .jobs = jobs, .loose_files_label = {}}).tracks)
      files.push_back({track.path, track.label});
    scan_s = seconds_since(t);
    t = std::chrono::steady_clock::now();
    dataset::scan_dataset(dir, {.probe_audio = true, .jobs = jobs, .loose_files_label = {}});  // what the GUI does on open
    probe_s = seconds_since(t);

    std::error_code ec;
    fs::remove(options.store, ec);
    TerminalProgress progress("extract", args.json);
    t = std::chrono::steady_clock::now();
    const auto first = features::extract_table(files, options, &progress, &interrupt_token());
    progress.finish();
    extract_s = seconds_since(t);
    t = std::chrono::steady_clock::now();
    const auto again = features::extract_table(files, options, nullptr, &interrupt_token());
    reopen_s = seconds_since(t);
    if (again.computed != 0 || again.table.values != first.table.values)
      return error_exit("bench store: the reopened table differs from the extracted one", args.json);
    rows = again.table.rows();
    // Baseline: a dataset that ships its table as CSV (Kaggle's way) is reopened by parsing it.
    const auto csv = dir / "bench.csv";
    dataset::write_feature_table(csv, again.table);
    t = std::chrono::steady_clock::now();
    const auto parsed = dataset::read_feature_table(csv);
    csv_s = seconds_since(t);
    if (parsed.rows() != rows) return error_exit("bench store: CSV round trip lost rows", args.json);
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
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  } catch (const Cancelled&) {
    return 130;
  }
  const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  if (args.json) {
    print_json({{"dir", dir.string()}, {"files", files.size()}, {"rows", rows}, {"jobs", jobs}, {"generate_s", generate_s},
                {"scan_s", scan_s}, {"scan_with_probe_s", probe_s}, {"extract_s", extract_s}, {"reopen_s", reopen_s},
                {"csv_read_s", csv_s}, {"reopen_speedup_vs_extract", extract_s / reopen_s},
                {"reopen_vs_csv_read", reopen_s / csv_s}, {"hash_s", hash_s}, {"hash_mib_per_s", mib / hash_s},
                {"decode_s_estimated", decode_s}, {"hash_share_of_decode", hash_s / decode_s},
                {"hash_share_of_extract", hash_s / (extract_s * jobs)},
                {"store_bytes", fs::file_size(options.store)}, {"peak_rss_mib", static_cast<double>(peak_rss_kib()) / 1024.0}});
    return 0;
  }
  std::printf("collection: %zu generated %.1f-s clips in %s (generated in %.1f s)\n", files.size(), args.seconds, dir.c_str(), generate_s);
  std::printf("  scan (list files)           %8.3f s\n", scan_s);
  std::printf("  scan with header probe      %8.3f s   (what the GUI does on open)\n", probe_s);
  std::printf("  extract into a new store    %8.3f s   (%u thread(s))\n", extract_s, jobs);
  std::printf("  reopen through the store    %8.3f s   %.0fx faster than extracting\n", reopen_s, extract_s / reopen_s);
  std::printf("  read the same table as CSV  %8.3f s   store/CSV time ratio %.2f\n", csv_s, reopen_s / csv_s);
  std::printf("content hash of all files     %8.3f s   (%.0f MiB, %.0f MiB/s, one thread)\n", hash_s, mib, mib / hash_s);
  std::printf("decode of all files (est.)    %8.3f s   hash costs %.1f%% of decoding, %.2f%% of extracting\n", decode_s,
              100.0 * hash_s / decode_s, 100.0 * hash_s / (extract_s * jobs));
  std::printf("store file %.1f MiB, peak RSS %.0f MiB\n", static_cast<double>(fs::file_size(options.store)) / (1024.0 * 1024.0),
              static_cast<double>(peak_rss_kib()) / 1024.0);
  return 0;
}

}  // namespace genrelab::cli

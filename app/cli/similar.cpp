// genrelab-cli similar: the tracks of a feature table nearest to songs (core/stats/similar_tracks.h),
// with the songs' features extracted by the code that made the table (features::FeatureExtractor).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "commands.h"
#include "common.h"
#include "dataset/feature_table.h"
#include "features/feature_extractor.h"
#include "ml/predictor.h"
#include "stats/similar_tracks.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct SimilarArgs {
  std::vector<std::filesystem::path> inputs;  // audio files or folders
  std::filesystem::path table;                // default: features_30_sec.csv of the default dataset
  int top = 10;
  double window_s = 30.0;     // songs longer than one window are cut into windows of this length
  bool exclude_self = false;  // skip table rows of the song's own track id
  unsigned jobs = 0;
  bool json = false;
};

/// A song up to this many windows long is one window (the whole song), as the table's clips are:
/// GTZAN's 30-s clips vary by about 1%.
constexpr double kOneWindowFraction = 1.02;
/// Songs shorter than this fraction of a window are refused: their features (means and variances
/// over a few frames, tempo) do not describe the same thing as the table's rows.
constexpr double kMinWindowFraction = 0.5;

struct SongWindow {
  std::int64_t start = 0, length = 0;
  std::vector<double> features;  // every extractor column
  std::vector<stats::SimilarTrack> top;
};

struct SimilarSong {
  fs::path file;
  std::string error;
  double duration_s = 0.0;
  std::vector<SongWindow> windows;
  std::vector<stats::SimilarTrack> top;
  std::vector<std::string> warnings;
};

/// Window starts: the whole song when it is about one window, else back-to-back windows and, when
/// the last one stops short of the end, one more ending at the end.
std::vector<SongWindow> cut_windows(std::int64_t n, std::int64_t window) {
  if (static_cast<double>(n) <= kOneWindowFraction * static_cast<double>(window)) return {{0, n, {}, {}}};
  std::vector<SongWindow> w;
  std::int64_t s = 0;
  for (; s + window <= n; s += window) w.push_back({s, window, {}, {}});
  if (w.back().start + window < n) w.push_back({n - window, window, {}, {}});
  return w;
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

json ranking_json(const std::vector<stats::SimilarTrack>& top) {
  json rows = json::array();
  for (std::size_t i = 0; i < top.size(); ++i)
    rows.push_back(
        {{"rank", i + 1}, {"file", top[i].filename}, {"genre", top[i].label}, {"similarity", top[i].similarity}});
  return rows;
}

/// One song against the table: its windows, their features and rankings, and the ranking by their
/// mean. An error of the song's own (not Ctrl-C) is kept in the result.
SimilarSong rank_song(const fs::path& file, const SimilarArgs& args, const features::FeatureExtractor& extractor,
                      const stats::SimilarTracks& index) {
  const int sr = extractor.params().sample_rate;
  const auto window = static_cast<std::int64_t>(std::llround(args.window_s * sr));
  SimilarSong song;
  song.file = file;
  try {
    const auto y = audio::load_mono(file, sr);
    const auto n = static_cast<std::int64_t>(y.size());
    song.duration_s = static_cast<double>(n) / sr;
    if (static_cast<double>(n) < kMinWindowFraction * static_cast<double>(window))
      throw std::runtime_error("too short: " + format_seconds(song.duration_s) +
                               " of audio, the comparison needs at least " +
                               format_seconds(kMinWindowFraction * args.window_s) + " (half a " +
                               format_seconds(args.window_s) + " window)");
    if (static_cast<double>(n) < 0.98 * static_cast<double>(window))
      song.warnings.push_back("shorter than one window (" + format_seconds(song.duration_s) + " < " +
                              format_seconds(args.window_s) + "): compared on the whole song");
    song.windows = cut_windows(n, window);
    parallel_for(
        song.windows.size(), args.jobs,
        [&](std::size_t i) {
          auto& w = song.windows[i];
          w.features = index.query_from(extractor.feature_names(),
                                        extractor.compute(std::span<const float>(y).subspan(
                                            static_cast<std::size_t>(w.start), static_cast<std::size_t>(w.length))));
        },
        &interrupt_token());
    interrupt_token().check();
    // --exclude-self: table rows of the song's own track id (its file name, as the table names tracks).
    const std::string self = args.exclude_self ? dataset::parse_track_key(file.filename().string()).track_id : "";
    std::vector<std::vector<double>> rows;
    for (auto& w : song.windows) {
      w.top = index.nearest(w.features, static_cast<std::size_t>(args.top), self);
      rows.push_back(w.features);
    }
    song.top = index.nearest_mean(rows, static_cast<std::size_t>(args.top), self);
  } catch (const Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    const std::string what = e.what();
    song.error = what.find(file.string()) == std::string::npos ? file.string() + ": " + what : what;
    song.windows.clear();
  }
  return song;
}

int run_similar(const SimilarArgs& args) {
  const fs::path table_path = args.table.empty() ? default_table() : args.table;
  if (table_path.empty()) return error_exit("no table: pass --table or set GENRELAB_DATA", args.json);
  if (!(args.window_s >= 1.0)) return error_exit("--window-seconds must be at least 1", args.json);
  const auto extractor = features::FeatureExtractor::create();
  dataset::FeatureTable table;
  std::optional<stats::SimilarTracks> index;
  try {
    table = dataset::read_feature_table(table_path, {.require_kaggle_schema = false});
    index.emplace(stats::SimilarTracks::create(table));
    index->query_from(extractor.feature_names(),
                      std::vector<double>(extractor.feature_names().size()));  // every column extractable
  } catch (const std::exception& e) {
    const std::string what = e.what();
    // FileError already names the file; the core's invalid_argument does not.
    return error_exit(what.find(table_path.string()) == std::string::npos ? table_path.string() + ": " + what : what,
                      args.json);
  }
  const int sr = extractor.params().sample_rate;
  std::fprintf(stderr, "table %s: %zu rows, %zu of %zu columns used", table_path.c_str(), index->rows(),
               index->used_columns().size(), index->columns().size());
  for (const auto& c : index->left_out()) std::fprintf(stderr, "; %s left out (%s)", c.name.c_str(), c.reason.c_str());
  std::fprintf(stderr, "\n");
  {
    std::vector<std::int64_t> lengths = table.lengths;
    std::nth_element(lengths.begin(), lengths.begin() + static_cast<std::ptrdiff_t>(lengths.size() / 2), lengths.end());
    const double row_s = static_cast<double>(lengths[lengths.size() / 2]) / sr;
    if (std::fabs(row_s - args.window_s) > 0.1 * args.window_s)
      std::fprintf(stderr, "note: the table's rows describe %.1f-s clips but windows are %.1f s (--window-seconds)\n",
                   row_s, args.window_s);
  }

  const auto files = ml::expand_audio_inputs(args.inputs);
  if (files.empty()) return error_exit("no audio files in the given inputs", args.json);
  std::vector<SimilarSong> results;
  const auto t0 = std::chrono::steady_clock::now();
  if (auto code = run_with_progress(
          "similar", args.json,
          [&](ProgressSink& progress) {
            for (std::size_t f = 0; f < files.size(); ++f) {
              progress.report(static_cast<double>(f) / static_cast<double>(files.size()), files[f].filename().string());
              results.push_back(rank_song(files[f], args, extractor, *index));
            }
            progress.report(1.0, "");
          },
          StepReports().cancelled("interrupted").quiet(false)))
    return *code;
  const double elapsed = seconds_since(t0);
  std::fprintf(stderr, "compared %zu song(s) in %.3f s\n", results.size(), elapsed);

  std::size_t failures = 0;
  if (args.json) {
    json songs = json::array();
    for (const auto& s : results) {
      if (!s.error.empty()) {
        ++failures;
        songs.push_back({{"file", s.file.string()}, {"error", s.error}});
        continue;
      }
      json windows = json::array();
      for (const auto& w : s.windows)
        windows.push_back({{"start_s", static_cast<double>(w.start) / sr},
                           {"end_s", static_cast<double>(w.start + w.length) / sr},
                           {"similar", ranking_json(w.top)}});
      songs.push_back({{"file", s.file.string()},
                       {"duration_s", s.duration_s},
                       {"similar", ranking_json(s.top)},
                       {"windows", std::move(windows)},
                       {"warnings", s.warnings}});
    }
    json left_out = json::array();
    for (const auto& c : index->left_out()) left_out.push_back({{"column", c.name}, {"reason", c.reason}});
    print_json({{"table", table_path.string()},
                {"table_rows", index->rows()},
                {"columns_used", index->used_columns().size()},
                {"left_out_columns", std::move(left_out)},
                {"window_s", args.window_s},
                {"measure", "cosine similarity of features standardised with the table's means and population stds"},
                {"songs", std::move(songs)}});
  } else {
    for (const auto& s : results) {
      if (!s.error.empty()) {
        ++failures;
        std::printf("%s\n  error: %s\n\n", s.file.c_str(), s.error.c_str());
        continue;
      }
      std::printf("%s (%s, %zu window%s)\n", s.file.c_str(), format_seconds(s.duration_s).c_str(), s.windows.size(),
                  s.windows.size() == 1 ? "" : "s, ranked by their mean");
      for (const auto& w : s.warnings) std::printf("  warning: %s\n", w.c_str());
      std::printf("  %4s  %10s  %-12s  %s\n", "rank", "similarity", "genre", "file");
      for (std::size_t i = 0; i < s.top.size(); ++i)
        std::printf("  %4zu  %10.4f  %-12s  %s\n", i + 1, s.top[i].similarity, s.top[i].label.c_str(),
                    s.top[i].filename.c_str());
      std::printf("\n");
    }
  }
  if (failures) std::fprintf(stderr, "%zu of %zu song(s) could not be compared\n", failures, results.size());
  return failures == results.size() ? 1 : 0;
}

}  // namespace

void add_similar(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<SimilarArgs>();
  auto* similar = app.add_subcommand(
      "similar", "The tracks of a feature table most similar to songs (cosine of standardised features)");
  similar->add_option("inputs", args->inputs, "Audio files or folders")->required();
  similar->add_option("--table", args->table,
                      "Feature table (default: features_30_sec.csv of GENRELAB_DATA or the shared data)");
  similar->add_option("--top", args->top, "Rows per ranking")->check(CLI::Range(1, 1000000));
  similar
      ->add_option("--window-seconds", args->window_s,
                   "Window of a long song (a song up to 2% longer is one window; at least half a window needed)")
      ->check(CLI::Range(1.0, 3600.0));
  similar->add_flag("--exclude-self", args->exclude_self,
                    "Leave out table rows of the song's own track id (from its file name)");
  similar->add_option("-j,--jobs", args->jobs, "Worker threads for a song's windows (default: all cores)");
  similar->add_flag("--json", args->json, "JSON with the per-window rankings");
  run_when_chosen(*similar, runner, [args] { return run_similar(*args); });
}

}  // namespace genrelab::cli

// genrelab-cli tempo: the tempo of each file by two estimators, librosa's (the Kaggle `tempo`
// column) and aubio's beat tracker (with its beat times).
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "commands.h"
#include "common.h"
#include "dsp/beat_grid.h"
#include "features/feature_extractor.h"
#include "util/error.h"

namespace genrelab::cli {
namespace {

using nlohmann::json;

struct TempoArgs {
  std::vector<std::filesystem::path> files;
  bool json = false;
};

int run_tempo(const TempoArgs& args) {
  const bool as_json = args.json;
  const auto extractor = features::FeatureExtractor::create();
  const auto tracker = dsp::BeatTracker::create();
  json results = json::array();
  int failures = 0;
  if (!as_json) std::printf("%-40s %14s %12s %10s %6s\n", "file", "librosa BPM", "aubio BPM", "confidence", "beats");
  for (const auto& file : args.files) {
    try {
      const auto y = audio::load_mono(file);
      const double librosa_bpm = extractor.tempo(y);
      const auto grid = tracker.track(y);
      if (as_json) {
        results.push_back({{"file", file.string()},
                           {"tempo", librosa_bpm},
                           {"aubio_bpm", grid.bpm},
                           {"aubio_confidence", grid.confidence},
                           {"beats_s", grid.beats_s}});
      } else {
        std::printf("%-40s %14.3f %12.2f %10.2f %6zu\n", file.filename().c_str(), librosa_bpm, grid.bpm,
                    grid.confidence, grid.beats_s.size());
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
  else
    std::printf(
        "librosa BPM: the Kaggle `tempo` column (librosa 0.7.2 beat_track estimator); aubio BPM: aubio's beat "
        "tracker\n");
  return failures == 0 ? 0 : 1;
}

}  // namespace

void add_tempo(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<TempoArgs>();
  auto* tempo = app.add_subcommand(
      "tempo", "Tempo by librosa's estimator (the Kaggle column) and aubio's beat tracker, with beat times");
  tempo->add_option("files", args->files, "Audio files")->required();
  tempo->add_flag("--json", args->json, "Machine-readable output with beat times");
  run_when_chosen(*tempo, runner, [args] { return run_tempo(*args); });
}

}  // namespace genrelab::cli

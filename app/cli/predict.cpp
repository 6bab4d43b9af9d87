// genrelab-cli predict: song-level genre prediction with a model bundle (core/ml/predictor.h), or
// without one with the dataset's recommended model (ml/recommended_model.h), trained once and cached.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/dataset_scan.h"
#include "dataset/default_location.h"
#include "dataset/demo_dataset.h"
#include "dataset/feature_store.h"
#include "features/table_extraction.h"
#include "ml/model_bundle.h"
#include "ml/predictor.h"
#include "ml/recommended_model.h"
#include "terminal_progress.h"
#include "util/error.h"
#include "util/progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct PredictArgs {
  std::filesystem::path model;                // model bundle (.glmodel); empty = the recommended model
  std::filesystem::path table;                // without a model: train the recommended one on this table
  std::filesystem::path data;                 // without a model or table: this dataset folder
  std::vector<std::filesystem::path> inputs;  // audio files or folders
  double window_s = 0.0;                      // 0 = the model's training unit (30-s clip or 3-s segment)
  double hop_s = 0.0;                         // 0 = half a window
  std::string aggregate = "mean";             // mean | vote
  unsigned jobs = 0;
  bool json = false;
};

json probabilities_json(const std::vector<std::string>& labels, const std::vector<float>& p) {
  json j = json::object();
  for (std::size_t i = 0; i < labels.size() && i < p.size(); ++i) j[labels[i]] = p[i];
  return j;
}

json song_json(const std::vector<std::string>& labels, const ml::SongPrediction& s) {
  json j{{"file", s.file.string()}};
  if (!s.ok()) {
    j["error"] = s.error;
    j["warnings"] = s.warnings;
    return j;
  }
  j["genre"] = s.genre;
  j["confidence"] = s.confidence;
  j["duration_s"] = s.duration_s;
  j["probabilities"] = probabilities_json(labels, s.probabilities);
  json windows = json::array();
  for (const auto& w : s.windows)
    windows.push_back({{"start_s", w.start_s},
                       {"end_s", w.end_s},
                       {"genre", labels[static_cast<std::size_t>(w.genre)]},
                       {"probabilities", probabilities_json(labels, w.probabilities)}});
  j["windows"] = std::move(windows);
  j["warnings"] = s.warnings;
  return j;
}

std::string top3(const std::vector<std::string>& labels, const std::vector<float>& p) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  std::string out;
  for (std::size_t i = 0; i < std::min<std::size_t>(3, order.size()); ++i) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s %.2f", i ? ", " : "", labels[order[i]].c_str(),
                  static_cast<double>(p[order[i]]));
    out += buf;
  }
  return out;
}

/// The feature table the recommended model learns from: --table, else the dataset's (--data, the
/// default dataset, else the demo dataset) 30-s table, its 3-s table, or a table extracted from its
/// audio (through its feature store). Sets `name` to what the report calls it and `params` to how
/// the table was extracted (its sidecar; none for a Kaggle table). Throws FileError.
dataset::FeatureTable recommended_table(const PredictArgs& args, std::string& name,
                                        std::optional<features::ExtractionParams>& params) {
  if (!args.table.empty()) {
    name = args.table.filename().string();
    params = features::read_sidecar_params(args.table);
    return dataset::read_feature_table(args.table, {.require_kaggle_schema = false});
  }
  fs::path dir = args.data;
  if (dir.empty()) {
    if (const auto def = dataset::default_dataset_dir()) {
      dir = *def;
    } else {
      TerminalProgress progress("demo dataset");
      dir = dataset::ensure_demo_dataset(dataset::cache_dir() / "demo", {}, &progress, &interrupt_token());
      progress.finish();
    }
  }
  const auto scan = dataset::scan_dataset(dir, {}, nullptr, &interrupt_token());
  for (const auto* file : {&scan.table_30s, &scan.table_3s})
    if (*file && (*file)->error.empty()) {
      name = (*file)->path.filename().string();
      params = features::read_sidecar_params((*file)->path);
      return dataset::read_feature_table((*file)->path, {.require_kaggle_schema = false});
    }
  if (scan.tracks.empty())
    throw FileError(dir, "no feature table and no readable audio to train the recommended model on");
  std::vector<features::LabeledFile> files;
  for (const auto& t : scan.tracks) files.push_back({t.path, t.label});
  features::ExtractOptions options;
  options.jobs = args.jobs;
  try {
    options.store = dataset::default_store_path(scan.root);
  } catch (const FileError& e) {
    std::fprintf(stderr, "note: no feature store (%s)\n", e.what());
  }
  std::fprintf(stderr, "%s has no feature table: extracting one from %zu audio file(s) (through its feature store)\n",
               dir.c_str(), files.size());
  TerminalProgress progress("features");
  auto result = features::extract_table(files, options, &progress, &interrupt_token());
  progress.finish();
  for (const auto& f : result.failures) std::fprintf(stderr, "skipped %s: %s\n", f.path.c_str(), f.reason.c_str());
  name = "features extracted from " + scan.root.filename().string();
  params = options.params;
  return std::move(result.table);
}

/// The recommended model (ml/recommended_model.h) of recommended_table(); says on stderr which it is.
ml::ModelBundle recommended_bundle(const PredictArgs& args) {
  std::string name;
  std::optional<features::ExtractionParams> params;
  const auto table = recommended_table(args, name, params);
  TerminalProgress progress("recommended model");
  const auto t0 = std::chrono::steady_clock::now();
  ml::RecommendedModel model;
  try {
    model = ml::recommended_model(table, name, params, dataset::cache_dir(), static_cast<int>(args.jobs), &progress,
                                  &interrupt_token());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(name + ": the recommended model cannot be trained on it: " + e.what());
  }
  progress.finish();
  if (!model.cache_problem.empty())
    std::fprintf(stderr, "note: cached model not used (%s)\n", model.cache_problem.c_str());
  std::fprintf(stderr, "model: %s\n", ml::describe_bundle(model.bundle, name).c_str());
  if (model.from_cache) std::fprintf(stderr, "       loaded from the cache: %s\n", model.file.c_str());
  else if (model.save_problem.empty())
    std::fprintf(stderr, "       trained in %.1f s and cached: %s\n", seconds_since(t0), model.file.c_str());
  else std::fprintf(stderr, "       trained, not cached: %s\n", model.save_problem.c_str());
  return std::move(model.bundle);
}

int run_predict(const PredictArgs& args) {
  ml::PredictOptions options;
  options.window_s = args.window_s;
  options.hop_s = args.hop_s;
  options.aggregate = ml::parse_aggregation(args.aggregate).value_or(ml::Aggregation::mean);
  options.jobs = args.jobs;
  std::optional<ml::Predictor> predictor;
  if (auto code = run_guarded(
          args.json,
          [&] {
            if (args.model.empty()) predictor.emplace(ml::Predictor::from_bundle(recommended_bundle(args), options));
            else predictor.emplace(ml::Predictor::load(args.model, options));
          },
          StepReports().cancelled("interrupted")))
    return *code;
  const auto files = ml::expand_audio_inputs(args.inputs);
  if (files.empty()) {
    std::cerr << "error: no audio files in the given inputs\n";
    return 1;
  }
  std::fprintf(stderr, "window %.2f s, hop %.2f s (training unit: %s), %zu file(s); extraction parameters: %s\n",
               static_cast<double>(predictor->window_samples()) / predictor->sample_rate(),
               static_cast<double>(predictor->hop_samples()) / predictor->sample_rate(),
               predictor->unit_source().c_str(), files.size(), predictor->extraction_source().c_str());
  std::vector<ml::SongPrediction> results;
  const auto t0 = std::chrono::steady_clock::now();
  if (auto code = run_with_progress(
          "predict", args.json,
          [&](ProgressSink& progress) { results = predictor->predict_files(files, &progress, &interrupt_token()); },
          StepReports().cancelled("interrupted").quiet(files.size() < 2)))
    return *code;
  const double seconds = seconds_since(t0);
  double audio_s = 0.0;
  for (const auto& r : results) audio_s += r.duration_s;
  std::fprintf(stderr, "classified %zu file(s), %.1f s of audio, in %.3f s (%.0fx real time)\n", results.size(),
               audio_s, seconds, seconds > 0 ? audio_s / seconds : 0.0);
  const auto& labels = predictor->label_names();
  const auto failures =
      static_cast<std::size_t>(std::count_if(results.begin(), results.end(), [](const auto& r) { return !r.ok(); }));
  if (args.json) {
    json out = json::array();
    for (const auto& r : results) out.push_back(song_json(labels, r));
    print_json(out);
  } else {
    std::size_t width = 4;
    for (const auto& r : results) width = std::max(width, r.file.string().size());
    width = std::min<std::size_t>(width, 60);
    std::printf("%-*s  %-12s  %10s  %s\n", static_cast<int>(width), "file", "genre", "confidence", "top-3");
    for (const auto& r : results) {
      if (!r.ok()) {
        std::printf("%-*s  %-12s  %10s  %s\n", static_cast<int>(width), r.file.c_str(), "-", "-",
                    ("error: " + r.error).c_str());
        continue;
      }
      std::printf("%-*s  %-12s  %10.3f  %s\n", static_cast<int>(width), r.file.c_str(), r.genre.c_str(), r.confidence,
                  top3(labels, r.probabilities).c_str());
      for (const auto& w : r.warnings) std::printf("%-*s  warning: %s\n", static_cast<int>(width), "", w.c_str());
    }
  }
  if (failures) std::fprintf(stderr, "%zu of %zu file(s) could not be classified\n", failures, results.size());
  return failures == results.size() ? 1 : 0;
}

}  // namespace

void add_predict(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<PredictArgs>();
  auto* predict =
      app.add_subcommand("predict",
                         "Classify songs (any length, mp3/flac/ogg/wav) with a model bundle, or without one with the "
                         "dataset's recommended model (trained once, then cached)");
  predict->add_option(
      "-m,--model", args->model,
      "Model bundle (.glmodel). Without it: the recommended model (krr_lda) of --table or of the default "
      "dataset (GENRELAB_DATA, the shared GTZAN subset, else the demo dataset), loaded from the user's "
      "cache or trained and cached there");
  predict->add_option("--table", args->table, "Without -m: the feature table to train the recommended model on");
  predict->add_option("--data", args->data, "Without -m: the dataset folder whose table (or audio) trains it");
  predict->add_option("inputs", args->inputs, "Audio files or folders")->required();
  predict->add_option("--window", args->window_s, "Window in seconds (default: the model's training unit, 30 or 3)")
      ->check(CLI::Range(0.1, 3600.0));
  predict->add_option("--hop", args->hop_s, "Seconds between windows (default: half a window)")
      ->check(CLI::Range(0.01, 3600.0));
  predict->add_option("--aggregate", args->aggregate, "mean (of probabilities) or vote (majority of windows)")
      ->check(CLI::IsMember({"mean", "vote"}));
  predict->add_option("-j,--jobs", args->jobs, "Worker threads (default: all cores)");
  predict->add_flag("--json", args->json, "JSON array with per-window timelines");
  run_when_chosen(*predict, runner, [args] { return run_predict(*args); });
}

}  // namespace genrelab::cli

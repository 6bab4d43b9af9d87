// genrelab-cli predict: song-level genre prediction with a model bundle (core/ml/predictor.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli_commands.h"
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
    std::snprintf(buf, sizeof buf, "%s%s %.2f", i ? ", " : "", labels[order[i]].c_str(), static_cast<double>(p[order[i]]));
    out += buf;
  }
  return out;
}

/// The feature table the recommended model learns from: --table, else the dataset's (--data, the
/// default dataset, else the demo dataset) 30-s table, its 3-s table, or a table extracted from its
/// audio (through its feature store). Sets `name` to what the report calls it. Throws FileError.
dataset::FeatureTable recommended_table(const PredictArgs& args, std::string& name) {
  if (!args.table.empty()) {
    name = args.table.filename().string();
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
      return dataset::read_feature_table((*file)->path, {.require_kaggle_schema = false});
    }
  if (scan.tracks.empty()) throw FileError(dir, "no feature table and no readable audio to train the recommended model on");
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
  return std::move(result.table);
}

/// The recommended model (ml/recommended_model.h) of recommended_table(); says on stderr which it is.
ml::ModelBundle recommended_bundle(const PredictArgs& args) {
  std::string name;
  const auto table = recommended_table(args, name);
  TerminalProgress progress("recommended model");
  const auto t0 = std::chrono::steady_clock::now();
  ml::RecommendedModel model;
  try {
    model = ml::recommended_model(table, name, dataset::cache_dir(), static_cast<int>(args.jobs), &progress,
                                  &interrupt_token());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(name + ": the recommended model cannot be trained on it: " + e.what());
  }
  progress.finish();
  if (!model.cache_problem.empty()) std::fprintf(stderr, "note: cached model not used (%s)\n", model.cache_problem.c_str());
  std::fprintf(stderr, "model: %s\n", ml::describe_bundle(model.bundle, name).c_str());
  if (model.from_cache)
    std::fprintf(stderr, "       loaded from the cache: %s\n", model.file.c_str());
  else if (model.save_problem.empty())
    std::fprintf(stderr, "       trained in %.1f s and cached: %s\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), model.file.c_str());
  else
    std::fprintf(stderr, "       trained, not cached: %s\n", model.save_problem.c_str());
  return std::move(model.bundle);
}

}  // namespace

int cmd_predict(const PredictArgs& args) {
  ml::PredictOptions options;
  options.window_s = args.window_s;
  options.hop_s = args.hop_s;
  options.aggregate = ml::parse_aggregation(args.aggregate).value_or(ml::Aggregation::mean);
  options.jobs = args.jobs;
  std::optional<ml::Predictor> predictor;
  try {
    if (args.model.empty()) predictor.emplace(ml::Predictor::from_bundle(recommended_bundle(args), options));
    else predictor.emplace(ml::Predictor::load(args.model, options));
  } catch (const Cancelled&) {
    std::cerr << "interrupted\n";
    return 130;
  } catch (const std::exception& e) {
    if (args.json) std::cout << json{{"error", e.what()}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    else std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  const auto files = ml::expand_audio_inputs(args.inputs);
  if (files.empty()) {
    std::cerr << "error: no audio files in the given inputs\n";
    return 1;
  }
  std::fprintf(stderr, "window %.2f s, hop %.2f s (training unit: %s), %zu file(s)\n",
               static_cast<double>(predictor->window_samples()) / predictor->sample_rate(),
               static_cast<double>(predictor->hop_samples()) / predictor->sample_rate(), predictor->unit_source().c_str(),
               files.size());
  TerminalProgress progress("predict", files.size() < 2);
  std::vector<ml::SongPrediction> results;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    results = predictor->predict_files(files, &progress, &interrupt_token());
  } catch (const Cancelled&) {
    progress.finish();
    std::cerr << "interrupted\n";
    return 130;
  }
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double audio_s = 0.0;
  for (const auto& r : results) audio_s += r.duration_s;
  std::fprintf(stderr, "classified %zu file(s), %.1f s of audio, in %.3f s (%.0fx real time)\n", results.size(), audio_s,
               seconds, seconds > 0 ? audio_s / seconds : 0.0);
  const auto& labels = predictor->label_names();
  const auto failures = static_cast<std::size_t>(std::count_if(results.begin(), results.end(), [](const auto& r) { return !r.ok(); }));
  if (args.json) {
    json out = json::array();
    for (const auto& r : results) out.push_back(song_json(labels, r));
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
  } else {
    std::size_t width = 4;
    for (const auto& r : results) width = std::max(width, r.file.string().size());
    width = std::min<std::size_t>(width, 60);
    std::printf("%-*s  %-12s  %10s  %s\n", static_cast<int>(width), "file", "genre", "confidence", "top-3");
    for (const auto& r : results) {
      if (!r.ok()) {
        std::printf("%-*s  %-12s  %10s  %s\n", static_cast<int>(width), r.file.c_str(), "-", "-", ("error: " + r.error).c_str());
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

}  // namespace genrelab::cli

// genrelab-cli predict: song-level genre prediction with a model bundle (core/ml/predictor.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli_commands.h"
#include "ml/predictor.h"
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

}  // namespace

int cmd_predict(const PredictArgs& args) {
  ml::PredictOptions options;
  options.window_s = args.window_s;
  options.hop_s = args.hop_s;
  options.aggregate = ml::parse_aggregation(args.aggregate).value_or(ml::Aggregation::mean);
  options.jobs = args.jobs;
  std::optional<ml::Predictor> predictor;
  try {
    predictor.emplace(ml::Predictor::load(args.model, options));
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

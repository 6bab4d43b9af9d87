#include "ml/recommended_model.h"

#include <cstdio>
#include <system_error>

#include "dataset/feature_table.h"
#include "dataset/split_lists.h"
#include "ml/model_presets.h"
#include "util/content_hash.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::ml {
namespace {

using nlohmann::json;

constexpr std::uint64_t kRecommendedSeed = 42;

std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

void hash_text(ContentHasher& h, std::string_view text) {
  const std::uint64_t n = text.size();
  h.update(std::as_bytes(std::span(&n, 1)));
  h.update(std::as_bytes(std::span(text.data(), text.size())));
}

/// The cached bundle when it is readable and was made for this table (extracted this way) by this
/// recipe, else the reason.
std::string check_cached(const std::filesystem::path& file, const std::string& hash,
                         const std::optional<features::ExtractionParams>& extraction, std::optional<ModelBundle>& out) {
  try {
    ModelBundle b = load_bundle(file);
    const auto& r = b.report;
    if (r.value("table_hash", std::string()) != hash || r.value("preset", std::string()) != kRecommendedPreset ||
        r.value("recipe", 0) != kRecommendedRecipe)
      return file.string() + ": made for another table or recipe";
    if (b.extraction != extraction) return file.string() + ": made for a table extracted with other parameters";
    out = std::move(b);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

TrainerOptions recommended_options(const dataset::FeatureTable& table, int threads) {
  const auto preset = find_model_preset(kRecommendedPreset);
  if (!preset) throw std::logic_error("the recommended preset is missing");
  TrainerOptions base;
  base.training.seed = kRecommendedSeed;
  base.training.threads = threads > 0 ? threads : static_cast<int>(hardware_jobs());
  base.folds = 5;
  TrainerOptions options = apply_preset(*preset, base);
  if (auto split = dataset::builtin_split("fault-filtered")) {
    try {
      const auto a = dataset::assign_split(*split, table.filenames, table.labels);
      if (dataset::coverage(*split, a) >= dataset::kMinSplitCoverage) options.split = std::move(split);
    } catch (const std::invalid_argument&) {
      // Names that do not fit GTZAN's lists (a label prefix that contradicts a row): not GTZAN.
    }
  }
  return options;
}

std::uint64_t table_content_hash(const dataset::FeatureTable& table) {
  ContentHasher h;
  const std::uint64_t shape[2] = {table.rows(), table.cols()};
  h.update(std::as_bytes(std::span(shape)));
  for (const auto& name : table.feature_names) hash_text(h, name);
  for (std::size_t r = 0; r < table.rows(); ++r) {
    hash_text(h, table.filenames[r]);
    hash_text(h, table.labels[r]);
    h.update(std::as_bytes(std::span(&table.lengths[r], 1)));
  }
  h.update(std::as_bytes(std::span(table.values)));
  return h.digest();
}

std::filesystem::path recommended_model_file(const std::filesystem::path& cache_dir,
                                             const dataset::FeatureTable& table) {
  return cache_dir / "models" /
         (std::string(kRecommendedPreset) + "-r" + std::to_string(kRecommendedRecipe) + "-" +
          hex16(table_content_hash(table)) + kBundleExtension);
}

RecommendedModel recommended_model(const dataset::FeatureTable& table, const std::string& table_name,
                                   const std::optional<features::ExtractionParams>& extraction,
                                   const std::filesystem::path& cache_dir, int threads, ProgressSink* progress,
                                   const CancelToken* cancel) {
  RecommendedModel out;
  out.file = recommended_model_file(cache_dir, table);
  const std::string hash = hex16(table_content_hash(table));
  std::error_code ec;
  if (std::filesystem::exists(out.file, ec)) {
    std::optional<ModelBundle> cached;
    out.cache_problem = check_cached(out.file, hash, extraction, cached);
    if (cached) {
      out.bundle = std::move(*cached);
      out.from_cache = true;
      if (progress) progress->report(1.0, "loaded from the cache");
      return out;
    }
  }
  TrainerOptions options = recommended_options(table, threads);
  options.extraction = extraction;
  options.validate();
  TrainingResult result = train_and_evaluate(table, options, progress, nullptr, cancel);
  out.bundle = result.bundle();
  out.bundle.report["preset"] = kRecommendedPreset;
  out.bundle.report["recipe"] = kRecommendedRecipe;
  out.bundle.report["table"] = table_name;
  out.bundle.report["table_hash"] = hash;
  try {
    std::filesystem::create_directories(out.file.parent_path());
    save_bundle(out.file, out.bundle);
  } catch (const std::exception& e) {
    out.save_problem = e.what();
  }
  return out;
}

std::string describe_bundle(const ModelBundle& bundle, const std::string& fallback_name) {
  const json& r = bundle.report;
  const std::string preset = r.value("preset", std::string());
  std::string text;
  if (const auto p = preset.empty() ? std::nullopt : find_model_preset(preset)) {
    text = preset;
  } else {
    text = fallback_name + " (" + std::string(to_string(bundle.model.kind)) + ", " + bundle.feature_set + " features)";
  }
  if (!r.contains("mean_accuracy") || !r["mean_accuracy"].is_number()) return text;
  // Bundles since the split protocols say how the accuracy was measured in words; older ones only
  // know grouped or leaky folds.
  std::string protocol = r.value("protocol", std::string()) == "leaky"
                             ? "LEAKY folds (optimistic)"
                             : "track-grouped folds: same artists in training and test (optimistic)";
  if (r.contains("protocol_label") && r["protocol_label"].is_string())
    protocol = r["protocol_label"].get<std::string>();
  const json final_model = r.value("final_model", json());
  const json rows = final_model.is_object() && final_model.contains("train_rows") ? final_model["train_rows"]
                                                                                  : r.value("rows", json(0));
  std::string table = r.value("table", std::string());
  if (!table.empty()) table = " of " + std::filesystem::path(table).filename().string();
  char accuracy[32];
  std::snprintf(accuracy, sizeof accuracy, "%.1f %%", 100.0 * r["mean_accuracy"].get<double>());
  return text + ", trained on " + rows.dump() + " rows" + table + "; accuracy " + accuracy + " on " + protocol;
}

}  // namespace genrelab::ml

// genrelab-cli evaluate: a model bundle scored on a labelled feature table.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/feature_table.h"
#include "ml/classifier.h"
#include "ml/model_bundle.h"
#include "training.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct EvaluateArgs {
  std::string model;  // model bundle (.glmodel)
  std::string table;  // labelled feature table
  bool json = false;
};

json per_genre_json(const std::vector<std::string>& labels, const ml::TableEvaluation& e) {
  json j = json::array();
  for (std::size_t g = 0; g < labels.size(); ++g)
    j.push_back({{"genre", labels[g]},
                 {"precision", e.precision[g]},
                 {"recall", e.recall[g]},
                 {"f1", e.f1[g]},
                 {"support", e.support[g]}});
  return j;
}

json confusion_json(const std::vector<std::int64_t>& counts, std::size_t n) {
  json j = json::array();
  for (std::size_t t = 0; t < n; ++t)
    j.push_back(std::vector<std::int64_t>(counts.begin() + static_cast<std::ptrdiff_t>(t * n),
                                          counts.begin() + static_cast<std::ptrdiff_t>((t + 1) * n)));
  return j;
}

int run_evaluate(const EvaluateArgs& args) {
  const fs::path model_path = args.model, table_path = args.table;
  const bool as_json = args.json;
  ml::ModelBundle bundle;
  std::optional<ml::Classifier> model;
  dataset::FeatureTable table;
  if (auto code = run_guarded(as_json, [&] {
        model.emplace(ml::Classifier::load(model_path, &bundle));
        table = dataset::read_feature_table(table_path, {.require_kaggle_schema = false});
      }))
    return *code;
  ml::TableEvaluation e;
  if (auto code = run_guarded(
          as_json,
          [&] {
            ml::set_compute_threads(1);
            e = model->evaluate(table);
          },
          StepReports().error_prefix(table_path.string() + ": ")))
    return *code;
  const auto& labels = model->label_names();
  if (as_json) {
    print_json({{"model", fs::absolute(model_path).string()},
                {"table", fs::absolute(table_path).string()},
                {"kind", ml::to_string(bundle.model.kind)},
                {"feature_set", bundle.feature_set},
                {"input_features", model->input_features().size()},
                {"rows", e.rows},
                {"accuracy", e.accuracy},
                {"macro_f1", e.macro_f1},
                {"labels", labels},
                {"confusion", confusion_json(e.confusion, labels.size())},
                {"per_genre", per_genre_json(labels, e)}});
    return 0;
  }
  std::printf("%s (%s, %zu input features, %s) on %s: %zu rows\n", model_path.c_str(),
              std::string(ml::to_string(bundle.model.kind)).c_str(), model->input_features().size(),
              bundle.feature_set.c_str(), table_path.c_str(), e.rows);
  std::printf("accuracy %.4f, macro F1 %.4f\n", e.accuracy, e.macro_f1);
  print_scores(labels, e.confusion, e.precision, e.recall, e.f1, e.support);
  return 0;
}

}  // namespace

void add_evaluate(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<EvaluateArgs>();
  auto* evaluate = app.add_subcommand("evaluate", "Score a model bundle on a labelled feature table");
  evaluate->add_option("-m,--model", args->model, "Model bundle (.glmodel)")->required();
  evaluate->add_option("table", args->table, "Feature table (Kaggle CSV layout)")->required();
  evaluate->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*evaluate, runner, [args] { return run_evaluate(*args); });
}

}  // namespace genrelab::cli

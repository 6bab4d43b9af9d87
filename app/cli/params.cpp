// genrelab-cli params: every declared parameter (util/param_spec.h) with its CLI option, range,
// default, the models that use it, where the default comes from and its help. As Markdown it is
// docs/parameters.md, the reference generated from the declarations (a test keeps it current).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "features/extraction_params.h"
#include "ml/audio_cnn.h"
#include "ml/model_spec.h"

namespace genrelab::cli {
namespace {

struct ParamsArgs {
  bool markdown = false;
  bool json = false;
};

struct Section {
  std::string title, intro;
  nlohmann::json rows = nlohmann::json::array();
};

/// "cnn1d, cnn2d": the model kinds a model parameter is used by (an ensemble with rbf members).
std::string kinds_using(const Param<ml::ModelParams>& p) {
  std::string out;
  for (const auto kind : ml::all_model_kinds()) {
    ml::ModelParams m;
    m.kind = kind;
    m.ensemble_rbf_members = 1;
    if (p.applies_to(m)) out += (out.empty() ? "" : ", ") + std::string(ml::to_string(kind));
  }
  return out;
}

template <class Owner>
Section section(std::string title, std::string intro, const std::vector<Param<Owner>>& specs, const Owner& defaults,
                std::string (*used_by)(const Param<Owner>&) = nullptr) {
  Section s{std::move(title), std::move(intro)};
  for (const auto& p : specs)
    s.rows.push_back({{"key", p.key},
                      {"option", p.flag},
                      {"range", p.has_range() ? p.range.text(p.is_integer()) : ""},
                      {"default", p.text(defaults)},
                      {"used_by", used_by ? used_by(p) : ""},
                      {"default_chosen_on", p.chosen_on},
                      {"help", p.help}});
  return s;
}

std::vector<Section> sections() {
  static const ml::ModelParams model;
  static const ml::TrainParams training;
  static const ml::AudioCnnOptions sampling;
  static const features::ExtractionParams extraction;
  return {section("Model",
                  "`genrelab-cli train` (table models) and `train-audio` (cnn2d); the Training view's "
                  "\"Adjust the parameters\" and cnn2d boxes.",
                  ml::model_param_specs(), model, &kinds_using),
          section("Training",
                  "The training loop (`train`; `train-audio` takes epochs, batch and seed). logreg starts at "
                  "learning rate 1e-2.",
                  ml::train_param_specs(), training),
          section("cnn2d sampling", "How `train-audio` and the Training view's cnn2d draw training patches.",
                  ml::audio_cnn_param_specs(), sampling),
          section("Extraction",
                  "How features and log-mels are extracted (librosa 0.7.2's recipe): recorded in each "
                  "table's sidecar and in the bundles trained on it, and used again to classify songs.",
                  features::extraction_param_specs(), extraction)};
}

std::string cell(const nlohmann::json& v, bool code) {
  const auto s = v.get<std::string>();
  return s.empty() ? "" : code ? "`" + s + "`" : s;
}

int run_params(const ParamsArgs& args) {
  const auto all = sections();
  if (args.json) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& s : all) j[s.title] = s.rows;
    print_json(j);
    return 0;
  }
  if (args.markdown)
    std::printf(
        "# Parameters\n\nEvery parameter GenreLab declares, generated from the declarations "
        "(`genrelab-cli params --markdown`; `util/param_spec.h`): the option that sets it, its range, its "
        "default, the models that use it and which data chose the default. The Training view shows the same "
        "ranges and help. Back to the [README](../README.md).\n");
  for (const auto& s : all) {
    if (args.markdown)
      std::printf(
          "\n## %s\n\n%s\n\n| parameter | option | range | default | used by | default chosen on | what |\n"
          "| --- | --- | --- | --- | --- | --- | --- |\n",
          s.title.c_str(), s.intro.c_str());
    else std::printf("%s:\n", s.title.c_str());
    for (const auto& r : s.rows) {
      if (args.markdown)
        std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", cell(r["key"], true).c_str(),
                    cell(r["option"], true).c_str(), cell(r["range"], false).c_str(), cell(r["default"], false).c_str(),
                    cell(r["used_by"], false).c_str(), cell(r["default_chosen_on"], false).c_str(),
                    cell(r["help"], false).c_str());
      else
        std::printf("  %-22s %-20s %-14s default %-10s %s\n", cell(r["key"], false).c_str(),
                    cell(r["option"], false).c_str(), cell(r["range"], false).c_str(),
                    cell(r["default"], false).c_str(), cell(r["help"], false).c_str());
    }
  }
  return 0;
}

}  // namespace

void add_params(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ParamsArgs>();
  auto* params = app.add_subcommand(
      "params",
      "Every declared parameter: its option, range, default, the models using it and where the default comes from");
  params->add_flag("--markdown", args->markdown, "As the Markdown page docs/parameters.md");
  params->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*params, runner, [args] { return run_params(*args); });
}

}  // namespace genrelab::cli

// genrelab-cli analyze: the redundancy filter, PCA explained variance and genre x genre similarity
// of a feature table (core/stats) in batch.
#include <algorithm>
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
#include "stats/table_analysis.h"

namespace genrelab::cli {
namespace {

using nlohmann::json;

struct AnalyzeArgs {
  std::filesystem::path table;
  double threshold = 0.8;
  std::string filter_scope = "non-mfcc";  // non-mfcc | all
  std::string features = "all";           // all | mfcc | non-mfcc: columns for PCA and similarity
  int components = 5;                     // PCA components printed
  bool json = false;
};

json pair_json(const stats::TableAnalysis& a, const stats::GenrePair& p) {
  return {{"a", a.genres[p.a]}, {"b", a.genres[p.b]}, {"cosine", p.similarity}};
}

int run_analyze(const AnalyzeArgs& args) {
  const auto scope = stats::parse_filter_scope(args.filter_scope);
  const auto subset = stats::parse_feature_subset(args.features);
  if (!scope) return error_exit("--filter-scope must be non-mfcc or all, got '" + args.filter_scope + "'", args.json);
  if (!subset) return error_exit("--features must be all, mfcc or non-mfcc, got '" + args.features + "'", args.json);
  if (args.components < 1) return error_exit("--components must be >= 1", args.json);
  stats::AnalysisOptions options;
  options.filter = {.threshold = args.threshold, .scope = *scope};
  options.features = *subset;
  options.compute_kde = false;  // curves are for the GUI; this command prints summaries
  std::optional<stats::TableAnalysis> result;
  if (auto code = run_guarded(
          args.json,
          [&] {
            result = stats::analyze(dataset::read_feature_table(args.table, {.require_kaggle_schema = false}), options);
          },
          StepReports().error_prefix(args.table.string() + ": ")))
    return *code;
  const stats::TableAnalysis& a = *result;
  const auto rows = static_cast<std::size_t>(a.pca.scores().rows());
  const auto k = std::min(static_cast<std::size_t>(args.components), a.pca.n_components());
  const auto& ratio = a.pca.explained_variance_ratio();
  std::vector<std::string> constant;
  for (std::size_t c = 0; c < a.feature_names.size(); ++c)
    if (a.correlation.constant[c]) constant.push_back(a.feature_names[c]);
  const std::size_t n_pairs = a.ranked_pairs.size();
  const std::size_t shown = std::min<std::size_t>(3, n_pairs);

  if (args.json) {
    json dropped = json::array();
    for (const auto& d : a.redundancy.dropped)
      dropped.push_back({{"column", d.name}, {"partner", d.partner_name}, {"r", d.r}});
    json evr = json::array(), cum = json::array();
    double total = 0;
    for (std::size_t i = 0; i < k; ++i) {
      total += ratio(static_cast<Eigen::Index>(i));
      evr.push_back(ratio(static_cast<Eigen::Index>(i)));
      cum.push_back(total);
    }
    json most = json::array(), least = json::array(), matrix = json::array();
    for (std::size_t i = 0; i < shown; ++i) {
      most.push_back(pair_json(a, a.ranked_pairs[i]));
      least.push_back(pair_json(a, a.ranked_pairs[n_pairs - 1 - i]));
    }
    for (Eigen::Index i = 0; i < a.similarity.mean.rows(); ++i) {
      json row = json::array();
      for (Eigen::Index j = 0; j < a.similarity.mean.cols(); ++j) row.push_back(a.similarity.mean(i, j));
      matrix.push_back(row);
    }
    print_json({{"table", args.table.string()},
                {"rows", rows},
                {"features", a.feature_names.size()},
                {"genres", a.genres},
                {"threshold", args.threshold},
                {"filter_scope", std::string(stats::to_string(*scope))},
                {"dropped", dropped},
                {"kept", a.redundancy.kept_names},
                {"constant_columns", constant},
                {"pca",
                 {{"features", std::string(stats::to_string(*subset))},
                  {"columns", a.subset.size()},
                  {"standardised", true},
                  {"explained_variance_ratio", evr},
                  {"cumulative", cum}}},
                {"similarity",
                 {{"features", std::string(stats::to_string(*subset))},
                  {"measure", "mean cosine of standardised features over all track pairs"},
                  {"most_similar", most},
                  {"least_similar", least},
                  {"genre_means", matrix}}}});
    return 0;
  }
  std::printf("%s: %zu rows, %zu features, %zu genres\n", args.table.c_str(), rows, a.feature_names.size(),
              a.genres.size());
  std::printf("\nredundancy filter (|r| >= %.2f, %s columns): %zu dropped, %zu kept\n", args.threshold,
              *scope == stats::FilterScope::all ? "all" : "non-MFCC", a.redundancy.dropped.size(),
              a.redundancy.kept.size());
  for (const auto& d : a.redundancy.dropped)
    std::printf("  drop %-26s r = %+.3f with %s\n", d.name.c_str(), d.r, d.partner_name.c_str());
  std::string line = "  kept:";
  for (const auto& name : a.redundancy.kept_names) {
    if (line.size() + name.size() + 1 > 100) {
      std::printf("%s\n", line.c_str());
      line = "       ";
    }
    line += " " + name;
  }
  std::printf("%s\n", line.c_str());
  if (!constant.empty()) {
    std::printf("  constant columns (no correlation defined, never dropped):");
    for (const auto& c : constant) std::printf(" %s", c.c_str());
    std::printf("\n");
  }
  std::printf("\nPCA of standardised features (%s, %zu columns): explained variance ratio\n",
              std::string(stats::to_string(*subset)).c_str(), a.subset.size());
  double cumulative = 0;
  for (std::size_t i = 0; i < k; ++i) {
    cumulative += ratio(static_cast<Eigen::Index>(i));
    std::printf("  PC%-3zu %6.2f %%   cumulative %6.2f %%\n", i + 1, 100 * ratio(static_cast<Eigen::Index>(i)),
                100 * cumulative);
  }
  std::printf("\ngenre similarity (mean cosine of standardised %s features over all track pairs)\n",
              std::string(stats::to_string(*subset)).c_str());
  if (n_pairs == 0) std::printf("  only one genre: no pairs\n");
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& p = a.ranked_pairs[i];
    std::printf("  most similar   %-10s %-10s %+.3f\n", a.genres[p.a].c_str(), a.genres[p.b].c_str(), p.similarity);
  }
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& p = a.ranked_pairs[n_pairs - 1 - i];
    std::printf("  least similar  %-10s %-10s %+.3f\n", a.genres[p.a].c_str(), a.genres[p.b].c_str(), p.similarity);
  }
  return 0;
}

}  // namespace

void add_analyze(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* analyze = app.add_subcommand(
      "analyze", "Redundancy filter, PCA explained variance and genre similarity of a feature table");
  analyze->add_option("table", args->table, "Feature table (Kaggle CSV layout)")->required();
  analyze->add_option("--threshold", args->threshold, "Drop a column when |r| with an earlier one is >= this (0, 1]");
  analyze->add_option("--filter-scope", args->filter_scope, "Columns the filter looks at (the study: non-mfcc)")
      ->check(CLI::IsMember({"non-mfcc", "all"}));
  analyze->add_option("--features", args->features, "Standardised columns for PCA and genre similarity")
      ->check(CLI::IsMember({"all", "mfcc", "non-mfcc"}));
  analyze->add_option("--components", args->components, "PCA components to print")->check(CLI::Range(1, 10000));
  analyze->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*analyze, runner, [args] { return run_analyze(*args); });
}

}  // namespace genrelab::cli

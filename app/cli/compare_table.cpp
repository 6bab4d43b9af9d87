// genrelab-cli compare-table: the worst error of each feature between two feature tables, rows
// matched by filename (the parity check against Kaggle's tables).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/feature_table.h"
#include "util/error.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CompareTableArgs {
  std::string a;  // the table to check
  std::string b;  // the reference table
  bool json = false;
};

int run_compare_table(const CompareTableArgs& args) {
  const fs::path a_path = args.a, b_path = args.b;
  const bool as_json = args.json;
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
      const double rel_err =
          vb == 0 ? (va == 0 ? 0.0 : std::numeric_limits<double>::infinity()) : abs_err / std::abs(vb);
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
      cols.push_back({{"feature", columns[c]},
                      {"max_rel_error", worst[c].rel},
                      {"max_abs_error", worst[c].abs},
                      {"worst_file", worst[c].rel_file},
                      {"exact", worst[c].exact},
                      {"compared", worst[c].compared}});
    print_json({{"a", a_path.string()},
                {"b", b_path.string()},
                {"rows_a", a.rows()},
                {"rows_b", b.rows()},
                {"matched_rows", matched},
                {"columns", cols}});
    return 0;
  }
  std::printf("%s (%zu rows) vs %s (%zu rows): %zu rows matched by filename\n", a_path.c_str(), a.rows(),
              b_path.c_str(), b.rows(), matched);
  std::printf("%-26s %12s %12s %9s  %s\n", "feature", "max rel err", "max abs err", "exact", "worst file");
  for (std::size_t c = 0; c < columns.size(); ++c)
    std::printf("%-26s %12.3e %12.3e %4zu/%-4zu  %s\n", columns[c].c_str(), worst[c].rel, worst[c].abs, worst[c].exact,
                worst[c].compared, worst[c].rel_file.c_str());
  return 0;
}

}  // namespace

void add_compare_table(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<CompareTableArgs>();
  auto* compare = app.add_subcommand("compare-table",
                                     "Per-feature worst error between two feature tables (rows matched by filename)");
  compare->add_option("a", args->a, "Table to check")->required();
  compare->add_option("b", args->b, "Reference table")->required();
  compare->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*compare, runner, [args] { return run_compare_table(*args); });
}

}  // namespace genrelab::cli

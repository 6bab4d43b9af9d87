// genrelab-cli bench analyze: the time of the whole table analysis (KDE of every feature,
// correlation, filter, scaler, PCA, similarity) on one core, against a direct implementation.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <Eigen/SVD>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/feature_table.h"
#include "stats/table_analysis.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct BenchAnalyzeArgs {
  std::filesystem::path table;  // 30-s table (default: features_30_sec.csv of the default dataset)
  int rows = 10000;             // rows of the synthetic table derived from it
  int repeats = 5;
  bool baseline = true;  // also time the direct (naive) implementation once per table
  bool json = false;
};

// ---------------------------------------------------------------------------------------------
// The baseline of `bench analyze`: the same results computed the direct way, as a first port of
// the notebooks would (KDE by one exp per grid point and sample, Pearson r pair by pair, a thin
// SVD with U for PCA, and the genre means over every pair of tracks).

struct NaiveResult {
  std::vector<std::vector<std::vector<double>>> kde;  // [feature][genre][point], empty if skipped
  std::vector<std::string> dropped;
  Eigen::VectorXd pca_ratio;
  Eigen::MatrixXd similarity;
};

NaiveResult naive_analysis(const stats::LabeledMatrix& m, const stats::AnalysisOptions& o) {
  const auto n = static_cast<Eigen::Index>(m.rows());
  const auto d = static_cast<Eigen::Index>(m.cols());
  const std::size_t genres = m.label_names.size();
  NaiveResult out;
  // KDE, Scott's rule, the union grid.
  for (Eigen::Index c = 0; c < d; ++c) {
    std::vector<std::vector<double>> samples(genres);
    for (Eigen::Index r = 0; r < n; ++r)
      samples[static_cast<std::size_t>(m.labels[static_cast<std::size_t>(r)])].push_back(m.values(r, c));
    std::vector<double> bw(genres, 0.0);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t g = 0; g < genres; ++g) {
      const auto& s = samples[g];
      if (s.size() < 2) continue;
      double mean = 0, ss = 0;
      for (double v : s) mean += v;
      mean /= static_cast<double>(s.size());
      for (double v : s) ss += (v - mean) * (v - mean);
      const double sd = std::sqrt(ss / static_cast<double>(s.size() - 1));
      if (sd == 0) continue;
      bw[g] = std::pow(static_cast<double>(s.size()), -0.2) * sd;
      lo = std::min(lo, *std::min_element(s.begin(), s.end()) - o.kde.cut * bw[g]);
      hi = std::max(hi, *std::max_element(s.begin(), s.end()) + o.kde.cut * bw[g]);
    }
    auto& curves = out.kde.emplace_back(genres);
    if (lo > hi) continue;
    const std::size_t points = o.kde.grid_points;
    for (std::size_t g = 0; g < genres; ++g) {
      if (bw[g] == 0) continue;
      curves[g].resize(points);
      for (std::size_t i = 0; i < points; ++i) {
        const double x =
            i + 1 == points ? hi : lo + static_cast<double>(i) * (hi - lo) / static_cast<double>(points - 1);
        double sum = 0;
        for (double v : samples[g]) sum += std::exp(-0.5 * (x - v) * (x - v) / (bw[g] * bw[g]));
        curves[g][i] = sum / (static_cast<double>(samples[g].size()) * bw[g] * std::sqrt(2 * std::numbers::pi));
      }
    }
  }
  // Pearson r pair by pair, then the filter.
  Eigen::MatrixXd r = Eigen::MatrixXd::Identity(d, d);
  for (Eigen::Index i = 0; i < d; ++i) {
    for (Eigen::Index j = i + 1; j < d; ++j) {
      double mi = 0, mj = 0;
      for (Eigen::Index k = 0; k < n; ++k) {
        mi += m.values(k, i);
        mj += m.values(k, j);
      }
      mi /= static_cast<double>(n);
      mj /= static_cast<double>(n);
      double sij = 0, sii = 0, sjj = 0;
      for (Eigen::Index k = 0; k < n; ++k) {
        const double a = m.values(k, i) - mi, b = m.values(k, j) - mj;
        sij += a * b;
        sii += a * a;
        sjj += b * b;
      }
      r(i, j) = r(j, i) = (sii == 0 || sjj == 0) ? 0.0 : sij / std::sqrt(sii * sjj);
    }
  }
  for (Eigen::Index j = 0; j < d; ++j) {
    const bool in_scope = o.filter.scope == stats::FilterScope::all ||
                          !stats::is_mfcc_column(m.feature_names[static_cast<std::size_t>(j)]);
    if (!in_scope) continue;
    for (Eigen::Index i = 0; i < j; ++i) {
      const bool i_in = o.filter.scope == stats::FilterScope::all ||
                        !stats::is_mfcc_column(m.feature_names[static_cast<std::size_t>(i)]);
      if (i_in && std::abs(r(i, j)) >= o.filter.threshold) {
        out.dropped.push_back(m.feature_names[static_cast<std::size_t>(j)]);
        break;
      }
    }
  }
  // Standardise, keep the subset.
  const auto cols = stats::subset_columns(m.feature_names, o.features);
  Eigen::MatrixXd z(n, static_cast<Eigen::Index>(cols.size()));
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const auto col = m.values.col(static_cast<Eigen::Index>(cols[c]));
    double mean = 0, ss = 0;
    for (Eigen::Index k = 0; k < n; ++k) mean += col(k);
    mean /= static_cast<double>(n);
    for (Eigen::Index k = 0; k < n; ++k) ss += (col(k) - mean) * (col(k) - mean);
    const double sd = ss == 0 ? 1.0 : std::sqrt(ss / static_cast<double>(n));
    for (Eigen::Index k = 0; k < n; ++k) z(k, static_cast<Eigen::Index>(c)) = (col(k) - mean) / sd;
  }
  // PCA: thin SVD with U of the centred data, as scipy.linalg.svd(full_matrices=False) in sklearn.
  const Eigen::MatrixXd zc = z.rowwise() - z.colwise().mean();
  Eigen::BDCSVD<Eigen::MatrixXd> svd(zc, Eigen::ComputeThinU | Eigen::ComputeThinV);
  out.pca_ratio = svd.singularValues().array().square() / svd.singularValues().squaredNorm();
  // Genre means over every pair of tracks (rows made unit length first, zero rows left as they are).
  std::vector<std::vector<double>> u(static_cast<std::size_t>(n), std::vector<double>(cols.size()));
  for (Eigen::Index k = 0; k < n; ++k) {
    const double norm = z.row(k).norm();
    for (std::size_t c = 0; c < cols.size(); ++c)
      u[static_cast<std::size_t>(k)][c] = z(k, static_cast<Eigen::Index>(c)) / (norm > 0 ? norm : 1.0);
  }
  const auto g = static_cast<Eigen::Index>(genres);
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(g, g);
  Eigen::VectorXd count = Eigen::VectorXd::Zero(g);
  for (std::size_t i = 0; i < u.size(); ++i) {
    const auto gi = m.labels[i];
    count(gi) += 1;
    for (std::size_t j = 0; j < u.size(); ++j) {
      double dot = 0;
      for (std::size_t c = 0; c < cols.size(); ++c) dot += u[i][c] * u[j][c];
      sum(gi, m.labels[j]) += dot;
    }
  }
  out.similarity = sum.array() / (count * count.transpose()).array();
  return out;
}

// A 3-s-like table of `rows` rows from a 30-s table: each 30-s row (spread evenly over the table)
// gives 10 consecutive "segments", every value multiplied by (1 + 0.05 N(0, 1)) from a fixed seed.
stats::LabeledMatrix synthetic_segments(const stats::LabeledMatrix& clips, std::size_t rows) {
  std::mt19937_64 rng(20240604);
  std::normal_distribution<double> n01;
  const std::size_t tracks = (rows + 9) / 10;
  stats::LabeledMatrix m;
  m.feature_names = clips.feature_names;
  m.values.resize(static_cast<Eigen::Index>(rows), clips.values.cols());
  m.labels.resize(rows);
  std::vector<int> code(clips.label_names.size(), -1);  // genres renumbered in order of appearance
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t t = r / 10;
    const std::size_t src = tracks <= clips.rows() ? t * clips.rows() / tracks : t % clips.rows();
    auto& c = code[static_cast<std::size_t>(clips.labels[src])];
    if (c < 0) {
      c = static_cast<int>(m.label_names.size());
      m.label_names.push_back(clips.label_names[static_cast<std::size_t>(clips.labels[src])]);
    }
    m.labels[r] = c;
    for (Eigen::Index f = 0; f < clips.values.cols(); ++f)
      m.values(static_cast<Eigen::Index>(r), f) =
          clips.values(static_cast<Eigen::Index>(src), f) * (1.0 + 0.05 * n01(rng));
  }
  return m;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

int run_bench_analyze(const BenchAnalyzeArgs& args) {
  const fs::path table = args.table.empty() ? default_table() : args.table;
  if (table.empty()) return error_exit("no table: pass --table or set GENRELAB_DATA", args.json);
  struct Case {
    std::string name;
    stats::LabeledMatrix data;
    double budget = 0;  // seconds, from issue 4; 0 = none
  };
  std::vector<Case> cases;
  if (auto code = run_guarded(
          args.json,
          [&] {
            auto clips = stats::to_labeled_matrix(dataset::read_feature_table(table, {.require_kaggle_schema = false}));
            const auto three = table.parent_path() / "features_3_sec_subset_classical_jazz_rock.csv";
            cases.push_back({table.filename().string(), clips, clips.rows() <= 1000 ? 0.050 : 0.0});
            if (args.table.empty() && fs::exists(three))
              cases.push_back(
                  {three.filename().string(),
                   stats::to_labeled_matrix(dataset::read_feature_table(three, {.require_kaggle_schema = false})),
                   0.0});
            cases.push_back({"synthetic 3-s-like, from " + table.filename().string(),
                             synthetic_segments(clips, static_cast<std::size_t>(args.rows)),
                             args.rows == 10000 ? 0.5 : 0.0});
          },
          StepReports().error_prefix(table.string() + ": ")))
    return *code;

  const stats::AnalysisOptions options;  // the GUI's defaults: KDE of all features, study filter, all columns
  json out_cases = json::array();
  if (!args.json) {
    std::printf(
        "analysis, one thread: KDE of every feature x genre (%zu points), correlation, redundancy filter,\n"
        "scaler, PCA, genre similarity; median of %d runs. Budgets from issue 4: 50 ms for the 1000-row\n"
        "table, 500 ms for 10,000 rows.\n",
        options.kde.grid_points, args.repeats);
    if (args.baseline)
      std::printf(
          "Baseline: a direct implementation in the same process (one exp per grid point and sample, r pair\n"
          "by pair, SVD with U, every track pair), 1 run.\n");
    std::printf("\n");
    std::printf("%-44s %6s %6s %8s %8s %8s %8s %8s %9s %8s %11s %8s\n", "table", "rows", "genres", "kde ms", "corr ms",
                "pca ms", "sim ms", "total ms", "budget", "of budget", "baseline ms", "speed-up");
  }
  try {
    for (const auto& c : cases) {
      stats::AnalysisTimes warm;
      stats::TableAnalysis fast = stats::analyze(c.data, options, &warm);  // warm-up, and kept for the comparison
      std::vector<double> kde, corr, pca, sim, total, other;
      for (int r = 0; r < args.repeats; ++r) {
        stats::AnalysisTimes t;
        fast = stats::analyze(c.data, options, &t);
        kde.push_back(t.kde);
        corr.push_back(t.correlation + t.filter);
        pca.push_back(t.pca);
        sim.push_back(t.similarity);
        total.push_back(t.total);
        other.push_back(t.scaler);
      }
      const double med_total = median_of(total);
      double baseline = 0;
      json agreement = nullptr;
      std::string agree_text;
      if (args.baseline) {
        const auto t0 = Clock::now();
        const auto naive = naive_analysis(c.data, options);
        baseline = std::chrono::duration<double>(Clock::now() - t0).count();
        double kde_err = 0;
        for (std::size_t f = 0; f < naive.kde.size(); ++f)
          for (std::size_t g = 0; g < naive.kde[f].size(); ++g) {
            const auto& want = naive.kde[f][g];
            const auto& got = fast.kde[f].genres[g].density;
            if (want.size() != got.size()) {
              kde_err = std::numeric_limits<double>::infinity();
              continue;
            }
            const double peak = want.empty() ? 1.0 : *std::max_element(want.begin(), want.end());
            for (std::size_t i = 0; i < want.size(); ++i)
              kde_err = std::max(kde_err, std::abs(got[i] - want[i]) / peak);
          }
        std::vector<std::string> dropped;
        for (const auto& d : fast.redundancy.dropped) dropped.push_back(d.name);
        const auto k = fast.pca.explained_variance_ratio().size();
        const double pca_err = (fast.pca.explained_variance_ratio() - naive.pca_ratio.head(k)).cwiseAbs().maxCoeff();
        const double sim_err = (fast.similarity.mean - naive.similarity).cwiseAbs().maxCoeff();
        agreement = {{"kde_max_error_of_peak", kde_err},
                     {"pca_ratio_max_error", pca_err},
                     {"similarity_max_error", sim_err},
                     {"dropped_identical", dropped == naive.dropped}};
        char buf[200];
        std::snprintf(buf, sizeof buf, "kde %.1e of peak, PCA ratios %.1e, similarity %.1e, dropped columns %s",
                      kde_err, pca_err, sim_err, dropped == naive.dropped ? "identical" : "DIFFER");
        agree_text = buf;
      }
      if (args.json) {
        out_cases.push_back({{"table", c.name},
                             {"rows", c.data.rows()},
                             {"features", c.data.cols()},
                             {"genres", c.data.label_names.size()},
                             {"median_seconds",
                              {{"kde", median_of(kde)},
                               {"correlation_and_filter", median_of(corr)},
                               {"scaler", median_of(other)},
                               {"pca", median_of(pca)},
                               {"similarity", median_of(sim)},
                               {"total", med_total}}},
                             {"budget_seconds", c.budget > 0 ? json(c.budget) : json(nullptr)},
                             {"baseline_seconds", args.baseline ? json(baseline) : json(nullptr)},
                             {"speedup_vs_baseline", args.baseline ? json(baseline / med_total) : json(nullptr)},
                             {"agreement_with_baseline", agreement}});
        continue;
      }
      const std::string budget = c.budget > 0 ? std::to_string(static_cast<int>(c.budget * 1e3)) + " ms" : "-";
      const std::string share =
          c.budget > 0 ? std::to_string(static_cast<int>(std::lround(100 * med_total / c.budget))) + " %" : "-";
      std::printf("%-44s %6zu %6zu %8.2f %8.2f %8.2f %8.2f %8.2f %9s %8s", c.name.c_str(), c.data.rows(),
                  c.data.label_names.size(), 1e3 * median_of(kde), 1e3 * median_of(corr), 1e3 * median_of(pca),
                  1e3 * median_of(sim), 1e3 * med_total, budget.c_str(), share.c_str());
      if (args.baseline) std::printf(" %11.1f %7.1fx\n", 1e3 * baseline, baseline / med_total);
      else std::printf(" %11s %8s\n", "-", "-");
      if (args.baseline) std::printf("    agreement with baseline: %s\n", agree_text.c_str());
      std::fflush(stdout);
    }
  } catch (const std::invalid_argument& e) {
    return error_exit(e.what(), args.json);
  }
  if (args.json)
    print_json({{"threads", 1},
                {"repeats", args.repeats},
                {"kde_grid_points", options.kde.grid_points},
                {"cases", out_cases}});
  return 0;
}

}  // namespace

void add_bench_analyze(CLI::App& bench, Runner& runner) {
  auto args = std::make_shared<BenchAnalyzeArgs>();
  auto* bench_analyze = bench.add_subcommand(
      "analyze", "Time the whole table analysis (KDE, correlation, filter, PCA, similarity) on one core");
  bench_analyze->add_option("--table", args->table,
                            "30-s feature table (default: features_30_sec.csv of the shared data)");
  bench_analyze->add_option("--rows", args->rows, "Rows of the synthetic 3-s-like table")
      ->check(CLI::Range(10, 1000000));
  bench_analyze->add_option("--repeats", args->repeats, "Timed runs per table (median reported)")
      ->check(CLI::Range(1, 1000));
  bench_analyze->add_flag("!--no-baseline", args->baseline, "Skip the direct (naive) implementation");
  bench_analyze->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*bench_analyze, runner, [args] { return run_bench_analyze(*args); });
}

}  // namespace genrelab::cli

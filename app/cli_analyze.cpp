// genrelab-cli analyze and bench analyze: the feature-table statistics of core/stats in batch.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <Eigen/SVD>
#include <nlohmann/json.hpp>

#include "cli_commands.h"
#include "cli_output.h"
#include "dataset/default_location.h"
#include "dataset/feature_table.h"
#include "stats/table_analysis.h"
#include "util/error.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

json pair_json(const stats::TableAnalysis& a, const stats::GenrePair& p) {
  return {{"a", a.genres[p.a]}, {"b", a.genres[p.b]}, {"cosine", p.similarity}};
}

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

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

}  // namespace

int cmd_analyze(const AnalyzeArgs& args) {
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
  try {
    result = stats::analyze(dataset::read_feature_table(args.table, {.require_kaggle_schema = false}), options);
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  } catch (const std::invalid_argument& e) {
    return error_exit(args.table.string() + ": " + e.what(), args.json);
  }
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

int cmd_bench_analyze(const BenchAnalyzeArgs& args) {
  fs::path table = args.table;
  if (table.empty()) {
    const auto dir = dataset::default_dataset_dir();
    if (!dir) return error_exit("no table: pass --table or set GENRELAB_DATA", args.json);
    table = *dir / "features_30_sec.csv";
  }
  struct Case {
    std::string name;
    stats::LabeledMatrix data;
    double budget = 0;  // seconds, from issue 4; 0 = none
  };
  std::vector<Case> cases;
  try {
    auto clips = stats::to_labeled_matrix(dataset::read_feature_table(table, {.require_kaggle_schema = false}));
    const auto three = table.parent_path() / "features_3_sec_subset_classical_jazz_rock.csv";
    cases.push_back({table.filename().string(), clips, clips.rows() <= 1000 ? 0.050 : 0.0});
    if (args.table.empty() && fs::exists(three))
      cases.push_back({three.filename().string(),
                       stats::to_labeled_matrix(dataset::read_feature_table(three, {.require_kaggle_schema = false})),
                       0.0});
    cases.push_back({"synthetic 3-s-like, from " + table.filename().string(),
                     synthetic_segments(clips, static_cast<std::size_t>(args.rows)), args.rows == 10000 ? 0.5 : 0.0});
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  } catch (const std::invalid_argument& e) {
    return error_exit(table.string() + ": " + e.what(), args.json);
  }

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
      const double med_total = median(total);
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
                              {{"kde", median(kde)},
                               {"correlation_and_filter", median(corr)},
                               {"scaler", median(other)},
                               {"pca", median(pca)},
                               {"similarity", median(sim)},
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
                  c.data.label_names.size(), 1e3 * median(kde), 1e3 * median(corr), 1e3 * median(pca),
                  1e3 * median(sim), 1e3 * med_total, budget.c_str(), share.c_str());
      if (args.baseline)
        std::printf(" %11.1f %7.1fx\n", 1e3 * baseline, baseline / med_total);
      else
        std::printf(" %11s %8s\n", "-", "-");
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

}  // namespace genrelab::cli

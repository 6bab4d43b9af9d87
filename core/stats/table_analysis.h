// Everything the feature views show, computed in one pass over a feature table: per-genre KDE of
// every feature, Pearson correlation and the redundancy filter on the raw features, then
// StandardScaler (fitted on all rows), PCA and genre x genre cosine similarity on the standardised
// columns of a feature subset. The GUI recomputes this on every click: 11-17 ms for the
// 1000 x 57 table and 80-120 ms for 10,000 rows on one core of the shared dev machine, ~80% of it the KDE (see
// `genrelab-cli bench analyze`).
// Thread-safety: pure function of its inputs; the result is plain data, share it read-only.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "stats/correlation.h"
#include "stats/cosine_similarity.h"
#include "stats/feature_matrix.h"
#include "stats/kde.h"
#include "stats/pca.h"
#include "stats/redundancy_filter.h"
#include "stats/standard_scaler.h"

namespace genrelab::dataset {
struct FeatureTable;
}

namespace genrelab::stats {

struct AnalysisOptions {
  RedundancyOptions filter{};                   ///< threshold 0.8 over the non-MFCC columns (the study)
  FeatureSubset features = FeatureSubset::all;  ///< columns used for PCA and similarity
  KdeOptions kde{};                             ///< Scott, 200 points, cut 3, union grid
  bool compute_kde = true;                      ///< false leaves TableAnalysis::kde empty
  std::size_t pca_components = 0;               ///< 0 = min(rows, subset columns)
};

/// Wall-clock seconds per stage.
struct AnalysisTimes {
  double kde = 0, correlation = 0, filter = 0, scaler = 0, pca = 0, similarity = 0, total = 0;
};

struct TableAnalysis {
  std::vector<std::string> feature_names;
  std::vector<std::string> genres;  ///< genre code -> name
  std::vector<FeatureKde> kde;      ///< one per feature, in column order (empty if not computed)
  CorrelationMatrix correlation;    ///< of all feature columns, raw values
  RedundancyResult redundancy;
  StandardScaler scaler;                ///< fitted on all rows and columns
  std::vector<std::size_t> subset;      ///< the columns of AnalysisOptions::features
  Pca pca;                              ///< on the standardised subset columns
  GenreSimilarity similarity;           ///< on the standardised subset columns
  std::vector<GenrePair> ranked_pairs;  ///< most similar genre pair first
};

/// Runs the whole analysis. Throws std::invalid_argument for bad options, fewer than 2 rows, an
/// empty feature subset, NaN/inf values, or a subset whose columns are all constant (no PCA).
TableAnalysis analyze(const LabeledMatrix& data, const AnalysisOptions& options = {}, AnalysisTimes* times = nullptr);
/// The same on a feature table (to_labeled_matrix() first).
TableAnalysis analyze(const dataset::FeatureTable& table, const AnalysisOptions& options = {},
                      AnalysisTimes* times = nullptr);

}  // namespace genrelab::stats

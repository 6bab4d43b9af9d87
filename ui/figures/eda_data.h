// Everything the EDA figures draw, computed by core/stats off the GUI thread and shared read-only.
#pragma once

#include <Eigen/Core>
#include <QString>
#include <memory>
#include <vector>

#include "dataset/feature_table.h"
#include "stats/feature_matrix.h"
#include "stats/table_analysis.h"

namespace genrelab::ui {

struct EdaData {
  QString source;                      ///< table name, for titles
  stats::LabeledMatrix data;           ///< raw feature values and genre codes
  std::vector<std::string> filenames;  ///< per row
  stats::FeatureSubset subset = stats::FeatureSubset::all;
  stats::TableAnalysis analysis;     ///< KDE, correlation, filter, PCA, genre similarity
  std::vector<int> genre_order;      ///< rows sorted by genre (stable), at most kMaxTrackRows of them
  Eigen::MatrixXf track_similarity;  ///< cosine similarity of standardised subset rows, in genre_order
  int track_stride = 1;              ///< every track_stride-th row of each genre is in genre_order

  /// Track x track matrices above this size would need hundreds of MB (10,000 rows: 400 MB):
  /// larger tables show an evenly spaced sample of each genre.
  static constexpr std::size_t kMaxTrackRows = 2000;
};

/// Runs the analysis of `table` for `subset` (throws std::invalid_argument for bad tables).
std::shared_ptr<const EdaData> compute_eda(const dataset::FeatureTable& table, stats::FeatureSubset subset,
                                           const QString& source);

/// "all features", "MFCC only", "non-MFCC".
QString subset_title(stats::FeatureSubset subset);

}  // namespace genrelab::ui

#include "ui/figures/eda_data.h"

#include <algorithm>
#include <numeric>

#include "stats/cosine_similarity.h"

namespace genrelab::ui {

QString subset_title(stats::FeatureSubset subset) {
  switch (subset) {
    case stats::FeatureSubset::all:
      return QStringLiteral("all features");
    case stats::FeatureSubset::mfcc:
      return QStringLiteral("MFCC only");
    case stats::FeatureSubset::non_mfcc:
      return QStringLiteral("non-MFCC features");
  }
  return {};
}

std::shared_ptr<const EdaData> compute_eda(const dataset::FeatureTable& table, stats::FeatureSubset subset,
                                           const QString& source) {
  auto data = stats::to_labeled_matrix(table);
  stats::AnalysisOptions options;
  options.features = subset;
  auto analysis = stats::analyze(data, options);
  auto eda =
      std::make_shared<EdaData>(EdaData{source, std::move(data), table.filenames, subset, std::move(analysis), {}, {}});
  std::vector<int> order(eda->data.rows());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return eda->data.labels[static_cast<std::size_t>(a)] < eda->data.labels[static_cast<std::size_t>(b)];
  });
  eda->track_stride = static_cast<int>((order.size() + EdaData::kMaxTrackRows - 1) / EdaData::kMaxTrackRows);
  for (std::size_t i = 0; i < order.size(); i += static_cast<std::size_t>(eda->track_stride))
    eda->genre_order.push_back(order[i]);
  // Track x track similarity on the standardised subset, rows in genre order.
  const auto cols = eda->analysis.subset;
  Eigen::MatrixXd x = eda->analysis.scaler.transform(eda->data.values);
  x = stats::select_columns(x, cols);
  Eigen::MatrixXd ordered(static_cast<Eigen::Index>(eda->genre_order.size()), x.cols());
  for (Eigen::Index i = 0; i < ordered.rows(); ++i)
    ordered.row(i) = x.row(eda->genre_order[static_cast<std::size_t>(i)]);
  eda->track_similarity = stats::cosine_similarity(ordered).cast<float>();
  return eda;
}

}  // namespace genrelab::ui

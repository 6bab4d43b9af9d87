// A trained genre classifier: the network plus what it needs to read a feature table (the
// ordered input columns, the scaler statistics, the label names). Built by the trainer or from a
// model bundle; scores feature tables whose columns include the model's inputs (by name, any
// order, extra columns ignored).
// Thread-safety: not thread-safe (the network keeps module state); one per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ml/model_bundle.h"
#include "ml/network.h"

namespace genrelab::dataset {
struct FeatureTable;
}

namespace genrelab::ml {

/// Scores of a classifier on a labelled table.
struct TableEvaluation {
  std::size_t rows = 0;
  double accuracy = 0.0;
  std::vector<std::int64_t> confusion;  ///< row-major labels x labels (rows = true genre)
  std::vector<double> precision, recall, f1;
  std::vector<std::int64_t> support;
  double macro_f1 = 0.0;
  std::vector<int> predicted;  ///< class code per row
};

class Classifier {
 public:
  /// Takes a trained network and its preprocessing. Throws std::invalid_argument when sizes differ.
  Classifier(Network network, std::vector<std::string> input_features, std::vector<double> scaler_mean,
             std::vector<double> scaler_scale, std::vector<std::string> label_names);
  /// Rebuilds the network from a bundle and loads its weights. Throws std::invalid_argument when
  /// the weights do not fit the architecture the bundle describes.
  static Classifier from_bundle(const ModelBundle& bundle);
  /// Loads and checks a bundle file; throws FileError naming the file and what does not fit.
  static Classifier load(const std::filesystem::path& path, ModelBundle* bundle_out = nullptr);

  const std::vector<std::string>& input_features() const noexcept { return inputs_; }
  const std::vector<std::string>& label_names() const noexcept { return labels_; }
  const std::vector<double>& scaler_mean() const noexcept { return mean_; }
  const std::vector<double>& scaler_scale() const noexcept { return scale_; }
  Network& network() noexcept { return network_; }

  /// Standardised model inputs of a table's rows (columns matched by name). Throws
  /// std::invalid_argument naming the missing columns.
  Samples prepare(const dataset::FeatureTable& table) const;
  /// Genre probabilities per row (rows x labels, row-major).
  std::vector<float> predict_proba(const dataset::FeatureTable& table);
  /// Accuracy, confusion and per-genre scores against the table's labels. Throws
  /// std::invalid_argument when the table holds a genre the model does not know.
  TableEvaluation evaluate(const dataset::FeatureTable& table);

 private:
  Network network_;
  std::vector<std::string> inputs_;
  std::vector<double> mean_, scale_;
  std::vector<std::string> labels_;
};

}  // namespace genrelab::ml

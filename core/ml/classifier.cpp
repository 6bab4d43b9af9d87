#include "ml/classifier.h"

#include <algorithm>
#include <stdexcept>

#include <Eigen/Core>

#include "dataset/feature_table.h"
#include "stats/feature_matrix.h"
#include "stats/scores.h"
#include "stats/standard_scaler.h"
#include "util/error.h"

namespace genrelab::ml {

Classifier::Classifier(Network network, std::vector<std::string> input_features, std::vector<double> scaler_mean,
                       std::vector<double> scaler_scale, std::vector<std::string> label_names)
    : network_(std::move(network)), inputs_(std::move(input_features)), mean_(std::move(scaler_mean)),
      scale_(std::move(scaler_scale)), labels_(std::move(label_names)) {
  // cnn2d reads log-mel patches, not named columns: no names, no scaler.
  const bool patches = network_.params().kind == ModelKind::cnn2d && inputs_.empty();
  if ((!patches && inputs_.size() != network_.n_features()) || mean_.size() != inputs_.size() ||
      scale_.size() != inputs_.size())
    throw std::invalid_argument("classifier: " + std::to_string(inputs_.size()) + " input names and " +
                                std::to_string(mean_.size()) + " scaler statistics for a network of " +
                                std::to_string(network_.n_features()) + " inputs");
  if (labels_.size() != network_.n_classes())
    throw std::invalid_argument("classifier: " + std::to_string(labels_.size()) + " label names for a network of " +
                                std::to_string(network_.n_classes()) + " classes");
}

Classifier Classifier::from_bundle(const ModelBundle& bundle) {
  bundle.validate();
  auto network = Network::create(bundle.model, bundle.n_inputs(), bundle.label_names.size(), bundle.training.seed);
  try {
    network.set_weights(bundle.weights);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("the weights do not fit a " + std::string(to_string(bundle.model.kind)) +
                                " with the stored parameters: " + e.what());
  }
  return Classifier(std::move(network), bundle.input_features, bundle.scaler_mean, bundle.scaler_scale,
                    bundle.label_names);
}

Classifier Classifier::load(const std::filesystem::path& path, ModelBundle* bundle_out) {
  auto bundle = load_bundle(path);
  try {
    auto c = from_bundle(bundle);
    if (bundle_out) *bundle_out = std::move(bundle);
    return c;
  } catch (const std::invalid_argument& e) {
    throw FileError(path, std::string("model bundle does not fit: ") + e.what());
  }
}

Samples Classifier::prepare(const dataset::FeatureTable& table) const {
  if (inputs_.empty())
    throw std::invalid_argument(
        "a " + std::string(to_string(network_.params().kind)) +
        " model reads log-mel patches of audio, not a feature table (use predict on audio files)");
  std::vector<int> columns;
  std::string missing;
  for (const auto& name : inputs_) {
    const int c = table.column(name);
    if (c < 0) missing += (missing.empty() ? "'" : ", '") + name + "'";
    columns.push_back(c);
  }
  if (!missing.empty()) throw std::invalid_argument("the table lacks the model's input feature(s) " + missing);
  const auto rows = static_cast<Eigen::Index>(table.rows());
  const auto cols = static_cast<Eigen::Index>(columns.size());
  Eigen::MatrixXd x(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c)
      x(r, c) = table.at(static_cast<std::size_t>(r), static_cast<std::size_t>(columns[static_cast<std::size_t>(c)]));
  if (network_.params().log_variances) stats::log_variance_columns(x, inputs_);
  const auto scaler = stats::StandardScaler::from_parameters(Eigen::Map<const Eigen::VectorXd>(mean_.data(), cols),
                                                             Eigen::Map<const Eigen::VectorXd>(scale_.data(), cols));
  scaler.transform_in_place(x);
  Samples s;
  s.rows = table.rows();
  s.cols = columns.size();
  s.x.resize(s.rows * s.cols);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c) s.x[static_cast<std::size_t>(r * cols + c)] = static_cast<float>(x(r, c));
  return s;
}

std::vector<float> Classifier::predict_proba(const dataset::FeatureTable& table) {
  return network_.predict_proba(prepare(table));
}

TableEvaluation Classifier::evaluate(const dataset::FeatureTable& table) {
  auto samples = prepare(table);
  samples.y.resize(samples.rows);
  for (std::size_t r = 0; r < samples.rows; ++r) {
    const auto it = std::find(labels_.begin(), labels_.end(), table.labels[r]);
    if (it == labels_.end())
      throw std::invalid_argument("row " + std::to_string(r + 1) + " (" + table.filenames[r] + ") has genre '" +
                                  table.labels[r] + "', which the model does not know");
    samples.y[r] = static_cast<int>(it - labels_.begin());
  }
  TableEvaluation e;
  e.rows = samples.rows;
  if (samples.rows == 0) throw std::invalid_argument("the table has no rows");
  const auto result = network_.evaluate(samples);
  e.predicted = result.predicted;
  const stats::ConfusionMatrix confusion(samples.y, e.predicted, labels_.size());
  const auto scores = stats::compute_scores(confusion);
  e.accuracy = scores.accuracy;
  e.confusion = confusion.counts();
  stats::score_columns(scores, e.precision, e.recall, e.f1, e.support);
  e.macro_f1 = scores.macro_f1;
  return e;
}

}  // namespace genrelab::ml

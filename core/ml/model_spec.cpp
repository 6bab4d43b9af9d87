#include "ml/model_spec.h"

#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include "util/json_field.h"

namespace genrelab::ml {
namespace {

using nlohmann::json;

void require_range(bool ok, const char* name, const std::string& range, const std::string& value) {
  if (!ok) throw std::invalid_argument(std::string(name) + " must be " + range + " (got " + value + ")");
}

bool is_cnn1d(const ModelParams& p) { return p.kind == ModelKind::cnn1d; }
bool has_dense_layer(const ModelParams& p) { return p.kind == ModelKind::cnn1d || p.kind == ModelKind::cnn2d; }
bool has_hidden_layers(const ModelParams& p) { return p.kind == ModelKind::mlp || p.kind == ModelKind::ensemble; }
bool has_dropout(const ModelParams& p) {
  return p.kind != ModelKind::logreg && p.kind != ModelKind::rbf && p.kind != ModelKind::krr;
}
bool is_ensemble(const ModelParams& p) { return p.kind == ModelKind::ensemble; }
bool has_random_features(const ModelParams& p) {
  return p.kind == ModelKind::rbf || (p.kind == ModelKind::ensemble && p.ensemble_rbf_members > 0);
}
bool has_rbf_kernel(const ModelParams& p) { return has_random_features(p) || p.kind == ModelKind::krr; }
bool is_krr(const ModelParams& p) { return p.kind == ModelKind::krr; }
bool is_table_model(const ModelParams& p) { return p.kind != ModelKind::cnn2d; }
bool is_cnn2d(const ModelParams& p) { return p.kind == ModelKind::cnn2d; }

constexpr std::string_view kCnn1dWidths =
    "5-fold track-grouped CV of features_30_sec.csv, mean over seeds 1-10 (the study does not give it)";
constexpr std::string_view kTableCv = "5-fold track-grouped CV of features_30_sec.csv";
constexpr std::string_view kTheStudy = "the study (Keras defaults)";
constexpr std::string_view kSharedClips = "tried on the 30 shared clips and the demo dataset";

}  // namespace

const std::vector<Param<ModelParams>>& model_param_specs() {
  using M = ModelParams;
  // clang-format off: one parameter per entry, its fields in the order of Param
  static const std::vector<Param<M>> specs = {
      {.key = "conv1_filters",
       .field = &M::conv1_filters,
       .range = {1, 4096},
       .flag = "--conv-filters",
       .label = "Conv 1 filters",
       .help = "cnn1d: filters of the first convolution",
       .chosen_on = kCnn1dWidths,
       .applies = is_cnn1d,
       .required_in_json = true},
      {.key = "conv2_filters",
       .field = &M::conv2_filters,
       .range = {1, 4096},
       .flag = "--conv2-filters",
       .label = "Conv 2 filters",
       .help = "cnn1d: filters of the second convolution",
       .chosen_on = kTheStudy,
       .applies = is_cnn1d,
       .required_in_json = true},
      {.key = "kernel_size",
       .field = &M::kernel_size,
       .range = {1, 64},
       .flag = "--kernel",
       .label = "Kernel",
       .help = "cnn1d: convolution kernel size",
       .chosen_on = kTheStudy,
       .applies = is_cnn1d,
       .required_in_json = true},
      {.key = "pool_size",
       .field = &M::pool_size,
       .range = {1, 16},
       .flag = "--pool",
       .label = "Pool",
       .help = "cnn1d: max-pooling size",
       .chosen_on = kTheStudy,
       .applies = is_cnn1d,
       .required_in_json = true},
      {.key = "dense_units",
       .field = &M::dense_units,
       .range = {1, 65536},
       .flag = "--dense-units",
       .label = "Dense units",
       .help = "cnn1d, cnn2d: units of the hidden Dense layer",
       .chosen_on = kCnn1dWidths,
       .applies = has_dense_layer,
       .required_in_json = true},
      {.key = "hidden_units",
       .field = &M::hidden_units,
       .range = {1, 65536},
       .flag = "--hidden",
       .label = "Hidden units",
       .help = "mlp, ensemble: units of each hidden layer (1 to 8 layers)",
       .applies = has_hidden_layers,
       .required_in_json = true},
      {.key = "dropout",
       .field = &M::dropout,
       .range = {0, 1, false, true},
       .flag = "--dropout",
       .label = "Dropout",
       .help = "Dropout after hidden Dense layers",
       .chosen_on = kCnn1dWidths,
       .applies = has_dropout,
       .required_in_json = true},
      {.key = "ensemble_members",
       .field = &M::ensemble_members,
       .range = {1, 64},
       .flag = "--members",
       .label = "Members",
       .help = "ensemble: number of MLP members",
       .chosen_on = "5-fold track-grouped CV of features_30_sec.csv (seeds 7 and 1)",
       .applies = is_ensemble},
      {.key = "ensemble_rbf_members",
       .field = &M::ensemble_rbf_members,
       .range = {0, 64},
       .flag = "--rbf-members",
       .label = "rbf members",
       .help = "ensemble: number of rbf members besides the MLPs",
       .applies = is_ensemble},
      {.key = "rbf_features",
       .field = &M::rbf_features,
       .range = {16, 65536},
       .flag = "--rbf-features",
       .label = "Random features",
       .help = "rbf: random Fourier features",
       .chosen_on = kTableCv,
       .applies = has_random_features},
      {.key = "rbf_gamma",
       .field = &M::rbf_gamma,
       .range = {0, 100},
       .flag = "--rbf-gamma",
       .label = "Kernel gamma",
       .help = "rbf, krr: the kernel's gamma on standardised inputs (0: 1 / features)",
       .applies = has_rbf_kernel},
      {.key = "rbf_weight_decay",
       .field = &M::rbf_weight_decay,
       .range = {0, 1},
       .flag = "--rbf-weight-decay",
       .label = "rbf weight decay",
       .help = "rbf: L2 penalty of the layer over the random features",
       .chosen_on = kTableCv,
       .applies = has_random_features},
      {.key = "rbf_rate_factor",
       .field = &M::rbf_rate_factor,
       .range = {0, 1000, true, false},
       .flag = "--rbf-rate-factor",
       .label = "rbf rate factor",
       .help = "rbf: learning rate of the layer over the random features, as a multiple of --learning-rate",
       .chosen_on = kTableCv,
       .applies = has_random_features},
      {.key = "krr_lambda",
       .field = &M::krr_lambda,
       .range = {0, 1e6, true, false},
       .flag = "--krr-lambda",
       .label = "Ridge lambda",
       .help = "krr: ridge added to the kernel matrix's diagonal",
       .chosen_on = "5-fold track-grouped CV of features_30_sec.csv (scikit-learn, seeds 42-46)",
       .applies = is_krr},
      {.key = "krr_trees",
       .field = &M::krr_trees,
       .range = {0, 5000},
       .flag = "--krr-trees",
       .label = "Forest trees",
       .help = "krr: average with an extra-trees forest of this many trees (0: none)",
       .applies = is_krr},
      {.key = "krr_gamma_factor",
       .field = &M::krr_gamma_factor,
       .range = {0, 100, true, false},
       .flag = "--krr-gamma-factor",
       .label = "Gamma factor",
       .help = "krr with --rbf-gamma 0: gamma = this / features",
       .applies = is_krr},
      {.key = "krr_lda",
       .field = &M::krr_lda,
       .flag = "--krr-lda",
       .label = "With LDA",
       .help = "krr: average with a shrinkage linear discriminant analysis",
       .applies = is_krr},
      {.key = "lda_shrinkage",
       .field = &M::lda_shrinkage,
       .range = {0, 1},
       .flag = "--lda-shrinkage",
       .label = "LDA shrinkage",
       .help = "krr --krr-lda: the LDA's covariance shrinkage",
       .applies = is_krr},
      {.key = "log_variances",
       .field = &M::log_variances,
       .flag = "--log-variances",
       .label = "Log variances",
       .help = "Feed the log of the *_var columns (before standardisation)",
       .applies = is_table_model},
      {.key = "mel_bands",
       .field = &M::mel_bands,
       .range = {8, 512},
       .help = "cnn2d: mel bands of a patch (those of the log-mel spectrograms)",
       .applies = is_cnn2d},
      {.key = "patch_frames",
       .field = &M::patch_frames,
       .range = {8, 4096},
       .flag = "--patch-frames",
       .label = "Patch",
       .help = "Frames per patch (hop 512 at 22050 Hz; 130 = 3 s)",
       .chosen_on = kSharedClips,
       .applies = is_cnn2d},
      {.key = "cnn2d_channels",
       .field = &M::cnn2d_channels,
       .range = {1, 256},
       .flag = "--channels",
       .label = "Channels",
       .help = "Filters of the first convolution (then 2x and 4x)",
       .chosen_on = kSharedClips,
       .applies = is_cnn2d},
  };
  // clang-format on
  return specs;
}

const std::vector<Param<TrainParams>>& train_param_specs() {
  using T = TrainParams;
  // clang-format off: one parameter per entry, its fields in the order of Param
  static const std::vector<Param<T>> specs = {
      {.key = "epochs",
       .field = &T::epochs,
       .range = {1, 100000},
       .flag = "--epochs",
       .label = "Epochs",
       .help = "Epochs per fold",
       .chosen_on = "the study",
       .required_in_json = true},
      {.key = "batch_size",
       .field = &T::batch_size,
       .range = {1, 1000000},
       .flag = "--batch-size",
       .label = "Batch",
       .help = "Mini-batch size",
       .chosen_on = "the study",
       .required_in_json = true},
      {.key = "learning_rate",
       .field = &T::learning_rate,
       .range = {0, 10, true, false},
       .flag = "--learning-rate",
       .label = "Learning rate",
       .help = "Adam's initial rate, halved every 10 epochs (default 1e-3; logreg 1e-2)",
       .chosen_on = "the study (Keras' Adam); logreg: 5-fold track-grouped CV of features_30_sec.csv",
       .required_in_json = true},
      {.key = "lr_step_epochs",
       .field = &T::lr_step_epochs,
       .range = {1, 100000},
       .flag = "--lr-step",
       .label = "Rate step",
       .help = "Epochs between learning-rate changes",
       .required_in_json = true},
      {.key = "lr_gamma",
       .field = &T::lr_gamma,
       .range = {0, 1, true, false},
       .flag = "--lr-gamma",
       .label = "Rate factor",
       .help = "Learning-rate factor per change (0.5: halve)",
       .required_in_json = true},
      {.key = "adam_epsilon",
       .field = &T::adam_epsilon,
       .range = {0, 1, true, false},
       .help = "Adam's epsilon (Keras' default; PyTorch's is 1e-8)",
       .chosen_on = kTheStudy,
       .required_in_json = true},
      {.key = "weight_decay",
       .field = &T::weight_decay,
       .range = {0, 1},
       .flag = "--weight-decay",
       .label = "Weight decay",
       .help = "L2 penalty (Adam's weight_decay)",
       .required_in_json = true},
      {.key = "input_noise",
       .field = &T::input_noise,
       .range = {0, 10},
       .flag = "--input-noise",
       .label = "Input noise",
       .help = "Std of Gaussian noise added to the standardised training inputs"},
      {.key = "validation_fraction",
       .field = &T::validation_fraction,
       .range = {0, 0.5},
       .flag = "--validation",
       .label = "Validation",
       .help = "Fraction of each training fold held out for early stopping (0 = none)",
       .required_in_json = true},
      {.key = "early_stopping",
       .field = &T::early_stopping,
       .help = "With a validation split: stop after `patience` epochs without a lower validation loss",
       .required_in_json = true},
      {.key = "patience",
       .field = &T::patience,
       .range = {1, 100000},
       .flag = "--patience",
       .label = "Patience",
       .help = "Epochs without a better validation loss before stopping",
       .required_in_json = true},
      {.key = "restore_best",
       .field = &T::restore_best,
       .help = "With a validation split: end with the weights of the best epoch",
       .required_in_json = true},
      {.key = "seed",
       .field = &T::seed,
       .flag = "--seed",
       .label = "Seed",
       .help = "Seed of folds, shuffles, weights and dropout",
       .required_in_json = true},
      {.key = "threads",
       .field = &T::threads,
       .range = {1, 256},
       .help = "Compute threads of torch",
       .required_in_json = true},
  };
  // clang-format on
  return specs;
}

std::string_view to_string(ModelKind kind) noexcept {
  switch (kind) {
    case ModelKind::cnn1d:
      return "cnn1d";
    case ModelKind::mlp:
      return "mlp";
    case ModelKind::logreg:
      return "logreg";
    case ModelKind::ensemble:
      return "ensemble";
    case ModelKind::cnn2d:
      return "cnn2d";
    case ModelKind::rbf:
      return "rbf";
    case ModelKind::krr:
      return "krr";
  }
  return "?";
}

std::vector<ModelKind> all_model_kinds() {
  return {ModelKind::cnn1d, ModelKind::mlp, ModelKind::logreg, ModelKind::ensemble,
          ModelKind::cnn2d, ModelKind::rbf, ModelKind::krr};
}

std::optional<ModelKind> parse_model_kind(std::string_view text) noexcept {
  for (auto k : all_model_kinds())
    if (text == to_string(k)) return k;
  return std::nullopt;
}

void ModelParams::validate() const {
  check_params(model_param_specs(), *this);
  if (kind == ModelKind::cnn2d && log_variances)
    throw std::invalid_argument("log_variances applies to feature-table models, not to cnn2d");
  if (kind == ModelKind::mlp || kind == ModelKind::ensemble)
    require_range(!hidden_units.empty() && hidden_units.size() <= 8, "hidden_units", "1..8 layers",
                  std::to_string(hidden_units.size()) + " layers");
}

std::size_t ModelParams::cnn_output_length(std::size_t n_features) const noexcept {
  const auto k = static_cast<std::size_t>(kernel_size);
  const auto p = static_cast<std::size_t>(pool_size);
  if (k == 0 || p == 0 || n_features < k) return 0;
  const std::size_t pooled1 = (n_features - k + 1) / p;
  if (pooled1 < k) return 0;
  return (pooled1 - k + 1) / p;
}

std::size_t ModelParams::min_features() const noexcept {
  if (kind == ModelKind::cnn2d) return static_cast<std::size_t>(mel_bands) * static_cast<std::size_t>(patch_frames);
  if (kind != ModelKind::cnn1d) return 1;
  std::size_t f = 1;
  while (cnn_output_length(f) == 0 && f < 100000) ++f;
  return f;
}

void ModelParams::validate_inputs(std::size_t n_features, std::size_t n_classes) const {
  validate();
  if (n_classes < 2)
    throw std::invalid_argument("a classifier needs at least 2 classes (got " + std::to_string(n_classes) + ")");
  if (n_features == 0) throw std::invalid_argument("a model needs at least one input feature");
  if (kind == ModelKind::cnn2d && n_features != min_features())
    throw std::invalid_argument("cnn2d takes log-mel patches of " + std::to_string(mel_bands) + " x " +
                                std::to_string(patch_frames) + " = " + std::to_string(min_features()) +
                                " values, not " + std::to_string(n_features) + " (feature tables need another model)");
  if (kind == ModelKind::cnn1d && cnn_output_length(n_features) == 0)
    throw std::invalid_argument("cnn1d with kernel_size " + std::to_string(kernel_size) + " and pool_size " +
                                std::to_string(pool_size) + " needs at least " + std::to_string(min_features()) +
                                " input features (got " + std::to_string(n_features) + ")");
}

void TrainParams::validate() const { check_params(train_param_specs(), *this); }

TrainParams default_training(ModelKind kind) noexcept {
  TrainParams p;
  if (kind == ModelKind::logreg || kind == ModelKind::rbf) p.learning_rate = 1e-2;
  return p;
}

double learning_rate_at(const TrainParams& params, int epoch) noexcept {
  return params.learning_rate * std::pow(params.lr_gamma, epoch / params.lr_step_epochs);
}

void to_json(json& j, const ModelParams& p) {
  j = json{{"kind", to_string(p.kind)}};
  params_to_json(model_param_specs(), p, j);
}

void from_json(const json& j, ModelParams& p) {
  if (!j.is_object()) throw std::invalid_argument("model parameters are not a JSON object");
  const auto kind = json_field<std::string>(j, "kind");
  const auto k = parse_model_kind(kind);
  if (!k) throw std::invalid_argument("unknown model kind '" + kind + "'");
  ModelParams r;
  r.kind = *k;
  params_from_json(model_param_specs(), j, r);
  r.validate();
  p = std::move(r);
}

void to_json(json& j, const TrainParams& p) {
  j = json::object();
  params_to_json(train_param_specs(), p, j);
}

void from_json(const json& j, TrainParams& p) {
  if (!j.is_object()) throw std::invalid_argument("training parameters are not a JSON object");
  TrainParams r;
  params_from_json(train_param_specs(), j, r);
  r.validate();
  p = r;
}

}  // namespace genrelab::ml

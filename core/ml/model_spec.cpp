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

void check_int(int v, int lo, int hi, const char* name) {
  require_range(v >= lo && v <= hi, name, "in " + std::to_string(lo) + ".." + std::to_string(hi), std::to_string(v));
}

std::string num(double v) {
  std::string s = std::to_string(v);
  return s;
}


}  // namespace

std::string_view to_string(ModelKind kind) noexcept {
  switch (kind) {
    case ModelKind::cnn1d: return "cnn1d";
    case ModelKind::mlp: return "mlp";
    case ModelKind::logreg: return "logreg";
    case ModelKind::ensemble: return "ensemble";
    case ModelKind::cnn2d: return "cnn2d";
    case ModelKind::rbf: return "rbf";
    case ModelKind::krr: return "krr";
  }
  return "?";
}

std::vector<ModelKind> all_model_kinds() {
  return {ModelKind::cnn1d, ModelKind::mlp, ModelKind::logreg, ModelKind::ensemble, ModelKind::cnn2d, ModelKind::rbf,
          ModelKind::krr};
}

std::optional<ModelKind> parse_model_kind(std::string_view text) noexcept {
  for (auto k : all_model_kinds())
    if (text == to_string(k)) return k;
  return std::nullopt;
}

void ModelParams::validate() const {
  if (kind == ModelKind::cnn1d) {
    check_int(conv1_filters, 1, 4096, "conv1_filters");
    check_int(conv2_filters, 1, 4096, "conv2_filters");
    check_int(kernel_size, 1, 64, "kernel_size");
    check_int(pool_size, 1, 16, "pool_size");
    check_int(dense_units, 1, 65536, "dense_units");
  }
  if (kind == ModelKind::ensemble) {
    check_int(ensemble_members, 1, 64, "ensemble_members");
    check_int(ensemble_rbf_members, 0, 64, "ensemble_rbf_members");
  }
  if (kind == ModelKind::rbf || kind == ModelKind::krr || (kind == ModelKind::ensemble && ensemble_rbf_members > 0))
    require_range(std::isfinite(rbf_gamma) && rbf_gamma >= 0 && rbf_gamma <= 100, "rbf_gamma", "in [0, 100]",
                  num(rbf_gamma));
  if (kind == ModelKind::krr) {
    require_range(std::isfinite(krr_lambda) && krr_lambda > 0 && krr_lambda <= 1e6, "krr_lambda", "in (0, 1e6]",
                  num(krr_lambda));
    check_int(krr_trees, 0, 5000, "krr_trees");
    require_range(std::isfinite(krr_gamma_factor) && krr_gamma_factor > 0 && krr_gamma_factor <= 100, "krr_gamma_factor",
                  "in (0, 100]", num(krr_gamma_factor));
    require_range(std::isfinite(lda_shrinkage) && lda_shrinkage >= 0 && lda_shrinkage <= 1, "lda_shrinkage", "in [0, 1]",
                  num(lda_shrinkage));
  }
  if (kind == ModelKind::cnn2d && log_variances)
    throw std::invalid_argument("log_variances applies to feature-table models, not to cnn2d");
  if (kind == ModelKind::rbf || (kind == ModelKind::ensemble && ensemble_rbf_members > 0)) {
    check_int(rbf_features, 16, 65536, "rbf_features");
    require_range(std::isfinite(rbf_weight_decay) && rbf_weight_decay >= 0 && rbf_weight_decay <= 1,
                  "rbf_weight_decay", "in [0, 1]", num(rbf_weight_decay));
    require_range(std::isfinite(rbf_rate_factor) && rbf_rate_factor > 0 && rbf_rate_factor <= 1000, "rbf_rate_factor",
                  "in (0, 1000]", num(rbf_rate_factor));
  }
  if (kind == ModelKind::cnn2d) {
    check_int(mel_bands, 8, 512, "mel_bands");
    check_int(patch_frames, 8, 4096, "patch_frames");
    check_int(cnn2d_channels, 1, 256, "cnn2d_channels");
    check_int(dense_units, 1, 65536, "dense_units");
  }
  if (kind == ModelKind::mlp || kind == ModelKind::ensemble) {
    require_range(!hidden_units.empty() && hidden_units.size() <= 8, "hidden_units", "1..8 layers",
                  std::to_string(hidden_units.size()) + " layers");
    for (int u : hidden_units) check_int(u, 1, 65536, "hidden_units[i]");
  }
  require_range(std::isfinite(dropout) && dropout >= 0.0 && dropout < 1.0, "dropout", "in [0, 1)", num(dropout));
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
  if (n_classes < 2) throw std::invalid_argument("a classifier needs at least 2 classes (got " + std::to_string(n_classes) + ")");
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

void TrainParams::validate() const {
  check_int(epochs, 1, 100000, "epochs");
  check_int(batch_size, 1, 1000000, "batch_size");
  require_range(std::isfinite(learning_rate) && learning_rate > 0 && learning_rate <= 10, "learning_rate", "in (0, 10]",
                num(learning_rate));
  check_int(lr_step_epochs, 1, 100000, "lr_step_epochs");
  require_range(std::isfinite(lr_gamma) && lr_gamma > 0 && lr_gamma <= 1, "lr_gamma", "in (0, 1]", num(lr_gamma));
  require_range(std::isfinite(adam_epsilon) && adam_epsilon > 0 && adam_epsilon <= 1, "adam_epsilon", "in (0, 1]",
                num(adam_epsilon));
  require_range(std::isfinite(weight_decay) && weight_decay >= 0 && weight_decay <= 1, "weight_decay", "in [0, 1]",
                num(weight_decay));
  require_range(std::isfinite(input_noise) && input_noise >= 0 && input_noise <= 10, "input_noise", "in [0, 10]",
                num(input_noise));
  require_range(std::isfinite(validation_fraction) && validation_fraction >= 0 && validation_fraction <= 0.5,
                "validation_fraction", "in [0, 0.5]", num(validation_fraction));
  check_int(patience, 1, 100000, "patience");
  check_int(threads, 1, 256, "threads");
}

TrainParams default_training(ModelKind kind) noexcept {
  TrainParams p;
  if (kind == ModelKind::logreg || kind == ModelKind::rbf) p.learning_rate = 1e-2;
  return p;
}

double learning_rate_at(const TrainParams& params, int epoch) noexcept {
  return params.learning_rate * std::pow(params.lr_gamma, epoch / params.lr_step_epochs);
}

void to_json(json& j, const ModelParams& p) {
  j = json{{"kind", to_string(p.kind)},
           {"conv1_filters", p.conv1_filters},
           {"conv2_filters", p.conv2_filters},
           {"kernel_size", p.kernel_size},
           {"pool_size", p.pool_size},
           {"dense_units", p.dense_units},
           {"hidden_units", p.hidden_units},
           {"dropout", p.dropout},
           {"ensemble_members", p.ensemble_members},
           {"ensemble_rbf_members", p.ensemble_rbf_members},
           {"rbf_features", p.rbf_features},
           {"rbf_gamma", p.rbf_gamma},
           {"rbf_weight_decay", p.rbf_weight_decay},
           {"rbf_rate_factor", p.rbf_rate_factor},
           {"krr_lambda", p.krr_lambda},
           {"krr_trees", p.krr_trees},
           {"krr_gamma_factor", p.krr_gamma_factor},
           {"krr_lda", p.krr_lda},
           {"lda_shrinkage", p.lda_shrinkage},
           {"log_variances", p.log_variances},
           {"mel_bands", p.mel_bands},
           {"patch_frames", p.patch_frames},
           {"cnn2d_channels", p.cnn2d_channels}};
}

void from_json(const json& j, ModelParams& p) {
  if (!j.is_object()) throw std::invalid_argument("model parameters are not a JSON object");
  const auto kind = json_field<std::string>(j, "kind");
  const auto k = parse_model_kind(kind);
  if (!k) throw std::invalid_argument("unknown model kind '" + kind + "'");
  ModelParams r;
  r.kind = *k;
  r.conv1_filters = json_field<int>(j, "conv1_filters");
  r.conv2_filters = json_field<int>(j, "conv2_filters");
  r.kernel_size = json_field<int>(j, "kernel_size");
  r.pool_size = json_field<int>(j, "pool_size");
  r.dense_units = json_field<int>(j, "dense_units");
  r.hidden_units = json_field<std::vector<int>>(j, "hidden_units");
  r.dropout = json_field<double>(j, "dropout");
  if (j.contains("ensemble_members")) r.ensemble_members = json_field<int>(j, "ensemble_members");
  if (j.contains("ensemble_rbf_members")) r.ensemble_rbf_members = json_field<int>(j, "ensemble_rbf_members");
  if (j.contains("rbf_features")) r.rbf_features = json_field<int>(j, "rbf_features");
  if (j.contains("rbf_gamma")) r.rbf_gamma = json_field<double>(j, "rbf_gamma");
  if (j.contains("rbf_weight_decay")) r.rbf_weight_decay = json_field<double>(j, "rbf_weight_decay");
  if (j.contains("rbf_rate_factor")) r.rbf_rate_factor = json_field<double>(j, "rbf_rate_factor");
  if (j.contains("krr_lambda")) r.krr_lambda = json_field<double>(j, "krr_lambda");
  if (j.contains("krr_trees")) r.krr_trees = json_field<int>(j, "krr_trees");
  if (j.contains("krr_gamma_factor")) r.krr_gamma_factor = json_field<double>(j, "krr_gamma_factor");
  if (j.contains("krr_lda")) r.krr_lda = json_field<bool>(j, "krr_lda");
  if (j.contains("lda_shrinkage")) r.lda_shrinkage = json_field<double>(j, "lda_shrinkage");
  if (j.contains("log_variances")) r.log_variances = json_field<bool>(j, "log_variances");
  if (j.contains("mel_bands")) r.mel_bands = json_field<int>(j, "mel_bands");
  if (j.contains("patch_frames")) r.patch_frames = json_field<int>(j, "patch_frames");
  if (j.contains("cnn2d_channels")) r.cnn2d_channels = json_field<int>(j, "cnn2d_channels");
  r.validate();
  p = std::move(r);
}

void to_json(json& j, const TrainParams& p) {
  j = json{{"epochs", p.epochs},
           {"batch_size", p.batch_size},
           {"learning_rate", p.learning_rate},
           {"lr_step_epochs", p.lr_step_epochs},
           {"lr_gamma", p.lr_gamma},
           {"adam_epsilon", p.adam_epsilon},
           {"weight_decay", p.weight_decay},
           {"input_noise", p.input_noise},
           {"validation_fraction", p.validation_fraction},
           {"early_stopping", p.early_stopping},
           {"patience", p.patience},
           {"restore_best", p.restore_best},
           {"seed", p.seed},
           {"threads", p.threads}};
}

void from_json(const json& j, TrainParams& p) {
  if (!j.is_object()) throw std::invalid_argument("training parameters are not a JSON object");
  TrainParams r;
  r.epochs = json_field<int>(j, "epochs");
  r.batch_size = json_field<int>(j, "batch_size");
  r.learning_rate = json_field<double>(j, "learning_rate");
  r.lr_step_epochs = json_field<int>(j, "lr_step_epochs");
  r.lr_gamma = json_field<double>(j, "lr_gamma");
  r.adam_epsilon = json_field<double>(j, "adam_epsilon");
  r.weight_decay = json_field<double>(j, "weight_decay");
  if (j.contains("input_noise")) r.input_noise = json_field<double>(j, "input_noise");
  r.validation_fraction = json_field<double>(j, "validation_fraction");
  r.early_stopping = json_field<bool>(j, "early_stopping");
  r.patience = json_field<int>(j, "patience");
  r.restore_best = json_field<bool>(j, "restore_best");
  r.seed = json_field<std::uint64_t>(j, "seed");
  r.threads = json_field<int>(j, "threads");
  r.validate();
  p = r;
}

}  // namespace genrelab::ml

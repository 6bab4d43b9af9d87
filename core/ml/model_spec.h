// What a model is and how it is trained: the parameters of the model kinds GenreLab trains (the
// study's 1-D CNN, MLPs, logistic regression, kernel models, a 2-D CNN on log-mel patches) and of
// the training loop (Adam, cross-entropy, step learning-rate schedule, optional validation split with
// early stopping). Defaults are the study's settings. Plain data, torch-free; JSON round-trips
// for model bundles and reports.
// Thread-safety: plain values; the functions are pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "util/param_spec.h"

namespace genrelab::ml {

enum class ModelKind {
  cnn1d,   ///< the study's model: 2 x (Conv1d + ReLU + MaxPool) -> Dense + ReLU + Dropout -> Dense
  mlp,     ///< Dense + ReLU + Dropout per hidden layer -> Dense
  logreg,  ///< one Dense layer: multinomial logistic regression
  /// `ensemble_members` MLPs (hidden_units, dropout) with their own initial weights and dropout,
  /// trained side by side on the same mini-batches (each on its own cross-entropy); the output is
  /// the log of their mean probability, so softmax gives the average of the members' probabilities.
  ensemble,
  /// 2-D CNN on log-mel patches (mel_bands x patch_frames, the input vector frame-major: frame t,
  /// band k at t * mel_bands + k): 3 x (Conv2d 3x3 'same' + ReLU + MaxPool 2x2) with
  /// cnn2d_channels, 2x and 4x that many filters -> global average -> Dense + ReLU + Dropout -> Dense.
  cnn2d,
  /// Logistic regression with an RBF kernel exp(-gamma |x - y|^2), approximated by rbf_features
  /// random Fourier features (Rahimi & Recht, 2007): z(x) = sqrt(2 / D) cos(x W + b) with W drawn
  /// N(0, 2 gamma) and b uniform in [0, 2 pi), both fixed at creation from the seed (stored in the
  /// bundle like weights, never trained); a Dense layer on z is trained, with its own L2 penalty
  /// rbf_weight_decay. Close to an RBF-kernel SVM, and a member unlike the MLPs for an ensemble.
  rbf,
  /// Kernel ridge classifier: least squares on one-hot targets with the RBF kernel
  /// exp(-gamma |x - y|^2) (rbf_gamma) and ridge krr_lambda, solved in closed form (Cholesky, double
  /// precision) instead of by epochs: the scores of a row are k(x, training rows) (K + lambda I)^-1 Y.
  /// The logits are the scores times a temperature chosen by the closed-form leave-one-out
  /// cross-entropy of the training rows, so softmax gives calibrated probabilities. The training
  /// rows and their dual coefficients are the model's weights (their count is known only after
  /// fitting). Memory and time grow as rows^2 and rows^3: at most kMaxKernelRows training rows.
  /// With krr_trees > 0, averaged with an extra-trees forest.
  krr,
};

/// The largest training set a krr model accepts: its kernel matrix and inverse take 16 bytes per
/// rows^2 (2.3 GB at this size; 8000 rows of a 3-s table: 25 s per fold on one thread).
inline constexpr std::size_t kMaxKernelRows = 12000;

/// Every model kind, in the order of the enum (for menus and leaderboards).
std::vector<ModelKind> all_model_kinds();

/// "cnn1d", "mlp", "logreg", "ensemble", "cnn2d", "rbf", "krr".
std::string_view to_string(ModelKind kind) noexcept;
/// Parses the names of to_string(); nullopt otherwise.
std::optional<ModelKind> parse_model_kind(std::string_view text) noexcept;

/// Architecture. The input is the standardised feature vector (length F); the output is one logit
/// per genre (softmax gives probabilities). Weights start Glorot-uniform with zero biases (Keras'
/// defaults, as in the study).
///
/// The study (Keras) gives Conv1D(?, 3) -> MaxPool(2) -> Conv1D(64, 3) -> MaxPool(2) -> Flatten ->
/// Dense(?) -> Dropout(?) -> Dense(genres); the widths marked ? are not known. Chosen from 5-fold
/// grouped cross-validation on features_30_sec.csv, mean over seeds 1-10 (50 epochs, batch 32,
/// the same numbers as PyTorch for Python on the same folds): 32/64/Dense 64 gives 69.0 %,
/// 32/64/Dense 128 69.5 %, 64/64/Dense 128 69.9 % (the default), 64/128/Dense 128 70.3 % at three
/// times the compute. Dropout 0.3 beat 0.2 and 0.5.
struct ModelParams {
  ModelKind kind = ModelKind::cnn1d;
  // cnn1d: the vector as a 1-channel sequence of length F; 'valid' convolutions (Keras' default),
  // max-pooling with stride = pool size.
  int conv1_filters = 64;  ///< 1..4096
  int conv2_filters = 64;  ///< 1..4096
  int kernel_size = 3;     ///< 1..64
  int pool_size = 2;       ///< 1..16
  int dense_units = 128;   ///< cnn1d's hidden Dense layer; 1..65536
  // mlp: one Dense + ReLU + Dropout per entry.
  std::vector<int> hidden_units = {256, 128};  ///< 1..8 layers of 1..65536 units
  /// Dropout after every hidden Dense layer (cnn1d, mlp, ensemble); [0, 1). Unused by logreg.
  double dropout = 0.3;
  /// ensemble: number of MLP members; 1..64. (Optional in JSON, default 5: bundles written before
  /// the ensemble existed lack it.)
  int ensemble_members = 5;
  /// ensemble: number of rbf members besides the MLPs (each with its own random features); 0..64.
  /// Every member, MLP or rbf, has the same weight in the mean probability. (Optional in JSON.)
  int ensemble_rbf_members = 0;
  // rbf, and the rbf members of an ensemble (optional in JSON, these defaults when absent).
  int rbf_features = 4096;  ///< D, random Fourier features; 16..65536
  /// The kernel's gamma for standardised inputs (rbf, krr); 0 = 1 / F; [0, 100].
  double rbf_gamma = 0.0;
  /// L2 penalty on the Dense layer over the random features (added to its gradient as Adam's
  /// weight decay does); replaces TrainParams::weight_decay for that layer. [0, 1]
  double rbf_weight_decay = 1e-4;
  /// The rbf layers' learning rate as a multiple of TrainParams::learning_rate, for an ensemble
  /// (the rbf model alone learns best at 1e-2, ten times the MLPs' rate); (0, 1000].
  double rbf_rate_factor = 1.0;
  /// krr: the ridge added to the kernel matrix's diagonal; (0, 1e6]. (Optional in JSON.)
  double krr_lambda = 0.1;
  /// krr: when > 0, an extra-trees forest of this many trees (extra_trees.h) is grown on the same
  /// rows and the model's probability is the mean of the kernel's and the forest's. 0..5000.
  /// (Optional in JSON, default 0.)
  int krr_trees = 0;
  /// krr with rbf_gamma 0: gamma = krr_gamma_factor / F; (0, 100]. (Optional in JSON, default 1.)
  double krr_gamma_factor = 1.0;
  /// krr: also fit a linear discriminant analysis (shared covariance, class-frequency priors) on the
  /// same rows; the model's probability is then the mean of the kernel's, the forest's (if any) and
  /// the LDA's. (Optional in JSON, default false.)
  bool krr_lda = false;
  /// The LDA's shrinkage s: each class's covariance C (divided by its row count) becomes
  /// (1 - s) C + s tr(C) / F I before the prior-weighted sum (scikit-learn's shrinkage); [0, 1].
  /// (Optional in JSON, default 0.1.)
  double lda_shrinkage = 0.1;
  /// Feed log(max(v, 1e-12)) instead of v for every input column whose name ends in "_var" (the
  /// variances of the feature tables span orders of magnitude), before standardisation, in
  /// training and prediction alike. Any kind but cnn2d. (Optional in JSON, default false.)
  bool log_variances = false;
  // cnn2d (optional in JSON, these defaults when absent).
  int mel_bands = 128;      ///< 8..512
  int patch_frames = 130;   ///< 8..4096 (130 frames of hop 512 at 22050 Hz: about 3 s)
  int cnn2d_channels = 16;  ///< 1..256

  /// Throws std::invalid_argument naming the first parameter out of range.
  void validate() const;
  /// Throws std::invalid_argument when the model cannot take F inputs (cnn1d: the sequence must
  /// survive both convolutions and poolings; needs F >= min_features()).
  void validate_inputs(std::size_t n_features, std::size_t n_classes) const;
  /// Smallest F the architecture accepts (1 for mlp, logreg, ensemble, rbf and krr; mel_bands x
  /// patch_frames, exactly, for cnn2d).
  std::size_t min_features() const noexcept;
  /// cnn1d: length of the sequence after the second pooling for F inputs (0 if too short).
  std::size_t cnn_output_length(std::size_t n_features) const noexcept;
};

/// The training loop. Per epoch: shuffle (seeded), mini-batches, Adam on the mean cross-entropy;
/// the learning rate is learning_rate * lr_gamma^floor(epoch / lr_step_epochs).
struct TrainParams {
  int epochs = 50;              ///< 1..100000
  int batch_size = 32;          ///< 1..1000000 (the last batch of an epoch may be smaller)
  double learning_rate = 1e-3;  ///< Adam's initial rate; (0, 10]
  int lr_step_epochs = 10;      ///< epochs between rate changes; 1..100000
  double lr_gamma = 0.5;        ///< factor per step; (0, 1] (1 = constant rate)
  double adam_epsilon = 1e-7;   ///< Keras' default (PyTorch's is 1e-8); (0, 1]
  double weight_decay = 0.0;    ///< L2 penalty added to the gradient (Adam's weight_decay); [0, 1]
  /// Standard deviation of Gaussian noise added to the (standardised) training inputs of every
  /// batch, drawn from the network's seed; 0 = none. [0, 10]. Optional in JSON (default 0).
  double input_noise = 0.0;
  /// Fraction of the training rows (grouped and stratified like the folds) held out to pick the
  /// best epoch; 0 = no validation split. [0, 0.5].
  double validation_fraction = 0.0;
  /// With a validation split: stop after this many epochs without a lower validation loss.
  bool early_stopping = true;
  int patience = 10;  ///< 1..100000
  /// With a validation split: end with the weights of the epoch of the lowest validation loss.
  bool restore_best = true;
  std::uint64_t seed = 42;  ///< folds, shuffles, initial weights and dropout
  int threads = 1;          ///< compute threads for torch; 1..256

  void validate() const;
};

/// Every parameter of ModelParams but the kind, and of TrainParams, declared once (key, range,
/// CLI flag, GUI label, help, which data chose the default, which kinds use it): validate(), the
/// JSON of bundles and reports, genrelab-cli's options and the Training view's controls come from
/// these tables (util/param_spec.h).
const std::vector<Param<ModelParams>>& model_param_specs();
const std::vector<Param<TrainParams>>& train_param_specs();

/// Training defaults for a model kind: TrainParams{} (the study's settings) except for logreg,
/// which starts at learning rate 1e-2. At 1e-3 the linear model has not converged after 50
/// epochs (58 % in 5-fold cross-validation on features_30_sec.csv, against 71 % at 1e-2; 3e-2
/// and 1e-1 give 70.6 % and 69.7 %).
TrainParams default_training(ModelKind kind) noexcept;

/// The learning rate in epoch `epoch` (0-based).
double learning_rate_at(const TrainParams& params, int epoch) noexcept;

void to_json(nlohmann::json& j, const ModelParams& p);
/// Throws std::invalid_argument naming a missing or mistyped field, or a value out of range.
void from_json(const nlohmann::json& j, ModelParams& p);
void to_json(nlohmann::json& j, const TrainParams& p);
void from_json(const nlohmann::json& j, TrainParams& p);

}  // namespace genrelab::ml

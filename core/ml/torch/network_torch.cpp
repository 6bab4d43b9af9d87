// The only libtorch translation unit of GenreLab: modules, training loop, inference, weights.
// Built as the module libgenrelab_torch.so that ml/network.cpp loads on first use (network_model.h).
#include "ml/network_model.h"

#include <dlfcn.h>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <random>
#include <stdexcept>

#include "ml/extra_trees.h"
#include "ml/folds.h"
#include "ml/relu_max_pool.h"
#include "util/error.h"
#include "util/progress.h"

namespace genrelab::ml {
namespace {

using torch::Tensor;
namespace F = torch::nn::functional;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Inverted dropout drawing from the network's own generator (torch's Dropout module uses the
/// global one, which would couple networks trained on different threads).
Tensor dropout(const Tensor& x, double p, bool training, at::Generator& gen) {
  if (!training || p <= 0.0) return x;
  auto mask = torch::empty_like(x).bernoulli_(1.0 - p, gen);
  mask.div_(1.0 - p);
  return x * mask;
}

/// Keras' glorot_uniform for weights, zeros for biases. For a Conv1d weight (out, in, k) the
/// fans are in*k and out*k, for a Linear (out, in) in and out: the same as Keras for (k, in, out).
void glorot_init(torch::nn::Module& module, at::Generator& gen) {
  torch::NoGradGuard no_grad;
  for (auto& item : module.named_parameters(/*recurse=*/false)) {
    auto& t = item.value();
    if (t.dim() == 1) {
      t.zero_();
      continue;
    }
    const auto receptive = t.dim() > 2 ? t[0][0].numel() : 1;
    const double fan_in = static_cast<double>(t.size(1) * receptive);
    const double fan_out = static_cast<double>(t.size(0) * receptive);
    const double limit = std::sqrt(6.0 / (fan_in + fan_out));
    t.uniform_(-limit, limit, gen);
  }
}

/// ReLU followed by max-pooling over the last dimension, fused (relu_max_pool.h). Same values
/// and gradients as relu() then max_pool1d(): the gradient goes to the first largest value of
/// each window when it is positive, and nowhere otherwise. Written by hand because torch's
/// max_pool1d runs the generic 2-D kernel with index bookkeeping: about 180 us per call on the
/// study's tensors, a third of a training step, against 17 us here.
class ReluMaxPool1d : public torch::autograd::Function<ReluMaxPool1d> {
 public:
  static Tensor forward(torch::autograd::AutogradContext* ctx, const Tensor& input, std::int64_t pool) {
    const auto x = input.contiguous();
    const std::int64_t rows = x.size(0) * x.size(1), length = x.size(2);
    auto out = torch::empty({x.size(0), x.size(1), length / pool}, x.options());
    auto code = torch::empty({x.size(0), x.size(1), length / pool}, torch::kInt32);
    const float* in = x.data_ptr<float>();
    float* o = out.data_ptr<float>();
    std::int32_t* c = code.data_ptr<std::int32_t>();
    at::parallel_for(0, rows, 256, [=](std::int64_t first, std::int64_t last) {
      relu_max_pool_forward(in + first * length, last - first, length, pool, o + first * (length / pool),
                            c + first * (length / pool));
    });
    ctx->save_for_backward({code});
    ctx->saved_data["length"] = length;
    return out;
  }
  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    const auto code = ctx->get_saved_variables()[0];
    const std::int64_t length = ctx->saved_data["length"].toInt();
    const auto g = grads[0].contiguous();
    const std::int64_t rows = g.size(0) * g.size(1), out_length = g.size(2);
    auto grad_in = torch::zeros({g.size(0), g.size(1), length}, g.options());
    const float* go = g.data_ptr<float>();
    const std::int32_t* c = code.data_ptr<std::int32_t>();
    float* gi = grad_in.data_ptr<float>();
    at::parallel_for(0, rows, 256, [=](std::int64_t first, std::int64_t last) {
      relu_max_pool_backward(go + first * out_length, c + first * out_length, last - first, length, out_length,
                             gi + first * length);
    });
    return {grad_in, Tensor()};
  }
};

/// Common base: (B, F) standardised features -> (B, C) logits.
class ClassifierNet : public torch::nn::Module {
 public:
  virtual Tensor forward(const Tensor& x) = 0;
  /// The training objective on a batch and the logits it came with. The objective of an
  /// ensemble is the sum of its members' cross-entropies, so each member gets the gradient it
  /// would get alone (Adam's L2 term keeps its weight).
  virtual std::pair<Tensor, Tensor> objective(const Tensor& x, const Tensor& y) {
    auto logits = forward(x);
    return {F::cross_entropy(logits, y), logits};
  }
  /// Mean cross-entropy per member = objective / members().
  virtual int members() const { return 1; }
  /// Parameters of rbf output layers: they take ModelParams::rbf_weight_decay and rbf_rate_factor.
  virtual std::vector<Tensor> rbf_parameters() { return {}; }
  /// Models solved in closed form (krr) instead of by epochs of Adam.
  virtual bool closed_form() const { return false; }
  /// Fits a closed-form model on (B, F) rows and their class codes.
  virtual void fit_closed_form(const Tensor& /*x*/, const Tensor& /*y*/) {}
  /// Models whose parameter shapes depend on the training set (krr): resizes the parameters to
  /// `weights` (after checking they describe such a model) so set_weights() can copy them.
  virtual void reshape_for(const std::vector<NamedTensor>& /*weights*/) {}
};

class Cnn1dNet final : public ClassifierNet {
 public:
  Cnn1dNet(const ModelParams& p, std::int64_t n_features, std::int64_t n_classes, at::Generator gen)
      : pool_(p.pool_size), dropout_(p.dropout), gen_(std::move(gen)) {
    using namespace torch::nn;
    conv1_ = register_module("conv1", Conv1d(Conv1dOptions(1, p.conv1_filters, p.kernel_size)));
    conv2_ = register_module("conv2", Conv1d(Conv1dOptions(p.conv1_filters, p.conv2_filters, p.kernel_size)));
    const auto length = static_cast<std::int64_t>(p.cnn_output_length(static_cast<std::size_t>(n_features)));
    dense_ = register_module("dense", Linear(p.conv2_filters * length, p.dense_units));
    out_ = register_module("out", Linear(p.dense_units, n_classes));
    for (auto& m : children()) glorot_init(*m, gen_);
  }
  Tensor forward(const Tensor& x) override {
    auto h = ReluMaxPool1d::apply(conv1_->forward(x.unsqueeze(1)), pool_);
    h = ReluMaxPool1d::apply(conv2_->forward(h), pool_);
    h = torch::relu(dense_->forward(h.flatten(1)));
    return out_->forward(dropout(h, dropout_, is_training(), gen_));
  }

 private:
  torch::nn::Conv1d conv1_{nullptr}, conv2_{nullptr};
  torch::nn::Linear dense_{nullptr}, out_{nullptr};
  std::int64_t pool_;
  double dropout_;
  at::Generator gen_;
};

class MlpNet final : public ClassifierNet {
 public:
  MlpNet(const ModelParams& p, std::int64_t n_features, std::int64_t n_classes, at::Generator gen)
      : dropout_(p.dropout), gen_(std::move(gen)) {
    std::int64_t in = n_features;
    for (std::size_t i = 0; i < p.hidden_units.size(); ++i) {
      hidden_.push_back(register_module("hidden" + std::to_string(i + 1), torch::nn::Linear(in, p.hidden_units[i])));
      in = p.hidden_units[i];
    }
    out_ = register_module("out", torch::nn::Linear(in, n_classes));
    for (auto& m : children()) glorot_init(*m, gen_);
  }
  Tensor forward(const Tensor& x) override {
    Tensor h = x;
    for (auto& layer : hidden_) h = dropout(torch::relu(layer->forward(h)), dropout_, is_training(), gen_);
    return out_->forward(h);
  }

 private:
  std::vector<torch::nn::Linear> hidden_;
  torch::nn::Linear out_{nullptr};
  double dropout_;
  at::Generator gen_;
};

/// RBF-kernel logistic regression on random Fourier features (model_spec.h). The projection
/// and phases are parameters without gradients, so they are saved and loaded with the weights
/// and Adam leaves them alone.
class RbfNet final : public ClassifierNet {
 public:
  RbfNet(const ModelParams& p, std::int64_t n_features, std::int64_t n_classes, at::Generator gen) {
    const std::int64_t d = p.rbf_features;
    const double gamma = p.rbf_gamma > 0 ? p.rbf_gamma : 1.0 / static_cast<double>(n_features);
    torch::NoGradGuard no_grad;
    projection_ =
        register_parameter("projection", torch::empty({n_features, d}).normal_(0.0, std::sqrt(2.0 * gamma), gen),
                           /*requires_grad=*/false);
    phase_ = register_parameter("phase", torch::empty({d}).uniform_(0.0, 2.0 * std::numbers::pi, gen),
                                /*requires_grad=*/false);
    out_ = register_module("out", torch::nn::Linear(d, n_classes));
    glorot_init(*out_, gen);
    scale_ = std::sqrt(2.0 / static_cast<double>(d));
  }
  Tensor forward(const Tensor& x) override {
    return out_->forward(torch::cos(torch::addmm(phase_, x, projection_)) * scale_);
  }
  std::vector<Tensor> rbf_parameters() override { return {out_->weight, out_->bias}; }

 private:
  Tensor projection_, phase_;
  torch::nn::Linear out_{nullptr};
  double scale_ = 1.0;
};

/// The RBF kernel exp(-gamma |a_i - b_j|^2) between the rows of a and b, in double precision.
Tensor rbf_kernel(const Tensor& a, const Tensor& b, double gamma) {
  const auto d2 = a.square().sum(1, /*keepdim=*/true) + b.square().sum(1).unsqueeze(0) - 2.0 * a.matmul(b.t());
  return torch::exp(d2.clamp_min(0.0) * -gamma);
}

/// The temperature T > 0 that minimises the mean cross-entropy of softmax(T * scores) against
/// `y`: golden-section search on log T over [1e-3, 1e4] (the cross-entropy is convex in T).
double best_temperature(const Tensor& scores, const Tensor& y) {
  const auto rows = torch::arange(scores.size(0), torch::kLong);
  const auto loss = [&](double log_t) {
    const auto z = scores * std::exp(log_t);
    return (torch::logsumexp(z, 1) - z.index({rows, y})).mean().item<double>();
  };
  const double phi = (std::sqrt(5.0) - 1.0) / 2.0;
  double lo = std::log(1e-3), hi = std::log(1e4);
  double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
  double fa = loss(a), fb = loss(b);
  for (int i = 0; i < 60; ++i) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = loss(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = loss(b);
    }
  }
  return std::exp((lo + hi) / 2.0);
}

/// The forest of a krr as three parameters: roots (trees), nodes (nodes x 4: feature, threshold,
/// left, right; references as in ExtraTrees, stored as exact float integers) and leaves
/// (leaves x classes).
constexpr double kMaxExactFloatInteger = 16777216.0;  // 2^24

std::vector<NamedTensor> forest_tensors(const ExtraTrees& f) {
  NamedTensor roots{"forest_roots", {static_cast<std::int64_t>(f.roots.size())}, {}};
  for (auto r : f.roots) roots.values.push_back(static_cast<float>(r));
  NamedTensor nodes{"forest_nodes", {static_cast<std::int64_t>(f.feature.size()), 4}, {}};
  for (std::size_t n = 0; n < f.feature.size(); ++n)
    nodes.values.insert(nodes.values.end(), {static_cast<float>(f.feature[n]), f.threshold[n],
                                             static_cast<float>(f.left[n]), static_cast<float>(f.right[n])});
  NamedTensor leaves{
      "forest_leaves", {static_cast<std::int64_t>(f.leaves()), static_cast<std::int64_t>(f.classes)}, f.leaf_proba};
  return {roots, nodes, leaves};
}

/// The forest back from forest_tensors() (possibly read from a file): checked.
ExtraTrees forest_from(const NamedTensor& roots, const NamedTensor& nodes, const NamedTensor& leaves,
                       std::size_t classes, std::size_t cols) {
  const auto integer = [](float v) {
    if (!(std::abs(static_cast<double>(v)) < kMaxExactFloatInteger) || std::nearbyint(v) != v)
      throw std::invalid_argument("extra-trees forest: a node reference is not an integer in range");
    return static_cast<std::int32_t>(v);
  };
  ExtraTrees f;
  f.classes = classes;
  for (float v : roots.values) f.roots.push_back(integer(v));
  for (std::size_t i = 0; i + 3 < nodes.values.size(); i += 4) {
    f.feature.push_back(integer(nodes.values[i]));
    f.threshold.push_back(nodes.values[i + 1]);
    f.left.push_back(integer(nodes.values[i + 2]));
    f.right.push_back(integer(nodes.values[i + 3]));
  }
  f.leaf_proba = leaves.values;
  f.validate(cols);
  return f;
}

/// Kernel ridge classifier (model_spec.h). Its parameters, without gradients, are the training
/// rows ("support", rows x F), the dual coefficients ("dual", rows x C) and the temperature; before
/// fitting they are one zero row, so every class gets the same probability. With krr_trees, the
/// forest follows as forest_tensors() (before fitting: one uniform leaf per tree); with krr_lda,
/// the LDA's "lda_coef" (C x F) and "lda_intercept" (C) (before fitting: zeros, uniform).
class KrrNet final : public ClassifierNet {
 public:
  KrrNet(const ModelParams& p, std::int64_t n_features, std::int64_t n_classes, std::uint64_t seed)
      : gamma_(p.rbf_gamma > 0 ? p.rbf_gamma : p.krr_gamma_factor / static_cast<double>(n_features)),
        lambda_(p.krr_lambda), shrinkage_(p.lda_shrinkage), trees_(p.krr_trees), lda_(p.krr_lda), seed_(seed),
        features_(n_features), classes_(n_classes) {
    support_ = register_parameter("support", torch::zeros({1, n_features}), /*requires_grad=*/false);
    dual_ = register_parameter("dual", torch::zeros({1, n_classes}), /*requires_grad=*/false);
    temperature_ = register_parameter("temperature", torch::ones({1}), /*requires_grad=*/false);
    if (trees_ > 0) {
      ExtraTrees uniform;
      uniform.classes = static_cast<std::size_t>(n_classes);
      uniform.roots.assign(static_cast<std::size_t>(trees_), -1);
      uniform.feature = {0};
      uniform.threshold = {0.0f};
      uniform.left = uniform.right = {-1};
      uniform.leaf_proba.assign(uniform.classes, 1.0f / static_cast<float>(n_classes));
      set_forest(std::move(uniform));
    }
    if (lda_) {
      lda_coef_ = register_parameter("lda_coef", torch::zeros({n_classes, n_features}), /*requires_grad=*/false);
      lda_intercept_ = register_parameter("lda_intercept", torch::zeros({n_classes}), /*requires_grad=*/false);
    }
  }
  Tensor forward(const Tensor& x) override {
    const auto k = rbf_kernel(x.to(torch::kDouble), support_.to(torch::kDouble), gamma_);
    auto logits = (k.matmul(dual_.to(torch::kDouble)) * temperature_.item<double>()).to(torch::kFloat);
    if (!forest_ && !lda_) return logits;
    // log of the mean of the members' probabilities.
    auto sum = torch::softmax(logits, 1);
    double members = 1.0;
    if (forest_) {
      const auto rows = x.contiguous();
      const auto p = forest_->predict_proba({rows.data_ptr<float>(), static_cast<std::size_t>(rows.numel())},
                                            static_cast<std::size_t>(x.size(0)), static_cast<std::size_t>(features_));
      sum = sum + torch::from_blob(const_cast<float*>(p.data()), {x.size(0), classes_}, torch::kFloat);
      members += 1.0;
    }
    if (lda_) {
      sum = sum + torch::softmax(x.matmul(lda_coef_.t()) + lda_intercept_, 1);
      members += 1.0;
    }
    return torch::log(sum / members);
  }
  bool closed_form() const override { return true; }
  /// dual = (K + lambda I)^-1 Y by Cholesky; the leave-one-out scores Y - dual / diag((K + lambda I)^-1)
  /// (exact for ridge regression) choose the temperature. Then the forest, if any.
  void fit_closed_form(const Tensor& x, const Tensor& y) override {
    const auto n = x.size(0);
    if (static_cast<std::size_t>(n) > kMaxKernelRows)
      throw std::invalid_argument("krr: " + std::to_string(n) + " training rows; a kernel model takes at most " +
                                  std::to_string(kMaxKernelRows) + " (its kernel matrix grows as rows^2)");
    torch::NoGradGuard no_grad;
    const auto xd = x.to(torch::kDouble);
    auto k = rbf_kernel(xd, xd, gamma_);
    k.diagonal().add_(lambda_);
    const auto [chol, info] = torch::linalg_cholesky_ex(k);
    if (info.item<int>() != 0)
      throw std::runtime_error("krr: the kernel matrix is not positive definite (rows not finite?)");
    const auto targets = F::one_hot(y, classes_).to(torch::kDouble);
    const auto dual = torch::cholesky_solve(targets, chol);
    const auto loo = targets - dual / torch::cholesky_inverse(chol).diagonal().unsqueeze(1);
    support_.set_data(x.detach().clone());
    dual_.set_data(dual.to(torch::kFloat));
    temperature_.set_data(torch::full({1}, best_temperature(loo, y), torch::kFloat));
    if (lda_) fit_lda(xd, y);
    if (trees_ == 0) return;
    const auto rows = x.contiguous();
    const std::vector<int> labels(y.data_ptr<std::int64_t>(), y.data_ptr<std::int64_t>() + n);
    auto forest = ExtraTrees::fit({rows.data_ptr<float>(), static_cast<std::size_t>(rows.numel())},
                                  static_cast<std::size_t>(n), static_cast<std::size_t>(features_), labels,
                                  static_cast<std::size_t>(classes_), trees_, mix_seed(seed_, 0x7472656573ULL));
    if (forest.feature.empty() || static_cast<double>(forest.feature.size()) >= kMaxExactFloatInteger ||
        static_cast<double>(forest.leaves()) >= kMaxExactFloatInteger)
      throw std::invalid_argument(
          "krr: the forest of these rows cannot be stored (no feature varies, or over 2^24 nodes)");
    set_forest(std::move(forest));
  }
  void reshape_for(const std::vector<NamedTensor>& weights) override {
    const auto shape = [&](std::size_t i) {
      return i < weights.size() ? weights[i].shape : std::vector<std::int64_t>{};
    };
    const auto rows = shape(0).empty() ? 0 : shape(0)[0];
    const std::size_t expected = (trees_ > 0 ? 6 : 3) + (lda_ ? 2 : 0);
    if (lda_ && (weights.size() != expected || shape(expected - 2) != std::vector<std::int64_t>{classes_, features_} ||
                 shape(expected - 1) != std::vector<std::int64_t>{classes_}))
      throw std::invalid_argument("a krr with an LDA ends with lda_coef (" + std::to_string(classes_) + " x " +
                                  std::to_string(features_) + ") and lda_intercept (" + std::to_string(classes_) + ")");
    if (weights.size() != expected || shape(0) != std::vector<std::int64_t>{rows, features_} ||
        shape(1) != std::vector<std::int64_t>{rows, classes_} || shape(2) != std::vector<std::int64_t>{1} || rows < 1 ||
        static_cast<std::size_t>(rows) > kMaxKernelRows)
      throw std::invalid_argument("a krr needs weights support (rows x " + std::to_string(features_) +
                                  "), dual (rows x " + std::to_string(classes_) + ") and temperature (1), with 1.." +
                                  std::to_string(kMaxKernelRows) + " rows" +
                                  (trees_ > 0 ? ", then its forest (roots, nodes, leaves)" : "") +
                                  (lda_ ? ", then its LDA (coef, intercept)" : ""));
    torch::NoGradGuard no_grad;
    support_.set_data(torch::zeros({rows, features_}));
    dual_.set_data(torch::zeros({rows, classes_}));
    if (trees_ == 0) return;
    if (shape(3) != std::vector<std::int64_t>{trees_} || shape(4).size() != 2 || shape(4)[1] != 4 ||
        shape(5).size() != 2 || shape(5)[1] != classes_)
      throw std::invalid_argument("a krr with " + std::to_string(trees_) + " trees needs forest_roots (" +
                                  std::to_string(trees_) + "), forest_nodes (nodes x 4) and forest_leaves (leaves x " +
                                  std::to_string(classes_) + ")");
    set_forest(forest_from(weights[3], weights[4], weights[5], static_cast<std::size_t>(classes_),
                           static_cast<std::size_t>(features_)));
  }

 private:
  /// Linear discriminant analysis with shrunk class covariances, as scikit-learn's
  /// LinearDiscriminantAnalysis(solver="lsqr", shrinkage=s): priors = class frequencies,
  /// Sigma = sum_k prior_k ((1 - s) C_k + s tr(C_k) / F I) with C_k the biased covariance of class
  /// k, coef = lstsq(Sigma, means^T)^T, intercept_k = -coef_k . mean_k / 2 + log prior_k. A class
  /// without rows gets a very low intercept (its probability stays near 0).
  void fit_lda(const Tensor& xd, const Tensor& y) {
    const auto n = static_cast<double>(xd.size(0));
    auto sigma = torch::zeros({features_, features_}, torch::kDouble);
    auto means = torch::zeros({classes_, features_}, torch::kDouble);
    auto log_prior = torch::full({classes_}, -1e30, torch::kDouble);
    const auto eye = torch::eye(features_, torch::kDouble);
    for (std::int64_t c = 0; c < classes_; ++c) {
      const auto rows = xd.index({y == c});
      if (rows.size(0) == 0) continue;
      const auto prior = static_cast<double>(rows.size(0)) / n;
      const auto mean = rows.mean(0);
      const auto centred = rows - mean;
      const auto cov = centred.t().matmul(centred) / static_cast<double>(rows.size(0));
      const auto mu = cov.trace().item<double>() / static_cast<double>(features_);
      sigma += prior * ((1.0 - shrinkage_) * cov + shrinkage_ * mu * eye);
      means[c] = mean;
      log_prior[c] = std::log(prior);
    }
    const auto coef = std::get<0>(torch::linalg_lstsq(sigma, means.t(), c10::nullopt, c10::string_view("gelsd"))).t();
    const auto intercept = -0.5 * (means * coef).sum(1) + log_prior;
    lda_coef_.set_data(coef.to(torch::kFloat).contiguous());
    lda_intercept_.set_data(intercept.to(torch::kFloat));
  }

  /// Keeps the forest for prediction and mirrors it in the parameters (for weights()).
  void set_forest(ExtraTrees forest) {
    torch::NoGradGuard no_grad;
    const auto tensors = forest_tensors(forest);
    std::vector<Tensor> values;
    for (const auto& t : tensors) values.push_back(torch::tensor(t.values, torch::kFloat).reshape(t.shape));
    if (!forest_) {
      roots_ = register_parameter(tensors[0].name, values[0], /*requires_grad=*/false);
      nodes_ = register_parameter(tensors[1].name, values[1], /*requires_grad=*/false);
      leaves_ = register_parameter(tensors[2].name, values[2], /*requires_grad=*/false);
    } else {
      roots_.set_data(values[0]);
      nodes_.set_data(values[1]);
      leaves_.set_data(values[2]);
    }
    forest_ = std::move(forest);
  }

  Tensor support_, dual_, temperature_, roots_, nodes_, leaves_, lda_coef_, lda_intercept_;
  double gamma_, lambda_, shrinkage_;
  int trees_;
  bool lda_;
  std::uint64_t seed_;
  std::int64_t features_, classes_;
  std::optional<ExtraTrees> forest_;
};

/// Members are MLPs with their own generators (seeded from the network's seed and the member
/// index) for initial weights and dropout.
class EnsembleNet final : public ClassifierNet {
 public:
  EnsembleNet(const ModelParams& p, std::int64_t n_features, std::int64_t n_classes, std::uint64_t seed) {
    for (int m = 0; m < p.ensemble_members; ++m) {
      auto gen = at::make_generator<at::CPUGeneratorImpl>(mix_seed(seed, static_cast<std::uint64_t>(m) + 1));
      members_.push_back(
          register_module("member" + std::to_string(m + 1), std::make_shared<MlpNet>(p, n_features, n_classes, gen)));
    }
    for (int m = 0; m < p.ensemble_rbf_members; ++m) {
      auto gen = at::make_generator<at::CPUGeneratorImpl>(mix_seed(seed, static_cast<std::uint64_t>(m) + 0x726266));
      members_.push_back(
          register_module("rbf" + std::to_string(m + 1), std::make_shared<RbfNet>(p, n_features, n_classes, gen)));
    }
  }
  std::vector<Tensor> rbf_parameters() override {
    std::vector<Tensor> out;
    for (auto& m : members_)
      for (auto& w : m->rbf_parameters()) out.push_back(w);
    return out;
  }
  Tensor forward(const Tensor& x) override { return combine(member_logits(x)); }
  std::pair<Tensor, Tensor> objective(const Tensor& x, const Tensor& y) override {
    const auto logits = member_logits(x);
    Tensor loss = F::cross_entropy(logits[0], y);
    for (std::size_t m = 1; m < logits.size(); ++m) loss = loss + F::cross_entropy(logits[m], y);
    return {loss, combine(logits)};
  }
  int members() const override { return static_cast<int>(members_.size()); }

 private:
  std::vector<Tensor> member_logits(const Tensor& x) {
    std::vector<Tensor> out;
    for (auto& m : members_) out.push_back(m->forward(x));
    return out;
  }
  /// log(mean_m softmax(logits_m)): softmax of it is the mean probability.
  static Tensor combine(const std::vector<Tensor>& logits) {
    std::vector<Tensor> logp;
    for (const auto& l : logits) logp.push_back(torch::log_softmax(l, 1));
    return torch::logsumexp(torch::stack(logp), 0) - std::log(static_cast<double>(logits.size()));
  }
  std::vector<std::shared_ptr<ClassifierNet>> members_;
};

/// Input rows are frame-major patches (frame t, band k at t * bands + k), seen as a 1-channel
/// image of bands x frames.
class Cnn2dNet final : public ClassifierNet {
 public:
  Cnn2dNet(const ModelParams& p, std::int64_t n_classes, at::Generator gen)
      : bands_(p.mel_bands), frames_(p.patch_frames), dropout_(p.dropout), gen_(std::move(gen)) {
    using namespace torch::nn;
    const std::int64_t c = p.cnn2d_channels;
    conv1_ = register_module("conv1", Conv2d(Conv2dOptions(1, c, 3).padding(1)));
    conv2_ = register_module("conv2", Conv2d(Conv2dOptions(c, 2 * c, 3).padding(1)));
    conv3_ = register_module("conv3", Conv2d(Conv2dOptions(2 * c, 4 * c, 3).padding(1)));
    dense_ = register_module("dense", Linear(4 * c, p.dense_units));
    out_ = register_module("out", Linear(p.dense_units, n_classes));
    for (auto& m : children()) glorot_init(*m, gen_);
  }
  Tensor forward(const Tensor& x) override {
    auto h = x.view({x.size(0), frames_, bands_}).transpose(1, 2).unsqueeze(1);  // (B, 1, bands, frames)
    h = F::max_pool2d(torch::relu(conv1_->forward(h)), F::MaxPool2dFuncOptions(2));
    h = F::max_pool2d(torch::relu(conv2_->forward(h)), F::MaxPool2dFuncOptions(2));
    h = F::max_pool2d(torch::relu(conv3_->forward(h)), F::MaxPool2dFuncOptions(2));
    h = torch::relu(dense_->forward(h.mean({2, 3})));
    return out_->forward(dropout(h, dropout_, is_training(), gen_));
  }

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
  torch::nn::Linear dense_{nullptr}, out_{nullptr};
  std::int64_t bands_, frames_;
  double dropout_;
  at::Generator gen_;
};

class LogRegNet final : public ClassifierNet {
 public:
  LogRegNet(std::int64_t n_features, std::int64_t n_classes, at::Generator gen) {
    out_ = register_module("out", torch::nn::Linear(n_features, n_classes));
    glorot_init(*out_, gen);
  }
  Tensor forward(const Tensor& x) override { return out_->forward(x); }

 private:
  torch::nn::Linear out_{nullptr};
};

Tensor to_tensor(const Samples& s) {
  if (s.x.size() != s.rows * s.cols) throw std::invalid_argument("samples: x has the wrong size");
  return torch::from_blob(const_cast<float*>(s.x.data()),
                          {static_cast<std::int64_t>(s.rows), static_cast<std::int64_t>(s.cols)}, torch::kFloat)
      .clone();
}

Tensor labels_tensor(const Samples& s, std::size_t n_classes) {
  if (s.y.size() != s.rows) throw std::invalid_argument("samples: one label per row needed");
  std::vector<std::int64_t> y(s.y.begin(), s.y.end());
  for (auto v : y)
    if (v < 0 || static_cast<std::size_t>(v) >= n_classes) throw std::invalid_argument("samples: label out of range");
  return torch::tensor(y, torch::kLong);
}

/// Fisher–Yates with our own bounded draw, so the order does not depend on the standard library.
void shuffle(std::vector<std::int64_t>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(v[i - 1], v[j]);
  }
}

/// A network of any kind as libtorch holds it (the NetworkModel behind ml::Network).
class TorchNetwork final : public NetworkModel {
 public:
  ModelParams model_params;
  std::size_t n_features = 0;
  std::size_t n_classes = 0;
  std::uint64_t seed = 0;
  std::shared_ptr<ClassifierNet> net_;

  std::size_t parameter_count() const override {
    std::size_t n = 0;
    for (const auto& p : net_->parameters()) n += static_cast<std::size_t>(p.numel());
    return n;
  }

  Evaluation evaluate(const Samples& data) override {
    Evaluation e;
    if (data.rows == 0) return e;
    torch::NoGradGuard no_grad;
    net_->eval();
    const auto x = to_tensor(data);
    const auto y = labels_tensor(data, n_classes);
    const auto logits = net_->forward(x);
    e.loss = F::cross_entropy(logits, y).item<double>();
    const auto pred = logits.argmax(1);
    e.accuracy = pred.eq(y).sum().item<double>() / static_cast<double>(data.rows);
    const auto* p = pred.data_ptr<std::int64_t>();
    e.predicted.assign(p, p + data.rows);
    return e;
  }

  std::vector<float> predict_proba(const Samples& data) override {
    if (data.rows == 0) return {};
    torch::NoGradGuard no_grad;
    net_->eval();
    const auto probs = torch::softmax(net_->forward(to_tensor(data)), 1).contiguous();
    const auto* p = probs.data_ptr<float>();
    return {p, p + probs.numel()};
  }

  FitResult fit(const Samples& train, const Samples* validation, const Samples* monitor, const TrainParams& params,
                FitObserver* observer, const CancelToken* cancel, std::chrono::milliseconds batch_interval) override {
    const auto start = std::chrono::steady_clock::now();
    const auto seconds_since = [&](std::chrono::steady_clock::time_point t) {
      return std::chrono::duration<double>(t - start).count();
    };

    auto& net = *net_;
    const auto x = to_tensor(train);
    const auto y = labels_tensor(train, n_classes);
    const bool has_validation = validation && validation->rows > 0;
    FitResult result;
    const auto score_held_out = [&](EpochStats& s) {
      s.validation_loss = s.validation_accuracy = kNaN;
      s.test_loss = s.test_accuracy = kNaN;
      if (has_validation) {
        const auto e = evaluate(*validation);
        s.validation_loss = e.loss;
        s.validation_accuracy = e.accuracy;
      }
      if (monitor && monitor->rows > 0) {
        const auto e = evaluate(*monitor);
        s.test_loss = e.loss;
        s.test_accuracy = e.accuracy;
      }
    };
    if (net.closed_form()) {  // one "epoch": the solve (the loop's parameters do not apply)
      if (cancel) cancel->check();
      net.fit_closed_form(x, y);
      if (cancel) cancel->check();
      EpochStats s;
      s.epoch = s.epochs = 1;
      const auto fitted = evaluate(train);
      s.train_loss = fitted.loss;
      s.train_accuracy = fitted.accuracy;
      score_held_out(s);
      s.best = has_validation;
      s.elapsed_s = result.seconds = seconds_since(std::chrono::steady_clock::now());
      result.history.push_back(s);
      result.epochs_run = result.best_epoch = 1;
      if (observer) observer->on_epoch(s);
      return result;
    }
    // Parameter groups: everything else (the run's decay), then the rbf output layers (their own
    // decay and rate factor; model_spec.h).
    const auto rbf_parameters = net.rbf_parameters();
    const auto is_rbf = [&](const Tensor& t) {
      return std::any_of(rbf_parameters.begin(), rbf_parameters.end(), [&](const Tensor& w) { return w.is_same(t); });
    };
    std::vector<Tensor> common, rbf;
    for (const auto& p : net.parameters()) (is_rbf(p) ? rbf : common).push_back(p);
    const auto adam = [&](double decay) {
      return std::make_unique<torch::optim::AdamOptions>(
          torch::optim::AdamOptions(params.learning_rate).eps(params.adam_epsilon).weight_decay(decay));
    };
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(common, adam(params.weight_decay));
    if (!rbf.empty()) groups.emplace_back(rbf, adam(model_params.rbf_weight_decay));
    torch::optim::Adam optimizer(groups, torch::optim::AdamOptions(params.learning_rate).eps(params.adam_epsilon));

    // Shuffles come from the network's seed; the constant keeps them apart from the weight draws.
    std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
    auto noise_gen = at::make_generator<at::CPUGeneratorImpl>(mix_seed(seed, 0x6e6f697365ULL));
    std::vector<std::int64_t> order(train.rows);
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
    const auto n = static_cast<std::int64_t>(train.rows);
    const std::int64_t batch = params.batch_size;
    const int batches = static_cast<int>((n + batch - 1) / batch);

    double best_loss = std::numeric_limits<double>::infinity();
    std::vector<Tensor> best_weights;
    int since_best = 0;
    auto last_batch_report = start;

    for (int epoch = 0; epoch < params.epochs; ++epoch) {
      const double lr = learning_rate_at(params, epoch);
      auto& groups_now = optimizer.param_groups();
      for (std::size_t g = 0; g < groups_now.size(); ++g)
        static_cast<torch::optim::AdamOptions&>(groups_now[g].options())
            .lr(g == 0 ? lr : lr * model_params.rbf_rate_factor);
      net.train();
      shuffle(order, rng);
      const auto perm = torch::from_blob(order.data(), {n}, torch::kLong);
      double loss_sum = 0.0;
      std::int64_t correct = 0;
      for (int b = 0; b < batches; ++b) {
        if (cancel) cancel->check();
        const std::int64_t first = b * batch;
        const std::int64_t count = std::min(batch, n - first);
        const auto idx = perm.narrow(0, first, count);
        auto xb = x.index_select(0, idx);
        if (params.input_noise > 0) xb = xb + torch::empty_like(xb).normal_(0.0, params.input_noise, noise_gen);
        const auto yb = y.index_select(0, idx);
        optimizer.zero_grad();
        auto [loss, logits] = net.objective(xb, yb);
        loss.backward();
        optimizer.step();
        const double batch_loss = loss.item<double>() / net.members();
        loss_sum += batch_loss * static_cast<double>(count);
        {
          torch::NoGradGuard no_grad;
          correct += logits.argmax(1).eq(yb).sum().item<std::int64_t>();
        }
        if (observer) {
          const auto now = std::chrono::steady_clock::now();
          if (now - last_batch_report >= batch_interval) {
            last_batch_report = now;
            observer->on_batch({epoch + 1, params.epochs, b + 1, batches, batch_loss, lr, seconds_since(now)});
          }
        }
      }

      EpochStats s;
      s.epoch = epoch + 1;
      s.epochs = params.epochs;
      s.train_loss = loss_sum / static_cast<double>(n);
      s.train_accuracy = static_cast<double>(correct) / static_cast<double>(n);
      s.learning_rate = lr;
      score_held_out(s);
      if (has_validation) {
        if (s.validation_loss < best_loss) {
          best_loss = s.validation_loss;
          s.best = true;
          result.best_epoch = s.epoch;
          since_best = 0;
          if (params.restore_best) {
            torch::NoGradGuard no_grad;
            best_weights.clear();
            for (const auto& p : net.parameters()) best_weights.push_back(p.detach().clone());
          }
        } else {
          ++since_best;
        }
      } else {
        result.best_epoch = s.epoch;
      }
      s.elapsed_s = seconds_since(std::chrono::steady_clock::now());
      result.history.push_back(s);
      result.epochs_run = s.epoch;
      if (observer) observer->on_epoch(s);
      if (has_validation && params.early_stopping && since_best >= params.patience) {
        result.stopped_early = s.epoch < params.epochs;
        break;
      }
    }
    if (has_validation && params.restore_best && !best_weights.empty()) {
      torch::NoGradGuard no_grad;
      auto current = net.parameters();
      for (std::size_t i = 0; i < current.size(); ++i) current[i].copy_(best_weights[i]);
    } else if (has_validation) {
      result.best_epoch = result.epochs_run;  // kept the last weights
    }
    net.eval();
    result.seconds = seconds_since(std::chrono::steady_clock::now());
    return result;
  }

  std::vector<NamedTensor> weights() const override {
    std::vector<NamedTensor> out;
    for (const auto& item : net_->named_parameters()) {
      const auto t = item.value().detach().contiguous();
      NamedTensor w;
      w.name = item.key();
      w.shape.assign(t.sizes().begin(), t.sizes().end());
      const auto* p = t.data_ptr<float>();
      w.values.assign(p, p + t.numel());
      out.push_back(std::move(w));
    }
    return out;
  }

  void set_weights(const std::vector<NamedTensor>& weights) override {
    net_->reshape_for(weights);
    auto params = net_->named_parameters();
    if (weights.size() != params.size())
      throw std::invalid_argument("expected " + std::to_string(params.size()) + " weight tensors for this " +
                                  std::string(to_string(model_params.kind)) + ", found " +
                                  std::to_string(weights.size()));
    std::size_t i = 0;
    for (const auto& item : params) {
      const auto& w = weights[i++];
      const auto& t = item.value();
      if (w.name != item.key())
        throw std::invalid_argument("weight tensor " + std::to_string(i) + " is '" + w.name + "', expected '" +
                                    item.key() + "'");
      const std::vector<std::int64_t> shape(t.sizes().begin(), t.sizes().end());
      if (w.shape != shape)
        throw std::invalid_argument("weight '" + w.name + "' has shape " + c10::str(c10::IntArrayRef(w.shape)) +
                                    ", the model needs " + c10::str(t.sizes()));
      if (w.values.size() != static_cast<std::size_t>(t.numel()))
        throw std::invalid_argument("weight '" + w.name + "' has " + std::to_string(w.values.size()) +
                                    " values for shape " + c10::str(t.sizes()));
      for (float v : w.values)
        if (!std::isfinite(v)) throw std::invalid_argument("weight '" + w.name + "' holds a value that is not finite");
    }
    torch::NoGradGuard no_grad;
    i = 0;
    for (auto& item : params) {
      const auto& w = weights[i++];
      item.value().copy_(torch::from_blob(const_cast<float*>(w.values.data()), item.value().sizes(), torch::kFloat));
    }
  }
};

std::unique_ptr<NetworkModel> create(const ModelParams& params, std::size_t n_features, std::size_t n_classes,
                                     std::uint64_t seed) {
  auto impl = std::make_unique<TorchNetwork>();
  impl->model_params = params;
  impl->n_features = n_features;
  impl->n_classes = n_classes;
  impl->seed = seed;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto f = static_cast<std::int64_t>(n_features);
  const auto c = static_cast<std::int64_t>(n_classes);
  switch (params.kind) {
    case ModelKind::cnn1d:
      impl->net_ = std::make_shared<Cnn1dNet>(params, f, c, gen);
      break;
    case ModelKind::mlp:
      impl->net_ = std::make_shared<MlpNet>(params, f, c, gen);
      break;
    case ModelKind::logreg:
      impl->net_ = std::make_shared<LogRegNet>(f, c, gen);
      break;
    case ModelKind::ensemble:
      impl->net_ = std::make_shared<EnsembleNet>(params, f, c, seed);
      break;
    case ModelKind::cnn2d:
      impl->net_ = std::make_shared<Cnn2dNet>(params, c, gen);
      break;
    case ModelKind::rbf:
      impl->net_ = std::make_shared<RbfNet>(params, f, c, gen);
      break;
    case ModelKind::krr:
      impl->net_ = std::make_shared<KrrNet>(params, f, c, seed);
      break;
  }
  return impl;
}

int set_compute_threads(int threads) {
  // OpenBLAS (Debian's libopenblas0-pthread) keeps its own thread pool that torch does not
  // manage. Our matrices are small and parallelism comes from training folds at once; with the
  // pool on, two threads calling sgemm at once wait for each other (measured: 21 s instead of 6 s
  // for the study's 5 folds on 2 threads). Process-wide; a no-op with other BLAS libraries.
  static const bool blas_single = [] {
    using SetThreads = void (*)(int);
    if (auto* set = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
    return true;
  }();
  (void)blas_single;
  const int previous = at::get_num_threads();
  if (previous != threads) at::set_num_threads(threads);
  return previous;
}

int compute_threads() { return at::get_num_threads(); }

const TorchBackend kBackend{kTorchBackendAbi, &create, &set_compute_threads, &compute_threads};

}  // namespace
}  // namespace genrelab::ml

extern "C" __attribute__((visibility("default"))) const genrelab::ml::TorchBackend* genrelab_torch_backend() {
  return &genrelab::ml::kBackend;
}

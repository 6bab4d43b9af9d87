// Networks: architecture, parameter checks, learning, determinism, cancel within one batch.
#include "ml/network.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <span>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/progress.h"

namespace {

namespace ml = genrelab::ml;

/// Three linearly separable blobs in `features` dimensions, already standardised-ish.
ml::Samples blobs(std::size_t per_class, std::size_t features, unsigned seed, double separation = 3.0) {
  ml::Samples s;
  s.cols = features;
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  for (int c = 0; c < 3; ++c)
    for (std::size_t i = 0; i < per_class; ++i) {
      for (std::size_t f = 0; f < features; ++f)
        s.x.push_back(noise(rng) + (static_cast<int>(f % 3) == c ? static_cast<float>(separation) : 0.0f));
      s.y.push_back(c);
      ++s.rows;
    }
  return s;
}

ml::ModelParams params_of(ml::ModelKind kind) {
  ml::ModelParams p;
  p.kind = kind;
  return p;
}

TEST(Network, StudyCnnHasKerasParameterCount) {
  // Keras' model.summary() of the study's model as usually reconstructed (32/64 filters, Dense 64)
  // on 57 features and 10 genres: Conv1D(32,3) 128 + Conv1D(64,3) 6208 + Dense(64) on 12*64
  // inputs 49216 + Dense(10) 650.
  ml::ModelParams keras;
  keras.conv1_filters = 32;
  keras.dense_units = 64;
  EXPECT_EQ(ml::Network::create(keras, 57, 10, 1).parameter_count(), 128u + 6208u + 49216u + 650u);
  // GenreLab's defaults: 64/64 filters, Dense 128.
  const auto net = ml::Network::create(ml::ModelParams{}, 57, 10, 1);
  EXPECT_EQ(net.parameter_count(), (64u * 3 + 64) + (64u * 64 * 3 + 64) + (768u * 128 + 128) + (128u * 10 + 10));
  const auto w = net.weights();
  ASSERT_EQ(w.size(), 8u);
  EXPECT_EQ(w[0].name, "conv1.weight");
  EXPECT_EQ(w[0].shape, (std::vector<std::int64_t>{64, 1, 3}));
  EXPECT_EQ(w[4].name, "dense.weight");
  EXPECT_EQ(w[4].shape, (std::vector<std::int64_t>{128, 768}));
  // Keras' initialisers: zero biases, Glorot-uniform weights within sqrt(6 / (fan_in + fan_out)).
  for (float b : w[1].values) EXPECT_EQ(b, 0.0f);
  const float limit = std::sqrt(6.0f / (768 + 128));
  float largest = 0.0f;
  for (float v : w[4].values) largest = std::max(largest, std::abs(v));
  EXPECT_LE(largest, limit);
  EXPECT_GT(largest, 0.95f * limit);  // uniform over the whole range, not a narrower one
  EXPECT_EQ(ml::Network::create(params_of(ml::ModelKind::logreg), 57, 10, 1).parameter_count(), 57u * 10u + 10u);
  EXPECT_EQ(ml::Network::create(params_of(ml::ModelKind::mlp), 57, 10, 1).parameter_count(),
            57u * 256u + 256u + 256u * 128u + 128u + 128u * 10u + 10u);
}

TEST(Network, ParametersAreChecked) {
  ml::ModelParams p;
  EXPECT_EQ(p.min_features(), 10u);  // 10 -> 8 -> 4 -> 2 -> 1 with kernel 3, pool 2
  EXPECT_NO_THROW(p.validate_inputs(10, 2));
  try {
    p.validate_inputs(9, 10);
    FAIL() << "9 inputs accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("at least 10 input features"), std::string::npos) << e.what();
  }
  EXPECT_THROW(p.validate_inputs(57, 1), std::invalid_argument);
  for (auto change : std::initializer_list<void (*)(ml::ModelParams&)>{
           [](ml::ModelParams& m) { m.dropout = 1.0; }, [](ml::ModelParams& m) { m.kernel_size = 0; },
           [](ml::ModelParams& m) { m.dense_units = 0; }, [](ml::ModelParams& m) { m.pool_size = 17; },
           [](ml::ModelParams& m) { m.dropout = std::nan(""); }}) {
    ml::ModelParams bad;
    change(bad);
    EXPECT_THROW(ml::Network::create(bad, 57, 10, 1), std::invalid_argument);
  }
  ml::ModelParams mlp = params_of(ml::ModelKind::mlp);
  mlp.hidden_units.clear();
  EXPECT_THROW(mlp.validate(), std::invalid_argument);
  for (auto change : std::initializer_list<void (*)(ml::TrainParams&)>{
           [](ml::TrainParams& t) { t.epochs = 0; }, [](ml::TrainParams& t) { t.batch_size = 0; },
           [](ml::TrainParams& t) { t.learning_rate = 0; }, [](ml::TrainParams& t) { t.lr_gamma = 1.5; },
           [](ml::TrainParams& t) { t.validation_fraction = 0.7; }, [](ml::TrainParams& t) { t.threads = 0; }}) {
    ml::TrainParams bad;
    change(bad);
    EXPECT_THROW(bad.validate(), std::invalid_argument);
  }
}

TEST(Network, LearningRateHalvesEveryTenEpochs) {
  const ml::TrainParams t;
  EXPECT_DOUBLE_EQ(ml::learning_rate_at(t, 0), 1e-3);
  EXPECT_DOUBLE_EQ(ml::learning_rate_at(t, 9), 1e-3);
  EXPECT_DOUBLE_EQ(ml::learning_rate_at(t, 10), 5e-4);
  EXPECT_DOUBLE_EQ(ml::learning_rate_at(t, 49), 1e-3 / 16);
  EXPECT_DOUBLE_EQ(ml::default_training(ml::ModelKind::cnn1d).learning_rate, 1e-3);
  EXPECT_DOUBLE_EQ(ml::default_training(ml::ModelKind::mlp).learning_rate, 1e-3);
  EXPECT_DOUBLE_EQ(ml::default_training(ml::ModelKind::logreg).learning_rate, 1e-2);
}

TEST(Network, EveryKindLearnsSeparableBlobs) {
  const auto train = blobs(60, 12, 1), test = blobs(30, 12, 2);
  ml::TrainParams t;
  t.epochs = 15;
  t.learning_rate = 1e-2;  // 90 Adam steps in all
  for (auto kind : ml::all_model_kinds()) {
    if (kind == ml::ModelKind::cnn2d) continue;  // takes log-mel patches (audio_cnn_test.cpp)
    auto net = ml::Network::create(params_of(kind), 12, 3, 5);
    const auto fit = net.fit(train, nullptr, &test, t);
    if (kind == ml::ModelKind::krr) {  // closed form: one "epoch"
      ASSERT_EQ(fit.history.size(), 1u);
    } else {
      ASSERT_EQ(fit.history.size(), 15u);
      EXPECT_LT(fit.history.back().train_loss, fit.history.front().train_loss) << ml::to_string(kind);
    }
    const auto e = net.evaluate(test);
    EXPECT_GT(e.accuracy, 0.9) << ml::to_string(kind);  // blobs 3 sigma apart: ~99 % for a linear rule
    EXPECT_DOUBLE_EQ(e.accuracy, fit.history.back().test_accuracy);
    const auto p = net.predict_proba(test);
    ASSERT_EQ(p.size(), test.rows * 3);
    EXPECT_NEAR(p[0] + p[1] + p[2], 1.0f, 1e-5f);
  }
}

TEST(Network, SameSeedSameWeights) {
  const auto train = blobs(40, 12, 1, 1.0);
  ml::TrainParams t;
  t.epochs = 3;
  auto run = [&](std::uint64_t seed) {
    auto net = ml::Network::create(ml::ModelParams{.kind = ml::ModelKind::cnn1d}, 12, 3, seed);
    net.fit(train, nullptr, nullptr, t);
    return net.weights();
  };
  const auto a = run(11), b = run(11), c = run(12);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].values, b[i].values) << a[i].name;  // bit for bit
  EXPECT_NE(a[0].values, c[0].values);
}

TEST(Network, SetWeightsRejectsWrongShapes) {
  auto net = ml::Network::create(ml::ModelParams{}, 57, 10, 1);
  auto w = net.weights();
  auto other = ml::Network::create(ml::ModelParams{}, 57, 10, 2);
  other.set_weights(w);
  EXPECT_EQ(other.weights()[4].values, w[4].values);
  auto short_list = w;
  short_list.pop_back();
  EXPECT_THROW(net.set_weights(short_list), std::invalid_argument);
  auto renamed = w;
  renamed[0].name = "conv9.weight";
  EXPECT_THROW(net.set_weights(renamed), std::invalid_argument);
  auto reshaped = w;
  reshaped[4].shape = {32, 1536};
  EXPECT_THROW(net.set_weights(reshaped), std::invalid_argument);
  auto nan = w;
  nan[2].values[0] = std::nanf("");
  EXPECT_THROW(net.set_weights(nan), std::invalid_argument);
}

TEST(Network, EarlyStoppingRestoresTheBestEpoch) {
  // Few noisy rows and many epochs: the validation loss bottoms out early, then rises.
  const auto train = blobs(15, 12, 3, 0.7), validation = blobs(30, 12, 4, 0.7);
  ml::TrainParams t;
  t.epochs = 300;
  t.lr_step_epochs = 1000;
  t.learning_rate = 1e-2;
  t.validation_fraction = 0.2;  // only recorded; the split is the caller's
  t.patience = 5;
  ml::ModelParams p = params_of(ml::ModelKind::mlp);
  p.dropout = 0.0;
  auto net = ml::Network::create(p, 12, 3, 9);
  const auto fit = net.fit(train, &validation, nullptr, t);
  EXPECT_TRUE(fit.stopped_early);
  EXPECT_LT(fit.epochs_run, 300);
  EXPECT_EQ(fit.epochs_run, fit.best_epoch + 5);
  double best = 1e9;
  for (const auto& s : fit.history) best = std::min(best, s.validation_loss);
  EXPECT_DOUBLE_EQ(fit.history[static_cast<std::size_t>(fit.best_epoch - 1)].validation_loss, best);
  EXPECT_TRUE(fit.history[static_cast<std::size_t>(fit.best_epoch - 1)].best);
  // The network holds the best epoch's weights again.
  EXPECT_NEAR(net.evaluate(validation).loss, best, 1e-6);
}

class CancelAt final : public ml::FitObserver {
 public:
  CancelAt(genrelab::CancelToken& token, int epoch, int batch) : token_(token), epoch_(epoch), batch_(batch) {}
  void on_batch(const ml::BatchStats& b) override {
    ++batches_seen;
    if (token_.cancelled()) ++batches_after_cancel;
    if (b.epoch == epoch_ && b.batch == batch_) token_.cancel();
  }
  int batches_seen = 0;
  int batches_after_cancel = 0;

 private:
  genrelab::CancelToken& token_;
  int epoch_, batch_;
};

TEST(Network, CancelStopsWithinOneBatch) {
  const auto train = blobs(100, 12, 1);  // 300 rows: 10 batches of 32 per epoch
  ml::TrainParams t;
  t.epochs = 50;
  genrelab::CancelToken token;
  CancelAt observer(token, 2, 3);
  auto net = ml::Network::create(ml::ModelParams{}, 12, 3, 1);
  EXPECT_THROW(net.fit(train, nullptr, nullptr, t, &observer, &token, std::chrono::milliseconds(0)),
               genrelab::Cancelled);
  EXPECT_EQ(observer.batches_seen, 10 + 3);  // every batch reported with interval 0
  EXPECT_EQ(observer.batches_after_cancel, 0);
}

}  // namespace

namespace {

TEST(Network, EnsembleAveragesItsMembersProbabilities) {
  // An ensemble of 3 MLPs, trained; then 3 stand-alone MLPs get the members' weights. The
  // ensemble's probabilities must be the mean of theirs (float rounding of log/exp: 1e-5).
  auto p = params_of(ml::ModelKind::ensemble);
  p.ensemble_members = 3;
  p.hidden_units = {16};
  auto ensemble = ml::Network::create(p, 12, 3, 9);
  ml::TrainParams t;
  t.epochs = 3;
  const auto train = blobs(20, 12, 1), test = blobs(10, 12, 2);
  ensemble.fit(train, nullptr, nullptr, t);
  const auto all = ensemble.weights();
  ASSERT_EQ(all.size(), 12u);  // 3 members x (hidden1, out) x (weight, bias)
  EXPECT_EQ(all[0].name, "member1.hidden1.weight");
  auto single = p;
  single.kind = ml::ModelKind::mlp;
  std::vector<float> mean(test.rows * 3, 0.0f);
  for (int m = 0; m < 3; ++m) {
    auto net = ml::Network::create(single, 12, 3, 1);
    std::vector<ml::NamedTensor> w(all.begin() + 4 * m, all.begin() + 4 * (m + 1));
    for (auto& x : w) x.name = x.name.substr(x.name.find('.') + 1);
    net.set_weights(w);
    const auto q = net.predict_proba(test);
    for (std::size_t i = 0; i < q.size(); ++i) mean[i] += q[i] / 3.0f;
  }
  const auto e = ensemble.predict_proba(test);
  ASSERT_EQ(e.size(), mean.size());
  for (std::size_t i = 0; i < e.size(); ++i) EXPECT_NEAR(e[i], mean[i], 1e-5f) << i;
  // Members start from different weights.
  EXPECT_NE(all[0].values, all[4].values);
}

TEST(Network, ModelKindsRoundTripInJson) {
  for (auto kind : ml::all_model_kinds()) {
    EXPECT_EQ(ml::parse_model_kind(ml::to_string(kind)), kind);
    auto p = params_of(kind);
    p.ensemble_members = 7;
    const nlohmann::json j = p;
    const auto back = j.get<ml::ModelParams>();
    EXPECT_EQ(back.kind, kind);
    EXPECT_EQ(back.ensemble_members, 7);
  }
  nlohmann::json old = params_of(ml::ModelKind::mlp);
  old.erase("ensemble_members");  // bundles written before the ensemble
  EXPECT_EQ(old.get<ml::ModelParams>().ensemble_members, 5);
  auto bad = params_of(ml::ModelKind::ensemble);
  bad.ensemble_members = 0;
  EXPECT_THROW(bad.validate(), std::invalid_argument);
}

}  // namespace

namespace {

double dot(std::span<const float> a, std::span<const float> b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return s;
}

/// z(x) = sqrt(2 / D) cos(x W + b) from an rbf network's stored projection W (F x D) and phases b.
std::vector<float> random_features(const std::vector<ml::NamedTensor>& w, std::span<const float> x) {
  const auto& projection = w[0];
  const auto& phase = w[1];
  const auto f = static_cast<std::size_t>(projection.shape[0]), d = static_cast<std::size_t>(projection.shape[1]);
  std::vector<float> z(d);
  for (std::size_t j = 0; j < d; ++j) {
    double a = phase.values[j];
    for (std::size_t i = 0; i < f; ++i) a += static_cast<double>(x[i] * projection.values[i * d + j]);
    z[j] = static_cast<float>(std::sqrt(2.0 / static_cast<double>(d)) * std::cos(a));
  }
  return z;
}

TEST(Network, RbfFeaturesApproximateTheGaussianKernel) {
  // With D = 16384 random features, z(x).z(y) estimates exp(-gamma |x - y|^2) with a standard
  // error below 1 / sqrt(D) ~ 0.008; gamma defaults to 1 / F.
  auto p = params_of(ml::ModelKind::rbf);
  p.rbf_features = 16384;
  const std::size_t f = 8;
  auto net = ml::Network::create(p, f, 3, 3);
  const auto w = net.weights();
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].name, "projection");
  EXPECT_EQ(w[0].shape, (std::vector<std::int64_t>{8, 16384}));
  EXPECT_EQ(w[1].name, "phase");
  EXPECT_EQ(net.parameter_count(), 8u * 16384u + 16384u + 16384u * 3u + 3u);
  std::mt19937 rng(4);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (double distance : {0.0, 1.0, 2.0, 3.0, 5.0}) {
    std::vector<float> x(f), y(f), step(f);
    for (std::size_t i = 0; i < f; ++i) x[i] = normal(rng), step[i] = normal(rng);
    const auto scale = static_cast<float>(distance / std::sqrt(dot(step, step)));
    for (std::size_t i = 0; i < f; ++i) y[i] = x[i] + scale * step[i];
    const double expected = std::exp(-distance * distance / static_cast<double>(f));
    EXPECT_NEAR(dot(random_features(w, x), random_features(w, y)), expected, 0.04) << distance;
  }
  p.rbf_gamma = 0.5;  // an explicit gamma scales the projection: std sqrt(2 gamma) = 1
  const auto wide = ml::Network::create(p, f, 3, 3).weights()[0].values;
  double sum_sq = 0.0;
  for (float v : wide) sum_sq += static_cast<double>(v * v);
  EXPECT_NEAR(sum_sq / static_cast<double>(wide.size()), 1.0, 0.02);
}

TEST(Network, RbfTrainsOnlyItsOutputWithItsOwnDecay) {
  auto p = params_of(ml::ModelKind::rbf);
  p.rbf_features = 256;
  const auto train = blobs(30, 6, 1);
  ml::TrainParams t;
  t.epochs = 5;
  t.learning_rate = 1e-2;
  t.weight_decay = 0.0;  // not the rbf layer's decay
  auto out_weight_norm = [&](double decay) {
    p.rbf_weight_decay = decay;
    auto net = ml::Network::create(p, 6, 3, 2);
    const auto before = net.weights();
    net.fit(train, nullptr, nullptr, t);
    const auto after = net.weights();
    EXPECT_EQ(after[0].values, before[0].values);  // projection fixed
    EXPECT_EQ(after[1].values, before[1].values);  // phases fixed
    EXPECT_NE(after[2].values, before[2].values);  // the Dense layer learns
    return std::sqrt(dot(after[2].values, after[2].values));
  };
  EXPECT_LT(out_weight_norm(0.5), 0.7 * out_weight_norm(0.0));
  // Its own learning rate: a factor of 1/1000 leaves the layer nearly where it started.
  p.rbf_weight_decay = 0.0;
  auto moved = [&](double factor) {
    p.rbf_rate_factor = factor;
    auto net = ml::Network::create(p, 6, 3, 2);
    const auto before = net.weights()[2].values;
    net.fit(train, nullptr, nullptr, t);
    const auto after = net.weights()[2].values;
    double d = 0.0;
    for (std::size_t i = 0; i < after.size(); ++i) d += std::abs(static_cast<double>(after[i] - before[i]));
    return d;
  };
  EXPECT_LT(moved(1e-3), 0.01 * moved(1.0));
}

TEST(Network, EnsembleWithRbfMembersRoundTripsAndChecksItsParameters) {
  auto p = params_of(ml::ModelKind::ensemble);
  p.ensemble_members = 2;
  p.ensemble_rbf_members = 2;
  p.hidden_units = {16};
  p.rbf_features = 64;
  auto net = ml::Network::create(p, 12, 3, 9);
  EXPECT_EQ(net.parameter_count(), 2u * (12u * 16u + 16u + 16u * 3u + 3u) + 2u * (12u * 64u + 64u + 64u * 3u + 3u));
  ml::TrainParams t;
  t.epochs = 15;
  t.learning_rate = 1e-2;
  const auto train = blobs(20, 12, 1), test = blobs(10, 12, 2);
  net.fit(train, nullptr, nullptr, t);
  EXPECT_GT(net.evaluate(test).accuracy, 0.9);
  const auto w = net.weights();
  ASSERT_EQ(w.size(), 2u * 4u + 2u * 4u);
  EXPECT_EQ(w[8].name, "rbf1.projection");
  EXPECT_NE(w[8].values, w[12].values);          // each rbf member draws its own features
  auto copy = ml::Network::create(p, 12, 3, 1);  // other seed: other features, until set
  copy.set_weights(w);
  EXPECT_EQ(copy.predict_proba(test), net.predict_proba(test));

  const nlohmann::json j = p;
  const auto back = j.get<ml::ModelParams>();
  EXPECT_EQ(back.ensemble_rbf_members, 2);
  EXPECT_EQ(back.rbf_features, 64);
  nlohmann::json old = params_of(ml::ModelKind::ensemble);
  for (const char* key : {"ensemble_rbf_members", "rbf_features", "rbf_gamma", "rbf_weight_decay"}) old.erase(key);
  EXPECT_EQ(old.get<ml::ModelParams>().ensemble_rbf_members, 0);  // bundles written before rbf
  for (auto change : std::initializer_list<void (*)(ml::ModelParams&)>{
           [](ml::ModelParams& m) { m.rbf_features = 8; }, [](ml::ModelParams& m) { m.rbf_gamma = -1.0; },
           [](ml::ModelParams& m) { m.rbf_weight_decay = std::nan(""); },
           [](ml::ModelParams& m) { m.ensemble_rbf_members = 65; }}) {
    auto bad = p;
    change(bad);
    EXPECT_THROW(bad.validate(), std::invalid_argument);
  }
}

}  // namespace

namespace {

double cross_entropy(const std::vector<float>& proba, const ml::Samples& data) {
  double sum = 0.0;
  for (std::size_t r = 0; r < data.rows; ++r)
    sum -= std::log(static_cast<double>(proba[r * 3 + static_cast<std::size_t>(data.y[r])]));
  return sum / static_cast<double>(data.rows);
}

TEST(Network, KrrSolvesKernelRidgeInClosedForm) {
  const auto train = blobs(40, 6, 3, 1.5), test = blobs(200, 6, 4, 1.5);
  auto params = params_of(ml::ModelKind::krr);
  params.krr_lambda = 0.5;
  auto net = ml::Network::create(params, 6, 3, 1);
  const auto fit = net.fit(train, nullptr, &test, ml::TrainParams{});
  ASSERT_EQ(fit.epochs_run, 1);
  const auto w = net.weights();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].name, "support");
  EXPECT_EQ(w[0].shape, (std::vector<std::int64_t>{120, 6}));
  EXPECT_EQ(w[0].values, train.x);  // the training rows themselves
  EXPECT_EQ(w[1].shape, (std::vector<std::int64_t>{120, 3}));
  const double temperature = w[2].values[0];
  EXPECT_GT(temperature, 0.0);

  // The dual coefficients solve (K + lambda I) dual = Y: check row 0 of that system by hand.
  const double gamma = 1.0 / 6.0;
  for (int c = 0; c < 3; ++c) {
    double lhs = params.krr_lambda * static_cast<double>(w[1].values[static_cast<std::size_t>(c)]);
    for (std::size_t j = 0; j < train.rows; ++j) {
      double d2 = 0.0;
      for (std::size_t f = 0; f < 6; ++f) d2 += std::pow(train.x[f] - train.x[j * 6 + f], 2.0);
      lhs += std::exp(-gamma * d2) * static_cast<double>(w[1].values[j * 3 + static_cast<std::size_t>(c)]);
    }
    EXPECT_NEAR(lhs, train.y[0] == c ? 1.0 : 0.0, 1e-4) << c;
  }
  const auto e = net.evaluate(test);
  EXPECT_GT(e.accuracy, 0.75);  // the Bayes rule gets about 88 % of these overlapping blobs; chance 33 %
  EXPECT_DOUBLE_EQ(e.accuracy, fit.history.back().test_accuracy);

  // The leave-one-out temperature calibrates: on fresh rows, three times hotter or colder is worse.
  const double fitted = cross_entropy(net.predict_proba(test), test);
  for (double factor : {3.0, 1.0 / 3.0}) {
    auto scaled = w;
    scaled[2].values[0] = static_cast<float>(temperature * factor);
    auto other = ml::Network::create(params, 6, 3, 9);
    other.set_weights(scaled);
    EXPECT_LT(fitted, cross_entropy(other.predict_proba(test), test)) << factor;
  }

  // The weights carry the model: a fresh krr (one row before loading) predicts the same.
  auto copy = ml::Network::create(params, 6, 3, 2);
  copy.set_weights(w);
  EXPECT_EQ(copy.predict_proba(test), net.predict_proba(test));
  EXPECT_EQ(copy.parameter_count(), 120u * 6 + 120u * 3 + 1);
  auto mismatched = w;
  mismatched[1].shape = {119, 3};
  mismatched[1].values.resize(119 * 3);
  EXPECT_THROW(copy.set_weights(mismatched), std::invalid_argument);
  auto wide = w;
  wide[0].shape = {60, 12};
  EXPECT_THROW(copy.set_weights(wide), std::invalid_argument);
}

/// Solves A x = b (n x n, row-major) by Gaussian elimination with partial pivoting.
std::vector<double> solve(std::vector<double> a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t p = k;
    for (std::size_t i = k + 1; i < n; ++i)
      if (std::abs(a[i * n + k]) > std::abs(a[p * n + k])) p = i;
    for (std::size_t j = 0; j < n; ++j) std::swap(a[k * n + j], a[p * n + j]);
    std::swap(b[k], b[p]);
    for (std::size_t i = k + 1; i < n; ++i) {
      const double f = a[i * n + k] / a[k * n + k];
      for (std::size_t j = k; j < n; ++j) a[i * n + j] -= f * a[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (std::size_t k = n; k-- > 0;) {
    for (std::size_t j = k + 1; j < n; ++j) b[k] -= a[k * n + j] * b[j];
    b[k] /= a[k * n + k];
  }
  return b;
}

TEST(Network, KrrWithLdaAveragesAShrinkageLda) {
  // Unequal class sizes, so the priors matter.
  auto train = blobs(30, 5, 11, 1.0);
  const auto extra = blobs(12, 5, 12, 1.0);
  for (std::size_t r = 0; r < extra.rows; ++r)
    if (extra.y[r] == 2) {
      train.x.insert(train.x.end(), extra.x.begin() + static_cast<std::ptrdiff_t>(r * 5),
                     extra.x.begin() + static_cast<std::ptrdiff_t>(r * 5 + 5));
      train.y.push_back(2);
      ++train.rows;
    }
  const auto test = blobs(100, 5, 13, 1.0);
  auto params = params_of(ml::ModelKind::krr);
  params.krr_lda = true;
  params.lda_shrinkage = 0.3;
  params.krr_gamma_factor = 0.5;
  auto net = ml::Network::create(params, 5, 3, 1);
  net.fit(train, nullptr, nullptr, ml::TrainParams{});
  const auto w = net.weights();
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(w[3].name, "lda_coef");
  EXPECT_EQ(w[3].shape, (std::vector<std::int64_t>{3, 5}));
  EXPECT_EQ(w[4].name, "lda_intercept");

  // The LDA by hand (scikit-learn's lsqr solver with shrinkage): priors, class means, shrunk
  // biased class covariances summed with the priors, coef_k = Sigma^-1 mean_k,
  // intercept_k = -coef_k . mean_k / 2 + log prior_k.
  const std::size_t F = 5, C = 3;
  std::vector<double> sigma(F * F, 0.0);
  std::vector<std::vector<double>> means(C, std::vector<double>(F, 0.0));
  std::vector<double> prior(C, 0.0);
  for (std::size_t c = 0; c < C; ++c) {
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < train.rows; ++r)
      if (train.y[r] == static_cast<int>(c)) rows.push_back(r);
    prior[c] = static_cast<double>(rows.size()) / static_cast<double>(train.rows);
    for (auto r : rows)
      for (std::size_t f = 0; f < F; ++f)
        means[c][f] += static_cast<double>(train.x[r * F + f]) / static_cast<double>(rows.size());
    std::vector<double> cov(F * F, 0.0);
    for (auto r : rows)
      for (std::size_t i = 0; i < F; ++i)
        for (std::size_t j = 0; j < F; ++j)
          cov[i * F + j] += (static_cast<double>(train.x[r * F + i]) - means[c][i]) *
                            (static_cast<double>(train.x[r * F + j]) - means[c][j]) / static_cast<double>(rows.size());
    double trace = 0.0;
    for (std::size_t i = 0; i < F; ++i) trace += cov[i * F + i];
    for (std::size_t i = 0; i < F; ++i)
      for (std::size_t j = 0; j < F; ++j)
        sigma[i * F + j] += prior[c] * ((1 - 0.3) * cov[i * F + j] + (i == j ? 0.3 * trace / F : 0.0));
  }
  for (std::size_t c = 0; c < C; ++c) {
    const auto coef = solve(sigma, means[c]);
    double dot = 0.0;
    for (std::size_t f = 0; f < F; ++f) {
      EXPECT_NEAR(w[3].values[c * F + f], coef[f], 1e-4) << c << " " << f;
      dot += coef[f] * means[c][f];
    }
    EXPECT_NEAR(w[4].values[c], -0.5 * dot + std::log(prior[c]), 1e-4) << c;
  }

  // The probability is the mean of the kernel's and the LDA's: compare with a plain krr of the
  // same settings and the LDA's softmax.
  auto plain = params;
  plain.krr_lda = false;
  auto krr = ml::Network::create(plain, 5, 3, 1);
  krr.fit(train, nullptr, nullptr, ml::TrainParams{});
  const auto pk = krr.predict_proba(test), pm = net.predict_proba(test);
  for (std::size_t r = 0; r < 20; ++r) {
    double logits[3], max = -1e300, sum = 0.0;
    for (std::size_t c = 0; c < C; ++c) {
      logits[c] = w[4].values[c];
      for (std::size_t f = 0; f < F; ++f) logits[c] += static_cast<double>(w[3].values[c * F + f] * test.x[r * F + f]);
      max = std::max(max, logits[c]);
    }
    for (double& l : logits) sum += (l = std::exp(l - max));
    for (std::size_t c = 0; c < C; ++c)
      EXPECT_NEAR(pm[r * C + c], 0.5 * (static_cast<double>(pk[r * C + c]) + logits[c] / sum), 1e-5);
  }
  EXPECT_GT(net.evaluate(test).accuracy, 0.6);

  // Round trip through the weights, and shapes are checked.
  auto copy = ml::Network::create(params, 5, 3, 2);
  copy.set_weights(w);
  EXPECT_EQ(copy.predict_proba(test), pm);
  EXPECT_EQ(copy.parameter_count(), train.rows * (5 + 3) + 1 + 3 * 5 + 3);
  auto short_lda = w;
  short_lda.pop_back();
  EXPECT_THROW(copy.set_weights(short_lda), std::invalid_argument);
  auto bad = w;
  bad[3].shape = {5, 3};
  EXPECT_THROW(copy.set_weights(bad), std::invalid_argument);
  const nlohmann::json j = params;
  const auto back = j.get<ml::ModelParams>();
  EXPECT_TRUE(back.krr_lda);
  EXPECT_DOUBLE_EQ(back.lda_shrinkage, 0.3);
  EXPECT_DOUBLE_EQ(back.krr_gamma_factor, 0.5);
  params.lda_shrinkage = 1.5;
  EXPECT_THROW(params.validate(), std::invalid_argument);
}

TEST(Network, KrrRefusesMoreRowsThanItsKernelMatrixAllows) {
  ml::Samples big;
  big.cols = 1;
  big.rows = ml::kMaxKernelRows + 1;
  big.x.assign(big.rows, 0.5f);
  big.y.assign(big.rows, 0);
  big.y[1] = 1;
  auto net = ml::Network::create(params_of(ml::ModelKind::krr), 1, 2, 1);
  try {
    net.fit(big, nullptr, nullptr, ml::TrainParams{});
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("at most 12000"), std::string::npos) << e.what();
  }
}

TEST(Network, KrrAndLogVariancesRoundTripInJson) {
  auto p = params_of(ml::ModelKind::krr);
  p.krr_lambda = 0.25;
  p.log_variances = true;
  const nlohmann::json j = p;
  const auto back = j.get<ml::ModelParams>();
  EXPECT_DOUBLE_EQ(back.krr_lambda, 0.25);
  EXPECT_TRUE(back.log_variances);
  nlohmann::json old = params_of(ml::ModelKind::mlp);
  old.erase("log_variances");  // bundles written before the option
  old.erase("krr_lambda");
  EXPECT_FALSE(old.get<ml::ModelParams>().log_variances);
  p.krr_lambda = 0.0;
  EXPECT_THROW(p.validate(), std::invalid_argument);
  auto cnn2d = params_of(ml::ModelKind::cnn2d);
  cnn2d.log_variances = true;
  EXPECT_THROW(cnn2d.validate(), std::invalid_argument);
}

}  // namespace

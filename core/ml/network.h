// A trainable classifier network (any ModelKind; see model_spec.h) behind a torch-free
// interface: the only translation unit that includes libtorch is network.cpp. Inputs are
// standardised feature vectors (float32, row-major); outputs are genre probabilities.
// Randomness (initial weights, dropout, shuffles) comes from the seed given to create(), never
// from torch's global generator, so networks trained on different threads do not disturb each
// other and the same seed gives the same weights on the same machine and thread count.
// Thread-safety: a Network is not thread-safe (even predict() uses module state); use one per
// thread. Different Networks may train on different threads at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ml/model_spec.h"

namespace genrelab {
class CancelToken;
}

namespace genrelab::ml {

/// Rows of standardised features (row-major, rows x cols, float32) with a class per row.
struct Samples {
  std::vector<float> x;
  std::vector<int> y;  ///< class codes in [0, n_classes); may be empty for prediction only
  std::size_t rows = 0;
  std::size_t cols = 0;
};

/// One parameter tensor of a network: its name ("conv1.weight"), shape and values (row-major).
struct NamedTensor {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

/// The state of training after one epoch. Losses are mean cross-entropies (nats per row);
/// accuracies are fractions. The training figures are averaged over the epoch's batches in
/// training mode (dropout on), as Keras reports them.
struct EpochStats {
  int epoch = 0;   ///< 1-based
  int epochs = 0;  ///< planned epochs
  double train_loss = 0.0;
  double train_accuracy = 0.0;
  double validation_loss = 0.0;      ///< NaN without a validation split
  double validation_accuracy = 0.0;  ///< NaN without a validation split
  double test_loss = 0.0;            ///< on the monitored held-out rows (never used for decisions); NaN without
  double test_accuracy = 0.0;
  double learning_rate = 0.0;  ///< the rate used in this epoch
  double elapsed_s = 0.0;      ///< seconds since fit() started
  bool best = false;           ///< lowest validation loss so far
};

/// Progress inside an epoch (reported at most once per FitOptions::batch_interval).
struct BatchStats {
  int epoch = 0;  ///< 1-based
  int epochs = 0;
  int batch = 0;  ///< 1-based
  int batches = 0;
  double loss = 0.0;  ///< this batch's mean cross-entropy
  double learning_rate = 0.0;
  double elapsed_s = 0.0;
};

/// Receives training progress on the training thread. Implementations must be cheap.
class FitObserver {
 public:
  virtual ~FitObserver() = default;
  virtual void on_epoch(const EpochStats&) {}
  virtual void on_batch(const BatchStats&) {}
};

struct FitResult {
  std::vector<EpochStats> history;
  int epochs_run = 0;
  int best_epoch = 0;  ///< 1-based epoch whose weights the network holds (the last one without validation)
  bool stopped_early = false;
  double seconds = 0.0;
};

/// Loss, accuracy and predicted class of each row.
struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;
  std::vector<int> predicted;
};

class Network {
 public:
  /// Builds the network for F inputs and C classes with initial weights drawn from `seed`.
  /// Throws std::invalid_argument for bad parameters or an input too short for the cnn1d.
  static Network create(const ModelParams& params, std::size_t n_features, std::size_t n_classes, std::uint64_t seed);
  Network(Network&&) noexcept;
  Network& operator=(Network&&) noexcept;
  ~Network();

  const ModelParams& params() const noexcept;
  std::size_t n_features() const noexcept;
  std::size_t n_classes() const noexcept;
  /// Number of trainable scalars.
  std::size_t parameter_count() const;

  /// Trains on `train` (shuffled each epoch with the network's seed). `validation` (may be null)
  /// picks the best epoch and stops early as `params` says; `monitor` (may be null) is only
  /// evaluated each epoch for the curves. Checks `cancel` before every batch and throws Cancelled.
  /// Uses the calling thread's torch thread count (set_compute_threads). A krr is solved in
  /// closed form instead: one reported "epoch" (training, validation and monitor scores of the
  /// solution); `params` other than threads do not apply and cancel is checked before and after.
  FitResult fit(const Samples& train, const Samples* validation, const Samples* monitor, const TrainParams& params,
                FitObserver* observer = nullptr, const CancelToken* cancel = nullptr,
                std::chrono::milliseconds batch_interval = std::chrono::milliseconds(200));

  /// Class probabilities (rows x C, row-major) in inference mode.
  std::vector<float> predict_proba(const Samples& x);
  /// Mean cross-entropy, accuracy and predictions on labelled rows.
  Evaluation evaluate(const Samples& data);

  /// A copy of every parameter tensor, in registration order.
  std::vector<NamedTensor> weights() const;
  /// Replaces every parameter (a krr takes the row count of the given weights). Throws std::invalid_argument when
  /// names, count or shapes differ from this architecture's, or a value is not finite.
  void set_weights(const std::vector<NamedTensor>& weights);

 private:
  struct Impl;
  explicit Network(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Sets torch's intra-op thread count for the calling thread (OpenMP) and returns the previous
/// value. 1..256.
int set_compute_threads(int threads);
/// torch's intra-op thread count for the calling thread.
int compute_threads();
/// Which BLAS library the process loaded for torch (e.g. "OpenBLAS 0.3.21 (pthread)" or
/// "reference BLAS"), read from the loaded shared objects; "unknown" if not found.
std::string blas_library();

}  // namespace genrelab::ml

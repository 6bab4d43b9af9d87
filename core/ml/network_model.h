// The seam between Network (network.h, torch-free) and its libtorch half, which is built as a
// module (libgenrelab_torch.so, ml/torch/network_torch.cpp) and loaded the first time a network
// is made or torch's thread count is asked for. Programs that never train or predict (the CLI's
// --version, --help, info, analyze; the GUI until its first model) start without libtorch and
// the ~280 libraries it pulls in.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ml/network.h"

namespace genrelab::ml {

/// One network as the libtorch half holds it. Arguments are checked by Network before they get here.
class NetworkModel {
 public:
  virtual ~NetworkModel() = default;
  virtual std::size_t parameter_count() const = 0;
  virtual FitResult fit(const Samples& train, const Samples* validation, const Samples* monitor,
                        const TrainParams& params, FitObserver* observer, const CancelToken* cancel,
                        std::chrono::milliseconds batch_interval) = 0;
  virtual std::vector<float> predict_proba(const Samples& x) = 0;
  virtual Evaluation evaluate(const Samples& data) = 0;
  virtual std::vector<NamedTensor> weights() const = 0;
  virtual void set_weights(const std::vector<NamedTensor>& weights) = 0;
};

/// What the module hands over: its entry points. `abi` guards against a module from another build.
struct TorchBackend {
  int abi = 0;
  std::unique_ptr<NetworkModel> (*create)(const ModelParams& params, std::size_t n_features, std::size_t n_classes,
                                          std::uint64_t seed) = nullptr;
  int (*set_compute_threads)(int threads) = nullptr;
  int (*compute_threads)() = nullptr;
};

/// Bumped whenever NetworkModel or TorchBackend changes.
inline constexpr int kTorchBackendAbi = 1;
/// The module's one exported symbol: extern "C" const TorchBackend* genrelab_torch_backend().
inline constexpr const char* kTorchBackendSymbol = "genrelab_torch_backend";

/// The loaded module (loads it on first call; thread-safe). Looks at $GENRELAB_TORCH_MODULE if
/// set, else next to the program as installed (<bindir>/../<libdir>/genrelab/), else in the
/// build tree. Throws std::runtime_error naming the files tried and the loader's reason.
const TorchBackend& torch_backend();

}  // namespace genrelab::ml

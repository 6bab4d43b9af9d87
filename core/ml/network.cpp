// Network's torch-free half: argument checks, and forwarding to the libtorch module, which is
// loaded here on first use (network_model.h).
#include "ml/network.h"

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "ml/network_model.h"

namespace genrelab::ml {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> module_candidates() {
  if (const char* env = std::getenv("GENRELAB_TORCH_MODULE"); env && *env) return {env};
  std::vector<fs::path> out;
  std::array<char, 4096> exe{};
  if (const auto n = ::readlink("/proc/self/exe", exe.data(), exe.size() - 1); n > 0)
    out.push_back((fs::path(std::string(exe.data(), static_cast<std::size_t>(n))).parent_path() /
                   GENRELAB_TORCH_MODULE_FROM_BINDIR)
                      .lexically_normal());
  out.emplace_back(GENRELAB_TORCH_MODULE_IN_BUILD);
  return out;
}

const TorchBackend* load_backend() {
  std::string tried;
  for (const auto& path : module_candidates()) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      tried += "\n  " + path.string() + ": no such file";
      continue;
    }
    // RTLD_GLOBAL as when libtorch was linked in: OpenBLAS's thread control stays reachable.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    const char* error = handle ? nullptr : ::dlerror();
    using Entry = const TorchBackend* (*)();
    const auto entry = handle ? reinterpret_cast<Entry>(::dlsym(handle, kTorchBackendSymbol)) : nullptr;
    const TorchBackend* backend = entry ? entry() : nullptr;
    if (backend && backend->abi == kTorchBackendAbi) return backend;
    tried += "\n  " + path.string() + ": " +
             (error     ? std::string(error)
              : backend ? "from another GenreLab build"
                        : "not a GenreLab torch module");
  }
  throw std::runtime_error("cannot load GenreLab's libtorch module (needed to train and predict); tried:" + tried +
                           "\nReinstall GenreLab, or set GENRELAB_TORCH_MODULE to the file libgenrelab_torch.so.");
}

}  // namespace

const TorchBackend& torch_backend() {
  static const TorchBackend* const backend = load_backend();
  return *backend;
}

struct Network::Impl {
  ModelParams params;
  std::size_t n_features = 0;
  std::size_t n_classes = 0;
  std::unique_ptr<NetworkModel> model;
};

Network::Network(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;
Network::~Network() = default;

Network Network::create(const ModelParams& params, std::size_t n_features, std::size_t n_classes, std::uint64_t seed) {
  params.validate_inputs(n_features, n_classes);
  auto impl = std::make_unique<Impl>();
  impl->params = params;
  impl->n_features = n_features;
  impl->n_classes = n_classes;
  impl->model = torch_backend().create(params, n_features, n_classes, seed);
  return Network(std::move(impl));
}

const ModelParams& Network::params() const noexcept { return impl_->params; }
std::size_t Network::n_features() const noexcept { return impl_->n_features; }
std::size_t Network::n_classes() const noexcept { return impl_->n_classes; }
std::size_t Network::parameter_count() const { return impl_->model->parameter_count(); }

Evaluation Network::evaluate(const Samples& data) {
  if (data.cols != impl_->n_features) throw std::invalid_argument("evaluate: wrong number of features");
  return impl_->model->evaluate(data);
}

std::vector<float> Network::predict_proba(const Samples& data) {
  if (data.cols != impl_->n_features) throw std::invalid_argument("predict: wrong number of features");
  return impl_->model->predict_proba(data);
}

FitResult Network::fit(const Samples& train, const Samples* validation, const Samples* monitor,
                       const TrainParams& params, FitObserver* observer, const CancelToken* cancel,
                       std::chrono::milliseconds batch_interval) {
  params.validate();
  if (train.rows == 0) throw std::invalid_argument("fit: no training rows");
  for (const Samples* s : {&train, validation, monitor})
    if (s && s->cols != impl_->n_features) throw std::invalid_argument("fit: wrong number of features");
  return impl_->model->fit(train, validation, monitor, params, observer, cancel, batch_interval);
}

std::vector<NamedTensor> Network::weights() const { return impl_->model->weights(); }
void Network::set_weights(const std::vector<NamedTensor>& weights) { impl_->model->set_weights(weights); }

int set_compute_threads(int threads) {
  if (threads < 1 || threads > 256)
    throw std::invalid_argument("threads must be in 1..256 (got " + std::to_string(threads) + ")");
  return torch_backend().set_compute_threads(threads);
}

int compute_threads() { return torch_backend().compute_threads(); }

std::string blas_library() {
  torch_backend();  // the BLAS comes with libtorch
  // Debian picks the BLAS through alternatives: the file mapped as libblas.so.3 tells which one
  // (an OpenBLAS library may be mapped as well, through LAPACK, without serving BLAS calls).
  std::ifstream maps("/proc/self/maps");
  std::string line, fallback;
  while (std::getline(maps, line)) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const auto name = path.substr(path.rfind('/') + 1);
    if (name.rfind("libblas.so", 0) != 0) {
      if (fallback.empty() &&
          (name.rfind("libopenblas", 0) == 0 || name.rfind("libmkl_rt", 0) == 0 || name.rfind("libblis", 0) == 0))
        fallback = path;
      continue;
    }
    for (const auto& [dir, label] :
         {std::pair{"/openblas-pthread/", "OpenBLAS (pthread)"}, std::pair{"/openblas-openmp/", "OpenBLAS (OpenMP)"},
          std::pair{"/openblas-serial/", "OpenBLAS (serial)"}, std::pair{"/blis", "BLIS"},
          std::pair{"/atlas/", "ATLAS"}, std::pair{"/blas/", "reference BLAS"}})
      if (path.find(dir) != std::string::npos) return std::string(label) + " " + path;
    return path;
  }
  return fallback.empty() ? "unknown" : fallback;
}

}  // namespace genrelab::ml

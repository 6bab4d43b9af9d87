#include "ml/model_bundle.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>

#include "util/atomic_file.h"
#include "util/error.h"
#include "util/json_field.h"

namespace genrelab::ml {
namespace {

using nlohmann::json;

constexpr char kMagic[8] = {'G', 'L', 'M', 'O', 'D', 'E', 'L', '\0'};
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 8;

std::uint64_t fnv1a(const unsigned char* data, std::size_t n) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= data[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
}
std::uint64_t get_le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return v;
}

void require_valid(bool ok, const std::string& reason) {
  if (!ok) throw std::invalid_argument(reason);
}

void require_unique(const std::vector<std::string>& names, const char* what) {
  std::set<std::string> seen;
  for (const auto& n : names) {
    require_valid(!n.empty(), std::string(what) + " holds an empty name");
    require_valid(seen.insert(n).second, std::string(what) + " names '" + n + "' twice");
  }
}
/// Trainable scalars of the network a bundle describes (its biases included), counted without
/// building it, so that a bundle claiming a huge network is refused before anything is allocated.
/// Saturates at UINT64_MAX; nullopt for a kind this function does not know. `kernel_rows`: a
/// krr's training rows (its size depends on them).
std::optional<std::uint64_t> architecture_parameters(const ModelParams& m, std::size_t n_features,
                                                     std::size_t n_classes, std::uint64_t kernel_rows) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  auto mul = [](std::uint64_t a, std::uint64_t b) { return b != 0 && a > kMax / b ? kMax : a * b; };
  auto add = [](std::uint64_t a, std::uint64_t b) { return a > kMax - b ? kMax : a + b; };
  auto dense = [&](std::uint64_t in, std::uint64_t out) { return add(mul(in, out), out); };
  const std::uint64_t f = n_features, c = n_classes;
  // Projection F x D, phases D (fixed, but stored), Dense D -> C.
  auto rbf = [&] {
    const auto d = static_cast<std::uint64_t>(m.rbf_features);
    return add(add(mul(f, d), d), dense(d, c));
  };
  switch (m.kind) {
    case ModelKind::cnn1d: {
      const auto f1 = static_cast<std::uint64_t>(m.conv1_filters), f2 = static_cast<std::uint64_t>(m.conv2_filters);
      const auto k = static_cast<std::uint64_t>(m.kernel_size), units = static_cast<std::uint64_t>(m.dense_units);
      std::uint64_t n = add(mul(f1, k), f1);
      n = add(n, add(mul(mul(f2, f1), k), f2));
      n = add(n, dense(mul(f2, m.cnn_output_length(n_features)), units));
      return add(n, dense(units, c));
    }
    case ModelKind::mlp:
    case ModelKind::ensemble: {  // an ensemble: ensemble_members MLPs and ensemble_rbf_members rbf side by side
      std::uint64_t n = 0, in = f;
      for (const int h : m.hidden_units) {
        n = add(n, dense(in, static_cast<std::uint64_t>(h)));
        in = static_cast<std::uint64_t>(h);
      }
      n = add(n, dense(in, c));
      if (m.kind == ModelKind::mlp) return n;
      n = mul(n, static_cast<std::uint64_t>(m.ensemble_members));
      return add(n, mul(rbf(), static_cast<std::uint64_t>(m.ensemble_rbf_members)));
    }
    case ModelKind::rbf:
      return rbf();
    case ModelKind::logreg:
      return dense(f, c);
    case ModelKind::krr:                         // training rows x F, their dual coefficients rows x C, the temperature
      if (m.krr_trees > 0) return std::nullopt;  // a forest's size is known after growing it (checked on loading)
      return add(add(mul(kernel_rows, add(f, c)), 1),
                 m.krr_lda ? add(mul(c, f), c) : 0);  // + the LDA's coef and intercept
    case ModelKind::cnn2d: {  // 3 x Conv2d 3x3 (c, 2c, 4c filters) -> global average -> Dense -> Dense
      const auto ch = static_cast<std::uint64_t>(m.cnn2d_channels), units = static_cast<std::uint64_t>(m.dense_units);
      auto conv = [&](std::uint64_t in, std::uint64_t out) { return add(mul(mul(in, out), 9), out); };
      std::uint64_t n = add(add(conv(1, ch), conv(ch, 2 * ch)), conv(2 * ch, 4 * ch));
      n = add(n, dense(4 * ch, units));
      return add(n, dense(units, c));
    }
  }
  return std::nullopt;  // a kind this function does not know yet
}

}  // namespace

void ModelBundle::validate() const {
  model.validate();
  training.validate();
  if (model.kind == ModelKind::cnn2d) {
    require_valid(feature_set == "log_mel",
                  "a cnn2d model reads log-mel patches (feature set 'log_mel', not '" + feature_set + "')");
    require_valid(log_mel.has_value(), "a cnn2d model needs its log-mel parameters");
    try {
      log_mel->validate();
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("log-mel parameters: ") + e.what());
    }
    require_valid(log_mel->n_mels == model.mel_bands, "log-mel n_mels (" + std::to_string(log_mel->n_mels) +
                                                          ") differs from the model's mel_bands (" +
                                                          std::to_string(model.mel_bands) + ")");
    require_valid(input_features.empty(), "a cnn2d model takes no feature columns");
  } else {
    require_valid(feature_set == "all" || feature_set == "filtered" || feature_set == "mfcc",
                  "unknown feature set '" + feature_set + "'");
    require_valid(!input_features.empty(), "the model has no input features");
    if (extraction) {
      try {
        extraction->validate();
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string("extraction parameters: ") + e.what());
      }
    }
  }
  require_unique(input_features, "input_features");
  require_unique(dropped_features, "dropped_features");
  for (const auto& d : dropped_features)
    require_valid(std::find(input_features.begin(), input_features.end(), d) == input_features.end(),
                  "feature '" + d + "' is both an input and dropped");
  require_valid(scaler_mean.size() == input_features.size() && scaler_scale.size() == input_features.size(),
                "scaler statistics for " + std::to_string(scaler_mean.size()) + "/" +
                    std::to_string(scaler_scale.size()) + " features, but " + std::to_string(input_features.size()) +
                    " input features");
  for (std::size_t i = 0; i < scaler_mean.size(); ++i) {
    require_valid(std::isfinite(scaler_mean[i]), "scaler mean of '" + input_features[i] + "' is not finite");
    require_valid(std::isfinite(scaler_scale[i]) && scaler_scale[i] > 0,
                  "scaler scale of '" + input_features[i] + "' is not a finite positive number");
  }
  require_valid(label_names.size() >= 2,
                "the model needs at least 2 labels (has " + std::to_string(label_names.size()) + ")");
  require_unique(label_names, "label_names");
  model.validate_inputs(n_inputs(), label_names.size());
  require_valid(!weights.empty(), "the bundle holds no weights");
  std::uint64_t total = 0;
  for (const auto& w : weights) {
    std::uint64_t count = 1;
    for (auto d : w.shape) {
      require_valid(d > 0, "weight '" + w.name + "' has a non-positive dimension");
      const auto u = static_cast<std::uint64_t>(d);
      require_valid(count <= w.values.size() / u,  // count * u would exceed the values (and may overflow)
                    "weight '" + w.name + "' has " + std::to_string(w.values.size()) + " values for its shape");
      count *= u;
    }
    require_valid(count == w.values.size(),
                  "weight '" + w.name + "' has " + std::to_string(w.values.size()) + " values for its shape");
    total += count;
  }
  // Before anyone builds the network (Classifier::from_bundle): its size comes from the parameters.
  // A krr's size comes from its training rows: the leading dimension of its first weight.
  const std::uint64_t kernel_rows =
      weights.front().shape.empty() ? 0 : static_cast<std::uint64_t>(weights.front().shape[0]);
  if (const auto expected = architecture_parameters(model, n_inputs(), label_names.size(), kernel_rows); expected)
    require_valid(*expected == total, "the weights do not fit: they hold " + std::to_string(total) +
                                          " values, but the " + std::string(to_string(model.kind)) + " described has " +
                                          std::to_string(*expected) + " parameters");
}

std::size_t ModelBundle::n_inputs() const noexcept {
  return model.kind == ModelKind::cnn2d ? model.min_features() : input_features.size();
}

void save_bundle(const std::filesystem::path& path, const ModelBundle& bundle) {
  bundle.validate();
  json weights = json::array();
  std::uint64_t offset = 0;
  for (const auto& w : bundle.weights) {
    weights.push_back({{"name", w.name}, {"shape", w.shape}, {"offset", offset}, {"count", w.values.size()}});
    offset += w.values.size();
  }
  json meta{{"format_version", kBundleFormatVersion},
            {"genrelab_version", GENRELAB_VERSION},
            {"model", bundle.model},
            {"training", bundle.training},
            {"feature_set", bundle.feature_set},
            {"filter", bundle.filter},
            {"input_features", bundle.input_features},
            {"dropped_features", bundle.dropped_features},
            {"scaler", {{"mean", bundle.scaler_mean}, {"scale", bundle.scaler_scale}}},
            {"label_names", bundle.label_names},
            {"report", bundle.report},
            {"weights", weights}};
  if (bundle.row_length > 0) meta["row_length"] = bundle.row_length;
  if (bundle.log_mel) meta["log_mel"] = *bundle.log_mel;
  if (bundle.extraction) meta["extraction"] = *bundle.extraction;
  const std::string text =
      meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // names may hold invalid UTF-8
  std::string bytes(kMagic, sizeof kMagic);
  put_u32(bytes, kBundleFormatVersion);
  put_u32(bytes, 0);
  put_u64(bytes, text.size());
  bytes += text;
  put_u64(bytes, offset * 4);
  bytes.reserve(bytes.size() + offset * 4 + 8);
  for (const auto& w : bundle.weights)
    for (float v : w.values) put_u32(bytes, std::bit_cast<std::uint32_t>(v));
  put_u64(bytes, fnv1a(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
  write_text_atomically(path, bytes);
}

ModelBundle load_bundle(const std::filesystem::path& path) {
  // The file is data only: a fixed header, JSON and raw float32 values, parsed here. No pickle,
  // no TorchScript, nothing from the file is ever executed. Sizes are checked before allocating.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw FileError(path, std::filesystem::exists(path, ec) ? "not a regular file" : "file does not exist");
  const auto file_size = std::filesystem::file_size(path, ec);
  if (ec) throw FileError(path, "cannot read the file size: " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "cannot read the file");
  char magic[sizeof kMagic] = {};
  in.read(magic, sizeof magic);
  if (static_cast<std::size_t>(in.gcount()) < sizeof kMagic || std::memcmp(magic, kMagic, sizeof kMagic) != 0)
    throw FileError(path, "not a GenreLab model bundle (no GLMODEL signature)");
  if (file_size > kMaxBundleBytes)
    throw FileError(path, "model bundle of " + std::to_string(file_size) + " bytes is larger than the " +
                              std::to_string(kMaxBundleBytes >> 20) + " MiB GenreLab accepts");
  std::string bytes(static_cast<std::size_t>(file_size), '\0');
  std::memcpy(bytes.data(), magic, sizeof magic);
  in.read(bytes.data() + sizeof magic, static_cast<std::streamsize>(bytes.size() - sizeof magic));
  if (static_cast<std::size_t>(in.gcount()) != bytes.size() - sizeof magic)
    throw FileError(path, "cannot read the file (it changed while being read?)");
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  if (size < kHeaderBytes) throw FileError(path, "damaged model bundle: truncated header");
  const auto version = static_cast<std::uint32_t>(get_le(p + 8, 4));
  if (version != kBundleFormatVersion)
    throw FileError(path, "model bundle format version " + std::to_string(version) +
                              " is not supported (this GenreLab reads version " + std::to_string(kBundleFormatVersion) +
                              ")");
  const std::uint64_t meta_len = get_le(p + 16, 8);
  if (meta_len > size - kHeaderBytes || size - kHeaderBytes - meta_len < 16)
    throw FileError(path, "damaged model bundle: truncated (metadata length exceeds the file)");
  const std::size_t weights_at = kHeaderBytes + static_cast<std::size_t>(meta_len);
  const std::uint64_t weight_bytes = get_le(p + weights_at, 8);
  if (weight_bytes % 4 != 0 || weight_bytes != size - weights_at - 16)
    throw FileError(path, "damaged model bundle: truncated or extended (weight length does not match the file size)");
  const std::size_t checksum_at = size - 8;
  if (fnv1a(p, checksum_at) != get_le(p + checksum_at, 8))
    throw FileError(path, "damaged model bundle: checksum mismatch (the file was changed or corrupted)");

  ModelBundle b;
  try {
    const json meta =
        json::parse(bytes.begin() + kHeaderBytes, bytes.begin() + static_cast<std::ptrdiff_t>(weights_at));
    require_valid(meta.is_object(), "metadata is not a JSON object");
    require_valid(json_field<std::uint32_t>(meta, "format_version") == version,
                  "metadata format version differs from the header");
    b.model = json_field<ModelParams>(meta, "model");
    b.training = json_field<TrainParams>(meta, "training");
    b.feature_set = json_field<std::string>(meta, "feature_set");
    b.filter = meta.value("filter", json::object());
    b.input_features = json_field<std::vector<std::string>>(meta, "input_features");
    b.dropped_features = json_field<std::vector<std::string>>(meta, "dropped_features");
    const auto scaler = json_field<json>(meta, "scaler");
    require_valid(scaler.is_object(), "field 'scaler' is not an object");
    b.scaler_mean = json_field<std::vector<double>>(scaler, "mean");
    b.scaler_scale = json_field<std::vector<double>>(scaler, "scale");
    b.label_names = json_field<std::vector<std::string>>(meta, "label_names");
    b.report = meta.value("report", json::object());
    b.row_length = meta.value("row_length", std::int64_t{0});
    require_valid(b.row_length >= 0, "field 'row_length' is negative");
    if (meta.contains("log_mel")) b.log_mel = json_field<features::ExtractionParams>(meta, "log_mel");
    if (meta.contains("extraction")) b.extraction = json_field<features::ExtractionParams>(meta, "extraction");
    const std::uint64_t n_floats = weight_bytes / 4;
    const unsigned char* blob = p + weights_at + 8;
    for (const auto& w : json_field<json>(meta, "weights")) {
      NamedTensor t;
      t.name = json_field<std::string>(w, "name");
      t.shape = json_field<std::vector<std::int64_t>>(w, "shape");
      const auto offset = json_field<std::uint64_t>(w, "offset");
      const auto count = json_field<std::uint64_t>(w, "count");
      require_valid(offset <= n_floats && count <= n_floats - offset,
                    "weight '" + t.name + "' lies outside the weight data");
      t.values.resize(static_cast<std::size_t>(count));
      for (std::size_t i = 0; i < t.values.size(); ++i)
        t.values[i] = std::bit_cast<float>(static_cast<std::uint32_t>(get_le(blob + 4 * (offset + i), 4)));
      b.weights.push_back(std::move(t));
    }
    b.validate();
  } catch (const json::exception& e) {
    throw FileError(path, std::string("damaged model bundle metadata: ") + e.what());
  } catch (const std::invalid_argument& e) {
    throw FileError(path, std::string("model bundle does not fit: ") + e.what());
  }
  return b;
}

}  // namespace genrelab::ml

// Helper of tests/core/no_lost_work_test.cpp: writes big feature tables or model bundles through
// GenreLab's writers, so that the test can kill -9 it in the middle of a write.
//   genrelab_atomic_writer reference DIR        writes DIR/{a,b}.csv and DIR/{a,b}.glmodel, exits
//   genrelab_atomic_writer loop csv|bundle FILE writes version a, b, a, … to FILE until killed
//   genrelab_atomic_writer once csv|bundle FILE writes version a once
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "dataset/feature_table.h"
#include "dataset/kaggle_schema.h"
#include "ml/model_bundle.h"

using namespace genrelab;

namespace {

/// 6000 Kaggle rows (about 6 MB): a write takes long enough for a kill to land inside it.
dataset::FeatureTable table(int version) {
  dataset::FeatureTable t;
  for (const auto name : dataset::kFeatureNames) t.feature_names.emplace_back(name);
  std::vector<double> row(t.cols());
  for (int r = 0; r < 6000; ++r) {
    for (std::size_t c = 0; c < row.size(); ++c) row[c] = (r * 57.0 + static_cast<double>(c)) / 7.0 + version * 1e-3;
    t.append("track." + std::to_string(r) + ".wav", 661794, row, version == 0 ? "rock" : "jazz");
  }
  return t;
}

/// An MLP of 57 -> 1024 -> 512 -> 10 (about 2.2 MB of weights).
ml::ModelBundle bundle(int version) {
  ml::ModelBundle b;
  b.model.kind = ml::ModelKind::mlp;
  b.model.hidden_units = {1024, 512};
  for (const auto name : dataset::kFeatureNames) b.input_features.emplace_back(name);
  b.scaler_mean.assign(b.input_features.size(), 0.5);
  b.scaler_scale.assign(b.input_features.size(), 2.0);
  for (int g = 0; g < 10; ++g) b.label_names.push_back("genre" + std::to_string(g));
  const std::vector<std::pair<std::int64_t, std::int64_t>> layers = {{1024, 57}, {512, 1024}, {10, 512}};
  const char* names[] = {"hidden1", "hidden2", "out"};
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const auto [out, in] = layers[l];
    ml::NamedTensor w{std::string(names[l]) + ".weight", {out, in}, {}};
    w.values.resize(static_cast<std::size_t>(out * in));
    for (std::size_t i = 0; i < w.values.size(); ++i)
      w.values[i] = static_cast<float>(i % 97) * 1e-3f + static_cast<float>(version);
    b.weights.push_back(std::move(w));
    b.weights.push_back(
        {std::string(names[l]) + ".bias", {out}, std::vector<float>(static_cast<std::size_t>(out), 0.0f)});
  }
  return b;
}

void write(const std::string& kind, const std::filesystem::path& file, int version) {
  if (kind == "csv") dataset::write_feature_table(file, table(version));
  else ml::save_bundle(file, bundle(version));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 3 && std::strcmp(argv[1], "reference") == 0) {
      const std::filesystem::path dir = argv[2];
      for (int v = 0; v < 2; ++v) {
        write("csv", dir / (v == 0 ? "a.csv" : "b.csv"), v);
        write("bundle", dir / (v == 0 ? "a.glmodel" : "b.glmodel"), v);
      }
      return 0;
    }
    if (argc == 4 && std::strcmp(argv[1], "once") == 0) {
      write(argv[2], argv[3], 0);
      return 0;
    }
    if (argc == 4 && std::strcmp(argv[1], "loop") == 0) {
      // Both versions are built once; the loop then spends its time writing.
      const std::filesystem::path file = argv[3];
      if (std::strcmp(argv[2], "csv") == 0) {
        const auto a = table(0), b = table(1);
        for (;;) {
          dataset::write_feature_table(file, a);
          dataset::write_feature_table(file, b);
        }
      }
      const auto a = bundle(0), b = bundle(1);
      for (;;) {
        ml::save_bundle(file, a);
        ml::save_bundle(file, b);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "genrelab_atomic_writer: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: genrelab_atomic_writer reference DIR | loop csv|bundle FILE | once csv|bundle FILE\n");
  return 2;
}

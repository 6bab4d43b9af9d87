// Model bundles: round trip, atomic write, and refusal of damaged or inconsistent files.
#include "ml/model_bundle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>

#include "bundle_bytes.h"
#include "ml/classifier.h"
#include "ml/trainer.h"
#include "ml_test_util.h"
#include "support/hostile_files.h"
#include "support/test_data.h"
#include "util/error.h"

namespace {

namespace ml = genrelab::ml;
namespace fs = std::filesystem;
using nlohmann::json;
using namespace genrelab::test::bundle_bytes;
using genrelab::test::hostile::slurp;
using genrelab::test::hostile::write_bytes;

/// A small trained model (3 folds x 2 epochs on synthetic blobs), trained once.
struct Trained {
  genrelab::dataset::FeatureTable table = genrelab::test::blob_table(3, 30, 12, 3.0);
  ml::TrainingResult result;
  Trained() {
    ml::TrainerOptions o;
    o.folds = 3;
    o.training.epochs = 2;
    result = ml::train_and_evaluate(table, o);
  }
};
Trained& trained() {
  static Trained t;
  return t;
}

TEST(ModelBundle, RoundTripKeepsEverything) {
  auto& t = trained();
  const auto path = genrelab::test::temp_dir("bundle-roundtrip") / "model.glmodel";
  const auto bundle = t.result.bundle();
  ml::save_bundle(path, bundle);
  const auto loaded = ml::load_bundle(path);
  EXPECT_EQ(loaded.model.kind, ml::ModelKind::cnn1d);
  EXPECT_EQ(loaded.model.dense_units, 128);
  EXPECT_EQ(loaded.training.epochs, 2);
  EXPECT_EQ(loaded.training.seed, 42u);
  EXPECT_EQ(loaded.feature_set, "all");
  EXPECT_EQ(loaded.input_features, t.table.feature_names);
  EXPECT_EQ(loaded.scaler_mean, bundle.scaler_mean);  // exact: doubles survive JSON
  EXPECT_EQ(loaded.scaler_scale, bundle.scaler_scale);
  EXPECT_EQ(loaded.label_names, (std::vector<std::string>{"g0", "g1", "g2"}));
  EXPECT_EQ(loaded.report["mean_accuracy"], bundle.report["mean_accuracy"]);
  ASSERT_EQ(loaded.weights.size(), bundle.weights.size());
  for (std::size_t i = 0; i < loaded.weights.size(); ++i) {
    EXPECT_EQ(loaded.weights[i].name, bundle.weights[i].name);
    EXPECT_EQ(loaded.weights[i].shape, bundle.weights[i].shape);
    EXPECT_EQ(loaded.weights[i].values, bundle.weights[i].values);
  }
  // The reloaded classifier predicts exactly what the trained one does.
  auto reloaded = ml::Classifier::load(path);
  EXPECT_EQ(reloaded.predict_proba(t.table), t.result.model->predict_proba(t.table));
  // Only the bundle is left in the folder (the temporary file was renamed).
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(path.parent_path())) ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_THROW(ml::save_bundle(path.parent_path() / "no/such/folder/m.glmodel", bundle), genrelab::FileError);
}

TEST(ModelBundle, ClassifierReadsColumnsByNameAndNamesMissingOnes) {
  auto& t = trained();
  auto& model = *t.result.model;
  auto shuffled = t.table;  // reverse the column order: results must not change
  std::reverse(shuffled.feature_names.begin(), shuffled.feature_names.end());
  for (std::size_t r = 0; r < shuffled.rows(); ++r)
    std::reverse(shuffled.values.begin() + static_cast<std::ptrdiff_t>(r * shuffled.cols()),
                 shuffled.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * shuffled.cols()));
  EXPECT_EQ(model.predict_proba(shuffled), model.predict_proba(t.table));
  auto missing = t.table;
  missing.feature_names[3] = "other";
  try {
    model.predict_proba(missing);
    FAIL() << "a missing column was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'f3'"), std::string::npos) << e.what();
  }
  auto unknown_genre = t.table;
  unknown_genre.labels[0] = "polka";
  EXPECT_THROW(model.evaluate(unknown_genre), std::invalid_argument);
  const auto e = model.evaluate(t.table);
  EXPECT_EQ(e.rows, t.table.rows());
  std::int64_t total = 0;
  for (auto c : e.confusion) total += c;
  EXPECT_EQ(total, static_cast<std::int64_t>(t.table.rows()));
}

/// Expects load_bundle (and Classifier::load) to refuse `bytes` with a message containing `why`.
void expect_refused(const std::string& bytes, const std::string& why, const std::string& name) {
  const auto path = genrelab::test::temp_dir("bundle-bad-" + name) / "bad.glmodel";
  write_bytes(path, bytes);
  try {
    ml::Classifier::load(path);
    ADD_FAILURE() << name << ": accepted";
  } catch (const genrelab::FileError& e) {
    EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << name << ": " << e.what();
    EXPECT_NE(std::string(e.what()).find("bad.glmodel"), std::string::npos) << e.what();
  }
}

TEST(ModelBundle, RefusesDamagedOrMismatchedFiles) {
  auto& t = trained();
  const auto path = genrelab::test::temp_dir("bundle-good") / "good.glmodel";
  ml::save_bundle(path, t.result.bundle());
  const std::string good = slurp(path);
  ASSERT_NO_THROW(ml::Classifier::load(path));

  std::string flipped = good;
  flipped[good.size() - 100] = static_cast<char>(flipped[good.size() - 100] ^ 0x01);  // one bit of a weight
  expect_refused(flipped, "checksum mismatch", "flipped");
  expect_refused(good.substr(0, good.size() - 7), "truncated", "truncated");
  expect_refused(good.substr(0, 10), "truncated", "header");
  expect_refused("hello, world", "not a GenreLab model bundle", "text");
  std::string newer = good;
  set_le(newer, 8, 2, 4);
  fix_checksum(newer);
  expect_refused(newer, "format version 2 is not supported", "version");
  expect_refused(edit_metadata(good, [](json& m) { m["input_features"].erase(0); }), "scaler statistics", "inputs");
  expect_refused(edit_metadata(good, [](json& m) { m["model"]["dense_units"] = 32; }), "weights do not fit", "shape");
  expect_refused(edit_metadata(good, [](json& m) { m["model"]["kind"] = "transformer"; }), "unknown model kind",
                 "kind");
  expect_refused(edit_metadata(good, [](json& m) { m["scaler"]["scale"][0] = -1.0; }), "scaler scale", "scale");
  expect_refused(edit_metadata(good, [](json& m) { m.erase("label_names"); }), "missing field 'label_names'", "labels");
  expect_refused(edit_metadata(good, [](json& m) { m["weights"][0]["offset"] = 1u << 30; }), "outside the weight data",
                 "offset");
  EXPECT_THROW(ml::load_bundle(path.parent_path() / "absent.glmodel"), genrelab::FileError);
}

}  // namespace

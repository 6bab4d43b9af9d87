// Hostile model bundles and hostile songs for the predictor (issue 10). A bundle is data: the
// loader parses a fixed header, JSON and raw float32 values and checks every size before it
// allocates; truncated, extended, newer, inconsistent or oversized bundles give a FileError
// naming the file; a network larger than the weights the file holds is refused before it is built.
// The predictor classifies a folder of good and hostile songs and goes on past the bad ones.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "bundle_bytes.h"
#include "dataset/kaggle_schema.h"
#include "ml/classifier.h"
#include "ml/model_bundle.h"
#include "ml/predictor.h"
#include "support/hostile_files.h"
#include "support/test_data.h"
#include "util/error.h"

namespace ml = genrelab::ml;
namespace fs = std::filesystem;
using genrelab::FileError;
using nlohmann::json;
using namespace genrelab::test::hostile;
using namespace genrelab::test::bundle_bytes;

namespace {

/// Logistic regression on the 57 Kaggle columns, 3 genres: made by hand, no training needed.
ml::ModelBundle logreg_bundle() {
  ml::ModelBundle b;
  b.model.kind = ml::ModelKind::logreg;
  for (const auto name : genrelab::dataset::kFeatureNames) b.input_features.emplace_back(name);
  b.scaler_mean.assign(b.input_features.size(), 0.0);
  b.scaler_scale.assign(b.input_features.size(), 100.0);
  b.label_names = {"blues", "jazz", "rock"};
  b.row_length = 66149;
  ml::NamedTensor w{"out.weight", {3, 57}, std::vector<float>(3 * 57)};
  for (std::size_t i = 0; i < w.values.size(); ++i)
    w.values[i] = static_cast<float>(static_cast<int>(i % 7) - 3) * 0.1f;
  b.weights = {w, {"out.bias", {3}, {0.0f, 0.1f, -0.1f}}};
  return b;
}

/// Loads as the predictor would; the error must name the file. Returns the reason ("" = loaded).
std::string load_error(const fs::path& p) {
  try {
    ml::Predictor::load(p);
    return "";
  } catch (const FileError& e) {
    EXPECT_EQ(e.file(), p);
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
    return e.reason();
  } catch (const std::exception& e) {
    ADD_FAILURE() << p << ": not a FileError: " << e.what();
    return e.what();
  }
}

long max_rss_mb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

}  // namespace

TEST(HostileBundle, DamagedNewerOversizedOrInconsistentBundlesAreRefused) {
  const auto dir = genrelab::test::temp_dir("hostile-bundle");
  const auto good_path = dir / "good.glmodel";
  ml::save_bundle(good_path, logreg_bundle());
  const std::string good = slurp(good_path);
  ASSERT_EQ(load_error(good_path), "");
  int tried = 0;
  auto expect = [&](const std::string& name, const std::string& bytes, const std::string& reason_part) {
    const auto p = dir / (name + ".glmodel");
    write_bytes(p, bytes);
    const auto reason = load_error(p);
    EXPECT_NE(reason, "") << name << " loaded";
    EXPECT_NE(reason.find(reason_part), std::string::npos) << name << ": " << reason;
    ++tried;
  };

  // Truncated anywhere: inside the header, the metadata, the weights, the checksum.
  for (const std::size_t at :
       {0ul, 1ul, 7ul, 8ul, 12ul, 16ul, 23ul, 24ul, 100ul, good.size() / 2, good.size() - 9, good.size() - 1})
    expect("cut_" + std::to_string(at), good.substr(0, at), at < 8 ? "not a GenreLab model bundle" : "truncated");
  expect("extended", good + std::string(100, 'x'), "truncated or extended");
  expect("random", random_bytes(5000, 4), "not a GenreLab model bundle");
  expect(
      "flipped_bit",
      [&] {
        auto b = good;
        b[good.size() / 2] ^= 0x10;
        return b;
      }(),
      "checksum mismatch");

  // From a newer (or nonsense) format version.
  for (const std::uint64_t v : {2ull, 999ull, 0xFFFFFFFFull}) {
    auto b = good;
    set_le(b, 8, v, 4);
    fix_checksum(b);
    expect("version_" + std::to_string(v), b, "format version " + std::to_string(v) + " is not supported");
  }
  // Sizes that claim more than the file holds: nothing is allocated for them.
  {
    auto b = good;
    set_le(b, 16, 0x7FFFFFFFFFFFFFFFull, 8);
    fix_checksum(b);
    expect("huge_metadata_length", b, "metadata length exceeds the file");
    b = good;
    set_le(b, 24 + le(good, 16), 0xFFFFFFFFFFFFFFF0ull, 8);
    fix_checksum(b);
    expect("huge_weight_length", b, "weight length does not match the file size");
  }
  expect("weight_count_2^60", edit_metadata(good, [](json& m) { m["weights"][0]["count"] = 1ull << 60; }),
         "outside the weight data");
  expect("weight_offset_wraps", edit_metadata(good, [](json& m) { m["weights"][0]["offset"] = 0xFFFFFFFFFFFFFFFFull; }),
         "outside the weight data");
  expect("shape_overflows",
         edit_metadata(good,
                       [](json& m) {
                         m["weights"][0]["shape"] = {1ll << 32, 1ll << 32, 1ll << 32};
                       }),
         "values for its shape");
  // A network far larger than the weights in the file (8 x 65536 hidden units: ~34 G parameters)
  // is refused from the parameters alone, before anything is built.
  const long rss_before = max_rss_mb();
  expect("huge_architecture",
         edit_metadata(good,
                       [](json& m) {
                         m["model"]["kind"] = "mlp";
                         m["model"]["hidden_units"] = std::vector<int>(8, 65536);
                       }),
         "the weights do not fit: they hold 174 values, but the mlp described has");
  expect("huge_ensemble",
         edit_metadata(good,
                       [](json& m) {
                         m["model"]["kind"] = "ensemble";
                         m["model"]["ensemble_members"] = 64;
                         m["model"]["hidden_units"] = std::vector<int>(8, 65536);
                       }),
         "the weights do not fit: they hold 174 values, but the ensemble described has");
  EXPECT_LT(max_rss_mb() - rss_before, 64) << "memory grew while refusing the huge architectures";
  // Mismatched shapes and names, non-finite numbers.
  expect("transposed_weight", edit_metadata(good, [](json& m) { m["weights"][0]["shape"] = {57, 3}; }), "shape");
  expect("renamed_weight", edit_metadata(good, [](json& m) { m["weights"][0]["name"] = "evil.weight"; }),
         "evil.weight");
  expect("fewer_inputs", edit_metadata(good, [](json& m) { m["input_features"].erase(0); }), "scaler statistics");
  expect("unknown_feature", edit_metadata(good, [](json& m) { m["input_features"][5] = "loudness_lufs"; }),
         "GenreLab does not extract from audio: 'loudness_lufs'");
  expect("duplicate_label", edit_metadata(good, [](json& m) { m["label_names"][1] = "blues"; }), "names 'blues' twice");
  expect("string_scaler", edit_metadata(good, [](json& m) { m["scaler"]["mean"][0] = "NaN"; }),
         "field 'mean' has the wrong type");
  {
    std::string meta = good.substr(24, le(good, 16));
    const auto at = meta.find("\"mean\":[0.0");
    ASSERT_NE(at, std::string::npos);
    meta.replace(at, 11, "\"mean\":[1e999");  // JSON has no NaN; an overflowing number is the nearest
    expect("infinite_scaler", with_metadata_text(good, meta), "number overflow");
  }
  {
    auto b = good;  // a NaN weight: raw float bits in the weight block
    const std::size_t weights_at = 24 + le(good, 16) + 8;
    set_le(b, weights_at + 4 * 10, 0x7FC00000u, 4);
    fix_checksum(b);
    expect("nan_weight", b, "not finite");
  }
  // Metadata that is not JSON, or JSON nested 100000 deep (the parser must not recurse that far).
  expect("metadata_not_json", with_metadata_text(good, "{\"model\": "), "damaged model bundle metadata");
  expect("metadata_deep_nesting", with_metadata_text(good, std::string(100000, '[') + std::string(100000, ']')),
         "metadata is not a JSON object");
  expect("metadata_wrong_types", edit_metadata(good, [](json& m) { m["label_names"] = 42; }),
         "field 'label_names' has the wrong type");

  // A file beyond kMaxBundleBytes is refused before it is read (sparse: no disk used).
  {
    const auto p = dir / "oversized.glmodel";
    write_bytes(p, good.substr(0, 24));
    ASSERT_EQ(::truncate(p.c_str(), static_cast<off_t>(ml::kMaxBundleBytes + 1)), 0);
    const auto reason = load_error(p);
    EXPECT_NE(reason.find("larger than the 1024 MiB GenreLab accepts"), std::string::npos) << reason;
    ++tried;
  }
  EXPECT_NE(load_error(dir / "absent.glmodel").find("does not exist"), std::string::npos);
  EXPECT_NE(load_error(dir).find("not a regular file"), std::string::npos);
  tried += 2;
  std::printf("  %d hostile bundles refused, each naming its file\n", tried);
  fs::remove_all(dir);
}

TEST(HostileBundle, PredictorGoesOnPastHostileSongs) {
  const auto dir = genrelab::test::temp_dir("hostile-predict");
  const int sr = 22050;
  const auto predictor = ml::Predictor::from_bundle(
      logreg_bundle(), {.window_s = 0, .hop_s = 0, .aggregate = ml::Aggregation::mean, .jobs = 2});
  std::vector<fs::path> files;
  auto add = [&](const std::string& name, const std::string& bytes) {
    write_bytes(dir / name, bytes);
    files.push_back(dir / name);
  };
  add("good.wav", wav_bytes(tone(5 * sr, sr), sr, 1));
  add("silence.wav", wav_bytes(std::vector<float>(4 * sr, 0.0f), sr, 1));
  add("dc.wav", wav_bytes(std::vector<float>(4 * sr, 0.5f), sr, 1));
  std::vector<float> eight;
  for (int i = 0; i < 4 * sr; ++i)
    for (int c = 0; c < 8; ++c)
      eight.push_back(0.05f * static_cast<float>(c) * std::sin(0.03f * static_cast<float>(i)));
  add("eight_channels.wav", wav_bytes(eight, sr, 8));
  add("rate384k.wav", wav_bytes(tone(384000 * 4, 384000), 384000, 1));
  add("one_sample.wav", wav_bytes({0.3f}, sr, 1));
  auto nan = tone(4 * sr, sr);
  nan[3 * sr] = INFINITY;
  add("inf.wav", wav_bytes(nan, sr, 1));
  add("rate1.wav", wav_bytes(tone(50, sr), 1, 1));
  add("random.mp3", random_bytes(4000, 8));
  add("empty.flac", "");
  add("huge_samples.wav", wav_bytes(std::vector<float>(4 * sr, 3e30f), sr, 1));
  const auto results = predictor.predict_files(files);
  ASSERT_EQ(results.size(), files.size());
  std::map<std::string, const ml::SongPrediction*> by_name;
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(results[i].file, files[i]);
    by_name[files[i].filename().string()] = &results[i];
  }
  for (const char* ok : {"good.wav", "silence.wav", "dc.wav", "eight_channels.wav", "rate384k.wav", "one_sample.wav"}) {
    const auto& s = *by_name[ok];
    EXPECT_TRUE(s.ok()) << ok << ": " << s.error;
    ASSERT_EQ(s.probabilities.size(), 3u) << ok;
    double sum = 0;
    for (const float p : s.probabilities) {
      EXPECT_TRUE(std::isfinite(p)) << ok;
      sum += static_cast<double>(p);
    }
    EXPECT_NEAR(sum, 1.0, 1e-5) << ok;
  }
  EXPECT_FALSE(by_name["one_sample.wav"]->warnings.empty());  // zero-padded, and says so
  EXPECT_NE(by_name["inf.wav"]->error.find("non-finite sample"), std::string::npos) << by_name["inf.wav"]->error;
  EXPECT_NE(by_name["rate1.wav"]->error.find("sample rate 1 Hz"), std::string::npos);
  EXPECT_NE(by_name["random.mp3"]->error.find("not a decodable audio file"), std::string::npos);
  EXPECT_NE(by_name["empty.flac"]->error.find("empty file"), std::string::npos);
  EXPECT_NE(by_name["huge_samples.wav"]->error.find("is not finite"), std::string::npos)
      << by_name["huge_samples.wav"]->error;
  fs::remove_all(dir);
}

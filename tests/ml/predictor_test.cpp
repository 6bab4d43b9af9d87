// Song prediction (ml/predictor.h): windows, short and long songs, every format libsndfile
// writes, corrupt files, streaming vs in-memory agreement, batches. Models are tiny MLPs trained
// for a couple of epochs on synthetic tables: the tests check the mechanics, not the accuracy.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <vector>

#include "audio/decode.h"
#include "features/feature_extractor.h"
#include "ml/model_bundle.h"
#include "ml/predictor.h"
#include "ml/trainer.h"
#include "ml_test_util.h"
#include "support/test_data.h"
#include "util/progress.h"

namespace genrelab::ml {
namespace {

namespace fs = std::filesystem;

/// A tiny trained bundle on the 57 Kaggle columns whose rows are `row_length` samples long.
ModelBundle tiny_bundle(std::int64_t row_length) {
  auto table = test::blob_table(3, 12, 57, 3.0, 5, true);
  for (auto& l : table.lengths) l = row_length;
  TrainerOptions o;
  o.model.kind = ModelKind::mlp;
  o.model.hidden_units = {16};
  o.training.epochs = 2;
  o.training.threads = 1;
  o.folds = 2;
  auto result = train_and_evaluate(table, o);
  return result.bundle();
}

const ModelBundle& clip_bundle() {
  static const ModelBundle b = tiny_bundle(661794);
  return b;
}

/// Writes `seconds` of a stereo 44.1 kHz tone-plus-noise signal in a libsndfile format.
fs::path write_signal(const fs::path& dir, const std::string& name, double seconds, int format) {
  const fs::path path = dir / name;
  SF_INFO info{};
  info.samplerate = 44100;
  info.channels = 2;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  EXPECT_NE(f, nullptr) << name << ": " << sf_strerror(nullptr);
  if (!f) return path;
  const auto frames = static_cast<std::int64_t>(seconds * 44100);
  std::vector<float> block(2 * 4096);
  std::uint32_t rng = 12345;
  for (std::int64_t at = 0; at < frames; at += 4096) {
    const auto n = std::min<std::int64_t>(4096, frames - at);
    for (std::int64_t i = 0; i < n; ++i) {
      const double t = static_cast<double>(at + i) / 44100.0;
      rng = rng * 1664525u + 1013904223u;
      const double noise = (static_cast<double>(rng >> 8) / 16777216.0 - 0.5) * 0.1;
      const double beat = std::fmod(t, 0.5) < 0.05 ? 0.4 : 0.0;
      block[static_cast<std::size_t>(2 * i)] = static_cast<float>(0.3 * std::sin(2 * M_PI * 440 * t) + noise + beat);
      block[static_cast<std::size_t>(2 * i + 1)] = static_cast<float>(0.3 * std::sin(2 * M_PI * 660 * t) + noise);
    }
    sf_writef_float(f, block.data(), n);
  }
  sf_close(f);
  return path;
}

struct Format {
  const char* ext;
  int format;
};
std::vector<Format> writable_formats() {
  std::vector<Format> out{{"wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16}, {"flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16}};
  SF_INFO probe{};
  probe.samplerate = 44100;
  probe.channels = 2;
  probe.format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  if (sf_format_check(&probe)) out.push_back({"ogg", probe.format});
  probe.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;  // libsndfile >= 1.1 (Debian 12: 1.2)
  if (sf_format_check(&probe)) out.push_back({"mp3", probe.format});
  return out;
}

void expect_well_formed(const SongPrediction& s, std::size_t labels) {
  ASSERT_TRUE(s.ok()) << s.file << ": " << s.error;
  ASSERT_EQ(s.probabilities.size(), labels);
  const double sum = std::accumulate(s.probabilities.begin(), s.probabilities.end(), 0.0);
  EXPECT_NEAR(sum, 1.0, 1e-4);
  ASSERT_FALSE(s.windows.empty());
  EXPECT_GE(s.genre_index, 0);
  double prev = -1.0;
  for (const auto& w : s.windows) {
    EXPECT_GT(w.start_s, prev);
    EXPECT_GT(w.end_s, w.start_s);
    EXPECT_LE(w.end_s, s.duration_s + 1e-6);
    EXPECT_EQ(w.probabilities.size(), labels);
    prev = w.start_s;
  }
  EXPECT_NEAR(s.windows.back().end_s, s.duration_s, 0.01);
}

TEST(Predictor, WindowFollowsTheTrainingUnit) {
  const auto clips = Predictor::from_bundle(clip_bundle());
  EXPECT_EQ(clips.window_samples(), 661794);
  EXPECT_EQ(clips.hop_samples(), 661794 / 2);
  EXPECT_EQ(clips.unit_source(), "bundle");
  const auto segments = Predictor::from_bundle(tiny_bundle(66149));
  EXPECT_EQ(segments.window_samples(), 66149);
  const auto custom = Predictor::from_bundle(clip_bundle(), {.window_s = 10, .hop_s = 2});
  EXPECT_EQ(custom.window_samples(), 220500);
  EXPECT_EQ(custom.hop_samples(), 44100);
  // A bundle from before row_length: guessed from the report (about 1 row per track group).
  auto old = clip_bundle();
  old.row_length = 0;
  const auto guessed = Predictor::from_bundle(old);
  EXPECT_EQ(guessed.window_samples(), kClipRowLength);
  EXPECT_NE(guessed.unit_source(), "bundle");
  EXPECT_THROW(Predictor::from_bundle(clip_bundle(), {.window_s = 3, .hop_s = 5}), std::invalid_argument);
}

TEST(Predictor, RowLengthSurvivesTheBundleFile) {
  const auto dir = test::temp_dir("predictor_bundle");
  save_bundle(dir / "m.glmodel", clip_bundle());
  EXPECT_EQ(load_bundle(dir / "m.glmodel").row_length, 661794);
  EXPECT_EQ(Predictor::load(dir / "m.glmodel").window_samples(), 661794);
}

// Extraction parameters travel: a bundle records how its table was extracted, survives the file,
// and the predictor extracts songs the same way (or refuses a sample rate it does not classify at).
TEST(Predictor, ExtractsAsTheBundlesTableWas) {
  auto bundle = clip_bundle();
  EXPECT_FALSE(bundle.extraction.has_value());
  EXPECT_NE(Predictor::from_bundle(bundle).extraction_source().find("defaults assumed"), std::string::npos);

  features::ExtractionParams params;
  params.top_db = 60.0;  // a table made with a narrower dynamic range
  params.hop_length = 256;
  bundle.extraction = params;
  const auto dir = test::temp_dir("predictor_extraction");
  save_bundle(dir / "m.glmodel", bundle);
  ASSERT_EQ(load_bundle(dir / "m.glmodel").extraction, params);
  const auto predictor = Predictor::load(dir / "m.glmodel", {.keep_features = true});
  EXPECT_NE(predictor.extraction_source().find("recorded in the bundle"), std::string::npos);

  std::vector<float> song(static_cast<std::size_t>(predictor.window_samples()));  // one window
  std::uint32_t rng = 7;
  for (std::size_t i = 0; i < song.size(); ++i) {
    rng = rng * 1664525u + 1013904223u;
    song[i] =
        0.3f * std::sin(0.05f * static_cast<float>(i)) + 0.1f * (static_cast<float>(rng >> 8) / 16777216.0f - 0.5f);
  }
  const auto result = predictor.predict_samples(song);
  ASSERT_FALSE(result.windows.empty());
  const auto& window = result.windows.front();
  const auto expected = features::FeatureExtractor::create(params).compute(song);
  const auto defaults = features::FeatureExtractor::create().compute(song);
  ASSERT_EQ(window.features.size(), expected.size());
  EXPECT_EQ(window.features, expected);  // the bundle's parameters...
  EXPECT_NE(window.features, defaults);  // ...which make other numbers than the defaults

  bundle.extraction->sample_rate = 16000;
  try {
    Predictor::from_bundle(bundle);
    ADD_FAILURE() << "a table extracted at 16 kHz was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("extracted at 16000 Hz"), std::string::npos) << e.what();
  }
}

TEST(Predictor, GeneratedSignalsInEveryFormat) {
  const auto dir = test::temp_dir("predictor_formats");
  const auto predictor = Predictor::from_bundle(clip_bundle());
  const std::size_t k = predictor.label_names().size();
  for (const auto& fmt : writable_formats()) {
    for (double seconds : {0.5, 3.0, 31.0}) {
      SCOPED_TRACE(std::string(fmt.ext) + " " + std::to_string(seconds) + " s");
      const auto path =
          write_signal(dir, "s" + std::to_string(static_cast<int>(seconds * 10)) + "." + fmt.ext, seconds, fmt.format);
      const auto s = predictor.predict_file(path);
      expect_well_formed(s, k);
      EXPECT_NEAR(s.duration_s, seconds, 0.06);  // mp3 adds encoder padding
      if (seconds < 30) {
        EXPECT_EQ(s.windows.size(), 1u);
        EXPECT_FALSE(s.warnings.empty());
      } else {
        EXPECT_EQ(s.windows.size(), 2u);  // [0, 30.01) and the end-aligned tail
        EXPECT_TRUE(s.warnings.empty());
      }
    }
  }
}

TEST(Predictor, TenMinutesStreamed) {
  const auto dir = test::temp_dir("predictor_long");
  const auto predictor = Predictor::from_bundle(clip_bundle());
  for (const auto& fmt : writable_formats()) {
    SCOPED_TRACE(fmt.ext);
    const auto s = predictor.predict_file(write_signal(dir, std::string("long.") + fmt.ext, 600.0, fmt.format));
    expect_well_formed(s, predictor.label_names().size());
    EXPECT_EQ(s.windows.size(), 39u);        // 38 at a 15.005-s hop plus the tail
    EXPECT_NEAR(s.duration_s, 600.0, 0.06);  // mp3 adds encoder padding
  }
}

TEST(Predictor, StreamingMatchesInMemory) {
  const auto dir = test::temp_dir("predictor_stream");
  const auto path = write_signal(dir, "a.wav", 31.0, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  const auto predictor = Predictor::from_bundle(tiny_bundle(66149), {.jobs = 2});
  const auto streamed = predictor.predict_file(path);
  const auto y = audio::load_mono(path);
  const auto memory = predictor.predict_samples(y);
  ASSERT_TRUE(streamed.ok());
  ASSERT_EQ(streamed.windows.size(), memory.windows.size());
  EXPECT_EQ(streamed.windows.size(), 20u);  // 19 at a 1.5-s hop plus the tail
  for (std::size_t c = 0; c < streamed.probabilities.size(); ++c)
    EXPECT_FLOAT_EQ(streamed.probabilities[c], memory.probabilities[c]);
}

/// Records every progress report.
struct FractionLog final : ProgressSink {
  std::vector<double> fractions;
  void report(double fraction, std::string_view) override { fractions.push_back(fraction); }
};

TEST(Predictor, EnvelopeAndInFileProgress) {
  // 64 s at 22050 Hz: a 0.25-amplitude sine, then a 0.75-amplitude one from 32 s on.
  const auto dir = test::temp_dir("predictor_envelope");
  const fs::path path = dir / "steps.wav";
  {
    SF_INFO info{};
    info.samplerate = 22050;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr);
    std::vector<float> y(64 * 22050);
    for (std::size_t i = 0; i < y.size(); ++i)
      y[i] = static_cast<float>((i < y.size() / 2 ? 0.25 : 0.75) *
                                std::sin(2 * M_PI * 441.0 * static_cast<double>(i) / 22050.0));
    sf_writef_float(f, y.data(), static_cast<sf_count_t>(y.size()));
    sf_close(f);
  }
  const auto predictor = Predictor::from_bundle(clip_bundle(), {.jobs = 1, .envelope_points = 128});
  FractionLog log;
  const auto s = predictor.predict_file(path, nullptr, &log);
  ASSERT_TRUE(s.ok()) << s.error;
  ASSERT_EQ(s.envelope.size(), 128u);
  EXPECT_NEAR(s.envelope_step_s, 0.5, 1e-9);
  EXPECT_NEAR(s.envelope.front(), 0.25, 0.002);
  EXPECT_NEAR(s.envelope[63], 0.25, 0.002);
  EXPECT_NEAR(s.envelope[64], 0.75, 0.002);
  EXPECT_NEAR(s.envelope.back(), 0.75, 0.002);
  ASSERT_GE(log.fractions.size(), 2u);
  EXPECT_TRUE(std::is_sorted(log.fractions.begin(), log.fractions.end()));
  EXPECT_GT(log.fractions.front(), 0.0);
  EXPECT_LE(log.fractions.back(), 1.0);
  EXPECT_GT(log.fractions.back(), 0.9);
  // In memory: the same envelope; without envelope_points: none.
  const auto memory = predictor.predict_samples(audio::load_mono(path));
  EXPECT_EQ(memory.envelope, s.envelope);
  EXPECT_TRUE(Predictor::from_bundle(clip_bundle()).predict_file(path).envelope.empty());
}

TEST(Predictor, VoteGivesWindowShares) {
  const auto predictor = Predictor::from_bundle(tiny_bundle(66149), {.aggregate = Aggregation::vote});
  std::vector<float> y(22050 * 10);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(0.3 * std::sin(0.05 * static_cast<double>(i)));
  const auto s = predictor.predict_samples(y);
  ASSERT_TRUE(s.ok());
  const double n = static_cast<double>(s.windows.size());
  for (float p : s.probabilities) EXPECT_NEAR(std::round(static_cast<double>(p) * n), static_cast<double>(p) * n, 1e-4);
  EXPECT_EQ(s.confidence, *std::max_element(s.probabilities.begin(), s.probabilities.end()));
}

TEST(Predictor, BadFilesGiveErrorsAndTheBatchGoesOn) {
  const auto dir = test::temp_dir("predictor_bad");
  const auto good = write_signal(dir, "good.wav", 3.0, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  {
    std::FILE* f = std::fopen((dir / "junk.mp3").c_str(), "wb");
    std::fputs("this is not audio at all", f);
    std::fclose(f);
  }
  std::vector<fs::path> files{dir / "missing.wav", good, dir / "junk.mp3"};
  const auto gtzan = test::gtzan_dir();
  if (gtzan && fs::exists(*gtzan / "known_bad/jazz.00054.wav")) files.push_back(*gtzan / "known_bad/jazz.00054.wav");
  const auto predictor = Predictor::from_bundle(clip_bundle(), {.jobs = 2});
  const auto results = predictor.predict_files(files);
  ASSERT_EQ(results.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) EXPECT_EQ(results[i].file, files[i]);
  EXPECT_FALSE(results[0].ok());
  EXPECT_TRUE(results[1].ok()) << results[1].error;
  EXPECT_FALSE(results[2].ok());
  if (files.size() > 3) {
    EXPECT_FALSE(results[3].ok()) << "the corrupt GTZAN file decoded";
    EXPECT_FALSE(results[3].error.empty());
  }
  EXPECT_FALSE(predictor.predict_file(dir / "missing.wav").ok());
}

TEST(Predictor, ExpandsFoldersInOrder) {
  const auto dir = test::temp_dir("predictor_expand");
  fs::create_directories(dir / "sub");
  for (const char* n : {"sub/b.wav", "sub/a.flac", "sub/notes.txt"}) std::fclose(std::fopen((dir / n).c_str(), "wb"));
  const auto files = expand_audio_inputs({dir / "x.ogg", dir});
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0], dir / "x.ogg");
  EXPECT_EQ(files[1], dir / "sub/a.flac");
  EXPECT_EQ(files[2], dir / "sub/b.wav");
}

}  // namespace
}  // namespace genrelab::ml

// Writes the small seed corpus of the fuzz targets (<folder>/<target>/): tiny generated tables,
// audio files of a few hundred samples in every format libsndfile writes (and the float WAV whose
// near-float32-limit samples once overflowed the channel mix), and valid model bundles.
// scripts/fuzz.sh runs it into its build folder before fuzzing: the corpus is this code, not files.
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dataset/kaggle_schema.h"
#include "ml/model_bundle.h"

namespace fs = std::filesystem;
using namespace genrelab;

namespace {

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

void write_audio(const fs::path& p, int format, int rate, int channels, std::size_t frames, float amplitude = 0.5f) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  if (!sf_format_check(&info)) return;
  SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
  if (!f) return;
  std::vector<float> y(frames * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < y.size(); ++i)
    y[i] = amplitude * static_cast<float>(std::sin(0.05 * static_cast<double>(i)));
  sf_writef_float(f, y.data(), static_cast<sf_count_t>(frames));
  sf_close(f);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path out = argc > 1 ? argv[1] : "corpus";
  fs::create_directories(out / "fuzz_csv");
  fs::create_directories(out / "fuzz_decode");
  fs::create_directories(out / "fuzz_bundle");

  // CSV: the first byte picks the schema mode (odd = Kaggle).
  std::string kaggle = "filename,length";
  for (const auto n : dataset::kFeatureNames) kaggle += "," + std::string(n);
  kaggle += ",label\n";
  std::string row = "blues.00000.wav,661794";
  for (std::size_t i = 0; i < dataset::kFeatureCount; ++i) row += "," + std::to_string(i) + ".5e-3";
  write_text(out / "fuzz_csv/kaggle.csv", "\x01" + kaggle + row + ",blues\n" + row + ",\"jazz\"\r\n");
  write_text(out / "fuzz_csv/generic.csv",
             std::string("\x00", 1) + "\xEF\xBB\xBF" +
                 "filename,length,a,b,label\r\n\"x, y.wav\",10,1.5,-2e-9,pop\r\n\r\nz.wav,3.0,nan,inf,rock\r");
  write_text(out / "fuzz_csv/quoted.csv",
             std::string("\x00", 1) + "filename,a,label\n\"multi\nline\",\"1\",\"say \"\"hi\"\"\"\n  b.wav , 2 , x \n");

  // Audio: a few hundred frames each.
  write_audio(out / "fuzz_decode/pcm16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 22050, 1, 300);
  write_audio(out / "fuzz_decode/float_stereo.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2, 200);
  write_audio(out / "fuzz_decode/regression-mix-overflow.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2, 200, 3.0e38f);
  write_audio(out / "fuzz_decode/u8_8k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 8000, 1, 200);
  write_audio(out / "fuzz_decode/pcm24.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24, 48000, 1, 200);
  write_audio(out / "fuzz_decode/ulaw.au", SF_FORMAT_AU | SF_FORMAT_ULAW, 8000, 1, 200);
  write_audio(out / "fuzz_decode/a.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 22050, 1, 600);
  write_audio(out / "fuzz_decode/a.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 22050, 1, 1200);
  write_audio(out / "fuzz_decode/a.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 48000, 1, 1200);
  write_audio(out / "fuzz_decode/a.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 22050, 1, 1200);

  // Bundles: a logistic regression of 3 inputs and 2 genres, and an MLP.
  ml::ModelBundle b;
  b.model.kind = ml::ModelKind::logreg;
  b.input_features = {"rms_mean", "tempo", "mfcc1_mean"};
  b.dropped_features = {"rms_var"};
  b.scaler_mean = {0.1, 120.0, -100.0};
  b.scaler_scale = {0.05, 20.0, 50.0};
  b.label_names = {"blues", "rock"};
  b.row_length = 661794;
  b.weights = {{"out.weight", {2, 3}, {0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f}}, {"out.bias", {2}, {0.0f, 0.01f}}};
  ml::save_bundle(out / "fuzz_bundle/logreg.glmodel", b);
  b.model.kind = ml::ModelKind::mlp;
  b.model.hidden_units = {2};
  b.weights = {{"hidden1.weight", {2, 3}, {0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f}},
               {"hidden1.bias", {2}, {0.0f, 0.01f}},
               {"out.weight", {2, 2}, {1.0f, -1.0f, 0.5f, 0.25f}},
               {"out.bias", {2}, {0.0f, 0.0f}}};
  ml::save_bundle(out / "fuzz_bundle/mlp.glmodel", b);
  std::printf("seeds written to %s\n", out.c_str());
  return 0;
}

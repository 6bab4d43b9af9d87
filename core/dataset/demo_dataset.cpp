#include "dataset/demo_dataset.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <random>
#include <sstream>

#include "util/atomic_file.h"
#include "util/error.h"
#include "util/progress.h"

namespace genrelab::dataset {
namespace {

namespace fs = std::filesystem;
constexpr double kTwoPi = 2.0 * std::numbers::pi;

struct Synth {
  std::vector<double> y;
  int sr;
  std::mt19937 rng;

  double uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); }
  double noise() { return std::uniform_real_distribution<double>(-1.0, 1.0)(rng); }

  void sine(double t0, double dur, double freq, double amp, double attack, double decay) {
    const auto start = static_cast<std::size_t>(t0 * sr);
    const auto n = static_cast<std::size_t>(dur * sr);
    for (std::size_t i = 0; i < n && start + i < y.size(); ++i) {
      const double t = static_cast<double>(i) / sr;
      const double env = std::min(1.0, t / attack) * std::exp(-t / decay);
      y[start + i] += amp * env * std::sin(kTwoPi * freq * t);
    }
  }
  void kick(double t0, double amp) {
    const auto start = static_cast<std::size_t>(t0 * sr);
    double phase = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(0.25 * sr) && start + i < y.size(); ++i) {
      const double t = static_cast<double>(i) / sr;
      phase += kTwoPi * (50.0 + 100.0 * std::exp(-t * 30.0)) / sr;
      y[start + i] += amp * std::exp(-t * 12.0) * std::sin(phase);
    }
  }
  void noise_burst(double t0, double dur, double amp, double brightness) {
    const auto start = static_cast<std::size_t>(t0 * sr);
    double prev = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(dur * sr) && start + i < y.size(); ++i) {
      const double t = static_cast<double>(i) / sr;
      const double x = noise();
      const double hp = x - brightness * prev;  // brightness ~1: high-passed (hats); ~0: white
      prev = x;
      y[start + i] += amp * std::exp(-t / (dur * 0.3)) * hp;
    }
  }
  void pluck(double t0, double freq, double amp) {  // Karplus-Strong string
    const auto period = std::max<std::size_t>(2, static_cast<std::size_t>(sr / freq));
    std::vector<double> buf(period);
    for (auto& b : buf) b = noise();
    const auto start = static_cast<std::size_t>(t0 * sr);
    for (std::size_t i = 0; i < static_cast<std::size_t>(1.5 * sr) && start + i < y.size(); ++i) {
      const std::size_t k = i % period;
      const double out = buf[k];
      buf[k] = 0.996 * 0.5 * (buf[k] + buf[(k + 1) % period]);
      y[start + i] += amp * out;
    }
  }
};

std::vector<double> render(const std::string& genre, int index, const DemoSpec& spec) {
  Synth s{std::vector<double>(static_cast<std::size_t>(spec.clip_seconds * spec.sample_rate), 0.0), spec.sample_rate,
          std::mt19937(spec.seed * 7919u + static_cast<unsigned>(index) * 104729u +
                       static_cast<unsigned>(genre.size()) * 31u + static_cast<unsigned>(genre[0]))};
  const double dur = spec.clip_seconds;
  const double root = 55.0 * std::pow(2.0, std::floor(s.uniform(0, 12)) / 12.0);
  if (genre == "pulse") {  // four-on-the-floor kick, off-beat hats, bass line: 120-130 BPM
    const double beat = 60.0 / s.uniform(120, 130);
    for (double t = 0; t < dur; t += beat) {
      s.kick(t, 0.6);
      s.noise_burst(t + beat / 2, 0.05, 0.15, 0.95);
      s.sine(t, beat * 0.9, root * (std::fmod(t / beat, 4.0) < 2 ? 1.0 : 1.5), 0.25, 0.005, 0.2);
    }
  } else if (genre == "drone") {  // sustained, slowly beating chords, no percussion, dark
    for (double t = 0; t < dur; t += 6.0) {
      for (const double ratio : {1.0, 1.25, 1.5, 2.0})
        s.sine(t, 7.0, root * 2 * ratio * (1 + s.uniform(-0.003, 0.003)), 0.12, 1.5, 4.0);
    }
  } else if (genre == "breaks") {  // fast syncopated noise snares and hats: 165-175 BPM, bright
    const double beat = 60.0 / s.uniform(165, 175);
    int step = 0;
    for (double t = 0; t < dur; t += beat / 2, ++step) {
      if (step % 4 == 2 || (step % 8 == 7 && s.uniform(0, 1) < 0.7)) s.noise_burst(t, 0.12, 0.5, 0.3);
      s.noise_burst(t, 0.03, 0.12, 0.98);
      if (step % 8 == 0 || step % 8 == 3) s.kick(t, 0.4);
    }
  } else if (genre == "pluck") {  // plucked-string arpeggios: 85-100 BPM, harmonic, mid-bright
    const double beat = 60.0 / s.uniform(85, 100);
    const double steps[] = {0, 4, 7, 12, 7, 4};
    int k = 0;
    for (double t = 0; t < dur; t += beat / 2, ++k) s.pluck(t, root * 4 * std::pow(2.0, steps[k % 6] / 12.0), 0.35);
  } else {  // "swell": filtered noise waves, no pitch, slow 0.1-0.3 Hz swells
    const double rate = s.uniform(0.1, 0.3);
    double lp = 0;
    for (std::size_t i = 0; i < s.y.size(); ++i) {
      const double t = static_cast<double>(i) / spec.sample_rate;
      lp += 0.05 * (s.noise() - lp);
      s.y[i] += 0.6 * (0.55 + 0.45 * std::sin(kTwoPi * rate * t)) * lp * 3.0;
    }
  }
  // A faint noise floor (real recordings are never digitally silent) and a peak limit.
  double peak = 1e-9;
  for (auto& v : s.y) {
    v += 1e-3 * s.noise();
    peak = std::max(peak, std::abs(v));
  }
  const double gain = 0.9 / peak * s.uniform(0.6, 1.0);
  for (auto& v : s.y) v *= gain;
  return s.y;
}

void write_wav(const fs::path& path, const std::vector<double>& y, int sample_rate) {
  const auto tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(tmp.c_str(), SFM_WRITE, &info);
  if (!f) throw FileError(path, std::string("cannot write: ") + sf_strerror(nullptr));
  const auto written = sf_write_double(f, y.data(), static_cast<sf_count_t>(y.size()));
  sf_close(f);
  std::error_code ec;
  if (written != static_cast<sf_count_t>(y.size())) {
    fs::remove(tmp, ec);
    throw FileError(path, "write failed (disk full?)");
  }
  fs::rename(tmp, path, ec);
  if (ec) throw FileError(path, "cannot rename: " + ec.message());
}

std::string marker_text(const DemoSpec& spec) {
  std::ostringstream s;
  s << "genrelab-demo v1 clips=" << spec.clips_per_genre << " seconds=" << spec.clip_seconds
    << " sr=" << spec.sample_rate << " seed=" << spec.seed << "\n";
  return s.str();
}

}  // namespace

std::vector<std::string> demo_genres() { return {"breaks", "drone", "pluck", "pulse", "swell"}; }

fs::path ensure_demo_dataset(const fs::path& dir, const DemoSpec& spec, ProgressSink* progress,
                             const CancelToken* cancel) {
  const auto marker = dir / "DEMO_DATASET.txt";
  {
    std::ifstream in(marker);
    std::stringstream have;
    have << in.rdbuf();
    if (in && have.str() == marker_text(spec)) return dir;
  }
  std::error_code ec;
  fs::create_directories(dir / "genres_original", ec);
  if (ec) throw FileError(dir, "cannot create folder: " + ec.message());
  const auto genres = demo_genres();
  const std::size_t total = genres.size() * static_cast<std::size_t>(spec.clips_per_genre);
  std::size_t done = 0;
  for (const auto& genre : genres) {
    fs::create_directories(dir / "genres_original" / genre, ec);
    for (int i = 0; i < spec.clips_per_genre; ++i) {
      if (cancel) cancel->check();
      char name[64];
      std::snprintf(name, sizeof(name), "%s.%05d.wav", genre.c_str(), i);
      write_wav(dir / "genres_original" / genre / name, render(genre, i, spec), spec.sample_rate);
      if (progress) progress->report(static_cast<double>(++done) / static_cast<double>(total), name);
    }
  }
  write_text_atomically(marker, marker_text(spec));
  return dir;
}

}  // namespace genrelab::dataset

// Helpers shared by the mel / MFCC / onset / tempo tests: the Kaggle CSV reader and the block's
// pipeline (STFT -> |D|^2 -> mel -> power_to_db -> MFCC, onset envelope -> tempo) as librosa 0.7.2
// runs it in feature.mfcc and beat.beat_track.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsp/mel.h"
#include "dsp/mfcc.h"
#include "dsp/onset.h"
#include "dsp/power_to_db.h"
#include "dsp/stft.h"
#include "dsp/tempo.h"

namespace genrelab::test::mel {

/// A Kaggle feature table (features_30_sec.csv layout, CRLF endings): rows by filename.
struct FeatureCsv {
  std::vector<std::string> header;
  std::map<std::string, std::vector<std::string>> rows;

  /// The value of `column` in the row of `filename` (throws if either is missing).
  double value(const std::string& filename, const std::string& column) const {
    const auto col = std::find(header.begin(), header.end(), column);
    if (col == header.end()) throw std::runtime_error("no column " + column);
    const auto& row = rows.at(filename);
    return std::stod(row.at(static_cast<std::size_t>(col - header.begin())));
  }
  bool has(const std::string& filename) const { return rows.count(filename) != 0; }
};

inline std::vector<std::string> split_csv_line(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  std::vector<std::string> cells;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) cells.push_back(cell);
  return cells;
}

inline FeatureCsv read_feature_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  FeatureCsv csv;
  std::string line;
  std::getline(in, line);
  csv.header = split_csv_line(line);
  while (std::getline(in, line)) {
    auto cells = split_csv_line(line);
    if (cells.size() != csv.header.size()) continue;
    csv.rows[cells[0]] = std::move(cells);
  }
  return csv;
}

/// The 30 shared clips: <genre>.0000{0,1,2}.wav for the 10 GTZAN genres.
inline std::vector<std::string> shared_clip_names() {
  static const char* genres[] = {"blues", "classical", "country", "disco", "hiphop",
                                 "jazz",  "metal",     "pop",     "reggae", "rock"};
  std::vector<std::string> names;
  for (const char* g : genres)
    for (int i = 0; i < 3; ++i) names.push_back(std::string(g) + ".0000" + std::to_string(i) + ".wav");
  return names;
}

inline std::string genre_of(const std::string& clip) { return clip.substr(0, clip.find('.')); }

/// The block's outputs for one signal.
struct MelBlockResult {
  dsp::Spectrogram mel_power;
  dsp::Spectrogram mel_db;
  std::vector<std::vector<float>> mfcc;
  std::vector<float> onset;
  double tempo = 0.0;
};

/// librosa 0.7.2 defaults: n_fft 2048, hop 512, 128 mels (fmax 11025), 20 MFCCs, top_db 80.
struct MelBlock {
  dsp::Stft stft = dsp::Stft::create();
  dsp::MelFilterbank mel = dsp::MelFilterbank::create();
  dsp::Mfcc mfcc = dsp::Mfcc::create(20, 128);
  dsp::TempoEstimator tempo = dsp::TempoEstimator::create();

  MelBlockResult run(std::span<const float> y) const {
    MelBlockResult r;
    const auto power = dsp::squared(dsp::magnitude(stft.compute(y)));
    r.mel_power = mel.apply(power);
    r.mel_db = r.mel_power;
    dsp::power_to_db(r.mel_db);
    r.mfcc = mfcc.compute(r.mel_db);
    r.onset = dsp::onset_strength_median(r.mel_db, 2048, 512);
    r.tempo = tempo.estimate(r.onset);
    return r;
  }
};

/// The worst error of one feature column over many rows, for the printed tables.
struct WorstError {
  double abs = 0.0;
  double rel = 0.0;
  std::string where;
  void add(double got, double want, const std::string& name) {
    const double a = std::abs(got - want);
    const double r = want != 0.0 ? a / std::abs(want) : (a == 0.0 ? 0.0 : std::numeric_limits<double>::infinity());
    if (a > abs || (a == abs && where.empty())) where = name;
    abs = std::max(abs, a);
    rel = std::max(rel, r);
  }
};

}  // namespace genrelab::test::mel

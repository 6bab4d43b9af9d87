// Synthetic feature tables for the ml tests: Gaussian blobs, one per genre, in Kaggle layout.
#pragma once

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "dataset/feature_table.h"
#include "dataset/kaggle_schema.h"

namespace genrelab::test {

/// `per_class` rows for each of `classes` genres ("g0", "g1", …), files "<genre>.<5 digits>.wav".
/// Features are N(centre, 1) with centres `separation` apart on a few axes, so a linear model
/// can separate them for large separations. kaggle_names: use the 57 Kaggle column names
/// (then features must be 57).
inline dataset::FeatureTable blob_table(int classes, int per_class, int features, double separation, unsigned seed = 7,
                                        bool kaggle_names = false) {
  dataset::FeatureTable t;
  for (int f = 0; f < features; ++f)
    t.feature_names.push_back(kaggle_names ? std::string(dataset::kFeatureNames[static_cast<std::size_t>(f)])
                                           : "f" + std::to_string(f));
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> row(static_cast<std::size_t>(features));
  for (int c = 0; c < classes; ++c) {
    for (int i = 0; i < per_class; ++i) {
      for (int f = 0; f < features; ++f)
        row[static_cast<std::size_t>(f)] = noise(rng) + ((f % classes) == c ? separation : 0.0);
      char name[64];
      std::snprintf(name, sizeof name, "g%d.%05d.wav", c, i);
      t.append(name, 661794, row, "g" + std::to_string(c));
    }
  }
  return t;
}

/// A segment table: `tracks_per_class` tracks per genre, `segments` rows per track named
/// "<genre>.<5 digits>.<k>.wav". Each track has its own centre (genre centre `separation` apart
/// plus a track offset of scale `track_spread`); its segments scatter around it with unit noise.
inline dataset::FeatureTable segment_table(int classes, int tracks_per_class, int segments, int features,
                                           double separation, double track_spread, unsigned seed = 11) {
  dataset::FeatureTable t;
  for (int f = 0; f < features; ++f) t.feature_names.push_back("f" + std::to_string(f));
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> centre(static_cast<std::size_t>(features)), row(centre.size());
  for (int c = 0; c < classes; ++c) {
    for (int i = 0; i < tracks_per_class; ++i) {
      for (int f = 0; f < features; ++f)
        centre[static_cast<std::size_t>(f)] = track_spread * noise(rng) + ((f % classes) == c ? separation : 0.0);
      for (int k = 0; k < segments; ++k) {
        for (int f = 0; f < features; ++f)
          row[static_cast<std::size_t>(f)] = centre[static_cast<std::size_t>(f)] + noise(rng);
        char name[64];
        std::snprintf(name, sizeof name, "g%d.%05d.%d.wav", c, i, k);
        t.append(name, 66149, row, "g" + std::to_string(c));
      }
    }
  }
  return t;
}

}  // namespace genrelab::test

// Named model configurations that the leaderboard (compare.h), the CLI and the GUI offer: the
// study's CNN, the MLP and logistic regression with their defaults, a tuned MLP, an ensemble of
// tuned MLPs, the kernel models (rbf, krr, krr with a forest), and a hyper-parameter search over MLPs with inner folds.
// Each preset fixes the architecture and the training loop; the caller supplies seed, threads, folds and features.
// Thread-safety: pure functions returning values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ml/trainer.h"

namespace genrelab::ml {

struct ModelPreset {
  std::string name;         ///< "cnn1d", "mlp", "logreg", "mlp_tuned", "ensemble", "rbf", "krr", "krr_forest", "search"
  std::string description;  ///< one line for menus and reports
  /// Which data chose the defaults, for reports: settings chosen on data that holds a split's test
  /// part make that split's test number somewhat optimistic.
  std::string defaults_from;
  ModelParams model;
  TrainParams training;                 ///< seed and threads are replaced by the caller's
  std::vector<SearchCandidate> search;  ///< non-empty for "search" (TrainerOptions::search)
  int search_folds = 3;
};

/// Every preset, cheapest first.
std::vector<ModelPreset> model_presets();
/// The names of model_presets(), in the same order.
std::vector<std::string> model_preset_names();
/// The preset called `name`, or nullopt.
std::optional<ModelPreset> find_model_preset(std::string_view name);

/// `base` (folds, features, protocol, seed, threads, …) with the preset's model, training loop
/// and search; base.training.seed, threads and validation_fraction are kept.
TrainerOptions apply_preset(const ModelPreset& preset, TrainerOptions base);

}  // namespace genrelab::ml

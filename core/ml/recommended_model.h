// The model GenreLab uses when the user has opened or trained none: the recommended preset,
// trained on the open dataset's feature table and cached under the user's cache folder by the
// table's content hash, so a dropped song is classified at first launch and the next launch
// loads the model at once. Shared by the GUI (Predict tab) and `genrelab-cli predict` without -m.
//
// The recipe: preset `krr_lda` (the best preset on artists it has not heard; docs/results.md), seed 42.
// When the table holds GTZAN (at least dataset::kMinSplitCoverage of the fault-filtered clips have
// rows), its settings are chosen on the split's valid part, the model is refitted on train+valid
// and scored once on test, so its accuracy is the unseen-artist number. Otherwise 5 track-grouped
// folds score it (optimistic: the same artists can be on both sides) and it is trained on all rows.
// Thread-safety: pure functions; recommended_model() may run on a worker thread (files are written
// atomically, so two processes racing for one cache entry both end with a complete file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "ml/model_bundle.h"
#include "ml/trainer.h"
#include "util/progress_fwd.h"

namespace genrelab::dataset {
struct FeatureTable;
}

namespace genrelab::ml {

inline constexpr const char* kRecommendedPreset = "krr_lda";
/// Part of the cache key: bump it when the recipe changes, so older cached models are retrained.
inline constexpr int kRecommendedRecipe = 2;  // 2: the bundle records the table's extraction parameters

/// The trainer options of the recipe for `table` (threads: 0 = all cores). Never throws for a
/// table the split does not fit: it falls back to track-grouped folds.
TrainerOptions recommended_options(const dataset::FeatureTable& table, int threads = 0);

/// A 64-bit hash of everything training reads from a table: column names, and every row's file
/// name, length, label and values (their bit patterns). Equal tables hash equal, whatever file
/// they came from (line ends, quoting).
std::uint64_t table_content_hash(const dataset::FeatureTable& table);

/// <cache_dir>/models/<preset>-r<recipe>-<16 hex digits of the table hash>.glmodel
std::filesystem::path recommended_model_file(const std::filesystem::path& cache_dir,
                                             const dataset::FeatureTable& table);

struct RecommendedModel {
  ModelBundle bundle;
  std::filesystem::path file;  ///< the cache file it was loaded from or saved to
  bool from_cache = false;
  /// A cache file that could not be used (unreadable, corrupt, for another table): it was
  /// retrained and replaced. Empty otherwise.
  std::string cache_problem;
  /// A cache write that failed (read-only cache folder): the model is still returned. Empty otherwise.
  std::string save_problem;
};

/// The cached model for `table` when recommended_model_file() holds a valid one for the same table
/// hash; else trains it (progress over the training; Cancelled within one batch of `cancel`) and
/// saves it atomically. `table_name` (e.g. "features_30_sec.csv") is recorded in the report;
/// `extraction` (how the table was extracted: features::read_sidecar_params; none for the Kaggle
/// tables, made with librosa's defaults) in the bundle, so prediction extracts the same way. A cached
/// model recording other extraction parameters is retrained.
/// Throws std::invalid_argument when the table cannot train the recipe (too few rows or genres).
RecommendedModel recommended_model(const dataset::FeatureTable& table, const std::string& table_name,
                                   const std::optional<features::ExtractionParams>& extraction,
                                   const std::filesystem::path& cache_dir, int threads = 0,
                                   ProgressSink* progress = nullptr, const CancelToken* cancel = nullptr);

/// One line for people: "krr_lda (kernel ridge + shrinkage LDA), trained on 640 rows of
/// features_30_sec.csv; accuracy 54.5 % on unseen artists (fault-filtered split, test part)".
/// `fallback_name` names a bundle whose report records no preset (a file name, say). Works for
/// bundles of every GenreLab version (older reports only know grouped or leaky folds).
std::string describe_bundle(const ModelBundle& bundle, const std::string& fallback_name);

}  // namespace genrelab::ml

// Cross-validation: report, no leakage of preprocessing into test folds, feature sets,
// determinism, validation split, progress and cancel.
#include "ml/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>

#include "dataset/feature_table.h"
#include "ml/folds.h"
#include "ml_test_util.h"
#include "support/test_data.h"
#include "util/error.h"
#include "util/progress.h"

namespace {

namespace ml = genrelab::ml;
using genrelab::dataset::FeatureTable;

ml::TrainerOptions quick(int folds = 3, int epochs = 2) {
  ml::TrainerOptions o;
  o.folds = folds;
  o.training.epochs = epochs;
  return o;
}

TEST(Trainer, ReportIsConsistent) {
  const auto table = genrelab::test::blob_table(3, 30, 12, 3.0);
  const auto r = ml::train_and_evaluate(table, quick(3, 20));
  const auto& rep = r.report;
  ASSERT_EQ(rep.folds.size(), 3u);
  EXPECT_EQ(rep.rows, 90u);
  EXPECT_EQ(rep.fold_of_row, ml::make_folds(table, quick(3, 20)));
  std::size_t test_rows = 0;
  double sum = 0.0;
  for (const auto& f : rep.folds) {
    EXPECT_EQ(f.train_rows + f.test_rows, 90u);
    EXPECT_EQ(f.epochs_run, 20);
    EXPECT_EQ(f.history.size(), 20u);
    EXPECT_EQ(f.input_features.size(), 12u);
    test_rows += f.test_rows;
    sum += f.accuracy;
  }
  EXPECT_EQ(test_rows, 90u);
  EXPECT_DOUBLE_EQ(rep.mean_accuracy, sum / 3);
  double sq = 0;
  for (const auto& f : rep.folds) sq += (f.accuracy - rep.mean_accuracy) * (f.accuracy - rep.mean_accuracy);
  EXPECT_NEAR(rep.std_accuracy, std::sqrt(sq / 3), 1e-12);
  ASSERT_EQ(rep.confusion.size(), 9u);
  EXPECT_EQ(std::accumulate(rep.confusion.begin(), rep.confusion.end(), std::int64_t{0}), 90);
  // Accuracy from the pooled confusion equals the row-weighted mean of the fold accuracies.
  double pooled = 0.0, weighted = 0.0;
  for (int g = 0; g < 3; ++g) pooled += static_cast<double>(rep.confusion[static_cast<std::size_t>(g * 4)]);
  for (const auto& f : rep.folds) weighted += f.accuracy * static_cast<double>(f.test_rows);
  EXPECT_NEAR(pooled, weighted, 1e-9);
  EXPECT_GT(rep.mean_accuracy, 0.8);  // separable blobs
  ASSERT_TRUE(rep.final_model);
  EXPECT_EQ(rep.final_model->train_rows, 90u);
  ASSERT_TRUE(r.model);
  const auto json = ml::to_json(rep);
  for (const char* key : {"folds", "mean_accuracy", "std_accuracy", "confusion", "per_genre", "seconds", "labels"})
    EXPECT_TRUE(json.contains(key)) << key;
  EXPECT_EQ(json["folds"][0]["accuracy"], rep.folds[0].accuracy);
  EXPECT_EQ(json["per_genre"].size(), 3u);
}

TEST(Trainer, PreprocessingIsFittedOnTrainingRowsOnly) {
  // Columns a, b, c. On the test rows of fold 0 (and only there) a and b are huge and equal; on
  // the test rows of fold 1, c is huge. A filter that saw fold 0's test rows would drop b
  // (|r| ~ 1); a scaler that saw fold 1's test rows would give c a mean in the thousands.
  auto table = genrelab::test::blob_table(3, 40, 3, 1.0);
  table.feature_names = {"a", "b", "c"};
  auto options = quick(4, 1);
  options.model.kind = ml::ModelKind::logreg;  // 3 inputs are too few for the CNN
  options.features = ml::FeatureSet::filtered;
  options.filter.scope = genrelab::stats::FilterScope::all;
  const auto folds = ml::make_folds(table, options);  // singleton groups: values do not matter
  for (std::size_t r = 0; r < table.rows(); ++r) {
    if (folds[r] == 0) table.values[r * 3 + 0] = table.values[r * 3 + 1] = 1000.0 + static_cast<double>(r);
    if (folds[r] == 1) table.values[r * 3 + 2] = 5000.0;
  }
  ASSERT_EQ(ml::make_folds(table, options), folds);
  const auto rep = ml::train_and_evaluate(table, options).report;
  ASSERT_EQ(rep.folds.size(), 4u);
  EXPECT_EQ(rep.folds[0].input_features, (std::vector<std::string>{"a", "b", "c"}));
  for (int f = 1; f < 4; ++f)
    EXPECT_EQ(rep.folds[static_cast<std::size_t>(f)].dropped_features, std::vector<std::string>{"b"}) << "fold " << f;
  // Fold 1's scaler: the mean of c over its training rows exactly (none of the 5000s).
  double mean_c = 0.0;
  std::size_t n = 0;
  for (std::size_t r = 0; r < table.rows(); ++r)
    if (folds[r] != 1) {
      mean_c += table.values[r * 3 + 2];
      ++n;
    }
  mean_c /= static_cast<double>(n);
  ASSERT_EQ(rep.folds[1].scaler_mean.size(), 2u);  // a, c
  EXPECT_NEAR(rep.folds[1].scaler_mean[1], mean_c, 1e-12);
  EXPECT_LT(std::abs(rep.folds[1].scaler_mean[1]), 2.0);
  EXPECT_GT(rep.folds[0].scaler_mean[2], 500.0);  // fold 0 trains on fold 1's rows
  // The final model is fitted on every row: b goes.
  EXPECT_EQ(rep.final_model->dropped_features, std::vector<std::string>{"b"});
}

TEST(Trainer, FeatureSetsOnGtzan) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto table = genrelab::dataset::read_feature_table(gtzan / "features_30_sec.csv");
  auto options = quick(5, 1);
  options.final_model = false;
  options.training.threads = 2;
  options.features = ml::FeatureSet::mfcc;
  auto rep = ml::train_and_evaluate(table, options).report;
  for (const auto& f : rep.folds) {
    ASSERT_EQ(f.input_features.size(), 40u);
    for (const auto& name : f.input_features) EXPECT_EQ(name.rfind("mfcc", 0), 0u) << name;
  }
  options.features = ml::FeatureSet::filtered;
  rep = ml::train_and_evaluate(table, options).report;
  for (const auto& f : rep.folds) {
    // The study's filter (0.8 over the non-MFCC columns) drops 6 columns on all rows; on 4/5 of
    // the rows the same 6 (data-dependent, so allow one either way).
    EXPECT_NEAR(static_cast<double>(f.input_features.size()), 51.0, 1.0);
    EXPECT_NE(std::find(f.dropped_features.begin(), f.dropped_features.end(), "rolloff_mean"),
              f.dropped_features.end());
    EXPECT_EQ(f.input_features.back(), "mfcc20_var");  // MFCC columns are never filtered
  }
}

TEST(Trainer, GtzanSmokeIsDeterministicAndLearns) {
  // The study's CNN on the real table for 10 epochs (a few seconds): twice with the same seed,
  // once with folds trained one at a time instead of two at once. Same seed, same numbers.
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto table = genrelab::dataset::read_feature_table(gtzan / "features_30_sec.csv");
  auto options = quick(5, 10);
  options.final_model = false;
  options.training.threads = 2;
  const auto a = ml::train_and_evaluate(table, options).report;
  const auto b = ml::train_and_evaluate(table, options).report;
  options.training.threads = 1;
  const auto c = ml::train_and_evaluate(table, options).report;
  EXPECT_EQ(a.stage_jobs, 2);
  EXPECT_EQ(c.stage_jobs, 1);
  for (std::size_t f = 0; f < 5; ++f) {
    EXPECT_EQ(a.folds[f].accuracy, b.folds[f].accuracy) << f;
    EXPECT_EQ(a.folds[f].accuracy, c.folds[f].accuracy) << f;
    EXPECT_EQ(a.folds[f].history.back().train_loss, c.folds[f].history.back().train_loss) << f;
  }
  EXPECT_EQ(a.confusion, b.confusion);
  // 10 of the study's 50 epochs already give about 0.65 (0.69 after 50); chance is 0.10.
  EXPECT_GT(a.mean_accuracy, 0.55);
  EXPECT_LT(a.mean_accuracy, 0.80);
  options.training.seed = 7;
  EXPECT_NE(ml::make_folds(table, options), a.fold_of_row);
}

TEST(Trainer, ValidationSplitStopsEarly) {
  const auto table = genrelab::test::blob_table(3, 40, 12, 0.8);
  auto options = quick(3, 300);
  options.model.kind = ml::ModelKind::mlp;
  options.model.dropout = 0.0;
  options.training.learning_rate = 1e-2;
  options.training.lr_step_epochs = 1000;
  options.training.validation_fraction = 0.25;
  options.training.patience = 5;
  options.final_model = false;
  const auto rep = ml::train_and_evaluate(table, options).report;
  for (const auto& f : rep.folds) {
    EXPECT_EQ(f.train_rows + f.validation_rows + f.test_rows, 120u);
    EXPECT_NEAR(static_cast<double>(f.validation_rows), 0.25 * 80.0, 3.0);
    EXPECT_TRUE(f.stopped_early) << "fold " << f.fold;
    EXPECT_EQ(f.epochs_run, f.best_epoch + 5);
    EXPECT_FALSE(std::isnan(f.history.front().validation_loss));
  }
}

class Recorder final : public genrelab::ProgressSink, public ml::TrainingObserver {
 public:
  void report(double fraction, std::string_view) override {
    std::lock_guard lock(mutex_);
    if (fraction < last_fraction) monotone = false;
    last_fraction = fraction;
  }
  void on_epoch(int fold, const ml::EpochStats&) override {
    std::lock_guard lock(mutex_);
    ++epochs;
    if (fold == ml::kFinalFold) ++final_epochs;
    if (token && epochs == cancel_after) token->cancel();
    if (token && token->cancelled() && epochs > cancel_after) ++epochs_after_cancel;
  }
  void on_fold(const ml::FoldReport&) override { ++folds; }
  std::mutex mutex_;
  double last_fraction = 0.0;
  bool monotone = true;
  int epochs = 0, final_epochs = 0, folds = 0, epochs_after_cancel = 0;
  genrelab::CancelToken* token = nullptr;
  int cancel_after = 0;
};

TEST(Trainer, ReportsProgressAndCancels) {
  const auto table = genrelab::test::blob_table(3, 40, 12, 1.0);
  auto options = quick(3, 4);
  options.training.threads = 2;
  Recorder rec;
  ml::train_and_evaluate(table, options, &rec, &rec);
  EXPECT_EQ(rec.epochs, 4 * 4);  // 3 folds + the final model
  EXPECT_EQ(rec.final_epochs, 4);
  EXPECT_EQ(rec.folds, 4);
  EXPECT_TRUE(rec.monotone);
  EXPECT_DOUBLE_EQ(rec.last_fraction, 1.0);

  genrelab::CancelToken token;
  Recorder cancel;
  cancel.token = &token;
  cancel.cancel_after = 3;
  options.training.epochs = 1000;
  EXPECT_THROW(ml::train_and_evaluate(table, options, nullptr, &cancel, &token), genrelab::Cancelled);
  // Two folds train at once: the other may finish the epoch it is in, nothing more.
  EXPECT_LE(cancel.epochs_after_cancel, 1);
}

TEST(Trainer, RejectsWhatTheTableCannotDo) {
  auto table = genrelab::test::blob_table(3, 10, 12, 1.0);
  auto bad_folds = quick();
  bad_folds.folds = 1;
  EXPECT_THROW(ml::train_and_evaluate(table, bad_folds), std::invalid_argument);
  auto mfcc = quick();
  mfcc.features = ml::FeatureSet::mfcc;
  EXPECT_THROW(ml::train_and_evaluate(table, mfcc), std::invalid_argument);  // no mfcc columns
  const auto narrow = genrelab::test::blob_table(3, 10, 5, 1.0);
  EXPECT_THROW(ml::train_and_evaluate(narrow, quick()), std::invalid_argument);  // too short for the CNN
  auto logreg = quick();
  logreg.model.kind = ml::ModelKind::logreg;
  EXPECT_NO_THROW(ml::train_and_evaluate(narrow, logreg));
  auto one_genre = table;
  std::fill(one_genre.labels.begin(), one_genre.labels.end(), "g0");
  EXPECT_THROW(ml::train_and_evaluate(one_genre, quick()), std::invalid_argument);
}

}  // namespace

namespace {

std::string track_of(const std::string& file) { return genrelab::dataset::parse_track_key(file).track_id; }

TEST(TrainerSegments, GroupedFoldsKeepTracksAndScoreThem) {
  // 3 genres x 8 tracks x 5 segments. Grouped: every track's segments share a fold, each test
  // track is scored once; leaky: rows split at random, so some track straddles folds.
  const auto table = genrelab::test::segment_table(3, 8, 5, 8, 2.0, 1.0);
  auto options = quick(4, 15);
  options.model.kind = ml::ModelKind::mlp;
  options.final_model = false;
  const auto grouped = ml::train_and_evaluate(table, options).report;
  EXPECT_EQ(grouped.rows, 120u);
  EXPECT_EQ(grouped.tracks, 24u);
  std::map<std::string, int> fold_of_track;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const auto [it, fresh] = fold_of_track.try_emplace(track_of(table.filenames[r]), grouped.fold_of_row[r]);
    EXPECT_EQ(it->second, grouped.fold_of_row[r]) << table.filenames[r];
  }
  std::size_t scored = 0;
  for (const auto& f : grouped.folds) {
    scored += f.test_tracks;
    EXPECT_EQ(f.test_rows, f.test_tracks * 5);
    EXPECT_GE(f.track_accuracy_vote, 0.0);
    EXPECT_LE(f.track_accuracy_mean, 1.0);
  }
  EXPECT_EQ(scored, 24u);
  EXPECT_GT(grouped.mean_track_accuracy_mean, 0.6);  // well separated genres
  const auto j = ml::to_json(grouped);
  EXPECT_EQ(j["protocol"], "grouped");
  EXPECT_EQ(j["tracks"], 24);
  EXPECT_DOUBLE_EQ(j["track_level"]["majority_vote"]["mean_accuracy"].get<double>(), grouped.mean_track_accuracy_vote);

  options.protocol = ml::SplitProtocol::leaky;
  const auto leaky = ml::train_and_evaluate(table, options).report;
  bool straddles = false;
  std::map<std::string, int> first_fold;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const auto [it, fresh] = first_fold.try_emplace(track_of(table.filenames[r]), leaky.fold_of_row[r]);
    straddles = straddles || it->second != leaky.fold_of_row[r];
  }
  EXPECT_TRUE(straddles);
  EXPECT_EQ(leaky.groups, 120u);
  EXPECT_EQ(ml::to_json(leaky)["protocol"], "leaky");
  EXPECT_EQ(ml::to_json(leaky)["cross_validation"]["protocol"], "leaky");
  EXPECT_EQ(ml::parse_split_protocol("leaky"), ml::SplitProtocol::leaky);
  EXPECT_FALSE(ml::parse_split_protocol("random"));
}

TEST(TrainerSegments, WholeClipsScoreTracksLikeRows) {
  const auto table = genrelab::test::blob_table(3, 20, 12, 3.0);
  auto options = quick(3, 5);
  options.final_model = false;
  const auto rep = ml::train_and_evaluate(table, options).report;
  EXPECT_EQ(rep.tracks, rep.rows);
  for (const auto& f : rep.folds) {
    EXPECT_DOUBLE_EQ(f.track_accuracy_mean, f.accuracy);
    EXPECT_DOUBLE_EQ(f.track_accuracy_vote, f.accuracy);
  }
}

}  // namespace

// The leaderboard and the hyper-parameter search: same folds for every model, sorted rows,
// JSON, errors, cancel; the search chooses on inner folds and its winner lands in the bundle.
#include "ml/compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "dataset/feature_table.h"
#include "ml/audio_cnn.h"
#include "ml/classifier.h"
#include "ml/model_bundle.h"
#include "ml_test_util.h"
#include "support/test_data.h"
#include "util/error.h"
#include "util/progress.h"

namespace {

namespace ml = genrelab::ml;

TEST(ModelPresets, AreEnumerableAndValid) {
  const auto names = ml::model_preset_names();
  for (const char* n : {"logreg", "mlp", "cnn1d", "mlp_tuned", "ensemble", "rbf", "krr", "search"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  for (const auto& p : ml::model_presets()) {
    EXPECT_NO_THROW(p.model.validate()) << p.name;
    EXPECT_NO_THROW(p.training.validate()) << p.name;
    EXPECT_FALSE(p.description.empty());
  }
  EXPECT_EQ(ml::find_model_preset("ensemble")->model.kind, ml::ModelKind::ensemble);
  EXPECT_EQ(ml::find_model_preset("rbf")->model.kind, ml::ModelKind::rbf);
  EXPECT_DOUBLE_EQ(ml::find_model_preset("rbf")->training.learning_rate, 1e-2);
  EXPECT_EQ(ml::find_model_preset("krr")->model.kind, ml::ModelKind::krr);
  EXPECT_TRUE(ml::find_model_preset("krr")->model.log_variances);
  EXPECT_FALSE(ml::find_model_preset("svm"));
  ml::TrainerOptions base;
  base.training.seed = 77;
  base.training.threads = 2;
  const auto o = ml::apply_preset(*ml::find_model_preset("mlp_tuned"), base);
  EXPECT_EQ(o.training.seed, 77u);
  EXPECT_EQ(o.training.threads, 2);
  EXPECT_EQ(o.training.epochs, 100);
  EXPECT_EQ(o.model.hidden_units, (std::vector<int>{512, 256}));
}

TEST(Compare, SameFoldsSortedRowsAndJson) {
  const auto table = genrelab::test::blob_table(3, 12, 8, 3.0);
  ml::CompareOptions options;
  options.models = {"mlp", "logreg"};
  options.folds = 3;
  std::vector<double> fractions;
  struct Sink final : genrelab::ProgressSink {
    std::vector<double>* out;
    void report(double f, std::string_view) override { out->push_back(f); }
  } sink;
  sink.out = &fractions;
  const auto board = ml::compare_models(table, options, &sink);
  ASSERT_EQ(board.rows.size(), 2u);
  EXPECT_GE(board.rows[0].mean_accuracy, board.rows[1].mean_accuracy);
  EXPECT_EQ(board.table_rows, 36u);
  EXPECT_EQ(board.fold_of_row, ml::make_folds(table, [] {
              ml::TrainerOptions o;
              o.folds = 3;
              return o;
            }()));
  for (const auto& r : board.rows) {
    EXPECT_EQ(r.report.fold_of_row, board.fold_of_row) << r.model;
    EXPECT_EQ(r.fold_accuracies.size(), 3u);
    EXPECT_EQ(r.protocol, "grouped");
    EXPECT_GT(r.seconds, 0.0);
    EXPECT_FALSE(r.report.final_model);
  }
  ASSERT_FALSE(fractions.empty());
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_DOUBLE_EQ(fractions.back(), 1.0);
  const auto j = ml::to_json(board);
  ASSERT_EQ(j["models"].size(), 2u);
  EXPECT_EQ(j["models"][0]["model"], board.rows[0].model);
  EXPECT_EQ(j["models"][0]["leaky"], false);
  for (const char* key : {"mean_accuracy", "std_accuracy", "macro_f1", "seconds", "protocol", "track_accuracy_vote"})
    EXPECT_TRUE(j["models"][1].contains(key)) << key;

  options.protocol = ml::SplitProtocol::leaky;
  options.models = {"logreg"};
  const auto leaky = ml::to_json(ml::compare_models(table, options));
  EXPECT_EQ(leaky["models"][0]["protocol"], "leaky");
  EXPECT_EQ(leaky["models"][0]["leaky"], true);
}

TEST(Compare, RepeatsAreSingleRunsWithTheNextSeeds) {
  // Repeat r must be exactly the single comparison with seed + r (its folds and weights), and the
  // row's mean and std must cover every fold of every repeat. Noisy blobs, so folds differ.
  const auto table = genrelab::test::blob_table(3, 12, 8, 1.0);
  ml::CompareOptions options;
  options.models = {"logreg", "mlp"};
  options.folds = 3;
  options.seed = 5;
  options.repeats = 3;
  const auto board = ml::compare_models(table, options);
  EXPECT_EQ(board.repeats, 3);
  for (const auto& row : board.rows) {
    ASSERT_EQ(row.repeat_accuracies.size(), 3u) << row.model;
    ASSERT_EQ(row.fold_accuracies.size(), 9u) << row.model;
    double sum = 0.0, sq = 0.0;
    for (double a : row.fold_accuracies) sum += a;
    for (double a : row.fold_accuracies) sq += (a - sum / 9) * (a - sum / 9);
    EXPECT_NEAR(row.mean_accuracy, sum / 9, 1e-12);
    EXPECT_NEAR(row.std_accuracy, std::sqrt(sq / 9), 1e-12);
    double macro_f1 = 0.0;
    for (int r = 0; r < 3; ++r) {
      auto single = options;
      single.repeats = 1;
      single.seed = options.seed + static_cast<std::uint64_t>(r);
      single.models = {row.model};
      const auto one = ml::compare_models(table, single);
      EXPECT_EQ(row.repeat_accuracies[static_cast<std::size_t>(r)], one.rows[0].mean_accuracy)
          << row.model << " repeat " << r;
      EXPECT_TRUE(std::equal(one.rows[0].fold_accuracies.begin(), one.rows[0].fold_accuracies.end(),
                             row.fold_accuracies.begin() + 3 * r));
      if (r == 0) {
        EXPECT_EQ(row.report.fold_of_row, one.fold_of_row);  // the detailed report is the first repeat's
      }
      macro_f1 += one.rows[0].macro_f1 / 3;
    }
    EXPECT_NEAR(row.macro_f1, macro_f1, 1e-12);
  }
  EXPECT_NE(board.rows[0].repeat_accuracies, std::vector<double>(3, board.rows[0].repeat_accuracies[0]));
  const auto j = ml::to_json(board);
  EXPECT_EQ(j["repeats"], 3);
  EXPECT_EQ(j["models"][0]["repeat_accuracies"].size(), 3u);
  options.repeats = 0;
  EXPECT_THROW(options.validate(), std::invalid_argument);
}

TEST(Compare, BadOptionsAndCancel) {
  const auto table = genrelab::test::blob_table(3, 12, 8, 3.0);
  ml::CompareOptions options;
  options.models = {"mlp", "svm"};
  try {
    ml::compare_models(table, options);
    FAIL() << "unknown model accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown model 'svm'"), std::string::npos);
  }
  options.models = {"logreg"};
  genrelab::CancelToken cancel;
  cancel.cancel();
  EXPECT_THROW(ml::compare_models(table, options, nullptr, &cancel), genrelab::Cancelled);
}

/// One audio file per track of a segment table ("g1.00002.0.wav" .. ".2.wav" -> "/audio/g1/g1.00002.wav").
std::vector<ml::AudioFile> audio_of(const genrelab::dataset::FeatureTable& t) {
  std::vector<ml::AudioFile> files;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string track = genrelab::dataset::parse_track_key(t.filenames[r]).track_id;
    const std::string path = "/audio/" + t.labels[r] + "/" + track + ".wav";
    if (files.empty() || files.back().path != path) files.push_back({path, t.labels[r]});
  }
  return files;
}

TEST(CompareAudio, MatchesFilesToTableTracksByLabelAndTrackKey) {
  const auto table = genrelab::test::segment_table(3, 4, 3, 4, 2.0, 0.5);  // 12 tracks x 3 segments
  auto files = audio_of(table);
  ASSERT_EQ(files.size(), 12u);
  auto m = ml::match_audio_to_table(table, files);
  EXPECT_TRUE(m.covers_table());
  EXPECT_EQ(m.tracks, 12u);
  ASSERT_EQ(m.row_of_file.size(), 12u);
  for (std::size_t i = 0; i < files.size(); ++i) EXPECT_EQ(m.row_of_file[i], static_cast<std::ptrdiff_t>(3 * i)) << i;
  EXPECT_TRUE(m.files_without_rows.empty());

  // A track without audio, a file of another dataset, a file whose folder names another genre,
  // and a second file of a track (another format).
  files.erase(files.begin() + 5);                     // g1.00001
  files.push_back({"/audio/g0/other.wav", "g0"});     // index 11
  files.push_back({"/audio/g2/g0.00000.wav", "g2"});  // 12: the label must match too
  files.push_back({"/audio/g0/g0.00000.mp3", "g0"});  // 13
  m = ml::match_audio_to_table(table, files);
  EXPECT_FALSE(m.covers_table());
  EXPECT_EQ(m.tracks_without_audio, std::vector<std::string>{"g1/g1.00001"});
  EXPECT_EQ(m.files_without_rows, (std::vector<std::size_t>{11, 12}));
  EXPECT_EQ(m.duplicate_files, std::vector<std::size_t>{13});
  EXPECT_EQ(m.row_of_file[13], 0);
  EXPECT_EQ(m.row_of_file[11], -1);
  // Extra files alone do not stop a comparison on the table's tracks.
  files = audio_of(table);
  files.push_back({"/audio/g0/other.wav", "g0"});
  EXPECT_TRUE(ml::match_audio_to_table(table, files).covers_table());
}

TEST(CompareAudio, FoldsOfFilesAreTheTableModelsTrackFolds) {
  const auto table = genrelab::test::segment_table(3, 4, 3, 4, 2.0, 0.5);
  ml::CompareOptions options;
  options.models = {"logreg"};
  options.folds = 3;
  options.seed = 9;
  const auto board = ml::compare_models(table, options);
  ASSERT_EQ(board.fold_of_row.size(), table.rows());
  auto files = audio_of(table);
  std::reverse(files.begin(), files.end());  // the order of the files is theirs, not the table's
  const auto folds = ml::audio_folds(table, board.fold_of_row, files);
  ASSERT_EQ(folds.size(), files.size());
  std::vector<int> per_fold(3, 0);
  for (std::size_t i = 0; i < files.size(); ++i) {
    // File i is track 11 - i: rows 3 (11 - i) .. + 2.
    const std::size_t row = 3 * (files.size() - 1 - i);
    EXPECT_EQ(folds[i], board.fold_of_row[row]) << files[i].path;
    ++per_fold[static_cast<std::size_t>(folds[i])];
  }
  for (int n : per_fold) EXPECT_GE(n, 3);  // every fold holds out tracks (4 per genre over 3 folds: 2/1/1)

  // Leaky folds (segments of a track in several folds) cannot be given to cnn2d.
  std::vector<int> leaky(table.rows());
  for (std::size_t r = 0; r < leaky.size(); ++r) leaky[r] = static_cast<int>(r % 3);
  try {
    ml::audio_folds(table, leaky, files);
    FAIL() << "leaky folds accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("several folds"), std::string::npos) << e.what();
  }
  // A file without rows is named (what genrelab-cli compare prints).
  files.push_back({"/audio/g0/other.wav", "g0"});
  try {
    ml::audio_folds(table, board.fold_of_row, files);
    FAIL() << "a file without rows got a fold";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "/audio/g0/other.wav: no fold (not in the feature table)");
  }
  EXPECT_THROW(ml::audio_folds(table, std::vector<int>(3, 0), audio_of(table)), std::invalid_argument);
}

TEST(CompareAudio, Cnn2dRowIsRankedByHeldOutTracks) {
  ml::AudioCnnReport rep;
  rep.track_accuracy_mean = {0.5, 1.0};
  rep.track_accuracy_vote = {0.5, 0.75};
  rep.mean_track_accuracy_mean = 0.75;
  rep.mean_track_accuracy_vote = 0.625;
  rep.patch_accuracy = {0.4, 0.6};
  rep.mean_patch_accuracy = 0.5;
  rep.track_macro_f1 = 0.7;
  rep.seconds = 12.5;
  rep.train_seconds_per_epoch = 1.5;
  rep.patches_per_epoch = 120;
  ml::AudioCnnOptions o;
  o.model.kind = ml::ModelKind::cnn2d;
  o.training.epochs = 20;
  o.folds = 2;
  auto row = ml::audio_cnn_row(rep, o);
  EXPECT_EQ(row.model, "cnn2d");
  EXPECT_EQ(row.protocol, "grouped");
  EXPECT_EQ(row.folds, 2);
  EXPECT_EQ(row.fold_accuracies, rep.track_accuracy_mean);  // tracks, not patches
  EXPECT_DOUBLE_EQ(row.mean_accuracy, 0.75);
  EXPECT_DOUBLE_EQ(row.std_accuracy, 0.25);  // population std of 0.5 and 1.0
  EXPECT_DOUBLE_EQ(row.macro_f1, 0.7);
  EXPECT_DOUBLE_EQ(row.track_accuracy_vote, 0.625);
  EXPECT_DOUBLE_EQ(row.seconds, 12.5);
  // genrelab-cli compare's defaults give its description word for word.
  EXPECT_EQ(row.description,
            "2-D CNN on 128 mel x 130 frame log-mel patches of the audio (20 epochs, 8 augmented crops per "
            "training track); accuracy and macro-F1 = held-out tracks by the mean probability of their patches; "
            "1.50 s per epoch of 120 patches");
  o.noise_db = o.max_level_db = 0.0;
  o.max_band_shift = 0;
  o.audio_copies = 2;
  o.model.patch_frames = 64;
  EXPECT_EQ(ml::audio_cnn_row(rep, o).description,
            "2-D CNN on 128 mel x 64 frame log-mel patches of the audio (20 epochs, 8 crops per training track, 2 "
            "pitch-shifted/stretched audio copies of each); accuracy and macro-F1 = held-out tracks by the mean "
            "probability of their patches; 1.50 s per epoch of 120 patches");

  ml::Leaderboard board;
  board.rows.resize(3);
  board.rows[0].model = "a", board.rows[0].mean_accuracy = 0.9;
  board.rows[1].model = "b", board.rows[1].mean_accuracy = 0.75;
  board.rows[2].model = "c", board.rows[2].mean_accuracy = 0.5;
  board.seconds = 1.0;
  ml::insert_row(board, std::move(row));
  ASSERT_EQ(board.rows.size(), 4u);
  EXPECT_EQ(board.rows[2].model, "cnn2d");  // after its tie
  EXPECT_DOUBLE_EQ(board.seconds, 13.5);
  row = ml::audio_cnn_row(rep, o);
  row.mean_accuracy = 0.1;
  ml::insert_row(board, std::move(row));
  EXPECT_EQ(board.rows.back().mean_accuracy, 0.1);
}

TEST(Search, ChoosesOnInnerFoldsAndSavesTheWinner) {
  // Candidate "frozen" cannot learn (one epoch at a tiny rate); "works" separates the blobs.
  // Every fold and the final model must choose "works", and the bundle must describe it.
  const auto table = genrelab::test::blob_table(3, 15, 8, 3.0);
  ml::TrainerOptions o;
  o.folds = 3;
  ml::SearchCandidate frozen, works;
  frozen.name = "frozen";
  frozen.model.kind = ml::ModelKind::mlp;
  frozen.model.hidden_units = {4};
  frozen.training.epochs = 1;
  frozen.training.learning_rate = 1e-7;
  works.name = "works";
  works.model.kind = ml::ModelKind::logreg;
  works.training.epochs = 40;  // one batch per epoch: 40 Adam steps
  works.training.learning_rate = 1e-1;
  o.search = {frozen, works};
  o.search_folds = 2;
  auto result = ml::train_and_evaluate(table, o);
  const auto& rep = result.report;
  for (const auto& f : rep.folds) {
    EXPECT_EQ(f.chosen, "works");
    ASSERT_EQ(f.search_scores.size(), 2u);
    EXPECT_GT(f.search_scores[1], f.search_scores[0]);
  }
  EXPECT_GT(rep.mean_accuracy, 0.8);
  ASSERT_TRUE(rep.final_model);
  EXPECT_EQ(rep.final_model->chosen, "works");
  const auto j = ml::to_json(rep);
  EXPECT_EQ(j["folds"][0]["search"]["chosen"], "works");
  EXPECT_EQ(j["search"]["candidates"].size(), 2u);
  const auto bundle = result.bundle();
  EXPECT_EQ(bundle.model.kind, ml::ModelKind::logreg);
  EXPECT_EQ(bundle.training.epochs, 40);
  const auto path = genrelab::test::temp_dir("search-bundle") / "m.glmodel";
  ml::save_bundle(path, bundle);
  auto loaded = ml::Classifier::load(path);
  EXPECT_EQ(loaded.predict_proba(table), result.model->predict_proba(table));

  o.search_folds = 1;
  EXPECT_THROW(ml::train_and_evaluate(table, o), std::invalid_argument);
}

TEST(Compare, EnsembleBundleRoundTrips) {
  const auto table = genrelab::test::blob_table(3, 12, 8, 3.0);
  ml::TrainerOptions o;
  o.folds = 2;
  o.model.kind = ml::ModelKind::ensemble;
  o.model.ensemble_members = 3;
  o.model.ensemble_rbf_members = 1;
  o.model.rbf_features = 32;
  o.model.hidden_units = {8};
  o.training.epochs = 3;
  auto result = ml::train_and_evaluate(table, o);
  const auto path = genrelab::test::temp_dir("ensemble-bundle") / "m.glmodel";
  ml::save_bundle(path, result.bundle());
  ml::ModelBundle loaded_bundle;
  auto loaded = ml::Classifier::load(path, &loaded_bundle);
  EXPECT_EQ(loaded_bundle.model.kind, ml::ModelKind::ensemble);
  EXPECT_EQ(loaded_bundle.model.ensemble_members, 3);
  EXPECT_EQ(loaded_bundle.model.ensemble_rbf_members, 1);
  EXPECT_EQ(loaded.predict_proba(table), result.model->predict_proba(table));
}

TEST(Compare, KrrWithLogVariancesBundleRoundTrips) {
  // Variances of very different magnitudes: the bundle must log them exactly as training did.
  auto table = genrelab::test::blob_table(3, 12, 8, 3.0);
  for (std::size_t c = 0; c < table.cols(); c += 2) {
    table.feature_names[c] += "_var";
    for (std::size_t r = 0; r < table.rows(); ++r) table.values[r * table.cols() + c] = std::exp(table.at(r, c));
  }
  ml::TrainerOptions o = ml::apply_preset(*ml::find_model_preset("krr"), {});
  o.folds = 3;
  auto result = ml::train_and_evaluate(table, o);
  EXPECT_GT(result.report.mean_accuracy, 0.9);
  const auto bundle = result.bundle();
  EXPECT_TRUE(bundle.model.log_variances);
  EXPECT_EQ(bundle.weights[0].shape[0], static_cast<std::int64_t>(table.rows()));  // trained on every row
  const auto path = genrelab::test::temp_dir("krr-bundle") / "m.glmodel";
  ml::save_bundle(path, bundle);
  auto loaded = ml::Classifier::load(path);
  EXPECT_EQ(loaded.predict_proba(table), result.model->predict_proba(table));
  EXPECT_DOUBLE_EQ(loaded.evaluate(table).accuracy, result.model->evaluate(table).accuracy);

  // The logged scaler: its mean of a variance column is the mean of the logs (here: of the blobs).
  double mean_log = 0.0;
  for (std::size_t r = 0; r < table.rows(); ++r) mean_log += std::log(table.at(r, 0));
  EXPECT_NEAR(bundle.scaler_mean[0], mean_log / static_cast<double>(table.rows()), 1e-9);

  auto broken = bundle;  // 1 row too few in the dual coefficients
  broken.weights[1].shape[0] -= 1;
  broken.weights[1].values.resize(broken.weights[1].values.size() - 3);
  EXPECT_THROW(broken.validate(), std::invalid_argument);
}

TEST(Compare, KrrForestBundleRoundTripsAndRefusesABrokenForest) {
  const auto table = genrelab::test::blob_table(3, 12, 8, 1.0);
  ml::TrainerOptions o = ml::apply_preset(*ml::find_model_preset("krr_forest"), {});
  o.folds = 3;
  o.model.krr_trees = 20;
  auto result = ml::train_and_evaluate(table, o);
  const auto bundle = result.bundle();
  ASSERT_EQ(bundle.weights.size(), 6u);
  EXPECT_EQ(bundle.weights[3].name, "forest_roots");
  EXPECT_EQ(bundle.weights[3].shape, (std::vector<std::int64_t>{20}));
  const auto path = genrelab::test::temp_dir("krr-forest-bundle") / "m.glmodel";
  ml::save_bundle(path, bundle);
  auto loaded = ml::Classifier::load(path);
  EXPECT_EQ(loaded.predict_proba(table), result.model->predict_proba(table));
  // The forest counts: without it the same kernel gives other probabilities.
  auto without = bundle;
  without.model.krr_trees = 0;
  without.weights.resize(3);
  auto kernel_only = ml::Classifier::from_bundle(without);
  EXPECT_NE(kernel_only.predict_proba(table), loaded.predict_proba(table));

  auto cycle = bundle;  // node 0's left child pointing at itself: a walk would never end
  cycle.weights[4].values[2] = 0.0f;
  EXPECT_THROW(ml::Classifier::from_bundle(cycle), std::invalid_argument);
  auto fraction = bundle;  // a node reference that is not an integer
  fraction.weights[4].values[3] = 0.5f;
  EXPECT_THROW(ml::Classifier::from_bundle(fraction), std::invalid_argument);
  auto column = bundle;  // a feature the model does not have
  column.weights[4].values[0] = 8.0f;
  EXPECT_THROW(ml::Classifier::from_bundle(column), std::invalid_argument);
}

}  // namespace

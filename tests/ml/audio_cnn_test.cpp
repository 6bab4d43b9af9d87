// The 2-D log-mel CNN from audio: learns the demo genres with track-grouped folds and track
// voting, computes each spectrogram once for all folds, refuses feature-table inputs.
#include "ml/audio_cnn.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "dataset/dataset_scan.h"
#include "dataset/demo_dataset.h"
#include "dataset/feature_table.h"
#include "ml/classifier.h"
#include "ml/model_bundle.h"
#include "ml/network.h"
#include "ml/predictor.h"
#include "support/test_data.h"

namespace {

namespace ml = genrelab::ml;

/// The tracks of a demo dataset (5 genres) of `clips` clips of `seconds` s per genre, made in a
/// temporary folder `name`.
std::vector<genrelab::dataset::Track> demo_tracks(const std::string& name, int clips, double seconds) {
  return genrelab::dataset::scan_dataset(
             genrelab::dataset::ensure_demo_dataset(genrelab::test::temp_dir(name),
                                                    {.clips_per_genre = clips, .clip_seconds = seconds}))
      .tracks;
}

/// A small cnn2d (128 mel x 64 frames, 8 channels, Dense 32) that learns the demo genres in 12 epochs.
ml::AudioCnnOptions small_cnn() {
  ml::AudioCnnOptions o;
  o.model.kind = ml::ModelKind::cnn2d;
  o.model.patch_frames = 64;
  o.model.cnn2d_channels = 8;
  o.model.dense_units = 32;
  o.training.epochs = 12;
  o.training.batch_size = 16;
  return o;
}

std::vector<ml::AudioFile> demo_files(const std::string& name, int clips, double seconds) {
  std::vector<ml::AudioFile> files;
  for (const auto& t : demo_tracks(name, clips, seconds)) files.push_back({t.path.string(), t.label});
  return files;
}

TEST(AudioCnn, LearnsTheDemoGenresWithCachedSpectrograms) {
  // 5 demo genres x 6 clips of 6 s; patches of 128 mel x 64 frames (1.5 s), 3 folds.
  const auto files = demo_files("audio-cnn-demo", 6, 6.0);
  ASSERT_EQ(files.size(), 30u);

  ml::AudioCnnOptions o = small_cnn();
  o.folds = 3;
  o.crops_per_track = 6;
  genrelab::features::LogMelCache cache;
  const auto rep = ml::cross_validate_audio_cnn(files, cache, o);
  std::printf(
      "audio CNN on the demo subset: patch accuracy %.3f, tracks by mean %.3f, by vote %.3f; %.3f s per epoch "
      "for %zu patches of 128 x 64 (%.2f ms per patch)\n",
      rep.mean_patch_accuracy, rep.mean_track_accuracy_mean, rep.mean_track_accuracy_vote, rep.train_seconds_per_epoch,
      rep.patches_per_epoch, 1000.0 * rep.train_seconds_per_epoch / static_cast<double>(rep.patches_per_epoch));
  EXPECT_EQ(rep.tracks, 30u);
  EXPECT_EQ(rep.spectrograms_computed, 30u);  // once per file, although 3 folds read each
  EXPECT_EQ(cache.computed(), 30u);
  ASSERT_EQ(rep.track_accuracy_vote.size(), 3u);
  EXPECT_GE(rep.mean_track_accuracy_mean, 0.95);
  EXPECT_GE(rep.mean_track_accuracy_vote, 0.95);
  // Every held-out track once in the summed confusion; its macro-F1 agrees with the accuracy.
  ASSERT_EQ(rep.track_confusion.size(), rep.label_names.size() * rep.label_names.size());
  std::int64_t counted = 0, diagonal = 0;
  for (std::size_t i = 0; i < rep.track_confusion.size(); ++i) counted += rep.track_confusion[i];
  for (std::size_t g = 0; g < rep.label_names.size(); ++g)
    diagonal += rep.track_confusion[g * rep.label_names.size() + g];
  EXPECT_EQ(counted, 30);
  EXPECT_GE(static_cast<double>(diagonal) / 30.0, 0.95);
  EXPECT_GE(rep.track_macro_f1, 0.9);

  // A second run reuses every spectrogram.
  o.training.epochs = 1;
  const auto again = ml::cross_validate_audio_cnn(files, cache, o);
  EXPECT_EQ(again.spectrograms_computed, 0u);
}

TEST(AudioCnn, AudioCopiesArePitchShiftedAndStretched) {
  // 5 demo genres x 3 clips of 4 s, 3 folds: every track trains in 2 folds, so 1 copy per
  // training track makes 30 copies, and each fold trains on 10 tracks x 2 sources x 2 crops.
  const auto files = demo_files("audio-cnn-copies", 3, 4.0);
  ml::AudioCnnOptions o;
  o.model.kind = ml::ModelKind::cnn2d;
  o.model.patch_frames = 32;
  o.model.cnn2d_channels = 4;
  o.training.epochs = 1;
  o.folds = 3;
  o.crops_per_track = 2;
  o.audio_copies = 1;
  genrelab::features::LogMelCache cache;
  const auto rep = ml::cross_validate_audio_cnn(files, cache, o);
  EXPECT_EQ(rep.augmented_copies, 30u);
  EXPECT_EQ(rep.patches_per_epoch, 40u);
  EXPECT_EQ(cache.computed(), 15u);  // copies are not cached
  o.max_stretch = 3.0;
  EXPECT_THROW(o.validate(), std::invalid_argument);
}

/// Records what a TrainingObserver receives.
struct RecordingObserver final : ml::TrainingObserver {
  std::vector<std::pair<int, ml::EpochStats>> epochs;
  std::vector<ml::FoldReport> folds;
  void on_epoch(int fold, const ml::EpochStats& s) override { epochs.emplace_back(fold, s); }
  void on_fold(const ml::FoldReport& f) override { folds.push_back(f); }
};

TEST(AudioCnn, ObserverSeesEveryEpochAndTheReportKeepsTheHistory) {
  // 5 demo genres x 2 clips of 4 s, 2 folds x 3 epochs, tiny patches: the observer must see every
  // epoch of every fold in order, then the final model's as kFinalFold; with monitor_heldout the
  // held-out patches are scored every epoch (finite test loss), without it they are NaN.
  const auto files = demo_files("audio-cnn-observer", 2, 4.0);
  ml::AudioCnnOptions o;
  o.model.kind = ml::ModelKind::cnn2d;
  o.model.patch_frames = 16;
  o.model.cnn2d_channels = 2;
  o.model.dense_units = 8;
  o.training.epochs = 3;
  o.folds = 2;
  o.crops_per_track = 2;
  o.monitor_heldout = true;
  genrelab::features::LogMelCache cache;
  RecordingObserver seen;
  const auto rep = ml::cross_validate_audio_cnn(files, cache, o, nullptr, nullptr, &seen);
  ASSERT_EQ(seen.epochs.size(), 6u);
  for (std::size_t i = 0; i < seen.epochs.size(); ++i) {
    EXPECT_EQ(seen.epochs[i].first, static_cast<int>(i / 3));
    EXPECT_EQ(seen.epochs[i].second.epoch, static_cast<int>(i % 3) + 1);
    EXPECT_TRUE(std::isfinite(seen.epochs[i].second.train_loss));
    EXPECT_TRUE(std::isfinite(seen.epochs[i].second.test_loss));
  }
  ASSERT_EQ(seen.folds.size(), 2u);
  ASSERT_EQ(rep.fold_reports.size(), 2u);
  std::size_t test_tracks = 0;
  for (int f = 0; f < 2; ++f) {
    const auto& fr = rep.fold_reports[static_cast<std::size_t>(f)];
    EXPECT_EQ(fr.fold, f);
    EXPECT_EQ(seen.folds[static_cast<std::size_t>(f)].fold, f);
    EXPECT_EQ(fr.history.size(), 3u);
    EXPECT_EQ(fr.epochs_run, 3);
    EXPECT_EQ(fr.train_rows, 5u * 2u);  // 5 training tracks x 2 crops
    EXPECT_GE(fr.test_rows, fr.test_tracks);
    EXPECT_DOUBLE_EQ(fr.accuracy, rep.patch_accuracy[static_cast<std::size_t>(f)]);
    EXPECT_DOUBLE_EQ(fr.track_accuracy_mean, rep.track_accuracy_mean[static_cast<std::size_t>(f)]);
    EXPECT_TRUE(std::isfinite(fr.loss));
    test_tracks += fr.test_tracks;
  }
  EXPECT_EQ(test_tracks, 10u);  // every track held out once

  o.monitor_heldout = false;
  RecordingObserver quiet;
  ml::cross_validate_audio_cnn(files, cache, o, nullptr, nullptr, &quiet);
  ASSERT_EQ(quiet.epochs.size(), 6u);
  EXPECT_TRUE(std::isnan(quiet.epochs[0].second.test_loss));

  RecordingObserver final_model;
  ml::train_audio_cnn(files, cache, o, nullptr, nullptr, &final_model);
  ASSERT_EQ(final_model.epochs.size(), 3u);
  for (const auto& [fold, s] : final_model.epochs) EXPECT_EQ(fold, ml::kFinalFold);
}

TEST(AudioCnn, OptionsAndInputsAreChecked) {
  ml::ModelParams p;
  p.kind = ml::ModelKind::cnn2d;
  EXPECT_THROW(ml::Network::create(p, 57, 10, 1), std::invalid_argument);  // a feature table is not a patch
  EXPECT_NO_THROW(ml::Network::create(p, 128 * 130, 10, 1));
  ml::AudioCnnOptions o;  // kind cnn1d
  EXPECT_THROW(o.validate(), std::invalid_argument);
  o.model.kind = ml::ModelKind::cnn2d;
  EXPECT_NO_THROW(o.validate());
  o.crops_per_track = 0;
  EXPECT_THROW(o.validate(), std::invalid_argument);
  genrelab::features::LogMelCache cache;
  o.crops_per_track = 2;
  o.model.mel_bands = 64;  // the cache makes 128 bands
  EXPECT_THROW(ml::cross_validate_audio_cnn({{"a.wav", "x"}, {"b.wav", "y"}}, cache, o), std::invalid_argument);
}

TEST(AudioCnn, FinalModelIsSavedAndPredictsHeldOutSongs) {
  // 5 demo genres x 4 clips of 4 s: train on the first 3 clips of each genre, save, reload, and
  // classify the 5 held-out clips through the Predictor (log-mel of each window, mean of patches).
  std::vector<ml::AudioFile> train;
  std::vector<genrelab::dataset::Track> held_out;
  std::map<std::string, int> seen;
  for (const auto& t : demo_tracks("audio-cnn-bundle", 4, 4.0)) {
    if (seen[t.label]++ < 3) train.push_back({t.path.string(), t.label});
    else held_out.push_back(t);
  }
  ASSERT_EQ(train.size(), 15u);
  ASSERT_EQ(held_out.size(), 5u);
  ml::AudioCnnOptions o = small_cnn();
  o.crops_per_track = 6;
  genrelab::features::LogMelCache cache;
  const auto bundle = ml::train_audio_cnn(train, cache, o);
  EXPECT_EQ(bundle.feature_set, "log_mel");
  ASSERT_TRUE(bundle.log_mel.has_value());
  EXPECT_EQ(bundle.row_length, 172 * 512);  // 4 s = 88200 samples: 1 + 88200 / 512 = 173 frames, 172 hops
  EXPECT_EQ(bundle.label_names.size(), 5u);

  const auto file = genrelab::test::temp_dir("audio-cnn-bundle-file") / "cnn2d.glmodel";
  ml::save_bundle(file, bundle);
  const auto loaded = ml::load_bundle(file);
  EXPECT_EQ(loaded.model.kind, ml::ModelKind::cnn2d);
  EXPECT_EQ(loaded.model.patch_frames, 64);
  EXPECT_EQ(*loaded.log_mel, *bundle.log_mel);
  EXPECT_EQ(loaded.label_names, bundle.label_names);

  const auto predictor = ml::Predictor::load(file, {.jobs = 1});
  EXPECT_EQ(predictor.window_samples(), bundle.row_length);
  for (const auto& t : held_out) {
    const auto song = predictor.predict_file(t.path);
    ASSERT_TRUE(song.ok()) << song.error;
    EXPECT_EQ(song.genre, t.label) << t.path;
    EXPECT_FALSE(song.windows.empty());
    EXPECT_NEAR(song.duration_s, 4.0, 0.01);
  }

  // Feature tables are refused with a reason, not fed to the network.
  auto classifier = ml::Classifier::from_bundle(loaded);
  genrelab::dataset::FeatureTable table;
  table.feature_names = {"f"};
  const std::vector<double> row{1.0};
  table.append("a.wav", 1, row, "x");
  EXPECT_THROW(classifier.predict_proba(table), std::invalid_argument);

  // A cnn2d bundle without its log-mel parameters is refused.
  auto broken = bundle;
  broken.log_mel.reset();
  EXPECT_THROW(broken.validate(), std::invalid_argument);
}

// Not run by ctest (a measurement, not a check): one epoch of the default architecture (128 x 130
// patches, 16/32/64 channels) on 2 compute threads, to estimate an epoch of 1000 GTZAN clips.
// Run: genrelab_ml_tests --gtest_also_run_disabled_tests --gtest_filter='*MeasureEpoch*'
TEST(AudioCnn, DISABLED_MeasureEpoch) {
  const auto files = demo_files("audio-cnn-measure", 6, 30.0);
  ml::AudioCnnOptions o;
  o.model.kind = ml::ModelKind::cnn2d;
  o.training.epochs = 2;
  o.training.threads = 2;
  o.folds = 3;
  o.crops_per_track = 8;
  genrelab::features::LogMelCache cache;
  const auto rep = ml::cross_validate_audio_cnn(files, cache, o);
  const double per_patch = rep.train_seconds_per_epoch / static_cast<double>(rep.patches_per_epoch);
  std::printf(
      "default cnn2d, 2 threads: %.3f s per epoch of %zu patches (%.2f ms per patch); an epoch of 1000 clips x "
      "%d crops: %.0f s\n",
      rep.train_seconds_per_epoch, rep.patches_per_epoch, 1000.0 * per_patch, o.crops_per_track,
      per_patch * 1000.0 * o.crops_per_track);
}

}  // namespace

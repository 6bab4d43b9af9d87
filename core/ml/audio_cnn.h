// Cross-validation of the 2-D log-mel CNN (ModelKind::cnn2d) from audio files: each file's
// log-mel spectrogram comes from a LogMelCache (computed once, reused by every fold), folds are
// grouped by track (one file = one track) and stratified by genre, training patches are random
// crops of mel_bands x patch_frames with spectrogram augmentation (Gaussian noise in dB, a
// random shift along the mel axis as a cheap pitch change, a random level offset), and each
// held-out track is classified by the mean probability and the majority vote of its
// non-overlapping patches.
// The crops and their augmentation are drawn once per fold from the seed (not redrawn every
// epoch). With audio_copies > 0, each training track also gets that many copies decoded again,
// pitch-shifted and time-stretched (dsp/time_stretch.h: phase vocoder + libsoxr) by random
// amounts, whose log-mels (computed per fold, not cached) add crops_per_track patches each.
// Both functions take an optional TrainingObserver (trainer.h): every epoch of fold f reaches
// on_epoch(f, ...) (the final model of train_audio_cnn(): kFinalFold), every finished fold
// on_fold(); the report keeps each fold's epoch history.
// Thread-safety: cross_validate_audio_cnn() may run on any thread; the observer and the sink are
// called from that thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dataset/group_file.h"
#include "dataset/split_lists.h"
#include "features/log_mel_cache.h"
#include "ml/model_bundle.h"
#include "ml/model_spec.h"
#include "ml/network.h"
#include "ml/trainer.h"
#include "util/progress_fwd.h"

namespace genrelab::ml {

struct AudioFile {
  std::string path;
  std::string label;
};

struct AudioCnnOptions {
  ModelParams model;           ///< kind must be cnn2d; mel_bands must equal the cache's n_mels
  TrainParams training;        ///< epochs, batch size, rate, seed, threads (compute threads of torch)
  int folds = 5;               ///< 2..100 (1..100 with fold_of)
  int crops_per_track = 8;     ///< training patches per training track; 1..1000
  double noise_db = 1.0;       ///< std of Gaussian noise added to training patches, dB; [0, 20]
  int max_band_shift = 2;      ///< training patches move up or down by up to this many mel bands; 0..16
  double max_level_db = 6.0;   ///< uniform level offset of training patches, +- dB; [0, 40]
  int audio_copies = 0;        ///< augmented audio copies per training track and fold; 0..16
  double max_semitones = 2.0;  ///< copies: pitch shift uniform in +- this; [0, 12]
  double max_stretch = 1.1;    ///< copies: time-stretch rate uniform in [1/this, this]; [1, 2]
  /// cross_validate_audio_cnn(): empty = stratified track folds drawn from the seed; else the
  /// test fold (0..folds-1, every fold used) of every file, e.g. the folds other models used, or
  /// kAlwaysTrain (in every fold's training part) or kLeftOut (not used): a predefined split's
  /// test part is fold 0 of 1 with train and valid kAlwaysTrain. folds may be 1 only with fold_of.
  std::vector<int> fold_of;
  static constexpr int kAlwaysTrain = -1, kLeftOut = -2;
  /// How fold_of was made, for reports: protocol key and words (trainer.h: protocol_key(),
  /// protocol_label()); the defaults describe track-grouped folds.
  std::string protocol = "grouped";
  std::string protocol_label = "track-grouped folds: same artists in training and test (optimistic)";
  /// cross_validate_audio_cnn(): also score the fold's held-out patches after every epoch
  /// (EpochStats::test_loss / test_accuracy, for live curves; never used for decisions). Costs one
  /// forward pass over them per epoch; off, they are NaN. Ignored for a split (protocol "split" or
  /// "rotation"): its held-out part is scored once, at the end.
  bool monitor_heldout = false;

  /// Throws std::invalid_argument naming the first bad option.
  void validate() const;
};

/// The augmentation and sampling fields of AudioCnnOptions declared once (util/param_spec.h): its
/// validate(), genrelab-cli train-audio's options and the Training view's cnn2d controls.
const std::vector<Param<AudioCnnOptions>>& audio_cnn_param_specs();

struct AudioCnnReport {
  std::string protocol, protocol_label;  ///< AudioCnnOptions::protocol, protocol_label
  std::vector<std::string> label_names;
  std::vector<double> patch_accuracy;       ///< per fold, over the held-out tracks' patches
  std::vector<double> track_accuracy_mean;  ///< per fold, tracks by mean probability
  std::vector<double> track_accuracy_vote;  ///< per fold, tracks by majority vote
  /// Per fold: training patches (train_rows), held-out patches (test_rows), held-out tracks,
  /// patch accuracy and mean cross-entropy, track accuracies, epochs, seconds and the epoch history.
  std::vector<FoldReport> fold_reports;
  double mean_track_accuracy_mean = 0.0, mean_track_accuracy_vote = 0.0, mean_patch_accuracy = 0.0;
  /// Held-out tracks (by mean probability) summed over the folds: confusion counts (row-major,
  /// true x predicted, label_names order) and their macro-F1 (stats/scores.h).
  std::vector<std::int64_t> track_confusion;
  double track_macro_f1 = 0.0;
  std::size_t tracks = 0;
  std::size_t spectrograms_computed = 0;  ///< by the cache during this run
  double seconds = 0.0;
  double train_seconds_per_epoch = 0.0;  ///< mean over folds of one epoch of training
  std::size_t patches_per_epoch = 0;     ///< training patches per epoch (mean over folds)
  std::size_t augmented_copies = 0;      ///< pitch-shifted/stretched audio copies made, all folds
};

/// AudioCnnOptions::fold_of (and folds) for a predefined split of the files: the test part held out
/// as fold 0 of 1 with train and valid always trained on, or with `rotate` each part p held out as
/// fold p of 3; files in no list kLeftOut.
struct SplitFolds {
  std::vector<int> fold_of;
  int folds = 1;
};
SplitFolds split_fold_of(const std::vector<int>& part_of_file, bool rotate);
/// The same for `files` matched to `lists` (dataset::assign_split of their paths and labels, which
/// also goes to `assignment` when given). Throws std::invalid_argument when a part has no file.
SplitFolds split_fold_of(const dataset::SplitLists& lists, bool rotate, const std::vector<AudioFile>& files,
                         dataset::SplitAssignment* assignment = nullptr);
/// AudioCnnOptions::fold_of for `files` grouped by a group file (e.g. artists): stratified group
/// folds drawn from `seed`, so that every group's files share a fold (files the group file does not
/// name are groups of their own). Throws std::invalid_argument for fewer groups than folds.
std::vector<int> grouped_fold_of(const dataset::GroupFile& groups, const std::vector<AudioFile>& files, int folds,
                                 std::uint64_t seed);

/// The summary a cnn2d bundle's report starts with (train-audio -o and the Training tab write
/// it): protocol, folds, tracks, mean patch and track accuracies, track macro-F1, seconds per
/// epoch; the caller adds "input" and the final model's report ("final").
nlohmann::json summary_json(const AudioCnnReport& report);

/// Throws std::invalid_argument for bad options or too few tracks, FileError (naming the file)
/// when a file cannot be decoded, Cancelled when `cancel` is set.
AudioCnnReport cross_validate_audio_cnn(const std::vector<AudioFile>& files, features::LogMelCache& cache,
                                        const AudioCnnOptions& options, ProgressSink* progress = nullptr,
                                        const CancelToken* cancel = nullptr, TrainingObserver* observer = nullptr);

/// Trains one cnn2d on every file (the crops and augmentation of one fold's training part, drawn
/// from options.training.seed) and returns it as a model bundle: feature set "log_mel", the
/// cache's log-mel parameters, label names in order of first appearance, row_length = the median
/// file length in samples (the window predict uses). The observer sees its epochs as fold
/// kFinalFold. Throws like cross_validate_audio_cnn().
ModelBundle train_audio_cnn(const std::vector<AudioFile>& files, features::LogMelCache& cache,
                            const AudioCnnOptions& options, ProgressSink* progress = nullptr,
                            const CancelToken* cancel = nullptr, TrainingObserver* observer = nullptr);

/// The network input for a whole log-mel spectrogram: its non-overlapping patches of `frames`
/// frames (at least one; a clip shorter than a patch repeats its last frame), each scaled from
/// dB to about unit range as in training. Rows: patches; cols: frames x n_bins (frame-major).
Samples log_mel_patches(const dsp::Spectrogram& mel, int frames);

}  // namespace genrelab::ml

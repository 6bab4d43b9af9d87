#include "ml/audio_cnn.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>

#include "audio/decode.h"
#include "dsp/time_stretch.h"
#include "features/log_mel.h"
#include "ml/folds.h"
#include "ml/network.h"
#include "ml/track_vote.h"
#include "stats/scores.h"
#include "util/progress.h"

namespace genrelab::ml {
namespace {

/// Copies the patch of `frames` frames starting at `start` (frame-major, bands per frame), with
/// the mel axis shifted by `shift` bands (edge bands repeated), plus `level` dB and noise.
void copy_patch(const dsp::Spectrogram& mel, int start, int frames, int shift, double level, double noise_db,
                std::mt19937_64& rng, float* out) {
  std::normal_distribution<double> noise(0.0, noise_db > 0 ? noise_db : 1.0);
  const int bands = mel.n_bins;
  for (int t = 0; t < frames; ++t) {
    const int src_t = std::min(start + t, mel.n_frames - 1);  // short clips: the last frame repeats
    const float* in = mel.frame(src_t);
    for (int k = 0; k < bands; ++k) {
      const int src_k = std::clamp(k - shift, 0, bands - 1);
      double v = static_cast<double>(in[src_k]) + level;
      if (noise_db > 0) v += noise(rng);
      // Scale dB (-80..0) to about unit range for the network.
      out[static_cast<std::size_t>(t) * static_cast<std::size_t>(bands) + static_cast<std::size_t>(k)] =
          static_cast<float>((v + 40.0) / 20.0);
    }
  }
}

/// Appends crops_per_track augmented training patches of `mel` (and of options.audio_copies
/// pitch-shifted, time-stretched copies of the file's audio) with label `label`.
void add_training_patches(const AudioFile& file, int label, std::shared_ptr<const dsp::Spectrogram> mel,
                          const features::ExtractionParams& params, const AudioCnnOptions& options,
                          std::mt19937_64& rng, Samples& train, std::size_t& copies, const CancelToken* cancel) {
  const int frames = options.model.patch_frames;
  const std::size_t patch = train.cols;
  std::vector<std::shared_ptr<const dsp::Spectrogram>> sources{std::move(mel)};
  if (options.audio_copies > 0) {
    const auto y = audio::load_mono(file.path, params.sample_rate);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int a = 0; a < options.audio_copies; ++a) {
      if (cancel) cancel->check();
      const double semitones = options.max_semitones * (2.0 * unit(rng) - 1.0);
      const double rate = std::pow(options.max_stretch, 2.0 * unit(rng) - 1.0);
      const auto shifted = dsp::pitch_shift(dsp::time_stretch(y, rate), params.sample_rate, semitones);
      sources.push_back(std::make_shared<const dsp::Spectrogram>(features::log_mel_spectrogram(shifted, params).db));
      ++copies;
    }
  }
  for (std::size_t c = 0; c < sources.size() * static_cast<std::size_t>(options.crops_per_track); ++c) {
    const auto& src = *sources[c / static_cast<std::size_t>(options.crops_per_track)];
    const int src_last = std::max(0, src.n_frames - frames);
    const int s = static_cast<int>(rng() % static_cast<std::uint64_t>(src_last + 1));
    const int shift = options.max_band_shift > 0
                          ? static_cast<int>(rng() % static_cast<std::uint64_t>(2 * options.max_band_shift + 1)) -
                                options.max_band_shift
                          : 0;
    const double level = options.max_level_db * (2.0 * std::uniform_real_distribution<double>(0, 1)(rng) - 1.0);
    train.x.resize(train.x.size() + patch);
    copy_patch(src, s, frames, shift, level, options.noise_db, rng, train.x.data() + train.x.size() - patch);
    train.y.push_back(label);
    ++train.rows;
  }
}

/// Label codes in order of first appearance. Throws when fewer than 2 genres.
std::vector<int> code_labels(const std::vector<AudioFile>& files, std::vector<std::string>& names) {
  std::map<std::string, int> code;
  std::vector<int> labels;
  for (const auto& f : files) {
    const auto [it, fresh] = code.try_emplace(f.label, static_cast<int>(names.size()));
    if (fresh) names.push_back(f.label);
    labels.push_back(it->second);
  }
  if (names.size() < 2) throw std::invalid_argument("the audio CNN needs at least 2 genres");
  return labels;
}

void check_cache(const AudioCnnOptions& options, const features::LogMelCache& cache) {
  options.validate();
  if (options.model.mel_bands != cache.params().n_mels)
    throw std::invalid_argument("mel_bands (" + std::to_string(options.model.mel_bands) +
                                ") differs from the cache's n_mels (" + std::to_string(cache.params().n_mels) + ")");
}

}  // namespace

Samples log_mel_patches(const dsp::Spectrogram& mel, int frames) {
  Samples out;
  out.cols = static_cast<std::size_t>(frames) * static_cast<std::size_t>(mel.n_bins);
  std::mt19937_64 unused(0);
  for (int s = 0; s == 0 || s + frames <= mel.n_frames; s += frames) {
    out.x.resize(out.x.size() + out.cols);
    copy_patch(mel, s, frames, 0, 0.0, 0.0, unused, out.x.data() + out.x.size() - out.cols);
    ++out.rows;
  }
  return out;
}

const std::vector<Param<AudioCnnOptions>>& audio_cnn_param_specs() {
  using A = AudioCnnOptions;
  constexpr std::string_view tried = "tried on the 30 shared clips and the demo dataset";
  // clang-format off: one parameter per entry, its fields in the order of Param
  static const std::vector<Param<A>> specs = {
      {.key = "crops_per_track",
       .field = &A::crops_per_track,
       .range = {1, 1000},
       .flag = "--crops",
       .label = "Crops / track",
       .help = "Random training patches per training track (and per audio copy)",
       .chosen_on = tried},
      {.key = "noise_db",
       .field = &A::noise_db,
       .range = {0, 20},
       .help = "Std of Gaussian noise on training patches, dB",
       .chosen_on = tried},
      {.key = "max_band_shift",
       .field = &A::max_band_shift,
       .range = {0, 16},
       .help = "Training patches move up or down by up to this many mel bands",
       .chosen_on = tried},
      {.key = "max_level_db",
       .field = &A::max_level_db,
       .range = {0, 40},
       .help = "Uniform level offset of training patches, +- dB",
       .chosen_on = tried},
      {.key = "audio_copies",
       .field = &A::audio_copies,
       .range = {0, 16},
       .flag = "--copies",
       .label = "Audio copies",
       .help = "Pitch-shifted (+-2 semitones) and time-stretched (x1.1) audio copies per training track"},
      {.key = "max_semitones",
       .field = &A::max_semitones,
       .range = {0, 12},
       .help = "Audio copies: pitch shift up to +- this"},
      {.key = "max_stretch",
       .field = &A::max_stretch,
       .range = {1, 2},
       .help = "Audio copies: time-stretch rate in [1 / this, this]"},
  };
  // clang-format on
  return specs;
}

void AudioCnnOptions::validate() const {
  if (model.kind != ModelKind::cnn2d) throw std::invalid_argument("the audio CNN needs model kind cnn2d");
  model.validate();
  training.validate();
  if (folds < (fold_of.empty() ? 2 : 1) || folds > 100)
    throw std::invalid_argument(fold_of.empty() ? "folds must be in 2..100" : "folds must be in 1..100");
  check_params(audio_cnn_param_specs(), *this);
}

AudioCnnReport cross_validate_audio_cnn(const std::vector<AudioFile>& files, features::LogMelCache& cache,
                                        const AudioCnnOptions& options, ProgressSink* progress,
                                        const CancelToken* cancel, TrainingObserver* observer) {
  check_cache(options, cache);
  const auto start = std::chrono::steady_clock::now();
  const std::size_t computed_before = cache.computed();
  AudioCnnReport rep;
  rep.protocol = options.protocol;
  rep.protocol_label = options.protocol_label;
  const auto labels = code_labels(files, rep.label_names);
  rep.tracks = files.size();
  std::vector<int> groups(files.size());
  for (std::size_t i = 0; i < groups.size(); ++i) groups[i] = static_cast<int>(i);
  auto fold_of = options.fold_of;
  if (fold_of.empty()) {
    fold_of = stratified_group_folds(labels, groups, options.folds, options.training.seed);
  } else {
    if (fold_of.size() != files.size())
      throw std::invalid_argument("fold_of has " + std::to_string(fold_of.size()) + " folds for " +
                                  std::to_string(files.size()) + " files");
    std::vector<int> tracks_in(static_cast<std::size_t>(options.folds), 0);
    for (int f : fold_of) {
      if (f == AudioCnnOptions::kAlwaysTrain || f == AudioCnnOptions::kLeftOut) continue;
      if (f < 0 || f >= options.folds)
        throw std::invalid_argument("fold_of holds a fold outside 0.." + std::to_string(options.folds - 1));
      ++tracks_in[static_cast<std::size_t>(f)];
    }
    if (std::find(tracks_in.begin(), tracks_in.end(), 0) != tracks_in.end())
      throw std::invalid_argument("fold_of leaves a fold without test tracks");
    rep.tracks = static_cast<std::size_t>(
        std::count_if(fold_of.begin(), fold_of.end(), [](int f) { return f != AudioCnnOptions::kLeftOut; }));
  }

  const int frames = options.model.patch_frames, bands = options.model.mel_bands;
  const std::size_t patch = static_cast<std::size_t>(frames) * static_cast<std::size_t>(bands);
  const auto mel_of = [&](std::size_t i) {
    if (cancel) cancel->check();
    return cache.get(files[i].path);
  };
  const int previous_threads = set_compute_threads(options.training.threads);
  double epoch_seconds = 0.0, patches = 0.0;
  std::vector<int> truth, predicted;  // held-out tracks of every fold
  for (int fold = 0; fold < options.folds; ++fold) {
    const auto fold_start = std::chrono::steady_clock::now();
    std::mt19937_64 rng(mix_seed(options.training.seed, static_cast<std::uint64_t>(fold) + 100));
    Samples train, test;
    train.cols = test.cols = patch;
    std::vector<std::string> test_tracks;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (fold_of[i] == AudioCnnOptions::kLeftOut) continue;
      const auto mel = mel_of(i);
      if (fold_of[i] != fold) {
        add_training_patches(files[i], labels[i], mel, cache.params(), options, rng, train, rep.augmented_copies,
                             cancel);
      } else {
        // Non-overlapping patches over the whole clip (at least one).
        const auto p = log_mel_patches(*mel, frames);
        test.x.insert(test.x.end(), p.x.begin(), p.x.end());
        test.y.insert(test.y.end(), p.rows, labels[i]);
        test_tracks.insert(test_tracks.end(), p.rows, files[i].path);
        test.rows += p.rows;
      }
    }
    auto net = Network::create(options.model, patch, rep.label_names.size(), mix_seed(options.training.seed, fold + 2));
    struct Reporter final : FitObserver {
      ProgressSink* sink;
      TrainingObserver* observer;
      int fold, folds;
      void on_epoch(const EpochStats& s) override {
        if (observer) observer->on_epoch(fold, s);
        if (sink)
          sink->report((fold + static_cast<double>(s.epoch) / s.epochs) / folds,
                       "fold " + std::to_string(fold + 1) + " epoch " + std::to_string(s.epoch) + "/" +
                           std::to_string(s.epochs) + ": loss " + std::to_string(s.train_loss));
      }
    } reporter;
    reporter.sink = progress;
    reporter.observer = observer;
    reporter.fold = fold;
    reporter.folds = options.folds;
    // A split's held-out part is scored once, at the end: never monitored per epoch.
    const bool monitor = options.monitor_heldout && options.protocol != "split" && options.protocol != "rotation";
    const auto fit = net.fit(train, nullptr, monitor ? &test : nullptr, options.training, &reporter, cancel);
    epoch_seconds += fit.seconds / fit.epochs_run;
    patches += static_cast<double>(train.rows);
    const auto probabilities = net.predict_proba(test);
    const auto e = net.evaluate(test);
    const auto tracks = track_scores(test_tracks, test.y, probabilities, rep.label_names.size());
    rep.patch_accuracy.push_back(e.accuracy);
    rep.track_accuracy_mean.push_back(tracks.accuracy_mean);
    rep.track_accuracy_vote.push_back(tracks.accuracy_vote);
    for (std::size_t t = 0; t < tracks.tracks; ++t) {
      truth.push_back(tracks.track_labels[t]);
      predicted.push_back(tracks.predicted_mean[t]);
    }
    FoldReport f;
    f.fold = fold;
    f.train_rows = train.rows;
    f.test_rows = test.rows;
    f.accuracy = e.accuracy;
    f.loss = e.loss;
    f.test_tracks = tracks.tracks;
    f.track_accuracy_mean = tracks.accuracy_mean;
    f.track_accuracy_vote = tracks.accuracy_vote;
    f.best_epoch = fit.best_epoch;
    f.epochs_run = fit.epochs_run;
    f.stopped_early = fit.stopped_early;
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - fold_start).count();
    f.history = fit.history;
    if (observer) observer->on_fold(f);
    rep.fold_reports.push_back(std::move(f));
  }
  {
    const stats::ConfusionMatrix confusion(truth, predicted, rep.label_names.size());
    rep.track_confusion = confusion.counts();
    rep.track_macro_f1 = stats::compute_scores(confusion).macro_f1;
  }
  set_compute_threads(previous_threads);
  rep.mean_patch_accuracy = stats::mean_std(rep.patch_accuracy).mean;
  rep.mean_track_accuracy_mean = stats::mean_std(rep.track_accuracy_mean).mean;
  rep.mean_track_accuracy_vote = stats::mean_std(rep.track_accuracy_vote).mean;
  rep.train_seconds_per_epoch = epoch_seconds / options.folds;
  rep.patches_per_epoch = static_cast<std::size_t>(patches / options.folds);
  rep.spectrograms_computed = cache.computed() - computed_before;
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress) progress->report(1.0, "done");
  return rep;
}

ModelBundle train_audio_cnn(const std::vector<AudioFile>& files, features::LogMelCache& cache,
                            const AudioCnnOptions& options, ProgressSink* progress, const CancelToken* cancel,
                            TrainingObserver* observer) {
  check_cache(options, cache);
  ModelBundle bundle;
  const auto labels = code_labels(files, bundle.label_names);
  const std::size_t patch =
      static_cast<std::size_t>(options.model.patch_frames) * static_cast<std::size_t>(options.model.mel_bands);
  std::mt19937_64 rng(mix_seed(options.training.seed, 99));
  Samples train;
  train.cols = patch;
  std::size_t copies = 0;
  std::vector<std::int64_t> lengths;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (cancel) cancel->check();
    auto mel = cache.get(files[i].path);
    lengths.push_back(static_cast<std::int64_t>(std::max(0, mel->n_frames - 1)) * cache.params().hop_length);
    add_training_patches(files[i], labels[i], std::move(mel), cache.params(), options, rng, train, copies, cancel);
  }
  const int previous_threads = set_compute_threads(options.training.threads);
  auto net = Network::create(options.model, patch, bundle.label_names.size(), mix_seed(options.training.seed, 1));
  struct Reporter final : FitObserver {
    ProgressSink* sink = nullptr;
    TrainingObserver* observer = nullptr;
    void on_epoch(const EpochStats& s) override {
      if (observer) observer->on_epoch(kFinalFold, s);
      if (sink)
        sink->report(static_cast<double>(s.epoch) / s.epochs, "final model epoch " + std::to_string(s.epoch) + "/" +
                                                                  std::to_string(s.epochs) + ": loss " +
                                                                  std::to_string(s.train_loss));
    }
  } reporter;
  reporter.sink = progress;
  reporter.observer = observer;
  try {
    net.fit(train, nullptr, nullptr, options.training, &reporter, cancel);
  } catch (...) {
    set_compute_threads(previous_threads);
    throw;
  }
  set_compute_threads(previous_threads);
  bundle.model = options.model;
  bundle.training = options.training;
  bundle.feature_set = "log_mel";
  bundle.log_mel = cache.params();
  std::nth_element(lengths.begin(), lengths.begin() + static_cast<std::ptrdiff_t>(lengths.size() / 2), lengths.end());
  bundle.row_length = lengths[lengths.size() / 2];
  bundle.weights = net.weights();
  bundle.report = {{"tracks", files.size()},
                   {"training_patches", train.rows},
                   {"crops_per_track", options.crops_per_track},
                   {"audio_copies", options.audio_copies},
                   {"augmented_copies", copies}};
  if (progress) progress->report(1.0, "done");
  return bundle;
}

SplitFolds split_fold_of(const std::vector<int>& part_of_file, bool rotate) {
  SplitFolds out;
  out.folds = rotate ? 3 : 1;
  for (int part : part_of_file)
    out.fold_of.push_back(part < 0    ? AudioCnnOptions::kLeftOut
                          : rotate    ? part
                          : part == 2 ? 0
                                      : AudioCnnOptions::kAlwaysTrain);
  return out;
}

SplitFolds split_fold_of(const dataset::SplitLists& lists, bool rotate, const std::vector<AudioFile>& files,
                         dataset::SplitAssignment* assignment) {
  std::vector<std::string> paths, labels;
  for (const auto& f : files) {
    paths.push_back(f.path);
    labels.push_back(f.label);
  }
  auto a = dataset::assign_split(lists, paths, labels);
  auto out = split_fold_of(a.part_of_row, rotate);
  if (assignment) *assignment = std::move(a);
  return out;
}

std::vector<int> grouped_fold_of(const dataset::GroupFile& groups, const std::vector<AudioFile>& files, int folds,
                                 std::uint64_t seed) {
  std::vector<std::string> paths, names;
  for (const auto& f : files) paths.push_back(f.path);
  const auto labels = code_labels(files, names);
  return stratified_group_folds(labels, dataset::assign_groups(groups, paths).group_of_row, folds, seed);
}

nlohmann::json summary_json(const AudioCnnReport& rep) {
  return {{"protocol", rep.protocol},
          {"protocol_label", rep.protocol_label},
          {"folds", rep.patch_accuracy.size()},
          {"tracks", rep.tracks},
          {"mean_patch_accuracy", rep.mean_patch_accuracy},
          {"mean_track_accuracy_mean", rep.mean_track_accuracy_mean},
          {"mean_track_accuracy_vote", rep.mean_track_accuracy_vote},
          {"track_macro_f1", rep.track_macro_f1},
          {"seconds_per_epoch", rep.train_seconds_per_epoch}};
}

}  // namespace genrelab::ml

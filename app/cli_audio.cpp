// genrelab-cli train-audio: cross-validation of the 2-D log-mel CNN (ml/audio_cnn.h) on an audio
// folder, with track-grouped folds and track voting.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "cli_commands.h"
#include "cli_output.h"
#include "cli_protocol.h"
#include "dataset/dataset_scan.h"
#include "features/log_mel_cache.h"
#include "ml/audio_cnn.h"
#include "stats/scores.h"
#include "terminal_progress.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

}  // namespace

int cmd_train_audio(const TrainAudioArgs& args) {
  ml::AudioCnnOptions options;
  options.model.kind = ml::ModelKind::cnn2d;
  options.model.patch_frames = args.patch_frames;
  options.model.cnn2d_channels = args.channels;
  options.model.dense_units = args.dense_units;
  options.training = ml::default_training(ml::ModelKind::cnn2d);
  options.training.epochs = args.epochs;
  options.training.batch_size = args.batch_size;
  options.training.seed = args.seed;
  options.training.threads = args.threads > 0 ? args.threads : static_cast<int>(std::min(hardware_jobs(), 2u));
  options.folds = args.folds;
  options.crops_per_track = args.crops;
  options.audio_copies = args.copies;
  ml::TrainerOptions protocol;  // its split, groups and rotation only
  try {
    load_protocol(args.protocol, protocol);
    options.validate();
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  } catch (const std::invalid_argument& e) {
    return error_exit(e.what(), args.json);
  }

  if (!args.output.empty() && !args.output.parent_path().empty() && !fs::is_directory(args.output.parent_path()))
    return error_exit(args.output.string() + ": folder does not exist", args.json);

  std::vector<dataset::Track> tracks;
  std::vector<dataset::SkippedFile> skipped;
  try {
    auto folder = fs::absolute(args.folder).lexically_normal();
    if (!folder.has_filename()) folder = folder.parent_path();
    auto scan = dataset::scan_dataset(args.folder, {.probe_audio = false, .jobs = 0, .loose_files_label = folder.filename().string()},
                                      nullptr, &interrupt_token());
    tracks = std::move(scan.tracks);
    skipped = std::move(scan.skipped);
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  } catch (const Cancelled&) {
    std::cerr << "cancelled\n";
    return 130;
  }
  if (tracks.empty()) return error_exit(args.folder.string() + ": no audio files", args.json);

  // Log-mels first (once per file; the folds reuse them): a file that cannot be decoded is
  // reported and left out, the others go on.
  std::unique_ptr<features::LogMelCache> cache;
  try {
    cache = std::make_unique<features::LogMelCache>(features::ExtractionParams{}, args.cache_dir);
  } catch (const std::exception& e) {
    return error_exit(args.cache_dir.string() + ": " + e.what(), args.json);
  }
  std::vector<char> readable(tracks.size(), 0);
  {
    TerminalProgress progress("log-mel", args.json);
    ProgressCounter counter(progress, tracks.size());
    std::mutex mutex;
    try {
      parallel_for(tracks.size(), static_cast<unsigned>(options.training.threads), [&](std::size_t i) {
        try {
          cache->get(tracks[i].path);
          readable[i] = 1;
        } catch (const FileError& e) {
          std::lock_guard lock(mutex);
          skipped.push_back({tracks[i].path, e.what()});
        }
        counter.step(tracks[i].path.filename().string());
      }, &interrupt_token());
      interrupt_token().check();
    } catch (const Cancelled&) {
      progress.finish();
      std::cerr << "cancelled\n";
      return 130;
    }
    progress.finish();
  }
  std::vector<ml::AudioFile> files;
  for (std::size_t i = 0; i < tracks.size(); ++i)
    if (readable[i]) files.push_back({tracks[i].path.string(), tracks[i].label});
  for (const auto& s : skipped) std::fprintf(stderr, "skipped %s: %s\n", s.path.c_str(), s.reason.c_str());

  // A predefined split: its held-out part(s) as the folds; the final model learns from train+valid.
  std::vector<ml::AudioFile> final_files = files;
  std::string split_note;
  std::string held_out = std::to_string(options.folds) + " track-grouped folds";
  if (protocol.split || protocol.groups) {
    protocol.folds = options.folds;
    options.protocol = ml::protocol_key(protocol);
    options.protocol_label = ml::protocol_label(protocol);
    held_out = ml::protocol_heading(protocol);
    try {
      if (protocol.split) {
        dataset::SplitAssignment assignment;
        auto folds = ml::split_fold_of(*protocol.split, protocol.rotate, files, &assignment);
        options.fold_of = std::move(folds.fold_of);
        options.folds = folds.folds;
        split_note = dataset::describe(assignment);
        final_files.clear();
        for (std::size_t i = 0; i < files.size(); ++i)
          if (assignment.part_of_row[i] == 0 || assignment.part_of_row[i] == 1) final_files.push_back(files[i]);
      } else {
        options.fold_of = ml::grouped_fold_of(*protocol.groups, files, options.folds, options.training.seed);
      }
    } catch (const std::invalid_argument& e) {
      return error_exit(e.what(), args.json);
    }
  }

  std::FILE* lines = args.json ? stderr : stdout;
  std::fprintf(lines,
               "train-audio cnn2d on %s: %zu tracks, log-mel patches of %d mel x %d frames, %d channels; %s, "
               "%d epochs, %d crops%s per training track, batch %d, seed %llu, %d compute thread(s)\n",
               args.folder.c_str(), files.size(), options.model.mel_bands, options.model.patch_frames,
               options.model.cnn2d_channels, held_out.c_str(), options.training.epochs, options.crops_per_track,
               options.audio_copies > 0 ? (" (+ " + std::to_string(options.audio_copies) +
                                           " pitch-shifted/stretched audio copies each)").c_str()
                                        : "",
               options.training.batch_size, static_cast<unsigned long long>(options.training.seed),
               options.training.threads);
  if (!split_note.empty()) std::fprintf(lines, "split: %s\n", split_note.c_str());
  std::fflush(lines);

  ml::AudioCnnReport rep;
  {
    TerminalProgress progress("train-audio", args.json);
    try {
      rep = ml::cross_validate_audio_cnn(files, *cache, options, &progress, &interrupt_token());
    } catch (const Cancelled&) {
      progress.finish();
      std::cerr << "cancelled: nothing was written\n";
      return 130;
    } catch (const std::invalid_argument& e) {
      progress.finish();
      return error_exit(args.folder.string() + ": " + e.what(), args.json);
    } catch (const FileError& e) {
      progress.finish();
      return error_exit(e.what(), args.json);
    }
    progress.finish();
  }
  json report = ml::summary_json(rep);
  report["input"] = fs::absolute(args.folder).string();
  if (!args.output.empty()) {
    // The final model: the same recipe on every track.
    TerminalProgress progress("final model", args.json);
    try {
      auto bundle = ml::train_audio_cnn(final_files, *cache, options, &progress, &interrupt_token());
      progress.finish();
      report["final"] = bundle.report;
      bundle.report = report;
      ml::save_bundle(args.output, bundle);
    } catch (const Cancelled&) {
      progress.finish();
      std::cerr << "cancelled: nothing was written\n";
      return 130;
    } catch (const std::exception& e) {
      progress.finish();
      return error_exit(e.what(), args.json);
    }
  }
  const double sd_patch = stats::mean_std(rep.patch_accuracy).std;
  const double sd_mean = stats::mean_std(rep.track_accuracy_mean).std;
  const double sd_vote = stats::mean_std(rep.track_accuracy_vote).std;
  if (args.json) {
    json folds = json::array();
    for (std::size_t f = 0; f < rep.patch_accuracy.size(); ++f)
      folds.push_back({{"fold", f + 1},
                       {"patch_accuracy", rep.patch_accuracy[f]},
                       {"track_accuracy_mean", rep.track_accuracy_mean[f]},
                       {"track_accuracy_vote", rep.track_accuracy_vote[f]}});
    json skipped_json = json::array();
    for (const auto& s : skipped) skipped_json.push_back({{"file", s.path.string()}, {"reason", s.reason}});
    print_json({{"input", fs::absolute(args.folder).string()},
                {"protocol", rep.protocol},
                {"protocol_label", rep.protocol_label},
                {"split", split_note.empty() ? json(nullptr) : json(split_note)},
                {"model", options.model},
                {"training", options.training},
                {"folds", std::move(folds)},
                {"crops_per_track", options.crops_per_track},
                {"audio_copies", options.audio_copies},
                {"labels", rep.label_names},
                {"tracks", rep.tracks},
                {"mean_patch_accuracy", rep.mean_patch_accuracy},
                {"std_patch_accuracy", sd_patch},
                {"mean_track_accuracy_mean", rep.mean_track_accuracy_mean},
                {"std_track_accuracy_mean", sd_mean},
                {"mean_track_accuracy_vote", rep.mean_track_accuracy_vote},
                {"std_track_accuracy_vote", sd_vote},
                {"track_macro_f1", rep.track_macro_f1},
                {"track_confusion", rep.track_confusion},
                {"seconds_per_epoch", rep.train_seconds_per_epoch},
                {"patches_per_epoch", rep.patches_per_epoch},
                {"spectrograms_computed", cache->computed()},
                {"augmented_copies", rep.augmented_copies},
                {"skipped", std::move(skipped_json)},
                {"model_file", args.output.empty() ? json(nullptr) : json(fs::absolute(args.output).string())},
                {"seconds", rep.seconds}});
    return 0;
  }
  static const char* kParts[] = {"train", "valid", "test"};
  std::printf("\n%-8s %14s %17s %17s\n", protocol.split ? "held out" : "fold", "patch accuracy", "tracks (mean p)", "tracks (vote)");
  for (std::size_t f = 0; f < rep.patch_accuracy.size(); ++f) {
    if (protocol.split) std::printf("%-8s", protocol.rotate ? kParts[f] : "test");
    else std::printf("%-8zu", f + 1);
    std::printf(" %14.4f %17.4f %17.4f\n", rep.patch_accuracy[f], rep.track_accuracy_mean[f], rep.track_accuracy_vote[f]);
  }
  std::printf("mean  %6.4f +- %.4f  %8.4f +- %.4f  %8.4f +- %.4f  (std over %zu folds, ddof 0)\n",
              rep.mean_patch_accuracy, sd_patch, rep.mean_track_accuracy_mean, sd_mean, rep.mean_track_accuracy_vote,
              sd_vote, rep.patch_accuracy.size());
  std::printf("protocol: %s (%zu tracks; each track's patches stay on one side; held-out tracks classified by the "
              "mean probability and the majority vote of their non-overlapping patches)\n", rep.protocol_label.c_str(), rep.tracks);
  if (protocol.split) std::printf("  %s; fixed settings (nothing chosen on the test part)\n", split_note.c_str());
  std::printf("tracks by mean probability, all folds: macro F1 %.4f\n", rep.track_macro_f1);
  std::printf("%.3f s per epoch of %zu training patches (%.2f ms per patch); %zu spectrogram(s) computed, %zu audio "
              "cop%s; total %.1f s\n",
              rep.train_seconds_per_epoch, rep.patches_per_epoch,
              rep.patches_per_epoch ? 1000.0 * rep.train_seconds_per_epoch / static_cast<double>(rep.patches_per_epoch) : 0.0,
              cache->computed(), rep.augmented_copies, rep.augmented_copies == 1 ? "y" : "ies", rep.seconds);
  if (!args.output.empty())
    std::printf("model (cnn2d trained on %s%zu tracks, %zu genres) saved to %s\n", protocol.split ? "the train+valid " : "all ",
                final_files.size(), rep.label_names.size(), args.output.c_str());
  return 0;
}

}  // namespace genrelab::cli

// genrelab-cli train-audio: cross-validation of the 2-D log-mel CNN (ml/audio_cnn.h) on an audio
// folder, with track-grouped folds and track voting.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "experiment/audio_experiment.h"
#include "features/log_mel_cache.h"
#include "param_options.h"
#include "protocol.h"
#include "stats/scores.h"
#include "training.h"
#include "util/progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct TrainAudioArgs {
  TrainAudioArgs() {
    options.model.kind = ml::ModelKind::cnn2d;
    options.training = ml::default_training(ml::ModelKind::cnn2d);
    options.training.epochs = 20;
  }
  std::filesystem::path folder;     // audio folder (<label>/<file> or Kaggle layout)
  std::filesystem::path cache_dir;  // log-mel cache folder; empty = memory only
  std::filesystem::path output;     // model bundle of a final cnn2d trained on every track; empty = none
  // cnn2d's declared parameters (model, loop, sampling), their options generated from the tables.
  ml::AudioCnnOptions options;
  std::optional<ParamOptions<ml::ModelParams>> model_options;
  std::optional<ParamOptions<ml::TrainParams>> training_options;
  std::optional<ParamOptions<ml::AudioCnnOptions>> sampling_options;
  int threads = 0;  // 0 = min(cores, 2)
  ProtocolArgs protocol;
  bool json = false;
};

int run_train_audio(const TrainAudioArgs& args) {
  ml::AudioCnnOptions options = args.options;
  options.training.threads = threads_or_default(args.threads);
  ml::TrainerOptions protocol;  // its split, groups and rotation only
  if (auto code = run_guarded(args.json, [&] {
        load_protocol(args.protocol, protocol);
        options.validate();
      }))
    return *code;

  if (!args.output.empty() && !args.output.parent_path().empty() && !fs::is_directory(args.output.parent_path()))
    return error_exit(args.output.string() + ": folder does not exist", args.json);

  experiment::AudioFolder folder;
  if (auto code =
          run_guarded(args.json, [&] { folder = experiment::scan_audio_folder(args.folder, &interrupt_token()); }))
    return *code;
  const auto& files = folder.files;
  auto& skipped = folder.skipped;
  if (files.empty()) return error_exit(args.folder.string() + ": no audio files", args.json);

  std::unique_ptr<features::LogMelCache> cache;
  try {
    cache = std::make_unique<features::LogMelCache>(features::ExtractionParams{}, args.cache_dir);
  } catch (const std::exception& e) {
    return error_exit(args.cache_dir.string() + ": " + e.what(), args.json);
  }
  experiment::AudioExperiment spec;
  spec.cnn = options;
  spec.protocol = protocol;
  spec.final_model = !args.output.empty();
  spec.input = fs::absolute(args.folder).string();
  protocol.folds = options.folds;
  const std::string held_out = protocol.split || protocol.groups
                                   ? ml::protocol_heading(protocol)
                                   : std::to_string(options.folds) + " track-grouped folds";
  std::FILE* lines = args.json ? stderr : stdout;
  std::fprintf(
      lines,
      "train-audio cnn2d on %s: %zu tracks, log-mel patches of %d mel x %d frames, %d channels; %s, "
      "%d epochs, %d crops%s per training track, batch %d, seed %llu, %d compute thread(s)\n",
      args.folder.c_str(), files.size(), options.model.mel_bands, options.model.patch_frames,
      options.model.cnn2d_channels, held_out.c_str(), options.training.epochs, options.crops_per_track,
      options.audio_copies > 0
          ? (" (+ " + std::to_string(options.audio_copies) + " pitch-shifted/stretched audio copies each)").c_str()
          : "",
      options.training.batch_size, static_cast<unsigned long long>(options.training.seed), options.training.threads);
  std::fflush(lines);

  // Log-mels first (once per file; the folds and the final model reuse them); a file that cannot
  // be decoded is reported and left out, the others go on.
  experiment::AudioOutcome run;
  if (auto code = run_with_progress(
          "train-audio", args.json,
          [&](ProgressSink& progress) {
            run = experiment::run_audio_experiment(files, *cache, spec, &progress, &interrupt_token());
          },
          StepReports().cancelled("cancelled: nothing was written").error_prefix(args.folder.string() + ": ")))
    return *code;
  skipped.insert(skipped.end(), run.skipped.begin(), run.skipped.end());
  for (const auto& s : skipped) std::fprintf(stderr, "skipped %s: %s\n", s.path.c_str(), s.reason.c_str());
  const std::string split_note = run.assignment ? dataset::describe(*run.assignment) : std::string();
  if (!split_note.empty()) std::fprintf(lines, "split: %s\n", split_note.c_str());
  if (run.bundle) {
    try {
      ml::save_bundle(args.output, *run.bundle);
    } catch (const std::exception& e) {
      return error_exit(e.what(), args.json);
    }
  }
  const ml::AudioCnnReport& rep = run.report;
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
                {"model", run.options.model},
                {"training", run.options.training},
                {"folds", std::move(folds)},
                {"crops_per_track", run.options.crops_per_track},
                {"audio_copies", run.options.audio_copies},
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
  std::printf("\n%-8s %14s %17s %17s\n", protocol.split ? "held out" : "fold", "patch accuracy", "tracks (mean p)",
              "tracks (vote)");
  for (std::size_t f = 0; f < rep.patch_accuracy.size(); ++f) {
    if (protocol.split) std::printf("%-8s", protocol.rotate ? kParts[f] : "test");
    else std::printf("%-8zu", f + 1);
    std::printf(" %14.4f %17.4f %17.4f\n", rep.patch_accuracy[f], rep.track_accuracy_mean[f],
                rep.track_accuracy_vote[f]);
  }
  std::printf("mean  %6.4f +- %.4f  %8.4f +- %.4f  %8.4f +- %.4f  (std over %zu folds, ddof 0)\n",
              rep.mean_patch_accuracy, sd_patch, rep.mean_track_accuracy_mean, sd_mean, rep.mean_track_accuracy_vote,
              sd_vote, rep.patch_accuracy.size());
  std::printf(
      "protocol: %s (%zu tracks; each track's patches stay on one side; held-out tracks classified by the "
      "mean probability and the majority vote of their non-overlapping patches)\n",
      rep.protocol_label.c_str(), rep.tracks);
  if (protocol.split) std::printf("  %s; fixed settings (nothing chosen on the test part)\n", split_note.c_str());
  std::printf("tracks by mean probability, all folds: macro F1 %.4f\n", rep.track_macro_f1);
  std::printf(
      "%.3f s per epoch of %zu training patches (%.2f ms per patch); %zu spectrogram(s) computed, %zu audio "
      "cop%s; total %.1f s\n",
      rep.train_seconds_per_epoch, rep.patches_per_epoch,
      rep.patches_per_epoch ? 1000.0 * rep.train_seconds_per_epoch / static_cast<double>(rep.patches_per_epoch) : 0.0,
      cache->computed(), rep.augmented_copies, rep.augmented_copies == 1 ? "y" : "ies", rep.seconds);
  if (!args.output.empty())
    std::printf("model (cnn2d trained on %s%zu tracks, %zu genres) saved to %s\n",
                protocol.split ? "the train+valid " : "all ", run.final_tracks, rep.label_names.size(),
                args.output.c_str());
  return 0;
}

}  // namespace

void add_train_audio(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<TrainAudioArgs>();
  auto* train_audio = app.add_subcommand(
      "train-audio",
      "Cross-validate the 2-D log-mel CNN (cnn2d) on an audio folder with track-grouped folds and track voting");
  train_audio->add_option("folder", args->folder, "Audio folder (<label>/<file> or Kaggle layout)")->required();
  train_audio->add_option("-o,--output", args->output,
                          "Also train on every track and save the model bundle (.glmodel, written atomically)");
  train_audio->add_option("--folds", args->options.folds, "Stratified folds, grouped by track")
      ->check(CLI::Range(2, 100));
  // The declared parameters cnn2d uses: its architecture, the loop's epochs, batch and seed, the sampling.
  args->model_options.emplace(*train_audio, ml::model_param_specs(), args->options.model, [](const auto& spec) {
    return spec.applies_to(ml::ModelParams{.kind = ml::ModelKind::cnn2d});
  });
  args->training_options.emplace(*train_audio, ml::train_param_specs(), args->options.training, [](const auto& spec) {
    return spec.key == "epochs" || spec.key == "batch_size" || spec.key == "seed";
  });
  args->sampling_options.emplace(*train_audio, ml::audio_cnn_param_specs(), args->options);
  train_audio->add_option("--cache", args->cache_dir, "Folder keeping the log-mel spectrograms between runs");
  train_audio->add_option("--threads", args->threads, "Compute threads (default: up to 2)")->check(CLI::Range(1, 256));
  add_protocol_options(*train_audio, args->protocol);
  train_audio->add_flag("--json", args->json, "Print the report as JSON (progress goes to stderr)");
  run_when_chosen(*train_audio, runner, [args] { return run_train_audio(*args); });
}

}  // namespace genrelab::cli

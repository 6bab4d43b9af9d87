// genrelab-cli compare: several models cross-validated under the same folds (of a feature table,
// or of the features of an audio folder, with the 2-D log-mel CNN on request) and their leaderboard.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/feature_table.h"
#include "experiment/audio_experiment.h"
#include "experiment/comparison.h"
#include "features/table_extraction.h"
#include "ml/compare.h"
#include "ml/trainer.h"
#include "protocol.h"
#include "training.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;

struct CompareArgs {
  std::filesystem::path input;      // feature table (.csv) or audio folder
  std::vector<std::string> models;  // preset names; empty = all (ml::model_preset_names())
  std::string features = "all";
  int folds = 5;
  int segment_seconds = 30;  // audio folder: 30 (one row per clip) or 3 (3-s rows)
  unsigned long long seed = 42;
  int repeats = 1;        // repeated cross-validation: seeds seed .. seed + repeats - 1
  int cnn2d_epochs = 20;  // cnn2d's epochs (audio folders)
  int threads = 0;        // 0 = min(cores, 2)
  bool leaky = false;
  ProtocolArgs protocol;
  bool json = false;
};

int run_compare(const CompareArgs& args) {
  ml::CompareOptions options;
  options.models = args.models;
  // cnn2d is not a table preset: it learns from the audio, after the table models.
  const auto cnn2d_at = std::find(options.models.begin(), options.models.end(), "cnn2d");
  const bool with_cnn2d = cnn2d_at != options.models.end();
  if (with_cnn2d) options.models.erase(cnn2d_at);
  const bool table_models = !options.models.empty() || !with_cnn2d;
  options.folds = args.folds;
  options.features = *ml::parse_feature_set(args.features);
  options.protocol = args.leaky ? ml::SplitProtocol::leaky : ml::SplitProtocol::grouped;
  options.seed = args.seed;
  options.repeats = args.repeats;
  options.threads = threads_or_default(args.threads);
  if (auto code = run_guarded(args.json, [&] {
        load_protocol(args.protocol, options);
        options.validate();
      }))
    return *code;
  std::error_code ec;
  if (with_cnn2d && !fs::is_directory(args.input, ec))
    return error_exit("cnn2d learns from the audio: give an audio folder, not a feature table", args.json);
  if (with_cnn2d && args.leaky)
    return error_exit("cnn2d is cross-validated with track-grouped folds only: drop --leaky or cnn2d", args.json);
  if (with_cnn2d && args.repeats > 1)
    return error_exit("cnn2d runs one repeat (its training takes minutes per fold): drop --repeats or cnn2d",
                      args.json);
  dataset::FeatureTable table;
  std::string source;
  std::vector<features::LabeledFile> files;
  std::vector<features::ExtractFailure> failures;
  if (fs::is_directory(args.input, ec)) {
    // An audio folder: the GTZAN features of every clip (or 3-s segment) first.
    experiment::AudioFolder folder;
    if (auto code = run_guarded(
            args.json, [&] { folder = experiment::scan_audio_folder(args.input, &interrupt_token()); },
            StepReports().cancelled("")))
      return *code;
    for (const auto& f : folder.files) files.push_back({f.path, f.label});
    if (files.empty()) return error_exit(args.input.string() + ": no audio files", args.json);
    for (const auto& s : folder.skipped) std::fprintf(stderr, "skipped %s: %s\n", s.path.c_str(), s.reason.c_str());
    source = "audio folder " + args.input.string();
  } else {
    try {
      table = dataset::read_feature_table(args.input, {.require_kaggle_schema = false});
    } catch (const FileError& e) {
      return error_exit(e.what(), args.json);
    }
    source = args.input.string();
  }
  if (!files.empty() && table_models) {
    features::ExtractOptions extract;
    extract.kind = args.segment_seconds == 3 ? features::TableKind::Segments : features::TableKind::Clips;
    extract.jobs = hardware_jobs();
    features::ExtractResult extracted;
    if (auto code = run_with_progress("extract", args.json, [&](ProgressSink& progress) {
          extracted = features::extract_table(files, extract, &progress, &interrupt_token());
        }))
      return *code;
    for (const auto& f : extracted.failures) std::fprintf(stderr, "failed %s: %s\n", f.path.c_str(), f.reason.c_str());
    failures = std::move(extracted.failures);
    table = std::move(extracted.table);
    source =
        "features extracted from " + args.input.string() + " (" + std::to_string(args.segment_seconds) + "-s rows)";
  }
  const auto names = options.models.empty() ? ml::model_preset_names() : options.models;
  std::FILE* lines = args.json ? stderr : stdout;
  const std::string seeds = args.repeats == 1
                                ? "seed " + std::to_string(args.seed)
                                : std::to_string(args.repeats) + " repeats (seeds " + std::to_string(args.seed) + ".." +
                                      std::to_string(args.seed + static_cast<unsigned>(args.repeats) - 1) + ")";
  const auto described = options.protocol_options();
  const std::string held_out = ml::protocol_heading(described);
  std::fprintf(lines, "compare on %s: %zu rows, %zu features (%s), %s, %s, %d thread(s) per model; BLAS: %s\n",
               source.c_str(), table.rows(), table.cols(), args.features.c_str(), held_out.c_str(), seeds.c_str(),
               options.threads, ml::blas_library().c_str());
  std::fflush(lines);
  experiment::ComparisonSpec spec;
  spec.table = options;
  spec.table_models = table_models;
  if (with_cnn2d) {
    // On the files whose features could be computed; held out as the table models' folds (a
    // track's rows all sit in one fold), or without table models in the CNN's own seeded track folds.
    auto& cnn2d = spec.cnn2d.emplace();
    for (const auto& f : files)
      if (std::none_of(failures.begin(), failures.end(), [&](const auto& x) { return x.path == f.path; }))
        cnn2d.files.push_back({f.path.string(), f.label});
    auto& o = cnn2d.experiment.cnn;
    o.model.kind = ml::ModelKind::cnn2d;
    o.training = ml::default_training(ml::ModelKind::cnn2d);
    o.training.epochs = args.cnn2d_epochs;
    o.training.seed = args.seed;
    o.training.threads = options.threads;
    o.folds = options.folds;
    cnn2d.experiment.input = fs::absolute(args.input).string();
  }
  experiment::Comparison comparison;
  if (auto code = run_with_progress(
          "compare", args.json,
          [&](ProgressSink& progress) {
            comparison = experiment::run_comparison(table, spec, &progress, &interrupt_token());
          },
          StepReports().error_prefix(args.input.string() + ": ").quiet(false)))
    return *code;
  if (!comparison.cnn2d_error.empty())
    return error_exit(args.input.string() + ": cnn2d: " + comparison.cnn2d_error, args.json);
  ml::Leaderboard board = std::move(comparison.board);
  if (args.json) {
    auto j = ml::to_json(board);
    j["input"] = fs::absolute(args.input).string();
    j["features"] = args.features;
    j["seed"] = args.seed;
    j["threads"] = options.threads;
    j["blas"] = ml::blas_library();
    print_json(j);
    return 0;
  }
  const bool segments = board.tracks < board.table_rows;
  const bool leaky = options.protocol == ml::SplitProtocol::leaky;
  const bool repeated = args.repeats > 1;
  const bool split = options.split.has_value();
  std::printf("\nprotocol: %s\n", ml::protocol_label(described).c_str());
  if (split) {
    if (!board.data_note.empty()) std::printf("  %s\n", board.data_note.c_str());
    std::printf("  %s (every model)\n", split_procedure(options.rotate).c_str());
  } else if (!board.data_note.empty()) {
    std::printf("  %s\n", board.data_note.c_str());
  }
  std::printf("\n%-4s %-10s %-9s %s%18s %9s%s %9s%s\n", "rank", "model", "protocol", split ? "valid-acc " : "",
              split ? (options.rotate ? "test (mean+-sd)" : "test-acc") : "accuracy (mean+-sd)", "macro-F1",
              segments ? "  track-mean  track-vote" : "", "seconds", repeated ? "  sd(repeats)  per repeat" : "");
  int rank = 0;
  for (const auto& r : board.rows) {
    std::printf("%-4d %-10s %-9s", ++rank, r.model.c_str(), leaky ? "LEAKY" : r.protocol.c_str());
    if (split) {
      if (std::isnan(r.validation_accuracy)) std::printf(" %9s", "-");
      else std::printf(" %9.2f", 100 * r.validation_accuracy);
    }
    if (split && !options.rotate && !repeated) std::printf(" %18.2f", 100 * r.mean_accuracy);
    else std::printf(" %10.2f +- %5.2f", 100 * r.mean_accuracy, 100 * r.std_accuracy);
    if (std::isnan(r.macro_f1)) std::printf(" %9s", "-");
    else std::printf(" %9.4f", r.macro_f1);
    if (segments) std::printf(" %10.2f %11.2f", 100 * r.track_accuracy_mean, 100 * r.track_accuracy_vote);
    std::printf(" %9.1f", r.seconds);
    if (repeated) {
      std::printf(" %12.2f  ", 100 * r.std_over_repeats);
      for (std::size_t k = 0; k < r.repeat_accuracies.size(); ++k)
        std::printf("%s%.1f", k ? "/" : "", 100 * r.repeat_accuracies[k]);
    }
    std::printf("\n");
  }
  if (split && options.rotate)
    std::printf(
        "%zu rows; the same 3 parts for every model; ranked by valid = the chosen settings' inner-fold accuracy; "
        "test = mean and std over the %d held-out parts%s (ddof 0); accuracies in %%\n",
        board.table_rows, 3 * args.repeats, repeated ? " of every repeat" : "");
  else if (split)
    std::printf(
        "%zu rows; the same parts for every model; ranked by valid accuracy (test scored once per %s); "
        "accuracies in %%\n",
        board.table_rows, repeated ? "repeat, mean and std over the repeats' seeds" : "model");
  else if (repeated)
    std::printf(
        "%zu rows, %zu tracks, %zu groups; %d repeats of the same %d folds for every model; accuracies in %%, "
        "mean and std over all %d test folds (ddof 0), sd(repeats) over the repeats' means\n",
        board.table_rows, board.tracks, board.groups, args.repeats, options.folds, args.repeats * options.folds);
  else
    std::printf(
        "%zu rows, %zu tracks, %zu groups; the same %d folds for every model; accuracies in %%, std over folds (ddof "
        "0)\n",
        board.table_rows, board.tracks, board.groups, options.folds);
  if (leaky) std::printf("LEAKY: segments of one track sit in training and test folds; these numbers are optimistic\n");
  for (const auto& r : board.rows)
    std::printf("  %-10s %s\n  %-10s defaults: %s\n", r.model.c_str(), r.description.c_str(), "",
                r.defaults_from.c_str());
  if (split && options.split->artist_disjoint())
    std::printf(
        "note: defaults chosen by cross-validation of the whole table (see 'defaults:') have seen this split's "
        "test clips, so those rows are somewhat optimistic\n");
  std::printf("total %.1f s\n", board.seconds);
  return 0;
}

}  // namespace

void add_compare(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<CompareArgs>();
  auto* compare_models =
      app.add_subcommand("compare", "Cross-validate several models under the same folds and print a leaderboard");
  compare_models
      ->add_option("input", args->input,
                   "Feature table (Kaggle CSV layout) or audio folder (<label>/<file>; features are extracted first)")
      ->required();
  compare_models
      ->add_option("--models", args->models,
                   "Comma-separated presets (default: all table presets; cnn2d for audio folders):" + preset_help())
      ->delimiter(',');
  compare_models->add_option("--features", args->features, "all, filtered or mfcc")
      ->check(CLI::IsMember({"all", "filtered", "mfcc"}));
  compare_models->add_option("--folds", args->folds, "Stratified, grouped folds (the same for every model)")
      ->check(CLI::Range(2, 100));
  compare_models->add_option("--segment", args->segment_seconds, "Audio folder: rows of 30 s (one per clip) or 3 s")
      ->check(CLI::IsMember({30, 3}));
  compare_models->add_option("--seed", args->seed, "Seed of folds and weights");
  compare_models
      ->add_option("--repeats", args->repeats,
                   "Repeated cross-validation: repeat r uses seed + r (other folds, other weights); means over every "
                   "fold of every repeat")
      ->check(CLI::Range(1, 100));
  compare_models->add_option("--threads", args->threads, "Threads of each model's training (default: up to 2)")
      ->check(CLI::Range(1, 256));
  compare_models->add_flag("--leaky", args->leaky,
                           "Split rows at random instead of by track (optimistic; labelled \"leaky\")");
  compare_models->add_option("--cnn2d-epochs", args->cnn2d_epochs, "Epochs of cnn2d's training")
      ->check(CLI::Range(1, 100000));
  add_protocol_options(*compare_models, args->protocol);
  compare_models->footer(
      "Audio folders also take --models ...,cnn2d: the 2-D log-mel CNN trained from the audio under the same track "
      "folds (its accuracy counts held-out tracks).");
  compare_models->add_flag("--json", args->json, "Print the leaderboard as JSON (progress goes to stderr)");
  run_when_chosen(*compare_models, runner, [args] { return run_compare(*args); });
}

}  // namespace genrelab::cli

// genrelab-cli train: cross-validates a genre classifier on a feature table, then trains it on all
// rows and saves the model bundle (core/ml).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/feature_table.h"
#include "features/table_extraction.h"
#include "ml/classifier.h"
#include "ml/model_bundle.h"
#include "ml/model_presets.h"
#include "ml/trainer.h"
#include "param_options.h"
#include "protocol.h"
#include "training.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/parallel.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;

struct TrainArgs {
  std::filesystem::path table;
  std::filesystem::path output;  // model bundle (.glmodel)
  std::filesystem::path report;  // optional JSON report
  std::string model = "cnn1d";   // a table model kind
  std::string features = "all";  // all | filtered | mfcc
  int folds = 5;
  // The declared parameters (ml::model_param_specs, ml::train_param_specs) as parsed; only the
  // ones given replace the kind's defaults.
  ml::ModelParams model_params;
  ml::TrainParams training;
  std::optional<ParamOptions<ml::ModelParams>> model_options;
  std::optional<ParamOptions<ml::TrainParams>> training_options;
  int threads = 0;     // 0 = default_train_threads(folds)
  std::string preset;  // a leaderboard preset (model, training loop, search) instead of --model and its options
  bool leaky = false;  // random split of rows (segments of one track in training and test folds)
  ProtocolArgs protocol;
  bool json = false;
};

/// Training threads when --threads is not given: one per fold and final model, up to the core
/// count, so each training runs on one compute thread. The study's CNN is too small to gain from
/// splitting its operations: 5 folds x 50 epochs take 7.2 s on 1 thread and 4.3 s with 2 folds
/// at once on 2 threads (the same folds in PyTorch for Python: 11.7 s on 1 thread, 19-22 s with
/// torch.set_num_threads(2)). With one compute thread per training the results do not depend on
/// the core count.
int default_train_threads(int folds) {
  return static_cast<int>(std::min<unsigned>(hardware_jobs(), static_cast<unsigned>(folds) + 1));
}

/// One line per epoch (and per finished fold) on `out`.
class EpochPrinter final : public ml::TrainingObserver {
 public:
  explicit EpochPrinter(std::FILE* out) : out_(out) {}
  void on_epoch(int fold, const ml::EpochStats& s) override {
    if (!out_) return;
    std::string stage = fold == ml::kFinalFold ? std::string("final") : "fold " + std::to_string(fold + 1);
    std::fprintf(out_, "%-7s epoch %3d/%d  loss %.4f  acc %.3f", stage.c_str(), s.epoch, s.epochs, s.train_loss,
                 s.train_accuracy);
    if (!std::isnan(s.validation_loss))
      std::fprintf(out_, "  val loss %.4f  val acc %.3f%s", s.validation_loss, s.validation_accuracy,
                   s.best ? "*" : " ");
    if (!std::isnan(s.test_loss)) std::fprintf(out_, "  test loss %.4f  test acc %.3f", s.test_loss, s.test_accuracy);
    std::fprintf(out_, "  lr %.2e  %6.2f s\n", s.learning_rate, s.elapsed_s);
    std::fflush(out_);
  }
  void on_fold(const ml::FoldReport& f) override {
    if (!out_ || f.fold == ml::kFinalFold) return;
    std::fprintf(out_, "fold %d: test accuracy %.4f (best epoch %d of %d)\n", f.fold + 1, f.accuracy, f.best_epoch,
                 f.epochs_run);
    std::fflush(out_);
  }

 private:
  std::FILE* out_;
};

/// The protocol in words, the data it left out and, for tables with several rows per track, the
/// track-level accuracy.
void print_protocol(const ml::TrainingReport& r) {
  const auto& o = r.options;
  const bool leaky = o.protocol == ml::SplitProtocol::leaky && !o.split;
  std::printf("protocol: %s\n", r.protocol.c_str());
  if (r.split) {
    std::printf("  %s\n", dataset::describe(*r.split).c_str());
    std::printf("  %s\n", split_procedure(o.rotate).c_str());
  } else if (leaky) {
    std::printf("  %zu rows split at random: segments of one track sit in training and test folds\n", r.rows);
  } else {
    std::printf("  %zu rows in %zu groups: segments of a track, identical rows%s stay in one fold\n", r.rows, r.groups,
                o.groups ? (" and each " + o.groups->column).c_str() : "");
    if (r.file_groups)
      std::printf("  %s: %s\n", o.groups->path.c_str(), dataset::describe(*r.file_groups, o.groups->column).c_str());
  }
  if (r.tracks < r.rows)
    std::printf(
        "track level (%zu tracks; each held-out track scored on its test rows)%s: mean probability %.4f +- %.4f, "
        "majority vote %.4f +- %.4f\n",
        r.tracks, leaky ? ", LEAKY" : "", r.mean_track_accuracy_mean, r.std_track_accuracy_mean,
        r.mean_track_accuracy_vote, r.std_track_accuracy_vote);
}

int run_train(const TrainArgs& args) {
  ml::TrainerOptions options;
  const auto kind = ml::parse_model_kind(args.model);
  if (!kind)
    return error_exit("unknown model '" + args.model + "' (cnn1d, mlp, logreg, rbf, krr or ensemble)", args.json);
  const auto features = ml::parse_feature_set(args.features);
  if (!features) return error_exit("unknown feature set '" + args.features + "' (all, filtered or mfcc)", args.json);
  options.model.kind = *kind;
  args.model_options->copy_given(args.model_params, options.model);
  options.training = ml::default_training(*kind);
  args.training_options->copy_given(args.training, options.training);
  options.features = *features;
  options.folds = args.folds;
  options.training.threads = args.threads > 0 ? args.threads : default_train_threads(args.folds);
  options.protocol = args.leaky ? ml::SplitProtocol::leaky : ml::SplitProtocol::grouped;
  std::string model_name = args.model;
  if (!args.preset.empty()) {
    const auto preset = ml::find_model_preset(args.preset);
    if (!preset) {
      std::string known;
      for (const auto& n : ml::model_preset_names()) known += (known.empty() ? "" : ", ") + n;
      return error_exit("unknown preset '" + args.preset + "' (" + known + ")", args.json);
    }
    options = ml::apply_preset(*preset, options);
    model_name = preset->name;
  }
  if (auto code = run_guarded(args.json, [&] {
        load_protocol(args.protocol, options);
        options.validate();
      }))
    return *code;
  if (!args.output.parent_path().empty() && !fs::is_directory(args.output.parent_path()))
    return error_exit(args.output.string() + ": folder does not exist", args.json);

  dataset::FeatureTable table;
  try {
    table = dataset::read_feature_table(args.table, {.require_kaggle_schema = false});
    // How the table was extracted travels into the bundle, so that predict extracts the same way.
    options.extraction = features::read_sidecar_params(args.table);
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  }
  std::FILE* lines = args.json ? stderr : stdout;
  std::string loop =
      options.model.kind == ml::ModelKind::krr
          ? std::string("solved in closed form")
          : std::to_string(options.training.epochs) + " epochs, batch " + std::to_string(options.training.batch_size);
  if (!options.search.empty()) loop += ", " + std::to_string(options.search.size()) + " candidate settings";
  const std::string held_out = ml::protocol_heading(options);
  std::fprintf(lines, "training %s on %s: %zu rows, %zu features (%s), %s, %s, seed %llu\n", model_name.c_str(),
               args.table.filename().c_str(), table.rows(), table.cols(), args.features.c_str(), held_out.c_str(),
               loop.c_str(), static_cast<unsigned long long>(options.training.seed));
  const auto threads =
      ml::split_threads(options.training.threads, options.split ? (options.rotate ? 3 : 1) : options.folds + 1);
  std::fprintf(lines, "threads: %d (%d trainings at once, %d compute thread(s) each; OMP_WAIT_POLICY %s); BLAS: %s\n",
               options.training.threads, threads.stage_jobs, threads.threads_per_stage, omp_wait_policy(),
               ml::blas_library().c_str());
  std::fflush(lines);

  EpochPrinter printer(lines);
  ml::TrainingResult result;
  if (auto code = run_guarded(
          args.json, [&] { result = ml::train_and_evaluate(table, options, nullptr, &printer, &interrupt_token()); },
          StepReports().cancelled("cancelled: nothing was written").error_prefix(args.table.string() + ": ")))
    return *code;
  auto report = ml::to_json(result.report);
  report["table"] = fs::absolute(args.table).string();
  report["model_file"] = fs::absolute(args.output).string();
  try {
    auto bundle = result.bundle();
    bundle.report = report;
    ml::save_bundle(args.output, bundle);
    if (!args.report.empty())
      write_text_atomically(args.report, report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } catch (const std::exception& e) {
    return error_exit(e.what(), args.json);
  }
  if (args.json) {
    print_json(report);
    return 0;
  }
  const auto& r = result.report;
  const bool segments = r.tracks < r.rows;
  const bool split = options.split.has_value();
  std::printf("\n%-8s %7s %6s %6s %6s %7s %s%9s%s %8s\n", split ? "held out" : "fold", "train", "val", "test", "best",
              "epochs", split ? " valid-acc " : "", split ? "test-acc" : "accuracy",
              segments ? "   tracks track-mean track-vote" : "", "seconds");
  for (const auto& f : r.folds) {
    if (split) std::printf("%-8s", f.held_out.c_str());
    else std::printf("%-8d", f.fold + 1);
    std::printf(" %7zu %6zu %6zu %6d %7d", f.train_rows, f.validation_rows, f.test_rows, f.best_epoch, f.epochs_run);
    if (split) std::printf(" %9.4f ", f.validation_accuracy);
    std::printf(" %9.4f", f.accuracy);
    if (segments) std::printf(" %8zu %10.4f %10.4f", f.test_tracks, f.track_accuracy_mean, f.track_accuracy_vote);
    std::printf(" %8.2f\n", f.seconds);
    if (!f.chosen.empty())
      std::printf("         chosen on %s: %s\n", options.rotate ? "inner folds" : "valid", f.chosen.c_str());
  }
  if (split && !options.rotate)
    std::printf("test %saccuracy %.4f (held-out part scored once); valid accuracy %.4f; macro F1 %.4f\n",
                segments ? "row " : "", r.mean_accuracy, r.mean_validation_accuracy, r.macro_f1);
  else
    std::printf("mean %saccuracy %.4f +- %.4f (std over %zu %s, ddof 0); macro F1 %.4f%s\n", segments ? "row " : "",
                r.mean_accuracy, r.std_accuracy, r.folds.size(), split ? "parts" : "folds", r.macro_f1,
                r.options.protocol == ml::SplitProtocol::leaky ? " [LEAKY]" : "");
  print_protocol(r);
  if (!r.folds.empty() && !r.folds.front().dropped_features.empty()) {
    std::printf("fold 1 dropped %zu feature(s):", r.folds.front().dropped_features.size());
    for (const auto& d : r.folds.front().dropped_features) std::printf(" %s", d.c_str());
    std::printf("\n");
  }
  print_scores(r.label_names, r.confusion, r.precision, r.recall, r.f1, r.support);
  std::printf("\nmodel (%s, %zu input features, %zu genres, trained on %s) saved to %s\n", model_name.c_str(),
              result.model->input_features().size(), r.label_names.size(),
              split ? (options.rotate ? "train+valid, the held-out test part's model" : "train+valid") : "all rows",
              args.output.c_str());
  if (!args.report.empty()) std::printf("report written to %s\n", args.report.c_str());
  std::printf("total %.2f s on %d thread(s)\n", r.seconds, r.threads);
  return 0;
}

}  // namespace

void add_train(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<TrainArgs>();
  auto* train = app.add_subcommand(
      "train", "Cross-validate a genre classifier on a feature table, then save it trained on all rows");
  train->add_option("table", args->table, "Feature table (Kaggle CSV layout)")->required();
  train->add_option("-o,--output", args->output, "Model bundle to write (.glmodel, written atomically)")->required();
  train
      ->add_option("--model", args->model,
                   "cnn1d (the study's CNN), mlp, logreg, rbf (RBF-kernel logistic regression), krr (kernel ridge "
                   "classifier, closed form) or ensemble (of MLPs and rbf)")
      ->check(CLI::IsMember({"cnn1d", "mlp", "logreg", "rbf", "krr", "ensemble"}));
  train->add_option(
      "--preset", args->preset,
      "Train a leaderboard preset (its model, training loop and any search) instead of --model and its options:" +
          preset_help());
  train->add_option("--features", args->features, "all, filtered (the study's redundancy filter) or mfcc")
      ->check(CLI::IsMember({"all", "filtered", "mfcc"}));
  train->add_option("--folds", args->folds, "Stratified, grouped folds")->check(CLI::Range(2, 100));
  // Every declared model and training parameter that table models use (seed included).
  args->model_options.emplace(*train, ml::model_param_specs(), args->model_params, [](const auto& spec) {
    return std::ranges::any_of(ml::all_model_kinds(), [&](ml::ModelKind k) {
      ml::ModelParams m;
      m.kind = k;
      return k != ml::ModelKind::cnn2d && spec.applies_to(m);
    });
  });
  args->training_options.emplace(*train, ml::train_param_specs(), args->training);
  train
      ->add_option("--threads", args->threads,
                   "Threads in all: folds train at once (default: one per fold and final model, up to the core count)")
      ->check(CLI::Range(1, 256));
  train->add_option("--report", args->report, "Also write the JSON report to this file");
  train->add_flag("--leaky", args->leaky,
                  "Split rows at random instead of by track (segments of one track in training and test folds: "
                  "optimistic, labelled \"leaky\")");
  add_protocol_options(*train, args->protocol);
  train->add_flag("--json", args->json, "Print the JSON report (progress lines go to stderr)");
  run_when_chosen(*train, runner, [args] { return run_train(*args); });
}

}  // namespace genrelab::cli

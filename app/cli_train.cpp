// genrelab-cli train / evaluate / bench train: the command-line face of core/ml.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli_commands.h"
#include "cli_output.h"
#include "cli_protocol.h"
#include "dataset/default_location.h"
#include "dataset/feature_table.h"
#include "features/table_extraction.h"
#include "experiment/comparison.h"
#include "ml/audio_cnn.h"
#include "ml/classifier.h"
#include "ml/compare.h"
#include "ml/model_bundle.h"
#include "ml/trainer.h"
#include "stats/scores.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"
#include "terminal_progress.h"

namespace genrelab::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// Training threads when --threads is not given: one per fold and final model, up to the core
/// count, so each training runs on one compute thread. The study's CNN is too small to gain from
/// splitting its operations: 5 folds x 50 epochs take 7.2 s on 1 thread and 4.3 s with 2 folds
/// at once on 2 threads (the same folds in PyTorch for Python: 11.7 s on 1 thread, 19-22 s with
/// torch.set_num_threads(2)). With one compute thread per training the results do not depend on
/// the core count.
int default_train_threads(int folds) { return static_cast<int>(std::min<unsigned>(hardware_jobs(), static_cast<unsigned>(folds) + 1)); }

const char* omp_wait_policy() {
  const char* p = std::getenv("OMP_WAIT_POLICY");
  return p && *p ? p : "unset (OpenMP default: active)";
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
      std::fprintf(out_, "  val loss %.4f  val acc %.3f%s", s.validation_loss, s.validation_accuracy, s.best ? "*" : " ");
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

void print_scores(const std::vector<std::string>& labels, const std::vector<std::int64_t>& confusion,
                  const std::vector<double>& precision, const std::vector<double>& recall, const std::vector<double>& f1,
                  const std::vector<std::int64_t>& support) {
  std::printf("\n%-12s %9s %9s %9s %8s\n", "genre", "precision", "recall", "f1", "support");
  for (std::size_t g = 0; g < labels.size(); ++g)
    std::printf("%-12s %9.3f %9.3f %9.3f %8lld\n", labels[g].c_str(), precision[g], recall[g], f1[g],
                static_cast<long long>(support[g]));
  std::printf("\nconfusion (rows: true genre, columns: predicted)\n%-12s", "");
  for (const auto& l : labels) std::printf(" %5.5s", l.c_str());
  std::printf("\n");
  const std::size_t n = labels.size();
  for (std::size_t t = 0; t < n; ++t) {
    std::printf("%-12s", labels[t].c_str());
    for (std::size_t p = 0; p < n; ++p) std::printf(" %5lld", static_cast<long long>(confusion[t * n + p]));
    std::printf("\n");
  }
}

json per_genre_json(const std::vector<std::string>& labels, const ml::TableEvaluation& e) {
  json j = json::array();
  for (std::size_t g = 0; g < labels.size(); ++g)
    j.push_back({{"genre", labels[g]}, {"precision", e.precision[g]}, {"recall", e.recall[g]}, {"f1", e.f1[g]},
                 {"support", e.support[g]}});
  return j;
}

json confusion_json(const std::vector<std::int64_t>& counts, std::size_t n) {
  json j = json::array();
  for (std::size_t t = 0; t < n; ++t)
    j.push_back(std::vector<std::int64_t>(counts.begin() + static_cast<std::ptrdiff_t>(t * n),
                                          counts.begin() + static_cast<std::ptrdiff_t>((t + 1) * n)));
  return j;
}

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
    std::printf("track level (%zu tracks; each held-out track scored on its test rows)%s: mean probability %.4f +- %.4f, "
                "majority vote %.4f +- %.4f\n", r.tracks, leaky ? ", LEAKY" : "",
                r.mean_track_accuracy_mean, r.std_track_accuracy_mean, r.mean_track_accuracy_vote, r.std_track_accuracy_vote);
}

fs::path default_table() {
  const auto dir = dataset::default_dataset_dir();
  return dir ? *dir / "features_30_sec.csv" : fs::path();
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

int cmd_train(const TrainArgs& args) {
  ml::TrainerOptions options;
  const auto kind = ml::parse_model_kind(args.model);
  if (!kind) return error_exit("unknown model '" + args.model + "' (cnn1d, mlp, logreg, rbf, krr or ensemble)", args.json);
  const auto features = ml::parse_feature_set(args.features);
  if (!features) return error_exit("unknown feature set '" + args.features + "' (all, filtered or mfcc)", args.json);
  options.model.kind = *kind;
  options.features = *features;
  options.folds = args.folds;
  options.training.epochs = args.epochs;
  options.training.batch_size = args.batch_size;
  options.training.learning_rate = args.learning_rate.value_or(ml::default_training(*kind).learning_rate);
  options.training.validation_fraction = args.validation;
  options.training.patience = args.patience;
  options.training.lr_step_epochs = args.lr_step;
  options.training.lr_gamma = args.lr_gamma;
  options.training.weight_decay = args.weight_decay;
  options.training.input_noise = args.input_noise;
  options.model.conv1_filters = args.conv1_filters;
  options.model.conv2_filters = args.conv2_filters;
  options.model.kernel_size = args.kernel_size;
  options.model.pool_size = args.pool_size;
  options.model.dense_units = args.dense_units;
  options.model.hidden_units = args.hidden_units;
  options.model.dropout = args.dropout;
  options.model.ensemble_members = args.ensemble_members;
  options.model.ensemble_rbf_members = args.ensemble_rbf_members;
  options.model.rbf_features = args.rbf_features;
  options.model.rbf_gamma = args.rbf_gamma;
  options.model.rbf_weight_decay = args.rbf_weight_decay;
  options.model.rbf_rate_factor = args.rbf_rate_factor;
  options.model.krr_lambda = args.krr_lambda;
  options.model.krr_trees = args.krr_trees;
  options.model.krr_gamma_factor = args.krr_gamma_factor;
  options.model.krr_lda = args.krr_lda;
  options.model.lda_shrinkage = args.lda_shrinkage;
  options.model.log_variances = args.log_variances;
  options.training.seed = args.seed;
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
  try {
    load_protocol(args.protocol, options);
    options.validate();
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  } catch (const std::invalid_argument& e) {
    return error_exit(e.what(), args.json);
  }
  if (!args.output.parent_path().empty() && !fs::is_directory(args.output.parent_path()))
    return error_exit(args.output.string() + ": folder does not exist", args.json);

  dataset::FeatureTable table;
  try {
    table = dataset::read_feature_table(args.table, {.require_kaggle_schema = false});
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  }
  std::FILE* lines = args.json ? stderr : stdout;
  std::string loop = options.model.kind == ml::ModelKind::krr
                               ? std::string("solved in closed form")
                               : std::to_string(options.training.epochs) + " epochs, batch " +
                                     std::to_string(options.training.batch_size);
  if (!options.search.empty()) loop += ", " + std::to_string(options.search.size()) + " candidate settings";
  const std::string held_out = ml::protocol_heading(options);
  std::fprintf(lines, "training %s on %s: %zu rows, %zu features (%s), %s, %s, seed %llu\n", model_name.c_str(),
               args.table.filename().c_str(), table.rows(), table.cols(), args.features.c_str(), held_out.c_str(),
               loop.c_str(), static_cast<unsigned long long>(options.training.seed));
  const auto threads = ml::split_threads(options.training.threads, options.split ? (options.rotate ? 3 : 1) : options.folds + 1);
  std::fprintf(lines, "threads: %d (%d trainings at once, %d compute thread(s) each; OMP_WAIT_POLICY %s); BLAS: %s\n",
               options.training.threads, threads.stage_jobs, threads.threads_per_stage, omp_wait_policy(),
               ml::blas_library().c_str());
  std::fflush(lines);

  EpochPrinter printer(lines);
  ml::TrainingResult result;
  try {
    result = ml::train_and_evaluate(table, options, nullptr, &printer, &interrupt_token());
  } catch (const Cancelled&) {
    std::cerr << "cancelled: nothing was written\n";
    return 130;
  } catch (const std::invalid_argument& e) {
    return error_exit(args.table.string() + ": " + e.what(), args.json);
  }
  auto report = ml::to_json(result.report);
  report["table"] = fs::absolute(args.table).string();
  report["model_file"] = fs::absolute(args.output).string();
  try {
    auto bundle = result.bundle();
    bundle.report = report;
    ml::save_bundle(args.output, bundle);
    if (!args.report.empty()) write_text_atomically(args.report, report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
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
  std::printf("\n%-8s %7s %6s %6s %6s %7s %s%9s%s %8s\n", split ? "held out" : "fold", "train", "val", "test", "best", "epochs",
              split ? " valid-acc " : "", split ? "test-acc" : "accuracy", segments ? "   tracks track-mean track-vote" : "",
              "seconds");
  for (const auto& f : r.folds) {
    if (split) std::printf("%-8s", f.held_out.c_str());
    else std::printf("%-8d", f.fold + 1);
    std::printf(" %7zu %6zu %6zu %6d %7d", f.train_rows, f.validation_rows, f.test_rows, f.best_epoch, f.epochs_run);
    if (split) std::printf(" %9.4f ", f.validation_accuracy);
    std::printf(" %9.4f", f.accuracy);
    if (segments) std::printf(" %8zu %10.4f %10.4f", f.test_tracks, f.track_accuracy_mean, f.track_accuracy_vote);
    std::printf(" %8.2f\n", f.seconds);
    if (!f.chosen.empty()) std::printf("         chosen on %s: %s\n", options.rotate ? "inner folds" : "valid", f.chosen.c_str());
  }
  if (split && !options.rotate)
    std::printf("test %saccuracy %.4f (held-out part scored once); valid accuracy %.4f; macro F1 %.4f\n", segments ? "row " : "",
                r.mean_accuracy, r.mean_validation_accuracy, r.macro_f1);
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

int cmd_compare_models(const CompareArgs& args) {
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
  options.threads = args.threads > 0 ? args.threads : static_cast<int>(std::min(hardware_jobs(), 2u));
  try {
    load_protocol(args.protocol, options);
    options.validate();
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  } catch (const std::invalid_argument& e) {
    return error_exit(e.what(), args.json);
  }
  std::error_code ec;
  if (with_cnn2d && !fs::is_directory(args.input, ec))
    return error_exit("cnn2d learns from the audio: give an audio folder, not a feature table", args.json);
  if (with_cnn2d && args.leaky)
    return error_exit("cnn2d is cross-validated with track-grouped folds only: drop --leaky or cnn2d", args.json);
  if (with_cnn2d && args.repeats > 1)
    return error_exit("cnn2d runs one repeat (its training takes minutes per fold): drop --repeats or cnn2d", args.json);
  dataset::FeatureTable table;
  std::string source;
  std::vector<features::LabeledFile> files;
  std::vector<features::ExtractFailure> failures;
  if (fs::is_directory(args.input, ec)) {
    // An audio folder: the GTZAN features of every clip (or 3-s segment) first.
    experiment::AudioFolder folder;
    try {
      folder = experiment::scan_audio_folder(args.input, &interrupt_token());
    } catch (const FileError& e) {
      return error_exit(e.what(), args.json);
    } catch (const Cancelled&) {
      return 130;
    }
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
    TerminalProgress progress("extract", args.json);
    features::ExtractResult extracted;
    try {
      extracted = features::extract_table(files, extract, &progress, &interrupt_token());
    } catch (const Cancelled&) {
      progress.finish();
      std::cerr << "cancelled\n";
      return 130;
    }
    progress.finish();
    for (const auto& f : extracted.failures) std::fprintf(stderr, "failed %s: %s\n", f.path.c_str(), f.reason.c_str());
    failures = std::move(extracted.failures);
    table = std::move(extracted.table);
    source = "features extracted from " + args.input.string() + " (" + std::to_string(args.segment_seconds) + "-s rows)";
  }
  const auto names = options.models.empty() ? ml::model_preset_names() : options.models;
  std::FILE* lines = args.json ? stderr : stdout;
  const std::string seeds = args.repeats == 1 ? "seed " + std::to_string(args.seed)
                                               : std::to_string(args.repeats) + " repeats (seeds " + std::to_string(args.seed) +
                                                     ".." + std::to_string(args.seed + static_cast<unsigned>(args.repeats) - 1) + ")";
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
  {
    TerminalProgress progress("compare", false);
    try {
      comparison = experiment::run_comparison(table, spec, &progress, &interrupt_token());
    } catch (const Cancelled&) {
      progress.finish();
      std::cerr << "cancelled\n";
      return 130;
    } catch (const std::invalid_argument& e) {
      progress.finish();
      return error_exit(args.input.string() + ": " + e.what(), args.json);
    }
    progress.finish();
  }
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
      for (std::size_t k = 0; k < r.repeat_accuracies.size(); ++k) std::printf("%s%.1f", k ? "/" : "", 100 * r.repeat_accuracies[k]);
    }
    std::printf("\n");
  }
  if (split && options.rotate)
    std::printf("%zu rows; the same 3 parts for every model; ranked by valid = the chosen settings' inner-fold accuracy; "
                "test = mean and std over the %d held-out parts%s (ddof 0); accuracies in %%\n",
                board.table_rows, 3 * args.repeats, repeated ? " of every repeat" : "");
  else if (split)
    std::printf("%zu rows; the same parts for every model; ranked by valid accuracy (test scored once per %s); "
                "accuracies in %%\n", board.table_rows, repeated ? "repeat, mean and std over the repeats' seeds" : "model");
  else if (repeated)
    std::printf("%zu rows, %zu tracks, %zu groups; %d repeats of the same %d folds for every model; accuracies in %%, "
                "mean and std over all %d test folds (ddof 0), sd(repeats) over the repeats' means\n",
                board.table_rows, board.tracks, board.groups, args.repeats, options.folds, args.repeats * options.folds);
  else
    std::printf("%zu rows, %zu tracks, %zu groups; the same %d folds for every model; accuracies in %%, std over folds (ddof 0)\n",
                board.table_rows, board.tracks, board.groups, options.folds);
  if (leaky) std::printf("LEAKY: segments of one track sit in training and test folds; these numbers are optimistic\n");
  for (const auto& r : board.rows)
    std::printf("  %-10s %s\n  %-10s defaults: %s\n", r.model.c_str(), r.description.c_str(), "", r.defaults_from.c_str());
  if (split && options.split->artist_disjoint())
    std::printf("note: defaults chosen by cross-validation of the whole table (see 'defaults:') have seen this split's "
                "test clips, so those rows are somewhat optimistic\n");
  std::printf("total %.1f s\n", board.seconds);
  return 0;
}

int cmd_evaluate(const fs::path& model_path, const fs::path& table_path, bool as_json) {
  ml::ModelBundle bundle;
  std::optional<ml::Classifier> model;
  dataset::FeatureTable table;
  try {
    model.emplace(ml::Classifier::load(model_path, &bundle));
    table = dataset::read_feature_table(table_path, {.require_kaggle_schema = false});
  } catch (const FileError& e) {
    return error_exit(e.what(), as_json);
  }
  ml::TableEvaluation e;
  try {
    ml::set_compute_threads(1);
    e = model->evaluate(table);
  } catch (const std::invalid_argument& err) {
    return error_exit(table_path.string() + ": " + err.what(), as_json);
  }
  const auto& labels = model->label_names();
  if (as_json) {
    print_json({{"model", fs::absolute(model_path).string()},
                {"table", fs::absolute(table_path).string()},
                {"kind", ml::to_string(bundle.model.kind)},
                {"feature_set", bundle.feature_set},
                {"input_features", model->input_features().size()},
                {"rows", e.rows},
                {"accuracy", e.accuracy},
                {"macro_f1", e.macro_f1},
                {"labels", labels},
                {"confusion", confusion_json(e.confusion, labels.size())},
                {"per_genre", per_genre_json(labels, e)}});
    return 0;
  }
  std::printf("%s (%s, %zu input features, %s) on %s: %zu rows\n", model_path.c_str(),
              std::string(ml::to_string(bundle.model.kind)).c_str(), model->input_features().size(),
              bundle.feature_set.c_str(), table_path.c_str(), e.rows);
  std::printf("accuracy %.4f, macro F1 %.4f\n", e.accuracy, e.macro_f1);
  print_scores(labels, e.confusion, e.precision, e.recall, e.f1, e.support);
  return 0;
}

int cmd_bench_train(const BenchTrainArgs& args) {
  const fs::path table_path = args.table.empty() ? default_table() : args.table;
  if (table_path.empty()) return error_exit("no table: pass --table or set GENRELAB_DATA", args.json);
  const fs::path script = args.script.empty() ? fs::path(GENRELAB_SOURCE_DIR) / "tests/bench/train_cnn1d.py" : args.script;
  if (args.python_run && !fs::exists(script)) return error_exit(script.string() + ": the Python baseline script does not exist", args.json);
  dataset::FeatureTable table;
  try {
    table = dataset::read_feature_table(table_path, {.require_kaggle_schema = false});
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  }
  ml::TrainerOptions options;
  options.folds = args.folds;
  options.training.epochs = args.epochs;
  options.training.seed = args.seed;
  options.training.threads = args.threads;
  options.final_model = false;  // the Python baseline runs the folds only
  std::vector<int> folds;
  try {
    folds = ml::make_folds(table, options);
  } catch (const std::invalid_argument& e) {
    return error_exit(e.what(), args.json);
  }
  std::FILE* lines = args.json ? stderr : stdout;
  const auto split = ml::split_threads(args.threads, options.folds);
  std::fprintf(lines, "bench train: cnn1d, %s (%zu rows x %zu features), %d folds x %d epochs, batch %d\n",
               table_path.filename().c_str(), table.rows(), table.cols(), options.folds, options.training.epochs,
               options.training.batch_size);
  std::fprintf(lines, "threads: %d for each side (GenreLab: %d folds at once, %d compute thread(s) each; Python: "
               "torch.set_num_threads(%d))\n", args.threads, split.stage_jobs, split.threads_per_stage, args.threads);
  std::fprintf(lines, "BLAS: %s; OMP_WAIT_POLICY %s\n", ml::blas_library().c_str(), omp_wait_policy());
  std::fflush(lines);

  // GenreLab, in this process.
  std::vector<double> ours;
  ml::TrainingReport report;
  for (int i = 0; i < args.repeats; ++i) {
    try {
      const auto t0 = std::chrono::steady_clock::now();
      report = ml::train_and_evaluate(table, options, nullptr, nullptr, &interrupt_token()).report;
      ours.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    } catch (const Cancelled&) {
      std::cerr << "cancelled\n";
      return 130;
    }
    std::fprintf(lines, "GenreLab run %d: %.2f s, mean accuracy %.4f\n", i + 1, ours.back(), report.mean_accuracy);
    std::fflush(lines);
  }
  const double our_best = *std::min_element(ours.begin(), ours.end());

  json out{{"table", fs::absolute(table_path).string()},
           {"rows", table.rows()},
           {"folds", options.folds},
           {"epochs", options.training.epochs},
           {"batch_size", options.training.batch_size},
           {"threads", args.threads},
           {"blas", ml::blas_library()},
           {"omp_wait_policy", std::getenv("OMP_WAIT_POLICY") ? std::getenv("OMP_WAIT_POLICY") : ""},
           {"genrelab", {{"seconds", our_best}, {"runs", ours}, {"mean_accuracy", report.mean_accuracy}}}};
  if (!args.python_run) {
    if (args.json) print_json(out);
    else std::printf("GenreLab: %.2f s (fastest of %d)\n", our_best, args.repeats);
    return 0;
  }

  // The same folds, model and batch size in PyTorch for Python.
  const auto dir = fs::temp_directory_path() / ("genrelab-bench-train-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto spec_path = dir / "spec.json";
  json model_j = options.model, training_j = options.training;
  const json spec{{"table", fs::absolute(table_path).string()}, {"feature_names", table.feature_names},
                  {"fold_of_row", folds},   {"folds", options.folds},
                  {"model", model_j},       {"training", training_j},
                  {"threads", args.threads}, {"seed", args.seed}};
  write_text_atomically(spec_path, spec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  std::vector<double> theirs, their_walls;
  json python_result;
  for (int i = 0; i < args.repeats; ++i) {
    const auto result_path = dir / "result.json";
    const std::string cmd = shell_quote(args.python) + " " + shell_quote(script.string()) + " " +
                            shell_quote(spec_path.string()) + " " + shell_quote(result_path.string()) + " >/dev/null";
    const auto t0 = std::chrono::steady_clock::now();
    const int status = std::system(cmd.c_str());
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::ifstream in(result_path);
    if (status != 0 || !in) {
      fs::remove_all(dir);
      return error_exit("the Python baseline failed (" + cmd + "); is python3-torch installed?", args.json);
    }
    python_result = json::parse(in);
    theirs.push_back(python_result["seconds"].get<double>());
    their_walls.push_back(wall);
    std::fprintf(lines, "Python run %d: %.2f s training (%.2f s with start-up), mean accuracy %.4f\n", i + 1,
                 theirs.back(), wall, python_result["mean_accuracy"].get<double>());
    std::fflush(lines);
  }
  fs::remove_all(dir);
  const double their_best = *std::min_element(theirs.begin(), theirs.end());
  const double ratio = our_best / their_best;
  out["python"] = {{"seconds", their_best},
                   {"runs", theirs},
                   {"process_seconds", their_walls},
                   {"mean_accuracy", python_result["mean_accuracy"]},
                   {"torch_version", python_result["torch_version"]},
                   {"script", script.string()}};
  out["ratio"] = ratio;
  if (args.json) {
    print_json(out);
    return 0;
  }
  std::printf("GenreLab       %7.2f s  mean accuracy %.4f\n", our_best, report.mean_accuracy);
  std::printf("PyTorch/Python %7.2f s  mean accuracy %.4f\n", their_best, python_result["mean_accuracy"].get<double>());
  std::printf("ratio GenreLab / Python: %.3f (%.1fx faster)\n", ratio, 1.0 / ratio);
  return 0;
}

}  // namespace genrelab::cli

// genrelab-cli: the batch face of GenreLab. Parsing and wiring only; the work is in cli_commands.cpp.
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli_commands.h"
#include "cli_protocol.h"
#include "ml/model_presets.h"
#include "util/allocator.h"
#include "util/progress.h"

namespace {

void on_interrupt(int) {
  // Lock-free atomic store: async-signal-safe. A second Ctrl-C kills the process the usual way.
  genrelab::cli::interrupt_token().cancel();
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

namespace {

/// One line per model preset: name, description and which data chose its defaults.
std::string preset_help() {
  std::string text;
  for (const auto& p : genrelab::ml::model_presets())
    text += "\n  " + p.name + ": " + p.description + " [defaults: " + p.defaults_from + "]";
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = genrelab::cli;
  CLI::App app{"GenreLab command-line tool: GTZAN-style feature extraction and analysis in batch"};
  app.set_version_flag("--version", std::string("genrelab-cli ") + GENRELAB_VERSION);
  app.require_subcommand(1);

  std::string info_path;
  bool info_json = false;
  auto* info = app.add_subcommand("info", "Describe an audio file or a dataset folder");
  info->add_option("path", info_path, "Audio file or dataset folder")->required();
  info->add_flag("--json", info_json, "Machine-readable output");

  cli::ExtractArgs extract_args;
  auto* extract = app.add_subcommand("extract", "Compute the 57 GTZAN features (librosa 0.7.2 recipe) into a Kaggle-format CSV");
  extract->add_option("inputs", extract_args.inputs, "Audio files or folders (<label>/<file> or Kaggle layout)")->required();
  extract->add_option("-o,--output", extract_args.output, "Output CSV (written atomically, with a .json sidecar)")->required();
  extract->add_option("--segment", extract_args.segment_seconds, "30: one row per clip; 3: one row per 3-second segment")
      ->check(CLI::IsMember({30, 3}));
  extract->add_option("-j,--jobs", extract_args.jobs, "Worker threads (default: all cores)");
  extract->add_option("--store", extract_args.store, "Feature store to reuse and resume from (default: <output>.sqlite)");
  extract->add_flag("!--no-store", extract_args.use_store, "Extract everything, keep no store");
  extract->add_option("--shard", extract_args.shard, "K/N: only shard K of N (1 <= K <= N), for clusters; combine with merge");
  extract->add_flag("--log-mel", extract_args.log_mel, "Also cache each file's log-mel spectrogram in the store (compressed)");
  extract->add_flag("--json", extract_args.json, "Machine-readable summary");

  cli::MergeArgs merge_args;
  auto* merge = app.add_subcommand("merge", "Combine the stores of a sharded extract (--shard K/N) into the table one run would write");
  merge->add_option("stores", merge_args.stores, "Shard stores (one per shard, any order)")->required();
  merge->add_option("-o,--output", merge_args.output, "Output CSV (written atomically, with a .json sidecar)")->required();
  merge->add_flag("--json", merge_args.json, "Machine-readable summary");

  std::vector<std::filesystem::path> tempo_files;
  bool tempo_json = false;
  auto* tempo = app.add_subcommand("tempo", "Tempo by librosa's estimator (the Kaggle column) and aubio's beat tracker, with beat times");
  tempo->add_option("files", tempo_files, "Audio files")->required();
  tempo->add_flag("--json", tempo_json, "Machine-readable output with beat times");

  std::string cmp_a, cmp_b;
  bool cmp_json = false;
  auto* compare = app.add_subcommand("compare-table", "Per-feature worst error between two feature tables (rows matched by filename)");
  compare->add_option("a", cmp_a, "Table to check")->required();
  compare->add_option("b", cmp_b, "Reference table")->required();
  compare->add_flag("--json", cmp_json, "Machine-readable output");

  cli::BenchArgs bench_args;
  auto* bench = app.add_subcommand("bench", "Benchmarks");
  bench->require_subcommand(1);
  auto* bench_extract = bench->add_subcommand("extract", "Real-time factor and per-block time of the feature extraction (one core)");
  bench_extract->add_option("--data", bench_args.data, "Dataset folder (default: GENRELAB_DATA or the shared GTZAN subset)");
  bench_extract->add_option("--clips", bench_args.clips, "Clips to time")->check(CLI::Range(1, 100000));
  bench_extract->add_option("--repeats", bench_args.repeats, "Passes over the clips")->check(CLI::Range(1, 1000));
  bench_extract->add_flag("--json", bench_args.json, "Machine-readable output");

  cli::BenchStoreArgs bench_store_args;
  auto* bench_store = bench->add_subcommand("store", "Reopen a generated collection through the feature store vs extracting it and reading its CSV");
  bench_store->add_option("--clips", bench_store_args.clips, "Generated clips (five synthetic genres)")->check(CLI::Range(5, 1000000));
  bench_store->add_option("--seconds", bench_store_args.seconds, "Length of each clip")->check(CLI::Range(1.0, 60.0));
  bench_store->add_option("--dir", bench_store_args.dir, "Where the collection is generated (kept and reused)");
  bench_store->add_option("-j,--jobs", bench_store_args.jobs, "Extraction threads (default: all cores)");
  bench_store->add_flag("--generate-only", bench_store_args.generate_only, "Only generate the collection (then time extract on it)");
  bench_store->add_flag("--json", bench_store_args.json, "Machine-readable output");

  cli::AnalyzeArgs analyze_args;
  auto* analyze = app.add_subcommand("analyze", "Redundancy filter, PCA explained variance and genre similarity of a feature table");
  analyze->add_option("table", analyze_args.table, "Feature table (Kaggle CSV layout)")->required();
  analyze->add_option("--threshold", analyze_args.threshold, "Drop a column when |r| with an earlier one is >= this (0, 1]");
  analyze->add_option("--filter-scope", analyze_args.filter_scope, "Columns the filter looks at (the study: non-mfcc)")
      ->check(CLI::IsMember({"non-mfcc", "all"}));
  analyze->add_option("--features", analyze_args.features, "Standardised columns for PCA and genre similarity")
      ->check(CLI::IsMember({"all", "mfcc", "non-mfcc"}));
  analyze->add_option("--components", analyze_args.components, "PCA components to print")->check(CLI::Range(1, 10000));
  analyze->add_flag("--json", analyze_args.json, "Machine-readable output");

  cli::BenchAnalyzeArgs bench_analyze_args;
  auto* bench_analyze = bench->add_subcommand("analyze", "Time the whole table analysis (KDE, correlation, filter, PCA, similarity) on one core");
  bench_analyze->add_option("--table", bench_analyze_args.table, "30-s feature table (default: features_30_sec.csv of the shared data)");
  bench_analyze->add_option("--rows", bench_analyze_args.rows, "Rows of the synthetic 3-s-like table")->check(CLI::Range(10, 1000000));
  bench_analyze->add_option("--repeats", bench_analyze_args.repeats, "Timed runs per table (median reported)")->check(CLI::Range(1, 1000));
  bench_analyze->add_flag("!--no-baseline", bench_analyze_args.baseline, "Skip the direct (naive) implementation");
  bench_analyze->add_flag("--json", bench_analyze_args.json, "Machine-readable output");

  cli::TrainArgs train_args;
  auto* train = app.add_subcommand("train", "Cross-validate a genre classifier on a feature table, then save it trained on all rows");
  train->add_option("table", train_args.table, "Feature table (Kaggle CSV layout)")->required();
  train->add_option("-o,--output", train_args.output, "Model bundle to write (.glmodel, written atomically)")->required();
  train->add_option("--model", train_args.model, "cnn1d (the study's CNN), mlp, logreg, rbf (RBF-kernel logistic regression), krr (kernel ridge classifier, closed form) or ensemble (of MLPs and rbf)")->check(CLI::IsMember({"cnn1d", "mlp", "logreg", "rbf", "krr", "ensemble"}));
  train->add_option("--members", train_args.ensemble_members, "ensemble: number of MLP members")->check(CLI::Range(1, 64));
  train->add_option("--rbf-members", train_args.ensemble_rbf_members, "ensemble: number of rbf members besides the MLPs")->check(CLI::Range(0, 64));
  train->add_option("--rbf-features", train_args.rbf_features, "rbf: random Fourier features")->check(CLI::Range(16, 65536));
  train->add_option("--rbf-gamma", train_args.rbf_gamma, "rbf, krr: the kernel's gamma on standardised inputs (0: 1 / features)")->check(CLI::Range(0.0, 100.0));
  train->add_option("--rbf-weight-decay", train_args.rbf_weight_decay, "rbf: L2 penalty of the layer over the random features")->check(CLI::Range(0.0, 1.0));
  train->add_option("--rbf-rate-factor", train_args.rbf_rate_factor, "rbf: learning rate of the layer over the random features, as a multiple of --learning-rate")->check(CLI::Range(1e-3, 1000.0));
  train->add_option("--krr-lambda", train_args.krr_lambda, "krr: ridge added to the kernel matrix's diagonal")->check(CLI::Range(1e-9, 1e6));
  train->add_option("--krr-trees", train_args.krr_trees, "krr: average with an extra-trees forest of this many trees (0: none)")->check(CLI::Range(0, 5000));
  train->add_option("--krr-gamma-factor", train_args.krr_gamma_factor, "krr with --rbf-gamma 0: gamma = this / features")->check(CLI::Range(1e-9, 100.0));
  train->add_flag("--krr-lda", train_args.krr_lda, "krr: average with a shrinkage linear discriminant analysis");
  train->add_option("--lda-shrinkage", train_args.lda_shrinkage, "krr --krr-lda: the LDA's covariance shrinkage")->check(CLI::Range(0.0, 1.0));
  train->add_flag("--log-variances", train_args.log_variances, "Feed the log of the *_var columns (before standardisation)");
  train->add_option("--preset", train_args.preset, "Train a leaderboard preset (its model, training loop and any search) instead of --model and its options:" + preset_help());
  train->add_option("--features", train_args.features, "all, filtered (the study's redundancy filter) or mfcc")
      ->check(CLI::IsMember({"all", "filtered", "mfcc"}));
  train->add_option("--folds", train_args.folds, "Stratified, grouped folds")->check(CLI::Range(2, 100));
  train->add_option("--epochs", train_args.epochs, "Epochs per fold")->check(CLI::Range(1, 100000));
  train->add_option("--batch-size", train_args.batch_size, "Mini-batch size")->check(CLI::Range(1, 1000000));
  train->add_option("--learning-rate", train_args.learning_rate, "Adam's initial rate, halved every 10 epochs (default 1e-3; logreg 1e-2)");
  train->add_option("--validation", train_args.validation, "Fraction of each training fold held out for early stopping (0 = none)")
      ->check(CLI::Range(0.0, 0.5));
  train->add_option("--patience", train_args.patience, "Epochs without a better validation loss before stopping")->check(CLI::Range(1, 100000));
  train->add_option("--lr-step", train_args.lr_step, "Epochs between learning-rate changes")->check(CLI::Range(1, 100000));
  train->add_option("--lr-gamma", train_args.lr_gamma, "Learning-rate factor per change (0.5: halve)")->check(CLI::Range(0.0, 1.0));
  train->add_option("--weight-decay", train_args.weight_decay, "L2 penalty (Adam's weight_decay)")->check(CLI::Range(0.0, 1.0));
  train->add_option("--input-noise", train_args.input_noise, "Std of Gaussian noise added to the standardised training inputs")->check(CLI::Range(0.0, 10.0));
  train->add_option("--conv-filters", train_args.conv1_filters, "cnn1d: filters of the first convolution");
  train->add_option("--conv2-filters", train_args.conv2_filters, "cnn1d: filters of the second convolution");
  train->add_option("--kernel", train_args.kernel_size, "cnn1d: convolution kernel size");
  train->add_option("--pool", train_args.pool_size, "cnn1d: max-pooling size");
  train->add_option("--dense-units", train_args.dense_units, "cnn1d: units of the hidden Dense layer");
  train->add_option("--hidden", train_args.hidden_units, "mlp: units of each hidden layer")->delimiter(',');
  train->add_option("--dropout", train_args.dropout, "Dropout after hidden Dense layers");
  train->add_option("--seed", train_args.seed, "Seed of folds, shuffles, weights and dropout");
  train->add_option("--threads", train_args.threads, "Threads in all: folds train at once (default: one per fold and final model, up to the core count)")->check(CLI::Range(1, 256));
  train->add_option("--report", train_args.report, "Also write the JSON report to this file");
  train->add_flag("--leaky", train_args.leaky, "Split rows at random instead of by track (segments of one track in training and test folds: optimistic, labelled \"leaky\")");
  add_protocol_options(*train, train_args.protocol);
  train->add_flag("--json", train_args.json, "Print the JSON report (progress lines go to stderr)");

  std::string eval_model, eval_table;
  bool eval_json = false;
  auto* evaluate = app.add_subcommand("evaluate", "Score a model bundle on a labelled feature table");
  evaluate->add_option("-m,--model", eval_model, "Model bundle (.glmodel)")->required();
  evaluate->add_option("table", eval_table, "Feature table (Kaggle CSV layout)")->required();
  evaluate->add_flag("--json", eval_json, "Machine-readable output");

  cli::CompareArgs compare_args;
  auto* compare_models = app.add_subcommand("compare", "Cross-validate several models under the same folds and print a leaderboard");
  compare_models->add_option("input", compare_args.input, "Feature table (Kaggle CSV layout) or audio folder (<label>/<file>; features are extracted first)")->required();
  compare_models->add_option("--models", compare_args.models, "Comma-separated presets (default: all table presets; cnn2d for audio folders):" + preset_help())->delimiter(',');
  compare_models->add_option("--features", compare_args.features, "all, filtered or mfcc")->check(CLI::IsMember({"all", "filtered", "mfcc"}));
  compare_models->add_option("--folds", compare_args.folds, "Stratified, grouped folds (the same for every model)")->check(CLI::Range(2, 100));
  compare_models->add_option("--segment", compare_args.segment_seconds, "Audio folder: rows of 30 s (one per clip) or 3 s")->check(CLI::IsMember({30, 3}));
  compare_models->add_option("--seed", compare_args.seed, "Seed of folds and weights");
  compare_models->add_option("--repeats", compare_args.repeats, "Repeated cross-validation: repeat r uses seed + r (other folds, other weights); means over every fold of every repeat")->check(CLI::Range(1, 100));
  compare_models->add_option("--threads", compare_args.threads, "Threads of each model's training (default: up to 2)")->check(CLI::Range(1, 256));
  compare_models->add_flag("--leaky", compare_args.leaky, "Split rows at random instead of by track (optimistic; labelled \"leaky\")");
  compare_models->add_option("--cnn2d-epochs", compare_args.cnn2d_epochs, "Epochs of cnn2d's training")->check(CLI::Range(1, 100000));
  add_protocol_options(*compare_models, compare_args.protocol);
  compare_models->footer("Audio folders also take --models ...,cnn2d: the 2-D log-mel CNN trained from the audio under the same track folds (its accuracy counts held-out tracks).");
  compare_models->add_flag("--json", compare_args.json, "Print the leaderboard as JSON (progress goes to stderr)");

  cli::TrainAudioArgs train_audio_args;
  auto* train_audio = app.add_subcommand("train-audio", "Cross-validate the 2-D log-mel CNN (cnn2d) on an audio folder with track-grouped folds and track voting");
  train_audio->add_option("folder", train_audio_args.folder, "Audio folder (<label>/<file> or Kaggle layout)")->required();
  train_audio->add_option("-o,--output", train_audio_args.output, "Also train on every track and save the model bundle (.glmodel, written atomically)");
  train_audio->add_option("--folds", train_audio_args.folds, "Stratified folds, grouped by track")->check(CLI::Range(2, 100));
  train_audio->add_option("--epochs", train_audio_args.epochs, "Epochs per fold")->check(CLI::Range(1, 100000));
  train_audio->add_option("--crops", train_audio_args.crops, "Random training patches per training track (and per audio copy)")->check(CLI::Range(1, 1000));
  train_audio->add_option("--copies", train_audio_args.copies, "Pitch-shifted (+-2 semitones) and time-stretched (x1.1) audio copies per training track")->check(CLI::Range(0, 16));
  train_audio->add_option("--patch-frames", train_audio_args.patch_frames, "Frames per patch (hop 512 at 22050 Hz; 130 = 3 s)")->check(CLI::Range(8, 4096));
  train_audio->add_option("--channels", train_audio_args.channels, "Filters of the first convolution (then 2x and 4x)")->check(CLI::Range(1, 256));
  train_audio->add_option("--dense-units", train_audio_args.dense_units, "Units of the hidden Dense layer")->check(CLI::Range(1, 65536));
  train_audio->add_option("--batch-size", train_audio_args.batch_size, "Mini-batch size")->check(CLI::Range(1, 1000000));
  train_audio->add_option("--cache", train_audio_args.cache_dir, "Folder keeping the log-mel spectrograms between runs");
  train_audio->add_option("--seed", train_audio_args.seed, "Seed of folds, crops, augmentation and weights");
  train_audio->add_option("--threads", train_audio_args.threads, "Compute threads (default: up to 2)")->check(CLI::Range(1, 256));
  add_protocol_options(*train_audio, train_audio_args.protocol);
  train_audio->add_flag("--json", train_audio_args.json, "Print the report as JSON (progress goes to stderr)");

  cli::PredictArgs predict_args;
  auto* predict = app.add_subcommand("predict", "Classify songs (any length, mp3/flac/ogg/wav) with a model bundle, or without one with the "
                                                "dataset's recommended model (trained once, then cached)");
  predict->add_option("-m,--model", predict_args.model,
                      "Model bundle (.glmodel). Without it: the recommended model (krr_lda) of --table or of the default "
                      "dataset (GENRELAB_DATA, the shared GTZAN subset, else the demo dataset), loaded from the user's "
                      "cache or trained and cached there");
  predict->add_option("--table", predict_args.table, "Without -m: the feature table to train the recommended model on");
  predict->add_option("--data", predict_args.data, "Without -m: the dataset folder whose table (or audio) trains it");
  predict->add_option("inputs", predict_args.inputs, "Audio files or folders")->required();
  predict->add_option("--window", predict_args.window_s, "Window in seconds (default: the model's training unit, 30 or 3)")
      ->check(CLI::Range(0.1, 3600.0));
  predict->add_option("--hop", predict_args.hop_s, "Seconds between windows (default: half a window)")->check(CLI::Range(0.01, 3600.0));
  predict->add_option("--aggregate", predict_args.aggregate, "mean (of probabilities) or vote (majority of windows)")
      ->check(CLI::IsMember({"mean", "vote"}));
  predict->add_option("-j,--jobs", predict_args.jobs, "Worker threads (default: all cores)");
  predict->add_flag("--json", predict_args.json, "JSON array with per-window timelines");

  cli::SimilarArgs similar_args;
  auto* similar = app.add_subcommand("similar", "The tracks of a feature table most similar to songs (cosine of standardised features)");
  similar->add_option("inputs", similar_args.inputs, "Audio files or folders")->required();
  similar->add_option("--table", similar_args.table, "Feature table (default: features_30_sec.csv of GENRELAB_DATA or the shared data)");
  similar->add_option("--top", similar_args.top, "Rows per ranking")->check(CLI::Range(1, 1000000));
  similar->add_option("--window-seconds", similar_args.window_s, "Window of a long song (a song up to 2% longer is one window; at least half a window needed)")->check(CLI::Range(1.0, 3600.0));
  similar->add_flag("--exclude-self", similar_args.exclude_self, "Leave out table rows of the song's own track id (from its file name)");
  similar->add_option("-j,--jobs", similar_args.jobs, "Worker threads for a song's windows (default: all cores)");
  similar->add_flag("--json", similar_args.json, "JSON with the per-window rankings");

  cli::BenchTrainArgs bench_train_args;
  auto* bench_train = bench->add_subcommand("train", "Time the 5-fold x 50-epoch cnn1d against the same model and folds in PyTorch for Python");
  bench_train->add_option("--table", bench_train_args.table, "Feature table (default: features_30_sec.csv of the shared data)");
  bench_train->add_option("--threads", bench_train_args.threads, "Compute threads of both sides")->check(CLI::Range(1, 256));
  bench_train->add_option("--folds", bench_train_args.folds, "Folds")->check(CLI::Range(2, 100));
  bench_train->add_option("--epochs", bench_train_args.epochs, "Epochs per fold")->check(CLI::Range(1, 100000));
  bench_train->add_option("--seed", bench_train_args.seed, "Seed");
  bench_train->add_option("--repeats", bench_train_args.repeats, "Timed runs of each side (the fastest counts)")->check(CLI::Range(1, 100));
  bench_train->add_option("--python", bench_train_args.python, "Python interpreter with torch (Debian: /usr/bin/python3)");
  bench_train->add_option("--script", bench_train_args.script, "Baseline script (default: tests/bench/train_cnn1d.py)");
  bench_train->add_flag("!--no-python", bench_train_args.python_run, "Time GenreLab only");
  bench_train->add_flag("--json", bench_train_args.json, "Machine-readable output");

#ifdef GENRELAB_WITH_EXPORT
  cli::ExportArgs export_args;
  auto* exporter = app.add_subcommand("export", "Write a figure of the GUI (KDE, correlation, PCA, similarity, mel spectrogram) as PNG, SVG or PDF");
  exporter->add_option("table", export_args.table, "Feature table (kde, correlation, pca, similarity)");
  exporter->add_option("--figure", export_args.figure, "kde, correlation, pca, similarity or mel")
      ->check(CLI::IsMember({"kde", "correlation", "pca", "similarity", "mel"}));
  exporter->add_option("--feature", export_args.feature, "kde: feature name, or 'all' for the grid of every feature");
  exporter->add_option("--features", export_args.features, "pca/similarity: all, mfcc or non-mfcc")
      ->check(CLI::IsMember({"all", "mfcc", "non-mfcc"}));
  exporter->add_option("--threshold", export_args.threshold, "correlation: redundancy threshold to mark")->check(CLI::Range(0.01, 1.0));
  exporter->add_flag("--tracks", export_args.tracks, "similarity: track x track instead of genre x genre");
  exporter->add_option("--audio", export_args.audio, "mel: the audio file");
  exporter->add_option("--dpi", export_args.dpi, "PNG resolution")->check(CLI::Range(10.0, 2400.0));
  exporter->add_option("-o,--output", export_args.output, "Output file (.png, .svg or .pdf), written atomically")->required();
  exporter->add_flag("--json", export_args.json, "Machine-readable output");
#endif

  CLI11_PARSE(app, argc, argv);
  genrelab::tune_allocator_for_batch_work();
  std::signal(SIGINT, on_interrupt);

  // Commands report the errors they expect per file; anything else (e.g. libtorch that cannot be
  // loaded) ends the run with its message instead of std::terminate.
  try {
    if (*info) return cli::cmd_info(info_path, info_json);
    if (*extract) return cli::cmd_extract(extract_args);
    if (*merge) return cli::cmd_merge(merge_args);
    if (*tempo) return cli::cmd_tempo(tempo_files, tempo_json);
    if (*compare) return cli::cmd_compare_table(cmp_a, cmp_b, cmp_json);
    if (*bench_extract) return cli::cmd_bench_extract(bench_args);
    if (*bench_store) return cli::cmd_bench_store(bench_store_args);
#ifdef GENRELAB_WITH_EXPORT
    if (*exporter) return cli::cmd_export(export_args);
#endif
    if (*analyze) return cli::cmd_analyze(analyze_args);
    if (*bench_analyze) return cli::cmd_bench_analyze(bench_analyze_args);
    if (*train) return cli::cmd_train(train_args);
    if (*compare_models) return cli::cmd_compare_models(compare_args);
    if (*evaluate) return cli::cmd_evaluate(eval_model, eval_table, eval_json);
    if (*predict) return cli::cmd_predict(predict_args);
    if (*similar) return cli::cmd_similar(similar_args);
    if (*train_audio) return cli::cmd_train_audio(train_audio_args);
    if (*bench_train) return cli::cmd_bench_train(bench_train_args);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

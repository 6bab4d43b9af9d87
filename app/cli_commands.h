// The genrelab-cli subcommands (argument parsing lives in cli_main.cpp). Each returns the exit code.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace genrelab {
class CancelToken;
}

namespace genrelab::cli {

/// Set by the SIGINT handler; long commands stop at the next unit of work.
CancelToken& interrupt_token();

int cmd_info(const std::filesystem::path& path, bool json);

struct ExtractArgs {
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path output;
  int segment_seconds = 30;  // 30 = one row per clip, 3 = one row per 3-s segment
  unsigned jobs = 0;
  std::filesystem::path store;  // feature store (default: <output>.sqlite beside the output)
  bool use_store = true;        // false: --no-store
  std::string shard;            // "K/N": only shard K of N (empty: all files)
  bool log_mel = false;         // also cache log-mel spectrograms in the store
  bool json = false;
};
int cmd_extract(const ExtractArgs& args);

struct MergeArgs {
  std::vector<std::filesystem::path> stores;  // the shard stores of one sharded extract run
  std::filesystem::path output;
  bool json = false;
};
/// Combines shard stores into the table (and sidecar) a single extract run would have written.
int cmd_merge(const MergeArgs& args);

/// Tempo of each file by two estimators: librosa's (the Kaggle `tempo` column) and aubio's beat tracker.
int cmd_tempo(const std::vector<std::filesystem::path>& files, bool json);

int cmd_compare_table(const std::filesystem::path& a, const std::filesystem::path& b, bool json);

struct BenchArgs {
  std::filesystem::path data;  // dataset folder (default: the shared GTZAN subset)
  int clips = 10;
  int repeats = 3;
  bool json = false;
};
int cmd_bench_extract(const BenchArgs& args);

struct BenchStoreArgs {
  std::filesystem::path dir;  // generated collection (default: <temp>/genrelab-bench-store-<clips>x<seconds>s)
  int clips = 1000;
  double seconds = 3.0;
  unsigned jobs = 0;
  bool generate_only = false;  // only write the collection (to time `extract` on it by hand)
  bool json = false;
};
/// Reopening an extracted collection through the feature store, against extracting it and against
/// reading its CSV; content-hash cost against decoding.
int cmd_bench_store(const BenchStoreArgs& args);

// analyze and bench analyze live in cli_analyze.cpp.
struct AnalyzeArgs {
  std::filesystem::path table;
  double threshold = 0.8;
  std::string filter_scope = "non-mfcc";  // non-mfcc | all
  std::string features = "all";           // all | mfcc | non-mfcc: columns for PCA and similarity
  int components = 5;                     // PCA components printed
  bool json = false;
};
/// Redundancy filter, PCA explained variance and genre x genre similarity of a feature table.
int cmd_analyze(const AnalyzeArgs& args);

struct BenchAnalyzeArgs {
  std::filesystem::path table;  // 30-s table (default: features_30_sec.csv of the default dataset)
  int rows = 10000;             // rows of the synthetic table derived from it
  int repeats = 5;
  bool baseline = true;  // also time the direct (naive) implementation once per table
  bool json = false;
};
/// Times the whole analysis (KDE of every feature, correlation, filter, scaler, PCA, similarity).
int cmd_bench_analyze(const BenchAnalyzeArgs& args);

/// The evaluation protocol beyond plain track-grouped folds (train, compare, train-audio).
struct ProtocolArgs {
  std::string split;            // built-in split name ("fault-filtered") or a folder of train/valid/test.txt
  bool rotate = false;          // each part of the split held out in turn
  std::filesystem::path groups; // CSV file,<group>: folds keep each group on one side
};

// train, evaluate and bench train live in cli_train.cpp (the only CLI file that uses genrelab_ml).
struct TrainArgs {
  std::filesystem::path table;
  std::filesystem::path output;  // model bundle (.glmodel)
  std::filesystem::path report;  // optional JSON report
  std::string model = "cnn1d";   // cnn1d | mlp | logreg
  std::string features = "all";  // all | filtered | mfcc
  int folds = 5;
  int epochs = 50;
  int batch_size = 32;
  std::optional<double> learning_rate;  // default: ml::default_training(model)
  double validation = 0.0;  // fraction of each training fold held out for early stopping
  int patience = 10;
  int lr_step = 10;          // epochs between learning-rate changes
  double lr_gamma = 0.5;     // factor per change
  double weight_decay = 0.0;
  double input_noise = 0.0;  // std of Gaussian noise on standardised training inputs
  // Architecture (defaults: ml::ModelParams).
  int conv1_filters = 64;
  int conv2_filters = 64;
  int kernel_size = 3;
  int pool_size = 2;
  int dense_units = 128;
  std::vector<int> hidden_units = {256, 128};
  double dropout = 0.3;
  unsigned long long seed = 42;
  int threads = 0;  // 0 = the default (kDefaultTrainThreads)
  int ensemble_members = 5;
  int ensemble_rbf_members = 0;
  int rbf_features = 4096;
  double rbf_gamma = 0.0;  // 0: 1 / features
  double rbf_weight_decay = 1e-4;
  double rbf_rate_factor = 1.0;
  double krr_lambda = 0.1;
  int krr_trees = 0;
  double krr_gamma_factor = 1.0;  // with --rbf-gamma 0: gamma = factor / features
  bool krr_lda = false;
  double lda_shrinkage = 0.1;
  bool log_variances = false;
  std::string preset;  // a leaderboard preset (model, training loop, search) instead of --model and its options
  bool leaky = false;  // random split of rows (segments of one track in training and test folds)
  ProtocolArgs protocol;
  bool json = false;
};
/// Cross-validates a model on a feature table, trains it on all rows and saves the bundle.
int cmd_train(const TrainArgs& args);

struct CompareArgs {
  std::filesystem::path input;      // feature table (.csv) or audio folder
  std::vector<std::string> models;  // preset names; empty = all (ml::model_preset_names())
  std::string features = "all";
  int folds = 5;
  int segment_seconds = 30;         // audio folder: 30 (one row per clip) or 3 (3-s rows)
  unsigned long long seed = 42;
  int repeats = 1;                  // repeated cross-validation: seeds seed .. seed + repeats - 1
  int cnn2d_epochs = 20;            // cnn2d's epochs (audio folders)
  int threads = 0;                  // 0 = min(cores, 2)
  bool leaky = false;
  ProtocolArgs protocol;
  bool json = false;
};
/// Cross-validates several models under the same folds and prints the leaderboard.
int cmd_compare_models(const CompareArgs& args);

// train-audio lives in cli_audio.cpp.
struct TrainAudioArgs {
  std::filesystem::path folder;     // audio folder (<label>/<file> or Kaggle layout)
  std::filesystem::path cache_dir;  // log-mel cache folder; empty = memory only
  std::filesystem::path output;     // model bundle of a final cnn2d trained on every track; empty = none
  int folds = 5;
  int epochs = 20;
  int crops = 8;                    // training patches per training track (and per audio copy)
  int copies = 0;                   // pitch-shifted/time-stretched audio copies per training track
  int patch_frames = 130;           // frames per patch (130 x hop 512 at 22050 Hz: about 3 s)
  int channels = 16;                // filters of the first convolution (then 2x, 4x)
  int dense_units = 128;
  int batch_size = 32;
  unsigned long long seed = 42;
  int threads = 0;                  // 0 = min(cores, 2)
  ProtocolArgs protocol;
  bool json = false;
};
/// Cross-validates the 2-D log-mel CNN on an audio folder (track-grouped folds, track voting);
/// with an output path, then trains it on every track and saves the bundle.
int cmd_train_audio(const TrainAudioArgs& args);

/// Scores a model bundle on a labelled feature table.
int cmd_evaluate(const std::filesystem::path& model, const std::filesystem::path& table, bool json);

struct BenchTrainArgs {
  std::filesystem::path table;   // default: features_30_sec.csv of the default dataset
  std::filesystem::path script;  // default: tests/bench/train_cnn1d.py of the source tree
  std::string python = "/usr/bin/python3";
  int threads = 2;
  int folds = 5;
  int epochs = 50;
  unsigned long long seed = 42;
  int repeats = 1;       // timed runs of each side (the fastest counts)
  bool python_run = true;  // false: time GenreLab only
  bool json = false;
};
/// Times GenreLab's 5-fold x 50-epoch cnn1d against the same model, folds and batch size in
/// PyTorch for Python, and prints the ratio.
int cmd_bench_train(const BenchTrainArgs& args);

// predict lives in cli_predict.cpp.
struct PredictArgs {
  std::filesystem::path model;                // model bundle (.glmodel); empty = the recommended model
  std::filesystem::path table;                // without a model: train the recommended one on this table
  std::filesystem::path data;                 // without a model or table: this dataset folder
  std::vector<std::filesystem::path> inputs;  // audio files or folders
  double window_s = 0.0;                      // 0 = the model's training unit (30-s clip or 3-s segment)
  double hop_s = 0.0;                         // 0 = half a window
  std::string aggregate = "mean";             // mean | vote
  unsigned jobs = 0;
  bool json = false;
};
/// Classifies songs with a model bundle: a table per song, or JSON with per-window timelines.
int cmd_predict(const PredictArgs& args);

// similar lives in cli_similar.cpp.
struct SimilarArgs {
  std::vector<std::filesystem::path> inputs;  // audio files or folders
  std::filesystem::path table;                // default: features_30_sec.csv of the default dataset
  int top = 10;
  double window_s = 30.0;  // songs longer than one window are cut into windows of this length
  bool exclude_self = false;  // skip table rows of the song's own track id
  unsigned jobs = 0;
  bool json = false;
};
/// The table rows nearest to each song by cosine similarity of standardised features.
int cmd_similar(const SimilarArgs& args);

// export lives in cli_export.cpp (the only CLI file that uses Qt).
struct ExportArgs {
  std::filesystem::path table;   // feature table (kde, correlation, pca, similarity)
  std::filesystem::path audio;   // audio file (mel)
  std::filesystem::path output;  // .png, .svg or .pdf
  std::string figure = "kde";    // kde | correlation | pca | similarity | mel
  std::string feature;           // kde: feature name, or "all" for the grid (default: the first)
  std::string features = "all";  // pca/similarity subset: all | mfcc | non-mfcc
  double threshold = 0.8;        // correlation: redundancy filter threshold marked on the heatmap
  bool tracks = false;           // similarity: track x track instead of genre x genre
  double dpi = 150;
  bool json = false;
};
/// Writes one of the GUI's figures to a file, headless.
int cmd_export(const ExportArgs& args);

}  // namespace genrelab::cli

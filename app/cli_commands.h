// The genrelab-cli subcommands (argument parsing lives in cli_main.cpp). Each returns the exit code.
#pragma once

#include <filesystem>
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
  bool json = false;
};
int cmd_extract(const ExtractArgs& args);

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

}  // namespace genrelab::cli

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

}  // namespace genrelab::cli

// The CLI's ProgressSink: a redrawn progress bar on a terminal, plain lines otherwise.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

#include "util/progress.h"

namespace genrelab::cli {

class TerminalProgress final : public ProgressSink {
 public:
  /// `label` prefixes every line; output goes to stderr. Quiet sinks print nothing.
  explicit TerminalProgress(std::string label, bool quiet = false);
  ~TerminalProgress() override;
  void report(double fraction, std::string_view message) override;
  /// Ends the bar's line (on a terminal).
  void finish();

 private:
  std::string label_;
  bool quiet_;
  bool tty_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_, last_;
  int last_percent_ = -1;
  bool open_line_ = false;
};

}  // namespace genrelab::cli

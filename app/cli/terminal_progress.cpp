#include "terminal_progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace genrelab::cli {

TerminalProgress::TerminalProgress(std::string label, bool quiet)
    : label_(std::move(label)), quiet_(quiet), tty_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

TerminalProgress::~TerminalProgress() { finish(); }

void TerminalProgress::report(double fraction, std::string_view message) {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const int percent = static_cast<int>(std::floor(std::clamp(fraction, 0.0, 1.0) * 100.0));
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (tty_) {
    if (now - last_ < std::chrono::milliseconds(100) && fraction < 1.0) return;
    last_ = now;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::string msg(message.substr(0, 40));
    std::fprintf(stderr, "\r%s [%s] %3d%% %6.1fs %-40s", label_.c_str(), bar.c_str(), percent, elapsed, msg.c_str());
    open_line_ = true;
  } else {
    // Plain lines for logs: every 10 % and at most one per second, plus the last.
    if (percent / 10 == last_percent_ / 10 && fraction < 1.0) return;
    if (now - last_ < std::chrono::seconds(1) && fraction < 1.0 && last_percent_ >= 0) return;
    last_ = now;
    std::fprintf(stderr, "%s: %d%% (%.1fs) %.*s\n", label_.c_str(), percent, elapsed, static_cast<int>(message.size()),
                 message.data());
  }
  last_percent_ = percent;
  std::fflush(stderr);
}

void TerminalProgress::finish() {
  std::lock_guard lock(mutex_);
  if (open_line_) std::fputc('\n', stderr);
  open_line_ = false;
}

}  // namespace genrelab::cli

#include "util/progress.h"

#include <algorithm>

#include "util/error.h"

namespace genrelab {

void CancelToken::check() const {
  if (cancelled()) throw Cancelled();
}

void StageProgress::report(double fraction, std::string_view message) {
  out_.report(begin_ + (end_ - begin_) * std::clamp(fraction, 0.0, 1.0), prefix_ + std::string(message));
}

RateLimitedProgress::RateLimitedProgress(Callback callback, std::chrono::milliseconds interval)
    : callback_(std::move(callback)), interval_(interval) {}

void RateLimitedProgress::report(double fraction, std::string_view message) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    const bool due = first_ || fraction >= 1.0 || now - last_ >= interval_ || message != last_message_;
    if (!due) return;
    first_ = false;
    last_ = now;
    last_message_ = message;
  }
  callback_(fraction, message);
}

void ProgressCounter::step(std::string_view message) {
  const std::size_t done = done_.fetch_add(1) + 1;
  sink_.report(total_ == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_), message);
}

void ProgressCounter::report(std::string_view message) {
  const std::size_t done = done_.load();
  sink_.report(total_ == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_), message);
}

}  // namespace genrelab

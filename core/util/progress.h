// Progress reporting and cancellation for long work in core. No Qt: the GUI adapts these to
// signals, the CLI to a terminal progress bar.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace genrelab {

/// Set from any thread to ask a running job to stop; the job checks it between units of work
/// and throws Cancelled. Thread-safe.
class CancelToken {
 public:
  void cancel() noexcept { flag_.store(true, std::memory_order_relaxed); }
  void reset() noexcept { flag_.store(false, std::memory_order_relaxed); }
  bool cancelled() const noexcept { return flag_.load(std::memory_order_relaxed); }
  /// Throws Cancelled when cancel() was called.
  void check() const;

 private:
  std::atomic<bool> flag_{false};
};

/// Receives progress as a fraction in [0, 1] and a short message. Implementations must be
/// thread-safe: jobs may report from worker threads.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void report(double fraction, std::string_view message) = 0;
};

/// A sink that drops everything.
class NullProgress final : public ProgressSink {
 public:
  void report(double, std::string_view) override {}
};

/// Forwards to a callback at most once per `interval` (first, last (fraction >= 1) and message
/// changes always pass). Thread-safe; the callback runs on the reporting thread.
class RateLimitedProgress final : public ProgressSink {
 public:
  using Callback = std::function<void(double fraction, std::string_view message)>;
  explicit RateLimitedProgress(Callback callback, std::chrono::milliseconds interval = std::chrono::milliseconds(200));
  void report(double fraction, std::string_view message) override;

 private:
  Callback callback_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
  std::string last_message_;
  bool first_ = true;
};

/// One stage of a longer job: maps the stage's progress [0, 1] into [begin, end] of the whole job
/// and puts `prefix` before its messages. Thread-safe when `out` is.
class StageProgress final : public ProgressSink {
 public:
  StageProgress(ProgressSink& out, double begin, double end, std::string prefix = {})
      : out_(out), begin_(begin), end_(end), prefix_(std::move(prefix)) {}
  void report(double fraction, std::string_view message) override;

 private:
  ProgressSink& out_;
  double begin_, end_;
  std::string prefix_;
};

/// Counts finished units of a job of known size and reports done/total to a sink. Thread-safe.
class ProgressCounter {
 public:
  /// `done`: units already finished before counting starts (e.g. reused from a cache).
  ProgressCounter(ProgressSink& sink, std::size_t total, std::size_t done = 0)
      : sink_(sink), total_(total), done_(done) {}
  /// Marks one unit done and reports "<message>".
  void step(std::string_view message);
  /// Reports the current fraction with "<message>" without counting a unit.
  void report(std::string_view message);

 private:
  ProgressSink& sink_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0};
};

}  // namespace genrelab

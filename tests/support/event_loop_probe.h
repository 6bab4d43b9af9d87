// Measures GUI event-loop latency: a 5 ms timer records the gaps between its ticks while work
// runs; worst and p99 are what a user feels as stalls. Qt tests only.
#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <vector>

namespace genrelab::test {

class EventLoopProbe {
 public:
  EventLoopProbe() {
    tick_.setInterval(5);
    QObject::connect(&tick_, &QTimer::timeout, [this] {
      const qint64 now = clock_.nsecsElapsed();
      if (last_) gaps_.push_back(static_cast<double>(now - last_) / 1e6);
      last_ = now;
    });
  }
  void start() {
    clock_.start();
    tick_.start();
  }
  /// Stops and sorts the gaps (ms).
  void stop() {
    tick_.stop();
    std::sort(gaps_.begin(), gaps_.end());
  }
  std::size_t ticks() const { return gaps_.size(); }
  double worst() const { return gaps_.empty() ? 0.0 : gaps_.back(); }
  double p99() const { return gaps_.empty() ? 0.0 : gaps_[gaps_.size() * 99 / 100]; }

 private:
  QTimer tick_;
  QElapsedTimer clock_;
  qint64 last_ = 0;
  std::vector<double> gaps_;
};

}  // namespace genrelab::test

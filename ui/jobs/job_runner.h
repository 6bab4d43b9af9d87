// Runs core work on a worker thread and hands results back to the GUI thread by value.
// The core sees a ProgressSink and a CancelToken; the GUI sees queued signals. Never blocks the
// GUI thread.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <functional>
#include <memory>

#include "util/progress.h"

namespace genrelab::ui {

/// Emits progress from any thread as a queued signal (rate-limited to ~10 per second).
class QtProgressSink final : public QObject, public ProgressSink {
  Q_OBJECT
 public:
  explicit QtProgressSink(QObject* parent = nullptr);
  void report(double fraction, std::string_view message) override;
 Q_SIGNALS:
  void progressed(double fraction, const QString& message);

 private:
  RateLimitedProgress limiter_;
};

/// One background job: `work` runs on its own QThread and returns a result or throws; the
/// succeeded/failed signal is delivered on the GUI thread. The job deletes itself after ended().
class Job : public QObject {
  Q_OBJECT
 public:
  using Work = std::function<std::function<void()>(ProgressSink&, const CancelToken&)>;
  /// `work` returns a continuation that the GUI thread runs with the result (captured by value).
  static Job* start(const QString& title, Work work);
  const QString& title() const { return title_; }
  void cancel() { cancel_.cancel(); }
  bool cancelled() const { return cancel_.cancelled(); }
  /// For shutdown only: cancels and waits for the worker thread to return.
  void cancel_and_wait();
  /// For the owner's destructor: cancels, waits for the worker thread and deletes the job, so a
  /// result not yet delivered is dropped (its continuation may point into the dying owner).
  void abandon();
  /// True once the work has returned (its result is being delivered or was delivered).
  bool done() const { return done_; }

 Q_SIGNALS:
  void progressed(double fraction, const QString& message);
  void succeeded();
  void failed(const QString& message);
  void ended();

 private:
  explicit Job(QString title);
  QString title_;
  QThread* thread_ = nullptr;
  bool done_ = false;  // GUI thread only
  CancelToken cancel_;
  QtProgressSink* sink_;
};

}  // namespace genrelab::ui

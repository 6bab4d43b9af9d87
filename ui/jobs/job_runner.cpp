#include "ui/jobs/job_runner.h"

#include <QMetaObject>

#include "util/error.h"

namespace genrelab::ui {

QtProgressSink::QtProgressSink(QObject* parent)
    : QObject(parent), limiter_(
                           [this](double f, std::string_view m) {
                             Q_EMIT progressed(f, QString::fromUtf8(m.data(), static_cast<qsizetype>(m.size())));
                           },
                           std::chrono::milliseconds(100)) {}

void QtProgressSink::report(double fraction, std::string_view message) { limiter_.report(fraction, message); }

Job::Job(QString title) : QObject(nullptr), title_(std::move(title)), sink_(new QtProgressSink(this)) {
  connect(sink_, &QtProgressSink::progressed, this, &Job::progressed, Qt::QueuedConnection);
}

void Job::cancel_and_wait() {
  cancel_.cancel();
  if (thread_) thread_->wait();
}

void Job::abandon() {
  cancel_and_wait();
  delete this;  // removes the queued delivery with the object
}

Job* Job::start(const QString& title, Work work) {
  auto* job = new Job(title);
  QThread* thread = QThread::create([job, work = std::move(work)] {
    std::function<void()> deliver;
    QString error;
    try {
      deliver = work(*job->sink_, job->cancel_);
    } catch (const Cancelled&) {
      error = QObject::tr("cancelled");
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(
        job,
        [job, deliver = std::move(deliver), error] {
          job->done_ = true;
          if (deliver) {
            deliver();
            Q_EMIT job->succeeded();
          } else {
            Q_EMIT job->failed(error);
          }
          Q_EMIT job->ended();
          job->thread_->wait();
          job->deleteLater();
        },
        Qt::QueuedConnection);
  });
  thread->setParent(job);  // deleted with the job, after the thread has returned
  job->thread_ = thread;
  thread->start();
  return job;
}

}  // namespace genrelab::ui

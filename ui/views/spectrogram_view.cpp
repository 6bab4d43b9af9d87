#include "ui/views/spectrogram_view.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "ui/jobs/job_runner.h"
#include "ui/plot/axes.h"
#include "ui/views/export_menu.h"

namespace genrelab::ui {

SpectrogramView::SpectrogramView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setMinimumSize(480, 320);
  setFocusPolicy(Qt::ClickFocus);
}

SpectrogramView::~SpectrogramView() {
  if (job_) job_->abandon();
}

void SpectrogramView::loadTrack(const QString& path) {
  pending_ = path;
  if (job_) job_->cancel();
  auto* job = Job::start(tr("Spectrogram"), [this, path, params = params_](ProgressSink&, const CancelToken&) {
    auto pic = compute_track_picture(path, params);
    return std::function<void()>([this, path, pic = std::move(pic)]() mutable {
      if (path == pending_) setPicture(std::move(pic));  // a newer track may have been chosen
    });
  });
  connect(job, &Job::failed, this, [this, path](const QString& message) {
    if (path == pending_) Q_EMIT loadFailed(message);
  });
  job_ = job;
}

void SpectrogramView::setPicture(TrackPicture picture) {
  SpectrogramFigure::setPicture(std::move(picture));
  update();
  Q_EMIT pictureReady();
}

void SpectrogramView::setVisibleRange(double t0, double t1) {
  SpectrogramFigure::setVisibleRange(t0, t1);
  update();
}

void SpectrogramView::setPlayhead(double seconds) {
  setPlayheadPosition(seconds);
  update();
}

void SpectrogramView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  paintFigure(p, rect());
  if (!picture_ || hover_.x() < 0) return;
  const Layout l = figureLayout(rect());
  if (!l.mel.contains(hover_)) return;
  // Read-out: time, frequency and level of the cell under the cursor.
  const Scale xs{t0_, t1_, l.mel.left(), l.mel.right()};
  const int bands = picture_->mel.db.n_bins;
  const Scale yb{-0.5, bands - 0.5, l.mel.bottom(), l.mel.top()};
  const double t = xs.unmap(hover_.x());
  const double band = yb.unmap(hover_.y());
  const int frame = std::clamp(static_cast<int>(t / picture_->mel.seconds_per_frame), 0, picture_->mel.db.n_frames - 1);
  const int b = std::clamp(static_cast<int>(std::lround(band)), 0, bands - 1);
  const QString text = tr("%1 s   %2 Hz   %3 dB")
                           .arg(t, 0, 'f', 2)
                           .arg(hzOfBand(band), 0, 'f', 0)
                           .arg(picture_->mel.db.at(b, frame), 0, 'f', 1);
  p.setFont(figure_font(12));
  const QRectF box(l.mel.left() + 6, l.mel.top() + 6, 230, 20);
  p.fillRect(box, QColor(255, 255, 255, 215));
  p.setPen(Qt::black);
  p.drawText(box, Qt::AlignCenter, text);
}

void SpectrogramView::wheelEvent(QWheelEvent* event) {
  if (!picture_) return;
  const Layout l = figureLayout(rect());
  const Scale xs{t0_, t1_, l.mel.left(), l.mel.right()};
  const double at = xs.unmap(event->position().x());
  const double factor = std::pow(0.8, event->angleDelta().y() / 120.0);
  setVisibleRange(at - (at - t0_) * factor, at + (t1_ - at) * factor);
  event->accept();
}

void SpectrogramView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || !picture_) return;
  dragging_ = true;
  drag_start_ = event->position();
  drag_t0_ = t0_;
}

void SpectrogramView::mouseMoveEvent(QMouseEvent* event) {
  hover_ = event->position();
  if (dragging_ && picture_) {
    const Layout l = figureLayout(rect());
    const double dt = (event->position().x() - drag_start_.x()) / l.mel.width() * (t1_ - t0_);
    setVisibleRange(drag_t0_ - dt, drag_t0_ - dt + (t1_ - t0_));
  }
  update();
}

void SpectrogramView::mouseReleaseEvent(QMouseEvent* event) {
  if (!dragging_) return;
  dragging_ = false;
  if ((event->position() - drag_start_).manhattanLength() < 3 && picture_) {  // a click, not a drag
    const Layout l = figureLayout(rect());
    const Scale xs{t0_, t1_, l.mel.left(), l.mel.right()};
    if (event->position().x() >= l.mel.left() && event->position().x() <= l.mel.right())
      Q_EMIT timeClicked(xs.unmap(event->position().x()));
  }
}

void SpectrogramView::mouseDoubleClickEvent(QMouseEvent*) {
  if (picture_) setVisibleRange(0, picture_->duration_s);
}

void SpectrogramView::leaveEvent(QEvent*) {
  hover_ = {-1, -1};
  update();
}

void SpectrogramView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  add_export_actions(menu, *this, this);
  menu.exec(event->globalPos());
}

}  // namespace genrelab::ui

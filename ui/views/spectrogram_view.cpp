#include "ui/views/spectrogram_view.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "audio/decode.h"
#include "ui/jobs/job_runner.h"
#include "ui/plot/axes.h"
#include "ui/plot/colormap.h"
#include "ui/plot/export_menu.h"

namespace genrelab::ui {

TrackPicture compute_track_picture(const QString& path) {
  TrackPicture pic;
  pic.path = path;
  pic.name = QString::fromStdString(std::filesystem::path(path.toStdString()).filename().string());
  const auto y = audio::load_mono(path.toStdString());
  pic.duration_s = static_cast<double>(y.size()) / audio::kDefaultSampleRate;
  pic.mel = features::log_mel_spectrogram(y);
  const int frames = pic.mel.db.n_frames, bands = pic.mel.db.n_bins;
  const std::size_t hop = 512;
  pic.wave_min.assign(static_cast<std::size_t>(frames), 0.0f);
  pic.wave_max.assign(static_cast<std::size_t>(frames), 0.0f);
  for (int t = 0; t < frames; ++t) {
    const std::size_t a = static_cast<std::size_t>(t) * hop, b = std::min(y.size(), a + hop);
    if (a >= b) continue;
    const auto [lo, hi] = std::minmax_element(y.begin() + static_cast<std::ptrdiff_t>(a), y.begin() + static_cast<std::ptrdiff_t>(b));
    pic.wave_min[static_cast<std::size_t>(t)] = *lo;
    pic.wave_max[static_cast<std::size_t>(t)] = *hi;
  }
  pic.image = QImage(frames, bands, QImage::Format_Indexed8);
  pic.image.setColorTable(colormap_table(ColorMap::Magma));
  for (int band = 0; band < bands; ++band) {
    uchar* row = pic.image.scanLine(bands - 1 - band);
    for (int t = 0; t < frames; ++t) {
      const double v = (static_cast<double>(pic.mel.db.at(band, t)) + 80.0) / 80.0;  // [-80, 0] dB -> [0, 1]
      row[t] = static_cast<uchar>(std::clamp(static_cast<int>(std::lround(v * 255.0)), 0, 255));
    }
  }
  return pic;
}

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
  auto* job = Job::start(tr("Spectrogram"), [this, path](ProgressSink&, const CancelToken&) {
    auto pic = compute_track_picture(path);
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
  picture_ = std::move(picture);
  t0_ = 0;
  t1_ = std::max(picture_->duration_s, 1e-3);
  playhead_ = -1;
  update();
  Q_EMIT pictureReady();
}

void SpectrogramView::setVisibleRange(double t0, double t1) {
  if (!picture_) return;
  const double dur = std::max(picture_->duration_s, 1e-3);
  const double span = std::clamp(t1 - t0, std::min(0.25, dur), dur);
  t0_ = std::clamp(t0, 0.0, dur - span);
  t1_ = t0_ + span;
  update();
}

void SpectrogramView::setPlayhead(double seconds) {
  playhead_ = seconds;
  update();
}

QString SpectrogramView::figureTitle() const {
  return picture_ ? tr("Mel spectrogram — %1").arg(picture_->name) : tr("Mel spectrogram");
}

SpectrogramView::Layout SpectrogramView::layout(const QRectF& rect) const {
  const QRectF body = rect.adjusted(78, 40, -96, -46);
  const double wave_h = std::max(50.0, body.height() * 0.22);
  Layout l;
  l.wave = QRectF(body.left(), body.top(), body.width(), wave_h);
  l.mel = QRectF(body.left(), body.top() + wave_h + 16, body.width(), body.height() - wave_h - 16);
  l.colorbar = QRectF(body.right() + 14, l.mel.top(), 60, l.mel.height());
  return l;
}

double SpectrogramView::bandOfHz(double hz) const {
  const auto& f = picture_->mel.band_hz;
  if (hz <= f.front()) return 0;
  if (hz >= f.back()) return static_cast<double>(f.size() - 1);
  const auto it = std::upper_bound(f.begin(), f.end(), hz);
  const auto i = static_cast<std::size_t>(it - f.begin());
  return static_cast<double>(i - 1) + (hz - f[i - 1]) / (f[i] - f[i - 1]);
}

double SpectrogramView::hzOfBand(double band) const {
  const auto& f = picture_->mel.band_hz;
  const double b = std::clamp(band, 0.0, static_cast<double>(f.size() - 1));
  const auto i = std::min(static_cast<std::size_t>(b), f.size() - 2);
  return f[i] + (b - static_cast<double>(i)) * (f[i + 1] - f[i]);
}

void SpectrogramView::paintFigure(QPainter& p, const QRectF& rect) const {
  p.fillRect(rect, Qt::white);
  draw_title(p, rect, figureTitle());
  const Layout l = layout(rect);
  if (!picture_) {
    p.setPen(Qt::gray);
    p.drawText(rect, Qt::AlignCenter, tr("Select a track"));
    return;
  }
  const auto& pic = *picture_;
  const Scale xs{t0_, t1_, l.mel.left(), l.mel.right()};
  const Scale xw{t0_, t1_, l.wave.left(), l.wave.right()};

  // Waveform: one vertical min-max line per spectrogram frame in view.
  const Scale ys{-1, 1, l.wave.bottom(), l.wave.top()};
  p.save();
  p.setClipRect(l.wave);
  p.setPen(QPen(QColor(31, 119, 180), 1));
  const double spf = pic.mel.seconds_per_frame;
  const int f0 = std::max(0, static_cast<int>(t0_ / spf) - 1);
  const int f1 = std::min(static_cast<int>(pic.wave_min.size()), static_cast<int>(t1_ / spf) + 2);
  for (int t = f0; t < f1; ++t) {
    const double x = xw.map(t * spf);
    p.drawLine(QPointF(x, ys.map(pic.wave_max[static_cast<std::size_t>(t)])), QPointF(x, ys.map(pic.wave_min[static_cast<std::size_t>(t)])));
  }
  p.restore();
  draw_axes(p, l.wave, {xw, QString(), {}, {}}, {ys, tr("amplitude"), {-1, 0, 1}, {}}, true);

  // Mel image: the frames in view, stretched over the plot (nearest neighbour keeps cells sharp).
  const QRectF source(t0_ / spf, 0, (t1_ - t0_) / spf, pic.image.height());
  p.drawImage(l.mel, pic.image, source);
  const int bands = pic.mel.db.n_bins;
  const Scale yb{-0.5, bands - 0.5, l.mel.bottom(), l.mel.top()};
  QVector<double> ticks;
  QVector<QString> labels;
  for (const double hz : {0.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0}) {
    if (hz > pic.mel.fmax_hz) break;
    ticks.push_back(bandOfHz(hz));
    labels.push_back(hz >= 1000 ? QStringLiteral("%1k").arg(hz / 1000.0) : QString::number(hz));
  }
  draw_axes(p, l.mel, {xs, tr("time (s)"), {}, {}}, {yb, tr("frequency (Hz, mel scale)"), ticks, labels}, false);
  draw_colorbar(p, l.colorbar, ColorMap::Magma, -80, 0, tr("level (dB re max)"));

  if (playhead_ >= t0_ && playhead_ <= t1_) {
    p.setPen(QPen(QColor(0, 200, 255), 1.5));
    p.drawLine(QPointF(xs.map(playhead_), l.wave.top()), QPointF(xs.map(playhead_), l.mel.bottom()));
  }
}

void SpectrogramView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  paintFigure(p, rect());
  if (!picture_ || hover_.x() < 0) return;
  const Layout l = layout(rect());
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
  const Layout l = layout(rect());
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
    const Layout l = layout(rect());
    const double dt = (event->position().x() - drag_start_.x()) / l.mel.width() * (t1_ - t0_);
    setVisibleRange(drag_t0_ - dt, drag_t0_ - dt + (t1_ - t0_));
  }
  update();
}

void SpectrogramView::mouseReleaseEvent(QMouseEvent* event) {
  if (!dragging_) return;
  dragging_ = false;
  if ((event->position() - drag_start_).manhattanLength() < 3 && picture_) {  // a click, not a drag
    const Layout l = layout(rect());
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

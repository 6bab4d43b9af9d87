#include "ui/figures/spectrogram_figure.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "audio/decode.h"
#include "ui/plot/axes.h"
#include "ui/plot/colormap.h"

namespace genrelab::ui {

TrackPicture compute_track_picture(const QString& path, const features::ExtractionParams& params) {
  TrackPicture pic;
  pic.path = path;
  pic.params = params;
  pic.name = QString::fromStdString(std::filesystem::path(path.toStdString()).filename().string());
  const auto y = audio::load_mono(path.toStdString(), params.sample_rate);
  pic.duration_s = static_cast<double>(y.size()) / params.sample_rate;
  pic.mel = features::log_mel_spectrogram(y, params);
  const int frames = pic.mel.db.n_frames, bands = pic.mel.db.n_bins;
  const auto hop = static_cast<std::size_t>(params.hop_length);
  pic.wave_min.assign(static_cast<std::size_t>(frames), 0.0f);
  pic.wave_max.assign(static_cast<std::size_t>(frames), 0.0f);
  for (int t = 0; t < frames; ++t) {
    const std::size_t a = static_cast<std::size_t>(t) * hop, b = std::min(y.size(), a + hop);
    if (a >= b) continue;
    const auto [lo, hi] =
        std::minmax_element(y.begin() + static_cast<std::ptrdiff_t>(a), y.begin() + static_cast<std::ptrdiff_t>(b));
    pic.wave_min[static_cast<std::size_t>(t)] = *lo;
    pic.wave_max[static_cast<std::size_t>(t)] = *hi;
  }
  pic.image = QImage(frames, bands, QImage::Format_Indexed8);
  pic.image.setColorTable(colormap_table(ColorMap::Magma));
  for (int band = 0; band < bands; ++band) {
    uchar* row = pic.image.scanLine(bands - 1 - band);
    for (int t = 0; t < frames; ++t) {
      const double v =
          (static_cast<double>(pic.mel.db.at(band, t)) + params.top_db) / params.top_db;  // [-top_db, 0] dB -> [0, 1]
      row[t] = static_cast<uchar>(std::clamp(static_cast<int>(std::lround(v * 255.0)), 0, 255));
    }
  }
  return pic;
}

void SpectrogramFigure::setPicture(TrackPicture picture) {
  picture_ = std::move(picture);
  t0_ = 0;
  t1_ = std::max(picture_->duration_s, 1e-3);
  playhead_ = -1;
}

void SpectrogramFigure::setVisibleRange(double t0, double t1) {
  if (!picture_) return;
  const double dur = std::max(picture_->duration_s, 1e-3);
  const double span = std::clamp(t1 - t0, std::min(0.25, dur), dur);
  t0_ = std::clamp(t0, 0.0, dur - span);
  t1_ = t0_ + span;
}

QString SpectrogramFigure::figureTitle() const {
  return picture_ ? QStringLiteral("Mel spectrogram — %1").arg(picture_->name) : QStringLiteral("Mel spectrogram");
}

SpectrogramFigure::Layout SpectrogramFigure::figureLayout(const QRectF& rect) const {
  const QRectF body = rect.adjusted(78, 40, -96, -46);
  const double wave_h = std::max(50.0, body.height() * 0.22);
  Layout l;
  l.wave = QRectF(body.left(), body.top(), body.width(), wave_h);
  l.mel = QRectF(body.left(), body.top() + wave_h + 16, body.width(), body.height() - wave_h - 16);
  l.colorbar = QRectF(body.right() + 14, l.mel.top(), 60, l.mel.height());
  return l;
}

double SpectrogramFigure::bandOfHz(double hz) const {
  const auto& f = picture_->mel.band_hz;
  if (hz <= f.front()) return 0;
  if (hz >= f.back()) return static_cast<double>(f.size() - 1);
  const auto it = std::upper_bound(f.begin(), f.end(), hz);
  const auto i = static_cast<std::size_t>(it - f.begin());
  return static_cast<double>(i - 1) + (hz - f[i - 1]) / (f[i] - f[i - 1]);
}

double SpectrogramFigure::hzOfBand(double band) const {
  const auto& f = picture_->mel.band_hz;
  const double b = std::clamp(band, 0.0, static_cast<double>(f.size() - 1));
  const auto i = std::min(static_cast<std::size_t>(b), f.size() - 2);
  return f[i] + (b - static_cast<double>(i)) * (f[i + 1] - f[i]);
}

void SpectrogramFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  p.fillRect(rect, Qt::white);
  draw_title(p, rect, figureTitle());
  const Layout l = figureLayout(rect);
  if (!picture_) {
    p.setPen(Qt::gray);
    p.drawText(rect, Qt::AlignCenter, QStringLiteral("Select a track"));
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
    p.drawLine(QPointF(x, ys.map(pic.wave_max[static_cast<std::size_t>(t)])),
               QPointF(x, ys.map(pic.wave_min[static_cast<std::size_t>(t)])));
  }
  p.restore();
  draw_axes(p, l.wave, {xw, QString(), {}, {}}, {ys, QStringLiteral("amplitude"), {-1, 0, 1}, {}}, true);

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
  draw_axes(p, l.mel, {xs, QStringLiteral("time (s)"), {}, {}},
            {yb, QStringLiteral("frequency (Hz, mel scale)"), ticks, labels}, false);
  draw_colorbar(p, l.colorbar, ColorMap::Magma, -pic.params.top_db, 0, QStringLiteral("level (dB re max)"));

  if (playhead_ >= t0_ && playhead_ <= t1_) {
    p.setPen(QPen(QColor(0, 200, 255), 1.5));
    p.drawLine(QPointF(xs.map(playhead_), l.wave.top()), QPointF(xs.map(playhead_), l.mel.bottom()));
  }
}

}  // namespace genrelab::ui

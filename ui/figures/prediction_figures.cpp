#include "ui/figures/prediction_figures.h"

#include <QFileInfo>
#include <QFontMetricsF>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "ui/plot/colormap.h"
#include "ui/plot/csv.h"

namespace genrelab::ui {

QString PredictionFigure::songName() const {
  return data_ ? QFileInfo(QString::fromStdString(data_->song.file.string())).fileName() : QString();
}

// -------------------------------------------------------------------------------- probabilities

QString ProbabilityFigure::figureTitle() const {
  if (!ready()) return QStringLiteral("Genre probabilities");
  return QStringLiteral("%1: %2 (%3)")
      .arg(songName(), QString::fromStdString(data_->song.genre))
      .arg(data_->song.confidence, 0, 'f', 2);
}

void ProbabilityFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  if (!ready()) return draw_message(p, rect, QStringLiteral("Drop songs here, or use Add files…, to classify them"));
  p.fillRect(rect, Qt::white);
  const QRectF body = draw_title(p, rect, figureTitle());
  const auto& probs = data_->song.probabilities;
  const int n = static_cast<int>(probs.size());
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return probs[static_cast<std::size_t>(a)] > probs[static_cast<std::size_t>(b)];
  });
  const QRectF plot = body.adjusted(110, 6, -70, -44);
  const Scale xs{0, 1, plot.left(), plot.right()};
  const double row = plot.height() / std::max(1, n);
  QVector<double> yticks;
  QVector<QString> ylabels;
  for (int k = 0; k < n; ++k) {
    yticks << k + 0.5;
    ylabels << data_->labels.value(order[static_cast<std::size_t>(k)]);
  }
  const Scale ys{0, static_cast<double>(n), plot.top(), plot.bottom()};
  draw_axes(p, plot,
            {xs,
             data_->song.windows.size() > 1
                 ? QStringLiteral("mean probability over %1 windows").arg(data_->song.windows.size())
                 : QStringLiteral("probability"),
             {},
             {}},
            {ys, QString(), yticks, ylabels}, true);
  p.setFont(figure_font(11));
  for (int k = 0; k < n; ++k) {
    const int g = order[static_cast<std::size_t>(k)];
    const double v = std::clamp(static_cast<double>(probs[static_cast<std::size_t>(g)]), 0.0, 1.0);
    const QRectF bar(plot.left(), plot.top() + k * row + row * 0.15, xs.map(v) - plot.left(), row * 0.7);
    QColor c = category_color(g);
    if (g != data_->song.genre_index) c.setAlpha(150);
    p.fillRect(bar, c);
    p.setPen(Qt::black);
    p.drawText(QRectF(bar.right() + 4, bar.top(), 60, bar.height()), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number(v, 'f', 3));
  }
}

void ProbabilityFigure::writeCsv(std::ostream& out) const {
  out << "file,genre,probability\n";
  if (!ready()) return;
  for (std::size_t g = 0; g < data_->song.probabilities.size(); ++g)
    out << csv_cell(QString::fromStdString(data_->song.file.string())) << ','
        << csv_cell(data_->labels.value(static_cast<int>(g))) << ',' << csv_num(data_->song.probabilities[g]) << '\n';
}

// ------------------------------------------------------------------------------------- timeline

QString TimelineFigure::figureTitle() const {
  if (!ready()) return QStringLiteral("Genre timeline");
  return QStringLiteral("%1: genre per %2-s window")
      .arg(songName())
      .arg(data_->song.windows.front().end_s - data_->song.windows.front().start_s, 0, 'f', 0);
}

TimelineFigure::Layout TimelineFigure::layout(const QRectF& rect) const {
  const QRectF body = rect.adjusted(74, 40, -124, -46);
  Layout l;
  const double wave_h = body.height() * 0.28;
  l.wave = QRectF(body.left(), body.top(), body.width(), wave_h);
  l.strip = QRectF(body.left(), l.wave.bottom() + 8, body.width(), 30);
  l.curves = QRectF(body.left(), l.strip.bottom() + 8, body.width(), body.bottom() - l.strip.bottom() - 8);
  const double duration = ready() ? std::max(data_->song.duration_s, 1e-3) : 1.0;
  l.time = Scale{0, duration, body.left(), body.right()};
  return l;
}

double TimelineFigure::timeAt(const QRectF& rect, QPointF pos) const {
  const Layout l = layout(rect);
  if (!ready() || pos.x() < l.wave.left() || pos.x() > l.wave.right() || pos.y() < l.wave.top() ||
      pos.y() > l.curves.bottom())
    return std::nan("");
  return l.time.unmap(pos.x());
}

int TimelineFigure::windowAt(double t) const {
  if (!ready() || !std::isfinite(t)) return -1;
  const auto& w = data_->song.windows;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double end = i + 1 < w.size() ? w[i + 1].start_s : w[i].end_s;
    if (t >= w[i].start_s && t < end) return static_cast<int>(i);
  }
  return t >= w.back().start_s && t <= w.back().end_s ? static_cast<int>(w.size()) - 1 : -1;
}

void TimelineFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  if (!ready()) return draw_message(p, rect, QStringLiteral("Select a classified song to see its timeline"));
  p.fillRect(rect, Qt::white);
  draw_title(p, rect, figureTitle());
  const Layout l = layout(rect);
  const auto& song = data_->song;
  const Scale& t = l.time;

  // Waveform: the peak envelope mirrored around zero.
  p.fillRect(l.wave, QColor(248, 248, 250));
  p.setPen(QPen(QColor(0, 0, 0, 60), 1));
  p.drawRect(l.wave);
  if (!song.envelope.empty()) {
    const double peak =
        std::max(1e-6, static_cast<double>(*std::max_element(song.envelope.begin(), song.envelope.end())));
    const double mid = l.wave.center().y(), half = l.wave.height() / 2 - 2;
    QPainterPath path;
    const auto n = song.envelope.size();
    for (std::size_t i = 0; i < n; ++i) {
      const QPointF q(t.map((static_cast<double>(i) + 0.5) * song.envelope_step_s),
                      mid - half * static_cast<double>(song.envelope[i]) / peak);
      i == 0 ? path.moveTo(q) : path.lineTo(q);
    }
    for (std::size_t i = n; i-- > 0;)
      path.lineTo(t.map((static_cast<double>(i) + 0.5) * song.envelope_step_s),
                  mid + half * static_cast<double>(song.envelope[i]) / peak);
    path.closeSubpath();
    p.fillPath(path, QColor(70, 100, 150));
  } else {
    p.setPen(Qt::gray);
    p.drawText(l.wave, Qt::AlignCenter, QStringLiteral("no waveform"));
  }
  p.setPen(QColor(60, 60, 60));
  p.setFont(figure_font(11));
  p.drawText(QRectF(rect.left() + 4, l.wave.top(), l.wave.left() - 10, l.wave.height()),
             Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("waveform"));

  // Genre strip: each window from its start to the next one's.
  const auto& w = song.windows;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double end = i + 1 < w.size() ? w[i + 1].start_s : w[i].end_s;
    const QRectF block(t.map(w[i].start_s), l.strip.top(), t.map(end) - t.map(w[i].start_s), l.strip.height());
    p.fillRect(block.adjusted(0, 0, 0.5, 0), category_color(w[i].genre));
    const QString name = data_->labels.value(w[i].genre);
    if (QFontMetricsF(p.font()).horizontalAdvance(name) + 6 < block.width()) {
      p.setPen(Qt::white);
      p.drawText(block, Qt::AlignCenter, name);
    }
  }
  p.setPen(QColor(60, 60, 60));
  p.drawText(QRectF(rect.left() + 4, l.strip.top(), l.strip.left() - 10, l.strip.height()),
             Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("genre"));
  if (selected_window >= 0 && selected_window < static_cast<int>(w.size())) {
    const auto& s = w[static_cast<std::size_t>(selected_window)];
    p.setPen(QPen(Qt::black, 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(t.map(s.start_s), l.strip.top() - 2, t.map(s.end_s) - t.map(s.start_s), l.strip.height() + 4));
  }

  // Probability of every genre at each window's centre.
  const Scale ys{0, 1, l.curves.bottom(), l.curves.top()};
  draw_axes(p, l.curves, {t, QStringLiteral("time (s)"), {}, {}}, {ys, QStringLiteral("probability"), {}, {}});
  p.save();
  p.setClipRect(l.curves.adjusted(-2, -2, 2, 2));
  const int k = static_cast<int>(data_->labels.size());
  for (int g = 0; g < k; ++g) {
    if (seriesHidden(g)) continue;
    QPolygonF line;
    for (const auto& x : w)
      line << QPointF(t.map((x.start_s + x.end_s) / 2), ys.map(x.probabilities[static_cast<std::size_t>(g)]));
    p.setPen(QPen(category_color(g), g == song.genre_index ? 2.6 : 1.4));
    if (line.size() == 1) {
      p.setBrush(category_color(g));
      p.drawEllipse(line.front(), 3, 3);
    } else {
      p.drawPolyline(line);
    }
  }
  p.restore();
  QVector<QColor> colors;
  for (int g = 0; g < k; ++g) colors << category_color(g);
  legend_ = draw_legend(p, QRectF(l.curves.right() + 4, l.wave.top(), 120, l.curves.bottom() - l.wave.top()),
                        data_->labels, colors, hidden_);

  if (cursor_s >= 0 && cursor_s <= song.duration_s) {
    p.setPen(QPen(QColor(200, 30, 30), 1.5));
    const double x = t.map(cursor_s);
    p.drawLine(QPointF(x, l.wave.top()), QPointF(x, l.curves.bottom()));
  }
}

void TimelineFigure::writeCsv(std::ostream& out) const {
  out << "start_s,end_s,genre";
  if (data_)
    for (const auto& l : data_->labels) out << ",p_" << csv_cell(l);
  out << '\n';
  if (!ready()) return;
  for (const auto& w : data_->song.windows) {
    out << csv_num(w.start_s) << ',' << csv_num(w.end_s) << ',' << csv_cell(data_->labels.value(w.genre));
    for (float v : w.probabilities) out << ',' << csv_num(v);
    out << '\n';
  }
}

}  // namespace genrelab::ui

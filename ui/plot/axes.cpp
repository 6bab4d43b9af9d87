#include "ui/plot/axes.h"

#include <QFontMetricsF>
#include <algorithm>
#include <cmath>

namespace genrelab::ui {

QVector<double> nice_ticks(double lo, double hi, int count) {
  QVector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi <= lo || count < 2) return ticks;
  const double raw = (hi - lo) / (count - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * mag) {
      step = m * mag;
      break;
    }
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  return ticks;
}

QString tick_label(double value, double step) {
  if (std::abs(value) >= 1e5 || (value != 0 && std::abs(value) < 1e-3)) return QString::number(value, 'g', 3);
  const int decimals = step >= 1 ? 0 : std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
  return QString::number(value, 'f', decimals);
}

QFont figure_font(double pixel_size, bool bold) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(std::max(1, static_cast<int>(std::lround(pixel_size))));
  f.setBold(bold);
  return f;
}

void draw_message(QPainter& p, const QRectF& rect, const QString& message) {
  p.fillRect(rect, Qt::white);
  p.setPen(Qt::gray);
  p.setFont(figure_font(14));
  p.drawText(rect, Qt::AlignCenter | Qt::TextWordWrap, message);
}

QRectF draw_title(QPainter& p, const QRectF& area, const QString& title) {
  p.setFont(figure_font(16, true));
  p.setPen(Qt::black);
  const QRectF box(area.left(), area.top() + 6, area.width(), 24);
  p.drawText(box, Qt::AlignCenter, title);
  return area.adjusted(0, 34, 0, 0);
}

void draw_axes(QPainter& p, const QRectF& plot, const AxisSpec& x, const AxisSpec& y, bool grid) {
  p.save();
  p.setFont(figure_font(11));
  const QFontMetricsF fm(p.font());
  auto ticks_of = [](const AxisSpec& a) {
    return a.ticks.isEmpty() ? nice_ticks(std::min(a.scale.d0, a.scale.d1), std::max(a.scale.d0, a.scale.d1)) : a.ticks;
  };
  const auto xt = ticks_of(x), yt = ticks_of(y);
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1, ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
  QPen grid_pen(QColor(0, 0, 0, 28), 1);
  QPen tick_pen(QColor(60, 60, 60), 1);
  double max_label_w = 0;
  for (int i = 0; i < yt.size(); ++i) {
    const double py = y.scale.map(yt[i]);
    if (py < plot.top() - 0.5 || py > plot.bottom() + 0.5) continue;
    if (grid) {
      p.setPen(grid_pen);
      p.drawLine(QPointF(plot.left(), py), QPointF(plot.right(), py));
    }
    p.setPen(tick_pen);
    p.drawLine(QPointF(plot.left() - 4, py), QPointF(plot.left(), py));
    const QString label = y.tick_labels.size() == yt.size() ? y.tick_labels[i] : tick_label(yt[i], ystep);
    max_label_w = std::max(max_label_w, fm.horizontalAdvance(label));
    p.drawText(QRectF(plot.left() - 90, py - 8, 84, 16), Qt::AlignRight | Qt::AlignVCenter, label);
  }
  for (int i = 0; i < xt.size(); ++i) {
    const double px = x.scale.map(xt[i]);
    if (px < plot.left() - 0.5 || px > plot.right() + 0.5) continue;
    if (grid) {
      p.setPen(grid_pen);
      p.drawLine(QPointF(px, plot.top()), QPointF(px, plot.bottom()));
    }
    p.setPen(tick_pen);
    p.drawLine(QPointF(px, plot.bottom()), QPointF(px, plot.bottom() + 4));
    const QString label = x.tick_labels.size() == xt.size() ? x.tick_labels[i] : tick_label(xt[i], xstep);
    p.drawText(QRectF(px - 50, plot.bottom() + 5, 100, 16), Qt::AlignHCenter | Qt::AlignTop, label);
  }
  p.setPen(QPen(QColor(40, 40, 40), 1));
  p.setBrush(Qt::NoBrush);
  p.drawRect(plot);
  p.setFont(figure_font(12));
  if (!x.label.isEmpty())
    p.drawText(QRectF(plot.left(), plot.bottom() + 22, plot.width(), 18), Qt::AlignCenter, x.label);
  if (!y.label.isEmpty()) {
    p.save();
    p.translate(plot.left() - max_label_w - 16, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -18, plot.height(), 18), Qt::AlignCenter, y.label);
    p.restore();
  }
  p.restore();
}

void draw_colorbar(QPainter& p, const QRectF& area, ColorMap map, double lo, double hi, const QString& label) {
  p.save();
  const QRectF bar(area.left(), area.top(), 14, area.height());
  const int steps = std::max(2, static_cast<int>(bar.height()));
  for (int i = 0; i < steps; ++i) {
    const double t = 1.0 - static_cast<double>(i) / (steps - 1);
    p.fillRect(QRectF(bar.left(), bar.top() + bar.height() * i / steps, bar.width(), bar.height() / steps + 1),
               QColor::fromRgb(colormap(map, t)));
  }
  p.setPen(QPen(QColor(40, 40, 40), 1));
  p.drawRect(bar);
  p.setFont(figure_font(10));
  const auto ticks = nice_ticks(lo, hi, 5);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  const Scale s{lo, hi, bar.bottom(), bar.top()};
  for (const double v : ticks) {
    const double py = s.map(v);
    p.drawLine(QPointF(bar.right(), py), QPointF(bar.right() + 3, py));
    p.drawText(QRectF(bar.right() + 5, py - 7, 60, 14), Qt::AlignLeft | Qt::AlignVCenter, tick_label(v, step));
  }
  if (!label.isEmpty()) {
    p.setFont(figure_font(11));
    p.translate(bar.right() + 52, bar.center().y());
    p.rotate(90);
    p.drawText(QRectF(-bar.height() / 2, -14, bar.height(), 16), Qt::AlignCenter, label);
  }
  p.restore();
}

void draw_matrix(QPainter& p, const QRectF& map, const QVector<QString>& names, ColorMap colors,
                 const std::function<double(int, int)>& shade, const std::function<QString(int, int)>& text,
                 double text_pivot, double text_spread) {
  p.save();
  const auto n = static_cast<int>(names.size());
  const double cell = map.width() / std::max(1, n);
  p.setFont(figure_font(std::clamp(cell * 0.22, 7.0, 12.0)));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double t = shade(i, j);
      const QRectF c(map.left() + j * cell, map.top() + i * cell, cell, cell);
      p.fillRect(c.adjusted(0, 0, 0.5, 0.5), QColor::fromRgb(colormap(colors, t)));
      p.setPen(std::abs(t - text_pivot) > text_spread ? Qt::white : Qt::black);
      p.drawText(c, Qt::AlignCenter, text(i, j));
    }
  p.setFont(figure_font(11));
  p.setPen(Qt::black);
  for (int i = 0; i < n; ++i) {
    p.drawText(QRectF(map.left() - 206, map.top() + i * cell, 200, cell), Qt::AlignRight | Qt::AlignVCenter, names[i]);
    p.save();
    p.translate(map.left() + (i + 0.5) * cell, map.bottom() + 4);
    p.rotate(-45);
    p.drawText(QRectF(-100, -8, 100, 16), Qt::AlignRight | Qt::AlignVCenter, names[i]);
    p.restore();
  }
  p.restore();
}

QVector<QRectF> draw_legend(QPainter& p, const QRectF& plot, const QVector<QString>& names,
                            const QVector<QColor>& colors, const QVector<bool>& hidden) {
  QVector<QRectF> boxes;
  if (names.isEmpty()) return boxes;
  p.save();
  p.setFont(figure_font(11));
  const QFontMetricsF fm(p.font());
  double w = 0;
  for (const auto& n : names) w = std::max(w, fm.horizontalAdvance(n));
  const double row = 17, width = w + 34;
  const QRectF box(plot.right() - width - 8, plot.top() + 8, width, row * names.size() + 8);
  p.setPen(QPen(QColor(0, 0, 0, 60), 1));
  p.setBrush(QColor(255, 255, 255, 225));
  p.drawRect(box);
  for (int i = 0; i < names.size(); ++i) {
    const bool off = i < hidden.size() && hidden[i];
    const QRectF entry(box.left() + 4, box.top() + 4 + i * row, width - 8, row);
    QColor c = colors.value(i, Qt::black);
    if (off) c = QColor(200, 200, 200);
    p.setPen(QPen(c, 3));
    p.drawLine(QPointF(entry.left() + 2, entry.center().y()), QPointF(entry.left() + 20, entry.center().y()));
    p.setPen(off ? QColor(160, 160, 160) : QColor(30, 30, 30));
    p.drawText(entry.adjusted(26, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, names[i]);
    boxes.push_back(entry);
  }
  p.restore();
  return boxes;
}

}  // namespace genrelab::ui

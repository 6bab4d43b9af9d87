#include "ui/figures/training_figures.h"

#include <QFontMetricsF>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "ui/plot/axes.h"
#include "ui/plot/colormap.h"
#include "ui/plot/csv.h"

namespace genrelab::ui {

// ------------------------------------------------------------------------------------ confusion

void ConfusionFigure::setMatrix(QVector<QString> labels, std::vector<std::int64_t> counts, QString caption) {
  const auto n = static_cast<std::size_t>(labels.size());
  if (counts.size() != n * n) {  // nothing consistent to show
    labels.clear();
    counts.clear();
  }
  labels_ = std::move(labels);
  counts_ = std::move(counts);
  caption_ = std::move(caption);
}

double ConfusionFigure::value(int row, int column, bool fraction) const {
  const auto n = static_cast<std::size_t>(labels_.size());
  const auto r = static_cast<std::size_t>(row), c = static_cast<std::size_t>(column);
  const auto count = static_cast<double>(counts_[r * n + c]);
  if (!fraction) return count;
  const auto sum = std::accumulate(counts_.begin() + static_cast<std::ptrdiff_t>(r * n),
                                   counts_.begin() + static_cast<std::ptrdiff_t>((r + 1) * n), std::int64_t{0});
  return sum > 0 ? count / static_cast<double>(sum) : 0.0;
}

QString ConfusionFigure::figureTitle() const {
  return normalized ? QStringLiteral("Confusion matrix (row-normalised)") : QStringLiteral("Confusion matrix (counts)");
}

void ConfusionFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  if (labels_.isEmpty()) return draw_message(p, rect, QStringLiteral("Train a model to see its confusion matrix"));
  p.fillRect(rect, Qt::white);
  const QRectF body = draw_title(p, rect, figureTitle());
  if (!caption_.isEmpty()) {
    p.setFont(figure_font(11));
    p.setPen(QColor(70, 70, 70));
    p.drawText(QRectF(body.left(), body.top() - 6, body.width(), 16), Qt::AlignCenter, caption_);
  }
  const int n = static_cast<int>(labels_.size());
  double hi = 1.0;
  if (!normalized)
    hi = static_cast<double>(std::max<std::int64_t>(1, *std::max_element(counts_.begin(), counts_.end())));
  const QRectF map = matrixRect(rect);
  const double side = map.width();
  draw_matrix(
      p, map, labels_, ColorMap::Viridis, [&](int i, int j) { return value(i, j) / hi; },
      [&](int i, int j) {
        return normalized ? QString::number(value(i, j), 'f', 2) : QString::number(value(i, j), 'f', 0);
      },
      1.0, 0.45);
  // Outline the diagonal (the correct predictions).
  const double cell = side / n;
  p.setPen(QPen(QColor(255, 255, 255, 200), 1.5));
  p.setBrush(Qt::NoBrush);
  for (int i = 0; i < n; ++i)
    p.drawRect(QRectF(map.left() + i * cell, map.top() + i * cell, cell, cell).adjusted(1, 1, -1, -1));
  p.setPen(Qt::black);
  p.setFont(figure_font(12, true));
  p.drawText(QRectF(map.left() - 40, map.bottom() + 70, map.width() + 80, 20), Qt::AlignCenter,
             QStringLiteral("predicted genre"));
  p.save();
  p.translate(map.left() - 100, map.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-map.height() / 2, -10, map.height(), 20), Qt::AlignCenter, QStringLiteral("true genre"));
  p.restore();
  draw_colorbar(p, QRectF(map.right() + 18, map.top(), 60, map.height()), ColorMap::Viridis, 0, hi,
                normalized ? QStringLiteral("fraction of the true genre") : QStringLiteral("tracks"));
}

QRectF ConfusionFigure::matrixRect(const QRectF& rect) const {
  // draw_title() takes 34 px, the caption 14 more; room for the row names and axis title on the
  // left, rotated column names below, the colour bar on the right.
  const QRectF body = rect.adjusted(0, 34 + (caption_.isEmpty() ? 0 : 14), 0, 0);
  const QRectF area = body.adjusted(130, 4, -110, -92);
  const double side = std::max(10.0, std::min(area.width(), area.height()));
  return {area.left() + std::max(0.0, (area.width() - side) / 2), area.top(), side, side};
}

std::pair<int, int> ConfusionFigure::cellAt(const QRectF& rect, QPointF pos) const {
  const int n = static_cast<int>(labels_.size());
  const QRectF map = matrixRect(rect);
  if (n == 0 || !map.contains(pos)) return {-1, -1};
  const double cell = map.width() / n;
  return {std::min(n - 1, static_cast<int>((pos.y() - map.top()) / cell)),
          std::min(n - 1, static_cast<int>((pos.x() - map.left()) / cell))};
}

QPointF ConfusionFigure::cellCentre(const QRectF& rect, int row, int column) const {
  const QRectF map = matrixRect(rect);
  const double cell = map.width() / std::max<qsizetype>(1, labels_.size());
  return {map.left() + (column + 0.5) * cell, map.top() + (row + 0.5) * cell};
}

void ConfusionFigure::writeCsv(std::ostream& out) const {
  out << "true_genre,predicted_genre,count,row_fraction\n";
  for (int i = 0; i < labels_.size(); ++i)
    for (int j = 0; j < labels_.size(); ++j)
      out << csv_cell(labels_[i]) << ',' << csv_cell(labels_[j]) << ',' << static_cast<std::int64_t>(value(i, j, false))
          << ',' << csv_num(value(i, j, true)) << '\n';
}

// ----------------------------------------------------------------------------- run comparison

void RunComparisonFigure::setRuns(QVector<QString> genres, QVector<Run> runs) {
  genres_ = std::move(genres);
  runs_ = std::move(runs);
}

void RunComparisonFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  if (runs_.isEmpty() || genres_.isEmpty())
    return draw_message(p, rect, QStringLiteral("Tick two or more runs in the history to compare them"));
  p.fillRect(rect, Qt::white);
  const QRectF body = draw_title(p, rect, figureTitle());
  const auto g = static_cast<int>(genres_.size());
  const auto r = static_cast<int>(runs_.size());
  const double legend_h = 17.0 * r + 12;
  const QRectF plot = body.adjusted(70, 6, -16, -(64 + legend_h));
  const Scale xs{0, static_cast<double>(g), plot.left(), plot.right()};
  const Scale ys{0, 1, plot.bottom(), plot.top()};
  QVector<double> ticks;
  QVector<QString> blank;
  for (int i = 0; i < g; ++i) {
    ticks << i + 0.5;
    blank << QString();
  }
  draw_axes(p, plot, {xs, QString(), ticks, blank}, {ys, QStringLiteral("F1 on the test folds"), {}, {}});
  p.setFont(figure_font(11));
  p.setPen(Qt::black);
  for (int i = 0; i < g; ++i) {  // genre names turned, so that ten of them fit a narrow plot
    p.save();
    p.translate(xs.map(i + 0.5), plot.bottom() + 6);
    p.rotate(-35);
    p.drawText(QRectF(-100, -8, 100, 16), Qt::AlignRight | Qt::AlignVCenter, genres_[i]);
    p.restore();
  }
  const double group = plot.width() / g;
  const double bar = group * 0.8 / r;
  for (int k = 0; k < r; ++k) {
    if (seriesHidden(k)) continue;
    const QColor color = category_color(k);
    for (int i = 0; i < g && i < runs_[k].f1.size(); ++i) {
      const double v = std::clamp(runs_[k].f1[i], 0.0, 1.0);
      const QRectF b(plot.left() + i * group + group * 0.1 + k * bar, ys.map(v), bar, ys.map(0) - ys.map(v));
      p.fillRect(b, color);
    }
  }
  QVector<QString> names;
  QVector<QColor> colors;
  for (int k = 0; k < r; ++k) {
    names << QStringLiteral("%1: %2 ± %3, F1 %4")
                 .arg(runs_[k].name)
                 .arg(runs_[k].mean_accuracy, 0, 'f', 3)
                 .arg(runs_[k].std_accuracy, 0, 'f', 3)
                 .arg(runs_[k].macro_f1, 0, 'f', 3);
    colors << category_color(k);
  }
  legend_ = draw_legend(p, QRectF(plot.left(), plot.bottom() + 56, plot.width(), legend_h), names, colors, hidden_);
}

void RunComparisonFigure::writeCsv(std::ostream& out) const {
  out << "run,mean_accuracy,std_accuracy,macro_f1";
  for (const auto& g : genres_) out << ",f1_" << csv_cell(g);
  out << '\n';
  for (const Run& run : runs_) {
    out << csv_cell(run.name) << ',' << csv_num(run.mean_accuracy) << ',' << csv_num(run.std_accuracy) << ','
        << csv_num(run.macro_f1);
    for (int i = 0; i < genres_.size(); ++i) out << ',' << csv_num(i < run.f1.size() ? run.f1[i] : std::nan(""));
    out << '\n';
  }
}

}  // namespace genrelab::ui

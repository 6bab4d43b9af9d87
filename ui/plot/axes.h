// Small plotting helpers shared by the figures: nice tick values, axes with labels, titles and
// colour bars, drawn with QPainter in logical pixels.
#pragma once

#include <QPainter>
#include <QRectF>
#include <QString>
#include <QVector>
#include <functional>

#include "ui/plot/colormap.h"

namespace genrelab::ui {

/// About `count` round tick values (1, 2, 5 x 10^k steps) covering [lo, hi].
QVector<double> nice_ticks(double lo, double hi, int count = 6);
/// Tick label: integers without decimals, otherwise as few digits as the step needs.
QString tick_label(double value, double step);

/// A linear mapping of a data range onto a pixel span.
struct Scale {
  double d0 = 0, d1 = 1;  ///< data range
  double p0 = 0, p1 = 1;  ///< pixel range (p1 < p0 for y axes)
  double map(double v) const { return d1 == d0 ? (p0 + p1) / 2 : p0 + (v - d0) / (d1 - d0) * (p1 - p0); }
  double unmap(double p) const { return p1 == p0 ? d0 : d0 + (p - p0) / (p1 - p0) * (d1 - d0); }
};

/// Fonts used by every figure (sizes in pixels so export matches the screen).
QFont figure_font(double pixel_size, bool bold = false);

/// A white figure with `message` centred in grey (a figure with nothing to show yet).
void draw_message(QPainter& p, const QRectF& rect, const QString& message);

/// Draws the title centred above `area`; returns the remaining area below it.
QRectF draw_title(QPainter& p, const QRectF& area, const QString& title);

/// Frame, ticks and labels of a plot area. `x_label`/`y_label` may be empty. Custom tick
/// positions and labels may be given (e.g. Hz on a mel axis).
struct AxisSpec {
  Scale scale;
  QString label;
  QVector<double> ticks;         ///< data values; empty = nice_ticks
  QVector<QString> tick_labels;  ///< same length as ticks, or empty
};
void draw_axes(QPainter& p, const QRectF& plot, const AxisSpec& x, const AxisSpec& y, bool grid = true);

/// A vertical colour bar for [lo, hi] with a label, in `area`.
void draw_colorbar(QPainter& p, const QRectF& area, ColorMap map, double lo, double hi, const QString& label);

/// A square matrix of n x n coloured cells in `map` with the value written in each cell, row
/// names on the left and column names (rotated) below. `shade(i, j)` is the colour-map position
/// in [0, 1]; text turns white where |shade - text_pivot| > text_spread (dark cells).
void draw_matrix(QPainter& p, const QRectF& map, const QVector<QString>& names, ColorMap colors,
                 const std::function<double(int, int)>& shade, const std::function<QString(int, int)>& text,
                 double text_pivot, double text_spread);

/// Legend entries (colour + text) in a box at the top-right corner of `plot`; entries whose
/// `hidden` flag is set are drawn greyed out. Returns the rectangle of each entry (for clicks).
QVector<QRectF> draw_legend(QPainter& p, const QRectF& plot, const QVector<QString>& names,
                            const QVector<QColor>& colors, const QVector<bool>& hidden = {});

}  // namespace genrelab::ui

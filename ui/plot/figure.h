// A figure: anything that paints itself into a rectangle with QPainter, on screen or into a
// PNG/SVG/PDF file. Views implement it so that what you export is what you see.
#pragma once

#include <QPainter>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QVector>
#include <ostream>

namespace genrelab::ui {

class Figure {
 public:
  virtual ~Figure() = default;
  /// Title drawn at the top of the figure and offered as the export file name.
  virtual QString figureTitle() const = 0;
  /// Paints the whole figure (title, axes, legend) into `rect` (logical pixels at 96 DPI).
  virtual void paintFigure(QPainter& painter, const QRectF& rect) const = 0;
  /// Size used for export when none is given (logical pixels).
  virtual QSizeF exportSize() const { return {960, 640}; }
};

/// A figure with numbers behind it (exported as CSV) and optionally a clickable legend whose
/// entries hide or show a series.
class DataFigure : public Figure {
 public:
  /// The numbers behind the figure as CSV (header line first), for papers and other tools.
  virtual void writeCsv(std::ostream& out) const = 0;
  void setHidden(QVector<bool> hidden) { hidden_ = std::move(hidden); }
  const QVector<bool>& hidden() const { return hidden_; }
  bool seriesHidden(int i) const { return i < hidden_.size() && hidden_[i]; }
  /// Legend entry rectangles of the last paint (for clicks), in paint coordinates.
  const QVector<QRectF>& legendBoxes() const { return legend_; }

 protected:
  QVector<bool> hidden_;
  mutable QVector<QRectF> legend_;
};

}  // namespace genrelab::ui

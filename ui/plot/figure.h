// A figure: anything that paints itself into a rectangle with QPainter, on screen or into a
// PNG/SVG/PDF file. Views implement it so that what you export is what you see.
#pragma once

#include <QPainter>
#include <QRectF>
#include <QSizeF>
#include <QString>

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

}  // namespace genrelab::ui

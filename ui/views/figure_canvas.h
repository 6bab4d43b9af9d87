// A widget that paints a DataFigure, offers its export (PNG/SVG/PDF and the data as CSV) in the
// context menu, toggles series on legend clicks, and reports mouse moves/clicks in figure
// coordinates (the widget rect).
// Thread-safety: GUI thread only.
#pragma once

#include <QWidget>
#include <functional>

#include "ui/plot/figure.h"

namespace genrelab::ui {

class FigureCanvas : public QWidget {
  Q_OBJECT
 public:
  FigureCanvas(DataFigure& figure, QWidget* parent);
  std::function<QString(QPointF)> hoverText;  ///< read-out drawn near the cursor
  std::function<void(QPointF)> clicked;       ///< a click outside the legend

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent*) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  DataFigure& figure_;
  QPointF hover_{-1, -1};
};

}  // namespace genrelab::ui

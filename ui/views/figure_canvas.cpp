#include "ui/views/figure_canvas.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>

#include "ui/plot/axes.h"
#include "ui/views/export_menu.h"

namespace genrelab::ui {

FigureCanvas::FigureCanvas(DataFigure& figure, QWidget* parent) : QWidget(parent), figure_(figure) {
  setMouseTracking(true);
  setMinimumSize(420, 320);
}

void FigureCanvas::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  figure_.paintFigure(p, rect());
  if (!hoverText || hover_.x() < 0) return;
  const QString text = hoverText(hover_);
  if (text.isEmpty()) return;
  p.setFont(figure_font(12));
  const QFontMetricsF fm(p.font());
  QRectF box(hover_ + QPointF(14, 14), QSizeF(fm.horizontalAdvance(text) + 12, 22));
  if (box.right() > width()) box.moveRight(hover_.x() - 8);
  if (box.bottom() > height()) box.moveBottom(hover_.y() - 8);
  p.setPen(QColor(0, 0, 0, 90));
  p.setBrush(QColor(255, 255, 240, 235));
  p.drawRect(box);
  p.setPen(Qt::black);
  p.drawText(box, Qt::AlignCenter, text);
}

void FigureCanvas::mouseMoveEvent(QMouseEvent* event) {
  hover_ = event->position();
  update();
}

void FigureCanvas::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  const auto& boxes = figure_.legendBoxes();
  for (int i = 0; i < boxes.size(); ++i)
    if (boxes[i].contains(event->position())) {  // legend click: hide or show that genre
      QVector<bool> hidden = figure_.hidden();
      hidden.resize(boxes.size());
      hidden[i] = !hidden[i];
      figure_.setHidden(hidden);
      update();
      return;
    }
  if (clicked) clicked(event->position());
}

void FigureCanvas::leaveEvent(QEvent*) {
  hover_ = {-1, -1};
  update();
}

void FigureCanvas::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  add_data_export_actions(menu, figure_, this);
  menu.exec(event->globalPos());
}

}  // namespace genrelab::ui

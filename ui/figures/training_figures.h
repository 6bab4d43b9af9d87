// Figures of a training run, painted with QPainter so that the screen, PNG, SVG and PDF agree:
// the confusion matrix summed over the test folds (counts or row-normalised) and the per-genre
// F1 of several runs side by side.
// Thread-safety: GUI thread only (plain data, const painting).
#pragma once

#include <QString>
#include <QVector>
#include <cstdint>
#include <utility>
#include <vector>

#include "ui/plot/figure.h"

namespace genrelab::ui {

class ConfusionFigure : public DataFigure {
 public:
  /// `counts`: row-major labels x labels, rows = true genre, columns = predicted.
  void setMatrix(QVector<QString> labels, std::vector<std::int64_t> counts, QString caption);
  bool empty() const { return labels_.isEmpty(); }
  /// The line under the title (what was counted).
  const QString& caption() const { return caption_; }
  /// Rows divided by their sums (each row shows the recall of its genre and where the rest went).
  bool normalized = false;
  /// Count or fraction shown in cell (row, column).
  double value(int row, int column) const { return value(row, column, normalized); }
  double value(int row, int column, bool fraction) const;

  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  QSizeF exportSize() const override { return {900, 860}; }
  /// The cell (true genre row, predicted genre column) under `pos` when the figure fills `rect`,
  /// or (-1, -1) outside the matrix.
  std::pair<int, int> cellAt(const QRectF& rect, QPointF pos) const;
  /// Centre of cell (row, column) when the figure fills `rect`.
  QPointF cellCentre(const QRectF& rect, int row, int column) const;
  /// Both forms: true genre, predicted genre, count, row fraction.
  void writeCsv(std::ostream& out) const override;

 private:
  /// Where the square matrix is drawn inside `rect`.
  QRectF matrixRect(const QRectF& rect) const;
  QVector<QString> labels_;
  std::vector<std::int64_t> counts_;
  QString caption_;
};

/// Grouped bars: per-genre F1 of each run, with the runs' mean accuracies in the legend.
class RunComparisonFigure : public DataFigure {
 public:
  struct Run {
    QString name;
    double mean_accuracy = 0, std_accuracy = 0, macro_f1 = 0;
    QVector<double> f1;  ///< per genre of `genres`
  };
  void setRuns(QVector<QString> genres, QVector<Run> runs);
  int runCount() const { return static_cast<int>(runs_.size()); }

  QString figureTitle() const override { return QStringLiteral("Per-genre F1 of the compared runs"); }
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  QSizeF exportSize() const override { return {1100, 620}; }
  void writeCsv(std::ostream& out) const override;

 private:
  QVector<QString> genres_;
  QVector<Run> runs_;
};

}  // namespace genrelab::ui

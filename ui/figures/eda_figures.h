// The EDA figures of the study, painted with QPainter so that the screen, PNG, SVG and PDF show
// the same thing: per-genre KDE (one feature or a grid of all), the correlation heatmap with the
// redundancy filter, the PCA scatter, cosine-similarity matrices, and a two-feature scatter.
// Figures hold a shared pointer to immutable EdaData; painting is const (GUI thread).
#pragma once

#include <QVector>
#include <memory>
#include <ostream>
#include <optional>

#include "stats/redundancy_filter.h"
#include "ui/figures/eda_data.h"
#include "ui/plot/figure.h"

namespace genrelab::ui {

/// Shared by the figures: the data and which genres are hidden (legend clicks).
class EdaFigure : public DataFigure {
 public:
  void setData(std::shared_ptr<const EdaData> data) { data_ = std::move(data); }
  const std::shared_ptr<const EdaData>& data() const { return data_; }
  bool genreHidden(int g) const { return seriesHidden(g); }

 protected:
  void paintEmpty(QPainter& p, const QRectF& rect, const QString& why) const;
  QVector<QRectF> paintLegend(QPainter& p, const QRectF& plot) const;
  std::shared_ptr<const EdaData> data_;
};

class KdeFigure : public EdaFigure {
 public:
  void writeCsv(std::ostream& out) const override;
  int feature = 0;          ///< column index
  bool rug = false;         ///< tick per track along the x axis
  bool histogram = false;   ///< step histogram under the curves
  bool grid = false;        ///< small multiples of every feature instead of one
  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  QSizeF exportSize() const override { return grid ? QSizeF(1600, 1500) : QSizeF(960, 640); }

 private:
  void paintPanel(QPainter& p, const QRectF& plot, int column, bool small) const;
};

class CorrelationFigure : public EdaFigure {
 public:
  void writeCsv(std::ostream& out) const override;
  stats::RedundancyOptions filter;  ///< threshold and scope of the marked columns
  std::optional<QPoint> highlight;  ///< (column, row) cell to outline
  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  QSizeF exportSize() const override { return {1100, 1000}; }
  /// The heatmap's square in a figure of `rect` (for mapping the mouse to a cell).
  QRectF heatmapRect(const QRectF& rect) const;
  /// Columns the filter drops at the current options.
  stats::RedundancyResult redundancy() const;
};

class PcaFigure : public EdaFigure {
 public:
  void writeCsv(std::ostream& out) const override;
  int pc_x = 0, pc_y = 1;          ///< component indices
  int selected_row = -1;           ///< outlined point
  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  /// Plot area and scales of the last paint (for hit-testing the mouse).
  QRectF plotRect(const QRectF& rect) const;
  /// The nearest visible point to `pos` within `radius` pixels, or -1.
  int rowAt(const QRectF& rect, QPointF pos, double radius = 6) const;
};

class SimilarityFigure : public EdaFigure {
 public:
  void writeCsv(std::ostream& out) const override;
  bool tracks = false;  ///< track x track (ordered by genre) instead of genre x genre
  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  QSizeF exportSize() const override { return {1000, 900}; }
  QRectF heatmapRect(const QRectF& rect) const;
};

/// Two features against each other, coloured by genre, with Pearson r in the title.
class ScatterFigure : public EdaFigure {
 public:
  void writeCsv(std::ostream& out) const override;
  int x_column = 0, y_column = 1;
  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
};

}  // namespace genrelab::ui

// The EDA figures of the study, painted with QPainter so that the screen, PNG, SVG and PDF show
// the same thing: per-genre KDE (one feature or a grid of all), the correlation heatmap with the
// redundancy filter, the PCA scatter, cosine-similarity matrices, and a two-feature scatter.
// Figures hold a shared pointer to immutable EdaData; painting is const (GUI thread).
#pragma once

#include <QVector>
#include <memory>
#include <optional>
#include <ostream>

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
  int feature = 0;         ///< column index
  bool rug = false;        ///< tick per track along the x axis
  bool histogram = false;  ///< step histogram under the curves
  bool grid = false;       ///< small multiples of every feature instead of one
  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  QSizeF exportSize() const override { return grid ? QSizeF(1600, 1500) : QSizeF(960, 640); }

 private:
  void paintPanel(QPainter& p, const QRectF& plot, int column, bool small) const;
};

/// A feature name shortened for crowded axis labels, deterministically. Names of at most 13
/// characters stay as they are (mfcc12_mean, tempo, perceptr_mean). Longer names have the words
/// of the GTZAN columns replaced: zero_crossing_rate → zcr, chroma_stft → chroma, spectral → spec,
/// centroid → cent, bandwidth → bw (spectral_centroid_mean → spec_cent_mean); a name still longer
/// than 13 characters keeps its last word (the statistic, e.g. mean) and cuts every other word to
/// its first 4 letters (spectral_flatness_mean → spec_flat_mean).
QString abbreviate_feature(const QString& name);

/// The feature x feature Pearson heatmap with the redundancy filter's dropped columns in red.
/// The layout is computed from the rect: square cells as large as it allows beside the colour
/// bar, a label font that follows the cell size (kMinLabelPx..kMaxLabelPx), full names when they
/// fit at kFullNameLabelPx or larger and abbreviate_feature() otherwise (with a key under the
/// figure), every other label only where a cell is smaller than the minimum font's line height.
class CorrelationFigure : public EdaFigure {
 public:
  static constexpr double kMinLabelPx = 7;        ///< smallest label font (px), still legible on screen
  static constexpr double kMaxLabelPx = 12;       ///< largest label font (px)
  static constexpr double kFullNameLabelPx = 10;  ///< full names only if they fit at this font or larger
  static constexpr double kExportCellPx = 16;     ///< cell side of the exported (publication) figure

  /// Where the parts go in a figure of a given rect.
  struct Layout {
    QRectF map;                ///< the heatmap's square
    double cell = 0;           ///< side of one cell (logical px)
    double font_px = 0;        ///< label font size (px)
    int label_step = 1;        ///< 1: every label; 2: every other (cells smaller than the font)
    bool abbreviated = false;  ///< labels are abbreviate_feature() of the names
    QVector<QString> labels;   ///< text per column (full or abbreviated)
  };
  /// One drawn axis label and its box in figure coordinates (rotated column labels included).
  struct LabelBox {
    int column = 0;
    bool row = true;  ///< left of the map (rows) or under it (columns, rotated 90°)
    QString text;
    QRectF box;
  };

  void writeCsv(std::ostream& out) const override;
  stats::RedundancyOptions filter;  ///< threshold and scope of the marked columns
  std::optional<QPoint> highlight;  ///< (column, row) cell to outline
  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  /// Publication size: full names at kMaxLabelPx with kExportCellPx cells.
  QSizeF exportSize() const override;
  Layout layout(const QRectF& rect) const;
  /// The heatmap's square in a figure of `rect` (for mapping the mouse to a cell).
  QRectF heatmapRect(const QRectF& rect) const { return layout(rect).map; }
  /// The labels drawn in a figure of `rect`, with their boxes (for hover and tests).
  QVector<LabelBox> labelBoxes(const QRectF& rect) const;
  /// Columns the filter drops at the current options.
  stats::RedundancyResult redundancy() const;
};

class PcaFigure : public EdaFigure {
 public:
  void writeCsv(std::ostream& out) const override;
  int pc_x = 0, pc_y = 1;  ///< component indices
  int selected_row = -1;   ///< outlined point
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

// The EDA tabs: KDE, correlation, PCA and cosine similarity. Each is a widget with its controls
// above a canvas that paints its figure (see ui/figures/eda_figures.h) and is itself a Figure,
// so File → Export and the context menu export exactly what is shown.
#pragma once

#include <QWidget>
#include <functional>
#include <memory>

#include "ui/figures/eda_figures.h"
#include "ui/views/figure_canvas.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;

namespace genrelab::ui {

/// Base of the four views: holds the data and forwards the Figure interface.
class EdaView : public QWidget, public Figure {
  Q_OBJECT
 public:
  explicit EdaView(EdaFigure& figure, QWidget* parent);
  virtual void setData(std::shared_ptr<const EdaData> eda);
  QString figureTitle() const override { return figure_.figureTitle(); }
  void paintFigure(QPainter& p, const QRectF& rect) const override { figure_.paintFigure(p, rect); }
  QSizeF exportSize() const override { return figure_.exportSize(); }
  FigureCanvas* canvas() const { return canvas_; }

 Q_SIGNALS:
  /// The user asked for another feature subset (PCA, similarity).
  void subsetRequested(stats::FeatureSubset subset);
  /// The user clicked a track (by row of the table).
  void trackActivated(int row);

 protected:
  QComboBox* makeSubsetBox();
  EdaFigure& figure_;
  FigureCanvas* canvas_;
  std::shared_ptr<const EdaData> data_;
};

class KdeView : public EdaView {
  Q_OBJECT
 public:
  explicit KdeView(QWidget* parent = nullptr);
  void setData(std::shared_ptr<const EdaData> eda) override;
  KdeFigure& figure() { return kde_; }
  QComboBox* featureBox() const { return feature_; }

 private:
  KdeFigure kde_;
  QComboBox* feature_;
  QCheckBox* rug_;
  QCheckBox* hist_;
  QCheckBox* grid_;
};

class CorrelationView : public EdaView {
  Q_OBJECT
 public:
  explicit CorrelationView(QWidget* parent = nullptr);
  void setData(std::shared_ptr<const EdaData> eda) override;
  CorrelationFigure& figure() { return corr_; }
  ScatterFigure& scatter() { return scatter_; }
  QSlider* thresholdSlider() const { return threshold_; }
  /// Shows the scatter of two feature columns (as a click on cell (x, y) does).
  void showPair(int x_column, int y_column);

 private:
  void refreshSummary();
  CorrelationFigure corr_;
  ScatterFigure scatter_;
  FigureCanvas* scatter_canvas_;
  QSlider* threshold_;
  QComboBox* scope_;
  QLabel* summary_;
};

class PcaView : public EdaView {
  Q_OBJECT
 public:
  explicit PcaView(QWidget* parent = nullptr);
  void setData(std::shared_ptr<const EdaData> eda) override;
  PcaFigure& figure() { return pca_; }
  QSpinBox* xComponent() const { return pc_x_; }
  QSpinBox* yComponent() const { return pc_y_; }

 private:
  PcaFigure pca_;
  QSpinBox* pc_x_;
  QSpinBox* pc_y_;
  QComboBox* subset_;
  QLabel* variance_;
};

class SimilarityView : public EdaView {
  Q_OBJECT
 public:
  explicit SimilarityView(QWidget* parent = nullptr);
  void setData(std::shared_ptr<const EdaData> eda) override;
  SimilarityFigure& figure() { return sim_; }
  QComboBox* modeBox() const { return mode_; }

 private:
  SimilarityFigure sim_;
  QComboBox* mode_;
  QComboBox* subset_;
  QLabel* summary_;
};

}  // namespace genrelab::ui

// Live training curves (Qt Charts): loss per epoch (train solid, held-out dashed) and held-out
// accuracy per epoch, one colour per fold, the current fold drawn thicker, learning-rate steps as
// dotted vertical lines. Points arrive in bulk (append() with many records) and every series is
// updated with one QLineSeries::replace(). The widget is a DataFigure: the context menu exports
// both charts (PNG/SVG/PDF, re-laid out at the export size) and the records as CSV.
// Thread-safety: GUI thread only.
#pragma once

#include <QColor>
#include <QList>
#include <QMap>
#include <QPointF>
#include <QWidget>
#include <vector>

#include "ui/plot/figure.h"

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace genrelab::ui {

/// One epoch of one fold, as the charts need it (copied from ml::EpochStats on the worker).
struct EpochRecord {
  int fold = 0;   ///< 0-based; ml::kFinalFold (-1) for the final model
  int epoch = 0;  ///< 1-based
  int epochs = 0;
  double train_loss = 0.0;
  double train_accuracy = 0.0;
  double heldout_loss = 0.0;  ///< validation loss, else the test fold's (NaN when neither)
  double heldout_accuracy = 0.0;
  double learning_rate = 0.0;
};

class TrainingCharts : public QWidget, public DataFigure {
  Q_OBJECT
 public:
  explicit TrainingCharts(QWidget* parent = nullptr);

  QString figureTitle() const override { return tr("Training curves"); }
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  QSizeF exportSize() const override { return {1000, 900}; }
  /// Every record so far: fold, epoch, losses, accuracies, learning rate.
  void writeCsv(std::ostream& out) const override;

  /// Removes every series and resets the axes.
  void clear();
  /// Adds many records at once: one replace() per touched series, one axis update.
  void append(const std::vector<EpochRecord>& records);
  /// Draws this fold's series thicker (the others thin).
  void setCurrentFold(int fold);

  /// Folds with series, in order (kFinalFold first when present).
  QList<int> folds() const { return curves_.keys(); }
  /// Number of line series in the loss chart (2 per fold) and in the accuracy chart (1 per fold).
  int lossSeriesCount() const;
  int accuracySeriesCount() const;
  /// Points of a fold's train-loss series (0 when the fold has none).
  int pointCount(int fold) const;
  /// Epochs (1-based) at which the learning rate changed, as marked on the charts.
  const QList<int>& learningRateSteps() const { return lr_steps_; }
  /// Shows earlier records at once (a run from the history): clear() then append().
  void show(const std::vector<EpochRecord>& records);
  QChartView* lossView() const { return loss_view_; }
  QChartView* accuracyView() const { return acc_view_; }

  static QColor foldColor(int fold);

 private:
  struct Curves {
    QLineSeries* train = nullptr;
    QLineSeries* heldout = nullptr;
    QLineSeries* accuracy = nullptr;
    QList<QPointF> train_pts, heldout_pts, accuracy_pts;
  };
  Curves& curvesFor(int fold);
  void applyPens();
  void rescale();
  void addLearningRateStep(int epoch);

 protected:
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  QChart* loss_chart_;
  QChart* acc_chart_;
  QChartView* loss_view_;
  QChartView* acc_view_;
  QValueAxis* loss_x_;
  QValueAxis* loss_y_;
  QValueAxis* acc_x_;
  QValueAxis* acc_y_;
  QMap<int, Curves> curves_;
  std::vector<EpochRecord> records_;
  QMap<int, double> last_rate_;  ///< per fold
  QList<int> lr_steps_;
  QList<QLineSeries*> lr_lines_;  ///< two per step (loss chart, accuracy chart)
  int current_fold_ = 0;
  int max_epoch_ = 1;
  double max_loss_ = 0.0;
};

}  // namespace genrelab::ui

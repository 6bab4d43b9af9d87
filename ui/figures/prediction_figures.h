// Figures of one song's prediction: the genre probabilities as bars, and the timeline of the
// per-window genres under the song's waveform with the per-genre probabilities over time.
// Thread-safety: GUI thread only (the prediction is shared and immutable).
#pragma once

#include <QString>
#include <QVector>
#include <memory>

#include "ml/predictor.h"
#include "ui/plot/axes.h"
#include "ui/plot/figure.h"

namespace genrelab::ui {

/// A finished prediction with the model's genre names.
struct PredictionData {
  ml::SongPrediction song;
  QVector<QString> labels;
  std::vector<std::string> feature_names;  ///< of song.windows[].features
};

class PredictionFigure : public DataFigure {
 public:
  void setData(std::shared_ptr<const PredictionData> data) { data_ = std::move(data); }
  const std::shared_ptr<const PredictionData>& data() const { return data_; }

 protected:
  bool ready() const { return data_ && data_->song.ok() && !data_->song.probabilities.empty(); }
  QString songName() const;
  std::shared_ptr<const PredictionData> data_;
};

/// Horizontal bars, most likely genre first.
class ProbabilityFigure : public PredictionFigure {
 public:
  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  QSizeF exportSize() const override { return {800, 520}; }
  void writeCsv(std::ostream& out) const override;
};

/// Waveform, genre strip and probability curves on one time axis.
class TimelineFigure : public PredictionFigure {
 public:
  double cursor_s = -1;  ///< playback position drawn as a line (negative: none)
  int selected_window = -1;

  QString figureTitle() const override;
  void paintFigure(QPainter& p, const QRectF& rect) const override;
  QSizeF exportSize() const override { return {1200, 640}; }
  /// Per window: start, end, genre and the probability of every genre.
  void writeCsv(std::ostream& out) const override;
  /// Seconds under x = pos.x() in a figure painted into `rect` (NaN outside the time axis).
  double timeAt(const QRectF& rect, QPointF pos) const;
  /// The window shown at time t (its span up to the next window's start), or -1.
  int windowAt(double t) const;

 private:
  struct Layout {
    QRectF wave, strip, curves;
    Scale time;
  };
  Layout layout(const QRectF& rect) const;
};

}  // namespace genrelab::ui

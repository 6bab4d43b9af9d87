// Waveform + log-mel spectrogram of one track (computed by core on a worker thread), drawn as an
// image with time/Hz axes and a dB colour bar. Wheel zooms time around the cursor, dragging
// pans, double-click resets; hovering shows time, frequency and level; a playhead follows
// playback. Exportable as a figure.
#pragma once

#include <QImage>
#include <QPointer>
#include <QWidget>
#include <optional>
#include <vector>

#include "features/log_mel.h"
#include "ui/plot/figure.h"

namespace genrelab::ui {

class Job;

/// What the view shows: computed off the GUI thread, then handed over by value.
struct TrackPicture {
  QString path;
  QString name;
  double duration_s = 0;
  std::vector<float> wave_min, wave_max;  ///< waveform envelope, one pair per spectrogram frame
  features::LogMel mel;
  QImage image;  ///< Indexed8, n_frames x n_mels, top row = highest band
};

/// Decodes `path` and computes its picture (throws FileError / std::invalid_argument).
TrackPicture compute_track_picture(const QString& path);

class SpectrogramView : public QWidget, public Figure {
  Q_OBJECT
 public:
  explicit SpectrogramView(QWidget* parent = nullptr);
  ~SpectrogramView() override;

  /// Starts computing the picture of `path`; a newer call supersedes an older one.
  void loadTrack(const QString& path);
  /// Shows an already computed picture.
  void setPicture(TrackPicture picture);
  bool hasPicture() const { return picture_.has_value(); }
  const std::optional<TrackPicture>& picture() const { return picture_; }
  /// Visible time range in seconds.
  QPair<double, double> visibleRange() const { return {t0_, t1_}; }
  void setVisibleRange(double t0, double t1);

  QString figureTitle() const override;
  void paintFigure(QPainter& painter, const QRectF& rect) const override;

 public Q_SLOTS:
  void setPlayhead(double seconds);

 Q_SIGNALS:
  void pictureReady();
  void loadFailed(const QString& message);
  /// The user clicked at a time (seconds): e.g. seek playback there.
  void timeClicked(double seconds);

 protected:
  void paintEvent(QPaintEvent*) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  struct Layout {
    QRectF wave, mel, colorbar;
  };
  Layout layout(const QRectF& rect) const;
  /// Fractional band index of a frequency (the mel axis is linear in band index).
  double bandOfHz(double hz) const;
  double hzOfBand(double band) const;

  std::optional<TrackPicture> picture_;
  QPointer<Job> job_;
  QString pending_;
  double t0_ = 0, t1_ = 1;
  double playhead_ = -1;
  QPointF hover_{-1, -1};
  bool dragging_ = false;
  QPointF drag_start_;
  double drag_t0_ = 0;
};

}  // namespace genrelab::ui

// The spectrogram figure (ui/figures/spectrogram_figure.h) as a widget: the picture is computed
// by core on a worker thread; wheel zooms time around the cursor, dragging pans, double-click
// resets; hovering shows time, frequency and level; a playhead follows playback. Exportable.
#pragma once

#include <QPointer>
#include <QWidget>

#include "features/extraction_params.h"
#include "ui/figures/spectrogram_figure.h"

namespace genrelab::ui {

class Job;

class SpectrogramView : public QWidget, public SpectrogramFigure {
  Q_OBJECT
 public:
  explicit SpectrogramView(QWidget* parent = nullptr);
  ~SpectrogramView() override;

  /// How tracks are turned into spectrograms (the open dataset's table parameters).
  void setExtractionParams(const features::ExtractionParams& params) { params_ = params; }
  /// Starts computing the picture of `path`; a newer call supersedes an older one.
  void loadTrack(const QString& path);
  /// Shows an already computed picture.
  void setPicture(TrackPicture picture);
  void setVisibleRange(double t0, double t1);

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
  features::ExtractionParams params_;
  QPointer<Job> job_;
  QString pending_;
  QPointF hover_{-1, -1};
  bool dragging_ = false;
  QPointF drag_start_;
  double drag_t0_ = 0;
};

}  // namespace genrelab::ui

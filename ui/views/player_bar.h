// Playback with Qt Multimedia: play/pause, seek slider, time read-out. One per window: the main
// window's bar plays the selected track and the Predict tab's songs alike.
// Works (silently) on machines without a sound device: errors go to the error() signal.
#pragma once

#include <QWidget>

class QAudioOutput;
class QLabel;
class QMediaPlayer;
class QSlider;
class QToolButton;

namespace genrelab::ui {

class PlayerBar : public QWidget {
  Q_OBJECT
 public:
  explicit PlayerBar(QWidget* parent = nullptr);
  void setSource(const QString& path);
  QString source() const;   ///< the file last given to setSource(), or empty
  double position() const;  ///< seconds
  bool playing() const;

 public Q_SLOTS:
  void togglePlay();
  void stop();
  void seek(double seconds);
  void skip(double delta_seconds);

 Q_SIGNALS:
  void positionChanged(double seconds);
  void error(const QString& message);

 private:
  void refreshTime();
  QMediaPlayer* player_;
  QAudioOutput* output_;
  QToolButton* play_;
  QSlider* slider_;
  QLabel* time_;
  bool slider_held_ = false;
};

}  // namespace genrelab::ui

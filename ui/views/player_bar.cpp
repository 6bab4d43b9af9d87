#include "ui/views/player_bar.h"

#include <QAudioOutput>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaPlayer>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <QUrl>

namespace genrelab::ui {
namespace {

QString clock(qint64 ms) {
  const qint64 s = ms / 1000;
  return QStringLiteral("%1:%2.%3").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0')).arg((ms % 1000) / 100);
}

}  // namespace

PlayerBar::PlayerBar(QWidget* parent)
    : QWidget(parent), player_(new QMediaPlayer(this)), output_(new QAudioOutput(this)), play_(new QToolButton(this)),
      slider_(new QSlider(Qt::Horizontal, this)), time_(new QLabel(this)) {
  player_->setAudioOutput(output_);
  play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  play_->setToolTip(tr("Play / pause (Space)"));
  play_->setEnabled(false);
  slider_->setEnabled(false);
  time_->setText(clock(0) + QStringLiteral(" / ") + clock(0));
  time_->setMinimumWidth(110);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(4, 2, 4, 2);
  row->addWidget(play_);
  row->addWidget(slider_, 1);
  row->addWidget(time_);

  connect(play_, &QToolButton::clicked, this, &PlayerBar::togglePlay);
  connect(player_, &QMediaPlayer::durationChanged, this, [this](qint64 ms) {
    slider_->setRange(0, static_cast<int>(ms));
    refreshTime();
  });
  connect(player_, &QMediaPlayer::positionChanged, this, [this](qint64 ms) {
    if (!slider_held_) slider_->setValue(static_cast<int>(ms));
    refreshTime();
    Q_EMIT positionChanged(static_cast<double>(ms) / 1000.0);
  });
  connect(player_, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState s) {
    play_->setIcon(
        style()->standardIcon(s == QMediaPlayer::PlayingState ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  });
  connect(player_, &QMediaPlayer::errorOccurred, this,
          [this](QMediaPlayer::Error, const QString& message) { Q_EMIT error(tr("Playback: %1").arg(message)); });
  connect(slider_, &QSlider::sliderPressed, this, [this] { slider_held_ = true; });
  connect(slider_, &QSlider::sliderReleased, this, [this] {
    slider_held_ = false;
    player_->setPosition(slider_->value());
  });
}

void PlayerBar::setSource(const QString& path) {
  player_->stop();
  player_->setSource(QUrl::fromLocalFile(path));
  play_->setEnabled(true);
  slider_->setEnabled(true);
}

QString PlayerBar::source() const { return player_->source().toLocalFile(); }

double PlayerBar::position() const { return static_cast<double>(player_->position()) / 1000.0; }
bool PlayerBar::playing() const { return player_->playbackState() == QMediaPlayer::PlayingState; }

void PlayerBar::togglePlay() {
  if (player_->source().isEmpty()) return;
  if (playing()) player_->pause();
  else player_->play();
}

void PlayerBar::stop() { player_->stop(); }

void PlayerBar::seek(double seconds) {
  if (player_->source().isEmpty()) return;
  player_->setPosition(std::max<qint64>(0, static_cast<qint64>(seconds * 1000.0)));
  Q_EMIT positionChanged(seconds);
}

void PlayerBar::skip(double delta_seconds) { seek(position() + delta_seconds); }

void PlayerBar::refreshTime() {
  time_->setText(clock(player_->position()) + QStringLiteral(" / ") + clock(player_->duration()));
}

}  // namespace genrelab::ui

// Waveform + log-mel spectrogram of one track as a figure (QtGui only: drawn by the GUI's
// spectrogram view and by `genrelab-cli export --figure mel`): an image with time/Hz axes and a
// dB colour bar, over a visible time range, with an optional playhead.
#pragma once

#include <QImage>
#include <QString>
#include <optional>
#include <vector>

#include "features/extraction_params.h"
#include "features/log_mel.h"
#include "ui/plot/figure.h"

namespace genrelab::ui {

/// What the figure shows: computed off the GUI thread, then handed over by value.
struct TrackPicture {
  QString path;
  QString name;
  double duration_s = 0;
  features::ExtractionParams params;      ///< how the spectrogram was computed (rate, hop, mels, top_db)
  std::vector<float> wave_min, wave_max;  ///< waveform envelope, one pair per spectrogram frame
  features::LogMel mel;
  QImage image;  ///< Indexed8, n_frames x n_mels, top row = highest band
};

/// Decodes `path` at params.sample_rate and computes its picture with `params` (hop, mels, top_db).
/// Throws FileError / std::invalid_argument.
TrackPicture compute_track_picture(const QString& path, const features::ExtractionParams& params = {});

class SpectrogramFigure : public Figure {
 public:
  /// Shows `picture`, all of it.
  void setPicture(TrackPicture picture);
  bool hasPicture() const { return picture_.has_value(); }
  const std::optional<TrackPicture>& picture() const { return picture_; }
  /// Visible time range in seconds (clamped to the track, at least 0.25 s).
  QPair<double, double> visibleRange() const { return {t0_, t1_}; }
  void setVisibleRange(double t0, double t1);
  /// Playback position in seconds (< 0: none).
  void setPlayheadPosition(double seconds) { playhead_ = seconds; }

  QString figureTitle() const override;
  void paintFigure(QPainter& painter, const QRectF& rect) const override;

 protected:
  struct Layout {
    QRectF wave, mel, colorbar;
  };
  Layout figureLayout(const QRectF& rect) const;
  /// Fractional band index of a frequency (the mel axis is linear in band index).
  double bandOfHz(double hz) const;
  double hzOfBand(double band) const;

  std::optional<TrackPicture> picture_;
  double t0_ = 0, t1_ = 1;
  double playhead_ = -1;
};

}  // namespace genrelab::ui

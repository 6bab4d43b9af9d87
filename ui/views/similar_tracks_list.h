// "Similar tracks" as a list: the open dataset's tracks nearest to a song (or to one of its
// windows, chosen in a combo) or to a dataset track, by the study's measure (cosine similarity of
// features standardised on the table; stats/similar_tracks.h), with rank, similarity, genre and
// file. A click on a row asks the window to play that track.
// Thread-safety: GUI thread only (a query over a 1000-row table takes microseconds).
#pragma once

#include <QString>
#include <QWidget>
#include <memory>
#include <span>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QTableWidget;

namespace genrelab::stats {
class SimilarTracks;
}

namespace genrelab::ui {

class SimilarTracksList : public QWidget {
  Q_OBJECT
 public:
  /// Rows shown.
  static constexpr int kTop = 10;

  explicit SimilarTracksList(QWidget* parent = nullptr);
  ~SimilarTracksList() override;

  /// The dataset to search (nullptr: none, and the list says why in `reason`).
  void setIndex(std::shared_ptr<const stats::SimilarTracks> index, const QString& table_name,
                const QString& reason = {});
  bool hasIndex() const { return index_ != nullptr; }

  /// One window of a song: its time span and its feature row (`names` order).
  struct Window {
    double start_s = 0.0, end_s = 0.0;
    std::vector<double> features;
  };
  /// The tracks nearest to a song: the whole song (mean of its windows) first; with several
  /// windows the combo offers each. `names` are the features' names (the extractor's). Rows of
  /// the track `exclude_track` (the song's own clip when it is a dataset file) are left out.
  void showSong(const QString& title, const std::vector<std::string>& names, std::vector<Window> windows,
                const std::string& exclude_track = {});
  /// The tracks nearest to a dataset track: its table rows (one clip, or its 3-s segments; the
  /// table's column order), ranked by their mean, leaving out the track (`track_id`) itself.
  void showTrack(const QString& title, std::vector<std::vector<double>> rows, const std::string& track_id);
  void clear();
  /// Shows window `w` of the song (-1: the whole song).
  void selectWindow(int w);

  QTableWidget* table() const { return table_; }
  QComboBox* windowChoice() const { return windows_; }

 Q_SIGNALS:
  /// A row was clicked: its table file name and genre.
  void playRequested(const QString& filename, const QString& genre);

 private:
  void refresh();

  QLabel* title_;
  QComboBox* windows_;
  QTableWidget* table_;
  std::shared_ptr<const stats::SimilarTracks> index_;
  QString table_name_, reason_, subject_;
  /// The subject's rows in the table's column order: the song's windows, or the track's rows.
  std::vector<std::vector<double>> queries_;
  std::string exclude_track_;
  QString error_;
};

}  // namespace genrelab::ui

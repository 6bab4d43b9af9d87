// The Predict view: drop songs or folders (onto it or the main window), or add them with the
// buttons; a queue classifies them one after the other on a worker with the active model (the
// one just trained, or a saved bundle opened with File → Open model…), showing per-file progress
// and errors (an unreadable file fails alone, the rest go on). A finished song shows its genre
// probabilities and, on one time axis, its waveform, the genre of every window and the
// per-genre probabilities; clicking the timeline plays the song from that window. Beside the
// queue, the open dataset's tracks most similar to the song (or to the window clicked).
// With no model of the user's, the recommended model of the open dataset is used
// (ml/recommended_model.h: loaded from the cache, or trained in the background while dropped songs
// wait in the queue).
// Thread-safety: GUI thread only (the worker posts results back by value).
#pragma once

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <memory>
#include <optional>
#include <ostream>

#include "features/extraction_params.h"
#include "ui/figures/prediction_figures.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace genrelab::dataset {
struct FeatureTable;
}
namespace genrelab::ml {
struct ModelBundle;
class Predictor;
}  // namespace genrelab::ml
namespace genrelab::stats {
class SimilarTracks;
}

namespace genrelab::ui {

class FigureCanvas;
class Job;
class PlayerBar;
class SimilarTracksList;

class PredictionView : public QWidget {
  Q_OBJECT
 public:
  enum class Status { queued, running, done, failed, cancelled };
  struct Entry {
    QString path;
    Status status = Status::queued;
    double progress = 0.0;
    QString error;
    std::shared_ptr<const PredictionData> result;  ///< when done
  };

  explicit PredictionView(QWidget* parent = nullptr);
  /// Cancels the song in progress and waits for its worker.
  ~PredictionView() override;

  /// Makes `bundle` the active model (queued songs then start). Throws std::invalid_argument when
  /// the model cannot classify audio (columns GenreLab does not extract). A model of the user's
  /// (`recommended` false: trained or opened) replaces the recommended one for good.
  void setModel(std::shared_ptr<const ml::ModelBundle> bundle, const QString& description, bool recommended = false);
  /// Unless the user has set a model: loads the recommended model of `table` (extracted with
  /// `extraction`, recorded in the model) from the cache under `cache_dir`, or trains it in the
  /// background (progress in the model line; songs wait in the queue), then makes it active.
  /// Cancels a preparation under way for another table.
  void useRecommendedModel(std::shared_ptr<const dataset::FeatureTable> table, const QString& table_name,
                           const std::optional<features::ExtractionParams>& extraction, const QString& cache_dir);
  /// True while the recommended model is being prepared.
  bool preparingModel() const;
  /// The dataset that "similar tracks" searches (nullptr: none; `reason` says why).
  void setSimilarityIndex(std::shared_ptr<const stats::SimilarTracks> index, const QString& table_name,
                          const QString& reason = {});
  /// Loads a model bundle and makes it active; throws FileError naming the file and the reason.
  void openModel(const QString& path);
  void openModelInteractively();
  bool hasModel() const { return predictor_ != nullptr; }
  QString modelDescription() const { return model_description_; }

  /// Queues files and folders (their audio files, recursively, sorted) and starts the queue.
  void addPaths(const QStringList& paths);
  const QVector<Entry>& entries() const { return entries_; }
  /// True while a song is being classified.
  bool busy() const;
  /// Stops the song in progress and marks the queued ones cancelled.
  void cancel();
  /// Empties the queue (cancels first).
  void clear();
  /// Shows entry `row`'s result.
  void selectEntry(int row);
  /// Plays the selected song from the start of the window shown at `seconds`; returns the window.
  int playWindowAt(double seconds);
  /// Writes one line per finished song (file, genre, confidence, duration, probabilities) and
  /// one per failed song (its error). Throws FileError.
  void exportResults(const QString& path) const;
  void writeResults(std::ostream& out) const;

  QTableWidget* queueTable() const { return queue_; }
  ProbabilityFigure& probabilityFigure() { return probabilities_; }
  TimelineFigure& timelineFigure() { return timeline_; }
  FigureCanvas* timelineCanvas() const { return timeline_canvas_; }
  PlayerBar* player() const { return player_; }
  SimilarTracksList* similarTracks() const { return similar_; }
  /// Plays through `player` (the window's one bar) instead of the view's own, which is removed.
  void usePlayer(PlayerBar* player);

 Q_SIGNALS:
  void modelChanged(const QString& description);
  /// Entry `row` finished (done or failed).
  void entryFinished(int row);
  /// Nothing is left to classify.
  void queueIdle();
  /// A similar track was clicked: its table file name and genre (the window finds and plays it).
  void trackPlayRequested(const QString& filename, const QString& genre);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  /// The timeline's play cursor, while the player plays this view's song.
  void followPlayer(double seconds);
  void startNext();
  void finish(int row, std::shared_ptr<const PredictionData> result, const QString& error, Status status);
  void refreshRow(int row);
  void updateButtons();

  QLabel* model_label_;
  QPushButton* open_model_;
  QPushButton* add_files_;
  QPushButton* add_folder_;
  QPushButton* cancel_;
  QPushButton* clear_;
  QPushButton* export_;
  QTableWidget* queue_;
  ProbabilityFigure probabilities_;
  TimelineFigure timeline_;
  FigureCanvas* probability_canvas_;
  FigureCanvas* timeline_canvas_;
  PlayerBar* player_;
  QLabel* hint_;
  SimilarTracksList* similar_;
  QProgressBar* model_progress_;

  std::shared_ptr<const ml::Predictor> predictor_;
  QVector<QString> labels_;
  QString model_description_;
  QVector<Entry> entries_;
  QPointer<Job> job_;
  QPointer<Job> model_job_;  ///< preparing the recommended model
  int model_request_ = 0;    ///< counts useRecommendedModel() calls: only the latest one's model is used
  bool user_model_ = false;  ///< the active model is the user's (trained or opened)
  int running_ = -1;         ///< row being classified
  int selected_ = -1;
  QString player_source_;
};

}  // namespace genrelab::ui

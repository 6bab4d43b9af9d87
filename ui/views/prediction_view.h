// The Predict view: drop songs or folders (onto it or the main window), or add them with the
// buttons; a queue classifies them one after the other on a worker with the active model (the
// one just trained, or a saved bundle opened with File → Open model…), showing per-file progress
// and errors (an unreadable file fails alone, the rest go on). A finished song shows its genre
// probabilities and, on one time axis, its waveform, the genre of every window and the
// per-genre probabilities; clicking the timeline plays the song from that window.
// Thread-safety: GUI thread only (the worker posts results back by value).
#pragma once

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <memory>
#include <ostream>

#include "ui/figures/prediction_figures.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace genrelab::ml {
struct ModelBundle;
class Predictor;
}  // namespace genrelab::ml

namespace genrelab::ui {

class FigureCanvas;
class Job;
class PlayerBar;

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
  /// the model cannot classify audio (columns GenreLab does not extract).
  void setModel(std::shared_ptr<const ml::ModelBundle> bundle, const QString& description);
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
  /// Plays through `player` (the window's one bar) instead of the view's own, which is removed.
  void usePlayer(PlayerBar* player);

 Q_SIGNALS:
  void modelChanged(const QString& description);
  /// Entry `row` finished (done or failed).
  void entryFinished(int row);
  /// Nothing is left to classify.
  void queueIdle();

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

  std::shared_ptr<const ml::Predictor> predictor_;
  QVector<QString> labels_;
  QString model_description_;
  QVector<Entry> entries_;
  QPointer<Job> job_;
  int running_ = -1;  ///< row being classified
  int selected_ = -1;
  QString player_source_;
};

}  // namespace genrelab::ui

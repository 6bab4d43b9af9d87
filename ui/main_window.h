// GenreLab's main window: opens a dataset folder (menu, toolbar, drag and drop, recent folders),
// shows its genres and tracks, and runs long work on background jobs with a cancellable
// progress bar in the status bar.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <filesystem>
#include <optional>

#include "dataset/dataset_scan.h"
#include "dataset/feature_table.h"
#include "features/extraction_params.h"

class QLabel;
class QProgressBar;
class QToolButton;
class QTreeWidget;
class QTextBrowser;
class QMenu;
class QTabWidget;
class QComboBox;

namespace genrelab::stats {
class SimilarTracks;
}

namespace genrelab::ui {

class Job;
class SpectrogramView;
class PlayerBar;
class FeatureTableView;
class KdeView;
class CorrelationView;
class PcaView;
class SimilarityView;
class TrainingView;
class PredictionView;
struct EdaData;

/// A scanned dataset with its feature tables, loaded off the GUI thread.
struct LoadedDataset {
  dataset::DatasetScan scan;
  std::shared_ptr<const dataset::FeatureTable> table_30s, table_3s;
  /// How the tables were extracted (their sidecars; unset without one: librosa's defaults).
  std::optional<features::ExtractionParams> params_30s, params_3s;
  QStringList problems;  ///< tables that could not be read, with the reason
};

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Scans `folder` on a worker thread and shows it when done.
  void openDataset(const QString& folder);
  /// Generates (once) and opens the synthetic demo dataset in `folder`.
  void openDemoDataset(const QString& folder);
  /// The dataset on display, if any.
  const std::optional<dataset::DatasetScan>& dataset() const { return scan_; }
  const std::shared_ptr<const dataset::FeatureTable>& table30() const { return table_30s_; }
  /// The tracks most similar to a dataset track (File tree: context menu "Similar tracks").
  void showSimilarTo(const QString& path);
  /// Whether an opened dataset's table trains (or loads) the recommended model for the Predict
  /// tab when no model of the user's is set (default on; views that test other things turn it off).
  void setRecommendedModelEnabled(bool enabled) { recommended_model_ = enabled; }
  /// Selects a track in the tree (by path): shows its spectrogram and loads it for playback.
  void selectTrack(const QString& path);
  /// Selects the first track whose file name is `name`.
  void selectTrackByName(const QString& name);
  /// Shows the tab titled `title` (case-insensitive); false when there is none.
  bool showTab(const QString& title);
  SpectrogramView* spectrogramView() const { return spectrogram_; }
  FeatureTableView* featureTableView() const { return table_view_; }
  QTabWidget* tabs() const { return tabs_; }
  KdeView* kdeView() const { return kde_; }
  CorrelationView* correlationView() const { return correlation_; }
  PcaView* pcaView() const { return pca_; }
  SimilarityView* similarityView() const { return similarity_; }
  TrainingView* trainingView() const { return training_; }
  PredictionView* predictionView() const { return prediction_; }
  /// Extracts the 30-s feature table from the dataset's audio (background job, progress, cancel).
  void extractFeatures();
  /// "Features of N file(s): R reused from the feature store, C computed." after an extraction.
  const QString& lastExtractSummary() const { return last_extract_summary_; }
  /// True while a background job runs (opening, extraction, analysis, training, preparing the
  /// recommended model, classification).
  bool busy() const;

 Q_SIGNALS:
  /// Emitted on the GUI thread when a dataset has been scanned and shown.
  void datasetOpened();
  /// Emitted when opening failed, with the message shown to the user.
  void datasetFailed(const QString& message);
  /// Emitted when the EDA views have new data.
  void analysisReady();

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void runJob(Job* job);
  void showDataset(LoadedDataset loaded);
  void showTable(int which);
  void showError(const QString& message);
  void computeEda(int subset);
  void setTable30(std::shared_ptr<const dataset::FeatureTable> table, const QString& name,
                  const features::ExtractionParams& params);
  /// The table used for similar tracks and the recommended model changed (table30(), else the 3-s one).
  void useTable();
  /// The dataset's track of a table row (file name and genre), or nullptr.
  const dataset::Track* trackOf(const QString& filename, const QString& genre) const;
  /// Plays the dataset's audio of a table row (file name and genre); false (and an error) when none.
  bool playTableTrack(const QString& filename, const QString& genre);
  void rememberRecent(const QString& folder);
  void refreshRecentMenu();

  std::optional<dataset::DatasetScan> scan_;
  std::shared_ptr<const dataset::FeatureTable> table_30s_, table_3s_;
  std::optional<features::ExtractionParams> params_30s_, params_3s_;
  QTabWidget* tabs_ = nullptr;
  SpectrogramView* spectrogram_ = nullptr;
  QLabel* kaggle_image_ = nullptr;
  PlayerBar* player_ = nullptr;
  FeatureTableView* table_view_ = nullptr;
  QComboBox* table_choice_ = nullptr;
  KdeView* kde_ = nullptr;
  CorrelationView* correlation_ = nullptr;
  PcaView* pca_ = nullptr;
  SimilarityView* similarity_ = nullptr;
  TrainingView* training_ = nullptr;
  PredictionView* prediction_ = nullptr;
  QPointer<Job> eda_job_;
  QString table_name_;
  QString last_extract_summary_;
  std::shared_ptr<const EdaData> eda_;
  std::shared_ptr<const stats::SimilarTracks> similar_index_;
  bool recommended_model_ = true;
  QPointer<Job> job_;
  QTreeWidget* tree_ = nullptr;
  QTextBrowser* overview_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QToolButton* cancel_ = nullptr;
  QLabel* status_ = nullptr;
  QMenu* recent_menu_ = nullptr;
};

}  // namespace genrelab::ui

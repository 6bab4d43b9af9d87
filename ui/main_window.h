// GenreLab's main window: opens a dataset folder (menu, toolbar, drag and drop, recent folders),
// shows its genres and tracks, and runs long work on background jobs with a cancellable
// progress bar in the status bar.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <filesystem>
#include <optional>

#include "dataset/dataset_scan.h"

class QLabel;
class QProgressBar;
class QToolButton;
class QTreeWidget;
class QTextBrowser;
class QMenu;

namespace genrelab::ui {

class Job;

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
  /// True while a background job runs.
  bool busy() const;

 Q_SIGNALS:
  /// Emitted on the GUI thread when a dataset has been scanned and shown.
  void datasetOpened();
  /// Emitted when opening failed, with the message shown to the user.
  void datasetFailed(const QString& message);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void runJob(Job* job);
  void showDataset(dataset::DatasetScan scan);
  void rememberRecent(const QString& folder);
  void refreshRecentMenu();

  std::optional<dataset::DatasetScan> scan_;
  QPointer<Job> job_;
  QTreeWidget* tree_ = nullptr;
  QTextBrowser* overview_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QToolButton* cancel_ = nullptr;
  QLabel* status_ = nullptr;
  QMenu* recent_menu_ = nullptr;
};

}  // namespace genrelab::ui

#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>

#include "dataset/default_location.h"
#include "dataset/demo_dataset.h"
#include "ui/jobs/job_runner.h"

namespace genrelab::ui {
namespace {

QString fromPath(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }
std::filesystem::path toPath(const QString& s) { return std::filesystem::path(s.toStdString()); }

QString formatDuration(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("GenreLab"));
  setAcceptDrops(true);
  resize(1280, 820);

  tree_ = new QTreeWidget(this);
  tree_->setColumnCount(3);
  tree_->setHeaderLabels({tr("Track"), tr("Duration"), tr("Status")});
  tree_->header()->setStretchLastSection(false);
  tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  tree_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  tree_->setUniformRowHeights(true);
  auto* dock = new QDockWidget(tr("Dataset"), this);
  dock->setObjectName(QStringLiteral("datasetDock"));
  dock->setWidget(tree_);
  dock->setMinimumWidth(420);
  addDockWidget(Qt::LeftDockWidgetArea, dock);

  auto* tabs = new QTabWidget(this);
  overview_ = new QTextBrowser(tabs);
  overview_->setOpenExternalLinks(false);
  tabs->addTab(overview_, tr("Overview"));
  setCentralWidget(tabs);

  status_ = new QLabel(tr("No dataset"), this);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(260);
  progress_->setVisible(false);
  cancel_ = new QToolButton(this);
  cancel_->setText(tr("Cancel"));
  cancel_->setVisible(false);
  connect(cancel_, &QToolButton::clicked, this, [this] {
    if (job_) job_->cancel();
  });
  statusBar()->addWidget(status_, 1);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_);

  buildMenus();
}

MainWindow::~MainWindow() {
  if (job_) job_->cancel_and_wait();
}

bool MainWindow::busy() const { return job_ && !job_->done(); }

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open Dataset Folder…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a GTZAN-style folder"));
    if (!dir.isEmpty()) openDataset(dir);
  });
  open->setShortcut(QKeySequence::Open);
  recent_menu_ = file->addMenu(tr("Open &Recent"));
  file->addAction(tr("Open &Demo Dataset"), this, [this] {
    openDemoDataset(fromPath(dataset::cache_dir() / "demo"));
  });
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
  quit->setShortcut(QKeySequence::Quit);
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About GenreLab"), this, [this] {
    QMessageBox::about(this, tr("About GenreLab"),
                       tr("<b>GenreLab %1</b><p>A workbench for music-genre analysis on GTZAN-style datasets: "
                          "librosa-exact features, exploratory views, CNN training and song prediction.</p>")
                           .arg(QStringLiteral(GENRELAB_VERSION)));
  });
  QToolBar* bar = addToolBar(tr("Main"));
  bar->setObjectName(QStringLiteral("mainToolbar"));
  bar->addAction(open);
  refreshRecentMenu();
}

void MainWindow::runJob(Job* job) {
  job_ = job;
  progress_->setValue(0);
  progress_->setVisible(true);
  cancel_->setVisible(true);
  status_->setText(job->title());
  connect(job, &Job::progressed, this, [this, job](double f, const QString& message) {
    progress_->setValue(static_cast<int>(f * 1000));
    status_->setText(job->title() + QStringLiteral(" — ") + message);
  });
  connect(job, &Job::ended, this, [this] {
    progress_->setVisible(false);
    cancel_->setVisible(false);
  });
  connect(job, &Job::failed, this, [this, job](const QString& message) {
    status_->setText(job->title() + QStringLiteral(": ") + message);
    Q_EMIT datasetFailed(message);
  });
}

void MainWindow::openDataset(const QString& folder) {
  if (job_) job_->cancel();
  const auto path = toPath(folder);
  runJob(Job::start(tr("Scanning %1").arg(folder), [this, path](ProgressSink& progress, const CancelToken& cancel) {
    auto scan = dataset::scan_dataset(path, {}, &progress, &cancel);
    return std::function<void()>([this, scan = std::move(scan)]() mutable { showDataset(std::move(scan)); });
  }));
}

void MainWindow::openDemoDataset(const QString& folder) {
  if (job_) job_->cancel();
  const auto path = toPath(folder);
  runJob(Job::start(tr("Preparing the demo dataset"), [this, path](ProgressSink& progress, const CancelToken& cancel) {
    dataset::ensure_demo_dataset(path, {}, &progress, &cancel);
    auto scan = dataset::scan_dataset(path, {}, nullptr, &cancel);
    return std::function<void()>([this, scan = std::move(scan)]() mutable { showDataset(std::move(scan)); });
  }));
}

void MainWindow::showDataset(dataset::DatasetScan scan) {
  scan_ = std::move(scan);
  const auto& s = *scan_;
  tree_->clear();
  for (const auto& label : s.labels) {
    auto* genre = new QTreeWidgetItem(tree_, {QString::fromStdString(label)});
    genre->setFirstColumnSpanned(false);
    double seconds = 0;
    int count = 0;
    for (const auto& t : s.tracks) {
      if (t.label != label) continue;
      auto* item = new QTreeWidgetItem(genre, {QString::fromStdString(t.path.filename().string()),
                                               formatDuration(t.info.duration_s), tr("ok")});
      item->setToolTip(0, fromPath(t.path));
      item->setData(0, Qt::UserRole, fromPath(t.path));
      seconds += t.info.duration_s;
      ++count;
    }
    genre->setText(1, formatDuration(seconds));
    genre->setText(2, tr("%n track(s)", nullptr, count));
  }
  if (!s.skipped.empty()) {
    auto* bad = new QTreeWidgetItem(tree_, {tr("Unreadable files"), QString(), tr("%n skipped", nullptr, static_cast<int>(s.skipped.size()))});
    bad->setForeground(0, QColor(0xb0, 0x20, 0x20));
    for (const auto& f : s.skipped) {
      auto* item = new QTreeWidgetItem(bad, {QString::fromStdString(f.path.filename().string()), QString(),
                                             QString::fromStdString(f.reason)});
      item->setForeground(2, QColor(0xb0, 0x20, 0x20));
      item->setToolTip(0, fromPath(f.path));
      item->setToolTip(2, QString::fromStdString(f.reason));
    }
  }
  tree_->expandToDepth(0);

  QString html = QStringLiteral("<h2>%1</h2><p>%2</p>")
                     .arg(fromPath(s.root).toHtmlEscaped(),
                          s.kaggle_layout ? tr("Kaggle GTZAN layout") : tr("&lt;label&gt;/&lt;file&gt; layout"));
  html += tr("<p><b>%1</b> genres, <b>%2</b> readable tracks, <b>%3</b> unreadable files.</p>")
              .arg(s.labels.size())
              .arg(s.tracks.size())
              .arg(s.skipped.size());
  html += QStringLiteral("<table cellpadding='3'><tr><th align='left'>%1</th><th align='right'>%2</th></tr>")
              .arg(tr("Genre"), tr("Tracks"));
  for (const auto& [label, n] : s.tracks_per_label())
    html += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td></tr>").arg(QString::fromStdString(label)).arg(n);
  html += QStringLiteral("</table><h3>%1</h3><ul>").arg(tr("Feature tables"));
  for (const auto& [name, table] : {std::pair{tr("30-second table"), &s.table_30s}, std::pair{tr("3-second table"), &s.table_3s}}) {
    if (!*table) html += QStringLiteral("<li>%1: %2</li>").arg(name, tr("none"));
    else if (!(*table)->error.empty())
      html += QStringLiteral("<li>%1: %2 — <span style='color:#b02020'>%3</span></li>")
                  .arg(name, fromPath((*table)->path.filename()), QString::fromStdString((*table)->error).toHtmlEscaped());
    else
      html += QStringLiteral("<li>%1: %2 (%3 rows)</li>").arg(name, fromPath((*table)->path.filename())).arg((*table)->rows);
  }
  html += QStringLiteral("</ul>");
  if (!s.skipped.empty()) {
    html += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Unreadable files"));
    for (const auto& f : s.skipped)
      html += QStringLiteral("<li><code>%1</code>: <span style='color:#b02020'>%2</span></li>")
                  .arg(fromPath(f.path).toHtmlEscaped(), QString::fromStdString(f.reason).toHtmlEscaped());
    html += QStringLiteral("</ul>");
  }
  overview_->setHtml(html);
  status_->setText(tr("%1: %2 tracks in %3 genres").arg(fromPath(s.root)).arg(s.tracks.size()).arg(s.labels.size()));
  setWindowTitle(tr("GenreLab — %1").arg(fromPath(s.root.filename().empty() ? s.root.parent_path().filename() : s.root.filename())));
  rememberRecent(fromPath(s.root));
  Q_EMIT datasetOpened();
}

void MainWindow::rememberRecent(const QString& folder) {
  QSettings settings;
  QStringList recent = settings.value(QStringLiteral("recentFolders")).toStringList();
  recent.removeAll(folder);
  recent.prepend(folder);
  while (recent.size() > 8) recent.removeLast();
  settings.setValue(QStringLiteral("recentFolders"), recent);
  refreshRecentMenu();
}

void MainWindow::refreshRecentMenu() {
  recent_menu_->clear();
  const QStringList recent = QSettings().value(QStringLiteral("recentFolders")).toStringList();
  for (const QString& folder : recent) recent_menu_->addAction(folder, this, [this, folder] { openDataset(folder); });
  recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls()) {
    const QString path = url.toLocalFile();
    if (!path.isEmpty() && std::filesystem::is_directory(toPath(path))) {
      openDataset(path);
      event->acceptProposedAction();
      return;
    }
  }
  status_->setText(tr("Drop a dataset folder to open it"));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (job_) job_->cancel_and_wait();
  event->accept();
}

}  // namespace genrelab::ui

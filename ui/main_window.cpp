// The main window: the dataset tree, the tabs, menus, background jobs, drag and drop
// (main_window_dataset.cpp opens datasets and their tables).
#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "dataset/default_location.h"
#include "dataset/demo_dataset.h"
#include "ui/app_icon.h"
#include "ui/jobs/job_runner.h"
#include "ui/main_window_parts.h"
#include "ui/plot/figure.h"
#include "ui/views/eda_views.h"
#include "ui/views/export_menu.h"
#include "ui/views/feature_table_view.h"
#include "ui/views/player_bar.h"
#include "ui/views/prediction_view.h"
#include "ui/views/spectrogram_view.h"
#include "ui/views/training_view.h"

namespace genrelab::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("GenreLab"));
  // Also the About box's icon: QMessageBox::about shows its parent's window icon.
  setWindowIcon(app_icon());
  setAcceptDrops(true);
  resize(1280, 820);

  tree_ = new QTreeWidget(this);
  tree_->setColumnCount(3);
  tree_->setHeaderLabels({tr("Track"), tr("Duration"), tr("Status")});
  tree_->header()->setStretchLastSection(false);
  tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  tree_->header()->setSectionResizeMode(2, QHeaderView::Interactive);
  tree_->header()->resizeSection(2, 150);  // long reasons are elided; the full text is the tooltip
  tree_->setUniformRowHeights(true);
  auto* dock = new QDockWidget(tr("Dataset"), this);
  dock->setObjectName(QStringLiteral("datasetDock"));
  dock->setWidget(tree_);
  dock->setMinimumWidth(420);
  addDockWidget(Qt::LeftDockWidgetArea, dock);

  tabs_ = new QTabWidget(this);
  overview_ = new QTextBrowser(tabs_);
  overview_->setOpenExternalLinks(false);
  tabs_->addTab(overview_, tr("Overview"));

  auto* split = new QSplitter(Qt::Horizontal, tabs_);
  split->setObjectName(QStringLiteral("spectrogramSplitter"));
  spectrogram_ = new SpectrogramView(split);
  kaggle_image_ = new QLabel(split);
  kaggle_image_->setAlignment(Qt::AlignCenter);
  kaggle_image_->setMinimumWidth(200);
  kaggle_image_->setWordWrap(true);
  split->addWidget(spectrogram_);
  split->addWidget(kaggle_image_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  tabs_->addTab(split, tr("Spectrogram"));

  auto* table_page = new QWidget(tabs_);
  table_choice_ = new QComboBox(table_page);
  table_view_ = new FeatureTableView(table_page);
  auto* table_layout = new QVBoxLayout(table_page);
  table_layout->setContentsMargins(0, 4, 0, 0);
  table_layout->addWidget(table_choice_);
  table_layout->addWidget(table_view_, 1);
  tabs_->addTab(table_page, tr("Features"));
  connect(table_choice_, &QComboBox::currentIndexChanged, this, &MainWindow::showTable);

  kde_ = new KdeView(tabs_);
  correlation_ = new CorrelationView(tabs_);
  pca_ = new PcaView(tabs_);
  similarity_ = new SimilarityView(tabs_);
  tabs_->addTab(kde_, tr("KDE"));
  tabs_->addTab(correlation_, tr("Correlation"));
  tabs_->addTab(pca_, tr("PCA"));
  tabs_->addTab(similarity_, tr("Similarity"));
  training_ = new TrainingView(tabs_);
  tabs_->addTab(training_, tr("Training"));
  connect(training_, &TrainingView::extractRequested, this, &MainWindow::extractFeatures);
  prediction_ = new PredictionView(tabs_);
  tabs_->addTab(prediction_, tr("Predict"));
  connect(training_, &TrainingView::modelTrained, this,
          [this](std::shared_ptr<const ml::ModelBundle> bundle, const QString& description) {
            try {
              prediction_->setModel(std::move(bundle), description);
            } catch (const std::exception& e) {
              status_->setText(tr("The trained model cannot classify audio: %1").arg(QString::fromUtf8(e.what())));
            }
          });
  for (EdaView* view : std::initializer_list<EdaView*>{pca_, similarity_}) {
    connect(view, &EdaView::subsetRequested, this,
            [this](stats::FeatureSubset subset) { computeEda(static_cast<int>(subset)); });
  }
  connect(pca_, &EdaView::trackActivated, this, [this](int row) {
    if (!eda_ || !scan_) return;
    const auto key = dataset::parse_track_key(eda_->filenames[static_cast<std::size_t>(row)]).track_id;
    for (const auto& t : scan_->tracks)
      if (t.track_id == key) {
        selectTrack(fromPath(t.path));
        player_->togglePlay();
        return;
      }
    showError(tr("%1: no audio file for this point in the dataset").arg(QString::fromStdString(key)));
  });

  player_ = new PlayerBar(this);
  auto* centre = new QWidget(this);
  auto* centre_layout = new QVBoxLayout(centre);
  centre_layout->setContentsMargins(0, 0, 0, 0);
  centre_layout->addWidget(tabs_, 1);
  centre_layout->addWidget(player_);
  setCentralWidget(centre);
  prediction_->usePlayer(player_);  // one player bar per window
  connect(training_, &TrainingView::playRequested, this, [this](const QString& path) {
    player_->setSource(path);
    player_->togglePlay();
    status_->setText(tr("Playing %1").arg(QFileInfo(path).fileName()));
  });

  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    if (!item) return;
    const QString path = item->data(0, Qt::UserRole).toString();
    if (path.isEmpty() || !scan_) return;
    spectrogram_->loadTrack(path);
    player_->setSource(path);
    QString caption = tr("No Kaggle image for this track");
    kaggle_image_->setPixmap(QPixmap());
    for (const auto& t : scan_->tracks) {
      if (fromPath(t.path) != path) continue;
      if (const auto png = scan_->image_for(t)) {
        kaggle_image_->setPixmap(
            QPixmap(fromPath(*png))
                .scaledToWidth(std::max(200, kaggle_image_->width() - 10), Qt::SmoothTransformation));
        caption.clear();
      }
      break;
    }
    if (!caption.isEmpty()) kaggle_image_->setText(caption);
    kaggle_image_->setToolTip(tr("Kaggle images_original spectrogram, for comparison"));
  });
  tree_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(tree_, &QTreeWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    const QTreeWidgetItem* item = tree_->itemAt(at);
    const QString path = item ? item->data(0, Qt::UserRole).toString() : QString();
    if (path.isEmpty()) return;
    QMenu menu(this);
    menu.addAction(tr("Similar Tracks…"), this, [this, path] { showSimilarTo(path); })
        ->setEnabled(similar_index_ != nullptr);
    menu.addAction(tr("Classify in Predict"), this, [this, path] {
      showTab(tr("Predict"));
      prediction_->addPaths({path});
    });
    menu.exec(tree_->viewport()->mapToGlobal(at));
  });
  connect(prediction_, &PredictionView::trackPlayRequested, this, &MainWindow::playTableTrack);
  connect(spectrogram_, &SpectrogramView::loadFailed, this, &MainWindow::showError);
  connect(spectrogram_, &SpectrogramView::timeClicked, player_, &PlayerBar::seek);
  connect(player_, &PlayerBar::positionChanged, spectrogram_, &SpectrogramView::setPlayhead);
  connect(player_, &PlayerBar::error, this, &MainWindow::showError);
  connect(table_view_, &FeatureTableView::rowActivated, this, [this](const QString& filename, const QString& label) {
    if (const auto* t = trackOf(filename, label)) {
      selectTrack(fromPath(t->path));
      tabs_->setCurrentIndex(1);
    } else {
      showError(tr("%1: no audio file for this row in the dataset").arg(filename));
    }
  });
  auto* play = new QShortcut(QKeySequence(Qt::Key_Space), this);
  connect(play, &QShortcut::activated, player_, &PlayerBar::togglePlay);
  auto* back = new QShortcut(QKeySequence(Qt::Key_Left), this);
  connect(back, &QShortcut::activated, player_, [this] { player_->skip(-5); });
  auto* forward = new QShortcut(QKeySequence(Qt::Key_Right), this);
  connect(forward, &QShortcut::activated, player_, [this] { player_->skip(5); });

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
  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  split->restoreState(settings.value(QStringLiteral("window/spectrogramSplitter")).toByteArray());
}

MainWindow::~MainWindow() {
  for (Job* job : {job_.data(), eda_job_.data()})
    if (job) job->abandon();
}

bool MainWindow::busy() const {
  return (job_ && !job_->done()) || (eda_job_ && !eda_job_->done()) ||
         training_->state() == TrainingView::State::running || prediction_->busy() || prediction_->preparingModel();
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open Dataset Folder…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a GTZAN-style folder"));
    if (!dir.isEmpty()) openDataset(dir);
  });
  open->setShortcut(QKeySequence::Open);
  recent_menu_ = file->addMenu(tr("Open &Recent"));
  file->addAction(tr("Open &Demo Dataset"), this, [this] { openDemoDataset(fromPath(dataset::cache_dir() / "demo")); });
  file->addAction(tr("E&xtract Features from Audio"), this, &MainWindow::extractFeatures);
  file->addSeparator();
  QAction* open_model = file->addAction(tr("Open &Model…"), this, [this] {
    showTab(tr("Predict"));
    prediction_->openModelInteractively();
  });
  open_model->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
  file->addAction(tr("&Classify Songs…"), this, [this] {
    showTab(tr("Predict"));
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Songs to classify"));
    if (!files.isEmpty()) prediction_->addPaths(files);
  });
  file->addSeparator();
  QAction* export_figure = file->addAction(tr("&Export Current Figure…"), this, [this] {
    QWidget* page = tabs_->currentWidget();
    const Figure* figure = dynamic_cast<const Figure*>(page);
    if (!figure) figure = page ? page->findChild<SpectrogramView*>() : nullptr;
    if (!figure) {
      showError(tr("The current tab has no figure to export"));
      return;
    }
    export_with_dialog(*figure, this);
  });
  export_figure->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
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
  connect(job, &Job::succeeded, this, [this, job] {
    if (status_->text().startsWith(job->title())) status_->setText(job->title() + tr(" — done"));
  });
  connect(job, &Job::ended, this, [this, job] {
    if (job_ != job) return;  // a newer job (started by this one's result) owns the bar now
    progress_->setVisible(false);
    cancel_->setVisible(false);
  });
  connect(job, &Job::failed, this, [this, job](const QString& message) {
    status_->setText(job->title() + QStringLiteral(": ") + message);
    Q_EMIT datasetFailed(message);
  });
}

bool MainWindow::showTab(const QString& title) {
  for (int i = 0; i < tabs_->count(); ++i)
    if (tabs_->tabText(i).compare(title, Qt::CaseInsensitive) == 0) {
      tabs_->setCurrentIndex(i);
      return true;
    }
  return false;
}

void MainWindow::showError(const QString& message) {
  // Non-modal: the status bar keeps the message; the work goes on.
  statusBar()->showMessage(message, 15000);
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
  // Songs (or anything dropped while the Predict tab is up) are classified; a folder dropped
  // elsewhere opens as a dataset.
  QStringList paths;
  bool songs = tabs_->currentWidget() == prediction_;
  for (const QUrl& url : event->mimeData()->urls()) {
    const QString path = url.toLocalFile();
    if (path.isEmpty()) continue;
    paths << path;
    if (!std::filesystem::is_directory(toPath(path)) && audio::has_audio_extension(toPath(path))) songs = true;
  }
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  if (songs) {
    showTab(tr("Predict"));
    prediction_->addPaths(paths);
    return;
  }
  for (const QString& path : paths)
    if (std::filesystem::is_directory(toPath(path))) return openDataset(path);
  status_->setText(tr("Drop a dataset folder to open it, or songs to classify them"));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (job_) job_->cancel_and_wait();
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  if (auto* split = findChild<QSplitter*>(QStringLiteral("spectrogramSplitter")))
    settings.setValue(QStringLiteral("window/spectrogramSplitter"), split->saveState());
  event->accept();
}

}  // namespace genrelab::ui

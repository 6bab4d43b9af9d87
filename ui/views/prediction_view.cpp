#include "ui/views/prediction_view.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <cmath>
#include <filesystem>

#include "dataset/feature_table.h"
#include "ml/model_bundle.h"
#include "ml/predictor.h"
#include "ml/recommended_model.h"
#include "ui/jobs/job_runner.h"
#include "ui/plot/csv.h"
#include "ui/views/export_menu.h"
#include "ui/views/figure_canvas.h"
#include "ui/views/player_bar.h"
#include "ui/views/similar_tracks_list.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace genrelab::ui {

namespace {

/// Points of the waveform envelope kept per song (enough for a full-HD timeline).
constexpr int kEnvelopePoints = 2000;

enum Column { kFile, kStatus, kGenre, kConfidence, kDuration, kColumns };

QString status_text(const PredictionView::Entry& e) {
  switch (e.status) {
    case PredictionView::Status::queued:
      return QObject::tr("queued");
    case PredictionView::Status::running:
      return QObject::tr("%1 %").arg(std::lround(e.progress * 100));
    case PredictionView::Status::done:
      return QObject::tr("done");
    case PredictionView::Status::failed:
      return QObject::tr("error: %1").arg(e.error);
    case PredictionView::Status::cancelled:
      return QObject::tr("cancelled");
  }
  return {};
}

std::filesystem::path to_path(const QString& s) { return std::filesystem::path(s.toStdString()); }

}  // namespace

PredictionView::PredictionView(QWidget* parent)
    : QWidget(parent), model_label_(new QLabel(this)), open_model_(new QPushButton(tr("Open model…"), this)),
      add_files_(new QPushButton(tr("Add files…"), this)), add_folder_(new QPushButton(tr("Add folder…"), this)),
      cancel_(new QPushButton(tr("Cancel"), this)), clear_(new QPushButton(tr("Clear"), this)),
      export_(new QPushButton(tr("Export results…"), this)), queue_(new QTableWidget(0, kColumns, this)),
      probability_canvas_(new FigureCanvas(probabilities_, this)), timeline_canvas_(new FigureCanvas(timeline_, this)),
      player_(new PlayerBar(this)), hint_(new QLabel(this)), similar_(new SimilarTracksList(this)),
      model_progress_(new QProgressBar(this)) {
  setAcceptDrops(true);
  model_label_->setWordWrap(true);
  model_label_->setText(
      tr("<b>No model.</b> Train one in the Training tab, or open a saved one (File → Open model…)."));
  model_progress_->setRange(0, 1000);
  model_progress_->setMaximumWidth(160);
  model_progress_->setVisible(false);
  connect(similar_, &SimilarTracksList::playRequested, this, &PredictionView::trackPlayRequested);
  hint_->setText(tr("Drop songs or folders here. Click the timeline to play from a window."));
  hint_->setStyleSheet(QStringLiteral("color: gray"));
  hint_->setWordWrap(true);

  queue_->setHorizontalHeaderLabels({tr("File"), tr("Status"), tr("Genre"), tr("Confidence"), tr("Duration")});
  queue_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  queue_->setSelectionBehavior(QAbstractItemView::SelectRows);
  queue_->setSelectionMode(QAbstractItemView::SingleSelection);
  queue_->verticalHeader()->setVisible(false);
  queue_->horizontalHeader()->setSectionResizeMode(kFile, QHeaderView::Stretch);
  queue_->horizontalHeader()->setSectionResizeMode(kStatus, QHeaderView::Interactive);
  queue_->setColumnWidth(kStatus, 90);  // errors are elided here; the tooltip and the hint line show them whole
  for (int c = kGenre; c < kColumns; ++c)
    queue_->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  queue_->setTextElideMode(Qt::ElideRight);
  queue_->setAcceptDrops(false);  // drops go to the view
  connect(queue_, &QTableWidget::itemSelectionChanged, this, [this] {
    const auto rows = queue_->selectionModel()->selectedRows();
    if (!rows.isEmpty()) selectEntry(rows.front().row());
  });

  auto* top = new QHBoxLayout;
  top->addWidget(model_label_, 1);
  top->addWidget(model_progress_);
  for (QPushButton* b : {open_model_, add_files_, add_folder_, cancel_, clear_, export_}) top->addWidget(b);
  auto* queue_box = new QWidget(this);
  auto* left_layout = new QVBoxLayout(queue_box);
  left_layout->setContentsMargins(0, 0, 0, 0);
  left_layout->addWidget(queue_, 1);
  left_layout->addWidget(hint_);
  auto* left = new QSplitter(Qt::Vertical, this);
  left->addWidget(queue_box);
  left->addWidget(similar_);
  left->setStretchFactor(0, 1);
  left->setStretchFactor(1, 1);

  auto* figures = new QSplitter(Qt::Vertical, this);
  figures->addWidget(probability_canvas_);
  auto* timeline_box = new QWidget(this);
  auto* timeline_layout = new QVBoxLayout(timeline_box);
  timeline_layout->setContentsMargins(0, 0, 0, 0);
  timeline_layout->addWidget(timeline_canvas_, 1);
  timeline_layout->addWidget(player_);
  figures->addWidget(timeline_box);
  figures->setStretchFactor(0, 2);
  figures->setStretchFactor(1, 3);
  probability_canvas_->setMinimumSize(360, 220);
  timeline_canvas_->setMinimumSize(420, 260);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(left);
  split->addWidget(figures);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  split->setSizes({440, 560});
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(split, 1);

  timeline_canvas_->hoverText = [this](QPointF pos) {
    const double t = timeline_.timeAt(timeline_canvas_->rect(), pos);
    const int w = timeline_.windowAt(t);
    if (w < 0 || !timeline_.data()) return QString();
    const auto& win = timeline_.data()->song.windows[static_cast<std::size_t>(w)];
    return tr("%1 s: window %2 (%3–%4 s) %5 %6")
        .arg(t, 0, 'f', 1)
        .arg(w + 1)
        .arg(win.start_s, 0, 'f', 1)
        .arg(win.end_s, 0, 'f', 1)
        .arg(labels_.value(win.genre))
        .arg(static_cast<double>(win.probabilities[static_cast<std::size_t>(win.genre)]), 0, 'f', 2);
  };
  timeline_canvas_->clicked = [this](QPointF pos) { playWindowAt(timeline_.timeAt(timeline_canvas_->rect(), pos)); };
  connect(player_, &PlayerBar::positionChanged, this, &PredictionView::followPlayer);

  connect(open_model_, &QPushButton::clicked, this, &PredictionView::openModelInteractively);
  connect(add_files_, &QPushButton::clicked, this, [this] {
    QSettings settings;
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Songs to classify"), settings.value(QStringLiteral("predictFolder")).toString(),
        tr("Audio (*.wav *.flac *.ogg *.oga *.opus *.mp3 *.aif *.aiff *.au);;All files (*)"));
    if (files.isEmpty()) return;
    settings.setValue(QStringLiteral("predictFolder"), QFileInfo(files.front()).absolutePath());
    addPaths(files);
  });
  connect(add_folder_, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder of songs to classify"));
    if (!dir.isEmpty()) addPaths({dir});
  });
  connect(cancel_, &QPushButton::clicked, this, &PredictionView::cancel);
  connect(clear_, &QPushButton::clicked, this, &PredictionView::clear);
  connect(export_, &QPushButton::clicked, this, [this] {
    export_csv_with_dialog(
        tr("predictions"), [this](std::ostream& out) { writeResults(out); }, this);
  });
  updateButtons();
}

bool PredictionView::busy() const { return job_ != nullptr; }
bool PredictionView::preparingModel() const { return model_job_ != nullptr; }

PredictionView::~PredictionView() {
  for (Job* job : {job_.data(), model_job_.data()})
    if (job) job->abandon();
}

void PredictionView::setModel(std::shared_ptr<const ml::ModelBundle> bundle, const QString& description,
                              bool recommended) {
  if (!bundle) return;
  ml::PredictOptions options;
  options.envelope_points = kEnvelopePoints;
  options.keep_features = true;  // for the similar tracks
  auto predictor = std::make_shared<const ml::Predictor>(ml::Predictor::from_bundle(*bundle, options));
  if (!recommended) {
    user_model_ = true;
    if (model_job_) model_job_->cancel();
  }
  predictor_ = std::move(predictor);
  labels_.clear();
  for (const auto& l : predictor_->label_names()) labels_ << QString::fromStdString(l);
  model_description_ = description;
  const double unit = static_cast<double>(predictor_->window_samples()) / predictor_->sample_rate();
  model_label_->setText(
      tr("<b>Model:</b> %1<br>%2 genres; %3-s windows every %4 s, averaged over the song.")
          .arg(description.toHtmlEscaped())
          .arg(labels_.size())
          .arg(unit, 0, 'f', 1)
          .arg(static_cast<double>(predictor_->hop_samples()) / predictor_->sample_rate(), 0, 'f', 1));
  Q_EMIT modelChanged(description);
  startNext();
}

void PredictionView::openModel(const QString& path) {
  ml::ModelBundle bundle = ml::load_bundle(to_path(path));
  const QString description =
      QString::fromStdString(ml::describe_bundle(bundle, QFileInfo(path).fileName().toStdString()));
  try {
    setModel(std::make_shared<const ml::ModelBundle>(std::move(bundle)), description);
  } catch (const std::invalid_argument& e) {
    throw FileError(to_path(path), e.what());
  }
}

void PredictionView::openModelInteractively() {
  QSettings settings;
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Open model"), settings.value(QStringLiteral("modelFolder")).toString(),
                                   tr("GenreLab model (*%1)").arg(QString::fromLatin1(ml::kBundleExtension)));
  if (path.isEmpty()) return;
  settings.setValue(QStringLiteral("modelFolder"), QFileInfo(path).absolutePath());
  try {
    openModel(path);
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Open model"), QString::fromUtf8(e.what()));
  }
}

void PredictionView::useRecommendedModel(std::shared_ptr<const dataset::FeatureTable> table, const QString& table_name,
                                         const std::optional<features::ExtractionParams>& extraction,
                                         const QString& cache_dir) {
  if (user_model_ || !table) return;
  if (model_job_) model_job_->cancel();
  const QString what = tr("%1 on %2").arg(QString::fromLatin1(ml::kRecommendedPreset), table_name);
  model_label_->setText(tr("<b>Preparing the recommended model</b> (%1)… Songs dropped now wait in the queue.")
                            .arg(what.toHtmlEscaped()));
  model_progress_->setValue(0);
  model_progress_->setVisible(true);
  QPointer<PredictionView> self(this);
  const int request = ++model_request_;
  model_job_ = Job::start(tr("Preparing the recommended model"),
                          [self, request, table, extraction, name = table_name.toStdString(), dir = to_path(cache_dir)](
                              ProgressSink& progress, const CancelToken& cancel) -> std::function<void()> {
                            auto model = ml::recommended_model(*table, name, extraction, dir, 0, &progress, &cancel);
                            auto bundle = std::make_shared<const ml::ModelBundle>(std::move(model.bundle));
                            QString description = QString::fromStdString(ml::describe_bundle(*bundle, name));
                            description +=
                                model.from_cache ? tr(" (from the cache)") : tr(" (trained just now, cached)");
                            if (!model.save_problem.empty())
                              description += tr("; not cached: %1").arg(QString::fromStdString(model.save_problem));
                            // A preparation for an earlier table, finished just as it was replaced, is dropped.
                            return [self, request, bundle, description] {
                              if (self && !self->user_model_ && request == self->model_request_)
                                self->setModel(bundle, description, true);
                            };
                          });
  Job* job = model_job_;
  connect(job, &Job::progressed, this, [this, what](double fraction, const QString&) {
    model_progress_->setValue(static_cast<int>(fraction * 1000));
    model_label_->setText(tr("<b>Preparing the recommended model</b> (%1): %2 %. Songs dropped now wait in the queue.")
                              .arg(what.toHtmlEscaped())
                              .arg(std::lround(fraction * 100)));
  });
  connect(job, &Job::failed, this, [this, job, what](const QString& message) {
    if (job->cancelled() || user_model_) return;
    model_label_->setText(
        tr("<b>No model.</b> The recommended model (%1) could not be trained: %2. Train one in the Training "
           "tab, or open a saved one (File → Open model…).")
            .arg(what.toHtmlEscaped(), message.toHtmlEscaped()));
  });
  connect(job, &Job::ended, this, [this, job] {
    if (model_job_ != job) return;
    model_job_ = nullptr;
    model_progress_->setVisible(false);
  });
}

void PredictionView::setSimilarityIndex(std::shared_ptr<const stats::SimilarTracks> index, const QString& table_name,
                                        const QString& reason) {
  similar_->setIndex(std::move(index), table_name, reason);
  if (selected_ >= 0) selectEntry(selected_);  // the shown song against the new table
}

void PredictionView::addPaths(const QStringList& paths) {
  std::vector<std::filesystem::path> inputs;
  for (const QString& p : paths) inputs.push_back(to_path(p));
  for (const auto& file : ml::expand_audio_inputs(inputs)) {
    Entry e;
    e.path = QString::fromStdString(file.string());
    entries_.push_back(e);
    const int row = queue_->rowCount();
    queue_->insertRow(row);
    for (int c = 0; c < kColumns; ++c) {
      auto* item = new QTableWidgetItem;
      item->setTextAlignment(c == kFile || c == kStatus || c == kGenre ? (Qt::AlignLeft | Qt::AlignVCenter)
                                                                       : (Qt::AlignRight | Qt::AlignVCenter));
      queue_->setItem(row, c, item);
    }
    refreshRow(row);
  }
  if (!predictor_ && !entries_.isEmpty())
    hint_->setText(tr("Waiting for a model: train one, or open a saved one (File → Open model…)."));
  startNext();
}

void PredictionView::refreshRow(int row) {
  const Entry& e = entries_[row];
  const QFileInfo info(e.path);
  queue_->item(row, kFile)->setText(info.fileName());
  queue_->item(row, kFile)->setToolTip(e.path);
  queue_->item(row, kStatus)->setText(status_text(e));
  queue_->item(row, kStatus)->setToolTip(e.error);
  queue_->item(row, kStatus)
      ->setForeground(e.status == Status::failed ? QColor(180, 20, 20) : palette().text().color());
  if (e.result) {
    const auto& s = e.result->song;
    queue_->item(row, kGenre)->setText(QString::fromStdString(s.genre));
    queue_->item(row, kConfidence)->setText(QString::number(s.confidence, 'f', 2));
    queue_->item(row, kDuration)
        ->setText(QStringLiteral("%1:%2")
                      .arg(static_cast<int>(s.duration_s) / 60)
                      .arg(static_cast<int>(s.duration_s) % 60, 2, 10, QLatin1Char('0')));
    if (!s.warnings.empty()) queue_->item(row, kStatus)->setToolTip(QString::fromStdString(s.warnings.front()));
  }
}

void PredictionView::startNext() {
  if (job_ || !predictor_) return updateButtons();
  int row = -1;
  for (int i = 0; i < entries_.size(); ++i)
    if (entries_[i].status == Status::queued) {
      row = i;
      break;
    }
  if (row < 0) {
    updateButtons();
    Q_EMIT queueIdle();
    return;
  }
  running_ = row;
  entries_[row].status = Status::running;
  entries_[row].progress = 0.0;
  refreshRow(row);
  auto predictor = predictor_;
  const QString path = entries_[row].path;
  const QVector<QString> labels = labels_;
  QPointer<PredictionView> self(this);
  job_ = Job::start(
      tr("Classifying %1").arg(QFileInfo(path).fileName()),
      [predictor, path, labels, self, row](ProgressSink& progress, const CancelToken& token) -> std::function<void()> {
        auto prediction = std::make_shared<PredictionData>();
        prediction->song = predictor->predict_file(to_path(path), &token, &progress);
        prediction->labels = labels;
        prediction->feature_names = predictor->feature_names();
        std::shared_ptr<const PredictionData> result = std::move(prediction);
        return [self, row, result] {
          if (!self) return;
          if (result->song.ok()) self->finish(row, result, QString(), Status::done);
          else self->finish(row, nullptr, QString::fromStdString(result->song.error), Status::failed);
        };
      });
  connect(job_, &Job::progressed, this, [this, row](double fraction, const QString&) {
    if (row >= entries_.size() || entries_[row].status != Status::running) return;
    entries_[row].progress = fraction;
    refreshRow(row);
  });
  connect(job_, &Job::failed, this, [this, row](const QString& message) {
    // Cancelled (the token), or an unexpected error: the entry says which.
    if (row < entries_.size() && entries_[row].status == Status::running)
      finish(row, nullptr, message, job_ && job_->cancelled() ? Status::cancelled : Status::failed);
  });
  connect(job_, &Job::ended, this, [this] {
    job_ = nullptr;
    running_ = -1;
    startNext();
  });
  updateButtons();
}

void PredictionView::finish(int row, std::shared_ptr<const PredictionData> result, const QString& error,
                            Status status) {
  if (row >= entries_.size()) return;
  Entry& e = entries_[row];
  e.status = status;
  e.result = std::move(result);
  e.error = error;
  e.progress = 1.0;
  refreshRow(row);
  if (status == Status::done && (selected_ < 0 || !entries_[selected_].result)) {
    queue_->selectRow(row);  // show the first result as soon as it is there
  }
  Q_EMIT entryFinished(row);
}

void PredictionView::cancel() {
  for (int i = 0; i < entries_.size(); ++i)
    if (entries_[i].status == Status::queued) {
      entries_[i].status = Status::cancelled;
      refreshRow(i);
    }
  if (job_) job_->cancel();
  updateButtons();
}

void PredictionView::clear() {
  cancel();
  if (job_) job_->cancel_and_wait();
  entries_.clear();
  queue_->setRowCount(0);
  selected_ = -1;
  probabilities_.setData(nullptr);
  timeline_.setData(nullptr);
  timeline_.cursor_s = -1;
  timeline_.selected_window = -1;
  probability_canvas_->update();
  timeline_canvas_->update();
  similar_->clear();
  updateButtons();
}

void PredictionView::selectEntry(int row) {
  if (row < 0 || row >= entries_.size()) return;
  selected_ = row;
  const auto& result = entries_[row].result;
  probabilities_.setData(result);
  timeline_.setData(result);
  timeline_.cursor_s = -1;
  timeline_.selected_window = -1;
  timeline_.setHidden({});
  probability_canvas_->update();
  timeline_canvas_->update();
  if (result) {
    player_source_ = entries_[row].path;
    if (player_->source() != player_source_) player_->setSource(player_source_);
    std::vector<SimilarTracksList::Window> windows;
    for (const auto& w : result->song.windows) windows.push_back({w.start_s, w.end_s, w.features});
    // A dataset file dropped on the window: its own table row (similarity 1) is not a neighbour.
    const QString name = QFileInfo(entries_[row].path).fileName();
    similar_->showSong(name, result->feature_names, std::move(windows),
                       dataset::parse_track_key(name.toStdString()).track_id);
  } else {
    similar_->clear();
  }
  hint_->setText(entries_[row].status == Status::failed
                     ? entries_[row].error
                     : tr("Drop songs or folders here. Click the timeline to play from a window."));
}

void PredictionView::usePlayer(PlayerBar* player) {
  if (!player || player == player_) return;
  delete player_;  // the view's own bar, until now below the timeline
  player_ = player;
  player_source_.clear();
  connect(player_, &PlayerBar::positionChanged, this, &PredictionView::followPlayer);
}

void PredictionView::followPlayer(double seconds) {
  // A shared bar also plays the dataset's tracks: the timeline follows only its own song.
  if (player_source_.isEmpty() || player_->source() != player_source_) return;
  timeline_.cursor_s = seconds;
  timeline_canvas_->update();
}

int PredictionView::playWindowAt(double seconds) {
  const int w = timeline_.windowAt(seconds);
  if (w < 0 || selected_ < 0) return -1;
  timeline_.selected_window = w;
  similar_->selectWindow(w);
  const double start = timeline_.data()->song.windows[static_cast<std::size_t>(w)].start_s;
  if (player_->source() != player_source_) player_->setSource(player_source_);  // the shared bar played another file
  player_->seek(start);
  if (!player_->playing()) player_->togglePlay();
  timeline_.cursor_s = start;
  timeline_canvas_->update();
  return w;
}

void PredictionView::exportResults(const QString& path) const {
  write_file_atomically(to_path(path), [this](std::ostream& out) { writeResults(out); });
}

void PredictionView::writeResults(std::ostream& out) const {
  out << "file,status,genre,confidence,duration_s";
  for (const auto& l : labels_) out << ",p_" << csv_cell(l);
  out << ",error\n";
  for (const Entry& e : entries_) {
    if (e.status != Status::done && e.status != Status::failed) continue;
    out << csv_cell(e.path) << ',' << (e.status == Status::done ? "done" : "failed") << ',';
    if (e.result) {
      const auto& s = e.result->song;
      out << csv_cell(QString::fromStdString(s.genre)) << ',' << csv_num(s.confidence) << ',' << csv_num(s.duration_s);
      for (float p : s.probabilities) out << ',' << csv_num(p);
      // A song classified by an earlier model with fewer genres: keep the columns aligned.
      for (auto i = s.probabilities.size(); i < static_cast<std::size_t>(labels_.size()); ++i) out << ',';
      out << ",\n";
    } else {
      out << ",,";  // genre, confidence; then duration and the probabilities stay empty
      for (int i = 0; i < labels_.size(); ++i) out << ',';
      out << ',' << csv_cell(e.error) << '\n';
    }
  }
}

void PredictionView::updateButtons() {
  bool queued = false, any_result = false;
  for (const Entry& e : entries_) {
    queued = queued || e.status == Status::queued;
    any_result = any_result || e.status == Status::done || e.status == Status::failed;
  }
  cancel_->setEnabled(job_ != nullptr || queued);
  clear_->setEnabled(!entries_.isEmpty());
  export_->setEnabled(any_result);
}

void PredictionView::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void PredictionView::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) paths << url.toLocalFile();
  if (paths.isEmpty()) return;
  addPaths(paths);
  event->acceptProposedAction();
}

}  // namespace genrelab::ui

// The main window's dataset: opening a folder (or the demo dataset) off the GUI thread, its tree,
// tables, exploratory analysis, tracks and feature extraction.
#include "ui/main_window.h"

#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "dataset/default_location.h"
#include "dataset/demo_dataset.h"
#include "dataset/feature_store.h"
#include "features/table_extraction.h"
#include "stats/similar_tracks.h"
#include "ui/jobs/job_runner.h"
#include "ui/main_window_parts.h"
#include "ui/views/eda_views.h"
#include "ui/views/feature_table_view.h"
#include "ui/views/player_bar.h"
#include "ui/views/prediction_view.h"
#include "ui/views/similar_tracks_list.h"
#include "ui/views/spectrogram_view.h"
#include "ui/views/training_view.h"
#include "util/error.h"

namespace genrelab::ui {
namespace {

QString formatDuration(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

/// Scans the folder and reads its feature tables (worker thread).
LoadedDataset load_dataset(const std::filesystem::path& path, ProgressSink* progress, const CancelToken* cancel) {
  LoadedDataset data;
  data.scan = dataset::scan_dataset(path, {}, progress, cancel);
  auto load = [&](const std::optional<dataset::TableFile>& file, std::shared_ptr<const dataset::FeatureTable>& out,
                  std::optional<features::ExtractionParams>& params) {
    if (!file || !file->error.empty()) return;
    try {
      out = std::make_shared<const dataset::FeatureTable>(dataset::read_feature_table(file->path));
      params = features::read_sidecar_params(file->path);
    } catch (const FileError& e) {
      data.problems << QString::fromStdString(e.what());
    }
  };
  load(data.scan.table_30s, data.table_30s, data.params_30s);
  load(data.scan.table_3s, data.table_3s, data.params_3s);
  return data;
}

}  // namespace

void MainWindow::openDataset(const QString& folder) {
  if (job_) job_->cancel();
  const auto path = toPath(folder);
  runJob(Job::start(tr("Scanning %1").arg(folder), [this, path](ProgressSink& progress, const CancelToken& cancel) {
    return std::function<void()>(
        [this, loaded = load_dataset(path, &progress, &cancel)]() mutable { showDataset(std::move(loaded)); });
  }));
}

void MainWindow::openDemoDataset(const QString& folder) {
  if (job_) job_->cancel();
  const auto path = toPath(folder);
  runJob(Job::start(tr("Preparing the demo dataset"), [this, path](ProgressSink& progress, const CancelToken& cancel) {
    dataset::ensure_demo_dataset(path, {}, &progress, &cancel);
    return std::function<void()>(
        [this, loaded = load_dataset(path, nullptr, &cancel)]() mutable { showDataset(std::move(loaded)); });
  }));
}

void MainWindow::showDataset(LoadedDataset loaded) {
  scan_ = std::move(loaded.scan);
  table_30s_ = std::move(loaded.table_30s);
  table_3s_ = std::move(loaded.table_3s);
  params_30s_ = loaded.params_30s;
  params_3s_ = loaded.params_3s;
  // The spectrograms as the tables were made (hop, mels, dynamic range).
  spectrogram_->setExtractionParams(params_30s_.value_or(params_3s_.value_or(features::ExtractionParams{})));
  const auto& s = *scan_;
  {
    const QSignalBlocker block(table_choice_);
    table_choice_->clear();
    if (table_30s_)
      table_choice_->addItem(
          tr("30-second table: %1 (%2 rows)").arg(fromPath(s.table_30s->path.filename())).arg(table_30s_->rows()), 0);
    if (table_3s_)
      table_choice_->addItem(
          tr("3-second table: %1 (%2 rows)").arg(fromPath(s.table_3s->path.filename())).arg(table_3s_->rows()), 1);
    if (table_choice_->count() == 0)
      table_choice_->addItem(tr("No feature table in this dataset (extract one with genrelab-cli extract)"), -1);
  }
  showTable(0);
  table_name_ = table_30s_ ? fromPath(s.table_30s->path.filename()) : QString();
  if (table_30s_) computeEda(static_cast<int>(stats::FeatureSubset::all));
  else if (table_3s_) {
    table_name_ = fromPath(s.table_3s->path.filename());
    computeEda(static_cast<int>(stats::FeatureSubset::all));
  }
  tree_->clear();
  for (const auto& label : s.labels) {
    auto* genre = new QTreeWidgetItem(tree_, {QString::fromStdString(label)});
    genre->setFirstColumnSpanned(false);
    double seconds = 0;
    int count = 0;
    for (const auto& t : s.tracks) {
      if (t.label != label) continue;
      auto* item = new QTreeWidgetItem(
          genre, {QString::fromStdString(t.path.filename().string()), formatDuration(t.info.duration_s), tr("ok")});
      item->setToolTip(0, fromPath(t.path));
      item->setData(0, Qt::UserRole, fromPath(t.path));
      seconds += t.info.duration_s;
      ++count;
    }
    genre->setText(1, formatDuration(seconds));
    genre->setText(2, tr("%n track(s)", nullptr, count));
  }
  if (!s.skipped.empty()) {
    auto* bad = new QTreeWidgetItem(
        tree_, {tr("Unreadable files"), QString(), tr("%n skipped", nullptr, static_cast<int>(s.skipped.size()))});
    bad->setForeground(0, QColor(0xb0, 0x20, 0x20));
    for (const auto& f : s.skipped) {
      auto* item = new QTreeWidgetItem(
          bad, {QString::fromStdString(f.path.filename().string()), QString(), QString::fromStdString(f.reason)});
      item->setForeground(2, QColor(0xb0, 0x20, 0x20));
      item->setToolTip(0, fromPath(f.path));
      item->setToolTip(2, QString::fromStdString(f.reason));
    }
  }
  tree_->expandToDepth(0);
  useTable();

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
  for (const auto& [name, table] :
       {std::pair{tr("30-second table"), &s.table_30s}, std::pair{tr("3-second table"), &s.table_3s}}) {
    if (!*table) html += QStringLiteral("<li>%1: %2</li>").arg(name, tr("none"));
    else if (!(*table)->error.empty())
      html +=
          QStringLiteral("<li>%1: %2 — <span style='color:#b02020'>%3</span></li>")
              .arg(name, fromPath((*table)->path.filename()), QString::fromStdString((*table)->error).toHtmlEscaped());
    else
      html += QStringLiteral("<li>%1: %2 (%3 rows)</li>")
                  .arg(name, fromPath((*table)->path.filename()))
                  .arg((*table)->rows);
  }
  html += QStringLiteral("</ul>");
  if (!s.skipped.empty()) {
    html += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Unreadable files"));
    for (const auto& f : s.skipped)
      html += QStringLiteral("<li><code>%1</code>: <span style='color:#b02020'>%2</span></li>")
                  .arg(fromPath(f.path).toHtmlEscaped(), QString::fromStdString(f.reason).toHtmlEscaped());
    html += QStringLiteral("</ul>");
  }
  for (const auto& problem : loaded.problems)
    html += QStringLiteral("<p style='color:#b02020'>%1</p>").arg(problem.toHtmlEscaped());
  overview_->setHtml(html);
  for (const auto& problem : loaded.problems) showError(problem);
  status_->setText(tr("%1: %2 tracks in %3 genres").arg(fromPath(s.root)).arg(s.tracks.size()).arg(s.labels.size()));
  setWindowTitle(tr("GenreLab — %1")
                     .arg(fromPath(s.root.filename().empty() ? s.root.parent_path().filename() : s.root.filename())));
  rememberRecent(fromPath(s.root));
  {
    // The Training tab's fault-filtered lists: the dataset's own splits/fault-filtered when it has one.
    training_->setDatasetFolder(fromPath(s.root));
    // cnn2d in the Training tab learns from the audio itself.
    std::vector<ml::AudioFile> audio;
    for (const auto& t : s.tracks) audio.push_back({t.path.string(), t.label});
    training_->setAudioFiles(audio,
                             fromPath(s.root.filename().empty() ? s.root.parent_path().filename() : s.root.filename()));
  }
  Q_EMIT datasetOpened();
  // No table to explore: compute one from the audio (about 20 ms per 30-s clip and core).
  if (!table_30s_ && !table_3s_ && !s.tracks.empty()) extractFeatures();
}

void MainWindow::showTable(int index) {
  const int which = table_choice_->itemData(index).toInt();
  table_view_->setTable(which == 0 ? table_30s_ : which == 1 ? table_3s_ : nullptr, table_choice_->itemText(index));
}

void MainWindow::computeEda(int subset) {
  auto table = table_30s_ ? table_30s_ : table_3s_;
  if (!table) return;
  QVector<QPair<QString, std::shared_ptr<const dataset::FeatureTable>>> tables;
  for (int i = 0; i < table_choice_->count(); ++i) {
    const int which = table_choice_->itemData(i).toInt();
    if (which != 0 && which != 1) continue;
    tables.append({table_choice_->itemText(i), which == 0 ? table_30s_ : table_3s_});
    training_->setExtraction(table_choice_->itemText(i), which == 0 ? params_30s_ : params_3s_);
  }
  training_->setTables(tables);
  if (eda_job_) eda_job_->cancel();
  const QString name = table_name_;
  auto* job = Job::start(tr("Analysing"), [this, table, subset, name](ProgressSink&, const CancelToken&) {
    auto eda = compute_eda(*table, static_cast<stats::FeatureSubset>(subset), name);
    return std::function<void()>([this, eda] {
      eda_ = eda;
      for (EdaView* view : std::initializer_list<EdaView*>{kde_, correlation_, pca_, similarity_}) view->setData(eda);
      Q_EMIT analysisReady();
    });
  });
  connect(job, &Job::failed, this, [this](const QString& message) { showError(tr("Analysis: %1").arg(message)); });
  eda_job_ = job;
}

void MainWindow::setTable30(std::shared_ptr<const dataset::FeatureTable> table, const QString& name,
                            const features::ExtractionParams& params) {
  table_30s_ = std::move(table);
  params_30s_ = params;
  table_name_ = name;
  {
    const QSignalBlocker block(table_choice_);
    table_choice_->clear();
    table_choice_->addItem(tr("%1 (%2 rows)").arg(name).arg(table_30s_->rows()), 0);
    if (table_3s_) table_choice_->addItem(tr("3-second table (%1 rows)").arg(table_3s_->rows()), 1);
  }
  showTable(0);
  computeEda(static_cast<int>(stats::FeatureSubset::all));
  useTable();
}

void MainWindow::useTable() {
  const auto table = table_30s_ ? table_30s_ : table_3s_;
  similar_index_.reset();
  QString reason;
  if (table) {
    try {
      similar_index_ = std::make_shared<const stats::SimilarTracks>(stats::SimilarTracks::create(*table));
    } catch (const std::exception& e) {
      reason = tr("%1: %2").arg(table_name_, QString::fromUtf8(e.what()));
    }
  } else {
    reason = scan_ && !scan_->tracks.empty() ? tr("waiting for the dataset's feature table")
                                             : tr("the dataset has no feature table");
  }
  prediction_->setSimilarityIndex(similar_index_, table_name_, reason);
  if (table && recommended_model_)
    prediction_->useRecommendedModel(table, table_name_, table_30s_ ? params_30s_ : params_3s_,
                                     fromPath(dataset::cache_dir()));
}

const dataset::Track* MainWindow::trackOf(const QString& filename, const QString& genre) const {
  if (!scan_) return nullptr;
  const auto key = dataset::parse_track_key(filename.toStdString()).track_id;
  for (const auto& t : scan_->tracks)
    if (t.track_id == key && QString::fromStdString(t.label) == genre) return &t;
  return nullptr;
}

bool MainWindow::playTableTrack(const QString& filename, const QString& genre) {
  const auto* t = trackOf(filename, genre);
  if (!t) {
    showError(tr("%1: no audio file for this track in the dataset").arg(filename));
    return false;
  }
  player_->setSource(fromPath(t->path));
  if (!player_->playing()) player_->togglePlay();
  status_->setText(tr("Playing %1 (%2)").arg(filename, genre));
  return true;
}

void MainWindow::showSimilarTo(const QString& path) {
  const auto table = table_30s_ ? table_30s_ : table_3s_;
  if (!scan_ || !table || !similar_index_) return showError(tr("Similar tracks need the dataset's feature table"));
  const dataset::Track* track = nullptr;
  for (const auto& t : scan_->tracks)
    if (fromPath(t.path) == path) track = &t;
  if (!track) return showError(tr("%1: not a track of the open dataset").arg(path));
  std::vector<std::vector<double>> rows;
  for (std::size_t r = 0; r < table->rows(); ++r)
    if (table->labels[r] == track->label && dataset::parse_track_key(table->filenames[r]).track_id == track->track_id)
      rows.emplace_back(table->row(r).begin(), table->row(r).end());
  const QString name = fromPath(track->path.filename());
  if (rows.empty()) return showError(tr("%1: no row in %2 (a file the table does not have)").arg(name, table_name_));
  auto* dialog = new QDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("Tracks similar to %1").arg(name));
  auto* list = new SimilarTracksList(dialog);
  list->setIndex(similar_index_, table_name_);
  list->showTrack(tr("%1 (%2)").arg(name, QString::fromStdString(track->label)), std::move(rows), track->track_id);
  connect(list, &SimilarTracksList::playRequested, this, &MainWindow::playTableTrack);
  auto* layout = new QVBoxLayout(dialog);
  layout->addWidget(list);
  dialog->resize(560, 380);
  dialog->show();
}

void MainWindow::extractFeatures() {
  if (!scan_ || scan_->tracks.empty()) {
    showError(tr("Open a dataset with audio first"));
    return;
  }
  std::vector<features::LabeledFile> files;
  for (const auto& t : scan_->tracks) files.push_back({t.path, t.label});
  const auto root = scan_->root;
  runJob(Job::start(
      tr("Extracting features from %n clip(s)", nullptr, static_cast<int>(files.size())),
      [this, files, root](ProgressSink& progress, const CancelToken& cancel) {
        // Through the dataset's feature store: reopening reuses every unchanged file,
        // an interrupted run resumes. Without a writable cache folder, no store.
        features::ExtractOptions options;
        QString note;
        try {
          options.store = dataset::default_store_path(root);
        } catch (const FileError& e) {
          note = tr("Feature store unavailable (%1): extracting without it.").arg(QString::fromStdString(e.what()));
        }
        features::ExtractResult result;
        try {
          result = features::extract_table(files, options, &progress, &cancel);
        } catch (const FileError& e) {
          if (options.store.empty()) throw;
          note = tr("Feature store unusable (%1): extracting without it.").arg(QString::fromStdString(e.what()));
          options.store.clear();
          result = features::extract_table(files, options, &progress, &cancel);
        }
        auto table = std::make_shared<const dataset::FeatureTable>(std::move(result.table));
        QStringList failures;
        for (const auto& f : result.failures)
          failures << QString::fromStdString(f.path.filename().string() + ": " + f.reason);
        const QString summary = tr("Features of %1 file(s): %2 reused from the feature store, %3 computed.")
                                    .arg(result.files)
                                    .arg(result.reused)
                                    .arg(result.computed);
        return std::function<void()>([this, table, failures, summary, note, params = options.params] {
          setTable30(table, tr("features extracted by GenreLab"), params);
          status_->setText(note.isEmpty() ? summary : note);
          last_extract_summary_ = summary;
          if (!failures.isEmpty())
            showError(tr("%n file(s) failed: ", nullptr, static_cast<int>(failures.size())) +
                      failures.join(QStringLiteral("; ")));
        });
      }));
}

void MainWindow::selectTrack(const QString& path) {
  for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
    auto* genre = tree_->topLevelItem(g);
    for (int i = 0; i < genre->childCount(); ++i)
      if (genre->child(i)->data(0, Qt::UserRole).toString() == path) {
        tree_->setCurrentItem(genre->child(i));
        return;
      }
  }
}

void MainWindow::selectTrackByName(const QString& name) {
  if (!scan_) return;
  for (const auto& t : scan_->tracks)
    if (fromPath(t.path.filename()) == name) {
      selectTrack(fromPath(t.path));
      return;
    }
  showError(tr("%1: no such track in the dataset").arg(name));
}

}  // namespace genrelab::ui

// The Training view's results: the run on display, the history, the confusion cells, exports.
#include "ui/views/training_view.h"

#include <QAction>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "dataset/feature_table.h"
#include "experiment/audio_experiment.h"
#include "ui/plot/csv.h"
#include "ui/views/export_menu.h"
#include "ui/views/figure_canvas.h"
#include "ui/views/training_results.h"
#include "ui/views/training_view_parts.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace genrelab::ui {

/// The table as shown: header line (two-line headers joined by a space), then every row's cell texts.
void write_table_csv(const QTableWidget& t, std::ostream& out) {
  for (int c = 0; c < t.columnCount(); ++c) {
    const auto* h = t.horizontalHeaderItem(c);
    out << (c ? "," : "") << csv_cell(h ? h->text().simplified() : QString());
  }
  out << '\n';
  for (int r = 0; r < t.rowCount(); ++r) {
    for (int c = 0; c < t.columnCount(); ++c) {
      const auto* item = t.item(r, c);
      out << (c ? "," : "") << csv_cell(item ? item->text() : QString());
    }
    out << '\n';
  }
}

QStringList TrainingView::tickLeaderboardModels(const QStringList& models) {
  QStringList problems;
  QStringList known;
  for (int i = 0; i < compare_models_->count(); ++i) {
    QListWidgetItem* item = compare_models_->item(i);
    known << item->text();
    const bool wanted = models.contains(item->text());
    item->setCheckState(wanted ? Qt::Checked : Qt::Unchecked);
    if (wanted && !(item->flags() & Qt::ItemIsEnabled))
      problems << tr("%1 is unavailable: %2").arg(item->text(), item->toolTip());
  }
  for (const QString& m : models)
    if (!known.contains(m)) problems << tr("no model '%1' in the leaderboard").arg(m);
  return problems;
}

void TrainingView::showLeaderboard() {
  if (auto* results = findChild<QTabWidget*>()) results->setCurrentIndex(results->count() - 1);
}

const TrainingRun* TrainingView::shownRun() const {
  return shown_ >= 0 && shown_ < static_cast<int>(runs_.size()) ? &runs_[static_cast<std::size_t>(shown_)] : nullptr;
}

const ml::TrainingReport* TrainingView::lastReport() const {
  const TrainingRun* run = shownRun();
  return run ? run->report.get() : nullptr;
}

const ml::ModelBundle* TrainingView::lastBundle() const {
  const TrainingRun* run = shownRun();
  return run ? run->bundle.get() : nullptr;
}

void TrainingView::showRun(int index) {
  if (index < 0 || index >= static_cast<int>(runs_.size()) || state_ == State::running) return;
  shown_ = index;
  const TrainingRun& run = runs_[static_cast<std::size_t>(index)];
  charts_->show(run.records);
  fillResults(run);
  status_->setText(tr("Showing run %1").arg(run_summary(run)));
  updateButtons();
}

void TrainingView::compareRuns(const QList<int>& indices) {
  QVector<QString> genres;
  QVector<RunComparisonFigure::Run> runs;
  for (int i : indices) {
    if (i < 0 || i >= static_cast<int>(runs_.size())) continue;
    const ml::TrainingReport& r = *runs_[static_cast<std::size_t>(i)].report;
    if (genres.isEmpty())
      for (const auto& l : r.label_names) genres << QString::fromStdString(l);
    RunComparisonFigure::Run run{
        runs_[static_cast<std::size_t>(i)].name(), r.mean_accuracy, r.std_accuracy, r.macro_f1, {}};
    // Per genre of the first run's labels (runs on another table may order or name them differently).
    for (const auto& g : genres) {
      const auto it = std::find(r.label_names.begin(), r.label_names.end(), g.toStdString());
      const auto k = static_cast<std::size_t>(it - r.label_names.begin());
      run.f1 << (it != r.label_names.end() && k < r.f1.size() ? r.f1[k] : std::nan(""));
    }
    runs << run;
  }
  comparison_.setRuns(genres, runs);
  comparison_canvas_->update();
}

void TrainingView::addHistoryRow(const TrainingRun& run) {
  const QSignalBlocker block(history_table_);
  const int row = history_table_->rowCount();
  history_table_->insertRow(row);
  auto* tick = new QTableWidgetItem;
  tick->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  tick->setCheckState(Qt::Unchecked);
  history_table_->setItem(row, 0, tick);
  const ml::TrainingReport& r = *run.report;
  auto* name = result_cell(run.name());
  name->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  history_table_->setItem(row, 1, name);
  history_table_->setItem(row, 2, result_cell(tr("%1 ± %2").arg(fixed(r.mean_accuracy), fixed(r.std_accuracy))));
  history_table_->setItem(row, 3, result_cell(fixed(r.macro_f1)));
  history_table_->setItem(row, 4, result_cell(fixed(r.seconds, 1)));
  history_table_->setItem(row, 5, result_cell(run.table));
  history_table_->setItem(row, 6, result_cell(run.finished_at));
  history_table_->setItem(row, 7, result_cell(run.bundle ? tr("kept") : tr("none")));
}

void TrainingView::buildExportMenu() {
  auto* menu = new QMenu(export_);
  auto* curves = menu->addMenu(tr("Training curves"));
  add_data_export_actions(*curves, *charts_, this);
  auto* confusion = menu->addMenu(tr("Confusion matrix"));
  add_data_export_actions(*confusion, confusion_, this);
  auto* comparison = menu->addMenu(tr("Run comparison"));
  add_data_export_actions(*comparison, comparison_, this);
  menu->addSeparator();
  for (const auto& [label, which, suffix] :
       {std::tuple{tr("Folds table (CSV)…"), QStringLiteral("folds"), QStringLiteral("csv")},
        std::tuple{tr("Per-genre metrics (CSV)…"), QStringLiteral("per-genre"), QStringLiteral("csv")},
        std::tuple{tr("Run history (CSV)…"), QStringLiteral("history"), QStringLiteral("csv")},
        std::tuple{tr("Leaderboard (CSV)…"), QStringLiteral("leaderboard"), QStringLiteral("csv")},
        std::tuple{tr("Full report (JSON)…"), QStringLiteral("report"), QStringLiteral("json")}}) {
    connect(menu->addAction(label), &QAction::triggered, this, [this, which = which, suffix = suffix] {
      const QString path =
          QFileDialog::getSaveFileName(this, tr("Export"), QStringLiteral("training-%1.%2").arg(which, suffix));
      if (path.isEmpty()) return;
      try {
        exportTable(which, path);
      } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Export"), QString::fromUtf8(e.what()));
      }
    });
  }
  export_->setMenu(menu);
}

void TrainingView::exportTable(const QString& which, const QString& path) const {
  const std::filesystem::path target(path.toStdString());
  const TrainingRun* run = shownRun();
  if (which == QLatin1String("folds")) {
    write_file_atomically(target, [this](std::ostream& out) { write_table_csv(*fold_table_, out); });
  } else if (which == QLatin1String("per-genre")) {
    write_file_atomically(target, [this](std::ostream& out) { write_table_csv(*metrics_table_, out); });
  } else if (which == QLatin1String("leaderboard")) {
    write_file_atomically(target, [this](std::ostream& out) { write_table_csv(*leaderboard_table_, out); });
  } else if (which == QLatin1String("history")) {
    write_file_atomically(target, [this](std::ostream& out) { write_table_csv(*history_table_, out); });
  } else if (which == QLatin1String("confusion")) {
    write_file_atomically(target, [this](std::ostream& out) { confusion_.writeCsv(out); });
  } else if (which == QLatin1String("curves")) {
    write_file_atomically(target, [this](std::ostream& out) { charts_->writeCsv(out); });
  } else if (which == QLatin1String("report")) {
    if (!run) throw std::logic_error("no training run to export");
    nlohmann::json report = ml::to_json(*run->report);
    if (run->audio) report["audio_cnn"] = experiment::audio_report_json(*run->audio);
    write_text_atomically(target, report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } else {
    throw std::invalid_argument("unknown table: " + which.toStdString());
  }
}

void TrainingView::showCell(int truth, int predicted) {
  cell_table_->setRowCount(0);
  if (shown_ < 0 || shown_ >= static_cast<int>(runs_.size())) return;
  const TrainingRun& run = runs_[static_cast<std::size_t>(shown_)];
  const auto& r = *run.report;
  if (!run.rows) {
    status_->setText(tr("The tracks behind a cell are listed for feature-table models (cnn2d's are not kept)."));
    return;
  }
  const auto genre = [&](int g) { return QString::fromStdString(r.label_names[static_cast<std::size_t>(g)]); };
  for (const auto& h : ml::held_out_in_cell(r, truth, predicted)) {
    const std::string& filename = run.rows->filenames[h.row];
    QString path;  // the dataset's audio file of this row's track, if any
    const auto key = dataset::parse_track_key(filename).track_id;
    for (const auto& f : audio_files_)
      if (f.label == run.rows->labels[h.row] &&
          dataset::parse_track_key(std::filesystem::path(f.path).filename().string()).track_id == key)
        path = QString::fromStdString(f.path);
    const int row = cell_table_->rowCount();
    cell_table_->insertRow(row);
    auto* file = new QTableWidgetItem(QString::fromStdString(filename));
    file->setData(Qt::UserRole, path);
    file->setToolTip(path.isEmpty() ? tr("No audio file for this track in the open dataset") : path);
    cell_table_->setItem(row, 0, file);
    cell_table_->setItem(row, 1, new QTableWidgetItem(genre(h.truth)));
    cell_table_->setItem(row, 2, new QTableWidgetItem(genre(h.predicted)));
    cell_table_->setItem(row, 3, new QTableWidgetItem(QString::number(h.confidence, 'f', 3)));
  }
  status_->setText(tr("%n held-out row(s) of true %1 predicted %2 (%3)", nullptr, cell_table_->rowCount())
                       .arg(genre(truth), genre(predicted), run.name()));
}

void TrainingView::fillResults(const TrainingRun& run) {
  const ml::TrainingReport& r = *run.report;
  cell_table_->setRowCount(0);
  const bool audio = run.audio != nullptr;
  fill_fold_table(*fold_table_, run);

  // Confusion matrix: rows = true genre, columns = predicted.
  const int n = static_cast<int>(r.label_names.size());
  QVector<QString> labels;
  for (const auto& l : r.label_names) labels << QString::fromStdString(l);
  const bool single = r.options.split && !r.options.rotate;  // one test part, scored once
  const QString held_out =
      single ? tr("the test part, scored once")
             : (r.options.split ? tr("summed over the %1 held-out parts") : tr("summed over the %1 test folds"))
                   .arg(r.folds.size());
  confusion_.setMatrix(
      labels, r.confusion,
      audio ? tr("%1: held-out tracks (by mean patch probability), %2; track accuracy %3")
                  .arg(run.name(), held_out,
                       single ? fixed(r.mean_track_accuracy_mean)
                              : tr("%1 ± %2").arg(fixed(r.mean_track_accuracy_mean), fixed(r.std_track_accuracy_mean)))
            : tr("%1 on %2, %3; accuracy %4")
                  .arg(run.name(), run.table, held_out,
                       single ? fixed(r.mean_accuracy)
                              : tr("%1 ± %2").arg(fixed(r.mean_accuracy), fixed(r.std_accuracy))));
  confusion_canvas_->update();

  // Per genre.
  metrics_table_->setColumnCount(5);
  metrics_table_->setHorizontalHeaderLabels(
      {tr("Genre"), tr("Precision"), tr("Recall"), tr("F1"), audio ? tr("Support (tracks)") : tr("Support")});
  metrics_table_->setRowCount(n + 1);
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    auto* genre = result_cell(labels[i]);
    genre->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    metrics_table_->setItem(i, 0, genre);
    if (k < r.precision.size()) metrics_table_->setItem(i, 1, result_cell(fixed(r.precision[k])));
    if (k < r.recall.size()) metrics_table_->setItem(i, 2, result_cell(fixed(r.recall[k])));
    if (k < r.f1.size()) metrics_table_->setItem(i, 3, result_cell(fixed(r.f1[k])));
    if (k < r.support.size()) metrics_table_->setItem(i, 4, result_cell(QString::number(r.support[k])));
  }
  metrics_table_->setItem(n, 0, result_cell(tr("macro F1")));
  metrics_table_->setItem(n, 3, result_cell(fixed(r.macro_f1)));
}

void TrainingView::saveModel(const QString& path) const {
  const ml::ModelBundle* bundle = lastBundle();
  if (!bundle) throw std::logic_error("no trained model to save");
  ml::save_bundle(std::filesystem::path(path.toStdString()), *bundle);
}

void TrainingView::saveModelInteractively() {
  if (!lastBundle()) return;
  QString path = QFileDialog::getSaveFileName(
      this, tr("Save model"), QStringLiteral("model") + QString::fromLatin1(ml::kBundleExtension),
      tr("GenreLab model (*%1)").arg(QString::fromLatin1(ml::kBundleExtension)));
  if (path.isEmpty()) return;
  if (!path.endsWith(QString::fromLatin1(ml::kBundleExtension))) path += QString::fromLatin1(ml::kBundleExtension);
  try {
    saveModel(path);
    status_->setText(tr("Model saved to %1").arg(path));
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Save model"), QString::fromUtf8(e.what()));
  }
}

}  // namespace genrelab::ui

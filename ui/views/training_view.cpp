#include "ui/views/training_view.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QMetaObject>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "dataset/feature_table.h"
#include "experiment/audio_experiment.h"
#include "experiment/comparison.h"
#include "features/log_mel_cache.h"
#include "ml/model_presets.h"
#include "stats/scores.h"
#include "ui/jobs/job_runner.h"
#include "ui/plot/csv.h"
#include "ui/views/export_menu.h"
#include "ui/views/figure_canvas.h"
#include "ui/views/training_results.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/parallel.h"

namespace genrelab::ui {

namespace {

constexpr int kFlushIntervalMs = 200;  // at most ~5 chart updates per second

EpochRecord to_record(int fold, const ml::EpochStats& s) {
  EpochRecord r;
  r.fold = fold;
  r.epoch = s.epoch;
  r.epochs = s.epochs;
  r.train_loss = s.train_loss;
  r.train_accuracy = s.train_accuracy;
  const bool has_validation = std::isfinite(s.validation_loss);
  r.heldout_loss = has_validation ? s.validation_loss : s.test_loss;
  r.heldout_accuracy = has_validation ? s.validation_accuracy : s.test_accuracy;
  r.learning_rate = s.learning_rate;
  return r;
}

/// Every epoch of a finished run (folds, then the final model), as the charts draw them. With a
/// split, the final model is the test part's model: its epochs are already there.
std::vector<EpochRecord> records_of(const ml::TrainingReport& report) {
  std::vector<EpochRecord> out;
  for (const ml::FoldReport& f : report.folds)
    for (const auto& e : f.history) out.push_back(to_record(f.fold, e));
  if (report.final_model && !report.options.split)
    for (const auto& e : report.final_model->history) out.push_back(to_record(ml::kFinalFold, e));
  return out;
}

/// Runs on the training threads: copies each epoch into a record and posts it to the view.
/// The view outlives the worker (its destructor cancels and waits), so `view` stays valid.
class EpochForwarder final : public ml::TrainingObserver {
 public:
  explicit EpochForwarder(QObject* view, std::function<void(const EpochRecord&)> deliver)
      : view_(view), deliver_(std::move(deliver)) {}
  void on_epoch(int fold, const ml::EpochStats& s) override {
    QMetaObject::invokeMethod(view_, [deliver = deliver_, r = to_record(fold, s)] { deliver(r); }, Qt::QueuedConnection);
  }

 private:
  QObject* view_;
  std::function<void(const EpochRecord&)> deliver_;
};

QTableWidgetItem* cell(const QString& text) { return result_cell(text); }
QString num(double v, int decimals = 3) { return fixed(v, decimals); }

QTableWidget* makeTable(QWidget* parent) {
  auto* t = new QTableWidget(parent);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->verticalHeader()->setVisible(false);
  t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return t;
}

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

QString to_qstring(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

/// The presets that train on feature tables (the audio CNN needs the audio).
std::vector<ml::ModelPreset> table_presets() {
  std::vector<ml::ModelPreset> out;
  for (auto& p : ml::model_presets())
    if (p.model.kind != ml::ModelKind::cnn2d) out.push_back(std::move(p));
  return out;
}

/// "file: reason; file: reason" of the audio files a cnn2d run left out.
QString skipped_text(const std::vector<dataset::SkippedFile>& skipped) {
  QStringList out;
  for (const auto& s : skipped) out << QString::fromStdString(s.path.string() + ": " + s.reason);
  return out.join(QStringLiteral("; "));
}

/// The kind combo's entry for the audio CNN (not a table preset).
const QString kAudioKind = QStringLiteral("cnn2d");
/// genrelab-cli train-audio's default epochs (app/cli/train_audio.cpp, TrainAudioArgs).
constexpr int kAudioEpochs = 20;

}  // namespace

QString TrainingRun::name() const {
  if (!report) return QStringLiteral("#%1").arg(number);
  const auto& o = report->options;
  const bool audio_cnn = o.model.kind == ml::ModelKind::cnn2d;
  QString text = QStringLiteral("#%1 %2/%3, %4")
                     .arg(number)
                     .arg(model.isEmpty() ? to_qstring(ml::to_string(o.model.kind)) : model,
                          audio_cnn ? QStringLiteral("log-mel") : to_qstring(ml::to_string(o.features)), protocol_words(o));
  if (o.model.kind == ml::ModelKind::krr)
    text += QStringLiteral(", closed form");
  else if (o.search.empty())
    text += QStringLiteral(", %1 epochs").arg(o.training.epochs);
  return text;
}

TrainingView::TrainingView(QWidget* parent)
    : QWidget(parent),
      table_combo_(new QComboBox(this)),
      extract_(new QPushButton(tr("Extract from audio…"), this)),
      kind_(new QComboBox(this)),
      protocol_(new ProtocolPicker(this)),
      features_(new QComboBox(this)),
      folds_(new QSpinBox(this)),
      epochs_(new QSpinBox(this)),
      seed_(new QSpinBox(this)),
      threads_(new QSpinBox(this)),
      final_model_(new QCheckBox(tr("Train a final model on all rows (needed to save)"), this)),
      audio_box_(new QGroupBox(tr("cnn2d: log-mel patches of the audio"), this)),
      augment_(new QCheckBox(tr("Spectrogram augmentation"), this)),
      audio_params_(new ParamForm(this)),
      adjust_box_(new QGroupBox(tr("Adjust the parameters"), this)),
      model_params_(new ParamForm(this)),
      start_(new QPushButton(tr("Start"), this)),
      cancel_(new QPushButton(tr("Cancel"), this)),
      save_(new QPushButton(tr("Save model…"), this)),
      table_label_(new QLabel(tr("No feature table loaded."), this)),
      status_(new QLabel(this)),
      progress_(new QProgressBar(this)),
      export_(new QToolButton(this)),
      charts_(new TrainingCharts(this)),
      fold_table_(makeTable(this)),
      metrics_table_(makeTable(this)),
      history_table_(makeTable(this)),
      cell_table_(makeTable(this)),
      compare_models_(new QListWidget(this)),
      repeats_(new QSpinBox(this)),
      compare_(new QPushButton(tr("Compare models"), this)),
      leaderboard_table_(makeTable(this)),
      board_note_label_(new QLabel(this)),
      normalize_(new QCheckBox(tr("Row-normalised (recall per true genre)"), this)),
      confusion_canvas_(new FigureCanvas(confusion_, this)),
      comparison_canvas_(new FigureCanvas(comparison_, this)),
      flush_timer_(new QTimer(this)) {
  for (const ml::ModelPreset& preset : table_presets()) {
    kind_->addItem(QString::fromStdString(preset.name), QString::fromStdString(preset.name));
    kind_->setItemData(kind_->count() - 1, QString::fromStdString(preset.description), Qt::ToolTipRole);
  }
  // The audio CNN learns from the dataset's audio files, not from a table (enabled by setAudioFiles()).
  kind_->addItem(kAudioKind, kAudioKind);
  kind_->setCurrentIndex(std::max(0, kind_->findText(QStringLiteral("cnn1d"))));  // the study's model first
  for (auto set : {ml::FeatureSet::all, ml::FeatureSet::filtered, ml::FeatureSet::mfcc}) {
    const auto name = ml::to_string(set);
    features_->addItem(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())), static_cast<int>(set));
  }
  const ml::TrainerOptions defaults;
  folds_->setRange(2, 100);
  folds_->setValue(defaults.folds);
  epochs_->setRange(1, 100000);
  seed_->setRange(0, 2147483647);
  threads_->setRange(1, 256);
  // Every core: folds train side by side (as genrelab-cli train does by default).
  threads_->setValue(static_cast<int>(std::min(hardware_jobs(), 256u)));
  final_model_->setChecked(defaults.final_model);
  {
    // The audio CNN's own controls, with genrelab-cli train-audio's defaults, generated from the
    // parameter tables: its architecture, batch, crops and audio copies (epochs and seed: the form's).
    const ml::AudioCnnOptions audio;
    audio_model_.kind = ml::ModelKind::cnn2d;
    audio_training_ = ml::default_training(ml::ModelKind::cnn2d);
    audio_params_->addParams(ml::model_param_specs(), audio_model_);
    audio_params_->addParams<ml::TrainParams>(ml::train_param_specs(), audio_training_,
                                              [](const auto& p) { return p.key == "batch_size"; });
    audio_params_->addParams(ml::audio_cnn_param_specs(), audio_sampling_);
    audio_params_->load();
    augment_->setChecked(true);
    augment_->setToolTip(tr("Training patches get Gaussian noise (%1 dB), a shift of up to ±%2 mel bands and a level "
                            "offset of up to ±%3 dB; off: the crops as they are")
                             .arg(audio.noise_db)
                             .arg(audio.max_band_shift)
                             .arg(audio.max_level_db));
    auto* audio_form = new QFormLayout(audio_box_);
    audio_form->addRow(audio_params_);
    audio_form->addRow(augment_);
    audio_box_->setToolTip(tr("cnn2d trains from the dataset's audio files: each file's log-mel spectrogram is computed "
                              "once; folds hold out whole tracks; a held-out track is classified by the mean "
                              "probability of its patches"));
    audio_box_->setVisible(false);
  }
  // A table preset's own parameters, generated from the parameter tables (the rows of its kind);
  // off by default: the preset trains as the leaderboards describe it.
  model_params_->addParams(ml::model_param_specs(), preset_model_);
  model_params_->addParams<ml::TrainParams>(ml::train_param_specs(), preset_training_,
                                            [](const auto& p) { return p.key != "epochs" && p.key != "seed"; });
  adjust_box_->setCheckable(true);
  adjust_box_->setChecked(false);
  adjust_box_->setToolTip(tr("Train the chosen preset with these values of its model and training loop instead of its "
                             "own (a preset's search, which would choose other values, is then skipped)"));
  (new QVBoxLayout(adjust_box_))->addWidget(model_params_);
  model_params_->setVisible(false);
  connect(adjust_box_, &QGroupBox::toggled, model_params_, &QWidget::setVisible);
  // No dataset yet: cnn2d is listed but off, with the reason (setAudioFiles() turns it on).
  audio_reason_ = tr("cnn2d is unavailable: open a dataset folder with audio files (genres_original/<genre>/*.wav or "
                     "<genre>/<file>); it learns from the audio, not from a feature table.");
  if (auto* model = qobject_cast<QStandardItemModel*>(kind_->model())) {
    const int at = kind_->findData(kAudioKind);
    model->item(at)->setEnabled(false);
    kind_->setItemData(at, audio_reason_, Qt::ToolTipRole);
  }
  applyKindDefaults();
  connect(kind_, &QComboBox::currentIndexChanged, this, [this] { applyKindDefaults(); });

  auto* form = new QFormLayout;
  form->addRow(tr("Table"), table_combo_);
  form->addRow(QString(), extract_);
  extract_->setToolTip(tr("Compute the 57 GTZAN features of every clip of the open dataset (librosa's recipe), with progress"));
  connect(extract_, &QPushButton::clicked, this, &TrainingView::extractRequested);
  connect(table_combo_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i < 0 || i >= tables_.size()) return;
    table_name_ = tables_[i].first;
    table_ = tables_[i].second;
    updateProtocolRows();
    updateInputLabel();
    updateBoardAudio();
    updateButtons();
  });
  form->addRow(tr("Model"), kind_);
  form->addRow(tr("Features"), features_);
  form->addRow(new QLabel(tr("How accuracy is measured:"), this));
  form->addRow(protocol_);
  form->addRow(tr("Folds"), folds_);
  form->addRow(tr("Epochs"), epochs_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(tr("Threads"), threads_);
  form->addRow(final_model_);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(start_);
  buttons->addWidget(cancel_);
  buttons->addWidget(save_);
  export_->setText(tr("Export…"));
  export_->setPopupMode(QToolButton::InstantPopup);
  export_->setToolTip(tr("Export the curves, the confusion matrix (PNG, SVG, PDF, CSV), the tables (CSV) or the report (JSON)"));
  buttons->addWidget(export_);
  buildExportMenu();
  auto* left = new QVBoxLayout;
  left->addWidget(table_label_);
  left->addLayout(form);
  left->addWidget(audio_box_);
  left->addWidget(adjust_box_);
  left->addLayout(buttons);
  left->addWidget(progress_);
  left->addWidget(status_);
  left->addStretch(1);
  status_->setWordWrap(true);
  status_->setMinimumHeight(6 * status_->fontMetrics().lineSpacing());
  status_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  table_label_->setWordWrap(true);
  progress_->setRange(0, 1000);
  progress_->setValue(0);

  auto* confusion_page = new QWidget(this);
  auto* confusion_layout = new QVBoxLayout(confusion_page);
  confusion_layout->setContentsMargins(0, 4, 0, 0);
  confusion_layout->addWidget(normalize_);
  confusion_layout->addWidget(confusion_canvas_, 3);
  confusion_layout->addWidget(cell_table_, 1);
  connect(normalize_, &QCheckBox::toggled, this, [this](bool on) {
    confusion_.normalized = on;
    confusion_canvas_->update();
  });
  // A cell's held-out tracks, each playable: hear why rock is taken for metal.
  cell_table_->setColumnCount(4);
  cell_table_->setHorizontalHeaderLabels({tr("Held-out track (double-click to play)"), tr("True"), tr("Predicted"), tr("Confidence")});
  cell_table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  cell_table_->setToolTip(tr("Click a cell of the confusion matrix to list the held-out tracks it counts"));
  confusion_canvas_->clicked = [this](QPointF pos) {
    const auto [truth, predicted] = confusion_.cellAt(confusion_canvas_->rect(), pos);
    if (truth >= 0) showCell(truth, predicted);
  };
  connect(cell_table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
    const QString path = cell_table_->item(row, 0)->data(Qt::UserRole).toString();
    if (path.isEmpty()) status_->setText(tr("%1: no audio file for this track in the open dataset").arg(cell_table_->item(row, 0)->text()));
    else Q_EMIT playRequested(path);
  });
  history_table_->setColumnCount(8);
  history_table_->setHorizontalHeaderLabels(
      {tr("Compare"), tr("Run"), tr("Accuracy (mean ± std)"), tr("Macro F1"), tr("Seconds"), tr("Table"), tr("Finished"), tr("Model")});
  history_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  history_table_->setSelectionMode(QAbstractItemView::SingleSelection);
  history_table_->setToolTip(tr("Select a run to show it again; tick runs to compare their per-genre F1"));
  connect(history_table_, &QTableWidget::itemSelectionChanged, this, [this] {
    const auto rows = history_table_->selectionModel()->selectedRows();
    if (!rows.isEmpty() && rows.front().row() != shown_ && state_ != State::running) showRun(rows.front().row());
  });
  connect(history_table_, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
    if (item->column() != 0) return;
    QList<int> ticked;
    for (int r = 0; r < history_table_->rowCount(); ++r)
      if (history_table_->item(r, 0) && history_table_->item(r, 0)->checkState() == Qt::Checked) ticked << r;
    compareRuns(ticked);
  });
  auto* history_split = new QSplitter(Qt::Horizontal, this);
  history_split->addWidget(history_table_);
  history_split->addWidget(comparison_canvas_);
  history_split->setStretchFactor(0, 1);
  history_split->setStretchFactor(1, 1);
  history_split->setSizes({420, 480});

  for (const ml::ModelPreset& preset : table_presets()) {
    auto* item = new QListWidgetItem(QString::fromStdString(preset.name), compare_models_);
    item->setToolTip(QString::fromStdString(preset.description));
    // The quick ones by default; the ensemble and the search take minutes on 2 cores.
    item->setCheckState(preset.name == "ensemble" || preset.name == "search" ? Qt::Unchecked : Qt::Checked);
  }
  {
    // The audio CNN, after the table models and in their folds (as genrelab-cli compare --models
    // ...,cnn2d): off by default (minutes, not seconds); updateBoardAudio() says when it cannot run.
    auto* item = new QListWidgetItem(kAudioKind, compare_models_);
    item->setCheckState(Qt::Unchecked);
  }
  // Left to right, wrapped (two lines beside the charts): every model stays in sight, cnn2d last.
  compare_models_->setFlow(QListView::LeftToRight);
  compare_models_->setWrapping(true);
  compare_models_->setResizeMode(QListView::Adjust);
  compare_models_->setSpacing(2);
  compare_models_->setFixedHeight(2 * (compare_models_->sizeHintForRow(0) + 4) + 8);
  compare_->setToolTip(tr("Cross-validate the ticked models under the same folds (the form's folds, features, split, seed, threads)"));
  connect(compare_, &QPushButton::clicked, this, &TrainingView::compareModels);
  auto* board_page = new QWidget(this);
  auto* board_layout = new QVBoxLayout(board_page);
  board_layout->setContentsMargins(0, 4, 0, 0);
  // The checklist on the full width, repeats and the button below it.
  board_layout->addWidget(compare_models_);
  auto* board_row = new QHBoxLayout;
  board_row->addStretch(1);
  repeats_->setRange(1, 100);
  repeats_->setPrefix(tr("repeats: "));
  repeats_->setToolTip(tr("Repeated cross-validation: repeat r draws its folds and weights from seed + r; "
                          "the accuracy is then the mean over every test fold of every repeat"));
  connect(repeats_, &QSpinBox::valueChanged, this, [this] { updateBoardAudio(); });
  connect(protocol_, &ProtocolPicker::changed, this, [this] {
    updateBoardAudio();
    updateButtons();
  });
  // An unreadable split folder or groups file (file and line) goes to the status line.
  connect(protocol_, &ProtocolPicker::problemFound, this, [this](const QString& message) {
    if (state_ != State::running) status_->setText(message);
  });
  board_row->addWidget(repeats_);
  board_row->addWidget(compare_);
  board_layout->addLayout(board_row);
  // The protocol of the board on display in words, and what it did with the rows.
  board_note_label_->setWordWrap(true);
  board_note_label_->setTextFormat(Qt::RichText);
  board_layout->addWidget(board_note_label_);
  board_layout->addWidget(leaderboard_table_, 1);

  auto* results = new QTabWidget(this);
  results->addTab(fold_table_, tr("Folds"));
  results->addTab(confusion_page, tr("Confusion matrix"));
  results->addTab(metrics_table_, tr("Per genre"));
  results->addTab(history_split, tr("History"));
  results->addTab(board_page, tr("Leaderboard"));
  for (QTableWidget* t : {fold_table_, metrics_table_, history_table_, leaderboard_table_}) {
    t->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* action = new QAction(tr("Export as CSV…"), t);
    connect(action, &QAction::triggered, this, [this, t] {
      export_csv_with_dialog(t == history_table_       ? tr("training history")
                             : t == fold_table_        ? tr("folds")
                             : t == leaderboard_table_ ? tr("leaderboard")
                                                       : tr("per-genre metrics"),
                             [t](std::ostream& out) { write_table_csv(*t, out); }, this);
    });
    t->addAction(action);
  }
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(charts_);
  split->addWidget(results);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({400, 400});

  auto* layout = new QHBoxLayout(this);
  auto* leftBox = new QWidget(this);
  leftBox->setLayout(left);
  leftBox->setMaximumWidth(360);
  layout->addWidget(leftBox);
  layout->addWidget(split, 1);

  flush_timer_->setSingleShot(true);
  flush_timer_->setInterval(kFlushIntervalMs);
  connect(flush_timer_, &QTimer::timeout, this, &TrainingView::flushCharts);
  connect(start_, &QPushButton::clicked, this, &TrainingView::start);
  connect(cancel_, &QPushButton::clicked, this, &TrainingView::cancel);
  connect(save_, &QPushButton::clicked, this, &TrainingView::saveModelInteractively);
  updateBoardAudio();
  updateButtons();
}

TrainingView::~TrainingView() {
  if (job_) job_->abandon();
}

void TrainingView::applyKindDefaults() {
  const bool audio = audioModelSelected();
  const auto preset = ml::find_model_preset(kind_->currentData().toString().toStdString());
  const ml::TrainParams t = preset ? preset->training : ml::default_training(audio ? ml::ModelKind::cnn2d : ml::ModelKind::cnn1d);
  epochs_->setValue(audio ? kAudioEpochs : t.epochs);
  seed_->setValue(static_cast<int>(t.seed));
  if (preset) {
    preset_model_ = preset->model;
    preset_training_ = preset->training;
    model_params_->load();
  }
  adjust_box_->setVisible(!audio);
  kind_->setToolTip(kind_->currentData(Qt::ToolTipRole).toString());
  // Table-only controls say why they are off; the audio CNN's own controls appear.
  const QString table_only = audio ? tr("cnn2d learns from the audio files, not from a feature table") : QString();
  for (QWidget* w : std::initializer_list<QWidget*>{table_combo_, extract_, features_}) w->setToolTip(table_only);
  if (!audio)
    extract_->setToolTip(tr("Compute the 57 GTZAN features of every clip of the open dataset (librosa's recipe), with progress"));
  audio_box_->setVisible(audio);
  updateProtocolRows();
  updateInputLabel();
  updateButtons();
}

void TrainingView::updateProtocolRows() {
  std::vector<std::string> names, labels;
  QString what;
  auto rows = ProtocolPicker::Rows::table;
  if (audioModelSelected()) {
    for (const auto& f : audio_files_) {
      names.push_back(f.path);
      labels.push_back(f.label);
    }
    rows = ProtocolPicker::Rows::audio;
    what = tr("the audio of %1").arg(audio_name_);
  } else if (table_) {
    names = table_->filenames;
    labels = table_->labels;
    what = table_name_;
  }
  protocol_->setRows(std::move(names), std::move(labels), rows, what, dataset_folder_);
}

void TrainingView::setDatasetFolder(const QString& folder) {
  dataset_folder_ = folder;
  updateProtocolRows();
}

bool TrainingView::audioModelSelected() const { return kind_->currentData().toString() == kAudioKind; }

void TrainingView::updateInputLabel() {
  if (audioModelSelected()) {
    std::set<std::string> genres;
    for (const auto& f : audio_files_) genres.insert(f.label);
    table_label_->setText(audio_reason_.isEmpty()
                              ? tr("cnn2d trains from the audio folder of %1: %n track(s) in %2 genres, each "
                                   "file's log-mel spectrogram cut into patches (the feature table is not used).",
                                   nullptr, static_cast<int>(audio_files_.size()))
                                    .arg(audio_name_)
                                    .arg(genres.size())
                              : audio_reason_);
    return;
  }
  if (table_) table_label_->setText(tr("%1 rows, %2 features").arg(table_->rows()).arg(table_->cols()));
  else if (tables_.isEmpty() && table_combo_->count() == 0 && !audio_name_.isEmpty())
    table_label_->setText(tr("No feature table: extract one from the dataset's audio."));
}

void TrainingView::setAudioFiles(const std::vector<ml::AudioFile>& files, const QString& name) {
  audio_files_ = files;
  audio_name_ = name;
  std::set<std::string> genres;
  for (const auto& f : files) genres.insert(f.label);
  if (files.empty())
    audio_reason_ = tr("cnn2d is unavailable: %1 has no readable audio files (cnn2d learns from "
                       "genres_original/<genre>/*.wav or <genre>/<file>, not from a feature table).")
                        .arg(name.isEmpty() ? tr("the open dataset") : name);
  else if (genres.size() < 2)
    audio_reason_ = tr("cnn2d is unavailable: the audio of %1 has only one genre (it needs at least 2).").arg(name);
  else
    audio_reason_.clear();
  const int at = kind_->findData(kAudioKind);
  if (auto* model = qobject_cast<QStandardItemModel*>(kind_->model()); model && at >= 0) {
    model->item(at)->setEnabled(audio_reason_.isEmpty());
    kind_->setItemData(at, audio_reason_.isEmpty()
                               ? tr("2-D CNN on log-mel patches, trained from the audio files of %1 (not from a feature "
                                    "table); folds hold out whole tracks")
                                     .arg(name)
                               : audio_reason_,
                       Qt::ToolTipRole);
  }
  // A dataset without audio cannot keep cnn2d selected: back to the study's model.
  if (!audio_reason_.isEmpty() && audioModelSelected() && state_ != State::running)
    kind_->setCurrentIndex(std::max(0, kind_->findText(QStringLiteral("cnn1d"))));
  if (audioModelSelected()) kind_->setToolTip(kind_->currentData(Qt::ToolTipRole).toString());
  updateProtocolRows();
  updateInputLabel();
  updateBoardAudio();
  updateButtons();
}

void TrainingView::updateBoardAudio() {
  QString reason = audio_reason_;  // no dataset, no audio, one genre
  if (reason.isEmpty() && !table_)
    reason = tr("cnn2d joins a leaderboard of table models (their folds): open or extract a feature table first.");
  if (reason.isEmpty()) {
    // cnn2d must hold out the same tracks as the table models: every track of the table needs its
    // audio file (matched like genrelab-cli compare: genre and file name, blues.00000.3.wav ->
    // blues.00000.wav); audio files without rows simply stay out of the comparison.
    const ml::AudioTableMatch match = ml::match_audio_to_table(*table_, audio_files_);
    if (!match.tracks_without_audio.empty())
      reason = tr("cnn2d cannot join this leaderboard: %n of the %1 tracks of %2 have no audio file in %3 (first: %4), so "
                  "it would not be scored on the same held-out tracks. Tracks and files match by genre and file name "
                  "(blues.00000.wav, blues.00000.3.wav); Extract from audio… makes a table of exactly these files.",
                  nullptr, static_cast<int>(match.tracks_without_audio.size()))
                   .arg(match.tracks)
                   .arg(table_name_, audio_name_, QString::fromStdString(match.tracks_without_audio.front()));
    else if (!match.duplicate_files.empty())
      reason = tr("cnn2d cannot join this leaderboard: %n track(s) of %1 have several audio files (first: %2).", nullptr,
                  static_cast<int>(match.duplicate_files.size()))
                   .arg(table_name_, QString::fromStdString(audio_files_[match.duplicate_files.front()].path));
  }
  // genrelab-cli compare refuses the same two.
  if (reason.isEmpty() && repeats_->value() > 1)
    reason = tr("cnn2d runs one repeat (its training takes minutes per fold): set repeats to 1.");
  if (reason.isEmpty() && protocol_->choice() == ProtocolPicker::Choice::leaky)
    reason = tr("cnn2d is cross-validated with track-grouped folds or a split only: choose one of them, not LEAKY rows.");
  board_audio_reason_ = reason;
  const auto items = compare_models_->findItems(kAudioKind, Qt::MatchExactly);
  if (items.isEmpty()) return;
  QListWidgetItem* item = items.front();
  if (reason.isEmpty()) {
    item->setFlags(item->flags() | Qt::ItemIsEnabled);
    item->setToolTip(tr("2-D CNN on log-mel patches of the audio of %1, with the form's cnn2d settings (epochs: the "
                        "form's when cnn2d is the chosen model, else %2), run after the table models on the held-out "
                        "tracks of their folds; its accuracy is the held-out tracks' (mean probability of their "
                        "patches). Takes minutes.")
                         .arg(audio_name_)
                         .arg(kAudioEpochs));
  } else {
    item->setCheckState(Qt::Unchecked);
    item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    item->setToolTip(reason);
  }
}

ml::AudioCnnOptions TrainingView::audioOptions() const {
  ml::AudioCnnOptions o = audio_sampling_;
  o.model = audio_model_;
  o.training = audio_training_;
  o.training.epochs = epochs_->value();
  o.training.seed = static_cast<std::uint64_t>(seed_->value());
  o.training.threads = threads_->value();
  o.folds = folds_->value();
  if (!augment_->isChecked()) {
    o.noise_db = 0.0;
    o.max_band_shift = 0;
    o.max_level_db = 0.0;
  }
  o.monitor_heldout = true;  // the held-out curves of the charts
  return o;
}

QSpinBox* TrainingView::spinOf(const ParamForm* form, const char* key) {
  return qobject_cast<QSpinBox*>(form->editor(QString::fromLatin1(key)));
}

ml::TrainerOptions TrainingView::options() const {
  ml::TrainerOptions base;
  base.training.seed = static_cast<std::uint64_t>(seed_->value());
  base.training.threads = threads_->value();
  base.folds = folds_->value();
  base.features = static_cast<ml::FeatureSet>(features_->currentData().toInt());
  protocol_->applyTo(base);
  base.final_model = final_model_->isChecked();
  if (const auto it = extraction_.find(table_name_); it != extraction_.end()) base.extraction = it->second;
  const auto preset = ml::find_model_preset(kind_->currentData().toString().toStdString());
  ml::TrainerOptions o = preset ? ml::apply_preset(*preset, base) : base;
  if (preset && adjust_box_->isChecked()) {
    // The form's values instead of the preset's (and no search, which would choose others).
    o.model = preset_model_;
    o.training = preset_training_;
    o.training.seed = base.training.seed;
    o.training.threads = base.training.threads;
    o.search.clear();
  }
  if (audioModelSelected()) {
    const ml::AudioCnnOptions audio = audioOptions();
    o.model = audio.model;
    o.training = audio.training;
    o.protocol = ml::SplitProtocol::grouped;  // the picker offers cnn2d no leaky rows
  }
  o.training.epochs = epochs_->value();
  return o;
}

void TrainingView::setExtraction(const QString& name, const std::optional<features::ExtractionParams>& params) {
  if (params) extraction_[name] = *params;
  else extraction_.erase(name);
}

void TrainingView::setTable(std::shared_ptr<const dataset::FeatureTable> table, const QString& name) {
  QVector<QPair<QString, std::shared_ptr<const dataset::FeatureTable>>> tables;
  if (table) tables.append({name, std::move(table)});
  setTables(tables);
}

void TrainingView::setTables(const QVector<QPair<QString, std::shared_ptr<const dataset::FeatureTable>>>& tables) {
  const QString before = table_name_;
  tables_.clear();
  for (const auto& t : tables)
    if (t.second) tables_.append(t);
  table_.reset();
  table_name_.clear();
  {
    const QSignalBlocker block(table_combo_);
    table_combo_->clear();
    for (const auto& t : tables_) table_combo_->addItem(t.first);
    table_combo_->setCurrentIndex(-1);
  }
  if (tables_.isEmpty()) {
    table_label_->setText(tr("No feature table: extract one from the dataset's audio."));
    updateProtocolRows();
    updateInputLabel();
    updateBoardAudio();
    updateButtons();
    return;
  }
  const int keep = table_combo_->findText(before);
  table_combo_->setCurrentIndex(keep >= 0 ? keep : 0);  // selects: fills table_ and the label
}

void TrainingView::updateButtons() {
  const bool running = state_ == State::running;
  const bool audio = audioModelSelected();
  const bool has_table = table_ && table_->rows() > 0;
  start_->setEnabled(!running && (audio ? audio_reason_.isEmpty() : has_table));
  start_->setToolTip(audio && !audio_reason_.isEmpty() ? audio_reason_ : QString());
  cancel_->setEnabled(running && !cancel_requested_);
  save_->setEnabled(!running && lastBundle() != nullptr);
  export_->setEnabled(!running && shownRun() != nullptr);
  compare_->setEnabled(!running && has_table);
  for (QWidget* w : std::initializer_list<QWidget*>{kind_, folds_, epochs_, seed_, threads_, final_model_, compare_models_, repeats_,
                                                    audio_box_})
    w->setEnabled(!running);
  // The kernel ridge classifier is solved in closed form: epochs do not apply.
  const auto preset = ml::find_model_preset(kind_->currentData().toString().toStdString());
  const bool closed_form = preset && preset->model.kind == ml::ModelKind::krr;
  epochs_->setEnabled(!running && !closed_form);
  epochs_->setToolTip(closed_form ? tr("%1 is solved in closed form (one linear system), not by epochs")
                                        .arg(kind_->currentText())
                                  : QString());
  // Feature-table-only controls are off for cnn2d (it reads the audio).
  for (QWidget* w : std::initializer_list<QWidget*>{table_combo_, extract_, features_}) w->setEnabled(!running && !audio);
  protocol_->setEnabled(!running);
  // A split fixes the held-out rows: no folds to count.
  const bool split = protocol_->isSplit();
  final_model_->setText(split   ? (audio ? tr("Train a final model on train+valid (needed to save)")
                                         : tr("Keep the train+valid model (needed to save)"))
                        : audio ? tr("Train a final model on all tracks (needed to save)")
                                : tr("Train a final model on all rows (needed to save)"));
  folds_->setEnabled(!running && !split);
  folds_->setToolTip(split ? tr("A predefined split holds out its test part (or, rotated, each part in turn): the number "
                                "of folds does not apply")
                           : tr("Folds of the cross-validation: each holds out its share of the tracks once"));
}

void TrainingView::start() {
  if (state_ == State::running) return;
  if (audioModelSelected()) {
    startAudio();
    return;
  }
  if (!table_) return;
  if (!protocol_->problem().isEmpty()) {
    status_->setText(protocol_->problem());
    return;
  }
  ml::TrainerOptions opts = options();
  try {
    opts.validate();
  } catch (const std::exception& e) {
    status_->setText(tr("Invalid options: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  const QString model = adjust_box_->isChecked() ? tr("%1 (adjusted)").arg(kind_->currentText()) : kind_->currentText();
  auto table = table_;
  auto deliver_record = [this](const EpochRecord& r) { receiveRecord(r); };
  QPointer<TrainingView> self(this);
  launch(tr("Training %1 on %2 (%3)…").arg(model, table_name_, protocol_words(opts)),
         [table, opts, model, deliver_record, self, view = static_cast<QObject*>(this)](
             ProgressSink& progress, const CancelToken& token) -> std::function<void()> {
           EpochForwarder observer(view, deliver_record);
           ml::TrainingResult result = ml::train_and_evaluate(*table, opts, &progress, &observer, &token);
           FinishedRun run{model, nullptr, nullptr};
           run.table = table;
           if (result.model) run.bundle = std::make_shared<const ml::ModelBundle>(result.bundle());
           run.report = std::make_shared<const ml::TrainingReport>(std::move(result.report));
           return [self, run] {
             if (self) self->finished_ = {run};
           };
         });
}

void TrainingView::startAudio() {
  if (state_ == State::running) return;
  if (!audio_reason_.isEmpty()) {
    status_->setText(audio_reason_);
    return;
  }
  if (!protocol_->problem().isEmpty()) {
    status_->setText(protocol_->problem());
    return;
  }
  const ml::AudioCnnOptions opts = audioOptions();
  try {
    opts.validate();
  } catch (const std::exception& e) {
    status_->setText(tr("Invalid options: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  // The protocol: a split (its parts as the folds, as genrelab-cli train-audio --split) or track folds.
  ml::TrainerOptions described;
  protocol_->applyTo(described);
  described.folds = opts.folds;
  experiment::AudioExperiment spec;
  spec.cnn = opts;
  spec.protocol = described;
  spec.final_model = final_model_->isChecked();
  const QString input = tr("audio of %1").arg(audio_name_);
  spec.input = input.toStdString();
  const auto files = audio_files_;
  auto deliver_record = [this](const EpochRecord& r) { receiveRecord(r); };
  QPointer<TrainingView> self(this);
  launch(tr("Training cnn2d on the %1 (%n track(s), %2): log-mel spectrograms first…", nullptr, static_cast<int>(files.size()))
             .arg(input, protocol_words(described)),
         [files, spec, input, deliver_record, self, view = static_cast<QObject*>(this)](
             ProgressSink& progress, const CancelToken& token) -> std::function<void()> {
           features::LogMelCache cache;
           EpochForwarder observer(view, deliver_record);
           auto outcome = std::make_shared<experiment::AudioOutcome>(
               experiment::run_audio_experiment(files, cache, spec, &progress, &token, &observer));
           FinishedRun run{kAudioKind, std::make_shared<const ml::TrainingReport>(outcome->training), nullptr};
           if (outcome->bundle) {
             run.bundle = std::make_shared<const ml::ModelBundle>(std::move(*outcome->bundle));
             outcome->bundle.reset();
           }
           run.audio = std::move(outcome);
           run.input = input;
           return [self, run] {
             if (self) self->finished_ = {run};
           };
         });
}

void TrainingView::compareModels() {
  if (state_ == State::running || !table_) return;
  if (!protocol_->problem().isEmpty()) {
    status_->setText(protocol_->problem());
    return;
  }
  ml::CompareOptions opts;
  bool with_cnn2d = false;  // not a table preset: it runs after them, on the audio
  for (int i = 0; i < compare_models_->count(); ++i) {
    const QListWidgetItem* item = compare_models_->item(i);
    if (item->checkState() != Qt::Checked) continue;
    if (item->text() == kAudioKind) with_cnn2d = true;
    else opts.models.push_back(item->text().toStdString());
  }
  if (opts.models.empty()) {
    status_->setText(with_cnn2d ? tr("cnn2d is scored on the folds of the table models: tick at least one of them too.")
                                : tr("Tick the models to compare in the Leaderboard tab."));
    return;
  }
  const ml::TrainerOptions form = options();
  opts.folds = form.folds;
  opts.features = form.features;
  protocol_->applyTo(opts);
  opts.seed = form.training.seed;
  opts.repeats = repeats_->value();
  opts.threads = form.training.threads;
  // The form's cnn2d settings; its epochs when cnn2d is the chosen model (else the epochs box
  // holds a table model's), otherwise genrelab-cli compare's.
  ml::AudioCnnOptions audio = audioOptions();
  if (!audioModelSelected()) audio.training.epochs = kAudioEpochs;
  try {
    opts.validate();
    if (with_cnn2d) audio.validate();
  } catch (const std::exception& e) {
    status_->setText(tr("Invalid options: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  std::vector<ml::AudioFile> files;  // of the table's tracks, one each
  QStringList outside;               // audio files that are not in the table
  if (with_cnn2d) {
    updateBoardAudio();
    if (!board_audio_reason_.isEmpty()) {
      status_->setText(board_audio_reason_);
      return;
    }
    const ml::AudioTableMatch match = ml::match_audio_to_table(*table_, audio_files_);
    for (std::size_t i = 0; i < audio_files_.size(); ++i)
      if (match.row_of_file[i] >= 0) files.push_back(audio_files_[i]);
      else outside << QString::fromStdString(std::filesystem::path(audio_files_[i].path).filename().string());
  }
  experiment::ComparisonSpec spec;
  spec.table = opts;
  const QString input = tr("audio of %1").arg(audio_name_);
  if (with_cnn2d) {
    spec.cnn2d.emplace();
    spec.cnn2d->files = std::move(files);
    spec.cnn2d->experiment.cnn = audio;
    spec.cnn2d->experiment.input = input.toStdString();
  }
  auto table = table_;
  const int count = static_cast<int>(opts.models.size()) + (with_cnn2d ? 1 : 0);
  auto deliver_record = [this](const EpochRecord& r) { receiveRecord(r); };
  QPointer<TrainingView> self(this);
  const ml::TrainerOptions described = opts.protocol_options();
  launch(tr("Comparing %n model(s) on %1, the same held-out rows for each (%2)…", nullptr, count)
             .arg(table_name_, protocol_words(described)),
         [table, spec, outside, input, deliver_record, self, view = static_cast<QObject*>(this)](
             ProgressSink& progress, const CancelToken& token) -> std::function<void()> {
           EpochForwarder observer(view, deliver_record);
           experiment::Comparison comparison = experiment::run_comparison(*table, spec, &progress, &token, &observer);
           QString note;
           std::optional<FinishedRun> cnn2d;
           if (comparison.cnn2d) {
             FinishedRun run{kAudioKind, std::make_shared<const ml::TrainingReport>(comparison.cnn2d->training), nullptr};
             const auto skipped = comparison.cnn2d->skipped.size();
             if (skipped > 0)
               note = QObject::tr("cnn2d left out %n track(s) whose audio could not be decoded: %1", nullptr,
                                  static_cast<int>(skipped))
                          .arg(skipped_text(comparison.cnn2d->skipped));
             run.audio = std::make_shared<const experiment::AudioOutcome>(std::move(*comparison.cnn2d));
             run.input = input;
             cnn2d = std::move(run);
           } else if (!comparison.cnn2d_error.empty()) {
             // The table models' rows stand; the status says why cnn2d has none.
             note = QObject::tr("cnn2d failed: %1").arg(QString::fromStdString(comparison.cnn2d_error));
           }
           if (!outside.isEmpty())
             note += (note.isEmpty() ? QString() : QStringLiteral(" ")) +
                     QObject::tr("%n audio file(s) without rows in the table stayed out of the comparison (first: %1).",
                                 nullptr, static_cast<int>(outside.size()))
                         .arg(outside.front());
           // One run per row, in rank order (fillLeaderboard() pairs them up).
           std::vector<FinishedRun> runs;
           for (const ml::LeaderboardRow& row : comparison.board.rows) {
             if (cnn2d && row.model == kAudioKind.toStdString() && row.report.folds.empty()) runs.push_back(*cnn2d);
             else {
               runs.push_back({QString::fromStdString(row.model), std::make_shared<const ml::TrainingReport>(row.report), nullptr});
               runs.back().table = table;
             }
           }
           auto shared = std::make_shared<const ml::Leaderboard>(std::move(comparison.board));
           return [self, runs, shared, note] {
             if (!self) return;
             self->finished_ = runs;
             self->finished_board_ = shared;
             self->board_note_ = note;
           };
         });
}

void TrainingView::launch(const QString& status, Job::Work work) {
  state_ = State::running;
  cancel_requested_ = false;
  finished_.clear();
  finished_board_.reset();
  board_note_.clear();
  pending_.clear();
  flushes_ = 0;
  shown_ = -1;
  charts_->clear();
  fold_table_->clear();
  fold_table_->setRowCount(0);
  confusion_.setMatrix({}, {}, {});
  confusion_canvas_->update();
  cell_table_->setRowCount(0);
  metrics_table_->clear();
  metrics_table_->setRowCount(0);
  progress_->setValue(0);
  status_->setText(status);
  job_ = Job::start(status, std::move(work));
  connect(job_, &Job::progressed, this, [this](double fraction, const QString& message) {
    progress_->setValue(static_cast<int>(std::lround(fraction * 1000)));
    if (!cancel_requested_) status_->setText(message);
  });
  connect(job_, &Job::failed, this, [this](const QString& message) { onEnded(message); });
  connect(job_, &Job::succeeded, this, [this] { onEnded(QString()); });
  updateButtons();
  Q_EMIT trainingStarted();
}

void TrainingView::cancel() {
  if (state_ != State::running || !job_) return;
  cancel_requested_ = true;
  job_->cancel();
  status_->setText(tr("Cancelling…"));
  updateButtons();
}

void TrainingView::receiveRecord(const EpochRecord& record) {
  if (state_ != State::running) return;  // a late record of an ended run
  pending_.push_back(record);
  if (!flush_timer_->isActive()) flush_timer_->start();
  Q_EMIT epochRecorded(record.fold, record.epoch);
}

void TrainingView::flushCharts() {
  if (pending_.empty()) return;
  charts_->setCurrentFold(pending_.back().fold);
  charts_->append(pending_);
  pending_.clear();
  ++flushes_;
}

void TrainingView::onEnded(const QString& message) {
  flush_timer_->stop();
  // Queued epoch records were posted before the job's result, so they have all arrived.
  flushCharts();
  if (!finished_.empty()) {
    state_ = State::succeeded;
    progress_->setValue(1000);
    const QString finished_at = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    for (FinishedRun& f : finished_) {
      TrainingRun run;
      run.number = static_cast<int>(runs_.size()) + 1;
      run.model = f.model;
      run.table = f.input.isEmpty() ? table_name_ : f.input;
      run.finished_at = finished_at;
      run.records = records_of(*f.report);
      run.report = std::move(f.report);
      run.bundle = std::move(f.bundle);
      run.audio = std::move(f.audio);
      run.rows = std::move(f.table);
      runs_.push_back(std::move(run));
      addHistoryRow(runs_.back());
    }
    // Show the run (or the leaderboard's best, its first row) without redrawing the live curves.
    const int first_new = static_cast<int>(runs_.size() - finished_.size());
    shown_ = first_new;
    const TrainingRun& shown = runs_[static_cast<std::size_t>(shown_)];
    const bool board = finished_board_ != nullptr;
    if (board) charts_->show(shown.records);
    fillResults(shown);
    {
      const QSignalBlocker block(history_table_);
      history_table_->selectRow(shown_);
    }
    if (board) {
      leaderboard_ = std::move(finished_board_);
      fill_leaderboard_table(*leaderboard_table_, *leaderboard_, runs_, static_cast<std::size_t>(first_new));
      board_note_label_->setText(leaderboard_note(*leaderboard_));
      QString text = tr("Leaderboard of %n model(s) on %1 (%2 s): best %3", nullptr, static_cast<int>(finished_.size()))
                         .arg(table_name_)
                         .arg(leaderboard_->seconds, 0, 'f', 1)
                         .arg(run_summary(shown));
      if (!board_note_.isEmpty()) text += QLatin1Char(' ') + board_note_;
      status_->setText(text);
    } else {
      QString text = tr("Done (%1 s): %2").arg(shown.report->seconds, 0, 'f', 1).arg(run_summary(shown));
      if (shown.audio && !shown.audio->skipped.empty())
        text += QLatin1Char(' ') + tr("%n audio file(s) could not be decoded and were left out: %1", nullptr,
                                      static_cast<int>(shown.audio->skipped.size()))
                                       .arg(skipped_text(shown.audio->skipped));
      status_->setText(text);
    }
    // What the Predict tab shows of the model: what it learnt from and how it scored, in words.
    const ml::TrainingReport& r = *shown.report;
    const QString scored = r.options.split && !r.options.rotate
                               ? tr("test accuracy %1").arg(percent(shown.audio ? r.mean_track_accuracy_mean : r.mean_accuracy))
                               : tr("accuracy %1 ± %2")
                                     .arg(num(shown.audio ? r.mean_track_accuracy_mean : r.mean_accuracy),
                                          num(shown.audio ? r.std_track_accuracy_mean : r.std_accuracy));
    const QString trained_on = r.options.split ? tr("the train+valid part of %1").arg(shown.table) : shown.table;
    if (shown.bundle && shown.audio)
      Q_EMIT modelTrained(shown.bundle, tr("%1 trained on %2 (%3 tracks); held-out tracks: %4 (%5)")
                                            .arg(shown.model, trained_on)
                                            .arg(shown.audio->final_tracks)
                                            .arg(scored, protocol_words(r.options)));
    else if (shown.bundle)
      Q_EMIT modelTrained(shown.bundle, tr("%1 trained on %2 (%3 rows); %4 (%5)")
                                            .arg(shown.model, trained_on)
                                            .arg(r.final_model ? r.final_model->train_rows : r.rows)
                                            .arg(scored, protocol_words(r.options)));
    finished_.clear();
  } else if (cancel_requested_) {
    state_ = State::cancelled;
    status_->setText(tr("Cancelled."));
  } else {
    state_ = State::failed;
    status_->setText(tr("Training failed: %1").arg(message));
  }
  job_ = nullptr;
  updateButtons();
  Q_EMIT trainingFinished(message);
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
    RunComparisonFigure::Run run{runs_[static_cast<std::size_t>(i)].name(), r.mean_accuracy, r.std_accuracy, r.macro_f1, {}};
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
  auto* name = cell(run.name());
  name->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  history_table_->setItem(row, 1, name);
  history_table_->setItem(row, 2, cell(tr("%1 ± %2").arg(num(r.mean_accuracy), num(r.std_accuracy))));
  history_table_->setItem(row, 3, cell(num(r.macro_f1)));
  history_table_->setItem(row, 4, cell(num(r.seconds, 1)));
  history_table_->setItem(row, 5, cell(run.table));
  history_table_->setItem(row, 6, cell(run.finished_at));
  history_table_->setItem(row, 7, cell(run.bundle ? tr("kept") : tr("none")));
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
  for (const auto& [label, which, suffix] : {std::tuple{tr("Folds table (CSV)…"), QStringLiteral("folds"), QStringLiteral("csv")},
                                             std::tuple{tr("Per-genre metrics (CSV)…"), QStringLiteral("per-genre"), QStringLiteral("csv")},
                                             std::tuple{tr("Run history (CSV)…"), QStringLiteral("history"), QStringLiteral("csv")},
                                             std::tuple{tr("Leaderboard (CSV)…"), QStringLiteral("leaderboard"), QStringLiteral("csv")},
                                             std::tuple{tr("Full report (JSON)…"), QStringLiteral("report"), QStringLiteral("json")}}) {
    connect(menu->addAction(label), &QAction::triggered, this, [this, which = which, suffix = suffix] {
      const QString path = QFileDialog::getSaveFileName(this, tr("Export"), QStringLiteral("training-%1.%2").arg(which, suffix));
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
  const QString held_out = single ? tr("the test part, scored once")
                           : (r.options.split ? tr("summed over the %1 held-out parts") : tr("summed over the %1 test folds"))
                                 .arg(r.folds.size());
  confusion_.setMatrix(labels, r.confusion,
                       audio ? tr("%1: held-out tracks (by mean patch probability), %2; track accuracy %3")
                                   .arg(run.name(), held_out,
                                        single ? num(r.mean_track_accuracy_mean)
                                               : tr("%1 ± %2").arg(num(r.mean_track_accuracy_mean), num(r.std_track_accuracy_mean)))
                             : tr("%1 on %2, %3; accuracy %4")
                                   .arg(run.name(), run.table, held_out,
                                        single ? num(r.mean_accuracy) : tr("%1 ± %2").arg(num(r.mean_accuracy), num(r.std_accuracy))));
  confusion_canvas_->update();

  // Per genre.
  metrics_table_->setColumnCount(5);
  metrics_table_->setHorizontalHeaderLabels(
      {tr("Genre"), tr("Precision"), tr("Recall"), tr("F1"), audio ? tr("Support (tracks)") : tr("Support")});
  metrics_table_->setRowCount(n + 1);
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    auto* genre = cell(labels[i]);
    genre->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    metrics_table_->setItem(i, 0, genre);
    if (k < r.precision.size()) metrics_table_->setItem(i, 1, cell(num(r.precision[k])));
    if (k < r.recall.size()) metrics_table_->setItem(i, 2, cell(num(r.recall[k])));
    if (k < r.f1.size()) metrics_table_->setItem(i, 3, cell(num(r.f1[k])));
    if (k < r.support.size()) metrics_table_->setItem(i, 4, cell(QString::number(r.support[k])));
  }
  metrics_table_->setItem(n, 0, cell(tr("macro F1")));
  metrics_table_->setItem(n, 3, cell(num(r.macro_f1)));
}

void TrainingView::saveModel(const QString& path) const {
  const ml::ModelBundle* bundle = lastBundle();
  if (!bundle) throw std::logic_error("no trained model to save");
  ml::save_bundle(std::filesystem::path(path.toStdString()), *bundle);
}

void TrainingView::saveModelInteractively() {
  if (!lastBundle()) return;
  QString path = QFileDialog::getSaveFileName(this, tr("Save model"), QStringLiteral("model") + QString::fromLatin1(ml::kBundleExtension),
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

// The Training view's widgets and their layout (training_view.h; the form's options are in
// training_form.cpp, the jobs in training_runs.cpp, results and history in training_history.cpp).
#include "ui/views/training_view.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "ml/model_presets.h"
#include "ui/jobs/job_runner.h"
#include "ui/plot/csv.h"
#include "ui/views/export_menu.h"
#include "ui/views/figure_canvas.h"
#include "ui/views/training_results.h"
#include "ui/views/training_view_parts.h"
#include "util/parallel.h"

namespace genrelab::ui {

namespace {

constexpr int kFlushIntervalMs = 200;  // at most ~5 chart updates per second

QTableWidget* makeTable(QWidget* parent) {
  auto* t = new QTableWidget(parent);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->verticalHeader()->setVisible(false);
  t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return t;
}

QString to_qstring(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

/// The presets that train on feature tables (the audio CNN needs the audio).
std::vector<ml::ModelPreset> table_presets() {
  std::vector<ml::ModelPreset> out;
  for (auto& p : ml::model_presets())
    if (p.model.kind != ml::ModelKind::cnn2d) out.push_back(std::move(p));
  return out;
}

}  // namespace

QString TrainingRun::name() const {
  if (!report) return QStringLiteral("#%1").arg(number);
  const auto& o = report->options;
  const bool audio_cnn = o.model.kind == ml::ModelKind::cnn2d;
  QString text =
      QStringLiteral("#%1 %2/%3, %4")
          .arg(number)
          .arg(model.isEmpty() ? to_qstring(ml::to_string(o.model.kind)) : model,
               audio_cnn ? QStringLiteral("log-mel") : to_qstring(ml::to_string(o.features)), protocol_words(o));
  if (o.model.kind == ml::ModelKind::krr) text += QStringLiteral(", closed form");
  else if (o.search.empty()) text += QStringLiteral(", %1 epochs").arg(o.training.epochs);
  return text;
}

TrainingView::TrainingView(QWidget* parent)
    : QWidget(parent), table_combo_(new QComboBox(this)), extract_(new QPushButton(tr("Extract from audio…"), this)),
      kind_(new QComboBox(this)), protocol_(new ProtocolPicker(this)), features_(new QComboBox(this)),
      folds_(new QSpinBox(this)), epochs_(new QSpinBox(this)), seed_(new QSpinBox(this)), threads_(new QSpinBox(this)),
      final_model_(new QCheckBox(tr("Train a final model on all rows (needed to save)"), this)),
      audio_box_(new QGroupBox(tr("cnn2d: log-mel patches of the audio"), this)),
      augment_(new QCheckBox(tr("Spectrogram augmentation"), this)), audio_params_(new ParamForm(this)),
      adjust_box_(new QGroupBox(tr("Adjust the parameters"), this)), model_params_(new ParamForm(this)),
      start_(new QPushButton(tr("Start"), this)), cancel_(new QPushButton(tr("Cancel"), this)),
      save_(new QPushButton(tr("Save model…"), this)), table_label_(new QLabel(tr("No feature table loaded."), this)),
      status_(new QLabel(this)), progress_(new QProgressBar(this)), export_(new QToolButton(this)),
      charts_(new TrainingCharts(this)), fold_table_(makeTable(this)), metrics_table_(makeTable(this)),
      history_table_(makeTable(this)), cell_table_(makeTable(this)), compare_models_(new QListWidget(this)),
      repeats_(new QSpinBox(this)), compare_(new QPushButton(tr("Compare models"), this)),
      leaderboard_table_(makeTable(this)), board_note_label_(new QLabel(this)),
      normalize_(new QCheckBox(tr("Row-normalised (recall per true genre)"), this)),
      confusion_canvas_(new FigureCanvas(confusion_, this)), comparison_canvas_(new FigureCanvas(comparison_, this)),
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
    audio_box_->setToolTip(
        tr("cnn2d trains from the dataset's audio files: each file's log-mel spectrogram is computed "
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
  adjust_box_->setToolTip(
      tr("Train the chosen preset with these values of its model and training loop instead of its "
         "own (a preset's search, which would choose other values, is then skipped)"));
  (new QVBoxLayout(adjust_box_))->addWidget(model_params_);
  model_params_->setVisible(false);
  connect(adjust_box_, &QGroupBox::toggled, model_params_, &QWidget::setVisible);
  // No dataset yet: cnn2d is listed but off, with the reason (setAudioFiles() turns it on).
  audio_reason_ =
      tr("cnn2d is unavailable: open a dataset folder with audio files (genres_original/<genre>/*.wav or "
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
  extract_->setToolTip(
      tr("Compute the 57 GTZAN features of every clip of the open dataset (librosa's recipe), with progress"));
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
  export_->setToolTip(
      tr("Export the curves, the confusion matrix (PNG, SVG, PDF, CSV), the tables (CSV) or the report (JSON)"));
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
  cell_table_->setHorizontalHeaderLabels(
      {tr("Held-out track (double-click to play)"), tr("True"), tr("Predicted"), tr("Confidence")});
  cell_table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  cell_table_->setToolTip(tr("Click a cell of the confusion matrix to list the held-out tracks it counts"));
  confusion_canvas_->clicked = [this](QPointF pos) {
    const auto [truth, predicted] = confusion_.cellAt(confusion_canvas_->rect(), pos);
    if (truth >= 0) showCell(truth, predicted);
  };
  connect(cell_table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
    const QString path = cell_table_->item(row, 0)->data(Qt::UserRole).toString();
    if (path.isEmpty())
      status_->setText(
          tr("%1: no audio file for this track in the open dataset").arg(cell_table_->item(row, 0)->text()));
    else Q_EMIT playRequested(path);
  });
  history_table_->setColumnCount(8);
  history_table_->setHorizontalHeaderLabels({tr("Compare"), tr("Run"), tr("Accuracy (mean ± std)"), tr("Macro F1"),
                                             tr("Seconds"), tr("Table"), tr("Finished"), tr("Model")});
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
  compare_->setToolTip(
      tr("Cross-validate the ticked models under the same folds (the form's folds, features, split, seed, threads)"));
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
  repeats_->setToolTip(
      tr("Repeated cross-validation: repeat r draws its folds and weights from seed + r; "
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
      export_csv_with_dialog(
          t == history_table_       ? tr("training history")
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

}  // namespace genrelab::ui

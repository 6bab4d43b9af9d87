// The Training view's form: what the chosen model trains on and the options it describes.
#include "ui/views/training_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <algorithm>
#include <optional>
#include <set>

#include "dataset/feature_table.h"
#include "ml/model_presets.h"
#include "ui/views/training_view_parts.h"
#include "util/parallel.h"

namespace genrelab::ui {

bool TrainingView::chooseModel(const QString& name) {
  const int at = kind_->findText(name);
  if (at < 0) return false;
  kind_->setCurrentIndex(at);
  return true;
}

void TrainingView::setEpochs(int epochs) { epochs_->setValue(epochs); }

bool TrainingView::canStart() const { return start_->isEnabled(); }

bool TrainingView::canCompare() const { return compare_->isEnabled(); }

void TrainingView::applyKindDefaults() {
  const bool audio = audioModelSelected();
  const auto preset = ml::find_model_preset(kind_->currentData().toString().toStdString());
  const ml::TrainParams t =
      preset ? preset->training : ml::default_training(audio ? ml::ModelKind::cnn2d : ml::ModelKind::cnn1d);
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
    extract_->setToolTip(
        tr("Compute the 57 GTZAN features of every clip of the open dataset (librosa's recipe), with progress"));
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
  else audio_reason_.clear();
  const int at = kind_->findData(kAudioKind);
  if (auto* model = qobject_cast<QStandardItemModel*>(kind_->model()); model && at >= 0) {
    model->item(at)->setEnabled(audio_reason_.isEmpty());
    kind_->setItemData(at,
                       audio_reason_.isEmpty()
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
      reason =
          tr("cnn2d cannot join this leaderboard: %n of the %1 tracks of %2 have no audio file in %3 (first: %4), so "
             "it would not be scored on the same held-out tracks. Tracks and files match by genre and file name "
             "(blues.00000.wav, blues.00000.3.wav); Extract from audio… makes a table of exactly these files.",
             nullptr, static_cast<int>(match.tracks_without_audio.size()))
              .arg(match.tracks)
              .arg(table_name_, audio_name_, QString::fromStdString(match.tracks_without_audio.front()));
    else if (!match.duplicate_files.empty())
      reason = tr("cnn2d cannot join this leaderboard: %n track(s) of %1 have several audio files (first: %2).",
                  nullptr, static_cast<int>(match.duplicate_files.size()))
                   .arg(table_name_, QString::fromStdString(audio_files_[match.duplicate_files.front()].path));
  }
  // genrelab-cli compare refuses the same two.
  if (reason.isEmpty() && repeats_->value() > 1)
    reason = tr("cnn2d runs one repeat (its training takes minutes per fold): set repeats to 1.");
  if (reason.isEmpty() && protocol_->choice() == ProtocolPicker::Choice::leaky)
    reason =
        tr("cnn2d is cross-validated with track-grouped folds or a split only: choose one of them, not LEAKY rows.");
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
  for (QWidget* w : std::initializer_list<QWidget*>{kind_, folds_, epochs_, seed_, threads_, final_model_,
                                                    compare_models_, repeats_, audio_box_})
    w->setEnabled(!running);
  // The kernel ridge classifier is solved in closed form: epochs do not apply.
  const auto preset = ml::find_model_preset(kind_->currentData().toString().toStdString());
  const bool closed_form = preset && preset->model.kind == ml::ModelKind::krr;
  epochs_->setEnabled(!running && !closed_form);
  epochs_->setToolTip(
      closed_form ? tr("%1 is solved in closed form (one linear system), not by epochs").arg(kind_->currentText())
                  : QString());
  // Feature-table-only controls are off for cnn2d (it reads the audio).
  for (QWidget* w : std::initializer_list<QWidget*>{table_combo_, extract_, features_})
    w->setEnabled(!running && !audio);
  protocol_->setEnabled(!running);
  // A split fixes the held-out rows: no folds to count.
  const bool split = protocol_->isSplit();
  final_model_->setText(split   ? (audio ? tr("Train a final model on train+valid (needed to save)")
                                         : tr("Keep the train+valid model (needed to save)"))
                        : audio ? tr("Train a final model on all tracks (needed to save)")
                                : tr("Train a final model on all rows (needed to save)"));
  folds_->setEnabled(!running && !split);
  folds_->setToolTip(split
                         ? tr("A predefined split holds out its test part (or, rotated, each part in turn): the number "
                              "of folds does not apply")
                         : tr("Folds of the cross-validation: each holds out its share of the tracks once"));
}

}  // namespace genrelab::ui

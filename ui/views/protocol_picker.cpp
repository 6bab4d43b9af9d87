#include "ui/views/protocol_picker.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QStandardItemModel>
#include <QStylePainter>
#include <QVBoxLayout>
#include <filesystem>
#include <stdexcept>

namespace genrelab::ui {

namespace {

constexpr auto kFaultFiltered = "fault-filtered";

QString qs(const std::string& s) { return QString::fromStdString(s); }

std::size_t entry_count(const dataset::SplitLists& lists) {
  return lists.parts[0].size() + lists.parts[1].size() + lists.parts[2].size();
}

/// The same clips in the same parts (the order and comments of the lists aside).
bool same_entries(const dataset::SplitLists& a, const dataset::SplitLists& b) {
  for (std::size_t p = 0; p < a.parts.size(); ++p) {
    if (a.parts[p].size() != b.parts[p].size()) return false;
    for (std::size_t i = 0; i < a.parts[p].size(); ++i)
      if (a.parts[p][i].label != b.parts[p][i].label || a.parts[p][i].track_id != b.parts[p][i].track_id) return false;
  }
  return true;
}

QString plural_of(const std::string& column) { return qs(column.ends_with('s') ? column : column + "s"); }

constexpr auto kOptimisticColour = "#a05a00";
constexpr auto kLeakyColour = "#b41414";

/// The item data role of the short text the closed combo shows (the popup shows the full one).
constexpr int kShortTextRole = Qt::UserRole + 1;

/// A combo that shows its current item's short text when closed: the full item texts explain the
/// choices in the popup without widening the form.
class ShortTextCombo final : public QComboBox {
 public:
  using QComboBox::QComboBox;

 protected:
  void paintEvent(QPaintEvent*) override {
    QStylePainter painter(this);
    QStyleOptionComboBox option;
    initStyleOption(&option);
    if (const QString text = currentData(kShortTextRole).toString(); !text.isEmpty()) option.currentText = text;
    painter.drawComplexControl(QStyle::CC_ComboBox, option);
    painter.drawControl(QStyle::CE_ComboBoxLabel, option);
  }
};

}  // namespace

QString protocol_words(const ml::TrainerOptions& o) {
  if (o.split) {
    const QString part = o.rotate ? QObject::tr("rotation") : QObject::tr("test part");
    if (o.split->artist_disjoint()) return QObject::tr("unseen artists, %1 %2").arg(qs(o.split->name), part);
    return QObject::tr("split %1, %2").arg(qs(o.split->name), part);
  }
  if (o.protocol == ml::SplitProtocol::leaky) return QObject::tr("%1 LEAKY folds").arg(o.folds);
  if (o.groups)
    return QObject::tr("%1 folds by %2 (unseen %3)")
        .arg(o.folds)
        .arg(qs(o.groups->column), plural_of(o.groups->column));
  return QObject::tr("%1 track-grouped folds (optimistic)").arg(o.folds);
}

ProtocolPicker::ProtocolPicker(QWidget* parent)
    : QWidget(parent), combo_(new ShortTextCombo(this)), rotate_(new QCheckBox(tr("Rotate the three parts"), this)),
      note_(new QLabel(this)) {
  const auto add = [this](const QString& text, Choice choice, const QString& tooltip, const QString& short_text = {}) {
    combo_->addItem(text, static_cast<int>(choice));
    combo_->setItemData(combo_->count() - 1, tooltip, Qt::ToolTipRole);
    if (!short_text.isEmpty()) combo_->setItemData(combo_->count() - 1, short_text, kShortTextRole);
  };
  add(tr("Track-grouped folds — same artists in training and test (optimistic)"), Choice::track_grouped,
      tr("A track's rows (its 3-s segments, identical copies) stay in one fold, but the artist's other tracks can be "
         "in training (GTZAN repeats artists): the model may have heard a test artist, so the accuracy is optimistic"),
      tr("Track-grouped folds (optimistic)"));
  add(tr("Unseen artists — fault-filtered split (GTZAN)"), Choice::fault_filtered, QString());
  add(tr("Split folder…"), Choice::split_folder,
      tr("A folder holding train.txt, valid.txt and test.txt (one file name a line, with or without <genre>/): "
         "settings "
         "chosen on valid, the model refitted on train+valid and scored once on test"));
  add(tr("Groups file…"), Choice::groups_file,
      tr("A CSV 'file,<group>' (e.g. file,artist): the folds keep each group on one side, so test groups are unseen"));
  add(tr("LEAKY: random split of rows"), Choice::leaky,
      tr("Rows split at random: segments of one track sit in training and test folds, so the test holds near-copies of "
         "training rows (optimistic numbers, always labelled LEAKY)"));
  // The long item texts must not widen the form: the closed combo shows the short ones, the popup
  // is as wide as its longest item.
  combo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  combo_->setMinimumContentsLength(20);
  combo_->view()->setMinimumWidth(combo_->view()->sizeHintForColumn(0) + 24);
  rotate_->setToolTip(
      tr("Each part of the split is held out in turn (settings chosen on inner folds of the other two); "
         "the accuracy is the mean over the three parts"));
  note_->setWordWrap(true);
  note_->setTextFormat(Qt::RichText);
  note_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(combo_);
  layout->addWidget(rotate_);
  layout->addWidget(note_);

  connect(combo_, &QComboBox::currentIndexChanged, this, [this] {
    if (selecting_) return;
    previous_ = shown_;
    shown_ = choice();
    wanted_ = shown_;  // the user's (or a test's) pick: kept while the rows allow it
    update();
    Q_EMIT changed();
  });
  // Picked by the user (also when picked again): the file dialogs.
  connect(combo_, &QComboBox::activated, this, [this](int index) {
    const auto c = static_cast<Choice>(combo_->itemData(index).toInt());
    if (c == Choice::split_folder || c == Choice::groups_file) pickInteractively(c);
  });
  connect(rotate_, &QCheckBox::toggled, this, [this] {
    refreshNote();
    Q_EMIT changed();
  });
  update();
}

ProtocolPicker::Choice ProtocolPicker::choice() const { return static_cast<Choice>(combo_->currentData().toInt()); }

bool ProtocolPicker::isSplit() const { return choice() == Choice::fault_filtered || choice() == Choice::split_folder; }

bool ProtocolPicker::itemEnabled(Choice c) const {
  const auto* model = qobject_cast<const QStandardItemModel*>(combo_->model());
  const int at = combo_->findData(static_cast<int>(c));
  return model && at >= 0 && model->item(at)->isEnabled();
}

void ProtocolPicker::setItemEnabled(Choice c, bool on, const QString& tooltip) {
  auto* model = qobject_cast<QStandardItemModel*>(combo_->model());
  const int at = combo_->findData(static_cast<int>(c));
  if (!model || at < 0) return;
  model->item(at)->setEnabled(on);
  if (!tooltip.isEmpty()) combo_->setItemData(at, tooltip, Qt::ToolTipRole);
}

bool ProtocolPicker::setChoice(Choice c) {
  if (!itemEnabled(c)) return false;
  combo_->setCurrentIndex(combo_->findData(static_cast<int>(c)));  // the user's pick (see the connection)
  return true;
}

void ProtocolPicker::select(Choice c) {
  if (choice() == c) return;
  selecting_ = true;
  combo_->setCurrentIndex(combo_->findData(static_cast<int>(c)));
  selecting_ = false;
  previous_ = shown_;
  shown_ = c;
}

void ProtocolPicker::setRows(std::vector<std::string> names, std::vector<std::string> labels, Rows rows,
                             const QString& what, const QString& dataset_folder) {
  names_ = std::move(names);
  labels_ = std::move(labels);
  rows_ = rows;
  what_ = what;
  dataset_folder_ = dataset_folder;
  update();
  Q_EMIT changed();
}

const dataset::SplitLists* ProtocolPicker::currentSplit() const {
  if (choice() == Choice::fault_filtered && fault_reason_.isEmpty() && fault_lists_) return &*fault_lists_;
  if (choice() == Choice::split_folder && folder_lists_) return &*folder_lists_;
  return nullptr;
}

void ProtocolPicker::update() {
  // The fault-filtered lists: the dataset's own copy when it has one. Only the built-in lists are
  // known to be artist-disjoint: a copy with the same clips in the same parts is the built-in split,
  // another one is a predefined split like any folder.
  if (!fault_lists_ || fault_lists_folder_ != dataset_folder_) {
    fault_lists_folder_ = dataset_folder_;
    fault_lists_ = dataset::builtin_split(kFaultFiltered);
    fault_source_ = tr("built-in lists (Kereliuk, Sturm & Larsen 2015)");
    fault_load_error_.clear();
    std::error_code ec;
    const auto local = std::filesystem::path(dataset_folder_.toStdString()) / "splits" / kFaultFiltered;
    if (!dataset_folder_.isEmpty() && std::filesystem::is_directory(local, ec)) {
      try {
        auto read = dataset::read_split_lists(local);
        const bool same = fault_lists_ && same_entries(read, *fault_lists_);
        if (!same) fault_lists_ = std::move(read);
        fault_source_ = same ? tr("the dataset's splits/fault-filtered (the built-in lists)")
                             : tr("the dataset's splits/fault-filtered (it differs from the built-in lists)");
      } catch (const std::exception& e) {
        fault_lists_.reset();
        fault_load_error_ = QString::fromUtf8(e.what());
      }
    }
  }
  fault_reason_.clear();
  if (!fault_lists_) {
    fault_reason_ = tr("The dataset's fault-filtered lists cannot be read: %1").arg(fault_load_error_);
  } else if (names_.empty()) {
    fault_reason_ =
        tr("Open GTZAN's feature table (features_30_sec.csv or features_3_sec.csv): the fault-filtered lists "
           "name GTZAN's clips.");
  } else {
    try {
      const auto a = dataset::assign_split(*fault_lists_, names_, labels_);
      const std::size_t total = entry_count(*fault_lists_);
      const std::size_t found = total - a.entries_without_rows_total();
      if (dataset::coverage(*fault_lists_, a) < dataset::kMinSplitCoverage)
        fault_reason_ =
            tr("%1 is not GTZAN's full set: only %2 of the %3 clips of the fault-filtered lists have rows in it "
               "(at least 90 % are needed).")
                .arg(what_)
                .arg(found)
                .arg(total);
    } catch (const std::invalid_argument& e) {
      fault_reason_ = tr("%1 is not GTZAN: %2").arg(what_, QString::fromUtf8(e.what()));
    }
  }
  setItemEnabled(
      Choice::fault_filtered, fault_reason_.isEmpty(),
      fault_reason_.isEmpty()
          ? tr("GTZAN's artist-disjoint split (train 443, valid 197, test 290 clips; 70 repeated, distorted or "
               "mislabelled clips left out): settings chosen on valid, the model refitted on train+valid and "
               "scored once on test. The field's honest GTZAN number. Source: %1")
                .arg(fault_source_)
          : fault_reason_);
  const bool audio = rows_ == Rows::audio;
  setItemEnabled(
      Choice::leaky, !audio,
      audio ? tr("cnn2d always holds out whole tracks: its patches never leak")
            : tr("Rows split at random: segments of one track sit in training and test folds, so the test holds "
                 "near-copies of training rows (optimistic numbers, always labelled LEAKY)"));
  setItemEnabled(Choice::groups_file, true,
                 tr("A CSV 'file,<group>' (e.g. file,artist): the folds keep each group on one side, so test "
                    "groups are unseen"));
  // The user's pick while the rows allow it, else the honest default.
  const Choice fallback = fault_reason_.isEmpty() ? Choice::fault_filtered : Choice::track_grouped;
  select(wanted_ && itemEnabled(*wanted_) ? *wanted_ : fallback);
  rotate_->setEnabled(isSplit());
  refreshNote();
}

void ProtocolPicker::refreshNote() {
  problem_.clear();
  QString note, tooltip;
  const auto red = [](const QString& text) {
    return QStringLiteral("<span style='color:%1'>%2</span>").arg(kLeakyColour, text.toHtmlEscaped());
  };
  // Kept short (the form's column is narrow): where the lists come from goes to the tooltip.
  const auto split_note = [&](const dataset::SplitLists& lists, const QString& heading, const QString& source) {
    tooltip =
        tr("Lists: %1. Settings are chosen on valid only; the model is refitted on train+valid and scored once on "
           "test (rotated: each part is held out in turn, settings chosen on inner folds of the other two).")
            .arg(source);
    if (names_.empty()) return heading;
    QString text = heading + QStringLiteral(": ");
    try {
      text += qs(dataset::describe(dataset::assign_split(lists, names_, labels_))).toHtmlEscaped();
    } catch (const std::invalid_argument& e) {
      problem_ = tr("%1 does not fit this split: %2").arg(what_, QString::fromUtf8(e.what()));
      return red(problem_);
    }
    return text + QStringLiteral(". ") +
           (rotate_->isChecked() ? tr("Each part held out in turn.")
                                 : tr("Valid picks the settings; test is scored once."));
  };
  switch (choice()) {
    case Choice::track_grouped:
      note = QStringLiteral("<span style='color:%1'>%2</span> %3")
                 .arg(kOptimisticColour, tr("Optimistic:"),
                      tr("a track's rows stay in one fold, but the artist's other tracks can be in training (GTZAN "
                         "repeats artists)."));
      break;
    case Choice::fault_filtered:
      note = split_note(*fault_lists_, QStringLiteral("<b>%1</b>").arg(tr("Unseen artists")), fault_source_);
      break;
    case Choice::split_folder:
      if (!folder_lists_) {
        problem_ = folder_error_.isEmpty() ? tr("Choose a split folder (train.txt, valid.txt, test.txt) first.")
                                           : folder_error_;
        note = red(problem_);
      } else {
        note = split_note(*folder_lists_, tr("Split %1").arg(qs(folder_lists_->name)).toHtmlEscaped(),
                          QString::fromStdString(folder_lists_->folder.string()));
      }
      break;
    case Choice::groups_file:
      if (!groups_) {
        problem_ = groups_error_.isEmpty() ? tr("Choose a groups file (CSV 'file,<group>', e.g. file,artist) first.")
                                           : groups_error_;
        note = red(problem_);
      } else {
        note = tr("%1: folds keep each %2 on one side (unseen %3)")
                   .arg(QString::fromStdString(groups_->path.filename().string()), qs(groups_->column),
                        plural_of(groups_->column))
                   .toHtmlEscaped();
        if (!names_.empty()) {
          const auto g = dataset::assign_groups(*groups_, names_);
          note += tr("; %1 groups, %2 rows without a group (their track is their group), %3 records without a row.")
                      .arg(g.groups)
                      .arg(g.rows_without_group)
                      .arg(g.entries_without_rows);
        }
      }
      break;
    case Choice::leaky:
      note = QStringLiteral("<span style='color:%1'><b>LEAKY</b></span>: %2")
                 .arg(kLeakyColour, tr("segments of one track sit in training and test folds (optimistic)."));
      break;
  }
  note_->setText(note);
  note_->setToolTip(tooltip);
}

void ProtocolPicker::applyTo(ml::TrainerOptions& o) const {
  o.protocol = choice() == Choice::leaky ? ml::SplitProtocol::leaky : ml::SplitProtocol::grouped;
  o.split.reset();
  o.groups.reset();
  o.rotate = false;
  if (const dataset::SplitLists* split = currentSplit()) {
    o.split = *split;
    o.rotate = rotate_->isChecked();
  }
  if (choice() == Choice::groups_file && groups_) o.groups = *groups_;
}

void ProtocolPicker::applyTo(ml::CompareOptions& o) const {
  ml::TrainerOptions t;
  applyTo(t);
  o.protocol = t.protocol;
  o.split = std::move(t.split);
  o.groups = std::move(t.groups);
  o.rotate = t.rotate;
}

void ProtocolPicker::setSplitFolder(const QString& folder) {
  try {
    folder_lists_ = dataset::read_split_lists(std::filesystem::path(folder.toStdString()));
    folder_error_.clear();
  } catch (const std::exception& e) {
    folder_lists_.reset();
    folder_error_ = tr("The split folder cannot be used: %1").arg(QString::fromUtf8(e.what()));
  }
  combo_->setItemText(combo_->findData(static_cast<int>(Choice::split_folder)),
                      folder_lists_ ? tr("Split folder: %1…").arg(QFileInfo(folder).fileName()) : tr("Split folder…"));
  wanted_ = Choice::split_folder;
  select(Choice::split_folder);
  update();
  if (!problem_.isEmpty()) Q_EMIT problemFound(problem_);
  Q_EMIT changed();
}

void ProtocolPicker::setGroupsFile(const QString& path) {
  try {
    groups_ = dataset::read_group_file(std::filesystem::path(path.toStdString()));
    groups_error_.clear();
  } catch (const std::exception& e) {
    groups_.reset();
    groups_error_ = tr("The groups file cannot be used: %1").arg(QString::fromUtf8(e.what()));
  }
  combo_->setItemText(combo_->findData(static_cast<int>(Choice::groups_file)),
                      groups_ ? tr("Groups file: %1…").arg(QFileInfo(path).fileName()) : tr("Groups file…"));
  wanted_ = Choice::groups_file;
  select(Choice::groups_file);
  update();
  if (!problem_.isEmpty()) Q_EMIT problemFound(problem_);
  Q_EMIT changed();
}

void ProtocolPicker::pickInteractively(Choice c) {
  QString picked;
  if (c == Choice::split_folder) {
    const QString start = folder_lists_ ? QString::fromStdString(folder_lists_->folder.string()) : dataset_folder_;
    picked = QFileDialog::getExistingDirectory(this, tr("Split folder (train.txt, valid.txt, test.txt)"), start);
  } else {
    const QString start = groups_ ? QString::fromStdString(groups_->path.string()) : dataset_folder_;
    picked = QFileDialog::getOpenFileName(this, tr("Groups file (CSV file,<group>)"), start,
                                          tr("CSV files (*.csv);;All files (*)"));
  }
  if (!picked.isEmpty()) {
    if (c == Choice::split_folder) setSplitFolder(picked);
    else setGroupsFile(picked);
    return;
  }
  // Cancelled with nothing read before: back to the previous choice.
  const bool loaded = c == Choice::split_folder ? folder_lists_.has_value() : groups_.has_value();
  if (!loaded) {
    wanted_ = previous_;
    select(previous_);
    update();
    Q_EMIT changed();
  }
}

}  // namespace genrelab::ui

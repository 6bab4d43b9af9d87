// How the Training view measures accuracy, in words a student understands: track-grouped folds
// (GTZAN repeats artists, so the same artists sit in training and test: optimistic), unseen
// artists on GTZAN's fault-filtered split, a split folder (train.txt, valid.txt, test.txt), a
// groups file (`file,<group>`, e.g. artists) or leaky rows. A combo, a "Rotate the three parts"
// box (splits only) and a note saying what the choice does with the current rows (rows per part,
// rows in no list, groups, or why it cannot run).
// The fault-filtered item is offered only when the rows match its lists (assign_split() succeeds
// and at least 90 % of the entries have rows); it is then the default until the user picks
// another item. The lists come from `<dataset folder>/splits/fault-filtered` when that folder
// exists, else from the built-in copy. The split-folder and groups-file items open a file dialog
// when picked by the user; setSplitFolder() / setGroupsFile() do the same without one (tests).
// Thread-safety: GUI thread only.
#pragma once

#include <QString>
#include <QWidget>
#include <optional>
#include <string>
#include <vector>

#include "dataset/group_file.h"
#include "dataset/split_lists.h"
#include "ml/compare.h"
#include "ml/trainer.h"

class QCheckBox;
class QComboBox;
class QLabel;

namespace genrelab::ui {

/// The protocol of `o` in a few words for run names and table cells: "5 track-grouped folds
/// (optimistic)", "5 LEAKY folds", "5 folds by artist (unseen artists)", "unseen artists,
/// fault-filtered test part", "split mine, rotation".
QString protocol_words(const ml::TrainerOptions& o);

class ProtocolPicker : public QWidget {
  Q_OBJECT
 public:
  /// The combo's items, in order (their item data).
  enum class Choice { track_grouped, fault_filtered, split_folder, groups_file, leaky };
  /// What the rows are: a feature table's, or the audio files cnn2d learns from (it always holds
  /// out whole tracks by itself: no leaky rows, no groups file).
  enum class Rows { table, audio };

  explicit ProtocolPicker(QWidget* parent = nullptr);

  /// The rows the protocol will split: file names (or audio paths) with their labels; `what`
  /// names them in messages ("features_30_sec.csv", "the audio of gtzan"). `dataset_folder`: the
  /// open dataset's folder (its splits/fault-filtered lists win over the built-in ones), or empty.
  void setRows(std::vector<std::string> names, std::vector<std::string> labels, Rows rows, const QString& what,
               const QString& dataset_folder);

  Choice choice() const;
  /// Selects an item (as the user would, without a dialog); false when it is disabled.
  bool setChoice(Choice choice);
  /// A predefined split is chosen (fault-filtered or a split folder).
  bool isSplit() const;
  /// Why the current choice cannot run (no split folder read yet, an unreadable list, a part
  /// without rows, no groups file), or empty when it can.
  QString problem() const { return problem_; }
  /// Why the fault-filtered item is disabled, or empty when it is offered.
  QString faultFilteredReason() const { return fault_reason_; }
  /// Sets protocol, split, groups and rotate of `o` to the current choice.
  void applyTo(ml::TrainerOptions& o) const;
  void applyTo(ml::CompareOptions& o) const;

  /// Reads `<folder>/train.txt`, `valid.txt`, `test.txt` and chooses them; a missing list or a
  /// malformed line (file and line) becomes problem() and is emitted by problemFound().
  void setSplitFolder(const QString& folder);
  /// Reads a CSV `file,<group>` and chooses it; errors as for setSplitFolder().
  void setGroupsFile(const QString& path);

  QComboBox* combo() const { return combo_; }
  QCheckBox* rotateCheck() const { return rotate_; }
  QLabel* noteLabel() const { return note_; }

 Q_SIGNALS:
  /// The choice, the rotation or what it means for the rows changed.
  void changed();
  /// A split folder or groups file could not be used: the message names the file (and line).
  void problemFound(const QString& message);

 private:
  /// Offers or disables each item for the current rows, recomputes the fault-filtered lists'
  /// fit, falls back to the default choice when needed, then refreshes the note.
  void update();
  void refreshNote();
  void select(Choice choice);
  void pickInteractively(Choice choice);
  void setItemEnabled(Choice choice, bool on, const QString& tooltip);
  bool itemEnabled(Choice choice) const;
  /// The split lists of the current choice (null for folds).
  const dataset::SplitLists* currentSplit() const;

  QComboBox* combo_;
  QCheckBox* rotate_;
  QLabel* note_;

  std::vector<std::string> names_, labels_;
  Rows rows_ = Rows::table;
  QString what_;
  QString dataset_folder_;
  /// The fault-filtered lists (from the dataset folder, else built in) and their source folder.
  std::optional<dataset::SplitLists> fault_lists_;
  QString fault_lists_folder_;  ///< the dataset folder they were read for
  QString fault_source_;        ///< where they come from, for the note and the tooltip
  QString fault_load_error_;
  QString fault_reason_;
  std::optional<dataset::SplitLists> folder_lists_;
  QString folder_error_;
  std::optional<dataset::GroupFile> groups_;
  QString groups_error_;
  QString problem_;
  Choice shown_ = Choice::track_grouped;     ///< the combo's choice
  Choice previous_ = Choice::track_grouped;  ///< the one before (a cancelled dialog returns to it)
  std::optional<Choice> wanted_;             ///< the user's (or a test's) pick: kept while the rows allow it
  bool selecting_ = false;                   ///< select() is changing the combo
};

}  // namespace genrelab::ui

#include "ui/views/training_results.h"

#include <QCoreApplication>
#include <QFont>
#include <QHeaderView>
#include <QTableWidget>
#include <cmath>
#include <functional>

#include "dataset/split_lists.h"
#include "ui/charts/training_charts.h"
#include "ui/views/protocol_picker.h"
#include "ui/views/training_view.h"

namespace genrelab::ui {

namespace {

QString tr(const char* text, int n = -1) { return QCoreApplication::translate("TrainingView", text, nullptr, n); }

/// "0.725 ± 0.012".
QString plus_minus(double mean, double sd) { return QStringLiteral("%1 ± %2").arg(fixed(mean), fixed(sd)); }
/// "72.5 % ± 1.2" (the spread in percentage points).
QString percent_pm(double mean, double sd) {
  return QStringLiteral("%1 ± %2").arg(percent(mean),
                                       std::isfinite(sd) ? QString::number(100.0 * sd, 'f', 1) : QStringLiteral("–"));
}

bool is_split_key(const std::string& key) { return key == "split" || key == "rotation"; }

/// A column of the fold table: its header (two lines where long), the cell of each fold, the
/// cell of the "mean ± std" row (empty: none) and the header's tooltip.
struct FoldColumn {
  QString header;
  std::function<QString(const ml::FoldReport&)> value;
  QString summary = {};
  QString tooltip = {};
};

}  // namespace

QTableWidgetItem* result_cell(const QString& text) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

QString fixed(double v, int decimals) {
  return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("–");
}

QString percent(double v) {
  return std::isfinite(v) ? QStringLiteral("%1 %").arg(100.0 * v, 0, 'f', 1) : QStringLiteral("–");
}

QColor protocol_colour(std::string_view key) {
  if (key == "leaky") return {180, 20, 20};
  if (key == "grouped") return {160, 90, 0};
  return {};
}

QString run_summary(const TrainingRun& run) {
  const ml::TrainingReport& r = *run.report;
  const ml::TrainerOptions& o = r.options;
  const bool split = o.split.has_value();
  const bool single = split && !o.rotate;  // one test part, scored once
  const int n = static_cast<int>(r.folds.size());
  // Several folds or parts here: a single test part is reported without a spread.
  const QString over = (split ? tr("over %1 held-out parts") : tr("over %1 folds")).arg(n);
  QString head;
  if (run.audio) {
    head = single ? tr("test tracks %1 (mean probability of their patches) / %2 (vote); patches %3")
                        .arg(percent(r.mean_track_accuracy_mean), percent(r.mean_track_accuracy_vote),
                             percent(r.mean_accuracy))
                  : tr("held-out tracks %1 (mean probability of their patches) / %2 (vote) %3; patches %4")
                        .arg(percent_pm(r.mean_track_accuracy_mean, r.std_track_accuracy_mean),
                             percent_pm(r.mean_track_accuracy_vote, r.std_track_accuracy_vote), over,
                             percent_pm(r.mean_accuracy, r.std_accuracy));
  } else {
    head = single ? tr("test accuracy %1").arg(percent(r.mean_accuracy))
                  : tr("mean accuracy %1 %2").arg(percent_pm(r.mean_accuracy, r.std_accuracy), over);
  }
  const QString protocol =
      r.protocol.empty() ? QString::fromStdString(ml::protocol_label(o)) : QString::fromStdString(r.protocol);
  QString text = QStringLiteral("%1: %2 — %3").arg(run.name(), head, protocol);
  if (r.split) text += QStringLiteral("; ") + QString::fromStdString(dataset::describe(*r.split));
  if (r.file_groups && o.groups)
    text += tr("; %1 %2 groups, %3 rows without a group (their track is their group)")
                .arg(r.file_groups->groups)
                .arg(QString::fromStdString(o.groups->column))
                .arg(r.file_groups->rows_without_group);
  if (split && run.audio)
    text += single ? tr("; fixed settings, trained on train+valid, test scored once")
                   : tr("; fixed settings, each part held out in turn");
  else if (single)
    text += tr("; settings chosen on valid (accuracy there %1), refitted on train+valid, test scored once")
                .arg(percent(r.mean_validation_accuracy));
  else if (split)
    text += tr("; settings chosen on inner folds of the two other parts (accuracy there %1)")
                .arg(percent(r.mean_validation_accuracy));
  if (!run.audio && r.tracks > 0 && r.tracks < r.rows)
    text += tr("; per track %1 (mean probability) / %2 (vote)")
                .arg(percent(r.mean_track_accuracy_mean), percent(r.mean_track_accuracy_vote));
  return text + QLatin1Char('.');
}

void fill_fold_table(QTableWidget& table, const TrainingRun& run) {
  const ml::TrainingReport& r = *run.report;
  const ml::TrainerOptions& o = r.options;
  // Segment tables (several rows per track) add the track-level columns; cnn2d's rows are log-mel
  // patches and its headline (held-out tracks) comes first. Long headers on two lines, so the
  // track-level columns fit beside the charts.
  const bool audio = run.audio != nullptr;
  const bool segments = !audio && r.tracks > 0 && r.tracks < r.rows;
  const bool split = o.split.has_value();
  const auto count = [](std::size_t ml::FoldReport::*field) {
    return [field](const ml::FoldReport& f) { return QString::number(f.*field); };
  };
  const auto fraction = [](double ml::FoldReport::*field) {
    return [field](const ml::FoldReport& f) { return fixed(f.*field); };
  };
  const auto epochs = [](const ml::FoldReport& f) { return QString::number(f.epochs_run); };
  const auto seconds = [](const ml::FoldReport& f) { return fixed(f.seconds, 1); };
  std::vector<FoldColumn> columns;
  if (audio) {
    columns = {{tr("Test\ntracks"), count(&ml::FoldReport::test_tracks), QString::number(r.tracks)},
               {tr("Track acc.\n(mean)"), fraction(&ml::FoldReport::track_accuracy_mean),
                plus_minus(r.mean_track_accuracy_mean, r.std_track_accuracy_mean)},
               {tr("Track acc.\n(vote)"), fraction(&ml::FoldReport::track_accuracy_vote),
                plus_minus(r.mean_track_accuracy_vote, r.std_track_accuracy_vote)},
               {tr("Patch\nacc."), fraction(&ml::FoldReport::accuracy), plus_minus(r.mean_accuracy, r.std_accuracy)},
               {tr("Patch\nloss"), fraction(&ml::FoldReport::loss)},
               {tr("Train\npatches"), count(&ml::FoldReport::train_rows)},
               {tr("Test\npatches"), count(&ml::FoldReport::test_rows)},
               {tr("Epochs"), epochs},
               {tr("Seconds"), seconds}};
  } else {
    columns = {{tr("Train rows"),
                count(&ml::FoldReport::train_rows),
                {},
                split ? tr("Rows the model was refitted on: train+valid (rotated: the two other parts)") : QString()},
               {tr("Test rows"), count(&ml::FoldReport::test_rows)},
               {tr("Epochs"), epochs}};
    if (split)
      columns.push_back({tr("Valid\nacc."), fraction(&ml::FoldReport::validation_accuracy),
                         fixed(r.mean_validation_accuracy),
                         tr("Accuracy of the chosen settings where they were chosen: fitted on train, scored on valid "
                            "(rotated: inner folds of the two other parts). Not a test number.")});
    QString accuracy = tr("Accuracy");
    QString accuracy_tip;
    if (split) {
      accuracy = tr("Test\nacc.");
      accuracy_tip = tr("Accuracy on the held-out part, scored once: %1").arg(QString::fromStdString(r.protocol));
    } else if (o.protocol == ml::SplitProtocol::leaky) {
      accuracy = tr("Accuracy (LEAKY)");
      accuracy_tip = QString::fromStdString(r.protocol);
    } else if (!o.groups) {
      accuracy = tr("Accuracy\n(optimistic)");
      accuracy_tip =
          tr("Track-grouped folds: a test track's artist can have other tracks in training (GTZAN repeats "
             "artists)");
    }
    columns.push_back(
        {accuracy, fraction(&ml::FoldReport::accuracy), plus_minus(r.mean_accuracy, r.std_accuracy), accuracy_tip});
    columns.push_back({tr("Loss"), fraction(&ml::FoldReport::loss)});
    columns.push_back({tr("Seconds"), seconds});
    if (segments) {
      columns.push_back({tr("Test\ntracks"), count(&ml::FoldReport::test_tracks)});
      columns.push_back({tr("Track acc.\n(mean)"), fraction(&ml::FoldReport::track_accuracy_mean),
                         plus_minus(r.mean_track_accuracy_mean, r.std_track_accuracy_mean)});
      columns.push_back({tr("Track acc.\n(vote)"), fraction(&ml::FoldReport::track_accuracy_vote),
                         plus_minus(r.mean_track_accuracy_vote, r.std_track_accuracy_vote)});
    }
  }
  if (!r.folds.empty() && !r.folds.front().chosen.empty())
    columns.push_back({split ? tr("Chosen on valid") : tr("Chosen by the search"),
                       [](const ml::FoldReport& f) { return QString::fromStdString(f.chosen); }});

  const bool summary_row = r.folds.size() > 1;
  table.clear();
  table.setColumnCount(static_cast<int>(columns.size()) + 1);
  table.setRowCount(static_cast<int>(r.folds.size()) + (summary_row ? 1 : 0));
  table.setHorizontalHeaderItem(0, new QTableWidgetItem(split ? tr("Held out") : tr("Fold")));
  if (split) table.horizontalHeaderItem(0)->setToolTip(tr("The part scored once: test (rotated: each part in turn)"));
  for (std::size_t c = 0; c < columns.size(); ++c) {
    auto* header = new QTableWidgetItem(columns[c].header);
    if (!columns[c].tooltip.isEmpty()) header->setToolTip(columns[c].tooltip);
    table.setHorizontalHeaderItem(static_cast<int>(c) + 1, header);
  }
  int row = 0;
  for (const ml::FoldReport& f : r.folds) {
    auto* name = result_cell(split ? QString::fromStdString(f.held_out) : QString::number(f.fold + 1));
    name->setForeground(TrainingCharts::foldColor(f.fold));
    table.setItem(row, 0, name);
    for (std::size_t c = 0; c < columns.size(); ++c)
      table.setItem(row, static_cast<int>(c) + 1, result_cell(columns[c].value(f)));
    ++row;
  }
  if (!summary_row) return;
  table.setItem(row, 0, result_cell(tr("mean ± std")));
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (!columns[c].summary.isEmpty()) table.setItem(row, static_cast<int>(c) + 1, result_cell(columns[c].summary));
  QFont bold = table.font();
  bold.setBold(true);
  for (int c = 0; c < table.columnCount(); ++c)
    if (auto* item = table.item(row, c)) item->setFont(bold);
}

void fill_leaderboard_table(QTableWidget& table, const ml::Leaderboard& board, const std::vector<TrainingRun>& runs,
                            std::size_t first) {
  table.clear();
  const bool repeated = board.repeats > 1;
  const bool split = is_split_key(board.protocol);
  const bool single = board.protocol == "split" && !repeated;  // one test score per model
  const int folds = board.rows.empty() ? 0 : board.rows[0].folds;
  QString accuracy =
      repeated ? tr("Accuracy (mean ± std, %1 × %2 folds)").arg(board.repeats).arg(folds) : tr("Accuracy (mean ± std)");
  if (split)
    accuracy = single                         ? tr("Test acc.")
               : board.protocol == "rotation" ? tr("Test acc. (mean ± std, %1 parts)").arg(board.repeats * folds)
                                              : tr("Test acc. (mean ± std, %1 repeats)").arg(board.repeats);
  else if (board.protocol == "leaky") accuracy = tr("LEAKY ") + accuracy;
  // The numbers first (the panel beside the charts is narrow), the protocol and the run after them;
  // the line above the table states the protocol too.
  QStringList headers{tr("Rank"), tr("Model")};
  if (split) headers << tr("Valid acc.");
  const int accuracy_column = static_cast<int>(headers.size());
  headers << accuracy << tr("Macro F1") << tr("Track acc. (mean / vote)") << tr("Seconds");
  const int repeat_column = static_cast<int>(headers.size());
  if (repeated) headers << tr("Per repeat");
  const int protocol_column = static_cast<int>(headers.size());
  headers << tr("Protocol") << tr("Run");
  const int run_column = protocol_column + 1;
  table.setColumnCount(static_cast<int>(headers.size()));
  table.setHorizontalHeaderLabels(headers);
  table.horizontalHeaderItem(0)->setToolTip(
      split ? tr("By valid accuracy (where the settings were chosen), then test accuracy") : tr("By mean accuracy"));
  if (split)
    table.horizontalHeaderItem(2)->setToolTip(
        tr("Accuracy of the chosen settings where they were chosen (valid part, or the "
           "rotation's inner folds); not a test number. cnn2d: fixed settings (–)"));
  table.horizontalHeaderItem(accuracy_column)
      ->setToolTip(tr("Table models: over the test rows of each fold or part (segments for a 3-s table); cnn2d: over "
                      "the held-out tracks"));
  if (repeated)
    table.horizontalHeaderItem(repeat_column)->setToolTip(tr("Mean accuracy of each repeat: seed, seed + 1, …"));
  table.horizontalHeaderItem(protocol_column)->setToolTip(QString::fromStdString(board.protocol_label));
  table.setRowCount(static_cast<int>(board.rows.size()));
  for (std::size_t i = 0; i < board.rows.size(); ++i) {
    const ml::LeaderboardRow& row = board.rows[i];
    const TrainingRun& run = runs[first + i];
    const int r = static_cast<int>(i);
    table.setItem(r, 0, result_cell(QString::number(r + 1)));
    auto* model = result_cell(QString::fromStdString(row.model));
    model->setToolTip(QString::fromStdString(row.description));
    model->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    table.setItem(r, 1, model);
    if (split) table.setItem(r, 2, result_cell(fixed(row.validation_accuracy)));
    auto* acc = result_cell(single ? fixed(row.mean_accuracy) : plus_minus(row.mean_accuracy, row.std_accuracy));
    auto* f1 = result_cell(fixed(row.macro_f1));
    if (run.audio) {
      // The CNN's rows are log-mel patches: it ranks by its held-out tracks, as genrelab-cli compare does.
      acc->setText(acc->text() + tr(" (tracks)"));
      acc->setToolTip(tr("cnn2d: accuracy over the held-out tracks of each fold or part, each track classified by the "
                         "mean probability of its patches (patch accuracy %1 ± %2)")
                          .arg(fixed(run.report->mean_accuracy), fixed(run.report->std_accuracy)));
      f1->setToolTip(tr("cnn2d: macro-F1 of the held-out tracks (summed over the folds)"));
    }
    table.setItem(r, accuracy_column, acc);
    table.setItem(r, accuracy_column + 1, f1);
    table.setItem(
        r, accuracy_column + 2,
        result_cell(QStringLiteral("%1 / %2").arg(fixed(row.track_accuracy_mean), fixed(row.track_accuracy_vote))));
    table.setItem(r, accuracy_column + 3, result_cell(fixed(row.seconds, 1)));
    if (repeated) {
      QStringList per;
      for (double a : row.repeat_accuracies) per << fixed(a);
      auto* item = result_cell(per.join(QStringLiteral(" / ")));
      item->setToolTip(tr("std of the repeats' means: %1").arg(fixed(row.std_over_repeats)));
      table.setItem(r, repeat_column, item);
    }
    auto* protocol = result_cell(protocol_words(run.report->options));
    protocol->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    protocol->setToolTip(
        QString::fromStdString(row.protocol_label.empty() ? board.protocol_label : row.protocol_label));
    if (const QColor colour = protocol_colour(row.protocol); colour.isValid()) {
      protocol->setForeground(colour);
      if (row.protocol == "leaky") acc->setForeground(colour);
    }
    table.setItem(r, protocol_column, protocol);
    auto* name = result_cell(run.name());
    name->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    table.setItem(r, run_column, name);
  }
}

QString leaderboard_note(const ml::Leaderboard& board) {
  QString label = QString::fromStdString(board.protocol_label).toHtmlEscaped();
  if (const QColor colour = protocol_colour(board.protocol); colour.isValid())
    label = QStringLiteral("<span style='color:%1'>%2</span>").arg(colour.name(), label);
  QString text = tr("How accuracy was measured: <b>%1</b>").arg(label);
  if (!board.data_note.empty()) text += QStringLiteral(" — ") + QString::fromStdString(board.data_note).toHtmlEscaped();
  QString why;
  if (board.protocol == "split")
    why =
        tr("Settings chosen on valid only; each model refitted on train+valid and scored once on test. Ranked by "
           "valid accuracy: the test part does not pick the winner.");
  else if (board.protocol == "rotation")
    why =
        tr("Each part held out in turn; settings chosen on inner folds of the two other parts. Ranked by their "
           "accuracy there (valid), not by the test parts.");
  else if (board.protocol == "leaky") why = QString();  // the label says it
  else if (board.protocol == "grouped")
    why =
        tr("A test track's artist can have other tracks in training (GTZAN repeats artists): these numbers are "
           "optimistic.");
  else why = tr("The same folds for every model.");
  return text + QStringLiteral(".") + (why.isEmpty() ? QString() : QLatin1Char(' ') + why.toHtmlEscaped());
}

}  // namespace genrelab::ui

// The Training view's result tables and sentences: the fold table of a run (per fold, or per
// held-out part of a split, then mean ± std), the leaderboard table with the line above it, and
// the one-line summary of a run. Each says how accuracy was measured, in words: track-grouped
// numbers are labelled optimistic (orange), leaky ones LEAKY (red), a split's test part as unseen
// artists with the rows it used and left out.
// Thread-safety: GUI thread only (they fill widgets).
#pragma once

#include <QColor>
#include <QString>
#include <cstddef>
#include <string_view>
#include <vector>

#include "ml/compare.h"

class QTableWidget;
class QTableWidgetItem;

namespace genrelab::ui {

struct TrainingRun;

/// A read-only, right-aligned table cell.
QTableWidgetItem* result_cell(const QString& text);
/// `v` with `decimals` decimals ("0.725"), "–" for NaN.
QString fixed(double v, int decimals = 3);
/// `v` (a fraction) as a percentage with one decimal ("72.5 %"), "–" for NaN.
QString percent(double v);
/// The colour of a protocol key (ml::protocol_key()) whose numbers are optimistic by design:
/// red for "leaky", orange for "grouped" (GTZAN's artists repeat across folds); invalid otherwise.
QColor protocol_colour(std::string_view key);

/// "#3 krr/all, unseen artists, fault-filtered test part, closed form: test accuracy 54.5 % —
/// unseen artists (fault-filtered split, test part); train 443, valid 197, test 290 rows; 70 rows
/// in no list; …; settings chosen on valid (…), refitted on train+valid, test scored once."
QString run_summary(const TrainingRun& run);

/// The run's folds: "Fold" or, for a split, "Held out" (the part), rows, epochs, "Valid acc." and
/// "Test acc." for a split, loss, seconds, track-level columns for segment tables; cnn2d: held-out
/// tracks first, then patches. A "mean ± std" row (bold) when there are several folds or parts.
void fill_fold_table(QTableWidget& table, const TrainingRun& run);

/// One row per model in rank order, `runs[first + i]` being row i's run: rank, model, protocol in
/// words (tooltip: the full label; LEAKY red, track-grouped orange), "Valid acc." for splits,
/// accuracy (cnn2d: its held-out tracks'), macro-F1, track accuracies, seconds, per repeat, run.
void fill_leaderboard_table(QTableWidget& table, const ml::Leaderboard& board, const std::vector<TrainingRun>& runs,
                            std::size_t first);

/// The line above the leaderboard (rich text): "How accuracy was measured: <protocol label> —
/// <data note>. <how the settings were chosen, or why the numbers are optimistic>".
QString leaderboard_note(const ml::Leaderboard& board);

}  // namespace genrelab::ui

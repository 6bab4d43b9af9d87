// What the files of the Training view share: training_view.cpp (widgets), training_form.cpp (the
// form's options), training_runs.cpp (jobs) and training_history.cpp (results, history, exports).
#pragma once

#include <QString>
#include <QTableWidget>
#include <ostream>

namespace genrelab::ui {

/// The kind combo's entry for the audio CNN (not a table preset).
inline const QString kAudioKind = QStringLiteral("cnn2d");
/// genrelab-cli train-audio's default epochs (app/cli/train_audio.cpp).
inline constexpr int kAudioEpochs = 20;

/// The table as shown: header line (two-line headers joined by a space), then every row's cell texts.
void write_table_csv(const QTableWidget& t, std::ostream& out);

}  // namespace genrelab::ui

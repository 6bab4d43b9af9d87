// The "Export figure…" actions every figure offers in its context menu and in File → Export.
#pragma once

#include <QMenu>
#include <QWidget>
#include <functional>
#include <ostream>

namespace genrelab::ui {

class Figure;
class DataFigure;

/// Adds "Export as PNG/SVG/PDF…" to `menu`; the dialogs remember the last export folder.
void add_export_actions(QMenu& menu, const Figure& figure, QWidget* parent);
/// The same, plus "Export data as CSV…" for the numbers behind the figure.
void add_data_export_actions(QMenu& menu, const DataFigure& figure, QWidget* parent);
/// Asks for a .csv file name (starting from `name` in the last export folder) and writes it
/// atomically with `write`; errors shown non-modally.
void export_csv_with_dialog(const QString& name, const std::function<void(std::ostream&)>& write, QWidget* parent);
/// Asks for a file name and format (and DPI for PNG), then exports; errors shown non-modally.
void export_with_dialog(const Figure& figure, QWidget* parent, const QString& suffix = QStringLiteral("png"));

}  // namespace genrelab::ui

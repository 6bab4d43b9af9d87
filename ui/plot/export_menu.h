// The "Export figure…" actions every figure offers in its context menu and in File → Export.
#pragma once

#include <QMenu>
#include <QWidget>

namespace genrelab::ui {

class Figure;

/// Adds "Export as PNG/SVG/PDF…" to `menu`; the dialogs remember the last export folder.
void add_export_actions(QMenu& menu, const Figure& figure, QWidget* parent);
/// Asks for a file name and format (and DPI for PNG), then exports; errors shown non-modally.
void export_with_dialog(const Figure& figure, QWidget* parent, const QString& suffix = QStringLiteral("png"));

}  // namespace genrelab::ui

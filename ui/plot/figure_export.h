// Export of figures to PNG (any DPI), SVG and PDF; written atomically (QSaveFile).
#pragma once

#include <QSizeF>
#include <QString>

namespace genrelab::ui {

class Figure;

struct ExportOptions {
  double dpi = 150;  ///< PNG resolution; the figure's logical size is at 96 DPI
  QSizeF size;       ///< logical size; empty = figure.exportSize()
};

/// Writes `figure` to `path`; the format follows the extension (.png, .svg, .pdf). Throws
/// genrelab::FileError naming the file and the reason (unknown extension, unwritable folder…).
void export_figure(const Figure& figure, const QString& path, const ExportOptions& options = {});

/// The file-dialog filter for the three formats.
QString export_filter();

}  // namespace genrelab::ui

#include "ui/plot/figure_export.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include "ui/plot/figure.h"
#include "util/error.h"

namespace genrelab::ui {
namespace {

[[noreturn]] void fail(const QString& path, const QString& reason) {
  throw FileError(path.toStdString(), reason.toStdString());
}

void commit(QSaveFile& file, const QString& path) {
  if (!file.commit()) fail(path, QStringLiteral("cannot write: ") + file.errorString());
}

}  // namespace

QString export_filter() { return QStringLiteral("PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)"); }

void export_figure(const Figure& figure, const QString& path, const ExportOptions& options) {
  const QSizeF size = options.size.isEmpty() ? figure.exportSize() : options.size;
  const QRectF rect(QPointF(0, 0), size);
  const QString ext = QFileInfo(path).suffix().toLower();
  if (ext != QLatin1String("png") && ext != QLatin1String("svg") && ext != QLatin1String("pdf"))
    fail(path, QStringLiteral("unknown figure format '.%1' (use .png, .svg or .pdf)").arg(ext));
  if (!QFileInfo(QFileInfo(path).absolutePath()).isDir()) fail(path, QStringLiteral("folder does not exist"));
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) fail(path, QStringLiteral("cannot create: ") + file.errorString());

  if (ext == QLatin1String("png")) {
    if (options.dpi < 10 || options.dpi > 2400) fail(path, QStringLiteral("DPI must be between 10 and 2400"));
    const double scale = options.dpi / 96.0;
    QImage image((size * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.setDotsPerMeterX(static_cast<int>(options.dpi / 0.0254));
    image.setDotsPerMeterY(static_cast<int>(options.dpi / 0.0254));
    image.fill(Qt::white);
    {
      QPainter painter(&image);
      painter.setRenderHint(QPainter::Antialiasing);
      painter.setRenderHint(QPainter::TextAntialiasing);
      painter.scale(scale, scale);
      figure.paintFigure(painter, rect);
    }
    if (!image.save(&file, "PNG")) fail(path, QStringLiteral("PNG encoding failed"));
  } else if (ext == QLatin1String("svg")) {
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setSize(size.toSize());
    svg.setViewBox(rect);
    svg.setResolution(96);
    svg.setTitle(figure.figureTitle());
    svg.setDescription(QStringLiteral("GenreLab figure"));
    QPainter painter(&svg);
    painter.setRenderHint(QPainter::Antialiasing);
    figure.paintFigure(painter, rect);
  } else {
    QPdfWriter pdf(&file);
    pdf.setTitle(figure.figureTitle());
    pdf.setCreator(QStringLiteral("GenreLab"));
    pdf.setResolution(96);
    pdf.setPageSize(QPageSize(size * 72.0 / 96.0, QPageSize::Point, QString(), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter(&pdf);
    painter.setRenderHint(QPainter::Antialiasing);
    figure.paintFigure(painter, rect);
  }
  commit(file, path);
}

}  // namespace genrelab::ui

#include "ui/plot/export_menu.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QRegularExpression>
#include <QInputDialog>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

#include "ui/plot/figure.h"
#include "ui/plot/figure_export.h"
#include "util/error.h"

namespace genrelab::ui {

void export_with_dialog(const Figure& figure, QWidget* parent, const QString& suffix) {
  QSettings settings;
  const QString dir = settings.value(QStringLiteral("exportFolder"),
                                     QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)).toString();
  QString base = figure.figureTitle();
  base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
  const QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export figure"), dir + QLatin1Char('/') + base + QLatin1Char('.') + suffix,
                                                    export_filter());
  if (path.isEmpty()) return;
  settings.setValue(QStringLiteral("exportFolder"), QFileInfo(path).absolutePath());
  ExportOptions options;
  if (path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) {
    bool ok = false;
    options.dpi = QInputDialog::getInt(parent, QObject::tr("PNG resolution"), QObject::tr("Dots per inch:"),
                                       settings.value(QStringLiteral("exportDpi"), 150).toInt(), 50, 1200, 50, &ok);
    if (!ok) return;
    settings.setValue(QStringLiteral("exportDpi"), static_cast<int>(options.dpi));
  }
  try {
    export_figure(figure, path, options);
  } catch (const FileError& e) {
    auto* box = new QMessageBox(QMessageBox::Warning, QObject::tr("Export failed"), QString::fromStdString(e.what()),
                                QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
  }
}

void add_export_actions(QMenu& menu, const Figure& figure, QWidget* parent) {
  for (const auto& [label, suffix] : {std::pair{QObject::tr("Export as PNG…"), QStringLiteral("png")},
                                      std::pair{QObject::tr("Export as SVG…"), QStringLiteral("svg")},
                                      std::pair{QObject::tr("Export as PDF…"), QStringLiteral("pdf")}}) {
    const Figure* f = &figure;
    QObject::connect(menu.addAction(label), &QAction::triggered, parent,
                     [f, parent, suffix = suffix] { export_with_dialog(*f, parent, suffix); });
  }
}

}  // namespace genrelab::ui

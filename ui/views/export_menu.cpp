#include "ui/views/export_menu.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

#include "ui/plot/figure.h"
#include "ui/plot/figure_export.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace genrelab::ui {

namespace {

QString export_folder() {
  return QSettings()
      .value(QStringLiteral("exportFolder"), QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
      .toString();
}

QString file_base(QString title) {
  title.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
  return title;
}

void show_export_error(const FileError& e, QWidget* parent) {
  auto* box = new QMessageBox(QMessageBox::Warning, QObject::tr("Export failed"), QString::fromStdString(e.what()),
                              QMessageBox::Ok, parent);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setModal(false);
  box->show();
}

}  // namespace

void export_with_dialog(const Figure& figure, QWidget* parent, const QString& suffix) {
  QSettings settings;
  const QString path = QFileDialog::getSaveFileName(
      parent, QObject::tr("Export figure"),
      export_folder() + QLatin1Char('/') + file_base(figure.figureTitle()) + QLatin1Char('.') + suffix,
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
    show_export_error(e, parent);
  }
}

void export_csv_with_dialog(const QString& name, const std::function<void(std::ostream&)>& write, QWidget* parent) {
  const QString path = QFileDialog::getSaveFileName(
      parent, QObject::tr("Export as CSV"),
      export_folder() + QLatin1Char('/') + file_base(name) + QStringLiteral(".csv"), QObject::tr("CSV table (*.csv)"));
  if (path.isEmpty()) return;
  QSettings().setValue(QStringLiteral("exportFolder"), QFileInfo(path).absolutePath());
  try {
    write_file_atomically(path.toStdString(), write);
  } catch (const FileError& e) {
    show_export_error(e, parent);
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

void add_data_export_actions(QMenu& menu, const DataFigure& figure, QWidget* parent) {
  add_export_actions(menu, figure, parent);
  menu.addSeparator();
  const DataFigure* f = &figure;
  QObject::connect(menu.addAction(QObject::tr("Export data as CSV…")), &QAction::triggered, parent, [f, parent] {
    export_csv_with_dialog(
        f->figureTitle(), [f](std::ostream& out) { f->writeCsv(out); }, parent);
  });
}

}  // namespace genrelab::ui

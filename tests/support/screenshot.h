// Screenshots from Qt tests for a person to look at: saved only when GENRELAB_SCREENSHOT_DIR is
// set (e.g. GENRELAB_SCREENSHOT_DIR=/tmp/shots ctest -L ui). Qt tests only.
#pragma once

#include <QDir>
#include <QString>
#include <QWidget>
#include <cstdlib>

namespace genrelab::test {

inline void save_screenshot(QWidget& widget, const QString& name) {
  const char* dir = std::getenv("GENRELAB_SCREENSHOT_DIR");
  if (!dir || !*dir) return;
  QDir().mkpath(QString::fromLocal8Bit(dir));
  widget.grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(name + QStringLiteral(".png")));
}

}  // namespace genrelab::test

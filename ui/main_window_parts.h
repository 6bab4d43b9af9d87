// What the two files of the main window share: main_window.cpp (the window, menus, jobs, drops)
// and main_window_dataset.cpp (opening a dataset, its tables, tracks and features).
#pragma once

#include <QString>
#include <filesystem>

namespace genrelab::ui {

inline QString fromPath(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }
inline std::filesystem::path toPath(const QString& s) { return std::filesystem::path(s.toStdString()); }

}  // namespace genrelab::ui

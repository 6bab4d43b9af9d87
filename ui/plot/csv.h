// CSV cells of the GUI's exports: util/csv.h, and the same for Qt strings.
#pragma once

#include <QString>
#include <string>

#include "util/csv.h"

namespace genrelab::ui {

using genrelab::csv_cell;
using genrelab::csv_num;
using genrelab::write_csv_row;
inline std::string csv_cell(const QString& text) { return genrelab::csv_cell(text.toStdString()); }

}  // namespace genrelab::ui

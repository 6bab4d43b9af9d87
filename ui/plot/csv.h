// Cells of the CSV files the GUI exports: text quoted only when it needs to be (RFC 4180),
// numbers as Python's repr (shortest round-trip, "nan"), like the Kaggle tables.
#pragma once

#include <QString>
#include <string>

#include "util/float_format.h"

namespace genrelab::ui {

inline std::string csv_cell(std::string t) {
  if (t.find_first_of(",\"\r\n") == std::string::npos) return t;
  std::string q = "\"";
  for (char c : t) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

inline std::string csv_cell(const QString& text) { return csv_cell(text.toStdString()); }

inline std::string csv_num(double v) { return python_float_repr(v); }

}  // namespace genrelab::ui

// Writing CSV cells, the one way GenreLab writes them (feature tables, the GUI's exported tables
// and figure data): text quoted only when it needs to be (RFC 4180; also leading or trailing
// spaces, which readers trim), numbers as Python's repr (shortest round-trip, "nan") like the
// Kaggle tables.
#pragma once

#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

namespace genrelab {

/// A cell as a CSV writer must print it.
std::string csv_cell(std::string_view text);
/// A number as a cell (python_float_repr).
std::string csv_num(double v);
/// One line of cells, each through csv_cell().
void write_csv_row(std::ostream& out, std::initializer_list<std::string_view> cells);

}  // namespace genrelab

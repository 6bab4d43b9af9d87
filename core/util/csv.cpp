#include "util/csv.h"

#include "util/float_format.h"

namespace genrelab {

std::string csv_cell(std::string_view text) {
  const bool needs =
      text.find_first_of(",\"\r\n") != std::string_view::npos ||
      (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.back() == ' ' || text.back() == '\t'));
  if (!needs) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string csv_num(double v) { return python_float_repr(v); }

void write_csv_row(std::ostream& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (const auto c : cells) {
    if (!first) out << ',';
    out << csv_cell(c);
    first = false;
  }
  out << '\n';
}

}  // namespace genrelab

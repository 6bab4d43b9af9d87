#include "dataset/csv_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace genrelab::dataset {

CsvReader::CsvReader(const std::filesystem::path& path) : path_(path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw FileError(path, "file does not exist or is not a regular file");
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw FileError(path, std::string("cannot open file: ") + std::strerror(errno));
  buffer_.resize(1 << 16);
  fill();
  if (end_ - pos_ >= 3 && std::memcmp(buffer_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
}

CsvReader::~CsvReader() { std::fclose(file_); }

bool CsvReader::next(std::vector<std::string>& cells) {
  for (;;) {
    if (!read_record(cells)) return false;
    if (cells.size() > 1 || !cells[0].empty() || quoted_any_) return true;
  }
}

int CsvReader::get() {
  if (pos_ == end_ && !fill()) return -1;
  return static_cast<unsigned char>(buffer_[pos_++]);
}

int CsvReader::peek() {
  if (pos_ == end_ && !fill()) return -1;
  return static_cast<unsigned char>(buffer_[pos_]);
}

bool CsvReader::fill() {
  if (eof_) return false;
  const std::size_t n = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  if (n < buffer_.size()) {
    if (std::ferror(file_)) throw FileError(path_, std::string("read error: ") + std::strerror(errno));
    eof_ = true;
  }
  pos_ = 0;
  end_ = n;
  return n > 0;
}

void CsvReader::finish_cell(std::string& cell, std::size_t quoted_from, std::size_t quoted_to) {
  std::size_t b = 0, e = cell.size();
  while (b < e && b < quoted_from && (cell[b] == ' ' || cell[b] == '\t')) ++b;
  while (e > b && e > quoted_to && (cell[e - 1] == ' ' || cell[e - 1] == '\t')) --e;
  if (e != cell.size()) cell.erase(e);
  if (b != 0) cell.erase(0, b);
}

bool CsvReader::read_record(std::vector<std::string>& cells) {
  int c = get();
  if (c < 0) return false;
  record_line_ = line_;
  std::size_t n = 0;
  auto cell = [&]() -> std::string& {
    if (n == cells.size()) cells.emplace_back();
    cells[n].clear();
    return cells[n];
  };
  std::string* current = &cell();
  bool quoted = false;
  quoted_any_ = false;
  std::size_t quoted_from = std::string::npos, quoted_to = 0;
  for (;; c = get()) {
    if (c == 0) throw FileError(path_, "not a text file (contains NUL bytes, line " + std::to_string(line_) + ")");
    if (c < 0) {
      if (quoted) throw TableError(path_, record_line_, "", "a quoted cell is never closed");
      break;
    }
    if (quoted) {
      if (c == '"') {
        if (peek() == '"') {
          get();
          current->push_back('"');
        } else {
          quoted = false;
          quoted_to = current->size();
        }
        continue;
      }
      if (c == '\n' || (c == '\r' && peek() != '\n')) ++line_;
      current->push_back(static_cast<char>(c));
    } else if (c == '"') {
      quoted = quoted_any_ = true;
      quoted_from = std::min(quoted_from, current->size());
    } else if (c == ',') {
      finish_cell(*current, quoted_from, quoted_to);
      ++n;
      current = &cell();
      quoted_from = std::string::npos;
      quoted_to = 0;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && peek() == '\n') get();
      ++line_;
      break;
    } else {
      current->push_back(static_cast<char>(c));
    }
  }
  finish_cell(*current, quoted_from, quoted_to);
  cells.resize(n + 1);
  return true;
}

}  // namespace genrelab::dataset

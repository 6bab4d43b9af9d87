// A streaming CSV record reader: RFC 4180 quotes (which may hold commas, quotes and line breaks),
// records ending at \r\n, \n or \r, an optional UTF-8 BOM, blank records skipped. Memory stays one
// record whatever the file size. Spaces around a cell are trimmed unless quoted. Used by the
// feature tables and the group files.
// Thread-safety: one reader per thread.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace genrelab::dataset {

class CsvReader {
 public:
  /// Throws FileError when the file is missing, not a regular file or cannot be opened.
  explicit CsvReader(const std::filesystem::path& path);
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;
  ~CsvReader();

  /// Reads the next non-blank record into `cells` (reusing their storage); false at the end.
  /// Throws FileError for NUL bytes or a read error, TableError for a quote never closed.
  bool next(std::vector<std::string>& cells);
  /// Physical line (1-based) where the last record started.
  long line() const noexcept { return record_line_; }

 private:
  int get();
  int peek();
  bool fill();
  void finish_cell(std::string& cell, std::size_t quoted_from, std::size_t quoted_to);
  bool read_record(std::vector<std::string>& cells);

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  long line_ = 1, record_line_ = 1;
  bool quoted_any_ = false;
};

}  // namespace genrelab::dataset

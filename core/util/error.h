// Errors a user can cause (bad file, bad table, wrong schema). Each names the file and the reason.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace genrelab {

/// An error about one file: what() reads "<file>: <reason>". Thread-safe to copy.
class FileError : public std::runtime_error {
 public:
  FileError(std::filesystem::path file, std::string reason)
      : std::runtime_error(file.string() + ": " + reason), file_(std::move(file)), reason_(std::move(reason)) {}
  const std::filesystem::path& file() const noexcept { return file_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::filesystem::path file_;
  std::string reason_;
};

/// An error at a position of a table file: what() reads "<file>:<line>:<column>: <reason>".
/// Lines count from 1 (the header is line 1); column is the header name, or empty.
class TableError : public FileError {
 public:
  TableError(const std::filesystem::path& file, long line, std::string column, const std::string& reason)
      : FileError(file,
                  "line " + std::to_string(line) + (column.empty() ? "" : ", column '" + column + "'") + ": " + reason),
        line_(line), column_(std::move(column)) {}
  long line() const noexcept { return line_; }
  const std::string& column() const noexcept { return column_; }

 private:
  long line_;
  std::string column_;
};

/// Thrown by long operations when their CancelToken was set.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace genrelab

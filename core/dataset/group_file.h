// Group files: a user's own grouping of tracks (artist, album, session…) so that cross-validation
// folds keep a group on one side. A CSV with a header `file,<column>` (the column's name says what
// the groups are, e.g. `artist`), then one `file,group` record per track; file names with or
// without a `<label>/` prefix, matched to rows or audio files by track (parse_track_key()).
// Thread-safety: pure functions returning values.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace genrelab::dataset {

struct GroupFile {
  std::filesystem::path path;
  std::string column;  ///< the header's second cell, e.g. "artist"
  /// track id (parse_track_key of the file name) -> group name.
  std::unordered_map<std::string, std::string> group_of_track;
};

/// Reads a group file (CsvReader: quotes, CRLF, BOM). Throws FileError for a missing file,
/// TableError naming the line for a header whose first cell is not `file`/`filename`, a record
/// without exactly two cells, an empty file name or group, or a track given two different groups.
GroupFile read_group_file(const std::filesystem::path& path);

struct GroupAssignment {
  /// Group of every row (0..groups-1, numbered in order of first row); rows whose track the file
  /// does not name get a group of their own track.
  std::vector<int> group_of_row;
  std::size_t groups = 0;                ///< named groups that have rows
  std::size_t rows_without_group = 0;    ///< rows whose track the file does not name
  std::size_t entries_without_rows = 0;  ///< file records whose track no row has
};

/// Groups rows by the file's groups (`names`: table file names or audio paths).
GroupAssignment assign_groups(const GroupFile& file, std::span<const std::string> names);

/// "15 artist groups; 0 rows without a group (their track is their group); 2 group-file records
/// without a row" (`column`: GroupFile::column).
std::string describe(const GroupAssignment& assignment, const std::string& column);

}  // namespace genrelab::dataset

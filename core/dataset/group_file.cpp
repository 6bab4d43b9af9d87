#include "dataset/group_file.h"

#include <unordered_set>

#include "dataset/csv_reader.h"
#include "dataset/feature_table.h"
#include "util/error.h"

namespace genrelab::dataset {

GroupFile read_group_file(const std::filesystem::path& path) {
  CsvReader reader(path);
  GroupFile out;
  out.path = path;
  std::vector<std::string> cells;
  if (!reader.next(cells))
    throw FileError(path, "empty group file (expected a header 'file,<group>', e.g. 'file,artist')");
  if (cells.size() != 2 || (cells[0] != "file" && cells[0] != "filename") || cells[1].empty())
    throw TableError(path, reader.line(), "", "expected the header 'file,<group>' (e.g. 'file,artist')");
  out.column = cells[1];
  while (reader.next(cells)) {
    if (cells.size() != 2)
      throw TableError(path, reader.line(), "", "expected 2 cells (file,group), found " + std::to_string(cells.size()));
    if (cells[0].empty()) throw TableError(path, reader.line(), "file", "empty file name");
    if (cells[1].empty()) throw TableError(path, reader.line(), out.column, "empty group");
    const auto track = parse_track_key(cells[0]).track_id;
    const auto [it, fresh] = out.group_of_track.emplace(track, cells[1]);
    if (!fresh && it->second != cells[1])
      throw TableError(path, reader.line(), out.column,
                       "track '" + track + "' is given two groups ('" + it->second + "' and '" + cells[1] + "')");
  }
  if (out.group_of_track.empty()) throw FileError(path, "no records after the header");
  return out;
}

GroupAssignment assign_groups(const GroupFile& file, std::span<const std::string> names) {
  GroupAssignment a;
  a.group_of_row.reserve(names.size());
  std::unordered_map<std::string, int> ids;  // "g:<group>" or "t:<track>" -> id
  std::unordered_set<std::string> tracks_seen;
  for (const auto& name : names) {
    const auto track = parse_track_key(name).track_id;
    tracks_seen.insert(track);
    const auto it = file.group_of_track.find(track);
    if (it == file.group_of_track.end()) ++a.rows_without_group;
    const auto key = it == file.group_of_track.end() ? "t:" + track : "g:" + it->second;
    const auto [id, fresh] = ids.emplace(key, static_cast<int>(ids.size()));
    if (fresh && it != file.group_of_track.end()) ++a.groups;
    a.group_of_row.push_back(id->second);
  }
  for (const auto& [track, group] : file.group_of_track)
    if (!tracks_seen.count(track)) ++a.entries_without_rows;
  return a;
}

std::string describe(const GroupAssignment& a, const std::string& column) {
  return std::to_string(a.groups) + " " + column + " groups; " + std::to_string(a.rows_without_group) +
         " rows without a group (their track is their group); " + std::to_string(a.entries_without_rows) +
         " group-file records without a row";
}

}  // namespace genrelab::dataset

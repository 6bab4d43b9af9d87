#include "dataset/split_lists.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "dataset/builtin_splits.h"
#include "dataset/feature_table.h"
#include "util/error.h"

namespace genrelab::dataset {
namespace {

constexpr std::string_view kListFiles[kSplitParts] = {"train.txt", "valid.txt", "test.txt"};
constexpr std::size_t kMissingExamples = 5;

std::string read_text(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw FileError(path, "split list does not exist or is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "cannot open split list");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw FileError(path, "read error");
  return text.str();
}

/// Checks that no track is listed in two parts (TableError at the second listing).
void check_disjoint(const SplitLists& lists) {
  std::unordered_map<std::string, std::pair<int, long>> seen;
  for (int p = 0; p < kSplitParts; ++p)
    for (const auto& e : lists.parts[static_cast<std::size_t>(p)]) {
      const auto [it, fresh] = seen.emplace(e.label + "/" + e.track_id, std::pair{p, e.line});
      if (!fresh)
        throw TableError(lists.list_name(static_cast<SplitPart>(p)), e.line, "",
                         "'" + e.text + "' is also listed in " +
                             lists.list_name(static_cast<SplitPart>(it->second.first)) + " line " +
                             std::to_string(it->second.second));
    }
}

}  // namespace

std::string_view to_string(SplitPart part) noexcept {
  switch (part) {
    case SplitPart::train:
      return "train";
    case SplitPart::valid:
      return "valid";
    case SplitPart::test:
      return "test";
  }
  return "?";
}

std::string SplitLists::list_name(SplitPart part) const {
  const auto file = std::string(kListFiles[static_cast<int>(part)]);
  return folder.empty() ? name + "/" + file : (folder / file).string();
}

std::vector<SplitEntry> parse_split_list(std::string_view text, const std::filesystem::path& list_name) {
  std::vector<SplitEntry> out;
  std::set<std::string> tracks;
  long line = 0;
  std::size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (pos < text.size()) {
    ++line;
    auto end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view s = text.substr(pos, end - pos);
    pos = end + (text.substr(end, 2) == "\r\n" ? 2 : 1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    if (s.empty() || s.front() == '#') continue;
    const auto bad = [&](const std::string& why) {
      throw TableError(list_name, line, "", why + ": '" + std::string(s) + "'");
    };
    if (std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
      bad("control character in the line");
    if (s.find('\\') != std::string_view::npos) bad("expected <label>/<file name> or <file name>, found a backslash");
    SplitEntry e;
    std::string_view name = s;
    if (const auto slash = s.find('/'); slash != std::string_view::npos) {
      if (s.find('/', slash + 1) != std::string_view::npos)
        bad("expected <label>/<file name> or <file name>, found more than one '/'");
      e.label = std::string(s.substr(0, slash));
      name = s.substr(slash + 1);
      if (e.label.empty()) bad("empty label before '/'");
    }
    if (name.empty() || name == "." || name == "..") bad("no file name");
    e.track_id = parse_track_key(name).track_id;
    e.text = std::string(s);
    e.line = line;
    if (!tracks.insert(e.label + "/" + e.track_id).second) bad("track listed twice");
    out.push_back(std::move(e));
  }
  return out;
}

SplitLists read_split_lists(const std::filesystem::path& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    throw FileError(folder, "not a split folder (expected a folder holding train.txt, valid.txt and test.txt)");
  SplitLists lists;
  lists.folder = folder;
  lists.name = folder.filename().empty() ? folder.parent_path().filename().string() : folder.filename().string();
  for (int p = 0; p < kSplitParts; ++p) {
    const auto path = folder / kListFiles[p];
    lists.parts[static_cast<std::size_t>(p)] = parse_split_list(read_text(path), path);
  }
  check_disjoint(lists);
  return lists;
}

std::vector<std::string> builtin_split_names() { return {"fault-filtered"}; }

std::optional<SplitLists> builtin_split(std::string_view name) {
  if (detail::builtin_split_text(name, 0).empty()) return std::nullopt;
  SplitLists lists;
  lists.name = std::string(name);
  for (int p = 0; p < kSplitParts; ++p)
    lists.parts[static_cast<std::size_t>(p)] =
        parse_split_list(detail::builtin_split_text(name, p), lists.list_name(static_cast<SplitPart>(p)));
  check_disjoint(lists);
  return lists;
}

SplitLists load_split(const std::string& name_or_folder) {
  if (auto lists = builtin_split(name_or_folder)) return *lists;
  return read_split_lists(name_or_folder);
}

std::size_t SplitAssignment::entries_without_rows_total() const noexcept {
  return entries_without_rows[0] + entries_without_rows[1] + entries_without_rows[2];
}

double coverage(const SplitLists& lists, const SplitAssignment& assignment) noexcept {
  const std::size_t total = lists.parts[0].size() + lists.parts[1].size() + lists.parts[2].size();
  if (total == 0) return 0.0;
  return static_cast<double>(total - std::min(total, assignment.entries_without_rows_total())) /
         static_cast<double>(total);
}

SplitAssignment assign_split(const SplitLists& lists, std::span<const std::string> names,
                             std::span<const std::string> labels) {
  if (names.size() != labels.size()) throw std::invalid_argument("assign_split: one label per name");
  // track id -> (part, entry index) for every entry; label-prefixed entries need the label too.
  std::unordered_map<std::string, std::vector<std::pair<int, std::size_t>>> by_track;
  for (int p = 0; p < kSplitParts; ++p) {
    const auto& part = lists.parts[static_cast<std::size_t>(p)];
    for (std::size_t i = 0; i < part.size(); ++i) by_track[part[i].track_id].emplace_back(p, i);
  }
  SplitAssignment a;
  a.part_of_row.assign(names.size(), -1);
  std::array<std::vector<bool>, kSplitParts> used;
  for (int p = 0; p < kSplitParts; ++p)
    used[static_cast<std::size_t>(p)].assign(lists.parts[static_cast<std::size_t>(p)].size(), false);
  std::array<std::set<std::string>, kSplitParts> tracks;
  std::set<std::string> left_out;
  for (std::size_t r = 0; r < names.size(); ++r) {
    const auto track = parse_track_key(names[r]).track_id;
    if (const auto it = by_track.find(track); it != by_track.end())
      for (const auto& [p, i] : it->second) {
        const auto& e = lists.parts[static_cast<std::size_t>(p)][i];
        if (!e.label.empty() && e.label != labels[r]) continue;
        a.part_of_row[r] = p;
        used[static_cast<std::size_t>(p)][i] = true;
        break;
      }
    if (a.part_of_row[r] < 0) {
      ++a.rows_left_out;
      left_out.insert(labels[r] + "/" + track);
    } else {
      ++a.rows[static_cast<std::size_t>(a.part_of_row[r])];
      tracks[static_cast<std::size_t>(a.part_of_row[r])].insert(labels[r] + "/" + track);
    }
  }
  a.tracks_left_out = left_out.size();
  for (int p = 0; p < kSplitParts; ++p) {
    const auto pi = static_cast<std::size_t>(p);
    a.tracks[pi] = tracks[pi].size();
    for (std::size_t i = 0; i < used[pi].size(); ++i) {
      if (used[pi][i]) continue;
      ++a.entries_without_rows[pi];
      if (a.missing_examples.size() < kMissingExamples)
        a.missing_examples.push_back(lists.list_name(static_cast<SplitPart>(p)) + ":" +
                                     std::to_string(lists.parts[pi][i].line) + " " + lists.parts[pi][i].text);
    }
    if (a.rows[pi] == 0)
      throw std::invalid_argument(lists.list_name(static_cast<SplitPart>(p)) +
                                  ": no row or file of the data is in this list (" +
                                  std::to_string(lists.parts[pi].size()) + " entries, none found)");
  }
  return a;
}

std::string describe(const SplitAssignment& a) {
  std::ostringstream s;
  s << "train " << a.rows[0] << ", valid " << a.rows[1] << ", test " << a.rows[2] << " rows";
  if (a.rows[0] != a.tracks[0] || a.rows[1] != a.tracks[1] || a.rows[2] != a.tracks[2])
    s << " (tracks " << a.tracks[0] << "/" << a.tracks[1] << "/" << a.tracks[2] << ")";
  s << "; " << a.rows_left_out << (a.rows_left_out == 1 ? " row" : " rows") << " in no list";
  const auto missing = a.entries_without_rows_total();
  s << "; " << missing << (missing == 1 ? " list entry" : " list entries") << " without a row";
  if (!a.missing_examples.empty()) {
    s << " (";
    for (std::size_t i = 0; i < a.missing_examples.size(); ++i) s << (i ? ", " : "") << a.missing_examples[i];
    if (missing > a.missing_examples.size()) s << ", …";
    s << ")";
  }
  return s.str();
}

}  // namespace genrelab::dataset

// Predefined train/valid/test splits: a folder of three lists (`train.txt`, `valid.txt`,
// `test.txt`), one file name a line, with or without a `<label>/` prefix, matched to the rows of a
// feature table or to audio files by track (dataset::parse_track_key: the 3-s segment rows of a
// clip follow the clip). The fault-filtered split of GTZAN (Kereliuk, Sturm & Larsen 2015:
// artist-disjoint, 443/197/290 clips) is built in (resources/splits/), so `fault-filtered` names it
// anywhere.
// Thread-safety: pure functions returning values.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace genrelab::dataset {

/// The three parts of a split, in list order.
enum class SplitPart { train = 0, valid = 1, test = 2 };
inline constexpr int kSplitParts = 3;
/// "train", "valid", "test".
std::string_view to_string(SplitPart part) noexcept;

struct SplitEntry {
  std::string label;     ///< the `<label>/` prefix, or empty
  std::string track_id;  ///< parse_track_key() of the file name
  std::string text;      ///< the line as written (without its line end)
  long line = 0;         ///< 1-based line in its list
};

struct SplitLists {
  std::string name;              ///< "fault-filtered" for the built-in split, else the folder's name
  std::filesystem::path folder;  ///< where the lists were read (empty for a built-in split)
  std::array<std::vector<SplitEntry>, kSplitParts> parts;
  /// The list of a part as messages name it ("<folder>/valid.txt", or "fault-filtered/valid.txt").
  std::string list_name(SplitPart part) const;
  /// The built-in fault-filtered split: its parts are artist-disjoint.
  bool artist_disjoint() const noexcept { return folder.empty() && name == "fault-filtered"; }
};

/// Parses one list. Lines end in \n, \r\n or \r; blank lines and lines starting with '#' are
/// skipped; a line is `[<label>/]<file name>` with no other '/' or '\', no control character and
/// a non-empty name. Throws TableError naming `list_name` and the line for a malformed line or a
/// track listed twice.
std::vector<SplitEntry> parse_split_list(std::string_view text, const std::filesystem::path& list_name);

/// Reads `<folder>/train.txt`, `valid.txt` and `test.txt`. Throws FileError naming the missing or
/// unreadable list, TableError for a malformed line or a track in two lists (file and line).
SplitLists read_split_lists(const std::filesystem::path& folder);

/// Names of the built-in splits ("fault-filtered").
std::vector<std::string> builtin_split_names();
/// A built-in split by name, or nullopt.
std::optional<SplitLists> builtin_split(std::string_view name);
/// A built-in split's name, else read_split_lists(name_or_folder).
SplitLists load_split(const std::string& name_or_folder);

/// How the rows (or audio files) of a dataset fall into the parts of a split.
struct SplitAssignment {
  std::vector<int> part_of_row;                   ///< 0 train, 1 valid, 2 test, -1 in no list (left out)
  std::array<std::size_t, kSplitParts> rows{};    ///< rows per part
  std::array<std::size_t, kSplitParts> tracks{};  ///< distinct tracks per part
  std::size_t rows_left_out = 0;                  ///< rows whose track is in no list
  std::size_t tracks_left_out = 0;
  /// Entries of each list with no row (a track the dataset does not have, e.g. a corrupt file).
  std::array<std::size_t, kSplitParts> entries_without_rows{};
  /// The first few of them as "<list>:<line> <entry>", for reports.
  std::vector<std::string> missing_examples;
  std::size_t entries_without_rows_total() const noexcept;
};

/// Matches rows to list entries: a row belongs to an entry when parse_track_key() of its file name
/// gives the entry's track and, for an entry with a label prefix, its label equals the prefix.
/// `names` are table file names or audio paths; `labels` one per name. Throws
/// std::invalid_argument naming the list when a part is left with no rows.
SplitAssignment assign_split(const SplitLists& lists, std::span<const std::string> names,
                             std::span<const std::string> labels);

/// "train 443, valid 197, test 290 rows; 70 rows in no list; 1 list entry without a row
/// (fault-filtered/train.txt:123 jazz/jazz.00054.wav)".
std::string describe(const SplitAssignment& assignment);

/// A table is taken to be the split's dataset when at least this share of the lists' entries have
/// rows (GTZAN's Kaggle tables have all 930 fault-filtered clips; a table of three genres under a third).
inline constexpr double kMinSplitCoverage = 0.9;
/// The share of `lists`' entries that have rows in `assignment` (0 for empty lists).
double coverage(const SplitLists& lists, const SplitAssignment& assignment) noexcept;

}  // namespace genrelab::dataset

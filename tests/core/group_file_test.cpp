// Group files (file,<group>): header, quoting, conflicts and errors with line numbers, and rows
// grouped by them (segments follow their track; rows the file does not name keep their track).
#include "dataset/group_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_data.h"
#include "util/error.h"

namespace {

namespace ds = genrelab::dataset;
namespace fs = std::filesystem;

fs::path write_group_file(const std::string& name, const std::string& text) {
  const auto p = genrelab::test::temp_dir("groups") / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

TEST(GroupFile, ReadsArtistsWithQuotesAndCrlf) {
  const auto g =
      ds::read_group_file(write_group_file("artists.csv",
                                           "file,artist\r\nblues/blues.00000.wav,\"Earth, Wind & Fire\"\r\n"
                                           "blues.00001.wav,Muddy Waters\r\nblues.00002.wav,Muddy Waters\r\n"));
  EXPECT_EQ(g.column, "artist");
  EXPECT_EQ(g.group_of_track.size(), 3u);
  EXPECT_EQ(g.group_of_track.at("blues.00000"), "Earth, Wind & Fire");
}

TEST(GroupFile, ErrorsNameTheLine) {
  const auto line_of = [](const std::string& text) -> long {
    try {
      ds::read_group_file(write_group_file("bad.csv", text));
    } catch (const genrelab::TableError& e) {
      return e.line();
    } catch (const genrelab::FileError&) {
      return 0;
    }
    return -1;
  };
  EXPECT_EQ(line_of("path,artist\na.wav,x\n"), 1);            // header
  EXPECT_EQ(line_of("file,artist\na.wav,x\nb.wav\n"), 3);     // one cell
  EXPECT_EQ(line_of("file,artist\na.wav,x\nb.wav,\n"), 3);    // empty group
  EXPECT_EQ(line_of("file,artist\na.wav,x\na.wav,y\n"), 3);   // two groups for one track
  EXPECT_EQ(line_of("file,artist\n"), 0);                     // no records
  EXPECT_EQ(line_of(""), 0);                                  // empty
  EXPECT_EQ(line_of("file,artist\na.wav,x\na.wav,x\n"), -1);  // a repeated record that agrees is fine
}

TEST(GroupFile, GroupsRowsAndCountsWhatIsMissing) {
  const auto g = ds::read_group_file(
      write_group_file("g.csv", "file,album\ng0.00000.wav,A\ng0.00001.wav,A\ng1.00000.wav,B\ng9.00000.wav,C\n"));
  const std::vector<std::string> rows = {"g0.00000.0.wav", "g0.00000.1.wav", "g0.00001.wav", "g1.00000.wav",
                                         "g1.00001.wav"};
  const auto a = ds::assign_groups(g, rows);
  EXPECT_EQ(a.group_of_row, (std::vector<int>{0, 0, 0, 1, 2}));
  EXPECT_EQ(a.groups, 2u);
  EXPECT_EQ(a.rows_without_group, 1u);
  EXPECT_EQ(a.entries_without_rows, 1u);
}

}  // namespace

// Predefined split lists: parsing (prefix or not, CRLF, comments, malformed lines, duplicates),
// the built-in fault-filtered lists against the shared copy, and matching to rows (segments follow
// their track, left-out rows and entries without rows counted, an empty part refused).
#include "dataset/split_lists.h"

#include <gtest/gtest.h>

#include <fstream>

#include "dataset/feature_table.h"
#include "support/test_data.h"
#include "util/error.h"

namespace {

namespace ds = genrelab::dataset;
namespace fs = std::filesystem;

void write_list(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

fs::path split_dir(const std::string& name, const std::string& train, const std::string& valid,
                   const std::string& test) {
  const auto dir = genrelab::test::temp_dir(name);
  write_list(dir / "train.txt", train);
  write_list(dir / "valid.txt", valid);
  write_list(dir / "test.txt", test);
  return dir;
}

TEST(SplitLists, ParsesPrefixesLineEndingsAndComments) {
  const auto e = ds::parse_split_list(
      "\xEF\xBB\xBF# a comment\r\nblues/blues.00001.wav\r\n\r\n  jazz.00002.wav  \rrock/rock.00003.au\n"
      "classical/classical.00004.2.wav",
      "x.txt");
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].label, "blues");
  EXPECT_EQ(e[0].track_id, "blues.00001");
  EXPECT_EQ(e[0].line, 2);
  EXPECT_EQ(e[1].label, "");
  EXPECT_EQ(e[1].track_id, "jazz.00002");
  EXPECT_EQ(e[1].line, 4);
  EXPECT_EQ(e[2].track_id, "rock.00003");
  EXPECT_EQ(e[2].line, 5);
  EXPECT_EQ(e[3].track_id, "classical.00004");  // a 3-s segment names its track
}

TEST(SplitLists, MalformedLinesNameFileAndLine) {
  const auto message = [](std::string_view text) {
    try {
      ds::parse_split_list(text, "lists/valid.txt");
    } catch (const genrelab::TableError& e) {
      return std::to_string(e.line()) + " " + e.what();
    }
    return std::string("no error");
  };
  EXPECT_NE(message("a.wav\nx/y/z.wav\n").find("2 lists/valid.txt: line 2: expected <label>/<file name>"),
            std::string::npos);
  EXPECT_NE(message("blues/\n").find("line 1: no file name"), std::string::npos);
  EXPECT_NE(message("/blues.00000.wav\n").find("empty label"), std::string::npos);
  EXPECT_NE(message("a\\b.wav\n").find("backslash"), std::string::npos);
  EXPECT_NE(message("a\tb.wav\n").find("control character"), std::string::npos);
  EXPECT_NE(message("blues/blues.00000.wav\n\nblues/blues.00000.wav\n").find("line 3: track listed twice"),
            std::string::npos);
}

TEST(SplitLists, ReadsAFolderAndRefusesATrackInTwoParts) {
  const auto dir = split_dir("split-ok", "g0/g0.00000.wav\ng1/g1.00000.wav\n", "g0/g0.00001.wav\r\n", "g1.00001.wav");
  const auto lists = ds::read_split_lists(dir);
  EXPECT_EQ(lists.name, dir.filename().string());  // the folder's name
  EXPECT_EQ(lists.parts[0].size(), 2u);
  EXPECT_EQ(lists.parts[1].size(), 1u);
  EXPECT_EQ(lists.parts[2].size(), 1u);
  EXPECT_FALSE(lists.artist_disjoint());

  const auto twice =
      split_dir("split-twice", "g0/g0.00000.wav\n", "g0/g0.00001.wav\ng0/g0.00000.wav\n", "g1.00001.wav");
  try {
    ds::read_split_lists(twice);
    FAIL() << "a track in two lists was accepted";
  } catch (const genrelab::TableError& e) {
    EXPECT_NE(std::string(e.what()).find("valid.txt: line 2: 'g0/g0.00000.wav' is also listed in"), std::string::npos)
        << e.what();
  }
  const auto missing = genrelab::test::temp_dir("split-missing");
  write_list(missing / "train.txt", "a.wav\n");
  EXPECT_THROW(ds::read_split_lists(missing), genrelab::FileError);
  EXPECT_THROW(ds::read_split_lists(missing / "nope"), genrelab::FileError);
}

TEST(SplitLists, BuiltInFaultFilteredMatchesTheSharedLists) {
  const auto lists = ds::builtin_split("fault-filtered");
  ASSERT_TRUE(lists);
  EXPECT_TRUE(lists->artist_disjoint());
  EXPECT_EQ(lists->parts[0].size(), 443u);
  EXPECT_EQ(lists->parts[1].size(), 197u);
  EXPECT_EQ(lists->parts[2].size(), 290u);
  EXPECT_EQ(lists->list_name(ds::SplitPart::valid), "fault-filtered/valid.txt");
  EXPECT_FALSE(ds::builtin_split("no-such-split"));
  EXPECT_EQ(ds::load_split("fault-filtered").parts[2].size(), 290u);
  const auto dir = genrelab::test::gtzan_dir();
  if (!dir || !fs::exists(*dir / "splits/fault-filtered")) GTEST_SKIP() << "shared split lists not found";
  const auto shared = ds::read_split_lists(*dir / "splits/fault-filtered");
  for (int p = 0; p < ds::kSplitParts; ++p) {
    ASSERT_EQ(shared.parts[static_cast<std::size_t>(p)].size(), lists->parts[static_cast<std::size_t>(p)].size());
    for (std::size_t i = 0; i < shared.parts[static_cast<std::size_t>(p)].size(); ++i)
      EXPECT_EQ(shared.parts[static_cast<std::size_t>(p)][i].text, lists->parts[static_cast<std::size_t>(p)][i].text);
  }
}

TEST(SplitLists, AssignsRowsBySegmentTrackAndLabel) {
  const auto dir = split_dir("split-assign", "g0/g0.00000.wav\ng1/g1.00000.wav\n", "g0.00001.wav\n",
                             "g1/g1.00001.wav\ng1/g1.00009.wav\nwrong/g0.00002.wav\n");
  const auto lists = ds::read_split_lists(dir);
  const std::vector<std::string> names = {"g0.00000.0.wav", "g0.00000.1.wav", "g1.00000.wav", "g0.00001.wav",
                                          "g1.00001.wav",   "g0.00002.wav",   "g0.00003.wav"};
  const std::vector<std::string> labels = {"g0", "g0", "g1", "g0", "g1", "g0", "g0"};
  const auto a = ds::assign_split(lists, names, labels);
  EXPECT_EQ(a.part_of_row, (std::vector<int>{0, 0, 0, 1, 2, -1, -1}));
  EXPECT_EQ(a.rows[0], 3u);
  EXPECT_EQ(a.tracks[0], 2u);
  EXPECT_EQ(a.rows_left_out, 2u);            // g0.00002 (its entry has another label) and g0.00003 (no entry)
  EXPECT_EQ(a.entries_without_rows[2], 2u);  // g1.00009 and wrong/g0.00002
  EXPECT_EQ(a.entries_without_rows_total(), 2u);
  ASSERT_EQ(a.missing_examples.size(), 2u);
  EXPECT_NE(a.missing_examples[0].find("test.txt:2 g1/g1.00009.wav"), std::string::npos) << a.missing_examples[0];
  const auto text = ds::describe(a);
  EXPECT_NE(text.find("train 3, valid 1, test 1 rows (tracks 2/1/1); 2 rows in no list; 2 list entries without a row"),
            std::string::npos)
      << text;

  const std::vector<std::string> no_test = {"g0.00000.wav", "g0.00001.wav"};
  const std::vector<std::string> no_test_labels = {"g0", "g0"};
  try {
    ds::assign_split(lists, no_test, no_test_labels);
    FAIL() << "a part without rows was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("test.txt: no row or file of the data is in this list"), std::string::npos)
        << e.what();
  }
}

TEST(SplitLists, FaultFilteredOnTheKaggleTable) {
  GENRELAB_REQUIRE_GTZAN(dir);
  const auto table = ds::read_feature_table(dir / "features_30_sec.csv");
  const auto a = ds::assign_split(*ds::builtin_split("fault-filtered"), table.filenames, table.labels);
  EXPECT_EQ(a.rows[0], 443u);
  EXPECT_EQ(a.rows[1], 197u);
  EXPECT_EQ(a.rows[2], 290u);
  EXPECT_EQ(a.rows_left_out, 70u);
  EXPECT_EQ(a.entries_without_rows_total(), 0u);
}

}  // namespace

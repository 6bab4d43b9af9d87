#include "dataset/feature_table.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "dataset/kaggle_schema.h"
#include "support/hostile_files.h"
#include "support/test_data.h"
#include "util/error.h"
#include "util/float_format.h"

using namespace genrelab;
using genrelab::test::hostile::slurp;
namespace fs = std::filesystem;

namespace {

std::string header_line() {
  std::string h = "filename,length";
  for (const auto n : dataset::kFeatureNames) h += "," + std::string(n);
  return h + ",label";
}

std::string numbers_row(const std::string& filename, const std::string& label, const std::string& override_cell = "",
                        std::size_t override_index = 999) {
  std::string row = filename + ",661794";
  for (std::size_t i = 0; i < dataset::kFeatureCount; ++i)
    row += "," + (i == override_index ? override_cell : std::to_string(i) + ".5");
  return row + "," + label;
}

void expect_table_error(const fs::path& path, const std::string& needle) {
  try {
    dataset::read_feature_table(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(FloatFormat, MatchesPythonRepr) {
  // Expected strings are Python 3 repr() outputs.
  EXPECT_EQ(python_float_repr(0.0), "0.0");
  EXPECT_EQ(python_float_repr(123.046875), "123.046875");
  EXPECT_EQ(python_float_repr(120.0), "120.0");
  EXPECT_EQ(python_float_repr(-4.529725629254244e-05), "-4.529725629254244e-05");
  EXPECT_EQ(python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(python_float_repr(1e16), "1e+16");
  EXPECT_EQ(python_float_repr(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(python_float_repr(0.1), "0.1");
  EXPECT_EQ(python_float_repr(129774.0644146106), "129774.0644146106");
  EXPECT_EQ(python_float_repr(0.35008812f), "0.35008811950683594");  // the CSV's chroma_stft_mean of blues.00000
}

TEST(TrackKey, ParsesClipsAndSegments) {
  EXPECT_EQ(dataset::parse_track_key("blues.00000.wav").track_id, "blues.00000");
  EXPECT_EQ(dataset::parse_track_key("blues.00000.wav").segment, -1);
  const auto seg = dataset::parse_track_key("rock.00027.8.wav");
  EXPECT_EQ(seg.track_id, "rock.00027");
  EXPECT_EQ(seg.segment, 8);
  EXPECT_EQ(dataset::parse_track_key("my song.mp3").track_id, "my song");
  EXPECT_EQ(dataset::parse_track_key("dir/jazz.00054.wav").track_id, "jazz.00054");
}

TEST(FeatureTable, ReadsKaggle30sTable) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto t = dataset::read_feature_table(gtzan / "features_30_sec.csv");
  ASSERT_EQ(t.rows(), 1000u);
  ASSERT_EQ(t.cols(), 57u);
  EXPECT_EQ(t.filenames[0], "blues.00000.wav");
  EXPECT_EQ(t.lengths[0], 661794);
  EXPECT_EQ(t.labels[0], "blues");  // no stray '\r' from the CRLF line ends
  EXPECT_EQ(t.at(0, 0), 0.35008811950683594);
  EXPECT_EQ(t.at(0, 16), 123.046875);
  EXPECT_EQ(t.label_names().size(), 10u);
}

TEST(FeatureTable, ReadsKaggle3sSubsetAndGroupsSegments) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto t = dataset::read_feature_table(gtzan / "features_3_sec_subset_classical_jazz_rock.csv");
  ASSERT_EQ(t.rows(), 2996u);
  std::map<std::string, int> segments;
  for (const auto& f : t.filenames) ++segments[dataset::parse_track_key(f).track_id];
  EXPECT_EQ(segments.size(), 300u);
  EXPECT_EQ(segments["classical.00049"], 9);  // README: 9 segments
  EXPECT_EQ(segments["jazz.00000"], 10);
}

TEST(FeatureTable, WritingTheKaggleTableReproducesItsText) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  // Every one of the 57,000 numbers must print exactly as pandas wrote it (Python repr).
  const auto t = dataset::read_feature_table(gtzan / "features_30_sec.csv");
  const auto out = test::temp_dir("table-write") / "copy.csv";
  dataset::write_feature_table(out, t);
  std::string original = slurp(gtzan / "features_30_sec.csv");
  std::string crlf_free;
  for (char c : original)
    if (c != '\r') crlf_free += c;
  EXPECT_EQ(slurp(out), crlf_free);
}

TEST(FeatureTable, LineEndingsBomAndQuotes) {
  const auto dir = test::temp_dir("table-endings");
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    const auto p = dir / "t.csv";
    std::ofstream(p, std::ios::binary) << "\xEF\xBB\xBF" << header_line() << eol << numbers_row("\"a.wav\"", "rock")
                                       << eol << eol << numbers_row("b.wav", "\"jazz\"") << eol;
    const auto t = dataset::read_feature_table(p);
    ASSERT_EQ(t.rows(), 2u);
    EXPECT_EQ(t.filenames[0], "a.wav");
    EXPECT_EQ(t.labels[1], "jazz");
    EXPECT_EQ(t.at(1, 56), 56.5);
  }
}

TEST(FeatureTable, BadTablesNameFileLineAndColumn) {
  const auto dir = test::temp_dir("table-bad");
  std::ofstream(dir / "empty.csv").close();
  expect_table_error(dir / "empty.csv", "empty table");
  expect_table_error(dir / "missing.csv", "does not exist");

  std::string h = header_line();
  std::string no_tempo = h;
  no_tempo.erase(no_tempo.find(",tempo"), 6);
  std::ofstream(dir / "schema.csv") << no_tempo << "\n";
  expect_table_error(dir / "schema.csv", "missing column 'tempo'");

  std::ofstream(dir / "cell.csv") << h << "\n"
                                  << numbers_row("a.wav", "rock") << "\n"
                                  << numbers_row("b.wav", "rock", "abc", 16) << "\n";
  expect_table_error(dir / "cell.csv", "line 3, column 'tempo': not a number: 'abc'");

  std::ofstream(dir / "nan.csv") << h << "\n" << numbers_row("a.wav", "rock", "nan", 3) << "\n";
  expect_table_error(dir / "nan.csv", "column 'rms_var': non-finite");

  std::ofstream(dir / "short.csv") << h << "\n"
                                   << "a.wav,1,2,3\n";
  expect_table_error(dir / "short.csv", "line 2: expected 60 cells, found 4");

  std::ofstream(dir / "label.csv") << h << "\n" << numbers_row("a.wav", "") << "\n";
  expect_table_error(dir / "label.csv", "empty label");
}

TEST(FeatureTable, GenericSchemaWhenAsked) {
  const auto dir = test::temp_dir("table-generic");
  std::ofstream(dir / "g.csv") << "filename,length,a,b,label\nx.wav,10,1.5,2,pop\n";
  EXPECT_THROW(dataset::read_feature_table(dir / "g.csv"), TableError);
  const auto t = dataset::read_feature_table(dir / "g.csv", {.require_kaggle_schema = false});
  EXPECT_EQ(t.feature_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.at(0, 1), 2.0);
  dataset::write_feature_table(dir / "g2.csv", t);
  EXPECT_EQ(slurp(dir / "g2.csv"), "filename,length,a,b,label\nx.wav,10,1.5,2.0,pop\n");
}

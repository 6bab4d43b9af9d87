// genrelab-cli similar on the shared GTZAN data: a clip finds its own Kaggle row first.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/test_data.h"

using nlohmann::json;
namespace fs = std::filesystem;
using namespace genrelab::test::cli;

TEST(CliSimilar, ClipFindsItsOwnKaggleRowFirst) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto song = gtzan / "genres_original/classical/classical.00000.wav";
  const auto j =
      run_json({"similar", song.string(), "--table", (gtzan / "features_30_sec.csv").string(), "--top", "5", "--json"});
  EXPECT_EQ(j["table_rows"], 1000);
  EXPECT_EQ(j["columns_used"], 57);
  ASSERT_EQ(j["songs"].size(), 1u);
  const auto& s = j["songs"][0];
  ASSERT_FALSE(s.contains("error")) << s.dump();
  const auto& rows = s["similar"];
  ASSERT_EQ(rows.size(), 5u);
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_GE(rows[i - 1]["similarity"].get<double>(), rows[i]["similarity"].get<double>());
  EXPECT_EQ(rows[0]["file"], "classical.00000.wav");
  EXPECT_EQ(rows[0]["genre"], "classical");
  // Our extraction matches librosa's to about 1e-5 relative (cli_test's parity bar), so the
  // standardised vectors of the clip and its Kaggle row are nearly parallel.
  EXPECT_GT(rows[0]["similarity"].get<double>(), 0.99);
  // A 30-s clip is one window: the whole clip, as the table's rows are.
  ASSERT_EQ(s["windows"].size(), 1u);
  EXPECT_EQ(s["windows"][0]["start_s"], 0.0);

  // --exclude-self leaves the clip's own row out.
  const auto x = run_json({"similar", song.string(), "--table", (gtzan / "features_30_sec.csv").string(), "--top", "3",
                           "--exclude-self", "--json"});
  ASSERT_EQ(x["songs"][0]["similar"].size(), 3u);
  for (const auto& r : x["songs"][0]["similar"]) EXPECT_NE(r["file"], "classical.00000.wav");
  EXPECT_EQ(x["songs"][0]["similar"][0]["file"], rows[1]["file"]);
}

TEST(CliSimilar, LongSongIsCutIntoWindows) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  // A 30.01-s clip with 10-s windows: three back to back, and one more ending at the end.
  const auto j = run_json({"similar", (gtzan / "genres_original/classical/classical.00000.wav").string(), "--table",
                           (gtzan / "features_30_sec.csv").string(), "--top", "4", "--window-seconds", "10", "--json"});
  const auto& s = j["songs"][0];
  ASSERT_EQ(s["windows"].size(), 4u) << s.dump();
  EXPECT_DOUBLE_EQ(s["windows"][1]["start_s"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(s["windows"][3]["end_s"].get<double>(), s["duration_s"].get<double>());
  for (const auto& w : s["windows"]) EXPECT_EQ(w["similar"].size(), 4u);
  EXPECT_EQ(s["similar"].size(), 4u);
}

TEST(CliSimilar, DefaultTableAndTextOutput) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto r = run({"similar", (gtzan / "genres_original/classical/classical.00000.wav").string(), "--top", "5"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("rank"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("classical.00000.wav"), std::string::npos) << r.out;
}

TEST(CliSimilar, BadSongsAreNamedAndOthersGoOn) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const std::string table = (gtzan / "features_30_sec.csv").string();
  const auto missing = run_json({"similar", "/no/such/song.wav", "--table", table, "--json"}, 1);
  ASSERT_EQ(missing["songs"].size(), 1u);
  EXPECT_NE(missing["songs"][0]["error"].get<std::string>().find("/no/such/song.wav"), std::string::npos);

  const auto bad = gtzan / "known_bad/jazz.00054.wav";
  const auto good = gtzan / "genres_original/jazz/jazz.00000.wav";
  const auto mixed = run_json({"similar", bad.string(), good.string(), "--table", table, "--top", "2", "--json"});
  ASSERT_EQ(mixed["songs"].size(), 2u);
  EXPECT_NE(mixed["songs"][0]["error"].get<std::string>().find("jazz.00054.wav"), std::string::npos);
  EXPECT_EQ(mixed["songs"][1]["similar"].size(), 2u);
}

TEST(CliSimilar, TablesAndSongsItCannotCompare) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto dir = genrelab::test::temp_dir("cli-similar");
  const auto csv = dir / "odd.csv";
  std::ofstream(csv) << "filename,length,not_a_feature,label\na.00000.wav,661794,1.5,x\nb.00000.wav,661794,2.5,y\n";
  const auto song = (gtzan / "genres_original/classical/classical.00000.wav").string();
  const auto j = run_json({"similar", song, "--table", csv.string(), "--json"}, 1);
  const std::string error = j["error"];
  EXPECT_NE(error.find("odd.csv"), std::string::npos) << error;
  EXPECT_NE(error.find("not_a_feature"), std::string::npos) << error;
  // A 30-s clip against 100-s windows is less than half a window: refused, naming the file.
  const auto s = run_json(
      {"similar", song, "--table", (gtzan / "features_30_sec.csv").string(), "--window-seconds", "100", "--json"}, 1);
  const std::string too_short = s["songs"][0]["error"];
  EXPECT_NE(too_short.find("classical.00000.wav"), std::string::npos) << too_short;
  EXPECT_NE(too_short.find("too short"), std::string::npos) << too_short;
}

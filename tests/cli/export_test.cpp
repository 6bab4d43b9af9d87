// genrelab-cli export: every EDA figure in every format from the Kaggle table, and mel from audio.
#include <gtest/gtest.h>

#include <fstream>

#include "support/cli_run.h"
#include "support/test_data.h"

namespace fs = std::filesystem;
using namespace genrelab::test::cli;

namespace {

std::string head(const fs::path& p, std::size_t n) {
  std::ifstream in(p, std::ios::binary);
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  return s;
}

}  // namespace

TEST(CliExport, AllFourEdaFiguresInAllFormats) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto dir = genrelab::test::temp_dir("cli-export");
  const auto table = (gtzan / "features_30_sec.csv").string();
  for (const std::string figure : {"kde", "correlation", "pca", "similarity"})
    for (const std::string ext : {"png", "svg", "pdf"}) {
      const auto out = dir / (figure + "." + ext);
      const auto j = run_json({"export", table, "--figure", figure, "-o", out.string(), "--json"});
      EXPECT_EQ(j["figure"], figure);
      ASSERT_TRUE(fs::exists(out)) << out;
      EXPECT_GT(fs::file_size(out), 5000u) << out;
      const std::string magic = ext == "png" ? "\x89PNG" : ext == "pdf" ? "%PDF-" : "<svg";
      EXPECT_NE(head(out, 400).find(magic), std::string::npos) << out;
    }
  const auto kde = run_json(
      {"export", table, "--figure", "kde", "--feature", "tempo", "-o", (dir / "tempo.png").string(), "--json"});
  EXPECT_NE(kde["title"].get<std::string>().find("tempo"), std::string::npos);
}

TEST(CliExport, MelFromAudioAndClearErrors) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto dir = genrelab::test::temp_dir("cli-export-mel");
  const auto j =
      run_json({"export", "--figure", "mel", "--audio", (gtzan / "genres_original/rock/rock.00000.wav").string(), "-o",
                (dir / "mel.pdf").string(), "--json"});
  EXPECT_NE(j["title"].get<std::string>().find("rock.00000.wav"), std::string::npos);
  const auto bad_audio =
      run_json({"export", "--figure", "mel", "--audio", (gtzan / "known_bad/jazz.00054.wav").string(), "-o",
                (dir / "bad.png").string(), "--json"},
               1);
  EXPECT_NE(bad_audio["error"].get<std::string>().find("not a decodable"), std::string::npos);
  const auto bad_feature = run_json({"export", (gtzan / "features_30_sec.csv").string(), "--figure", "kde", "--feature",
                                     "nope", "-o", (dir / "x.png").string(), "--json"},
                                    1);
  EXPECT_NE(bad_feature["error"].get<std::string>().find("no feature 'nope'"), std::string::npos);
  const auto bad_ext = run_json(
      {"export", (gtzan / "features_30_sec.csv").string(), "--figure", "pca", "-o", (dir / "x.gif").string(), "--json"},
      1);
  EXPECT_NE(bad_ext["error"].get<std::string>().find("unknown figure format"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "bad.png"));
}

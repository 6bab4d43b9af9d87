// The command-line tool on hostile folders (issue 10): file names that are not valid UTF-8 used to
// abort `info --json` and `extract` (its JSON sidecar) with an uncaught nlohmann::json type_error,
// after all the extraction work was done.
#include <gtest/gtest.h>

#include <fstream>

#include "support/cli_run.h"
#include "support/hostile_files.h"
#include "support/test_data.h"

namespace cli = genrelab::test::cli;
namespace fs = std::filesystem;
using namespace genrelab::test::hostile;

TEST(CliHostile, InvalidUtf8FileNamesNeitherAbortNorLoseTheTable) {
  const auto dir = genrelab::test::temp_dir("cli-utf8");
  fs::create_directories(dir / "ds/rock");
  const int sr = 22050;
  write_bytes(dir / "ds/rock/good.wav", wav_bytes(tone(sr, sr), sr, 1));
  write_bytes(dir / "ds/rock" / std::string("latin1 caf\xE9.wav"), wav_bytes(tone(sr, sr), sr, 1));
  write_bytes(dir / "ds/rock" / std::string("broken \xFF\xFE.wav"), "not audio");
  const auto info = cli::run_json({"info", "--json", (dir / "ds").string()});
  EXPECT_FALSE(info.is_null());
  const auto out = dir / "t.csv";
  const auto r = cli::run({"extract", (dir / "ds").string(), "-o", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::ifstream csv(out);
  std::string line;
  int lines = 0;
  while (std::getline(csv, line)) ++lines;
  EXPECT_EQ(lines, 3);  // header + two readable files
  std::ifstream sidecar(dir / "t.csv.json");
  const auto j = nlohmann::json::parse(sidecar);
  ASSERT_EQ(j.at("failures").size(), 1u);
  EXPECT_NE(j["failures"][0]["file"].get<std::string>().find("broken"), std::string::npos);  // invalid bytes replaced
  fs::remove_all(dir);
}

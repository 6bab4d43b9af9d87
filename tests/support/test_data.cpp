#include "support/test_data.h"

#include <unistd.h>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <vector>

namespace genrelab::test {

std::optional<std::filesystem::path> gtzan_dir() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("GENRELAB_DATA"); env && *env) dir = env;
  else dir = GENRELAB_DEFAULT_DATA;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir / "genres_original", ec)) return std::nullopt;
  return std::filesystem::weakly_canonical(dir, ec);
}

std::optional<std::filesystem::path> librosa_ref_dir() {
  const auto gtzan = gtzan_dir();
  if (!gtzan) return std::nullopt;
  const auto dir = gtzan->parent_path() / "librosa-0.7.2";
  if (!std::filesystem::is_directory(dir)) return std::nullopt;
  return dir;
}

const nlohmann::json& blues_reference() {
  static const nlohmann::json json = [] {
    const auto dir = librosa_ref_dir();
    if (!dir) return nlohmann::json();
    std::ifstream in(*dir / "blues.00000.json");
    if (!in) return nlohmann::json();
    return nlohmann::json::parse(in);
  }();
  return json;
}

namespace {

/// Removes the folders temp_dir() made when the test program ends (unless
/// GENRELAB_KEEP_TEST_FILES is set, to look at them).
struct TempDirs {
  std::mutex mutex;
  std::vector<std::filesystem::path> made;
  ~TempDirs() {
    if (std::getenv("GENRELAB_KEEP_TEST_FILES")) return;
    std::error_code ec;
    for (const auto& d : made) std::filesystem::remove_all(d, ec);
  }
};

}  // namespace

std::filesystem::path temp_dir(const std::string& name) {
  static TempDirs dirs;
  const auto dir =
      std::filesystem::temp_directory_path() / ("genrelab-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::lock_guard lock(dirs.mutex);
  dirs.made.push_back(dir);
  return dir;
}

}  // namespace genrelab::test

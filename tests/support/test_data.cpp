#include "support/test_data.h"

#include <cstdlib>
#include <fstream>
#include <unistd.h>

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

std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("genrelab-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace genrelab::test

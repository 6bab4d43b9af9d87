#include "dataset/default_location.h"

#include <cstdlib>

namespace genrelab::dataset {

std::optional<std::filesystem::path> default_dataset_dir() {
  if (const char* env = std::getenv("GENRELAB_DATA"); env && *env) return std::filesystem::path(env);
  std::error_code ec;
  for (const std::filesystem::path& base :
       {std::filesystem::path(GENRELAB_SOURCE_DIR), std::filesystem::current_path(ec)}) {
    const auto candidate = base / ".." / "shared" / "data" / "gtzan";
    if (std::filesystem::is_directory(candidate, ec)) return std::filesystem::weakly_canonical(candidate, ec);
  }
  return std::nullopt;
}

std::filesystem::path cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "genrelab";
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".cache" / "genrelab";
  return std::filesystem::temp_directory_path() / "genrelab-cache";
}

}  // namespace genrelab::dataset

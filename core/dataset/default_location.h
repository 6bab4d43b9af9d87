// Where GenreLab looks for data when the user names none.
#pragma once

#include <filesystem>
#include <optional>

namespace genrelab::dataset {

/// GENRELAB_DATA when set (even if missing: the caller reports it), else the shared GTZAN subset
/// at ../shared/data/gtzan beside the source tree or the current folder when it exists, else nullopt.
std::optional<std::filesystem::path> default_dataset_dir();

/// Per-user cache folder for generated data ($XDG_CACHE_HOME/genrelab or ~/.cache/genrelab).
std::filesystem::path cache_dir();

}  // namespace genrelab::dataset

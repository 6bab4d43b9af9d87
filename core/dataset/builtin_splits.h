// The built-in split lists (resources/splits/<name>/{train,valid,test}.txt), compiled in by CMake
// (core/dataset/builtin_splits.cpp.in). Internal to split_lists.cpp.
#pragma once

#include <string_view>

namespace genrelab::dataset::detail {

/// The text of list `part` (0 train, 1 valid, 2 test) of the built-in split `name`; empty when
/// there is no such split.
std::string_view builtin_split_text(std::string_view name, int part) noexcept;

}  // namespace genrelab::dataset::detail

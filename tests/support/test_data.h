// Locations of the shared reference data for tests (never copied into the repo).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace genrelab::test {

/// GENRELAB_DATA, else ../shared/data/gtzan beside the project root; nullopt when absent.
std::optional<std::filesystem::path> gtzan_dir();
/// ../librosa-0.7.2 beside the GTZAN folder (librosa's reference outputs); nullopt when absent.
std::optional<std::filesystem::path> librosa_ref_dir();
/// blues.00000.json from librosa_ref_dir(), parsed once (null json when absent).
const nlohmann::json& blues_reference();
/// A fresh empty temporary folder, removed when the test program ends (kept with
/// GENRELAB_KEEP_TEST_FILES=1).
std::filesystem::path temp_dir(const std::string& name);

}  // namespace genrelab::test

/// Skips the current test with a clear message when the shared GTZAN data is absent.
#define GENRELAB_REQUIRE_GTZAN(dir)                                                  \
  const auto dir##_opt = ::genrelab::test::gtzan_dir();                              \
  if (!dir##_opt) GTEST_SKIP() << "shared GTZAN data not found (set GENRELAB_DATA)"; \
  const std::filesystem::path dir = *dir##_opt

/// The Qt Test form: declares the optional `dir`, or skips the test (QSKIP must stand in the test
/// function itself, hence a macro).
#define GENRELAB_GTZAN_OR_QSKIP(dir)              \
  const auto dir = ::genrelab::test::gtzan_dir(); \
  if (!dir) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)")

#define GENRELAB_REQUIRE_LIBROSA_REF(var)                                                 \
  if (::genrelab::test::blues_reference().is_null())                                      \
    GTEST_SKIP() << "librosa reference outputs not found (../shared/data/librosa-0.7.2)"; \
  const nlohmann::json& var = ::genrelab::test::blues_reference()

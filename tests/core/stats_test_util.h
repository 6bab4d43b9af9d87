// Shared fixtures of the core/stats tests: the numpy/scipy/scikit-learn reference values in
// tests/data/stats_reference.json (made by scripts/reference/stats_reference.py from the shared
// features_30_sec.csv) and the shared GTZAN tables as LabeledMatrix, each loaded once.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataset/feature_table.h"
#include "stats/feature_matrix.h"
#include "support/test_data.h"

namespace genrelab::test {

/// tests/data/stats_reference.json. (Not found through __FILE__: with ccache's base_dir it is a
/// path relative to the build folder, which the tests do not run in.)
inline const nlohmann::json& stats_reference() {
  static const nlohmann::json ref = [] {
    const auto path = std::filesystem::path(GENRELAB_TEST_SOURCE_DIR) / "data" / "stats_reference.json";
    std::ifstream in(path);
    if (!in) return nlohmann::json();
    return nlohmann::json::parse(in);
  }();
  return ref;
}

/// features_30_sec.csv as a LabeledMatrix, or nullopt without the shared data.
inline const std::optional<stats::LabeledMatrix>& gtzan_30s() {
  static const std::optional<stats::LabeledMatrix> m = []() -> std::optional<stats::LabeledMatrix> {
    const auto dir = gtzan_dir();
    if (!dir) return std::nullopt;
    return stats::to_labeled_matrix(dataset::read_feature_table(*dir / "features_30_sec.csv"));
  }();
  return m;
}

/// The 3-second subset (classical, jazz, rock), or nullopt.
inline const std::optional<stats::LabeledMatrix>& gtzan_3s_subset() {
  static const std::optional<stats::LabeledMatrix> m = []() -> std::optional<stats::LabeledMatrix> {
    const auto dir = gtzan_dir();
    if (!dir || !std::filesystem::exists(*dir / "features_3_sec_subset_classical_jazz_rock.csv")) return std::nullopt;
    return stats::to_labeled_matrix(
        dataset::read_feature_table(*dir / "features_3_sec_subset_classical_jazz_rock.csv"));
  }();
  return m;
}

inline std::vector<double> to_doubles(const nlohmann::json& j) { return j.get<std::vector<double>>(); }

}  // namespace genrelab::test

/// Skips unless both the shared GTZAN table and the reference JSON are present.
#define GENRELAB_REQUIRE_STATS_REF(m, ref)                                                                  \
  if (!::genrelab::test::gtzan_30s()) GTEST_SKIP() << "shared GTZAN data not found (set GENRELAB_DATA)";    \
  ASSERT_FALSE(::genrelab::test::stats_reference().is_null()) << "tests/data/stats_reference.json missing"; \
  const auto& m = *::genrelab::test::gtzan_30s();                                                           \
  const auto& ref = ::genrelab::test::stats_reference()

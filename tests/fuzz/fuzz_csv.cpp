// libFuzzer target: the feature-table CSV reader (read_feature_table, count_table_rows).
// A table must load or throw FileError/TableError; anything else (a crash, another exception,
// a sanitizer report) is a finding. The first byte picks the schema mode.
#include <cstdint>

#include "dataset/feature_table.h"
#include "fuzz_util.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool kaggle = (data[0] & 1) != 0;
  const auto path = genrelab::fuzz::input_file(data + 1, size - 1, ".csv");
  try {
    const auto table = genrelab::dataset::read_feature_table(path, {.require_kaggle_schema = kaggle});
    if (table.values.size() != table.rows() * table.cols()) __builtin_trap();
    if (table.rows() != genrelab::dataset::count_table_rows(path)) __builtin_trap();
  } catch (const genrelab::FileError&) {}
  try {
    (void)genrelab::dataset::count_table_rows(path);
  } catch (const genrelab::FileError&) {}
  return 0;
}

// libFuzzer target: the model bundle loader (ml::load_bundle: header, JSON metadata, weight table,
// consistency checks). Even-sized inputs get their trailing FNV-1a checksum recomputed first, so
// that mutations reach the metadata parser instead of stopping at the checksum. A bundle must
// load or throw FileError; anything else is a finding.
#include <cstdint>
#include <vector>

#include "fuzz_util.h"
#include "ml/model_bundle.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  if (size >= 8 && size % 2 == 0) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i + 8 < size; ++i) h = (h ^ bytes[i]) * 0x100000001b3ULL;
    for (int i = 0; i < 8; ++i) bytes[size - 8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h >> (8 * i));
  }
  const auto path = genrelab::fuzz::input_file(bytes.data(), bytes.size(), ".glmodel");
  try {
    const auto bundle = genrelab::ml::load_bundle(path);
    bundle.validate();
  } catch (const genrelab::FileError&) {}
  return 0;
}

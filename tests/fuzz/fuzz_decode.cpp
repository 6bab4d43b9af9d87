// libFuzzer target: audio decoding (libsndfile + soxr through audio::MonoReader) of arbitrary
// bytes, to 22050 Hz as every feature needs. A file must decode or throw FileError; anything else
// is a finding. Decoding stops after 4 M samples so that one input cannot take minutes.
#include <array>
#include <cmath>
#include <cstdint>

#include "audio/decode.h"
#include "fuzz_util.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = genrelab::fuzz::input_file(data, size, ".wav");
  try {
    (void)genrelab::audio::probe(path);
    auto reader = genrelab::audio::MonoReader::open(path, genrelab::audio::kDefaultSampleRate);
    std::array<float, 4096> chunk;
    std::size_t total = 0;
    for (std::size_t n; (n = reader.read(chunk)) > 0 && total < (std::size_t{1} << 22);) {
      for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(chunk[i])) __builtin_trap();  // the reader promises finite samples
      total += n;
    }
  } catch (const genrelab::FileError&) {}
  return 0;
}

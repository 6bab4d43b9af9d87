#include "util/content_hash.h"

#include <gtest/gtest.h>

#include <fstream>
#include <numeric>
#include <vector>

#include "support/test_data.h"
#include "util/error.h"

using namespace genrelab;

TEST(ContentHash, SplitsDoNotMatterOneBitDoes) {
  std::vector<std::byte> bytes(1000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i * 7 + 3);
  const auto whole = content_hash(bytes);
  for (const std::size_t cut : {1u, 13u, 32u, 33u, 999u}) {
    ContentHasher h;
    const std::span<const std::byte> all(bytes);
    h.update(all.first(cut));
    h.update(all.subspan(cut));
    EXPECT_EQ(h.digest(), whole) << cut;
  }
  for (const std::size_t at : {0u, 31u, 500u, 999u}) {  // in a full block and in the tail
    auto flipped = bytes;
    flipped[at] ^= std::byte{1};
    EXPECT_NE(content_hash(flipped), whole) << at;
  }
  EXPECT_NE(content_hash(std::span(bytes).first(999)), whole);  // length counts
  EXPECT_NE(content_hash(std::string_view("")), content_hash(std::string_view(std::string(1, '\0'))));
}

TEST(ContentHash, FileEqualsBufferAndErrorsNameTheFile) {
  const auto dir = test::temp_dir("content-hash");
  std::string text(3 << 20, 'x');  // three 1-MiB reads plus a tail
  text += "tail";
  std::ofstream(dir / "f.bin", std::ios::binary) << text;
  EXPECT_EQ(content_hash_file(dir / "f.bin"), content_hash(std::string_view(text)));
  try {
    content_hash_file(dir / "missing.bin");
    FAIL() << "no exception";
  } catch (const FileError& e) {
    EXPECT_EQ(e.file(), dir / "missing.bin");
  }
}

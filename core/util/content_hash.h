// A fast 64-bit content hash for change detection (not cryptographic): four independent
// multiply-rotate lanes over 32-byte blocks, in the manner of XXH64, so it runs at memory speed.
// Used by the feature store to tell a touched file from a changed one. Thread-safe (pure).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace genrelab {

/// Streaming form: feed bytes in any split, then digest(); equal byte streams give equal digests.
class ContentHasher {
 public:
  void update(std::span<const std::byte> bytes) noexcept;
  std::uint64_t digest() const noexcept;

 private:
  std::uint64_t lanes_[4] = {0x9E3779B185EBCA87ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull,
                             0x85EBCA77C2B2AE63ull};
  unsigned char tail_[32] = {};
  std::size_t tail_size_ = 0;
  std::uint64_t total_ = 0;
};

std::uint64_t content_hash(std::span<const std::byte> bytes) noexcept;
std::uint64_t content_hash(std::string_view text) noexcept;
/// Hash of a file's bytes, read in 1-MiB blocks. Throws FileError naming the file when it cannot be read.
std::uint64_t content_hash_file(const std::filesystem::path& file);

}  // namespace genrelab

#include "util/content_hash.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "util/error.h"

namespace genrelab {
namespace {

constexpr std::uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr std::uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr std::uint64_t kP3 = 0x165667B19E3779F9ull;

constexpr std::uint64_t rotl(std::uint64_t x, int r) noexcept { return (x << r) | (x >> (64 - r)); }

std::uint64_t load64(const unsigned char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);  // native (little-endian) order: digests are compared on the same machine family
  return w;
}

std::uint64_t round(std::uint64_t acc, std::uint64_t w) noexcept { return rotl(acc + w * kP2, 31) * kP1; }

std::uint64_t avalanche(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

}  // namespace

void ContentHasher::update(std::span<const std::byte> bytes) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  total_ += n;
  if (tail_size_ > 0) {
    const std::size_t take = std::min(n, sizeof(tail_) - tail_size_);
    std::memcpy(tail_ + tail_size_, p, take);
    tail_size_ += take;
    p += take;
    n -= take;
    if (tail_size_ < sizeof(tail_)) return;
    for (int l = 0; l < 4; ++l) lanes_[l] = round(lanes_[l], load64(tail_ + 8 * l));
    tail_size_ = 0;
  }
  for (; n >= 32; p += 32, n -= 32)
    for (int l = 0; l < 4; ++l) lanes_[l] = round(lanes_[l], load64(p + 8 * l));
  std::memcpy(tail_, p, n);
  tail_size_ = n;
}

std::uint64_t ContentHasher::digest() const noexcept {
  std::uint64_t h = rotl(lanes_[0], 1) + rotl(lanes_[1], 7) + rotl(lanes_[2], 12) + rotl(lanes_[3], 18);
  h ^= total_ * kP3;
  std::size_t i = 0;
  for (; i + 8 <= tail_size_; i += 8) h = rotl(h ^ round(0, load64(tail_ + i)), 27) * kP1 + kP3;
  for (; i < tail_size_; ++i) h = rotl(h ^ (tail_[i] * kP3), 11) * kP1;
  return avalanche(h);
}

std::uint64_t content_hash(std::span<const std::byte> bytes) noexcept {
  ContentHasher h;
  h.update(bytes);
  return h.digest();
}

std::uint64_t content_hash(std::string_view text) noexcept { return content_hash(std::as_bytes(std::span(text))); }

std::uint64_t content_hash_file(const std::filesystem::path& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!f) throw FileError(file, std::string("cannot read: ") + std::strerror(errno));
  std::vector<std::byte> buffer(1 << 20);
  ContentHasher h;
  for (;;) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), f.get());
    h.update(std::span(buffer.data(), n));
    if (n < buffer.size()) break;
  }
  if (std::ferror(f.get())) throw FileError(file, "read error");
  return h.digest();
}

}  // namespace genrelab

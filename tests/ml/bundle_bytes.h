// Byte-level editing of model bundle files (core/ml/model_bundle.h's layout) for the tests that
// damage them on purpose: little-endian fields, the trailing FNV-1a checksum, the metadata JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace genrelab::test::bundle_bytes {

inline std::uint64_t le(const std::string& b, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)])) << (8 * i);
  return v;
}

inline void set_le(std::string& b, std::size_t at, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}

/// Recomputes the trailing FNV-1a checksum, as a deliberate editor of the file would.
inline void fix_checksum(std::string& b) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i + 8 < b.size(); ++i) h = (h ^ static_cast<unsigned char>(b[i])) * 0x100000001b3ULL;
  set_le(b, b.size() - 8, h, 8);
}

/// Replaces the metadata text (any bytes) and keeps sizes and checksum consistent.
inline std::string with_metadata_text(const std::string& bytes, const std::string& text) {
  const std::size_t meta_len = le(bytes, 16);
  std::string out = bytes.substr(0, 24);
  set_le(out, 16, text.size(), 8);
  out += text + bytes.substr(24 + meta_len);
  fix_checksum(out);
  return out;
}

/// Edits the metadata JSON of a bundle file and keeps it otherwise valid.
inline std::string edit_metadata(const std::string& bytes, const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json meta = nlohmann::json::parse(bytes.substr(24, le(bytes, 16)));
  edit(meta);
  return with_metadata_text(bytes, meta.dump());
}

}  // namespace genrelab::test::bundle_bytes

// Shared by the libFuzzer targets: the input as a file (the readers under test take paths).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace genrelab::fuzz {

/// Writes the input to one temporary file per process (in /dev/shm when there is one) and
/// returns its path; the same file is overwritten by every run.
inline std::filesystem::path input_file(const std::uint8_t* data, std::size_t size, const char* extension) {
  static const std::filesystem::path dir =
      std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
  const auto path = dir / ("genrelab-fuzz-" + std::to_string(::getpid()) + extension);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

}  // namespace genrelab::fuzz

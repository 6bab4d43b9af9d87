// Atomic file writes: write to a temporary file beside the target, flush, then rename over it,
// so a crash or a cancel never leaves a half-written file behind.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace genrelab {

/// Calls write(stream) on a temporary file in the target's folder (".<name>.tmp-<host>-<pid>-<n>",
/// hidden, so dataset scans pass over it), fsyncs it, then renames it to `target`: a reader or a
/// kill -9 at any moment sees the complete old file or the complete new one. On any exception
/// (from write or from I/O) the temporary file is removed and the target is left as it was.
/// Temporary files of `target` left by dead processes of this machine are removed first.
/// Throws FileError naming `target` when the file cannot be written. Thread-safe.
void write_file_atomically(const std::filesystem::path& target, const std::function<void(std::ostream&)>& write);

/// Convenience: writes `contents` atomically.
void write_text_atomically(const std::filesystem::path& target, std::string_view contents);

}  // namespace genrelab

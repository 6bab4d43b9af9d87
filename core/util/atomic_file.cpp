#include "util/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

#include "util/error.h"

namespace genrelab {
namespace {

/// ".<name>.tmp-" : the prefix of every temporary file written for `name`.
std::string temporary_prefix(const std::filesystem::path& target) { return "." + target.filename().string() + ".tmp-"; }

std::string host_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "host";
  std::string h(host);
  for (char& c : h)
    if (c == '-' || c == '/' || c == '.') c = '_';
  return h.empty() ? "host" : h;
}

std::filesystem::path temporary_beside(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  const auto name = temporary_prefix(target) + host_name() + "-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter.fetch_add(1));
  return target.parent_path() / name;
}

/// Removes temporary files of `target` left by writers on this machine that no longer run (a
/// kill -9 or a power cut between create and rename). Files of live processes, and of other
/// machines sharing the folder, are left alone.
void remove_stale_temporaries(const std::filesystem::path& dir, const std::filesystem::path& target) {
  const std::string prefix = temporary_prefix(target) + host_name() + "-";
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  for (const std::filesystem::directory_iterator end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const auto rest = std::string_view(name).substr(prefix.size());  // "<pid>-<n>"
    long pid = 0;
    const auto [ptr, perr] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    if (perr != std::errc() || ptr == rest.data() + rest.size() || *ptr != '-' || pid <= 0) continue;
    if (pid == ::getpid() || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    std::filesystem::remove(it->path(), ignored);
  }
}

void fsync_path(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& target, const std::function<void(std::ostream&)>& write) {
  const auto dir = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  if (!std::filesystem::is_directory(dir)) throw FileError(target, "folder does not exist");
  remove_stale_temporaries(dir, target);
  const auto tmp = temporary_beside(target);
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) throw FileError(target, std::string("cannot create file: ") + std::strerror(errno));
      write(out);
      out.flush();
      if (!out) throw FileError(target, "write failed (disk full?)");
    }
    fsync_path(tmp);
    std::error_code ec;
    std::filesystem::rename(tmp, target, ec);
    if (ec) throw FileError(target, "cannot replace file: " + ec.message());
    fsync_path(dir);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
}

void write_text_atomically(const std::filesystem::path& target, std::string_view contents) {
  write_file_atomically(
      target, [&](std::ostream& out) { out.write(contents.data(), static_cast<std::streamsize>(contents.size())); });
}

}  // namespace genrelab

#include "features/log_mel_cache.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "audio/decode.h"
#include "features/log_mel.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace genrelab::features {
namespace {

namespace fs = std::filesystem;
constexpr char kMagic[8] = {'G', 'L', 'M', 'E', 'L', 0, 0, 0};

/// FNV-1a 64 of a string, as hex: a short file name for a long key.
std::string hash_name(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::shared_ptr<const dsp::Spectrogram> read_entry(const fs::path& file, int n_mels) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  char magic[8];
  std::uint32_t bins = 0, frames = 0;
  if (!in.read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) return nullptr;
  if (!in.read(reinterpret_cast<char*>(&bins), 4) || !in.read(reinterpret_cast<char*>(&frames), 4)) return nullptr;
  if (static_cast<int>(bins) != n_mels || frames == 0 || frames > 10'000'000) return nullptr;
  auto s = std::make_shared<dsp::Spectrogram>();
  s->n_bins = static_cast<int>(bins);
  s->n_frames = static_cast<int>(frames);
  s->data.resize(static_cast<std::size_t>(bins) * frames);
  if (!in.read(reinterpret_cast<char*>(s->data.data()), static_cast<std::streamsize>(s->data.size() * sizeof(float))))
    return nullptr;  // truncated: recompute
  return s;
}

}  // namespace

LogMelCache::LogMelCache(ExtractionParams params, fs::path folder) : params_(params), folder_(std::move(folder)) {
  params_.validate();
}

std::string LogMelCache::key(const fs::path& audio) const {
  std::error_code ec;
  const auto abs = fs::absolute(audio, ec).lexically_normal();
  const auto size = fs::file_size(audio, ec);
  const auto mtime = fs::last_write_time(audio, ec).time_since_epoch().count();
  std::ostringstream k;
  k << abs.string() << '|' << size << '|' << mtime << '|' << params_.sample_rate << '|' << params_.n_fft << '|'
    << params_.hop_length << '|' << params_.n_mels << '|' << params_.top_db;
  return k.str();
}

std::shared_ptr<const dsp::Spectrogram> LogMelCache::get(const fs::path& audio) {
  const auto k = key(audio);
  {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !pending_.contains(k); });
    if (auto it = entries_.find(k); it != entries_.end()) {
      ++memory_hits_;
      return it->second;
    }
    pending_[k] = true;
  }
  std::shared_ptr<const dsp::Spectrogram> result;
  try {
    const auto file = folder_.empty() ? fs::path() : folder_ / (hash_name(k) + ".glmel");
    if (!file.empty()) result = read_entry(file, params_.n_mels);
    if (result) {
      ++disk_hits_;
    } else {
      const auto y = audio::load_mono(audio, params_.sample_rate);
      auto mel = log_mel_spectrogram(y, params_);
      result = std::make_shared<const dsp::Spectrogram>(std::move(mel.db));
      ++computed_;
      if (!file.empty()) {
        fs::create_directories(folder_);
        write_file_atomically(file, [&](std::ostream& out) {
          const auto bins = static_cast<std::uint32_t>(result->n_bins),
                     frames = static_cast<std::uint32_t>(result->n_frames);
          out.write(kMagic, 8);
          out.write(reinterpret_cast<const char*>(&bins), 4);
          out.write(reinterpret_cast<const char*>(&frames), 4);
          out.write(reinterpret_cast<const char*>(result->data.data()),
                    static_cast<std::streamsize>(result->data.size() * sizeof(float)));
        });
      }
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    pending_.erase(k);
    ready_.notify_all();
    throw;
  }
  std::lock_guard lock(mutex_);
  pending_.erase(k);
  entries_[k] = result;
  ready_.notify_all();
  return result;
}

}  // namespace genrelab::features

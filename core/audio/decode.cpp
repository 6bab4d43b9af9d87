#include "audio/decode.h"

#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "util/error.h"

namespace genrelab::audio {
namespace {

constexpr std::size_t kChunkFrames = 1 << 15;
/// Interleaved samples read per chunk at most: many-channel files read fewer frames per chunk.
constexpr std::size_t kChunkSamples = kChunkFrames * 8;
/// Output buffer of the resampler (samples); the input fed per call is limited to fit it.
constexpr std::size_t kResampleBuffer = kChunkFrames + 1024;
/// load_mono() trusts the header's length for its first allocation only up to this many samples
/// (about 6 min at 22050 Hz); a header may claim any length, so longer files grow as they decode.
constexpr std::size_t kMaxInitialSamples = std::size_t{1} << 23;

std::string format_name(int format, int mask) {
  SF_FORMAT_INFO fi{};
  fi.format = format & mask;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &fi, sizeof(fi)) != 0 || !fi.name) return "unknown";
  if (mask == SF_FORMAT_TYPEMASK && fi.extension) {  // "wav", "flac": short and familiar
    std::string ext = fi.extension;
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return ext;
  }
  return fi.name;
}

std::string encoding_name(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
      return "PCM_S8";
    case SF_FORMAT_PCM_U8:
      return "PCM_U8";
    case SF_FORMAT_PCM_16:
      return "PCM_16";
    case SF_FORMAT_PCM_24:
      return "PCM_24";
    case SF_FORMAT_PCM_32:
      return "PCM_32";
    case SF_FORMAT_FLOAT:
      return "FLOAT";
    case SF_FORMAT_DOUBLE:
      return "DOUBLE";
    case SF_FORMAT_ULAW:
      return "ULAW";
    case SF_FORMAT_ALAW:
      return "ALAW";
    case SF_FORMAT_VORBIS:
      return "VORBIS";
    case SF_FORMAT_OPUS:
      return "OPUS";
    case SF_FORMAT_MPEG_LAYER_III:
      return "MP3";
    default:
      return format_name(format, SF_FORMAT_SUBMASK);
  }
}

struct SndFileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndFilePtr = std::unique_ptr<SNDFILE, SndFileCloser>;

SndFilePtr open_checked(const std::filesystem::path& path, SF_INFO& sfinfo, AudioInfo& info) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) throw FileError(path, "cannot access: " + ec.message());
  if (!std::filesystem::exists(status)) throw FileError(path, "file does not exist");
  if (!std::filesystem::is_regular_file(status)) throw FileError(path, "not a regular file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw FileError(path, "cannot read file size: " + ec.message());
  if (size == 0) throw FileError(path, "empty file (0 bytes)");
  sfinfo = SF_INFO{};
  SndFilePtr file(sf_open(path.c_str(), SFM_READ, &sfinfo));
  if (!file) throw FileError(path, std::string("not a decodable audio file (") + sf_strerror(nullptr) + ")");
  // libsndfile guesses headerless data from some extensions (".au" becomes 8 kHz mu-law): any
  // bytes would "decode". Only files with a recognised header are audio here.
  if ((sfinfo.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_RAW)
    throw FileError(path, "not a decodable audio file (no audio header; headerless data is not guessed)");
  if (sfinfo.samplerate < kMinSampleRate || sfinfo.samplerate > kMaxSampleRate)
    throw FileError(path, "sample rate " + std::to_string(sfinfo.samplerate) + " Hz is outside the supported " +
                              std::to_string(kMinSampleRate) + ".." + std::to_string(kMaxSampleRate) + " Hz");
  if (sfinfo.channels <= 0) throw FileError(path, "invalid channel count " + std::to_string(sfinfo.channels));
  if (sfinfo.frames <= 0) throw FileError(path, "no audio frames");
  info.sample_rate = sfinfo.samplerate;
  info.channels = sfinfo.channels;
  info.frames = sfinfo.frames;
  info.duration_s = static_cast<double>(sfinfo.frames) / sfinfo.samplerate;
  info.format = format_name(sfinfo.format, SF_FORMAT_TYPEMASK);
  info.encoding = encoding_name(sfinfo.format);
  return file;
}

}  // namespace

bool has_audio_extension(const std::filesystem::path& path) {
  static constexpr std::array<std::string_view, 9> kExt = {".wav", ".wave", ".aif",  ".aiff", ".flac",
                                                           ".ogg", ".oga",  ".opus", ".mp3"};
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kExt.begin(), kExt.end(), ext) != kExt.end() || ext == ".au";
}

AudioInfo probe(const std::filesystem::path& path) {
  SF_INFO sfinfo;
  AudioInfo info;
  open_checked(path, sfinfo, info);
  return info;
}

struct MonoReader::Impl {
  std::filesystem::path path;
  AudioInfo info;
  SndFilePtr file;
  int out_rate = 0;
  soxr_t resampler = nullptr;
  std::vector<float> interleaved;          // one chunk of file frames
  std::vector<float> mono;                 // the same chunk mixed down
  std::size_t mono_pos = 0, mono_len = 0;  // unread part of `mono` (no resampler)
  std::vector<float> resampled;            // resampler output not handed out yet
  std::size_t res_pos = 0, res_len = 0;
  std::int64_t res_frames = 0;  // resampled samples produced so far
  std::int64_t frames_read = 0;
  std::size_t chunk_frames = kChunkFrames;  // file frames per chunk
  bool file_done = false, flushed = false;

  ~Impl() {
    if (resampler) soxr_delete(resampler);
  }

  /// Throws FileError when a sample of `x` (whose first sample is at `first` at `rate` Hz) is
  /// NaN or infinite; `what` says where it came from.
  void check_finite(const float* x, std::size_t n, std::int64_t first, int rate, const char* what) const {
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(x[i])) {
        const auto frame = first + static_cast<std::int64_t>(i);
        char at[48];
        std::snprintf(at, sizeof at, "%.3f s", static_cast<double>(frame) / rate);
        throw FileError(path, std::string(what) + " overflows float32 at " + at +
                                  " (samples near the largest float; librosa refuses such signals too)");
      }
  }

  // Reads and mixes down the next chunk of the file; returns the number of mono samples.
  std::size_t read_chunk() {
    const int ch = info.channels;
    interleaved.resize(chunk_frames * static_cast<std::size_t>(ch));
    mono.resize(chunk_frames);
    const sf_count_t got = sf_readf_float(file.get(), interleaved.data(), static_cast<sf_count_t>(chunk_frames));
    if (got < 0) throw FileError(path, "read error");
    if (got == 0) {
      if (const int err = sf_error(file.get()); err != SF_ERR_NO_ERROR)
        throw FileError(path, std::string("decoding failed: ") + sf_strerror(file.get()));
      file_done = true;
      return 0;
    }
    const auto n = static_cast<std::size_t>(got);
    // librosa refuses such buffers too (util.valid_audio: "Audio buffer is not finite everywhere").
    for (std::size_t i = 0; i < n * static_cast<std::size_t>(ch); ++i)
      if (!std::isfinite(interleaved[i])) {
        const auto frame = frames_read + static_cast<std::int64_t>(i / static_cast<std::size_t>(ch));
        char at[48];
        std::snprintf(at, sizeof at, "%.3f s", static_cast<double>(frame) / info.sample_rate);
        throw FileError(path, std::string("non-finite sample (NaN or infinity) at ") + at + " (frame " +
                                  std::to_string(frame) + ")");
      }
    frames_read += got;
    if (ch == 1) {
      std::copy_n(interleaved.data(), n, mono.data());
    } else {
      // librosa.to_mono: np.mean over channels in float32 (sequential sum, then divide).
      const float count = static_cast<float>(ch);
      for (std::size_t i = 0; i < n; ++i) {
        const float* frame = interleaved.data() + i * static_cast<std::size_t>(ch);
        float acc = frame[0];
        for (int c = 1; c < ch; ++c) acc += frame[c];
        mono[i] = acc / count;
      }
      // Finite samples near float32's limit can still overflow in the sum (np.mean does too).
      check_finite(mono.data(), n, frames_read - static_cast<std::int64_t>(n), info.sample_rate,
                   "the mix of the channels");
    }
    return n;
  }
};

MonoReader::MonoReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MonoReader::MonoReader(MonoReader&&) noexcept = default;
MonoReader& MonoReader::operator=(MonoReader&&) noexcept = default;
MonoReader::~MonoReader() = default;

MonoReader MonoReader::open(const std::filesystem::path& path, int target_rate) {
  if (target_rate != 0 && (target_rate < kMinSampleRate || target_rate > kMaxSampleRate))
    throw FileError(path, "invalid target sample rate " + std::to_string(target_rate));
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  SF_INFO sfinfo;
  impl->file = open_checked(path, sfinfo, impl->info);
  impl->chunk_frames = std::max<std::size_t>(256, kChunkSamples / static_cast<std::size_t>(impl->info.channels));
  impl->chunk_frames = std::min(impl->chunk_frames, kChunkFrames);
  impl->out_rate = target_rate == 0 ? impl->info.sample_rate : target_rate;
  if (impl->out_rate != impl->info.sample_rate) {
    soxr_error_t err = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    impl->resampler = soxr_create(impl->info.sample_rate, impl->out_rate, 1, &err, &io, &q, nullptr);
    if (err || !impl->resampler)
      throw FileError(path, std::string("cannot create resampler: ") + (err ? err : "unknown"));
  }
  return MonoReader(std::move(impl));
}

const AudioInfo& MonoReader::info() const noexcept { return impl_->info; }
const std::filesystem::path& MonoReader::path() const noexcept { return impl_->path; }
int MonoReader::sample_rate() const noexcept { return impl_->out_rate; }

std::int64_t MonoReader::expected_frames() const noexcept {
  const auto& in = impl_->info;
  if (in.sample_rate == impl_->out_rate) return in.frames;
  return static_cast<std::int64_t>(std::llround(static_cast<double>(in.frames) * impl_->out_rate / in.sample_rate));
}

std::size_t MonoReader::read(std::span<float> out) {
  Impl& s = *impl_;
  std::size_t written = 0;
  while (written < out.size()) {
    if (!s.resampler) {
      if (s.mono_pos == s.mono_len) {
        if (s.file_done) break;
        s.mono_len = s.read_chunk();
        s.mono_pos = 0;
        if (s.mono_len == 0) break;
      }
      const std::size_t n = std::min(out.size() - written, s.mono_len - s.mono_pos);
      std::copy_n(s.mono.data() + s.mono_pos, n, out.data() + written);
      s.mono_pos += n;
      written += n;
      continue;
    }
    if (s.res_pos == s.res_len) {
      if (s.flushed) break;
      if (s.mono_pos == s.mono_len && !s.file_done) {
        s.mono_len = s.read_chunk();
        s.mono_pos = 0;
      }
      // Feed no more input than the fixed output buffer can take (upsampling 8 kHz to 22050 Hz
      // must not size the buffer by the ratio).
      const double ratio = static_cast<double>(s.out_rate) / s.info.sample_rate;
      const auto fits = static_cast<std::size_t>(static_cast<double>(kResampleBuffer - 1024) / ratio);
      const std::size_t in_len = std::min(s.mono_len - s.mono_pos, std::max<std::size_t>(fits, 1));
      s.resampled.resize(kResampleBuffer);
      std::size_t consumed = 0, produced = 0;
      soxr_error_t err;
      if (in_len > 0) {
        err = soxr_process(s.resampler, s.mono.data() + s.mono_pos, in_len, &consumed, s.resampled.data(),
                           s.resampled.size(), &produced);
        s.mono_pos += consumed;
      } else {  // end of file: drain the resampler
        err = soxr_process(s.resampler, nullptr, 0, nullptr, s.resampled.data(), s.resampled.size(), &produced);
        if (produced == 0) s.flushed = true;
      }
      if (err) throw FileError(s.path, std::string("resampling failed: ") + err);
      if (in_len > 0 && consumed == 0 && produced == 0) throw FileError(s.path, "resampling made no progress");
      s.check_finite(s.resampled.data(), produced, s.res_frames, s.out_rate, "resampling");
      s.res_frames += static_cast<std::int64_t>(produced);
      s.res_pos = 0;
      s.res_len = produced;
      continue;
    }
    const std::size_t n = std::min(out.size() - written, s.res_len - s.res_pos);
    std::copy_n(s.resampled.data() + s.res_pos, n, out.data() + written);
    s.res_pos += n;
    written += n;
  }
  return written;
}

std::vector<float> load_mono(const std::filesystem::path& path, int target_rate) {
  MonoReader reader = MonoReader::open(path, target_rate);
  const auto expected = static_cast<std::size_t>(std::max<std::int64_t>(reader.expected_frames(), 0)) + 16;
  std::vector<float> y(std::min(expected, kMaxInitialSamples));
  std::size_t n = 0;
  for (;;) {
    if (n == y.size()) y.resize(y.size() + y.size() / 2 + kChunkFrames);
    const std::size_t got = reader.read(std::span<float>(y).subspan(n));
    if (got == 0) break;
    n += got;
  }
  y.resize(n);
  return y;
}

}  // namespace genrelab::audio

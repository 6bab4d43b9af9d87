#include "ml/predictor.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "audio/decode.h"
#include "dataset/feature_table.h"
#include "features/feature_extractor.h"
#include "features/log_mel.h"
#include "ml/audio_cnn.h"
#include "ml/classifier.h"
#include "ml/model_bundle.h"
#include "ml/network.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::ml {

namespace fs = std::filesystem;

std::string_view to_string(Aggregation a) noexcept { return a == Aggregation::vote ? "vote" : "mean"; }

std::optional<Aggregation> parse_aggregation(std::string_view text) noexcept {
  if (text == "mean") return Aggregation::mean;
  if (text == "vote") return Aggregation::vote;
  return std::nullopt;
}

void PredictOptions::validate() const {
  if (!std::isfinite(window_s) || window_s < 0.0)
    throw std::invalid_argument("window must be a positive number of seconds");
  if (!std::isfinite(hop_s) || hop_s < 0.0) throw std::invalid_argument("hop must be a positive number of seconds");
  if (window_s > 0.0 && window_s < 0.1) throw std::invalid_argument("window must be at least 0.1 s");
  if (window_s > 0.0 && hop_s > window_s) throw std::invalid_argument("hop must not exceed the window");
  if (envelope_points < 0 || envelope_points > 1'000'000)
    throw std::invalid_argument("envelope points must be between 0 and 1000000");
}

namespace {

/// A window at least this fraction of the unit counts as a full one (GTZAN clips vary by ~1%).
constexpr double kFullWindowFraction = 0.98;
/// Samples read from the decoder at a time.
constexpr std::size_t kReadChunk = 1 << 16;

/// Peak |sample| per run of `step` samples, fed in order.
class EnvelopeBuilder {
 public:
  EnvelopeBuilder(std::int64_t expected_samples, int points)
      : step_(points > 0 ? std::max<std::int64_t>(1, (expected_samples + points - 1) / points) : 0) {}
  void add(std::span<const float> samples) {
    if (step_ == 0) return;
    for (float v : samples) {
      if (fill_ == 0) peaks_.push_back(0.0f);
      peaks_.back() = std::max(peaks_.back(), std::isfinite(v) ? std::fabs(v) : 0.0f);
      if (++fill_ == step_) fill_ = 0;
    }
  }
  void finish(SongPrediction& song) {
    if (step_ == 0) return;
    song.envelope = std::move(peaks_);
    song.envelope_step_s = static_cast<double>(step_) / audio::kDefaultSampleRate;
  }

 private:
  std::int64_t step_;
  std::int64_t fill_ = 0;
  std::vector<float> peaks_;
};

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

}  // namespace

struct Predictor::Impl {
  PredictOptions options;
  features::FeatureExtractor extractor = features::FeatureExtractor::create();
  std::string extraction_source = "the log-mel parameters recorded in the bundle";
  std::vector<std::string> labels;
  std::int64_t window = 0, hop = 0, min_samples = 0;
  std::string unit_source;
  mutable std::mutex net_mutex;
  mutable std::optional<Classifier> classifier;
  /// cnn2d: windows become log-mel spectrograms (these parameters) cut into patches of
  /// patch_frames; a window's probabilities are the mean over its patches.
  std::optional<features::ExtractionParams> log_mel;
  int patch_frames = 0;

  unsigned jobs() const { return options.jobs ? options.jobs : hardware_jobs(); }

  /// Probabilities (rows x labels) of feature rows.
  std::vector<float> classify(const std::vector<std::vector<double>>& rows) const {
    dataset::FeatureTable t;
    t.feature_names = extractor.feature_names();
    for (const auto& r : rows) t.append("window", window, r, "?");
    std::lock_guard lock(net_mutex);
    set_compute_threads(1);  // a few rows: threads would only add overhead
    return classifier->predict_proba(t);
  }

  std::vector<std::vector<double>> features_of(const std::vector<std::span<const float>>& spans, unsigned threads,
                                               const CancelToken* cancel) const {
    std::vector<std::vector<double>> rows(spans.size());
    auto work = [&](std::size_t i) { rows[i] = extractor.compute(spans[i]); };
    if (threads > 1 && spans.size() == 1) {
      // On a worker thread like the other windows: extraction on the calling thread would grow a
      // third malloc arena by the extractor's working set (~40-60 MB of peak memory).
      std::exception_ptr error;
      std::thread t([&] {
        try {
          work(0);
        } catch (...) {
          error = std::current_exception();
        }
      });
      t.join();
      if (error) std::rethrow_exception(error);
    } else {
      parallel_for(spans.size(), std::min<unsigned>(threads, static_cast<unsigned>(spans.size())), work, cancel);
    }
    if (cancel) cancel->check();
    return rows;
  }

  /// cnn2d: the mean patch probabilities (windows x labels) of each window's log-mel.
  std::vector<float> classify_log_mel(const std::vector<std::span<const float>>& spans, unsigned threads,
                                      const CancelToken* cancel) const {
    std::vector<Samples> patches(spans.size());
    auto work = [&](std::size_t i) {
      patches[i] = log_mel_patches(features::log_mel_spectrogram(spans[i], *log_mel).db, patch_frames);
    };
    parallel_for(spans.size(), std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(spans.size()))), work,
                 cancel);
    if (cancel) cancel->check();
    const std::size_t k = labels.size();
    std::vector<float> out(spans.size() * k, 0.0f);
    std::lock_guard lock(net_mutex);
    set_compute_threads(1);
    for (std::size_t i = 0; i < spans.size(); ++i) {
      const auto p = classifier->network().predict_proba(patches[i]);
      for (std::size_t r = 0; r < patches[i].rows; ++r)
        for (std::size_t c = 0; c < k; ++c) out[i * k + c] += p[r * k + c] / static_cast<float>(patches[i].rows);
    }
    return out;
  }

  /// Probabilities (windows x labels) of the windows' samples; with options.keep_features, the
  /// windows' feature rows in `features`.
  std::vector<float> probabilities_of(const std::vector<std::span<const float>>& spans, unsigned threads,
                                      const CancelToken* cancel, std::vector<std::vector<double>>& features) const {
    features.clear();
    if (log_mel) {
      if (options.keep_features) features = features_of(spans, threads, cancel);
      return classify_log_mel(spans, threads, cancel);
    }
    auto rows = features_of(spans, threads, cancel);
    auto probs = classify(rows);
    if (options.keep_features) features = std::move(rows);
    return probs;
  }

  /// Classifies the windows at `starts` (of `lengths` samples, in `spans`) and appends them to the song.
  void add_windows(SongPrediction& song, const std::vector<std::int64_t>& starts,
                   const std::vector<std::int64_t>& lengths, const std::vector<std::span<const float>>& spans,
                   unsigned threads, const CancelToken* cancel) const {
    std::vector<std::vector<double>> features;
    const auto probs = probabilities_of(spans, threads, cancel, features);
    const std::size_t k = labels.size();
    for (std::size_t i = 0; i < starts.size(); ++i) {
      WindowPrediction w;
      if (!features.empty()) w.features = std::move(features[i]);
      w.start_s = static_cast<double>(starts[i]) / audio::kDefaultSampleRate;
      w.end_s = static_cast<double>(starts[i] + lengths[i]) / audio::kDefaultSampleRate;
      w.probabilities.assign(probs.begin() + static_cast<std::ptrdiff_t>(i * k),
                             probs.begin() + static_cast<std::ptrdiff_t>((i + 1) * k));
      w.genre =
          static_cast<int>(std::max_element(w.probabilities.begin(), w.probabilities.end()) - w.probabilities.begin());
      song.windows.push_back(std::move(w));
    }
  }

  void aggregate(SongPrediction& song) const {
    const std::size_t k = labels.size();
    std::vector<double> mean(k, 0.0);
    bool finite = true;
    for (const auto& w : song.windows)
      for (std::size_t c = 0; c < k; ++c) {
        mean[c] += static_cast<double>(w.probabilities[c]);
        finite = finite && std::isfinite(w.probabilities[c]);
      }
    const auto n = static_cast<double>(song.windows.size());
    for (auto& m : mean) m /= n;
    if (!finite) song.warnings.push_back("the model gave non-finite probabilities (silent or degenerate audio?)");
    std::vector<double> score = mean;
    if (options.aggregate == Aggregation::vote) {
      std::vector<double> votes(k, 0.0);
      for (const auto& w : song.windows) votes[static_cast<std::size_t>(w.genre)] += 1.0;
      for (std::size_t c = 0; c < k; ++c) score[c] = votes[c] / n + 1e-9 * mean[c];  // ties: mean probability
      for (std::size_t c = 0; c < k; ++c) mean[c] = votes[c] / n;
    }
    song.genre_index = static_cast<int>(std::max_element(score.begin(), score.end()) - score.begin());
    song.genre = labels[static_cast<std::size_t>(song.genre_index)];
    song.probabilities.assign(mean.begin(), mean.end());
    song.confidence = mean[static_cast<std::size_t>(song.genre_index)];
  }

  /// The whole (short) signal as one window; pads when below the extractor's minimum.
  void predict_short(SongPrediction& song, std::vector<float> y) const {
    const auto n = static_cast<std::int64_t>(y.size());
    if (n < static_cast<std::int64_t>(kFullWindowFraction * static_cast<double>(window)))
      song.warnings.push_back("shorter than one window (" + seconds_text(song.duration_s) + " < " +
                              seconds_text(static_cast<double>(window) / audio::kDefaultSampleRate) +
                              "): classified on the whole song");
    if (n < min_samples) {
      song.warnings.push_back("too short for the features (" + std::to_string(n) + " samples): zero-padded to " +
                              std::to_string(min_samples));
      y.resize(static_cast<std::size_t>(min_samples), 0.0f);
    }
    add_windows(song, {0}, {n}, {std::span<const float>(y)}, 1, nullptr);
  }

  SongPrediction predict_stream(audio::MonoReader& reader, unsigned threads, const CancelToken* cancel,
                                ProgressSink* progress = nullptr) const {
    SongPrediction song;
    EnvelopeBuilder envelope(reader.expected_frames(), options.envelope_points);
    const double expected = static_cast<double>(std::max<std::int64_t>(1, reader.expected_frames()));
    std::vector<float> buf;  // samples [buf_start, buf_start + buf.size())
    // One window per thread at a time; the buffer never needs more than this (no regrowth).
    const std::size_t batch = std::max<std::size_t>(1, static_cast<std::size_t>(threads));
    buf.reserve(static_cast<std::size_t>(window + static_cast<std::int64_t>(batch) * hop) + kReadChunk);
    std::int64_t buf_start = 0;
    bool eof = false;
    auto ensure = [&](std::int64_t abs_end) {
      while (!eof && buf_start + static_cast<std::int64_t>(buf.size()) < abs_end) {
        const std::size_t old = buf.size();
        buf.resize(old + kReadChunk);
        const std::size_t got = reader.read(std::span<float>(buf.data() + old, kReadChunk));
        buf.resize(old + got);
        envelope.add(std::span<const float>(buf.data() + old, got));
        if (got == 0) eof = true;
      }
      return buf_start + static_cast<std::int64_t>(buf.size()) >= abs_end;
    };
    auto end_abs = [&] { return buf_start + static_cast<std::int64_t>(buf.size()); };

    if (!ensure(static_cast<std::int64_t>(kFullWindowFraction * static_cast<double>(window)))) {
      song.duration_s = static_cast<double>(buf.size()) / audio::kDefaultSampleRate;
      if (buf.empty()) throw std::runtime_error("the file holds no audio samples");
      predict_short(song, std::move(buf));
      aggregate(song);
      envelope.finish(song);
      return song;
    }
    std::int64_t next = 0;         // start of the next window
    std::int64_t last_start = -1;  // start of the last window classified
    while (true) {
      if (cancel) cancel->check();
      std::vector<std::int64_t> starts, lengths;
      std::vector<std::span<const float>> spans;
      for (std::size_t i = 0; i < batch; ++i) {
        const std::int64_t s = next + static_cast<std::int64_t>(i) * hop;
        if (!ensure(s + window)) break;
        starts.push_back(s);
      }
      if (starts.empty()) break;
      for (auto s : starts) {
        lengths.push_back(window);
        spans.emplace_back(buf.data() + (s - buf_start), static_cast<std::size_t>(window));
      }
      add_windows(song, starts, lengths, spans, threads, cancel);
      last_start = starts.back();
      next = last_start + hop;
      // Keep from the last window's start on: the end-aligned tail window may need it.
      const auto drop = static_cast<std::size_t>(last_start - buf_start);
      buf.erase(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(drop));
      buf_start = last_start;
      if (progress) progress->report(std::min(1.0, static_cast<double>(end_abs()) / expected), "");
    }
    const std::int64_t n = end_abs();
    song.duration_s = static_cast<double>(n) / audio::kDefaultSampleRate;
    if (last_start < 0) {  // between 98% and 100% of a window: one window of what there is
      predict_short(song, std::move(buf));
    } else if (last_start + window < n) {  // uncovered tail: one more window ending at the end
      const std::int64_t s = std::max(last_start + 1, n - window);
      const auto len = std::min(window, n - s);
      std::vector<std::span<const float>> spans{{buf.data() + (s - buf_start), static_cast<std::size_t>(len)}};
      add_windows(song, {s}, {len}, spans, threads, cancel);
    }
    aggregate(song);
    envelope.finish(song);
    return song;
  }
};

Predictor::Predictor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Predictor::Predictor(Predictor&&) noexcept = default;
Predictor& Predictor::operator=(Predictor&&) noexcept = default;
Predictor::~Predictor() = default;

Predictor Predictor::from_bundle(const ModelBundle& bundle, const PredictOptions& options) {
  options.validate();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->classifier.emplace(Classifier::from_bundle(bundle));
  impl->labels = bundle.label_names;
  if (bundle.model.kind == ModelKind::cnn2d) {
    impl->log_mel = bundle.log_mel;
    impl->patch_frames = bundle.model.patch_frames;
    if (!impl->log_mel || impl->log_mel->sample_rate != audio::kDefaultSampleRate)
      throw std::invalid_argument("the cnn2d model's log-mels are not at " + std::to_string(audio::kDefaultSampleRate) +
                                  " Hz");
  }
  if (bundle.model.kind != ModelKind::cnn2d) {
    // Extract as the table was (the bundle records it since the parameters travel with tables).
    if (bundle.extraction) {
      if (bundle.extraction->sample_rate != audio::kDefaultSampleRate)
        throw std::invalid_argument("the model's table was extracted at " +
                                    std::to_string(bundle.extraction->sample_rate) + " Hz; songs are classified at " +
                                    std::to_string(audio::kDefaultSampleRate) +
                                    " Hz: extract the table at that rate and train again");
      impl->extractor = features::FeatureExtractor::create(*bundle.extraction);
      impl->extraction_source = "the table's, recorded in the bundle";
    } else {
      impl->extraction_source = "not recorded in the bundle: librosa's defaults assumed";
    }
  }
  const auto& names = impl->extractor.feature_names();
  std::string missing;
  for (const auto& f : bundle.input_features)
    if (std::find(names.begin(), names.end(), f) == names.end()) missing += (missing.empty() ? "'" : ", '") + f + "'";
  if (!missing.empty())
    throw std::invalid_argument("the model uses column(s) GenreLab does not extract from audio: " + missing);

  std::int64_t unit = bundle.row_length;
  impl->unit_source = "bundle";
  if (unit <= 0) {
    // Older bundles: 3-s tables hold ~10 rows per track group, 30-s tables ~1.
    const auto rows = bundle.report.value("rows", 0.0);
    const auto groups = bundle.report.value("groups", 0.0);
    unit = groups > 0 && rows >= 3.0 * groups ? kSegmentRowLength : kClipRowLength;
    impl->unit_source = "guessed from the training report";
  }
  const double sr = audio::kDefaultSampleRate;
  impl->window = options.window_s > 0 ? static_cast<std::int64_t>(std::llround(options.window_s * sr)) : unit;
  impl->hop = options.hop_s > 0 ? static_cast<std::int64_t>(std::llround(options.hop_s * sr)) : impl->window / 2;
  impl->hop = std::clamp<std::int64_t>(impl->hop, 1, impl->window);
  impl->min_samples = (impl->log_mel ? impl->log_mel->n_fft : impl->extractor.params().n_fft) / 2 + 1;
  return Predictor(std::move(impl));
}

Predictor Predictor::load(const fs::path& path, const PredictOptions& options) {
  ModelBundle bundle;
  auto c = Classifier::load(path, &bundle);  // checks the bundle and that the weights fit
  try {
    return from_bundle(bundle, options);
  } catch (const std::invalid_argument& e) {
    throw FileError(path, e.what());
  }
}

const std::vector<std::string>& Predictor::label_names() const noexcept { return impl_->labels; }
const PredictOptions& Predictor::options() const noexcept { return impl_->options; }
std::int64_t Predictor::window_samples() const noexcept { return impl_->window; }
std::int64_t Predictor::hop_samples() const noexcept { return impl_->hop; }
int Predictor::sample_rate() const noexcept { return audio::kDefaultSampleRate; }
const std::string& Predictor::unit_source() const noexcept { return impl_->unit_source; }
const std::vector<std::string>& Predictor::feature_names() const noexcept { return impl_->extractor.feature_names(); }
const std::string& Predictor::extraction_source() const noexcept { return impl_->extraction_source; }

namespace {

SongPrediction failed(const fs::path& path, std::string reason) {
  SongPrediction s;
  s.file = path;
  s.error = std::move(reason);
  return s;
}

}  // namespace

SongPrediction Predictor::predict_file(const fs::path& path, const CancelToken* cancel, ProgressSink* progress) const {
  const unsigned threads = impl_->jobs();
  try {
    auto reader = audio::MonoReader::open(path, audio::kDefaultSampleRate);
    auto song = impl_->predict_stream(reader, threads, cancel, progress);
    song.file = path;
    return song;
  } catch (const Cancelled&) {
    throw;
  } catch (const FileError& e) {
    return failed(path, e.reason());
  } catch (const std::exception& e) {
    return failed(path, e.what());
  }
}

SongPrediction Predictor::predict_samples(std::span<const float> mono, const CancelToken* cancel) const {
  // Same windowing as a file: feed the span through the streaming path's logic.
  SongPrediction song;
  const auto n = static_cast<std::int64_t>(mono.size());
  song.duration_s = static_cast<double>(n) / audio::kDefaultSampleRate;
  if (n == 0) return failed({}, "no audio samples");
  EnvelopeBuilder envelope(n, impl_->options.envelope_points);
  envelope.add(mono);
  const auto w = impl_->window, hop = impl_->hop;
  if (n < w) {
    impl_->predict_short(song, std::vector<float>(mono.begin(), mono.end()));
  } else {
    std::vector<std::int64_t> starts, lengths;
    std::vector<std::span<const float>> spans;
    for (std::int64_t s = 0; s + w <= n; s += hop) starts.push_back(s);
    if (starts.back() + w < n) starts.push_back(std::max(starts.back() + 1, n - w));
    for (auto s : starts) {
      lengths.push_back(std::min(w, n - s));
      spans.push_back(mono.subspan(static_cast<std::size_t>(s), static_cast<std::size_t>(lengths.back())));
    }
    impl_->add_windows(song, starts, lengths, spans, impl_->jobs(), cancel);
  }
  impl_->aggregate(song);
  envelope.finish(song);
  return song;
}

std::vector<SongPrediction> Predictor::predict_files(const std::vector<fs::path>& files, ProgressSink* progress,
                                                     const CancelToken* cancel) const {
  std::vector<SongPrediction> out(files.size());
  if (files.empty()) return out;
  const unsigned jobs = impl_->jobs();
  const unsigned outer = std::min<unsigned>(jobs, static_cast<unsigned>(files.size()));
  const unsigned inner = std::max(1u, jobs / outer);
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  parallel_for(
      files.size(), outer,
      [&](std::size_t i) {
        try {
          auto reader = audio::MonoReader::open(files[i], audio::kDefaultSampleRate);
          out[i] = impl_->predict_stream(reader, inner, cancel);
          out[i].file = files[i];
        } catch (const Cancelled&) {
          throw;
        } catch (const FileError& e) {
          out[i] = failed(files[i], e.reason());
        } catch (const std::exception& e) {
          out[i] = failed(files[i], e.what());
        }
        const auto d = ++done;
        if (progress) {
          std::lock_guard lock(progress_mutex);
          progress->report(static_cast<double>(d) / static_cast<double>(files.size()), files[i].filename().string());
        }
      },
      cancel);
  if (cancel) cancel->check();
  return out;
}

std::vector<fs::path> expand_audio_inputs(const std::vector<fs::path>& inputs) {
  std::vector<fs::path> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (fs::is_directory(in, ec)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(in, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && audio::has_audio_extension(it->path())) found.push_back(it->path());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(in);
    }
  }
  return out;
}

}  // namespace genrelab::ml

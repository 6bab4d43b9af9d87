#include "features/feature_extractor.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "dsp/chroma.h"
#include "dsp/hpss.h"
#include "dsp/mel.h"
#include "dsp/mfcc.h"
#include "dsp/numpy_reduce.h"
#include "dsp/onset.h"
#include "dsp/power_to_db.h"
#include "dsp/rms.h"
#include "dsp/spectral_shape.h"
#include "dsp/stft.h"
#include "dsp/tempo.h"
#include "dsp/zero_crossing_rate.h"

namespace genrelab::features {
namespace {

/// Times consecutive blocks into a BlockTimes (no-op when none is given).
class BlockClock {
 public:
  explicit BlockClock(BlockTimes* times) : times_(times), last_(now()) {}
  void lap(std::size_t block) {
    if (!times_) return;
    const auto t = now();
    times_->seconds[block] += std::chrono::duration<double>(t - last_).count();
    last_ = t;
  }

 private:
  static std::chrono::steady_clock::time_point now() { return std::chrono::steady_clock::now(); }
  BlockTimes* times_;
  std::chrono::steady_clock::time_point last_;
};

template <typename T>
void push_mean_var(std::vector<double>& row, std::span<const T> x) {
  row.push_back(static_cast<double>(dsp::numpy_mean(x)));
  row.push_back(static_cast<double>(dsp::numpy_var(x)));
}

}  // namespace

struct FeatureExtractor::Impl {
  ExtractionParams params;
  std::vector<std::string> names;
  dsp::Stft stft;
  dsp::MelFilterbank mel;
  dsp::Mfcc mfcc;
  dsp::Hpss hpss;
  dsp::TempoEstimator tempo;

  /// The 128-band mel power spectrogram in dB (shared by MFCC and onset strength).
  dsp::Spectrogram mel_db(const dsp::Spectrogram& power) const {
    auto db = mel.apply(power);
    dsp::PowerToDbParams p;
    p.top_db = params.top_db;
    dsp::power_to_db(db, p);
    return db;
  }
  void check_length(std::size_t n) const {
    if (n < static_cast<std::size_t>(params.n_fft / 2 + 1))
      throw std::invalid_argument("signal too short for features: " + std::to_string(n) + " samples, need at least " +
                                  std::to_string(params.n_fft / 2 + 1));
  }
};

FeatureExtractor::FeatureExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FeatureExtractor::FeatureExtractor(FeatureExtractor&&) noexcept = default;
FeatureExtractor& FeatureExtractor::operator=(FeatureExtractor&&) noexcept = default;
FeatureExtractor::~FeatureExtractor() = default;

FeatureExtractor FeatureExtractor::create(const ExtractionParams& p) {
  p.validate();
  dsp::MelParams mel;
  mel.sample_rate = p.sample_rate;
  mel.n_fft = p.n_fft;
  mel.n_mels = p.n_mels;
  dsp::TempoParams tempo;
  tempo.sample_rate = p.sample_rate;
  tempo.hop_length = p.hop_length;
  tempo.start_bpm = p.tempo_start_bpm;
  tempo.std_bpm = p.tempo_std_bpm;
  tempo.ac_size_s = p.tempo_ac_size_s;
  tempo.max_tempo = p.tempo_max_bpm;
  dsp::HpssParams hpss;
  hpss.kernel_size = p.hpss_kernel;
  hpss.power = p.hpss_power;
  hpss.margin = p.hpss_margin;
  auto impl = std::unique_ptr<Impl>(new Impl{p, p.feature_names(), dsp::Stft::create({p.n_fft, p.hop_length}),
                                             dsp::MelFilterbank::create(mel), dsp::Mfcc::create(p.n_mfcc, p.n_mels),
                                             dsp::Hpss::create(hpss), dsp::TempoEstimator::create(tempo)});
  return FeatureExtractor(std::move(impl));
}

const ExtractionParams& FeatureExtractor::params() const noexcept { return impl_->params; }
const std::vector<std::string>& FeatureExtractor::feature_names() const noexcept { return impl_->names; }

std::vector<SegmentBounds> FeatureExtractor::segments(std::int64_t n_samples) const {
  const auto& p = impl_->params;
  std::vector<SegmentBounds> out;
  for (std::int64_t i = 0; p.segment_stride * (i + 1) < n_samples; ++i) {
    if (p.max_segments > 0 && i >= p.max_segments) break;
    out.push_back({p.segment_stride * i, std::min(p.segment_length, n_samples - p.segment_stride * i)});
  }
  return out;
}

std::vector<double> FeatureExtractor::compute(std::span<const float> y, BlockTimes* times) const {
  const Impl& s = *impl_;
  const auto& p = s.params;
  s.check_length(y.size());
  BlockClock clock(times);
  std::vector<double> row;
  row.reserve(s.names.size());

  const auto D = s.stft.compute(y);
  const auto mag = dsp::magnitude(D);
  const auto power = dsp::squared(mag);
  clock.lap(0);

  const auto chroma = dsp::chroma_stft(power, p.sample_rate, p.n_fft);
  push_mean_var<float>(row, chroma);
  clock.lap(1);

  const auto rms = dsp::rms(y, p.n_fft, p.hop_length);
  push_mean_var<float>(row, rms);
  clock.lap(2);

  const auto shape = dsp::spectral_shape(mag, p.sample_rate, p.n_fft, p.roll_percent);
  push_mean_var<double>(row, shape.centroid);
  push_mean_var<double>(row, shape.bandwidth);
  push_mean_var<double>(row, shape.rolloff);
  clock.lap(3);

  const auto zcr = dsp::zero_crossing_rate(y, p.n_fft, p.hop_length);
  push_mean_var<double>(row, zcr);
  clock.lap(2);

  const auto hp = s.hpss.compute(s.stft, D, mag, y.size());
  push_mean_var<float>(row, hp.harmonic);
  push_mean_var<float>(row, hp.percussive);
  clock.lap(4);

  const auto mel_db = s.mel_db(power);
  const auto mfcc = s.mfcc.compute(mel_db);
  clock.lap(5);

  const auto onset = dsp::onset_strength_median(mel_db, p.n_fft, p.hop_length);
  row.push_back(s.tempo.estimate(onset));
  clock.lap(6);

  for (const auto& coefficient : mfcc) push_mean_var<float>(row, coefficient);
  clock.lap(5);
  // Silence and constant signals give finite rows (as librosa does); only samples so large that
  // float32 spectra overflow do not, and librosa refuses those too ("Input must be finite").
  for (std::size_t i = 0; i < row.size(); ++i)
    if (!std::isfinite(row[i]))
      throw std::invalid_argument("feature '" + s.names[i] +
                                  "' is not finite (samples too large for float32 spectra?)");
  return row;
}

double FeatureExtractor::tempo(std::span<const float> y) const {
  const Impl& s = *impl_;
  s.check_length(y.size());
  const auto power = dsp::squared(dsp::magnitude(s.stft.compute(y)));
  return s.tempo.estimate(dsp::onset_strength_median(s.mel_db(power), s.params.n_fft, s.params.hop_length));
}

}  // namespace genrelab::features

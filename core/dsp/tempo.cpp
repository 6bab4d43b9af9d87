#include "dsp/tempo.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>

#include "dsp/fftw_util.h"
#include "dsp/stft.h"

namespace genrelab::dsp {
namespace {

// The smallest n >= min_n of the form 2^a 3^b 5^c (sizes FFTW transforms fastest).
int fast_fft_size(int min_n) {
  for (int n = min_n;; ++n) {
    int m = n;
    for (int p : {2, 3, 5})
      while (m % p == 0) m /= p;
    if (m == 1) return n;
  }
}

}  // namespace

TempoEstimator::TempoEstimator(TempoParams params, int win_length, std::shared_ptr<const RealFftPlans> plans,
                               std::vector<double> window, std::vector<double> log_prior)
    : params_(params), win_length_(win_length), plans_(std::move(plans)), window_(std::move(window)),
      log_prior_(std::move(log_prior)) {}

TempoEstimator TempoEstimator::create(const TempoParams& params) {
  if (params.sample_rate <= 0)
    throw std::invalid_argument("tempo: sample_rate must be > 0, got " + std::to_string(params.sample_rate));
  if (params.hop_length <= 0)
    throw std::invalid_argument("tempo: hop_length must be > 0, got " + std::to_string(params.hop_length));
  if (!(params.start_bpm > 0.0))
    throw std::invalid_argument("tempo: start_bpm must be > 0, got " + std::to_string(params.start_bpm));
  if (!(params.std_bpm > 0.0))
    throw std::invalid_argument("tempo: std_bpm must be > 0, got " + std::to_string(params.std_bpm));
  if (!(params.max_tempo > 0.0))
    throw std::invalid_argument("tempo: max_tempo must be > 0, got " + std::to_string(params.max_tempo));
  // time_to_frames(ac_size): samples = int(ac_size * sr) (truncated), frames = samples // hop.
  const double samples = params.ac_size_s * params.sample_rate;
  if (!(samples >= params.hop_length) || samples > 1e9)
    throw std::invalid_argument("tempo: ac_size_s must cover at least one hop (and be finite), got " +
                                std::to_string(params.ac_size_s));
  const int win_length = static_cast<int>(static_cast<long long>(samples) / params.hop_length);

  // librosa's autocorrelate zero-pads each window to 2 * win_length + 1 (689 = 13 * 53 by default,
  // slow in FFTW: ~10 us per frame pair). The lags 0 .. win_length - 1 of a win_length-long window
  // are free of circular wrap-around for any size >= 2 * win_length - 1, so a larger size with
  // small factors (720) gives the same autocorrelation up to float64 rounding, which already
  // differs between numpy's pocketfft and FFTW.
  auto plans = std::make_shared<const RealFftPlans>(fast_fft_size(2 * win_length + 1));

  // beat.tempo's prior: -0.5 ((log2(bpm) - log2(start_bpm)) / std_bpm)^2, -inf for lag 0 (bpm inf)
  // and for every lag before the first one whose bpm is below max_tempo.
  TempoEstimator est(params, win_length, std::move(plans), periodic_hann(win_length), {});
  std::vector<double> log_prior(static_cast<std::size_t>(win_length));
  const double log_start = std::log2(params.start_bpm);
  int max_idx = -1;
  for (int k = 0; k < win_length; ++k) {
    const double bpm = est.bpm_of_lag(k);
    const double z = (std::log2(bpm) - log_start) / params.std_bpm;
    log_prior[static_cast<std::size_t>(k)] = -0.5 * (z * z);
    if (max_idx < 0 && bpm < params.max_tempo) max_idx = k;
  }
  // np.argmax of an all-False mask is 0: nothing is excluded then.
  for (int k = 0; k < std::max(max_idx, 0); ++k)
    log_prior[static_cast<std::size_t>(k)] = -std::numeric_limits<double>::infinity();
  est.log_prior_ = std::move(log_prior);
  return est;
}

double TempoEstimator::bpm_of_lag(int lag) const {
  // tempo_frequencies: bin 0 is inf, bin k is 60.0 * sr / (hop_length * k).
  if (lag <= 0) return std::numeric_limits<double>::infinity();
  return 60.0 * params_.sample_rate / (params_.hop_length * static_cast<double>(lag));
}

std::vector<double> TempoEstimator::mean_tempogram(std::span<const float> onset_envelope) const {
  const auto win = static_cast<std::size_t>(win_length_);
  std::vector<double> sum(win, 0.0);
  const std::size_t n = onset_envelope.size();
  if (n == 0) return sum;

  // np.pad(env, win // 2, mode='linear_ramp', end_values=0): each side is
  // np.linspace(0, edge, half, endpoint=False, dtype=float32), i.e. i * (edge / half) in float64
  // rounded to float32, the right one reversed.
  const std::size_t half = win / 2;
  std::vector<float> padded(n + 2 * half);
  const double left_step = static_cast<double>(onset_envelope.front()) / static_cast<double>(half == 0 ? 1 : half);
  const double right_step = static_cast<double>(onset_envelope.back()) / static_cast<double>(half == 0 ? 1 : half);
  for (std::size_t i = 0; i < half; ++i) {
    padded[i] = static_cast<float>(static_cast<double>(i) * left_step);
    padded[half + n + i] = static_cast<float>(static_cast<double>(half - 1 - i) * right_step);
  }
  std::copy(onset_envelope.begin(), onset_envelope.end(), padded.begin() + static_cast<std::ptrdiff_t>(half));

  const auto n_fft = static_cast<std::size_t>(plans_->n);
  const std::size_t n_bins = n_fft / 2 + 1;
  FftwBuffer in(sizeof(double) * n_fft), out(sizeof(fftw_complex) * n_bins);
  auto* x = static_cast<double*>(in.ptr);
  auto* spec = static_cast<fftw_complex*>(out.ptr);
  const double scale = 1.0 / static_cast<double>(n_fft);  // numpy's ifft multiplies by 1/n
  const double tiny = std::numeric_limits<double>::min();
  // util.frame(hop 1) then [:, :n]: frame t covers padded[t, t + win), i.e. env[t - half, t - half + win).
  for (std::size_t t = 0; t < n; ++t) {
    const float* src = padded.data() + t;
    for (std::size_t i = 0; i < win; ++i) x[i] = static_cast<double>(src[i]) * window_[i];
    std::fill(x + win, x + n_fft, 0.0);  // zero padding (see create)
    fftw_execute_dft_r2c(plans_->forward, x, spec);
    // |X|^2 (numpy squares hypot(re, im); the two differ by an ulp, like pocketfft and FFTW do).
    for (std::size_t k = 0; k < n_bins; ++k) {
      spec[k][0] = spec[k][0] * spec[k][0] + spec[k][1] * spec[k][1];
      spec[k][1] = 0.0;
    }
    fftw_execute_dft_c2r(plans_->backward, spec, x);
    // util.normalize(norm=inf, axis=0): divide by the largest |lag value|; a column whose max is
    // below float64 tiny is left as is.
    double peak = 0.0;
    for (std::size_t k = 0; k < win; ++k) {
      x[k] *= scale;
      peak = std::max(peak, std::abs(x[k]));
    }
    if (peak < tiny) peak = 1.0;
    // The tempogram is F-ordered (frames outermost), so np.mean(axis=1) adds frame after frame.
    for (std::size_t k = 0; k < win; ++k) sum[k] += x[k] / peak;
  }
  for (double& s : sum) s /= static_cast<double>(n);
  return sum;
}

double TempoEstimator::estimate(std::span<const float> onset_envelope) const {
  // beat_track: `if not onset_envelope.any(): return 0`.
  if (std::none_of(onset_envelope.begin(), onset_envelope.end(), [](float v) { return v != 0.0f; })) return 0.0;
  const std::vector<double> tg = mean_tempogram(onset_envelope);
  // np.argmax(np.log1p(1e6 * tg) + logprior): the first maximum.
  std::size_t best = 0;
  double best_score = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < tg.size(); ++k) {
    const double score = std::log1p(1e6 * tg[k]) + log_prior_[k];
    if (score > best_score || (k == 0)) {
      best_score = score;
      best = k;
    }
  }
  return bpm_of_lag(static_cast<int>(best));
}

}  // namespace genrelab::dsp

#include "features/log_mel.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "dsp/mel.h"
#include "dsp/power_to_db.h"

namespace genrelab::features {

LogMel log_mel_spectrogram(std::span<const float> y, const ExtractionParams& p) {
  p.validate();
  if (y.size() < static_cast<std::size_t>(p.n_fft / 2 + 1))
    throw std::invalid_argument("signal too short for a spectrogram: " + std::to_string(y.size()) + " samples");
  const auto stft = dsp::Stft::create({p.n_fft, p.hop_length});
  dsp::MelParams mp;
  mp.sample_rate = p.sample_rate;
  mp.n_fft = p.n_fft;
  mp.n_mels = p.n_mels;
  const auto fb = dsp::MelFilterbank::create(mp);
  LogMel out;
  out.db = fb.apply(dsp::squared(dsp::magnitude(stft.compute(y))));
  dsp::PowerToDbParams db;
  db.top_db = p.top_db;
  dsp::power_to_db(out.db, db);  // ref = 1
  // ref = np.max: subtract the maximum, so the loudest cell is 0 dB and the floor -top_db.
  const float peak = *std::max_element(out.db.data.begin(), out.db.data.end());
  for (float& v : out.db.data) v -= peak;
  const auto& edges = fb.band_edges_hz();
  out.band_hz.assign(edges.begin() + 1, edges.end() - 1);
  out.fmax_hz = edges.back();
  out.seconds_per_frame = static_cast<double>(p.hop_length) / p.sample_rate;
  return out;
}

}  // namespace genrelab::features

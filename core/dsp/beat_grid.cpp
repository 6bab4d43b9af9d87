#include "dsp/beat_grid.h"

#include <aubio/aubio.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

namespace genrelab::dsp {

BeatTracker BeatTracker::create(const BeatGridParams& p) {
  if (p.sample_rate <= 0) throw std::invalid_argument("beat grid: sample_rate must be > 0");
  if (p.hop < 32 || p.window < p.hop || (p.window & (p.window - 1)) != 0)
    throw std::invalid_argument("beat grid: need hop >= 32 and a power-of-two window >= hop, got window " +
                                std::to_string(p.window) + ", hop " + std::to_string(p.hop));
  return BeatTracker(p);
}

BeatGrid BeatTracker::track(std::span<const float> y) const {
  const auto hop = static_cast<uint_t>(params_.hop);
  std::unique_ptr<aubio_tempo_t, void (*)(aubio_tempo_t*)> tempo(
      new_aubio_tempo("default", static_cast<uint_t>(params_.window), hop, static_cast<uint_t>(params_.sample_rate)),
      del_aubio_tempo);
  std::unique_ptr<fvec_t, void (*)(fvec_t*)> in(new_fvec(hop), del_fvec), out(new_fvec(2), del_fvec);
  if (!tempo || !in || !out) throw std::runtime_error("aubio: cannot create the tempo tracker");
  BeatGrid grid;
  for (std::size_t start = 0; start < y.size(); start += hop) {
    const std::size_t n = std::min<std::size_t>(hop, y.size() - start);
    std::fill(in->data, in->data + hop, 0.0f);
    std::copy_n(y.data() + start, n, in->data);
    aubio_tempo_do(tempo.get(), in.get(), out.get());
    if (out->data[0] != 0) grid.beats_s.push_back(static_cast<double>(aubio_tempo_get_last_s(tempo.get())));
  }
  grid.bpm = static_cast<double>(aubio_tempo_get_bpm(tempo.get()));
  grid.confidence = static_cast<double>(aubio_tempo_get_confidence(tempo.get()));
  return grid;
}

}  // namespace genrelab::dsp

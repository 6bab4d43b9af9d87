#include "dsp/power_to_db.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace genrelab::dsp {

float power_to_db_value(float x, float amin) {
  // np.log10 on float32 returns float32; evaluating it in float64 and rounding once gives the
  // correctly rounded float32 logarithm (numpy's libm or SIMD log10f is within an ulp of it).
  const auto lg = static_cast<float>(std::log10(static_cast<double>(std::max(amin, x))));
  return 10.0f * lg;  // `10.0 * array` with a float32 array multiplies in float32
}

void power_to_db(Spectrogram& s, const PowerToDbParams& params) {
  if (!(params.amin > 0.0))
    throw std::invalid_argument("power_to_db: amin must be > 0, got " + std::to_string(params.amin));
  if (!(params.ref > 0.0))
    throw std::invalid_argument("power_to_db: ref must be > 0, got " + std::to_string(params.ref));
  if (!(params.top_db >= 0.0))
    throw std::invalid_argument("power_to_db: top_db must be >= 0, got " + std::to_string(params.top_db));
  if (s.data.empty()) return;
  // np.maximum(amin, S) with a Python float and a float32 array works in float32.
  const auto amin = static_cast<float>(params.amin);
  // The reference term is a float64 scalar; subtracting it from the float32 array rounds it to float32.
  const auto ref_db = static_cast<float>(10.0 * std::log10(std::max(params.amin, std::abs(params.ref))));
  float peak = -std::numeric_limits<float>::infinity();
  for (float& v : s.data) {
    v = power_to_db_value(v, amin) - ref_db;
    peak = std::max(peak, v);
  }
  if (std::isinf(params.top_db)) return;
  // log_spec.max() - top_db is float32 scalar minus Python float: float64 under numpy 1.x's
  // promotion rules; np.maximum with the float32 array then rounds the floor to float32.
  const auto floor = static_cast<float>(static_cast<double>(peak) - params.top_db);
  for (float& v : s.data) v = std::max(v, floor);
}

}  // namespace genrelab::dsp

#include "dsp/fftw_util.h"

namespace genrelab::dsp {

std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace genrelab::dsp

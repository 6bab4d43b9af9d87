#include "dsp/fftw_util.h"

#include <stdexcept>
#include <string>

namespace genrelab::dsp {

std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

namespace {

void destroy_plans(fftw_plan forward, fftw_plan backward) {
  std::lock_guard lock(fftw_planner_mutex());
  if (forward) fftw_destroy_plan(forward);
  if (backward) fftw_destroy_plan(backward);
}

}  // namespace

RealFftPlans::RealFftPlans(int size) : n(size) {
  const auto bins = static_cast<std::size_t>(n / 2 + 1);
  FftwBuffer in(sizeof(double) * static_cast<std::size_t>(n)), out(sizeof(fftw_complex) * bins);
  {
    std::lock_guard lock(fftw_planner_mutex());
    forward = fftw_plan_dft_r2c_1d(n, static_cast<double*>(in.ptr), static_cast<fftw_complex*>(out.ptr), FFTW_ESTIMATE);
    backward =
        fftw_plan_dft_c2r_1d(n, static_cast<fftw_complex*>(out.ptr), static_cast<double*>(in.ptr), FFTW_ESTIMATE);
  }
  if (!forward || !backward) {
    destroy_plans(forward, backward);
    throw std::runtime_error("FFTW could not plan a real FFT of size " + std::to_string(n));
  }
}

RealFftPlans::~RealFftPlans() { destroy_plans(forward, backward); }

}  // namespace genrelab::dsp

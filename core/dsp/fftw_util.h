// Shared FFTW helpers: one planner lock for the whole process and an aligned buffer.
#pragma once

#include <fftw3.h>

#include <cstddef>
#include <mutex>
#include <new>

namespace genrelab::dsp {

/// FFTW's planner (fftw_plan_*, fftw_destroy_plan) is not thread-safe; executing an existing
/// plan on new arrays is. Every plan made anywhere in GenreLab is made under this one lock.
std::mutex& fftw_planner_mutex();

/// An fftw_malloc'ed (SIMD-aligned) buffer, freed on destruction. Not copyable.
struct FftwBuffer {
  explicit FftwBuffer(std::size_t bytes) : ptr(fftw_malloc(bytes)) {
    if (!ptr) throw std::bad_alloc();
  }
  ~FftwBuffer() { fftw_free(ptr); }
  FftwBuffer(const FftwBuffer&) = delete;
  FftwBuffer& operator=(const FftwBuffer&) = delete;
  void* ptr;
};

/// The real FFT plans of size n: r2c forward (n reals -> n/2+1 bins) and c2r backward, made with
/// FFTW_ESTIMATE (deterministic plans: the same arithmetic on every run and machine state) and
/// destroyed under the planner lock. Execute them with fftw_execute_dft_r2c/c2r on any aligned
/// arrays, from any thread. Throws std::runtime_error when FFTW cannot plan. Not copyable.
struct RealFftPlans {
  explicit RealFftPlans(int n);
  ~RealFftPlans();
  RealFftPlans(const RealFftPlans&) = delete;
  RealFftPlans& operator=(const RealFftPlans&) = delete;
  int n;
  fftw_plan forward = nullptr;
  fftw_plan backward = nullptr;
};

}  // namespace genrelab::dsp

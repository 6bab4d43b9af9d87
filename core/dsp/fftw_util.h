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

}  // namespace genrelab::dsp

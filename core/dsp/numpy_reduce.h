// numpy's float reductions, reproduced to the last bit: np.sum / np.mean / np.var of a
// contiguous float32 or float64 array. numpy sums with an 8-way unrolled pairwise summation
// (numpy/core/src/umath/loops_utils.h.src, PW_BLOCKSIZE 128), in the array's own dtype. The Kaggle
// tables print these results, so matching the summation order is what makes rolloff and
// zero-crossing means equal to the CSV bit for bit.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace genrelab::dsp {

/// numpy's pairwise_sum over a contiguous run, accumulating in T.
template <typename T>
T numpy_pairwise_sum(const T* a, std::size_t n) {
  if (n < 8) {
    T res = 0;
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    T r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + static_cast<std::size_t>(j)];
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return numpy_pairwise_sum(a, n2) + numpy_pairwise_sum(a + n2, n - n2);
}

/// np.sum(x) (identity 0 + pairwise sum).
template <typename T>
T numpy_sum(std::span<const T> x) {
  return T(0) + numpy_pairwise_sum(x.data(), x.size());
}

/// np.mean(x): sum / n in T.
template <typename T>
T numpy_mean(std::span<const T> x) {
  return numpy_sum(x) / static_cast<T>(x.size());
}

/// np.var(x) (ddof 0): mean of (x - mean)^2, every step in T as numpy does it.
template <typename T>
T numpy_var(std::span<const T> x) {
  const T mean = numpy_mean(x);
  std::vector<T> d(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const T v = x[i] - mean;
    d[i] = v * v;
  }
  return numpy_sum(std::span<const T>(d)) / static_cast<T>(x.size());
}

}  // namespace genrelab::dsp

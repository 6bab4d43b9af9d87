#include "ml/relu_max_pool.h"

#include <algorithm>

namespace genrelab::ml {

// Branch-free on purpose: after a convolution the comparisons are coin flips for a predictor.
void relu_max_pool_forward(const float* in, std::int64_t rows, std::int64_t length, std::int64_t pool, float* out,
                           std::int32_t* code) {
  const std::int64_t out_length = length / pool;
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* row = in + r * length;
    float* orow = out + r * out_length;
    std::int32_t* crow = code + r * out_length;
    if (pool == 2) {  // the study's pooling: a loop GCC vectorises
      for (std::int32_t i = 0; i < static_cast<std::int32_t>(out_length); ++i) {
        const float v0 = row[2 * i], v1 = row[2 * i + 1];
        const std::int32_t larger = v1 > v0;
        const float best = std::max(v0, v1);  // the first of equal values
        const std::int32_t positive = best > 0.0f;
        orow[i] = std::max(best, 0.0f);
        crow[i] = (2 * i + larger) ^ (positive - 1);  // offset, or ~offset == -1 - offset
      }
      continue;
    }
    for (std::int64_t i = 0; i < out_length; ++i) {
      const auto start = static_cast<std::int32_t>(i * pool);
      float best = row[start];
      std::int32_t where = start;
      for (std::int32_t j = start + 1; j < start + static_cast<std::int32_t>(pool); ++j) {
        const std::int32_t larger = row[j] > best;
        best = std::max(best, row[j]);
        where += larger * (j - where);
      }
      const std::int32_t positive = best > 0.0f;
      orow[i] = std::max(best, 0.0f);
      crow[i] = where ^ (positive - 1);
    }
  }
}

void relu_max_pool_backward(const float* grad_out, const std::int32_t* code, std::int64_t rows, std::int64_t length,
                            std::int64_t out_length, float* grad_in) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* grow = grad_out + r * out_length;
    const std::int32_t* crow = code + r * out_length;
    float* xrow = grad_in + r * length;
    for (std::int64_t i = 0; i < out_length; ++i) {
      // Windows do not overlap: writing 0 where the ReLU blocks the gradient is harmless.
      const std::int32_t negative = crow[i] >> 31;  // 0 or -1
      xrow[crow[i] ^ negative] = grow[i] * static_cast<float>(negative + 1);
    }
  }
}

}  // namespace genrelab::ml

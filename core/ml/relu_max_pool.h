// ReLU followed by 1-D max-pooling (window = stride = pool; a trailing part that does not fill a
// window is dropped, as nn.MaxPool1d does), on raw float rows: the kernels behind the CNN's
// fused ReluMaxPool1d autograd function in network.cpp. Torch-free and built with -O3 (see
// core/CMakeLists.txt): at -O2 GCC 12 does not vectorise the pool-2 loop, which then costs 7x
// more (2.2 ns instead of 0.3 ns per window; 18 % of a training step of the study's CNN).
// Thread-safety: pure functions on the given memory; distinct rows may run on different threads.
#pragma once

#include <cstdint>

namespace genrelab::ml {

/// For each of `rows` rows of `length` values: out[i] = max(0, max of window i) for the
/// length / pool windows, and code[i] = the offset in the row of the window's first largest value
/// when that value is positive, else -1 - offset (no gradient passes a ReLU there).
void relu_max_pool_forward(const float* in, std::int64_t rows, std::int64_t length, std::int64_t pool, float* out,
                           std::int32_t* code);

/// The gradient: grad_in (rows x length, zero-filled by the caller) receives grad_out[i] at the
/// offset code[i] names when it is >= 0.
void relu_max_pool_backward(const float* grad_out, const std::int32_t* code, std::int64_t rows, std::int64_t length,
                            std::int64_t out_length, float* grad_in);

}  // namespace genrelab::ml

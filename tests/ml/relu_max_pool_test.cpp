// The fused ReLU + max-pool kernels against the plain definition (relu, then nn.MaxPool1d with
// its first-maximum rule, then the chain rule), including ties, non-positive windows and
// lengths that do not fill the last window.
#include "ml/relu_max_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace {

struct Reference {
  std::vector<float> out;
  std::vector<float> grad_in;
};

Reference reference(const std::vector<float>& in, int rows, int length, int pool, const std::vector<float>& grad_out) {
  const int out_length = length / pool;
  Reference r;
  r.out.assign(static_cast<std::size_t>(rows * out_length), 0.0f);
  r.grad_in.assign(in.size(), 0.0f);
  for (int row = 0; row < rows; ++row)
    for (int i = 0; i < out_length; ++i) {
      // relu first, then the first maximum of the window (MaxPool1d keeps the first on ties).
      int arg = i * pool;
      float best = std::max(in[static_cast<std::size_t>(row * length + arg)], 0.0f);
      for (int j = i * pool + 1; j < (i + 1) * pool; ++j) {
        const float v = std::max(in[static_cast<std::size_t>(row * length + j)], 0.0f);
        if (v > best) {
          best = v;
          arg = j;
        }
      }
      const auto o = static_cast<std::size_t>(row * out_length + i);
      r.out[o] = best;
      // The pool's gradient goes to `arg`; the ReLU passes it only where the input was > 0.
      if (in[static_cast<std::size_t>(row * length + arg)] > 0.0f)
        r.grad_in[static_cast<std::size_t>(row * length + arg)] += grad_out[o];
    }
  return r;
}

TEST(ReluMaxPool, MatchesReluThenMaxPool) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> level(-3, 3);  // few distinct values: many ties and zeros
  for (int pool : {1, 2, 3, 4}) {
    for (int length : {pool, 9, 55, 57}) {
      const int rows = 7, out_length = length / pool;
      std::vector<float> in(static_cast<std::size_t>(rows * length)),
          grad_out(static_cast<std::size_t>(rows * out_length));
      for (auto& v : in) v = 0.5f * static_cast<float>(level(rng));
      for (auto& g : grad_out) g = static_cast<float>(level(rng)) + 0.25f;
      const auto ref = reference(in, rows, length, pool, grad_out);
      std::vector<float> out(grad_out.size());
      std::vector<std::int32_t> code(grad_out.size());
      genrelab::ml::relu_max_pool_forward(in.data(), rows, length, pool, out.data(), code.data());
      EXPECT_EQ(out, ref.out) << "pool " << pool << ", length " << length;
      std::vector<float> grad_in(in.size(), 0.0f);
      genrelab::ml::relu_max_pool_backward(grad_out.data(), code.data(), rows, length, out_length, grad_in.data());
      EXPECT_EQ(grad_in, ref.grad_in) << "pool " << pool << ", length " << length;
    }
  }
}

}  // namespace

#include "dsp/median_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using namespace genrelab;

namespace {

// Brute force reference: gather the window through scipy's reflect rule, nth_element at size/2
// (scipy.ndimage.median_filter takes rank filter_size // 2).
float brute_median(const dsp::Spectrogram& in, int k, int t, int size, bool along_time) {
  std::vector<float> w;
  const int half = size / 2;
  for (int d = -half; d <= half; ++d) {
    if (along_time) w.push_back(in.at(k, static_cast<int>(dsp::scipy_reflect_index(t + d, in.n_frames))));
    else w.push_back(in.at(static_cast<int>(dsp::scipy_reflect_index(k + d, in.n_bins)), t));
  }
  std::nth_element(w.begin(), w.begin() + half, w.end());
  return w[static_cast<std::size_t>(half)];
}

// Random spectrogram with many ties: values drawn from a small set (plus zeros) when `levels` > 0.
dsp::Spectrogram random_spec(int n_bins, int n_frames, unsigned seed, int levels) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 10.0f);
  std::uniform_int_distribution<int> q(0, levels);
  dsp::Spectrogram s{n_bins, n_frames, std::vector<float>(static_cast<std::size_t>(n_bins) * n_frames)};
  for (auto& v : s.data) v = levels > 0 ? static_cast<float>(q(rng)) * 0.25f : u(rng);
  return s;
}

void expect_matches_brute(const dsp::Spectrogram& in, int size) {
  const auto ht = dsp::median_filter_time(in, size);
  const auto pf = dsp::median_filter_freq(in, size);
  ASSERT_EQ(ht.n_bins, in.n_bins);
  ASSERT_EQ(ht.n_frames, in.n_frames);
  ASSERT_EQ(pf.data.size(), in.data.size());
  int bad_t = 0, bad_f = 0;
  for (int t = 0; t < in.n_frames; ++t)
    for (int k = 0; k < in.n_bins; ++k) {
      // Exact equality: a median is an input element, never a computed value.
      if (ht.at(k, t) != brute_median(in, k, t, size, true) && bad_t++ < 5)
        ADD_FAILURE() << "time k=" << k << " t=" << t << " size=" << size;
      if (pf.at(k, t) != brute_median(in, k, t, size, false) && bad_f++ < 5)
        ADD_FAILURE() << "freq k=" << k << " t=" << t << " size=" << size;
    }
  EXPECT_EQ(bad_t, 0);
  EXPECT_EQ(bad_f, 0);
}

}  // namespace

TEST(MedianFilter, ScipyReflectRepeatsTheEdge) {
  // scipy.ndimage 'reflect' on [a b c d] (n = 4), positions -8 .. 9: a b c d d c b a | a b c d | d c b a a b
  const int expected[] = {0, 1, 2, 3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1};
  for (int i = -8; i < 10; ++i) EXPECT_EQ(dsp::scipy_reflect_index(i, 4), expected[i + 8]) << i;
  EXPECT_EQ(dsp::scipy_reflect_index(-5, 1), 0);
  EXPECT_EQ(dsp::scipy_reflect_index(7, 1), 0);
}

TEST(MedianFilter, RejectsEvenOrNonPositiveSize) {
  const auto s = random_spec(4, 4, 1, 0);
  EXPECT_THROW(dsp::median_filter_time(s, 30), std::invalid_argument);
  EXPECT_THROW(dsp::median_filter_freq(s, 0), std::invalid_argument);
  EXPECT_THROW(dsp::median_filter_freq(s, -3), std::invalid_argument);
}

TEST(MedianFilter, MatchesBruteForceContinuousValues) {
  // Sizes that are not multiples of the 16-lane group on either axis exercise the tail paths.
  expect_matches_brute(random_spec(37, 53, 7, 0), 31);
  expect_matches_brute(random_spec(129, 40, 8, 0), 31);
  expect_matches_brute(random_spec(33, 70, 9, 0), 5);
}

TEST(MedianFilter, MatchesBruteForceWithTies) {
  expect_matches_brute(random_spec(50, 61, 11, 3), 31);  // values in {0, .25, .5, .75}
  expect_matches_brute(random_spec(20, 35, 12, 1), 31);  // only two values
  expect_matches_brute(random_spec(17, 19, 13, 0), 1);   // size 1 = identity
}

TEST(MedianFilter, WindowLongerThanSeries) {
  // n < size/2: scipy reflects periodically (period 2n); the window wraps more than once.
  expect_matches_brute(random_spec(7, 5, 21, 0), 31);
  expect_matches_brute(random_spec(1, 3, 22, 2), 31);
  expect_matches_brute(random_spec(16, 1, 23, 0), 9);
}

TEST(MedianFilter, EveryKernelMatchesBruteForce) {
  // The SSE2, AVX2 and AVX-512 builds of the kernel must give identical bits (lanes API, time axis:
  // 45 lanes = two 16-lane groups + a 13-lane tail).
  for (const int levels : {0, 2}) {
    const auto s = random_spec(45, 70, 31 + static_cast<unsigned>(levels), levels);
    for (const auto kernel : {dsp::MedianKernel::sse2, dsp::MedianKernel::avx2, dsp::MedianKernel::avx512}) {
      if (!dsp::median_kernel_supported(kernel)) {
        std::printf("median kernel %d not supported here, skipped\n", static_cast<int>(kernel));
        continue;
      }
      std::vector<float> out(s.data.size());
      dsp::median_filter_lanes(s.data.data(), s.n_bins, out.data(), s.n_bins, static_cast<std::size_t>(s.n_frames),
                               static_cast<std::size_t>(s.n_bins), 31, kernel);
      int bad = 0;
      for (int t = 0; t < s.n_frames; ++t)
        for (int k = 0; k < s.n_bins; ++k)
          bad += out[static_cast<std::size_t>(t) * 45 + static_cast<std::size_t>(k)] != brute_median(s, k, t, 31, true);
      EXPECT_EQ(bad, 0) << "kernel " << static_cast<int>(kernel) << " levels " << levels;
    }
  }
}

TEST(MedianFilter, TimingOnClipSizedInput) {
  // Timing only (printed, never asserted): a 30-s clip's magnitude is 1025 bins x 1293 frames.
  const auto s = random_spec(1025, 1293, 41, 0);
  dsp::Spectrogram out;
  double best_t = 1e9, best_f = 1e9;
  for (int rep = 0; rep < 5; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    dsp::median_filter_time(s, 31, out);
    auto t1 = std::chrono::steady_clock::now();
    dsp::median_filter_freq(s, 31, out);
    auto t2 = std::chrono::steady_clock::now();
    best_t = std::min(best_t, std::chrono::duration<double, std::milli>(t1 - t0).count());
    best_f = std::min(best_f, std::chrono::duration<double, std::milli>(t2 - t1).count());
  }
  std::printf("median_filter 1025x1293 size 31: time axis %.2f ms, freq axis %.2f ms (best of 5)\n", best_t, best_f);
}

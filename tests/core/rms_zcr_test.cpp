#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "audio/decode.h"
#include "dsp/numpy_reduce.h"
#include "dsp/rms.h"
#include "dsp/zero_crossing_rate.h"
#include "support/kaggle_reference.h"
#include "support/test_data.h"

using namespace genrelab;
namespace kaggle = genrelab::test::kaggle;

TEST(RmsZcr, RejectsBadParameters) {
  const std::vector<float> y(100, 0.1f);
  EXPECT_THROW(dsp::rms(y, 0), std::invalid_argument);
  EXPECT_THROW(dsp::rms(y, 2048, 0), std::invalid_argument);
  EXPECT_THROW(dsp::rms(std::vector<float>{}), std::invalid_argument);
  EXPECT_THROW(dsp::zero_crossing_rate(y, 0), std::invalid_argument);
  EXPECT_THROW(dsp::zero_crossing_rate(y, 2048, 0), std::invalid_argument);
  EXPECT_THROW(dsp::zero_crossing_rate(std::vector<float>{}), std::invalid_argument);
}

TEST(RmsZcr, FrameCounts) {
  // 1 + len / hop for even frame lengths (both pad by frame_length / 2).
  const std::vector<float> y(66149, 0.25f);
  EXPECT_EQ(dsp::rms(y).size(), 130u);
  EXPECT_EQ(dsp::zero_crossing_rate(y).size(), 130u);
  EXPECT_EQ(dsp::rms(std::vector<float>(661794, 0.0f)).size(), 1293u);
}

TEST(RmsZcr, ConstantAndAlternatingSignals) {
  // A constant 0.25: every padded frame holds 0.25 only (reflect padding of a constant), so the
  // RMS is 0.25 exactly (2048 * 0.0625 is exact in float32) and there is no crossing.
  const std::vector<float> c(10000, 0.25f);
  for (float v : dsp::rms(c)) ASSERT_EQ(v, 0.25f);
  for (double v : dsp::zero_crossing_rate(c)) ASSERT_EQ(v, 0.0);
  // +-0.5 alternating: interior frames cross at each of their 2047 inner positions.
  std::vector<float> alt(10000);
  for (std::size_t i = 0; i < alt.size(); ++i) alt[i] = i % 2 ? -0.5f : 0.5f;
  const auto zcr = dsp::zero_crossing_rate(alt);
  EXPECT_EQ(zcr[5], 2047.0 / 2048);
  // Frame 0 is 1024 'edge' copies of y[0] = +0.5 followed by y[0..1023]: 1023 crossings.
  EXPECT_EQ(zcr[0], 1023.0 / 2048);
}

TEST(RmsZcr, ZeroCrossingThresholdAndSignOfZero) {
  // |y| <= 1e-10 counts as +0 (no crossing between 1e-3 and -1e-11); 0 is positive, so 0 -> -x is
  // a crossing and -x -> 0 is one too.
  std::vector<float> y(4096, 1e-3f);
  for (std::size_t i = 1000; i < 1010; ++i) y[i] = -1e-11f;
  const auto zcr_tiny = dsp::zero_crossing_rate(y);
  for (double v : zcr_tiny) ASSERT_EQ(v, 0.0);
  std::vector<float> z(4096, 0.0f);
  z[2048] = -1e-3f;  // two crossings (0 -> neg, neg -> 0) for frames covering both transitions
  const auto zcr_zero = dsp::zero_crossing_rate(z);
  EXPECT_EQ(zcr_zero[4], 2.0 / 2048);  // frame 4 covers padded [2048, 4096) = y[1024, 3072)
}

TEST(RmsZcr, MatchesLibrosaOnBlues) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  GENRELAB_REQUIRE_LIBROSA_REF(lr);
  const auto y = audio::load_mono(gtzan / "genres_original/blues/blues.00000.wav");
  const auto r = dsp::rms(y);
  const auto z = dsp::zero_crossing_rate(y);
  ASSERT_EQ(r.size(), 1293u);
  ASSERT_EQ(z.size(), 1293u);
  // Reference rms is float32 written with 9 significant digits (round-trips), zcr float64 at full
  // precision: both are bit-exact when the pad mode, frame layout and the pairwise summation order
  // are right (a sequential float32 sum over the frame differs in most frames).
  for (std::size_t t = 0; t < 1293; ++t) {
    ASSERT_EQ(r[t], static_cast<float>(lr["rms"][t].get<double>())) << "rms frame " << t;
    ASSERT_EQ(z[t], lr["zero_crossing_rate"][t].get<double>()) << "zcr frame " << t;
  }
}

namespace {

void compare_row(const kaggle::ReferenceTable& table, const std::string& row, std::span<const float> y,
                 std::vector<kaggle::WorstError>& errors) {
  const auto r = dsp::rms(y);
  const auto z = dsp::zero_crossing_rate(y);
  const double got[4] = {dsp::numpy_mean<float>(r), dsp::numpy_var<float>(r), dsp::numpy_mean<double>(z),
                         dsp::numpy_var<double>(z)};
  for (int i = 0; i < 4; ++i) {
    const double want = table.value(row, errors[static_cast<std::size_t>(i)].column);
    errors[static_cast<std::size_t>(i)].add(row, got[i], want);
    // zero_crossing_rate mean/var: exact (integer counts / 2048, float64 pairwise sums).
    // rms: the bar is relative 1e-5; it is in fact bit-equal (printed in the table).
    if (i >= 2) EXPECT_EQ(got[i], want) << row << " " << errors[static_cast<std::size_t>(i)].column;
    else EXPECT_NEAR(got[i], want, 1e-5 * want) << row << " " << errors[static_cast<std::size_t>(i)].column;
  }
}

std::vector<kaggle::WorstError> rms_zcr_columns() {
  return kaggle::worst_errors({"rms_mean", "rms_var", "zero_crossing_rate_mean", "zero_crossing_rate_var"});
}

}  // namespace

TEST(RmsZcr, MatchesKaggleTable30s) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto& table = kaggle::table_30s();
  auto errors = rms_zcr_columns();
  kaggle::for_each_clip(gtzan,
                        [&](const std::string& row, std::span<const float> y) { compare_row(table, row, y, errors); });
  kaggle::print_table("rms / zcr vs features_30_sec.csv (30 clips)", errors);
}

TEST(RmsZcr, MatchesKaggleTable3sSegments) {
  GENRELAB_REQUIRE_GTZAN(gtzan);
  const auto& table = kaggle::table_3s_subset();
  auto errors = rms_zcr_columns();
  kaggle::for_each_segment(
      gtzan, table, [&](const std::string& row, std::span<const float> seg) { compare_row(table, row, seg, errors); });
  ASSERT_EQ(errors[0].rows, 90);
  kaggle::print_table("rms / zcr vs features_3_sec subset (90 segments)", errors);
}

// SimilarTracks against a brute-force reference computed here: standardise each column by hand
// (mean, population std over the table rows), cosine by hand, sort by hand.
#include "stats/similar_tracks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "dataset/feature_table.h"

namespace {

using genrelab::dataset::FeatureTable;
using genrelab::stats::SimilarTracks;

// Column "flat" is constant (zero variance). Rows 1 and 4 are equal, so any query ties on them.
FeatureTable synthetic_table() {
  FeatureTable t;
  t.feature_names = {"a", "flat", "b", "c"};
  const double rows[][4] = {{1.0, 5.0, 2.0, -1.0}, {0.5, 5.0, -3.0, 4.0}, {2.0, 5.0, 0.0, 0.5},
                            {-1.0, 5.0, 1.0, 2.0}, {0.5, 5.0, -3.0, 4.0}, {3.0, 5.0, 2.5, -2.0}};
  const char* names[] = {"blues.00000.wav", "jazz.00001.wav", "rock.00002.wav",
                         "pop.00003.wav",   "jazz.00004.wav", "blues.00005.wav"};
  const char* labels[] = {"blues", "jazz", "rock", "pop", "jazz", "blues"};
  for (int r = 0; r < 6; ++r) t.append(names[r], 661794, rows[r], labels[r]);
  return t;
}

struct Ref {
  std::size_t row;
  double similarity;
};

/// The reference: columns with nonzero population std, standardised, cosine, sorted (ties: table order).
std::vector<Ref> brute_force(const FeatureTable& t, const std::vector<double>& query, std::size_t top) {
  const std::size_t n = t.rows();
  std::vector<std::size_t> used;
  std::vector<double> mean(t.cols()), sd(t.cols());
  for (std::size_t c = 0; c < t.cols(); ++c) {
    double m = 0;
    for (std::size_t r = 0; r < n; ++r) m += t.at(r, c);
    m /= static_cast<double>(n);
    double v = 0;
    for (std::size_t r = 0; r < n; ++r) v += (t.at(r, c) - m) * (t.at(r, c) - m);
    mean[c] = m;
    sd[c] = std::sqrt(v / static_cast<double>(n));  // population std (ddof = 0)
    if (sd[c] > 0) used.push_back(c);
  }
  auto z = [&](auto value_of) {
    std::vector<double> out;
    for (auto c : used) out.push_back((value_of(c) - mean[c]) / sd[c]);
    return out;
  };
  auto cosine = [](const std::vector<double>& x, const std::vector<double>& y) {
    double xy = 0, xx = 0, yy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) xy += x[i] * y[i], xx += x[i] * x[i], yy += y[i] * y[i];
    return xx == 0 || yy == 0 ? 0.0 : xy / std::sqrt(xx * yy);
  };
  const auto q = z([&](std::size_t c) { return query[c]; });
  std::vector<Ref> all;
  for (std::size_t r = 0; r < n; ++r) all.push_back({r, cosine(z([&](std::size_t c) { return t.at(r, c); }), q)});
  std::stable_sort(all.begin(), all.end(), [](const Ref& a, const Ref& b) { return a.similarity > b.similarity; });
  all.resize(std::min(top, all.size()));
  return all;
}

// Sums of a handful of products: the two orders of summation agree to a few ulps.
constexpr double kTol = 1e-12;

TEST(SimilarTracks, MatchesBruteForceWithTiesAndAConstantColumn) {
  const auto t = synthetic_table();
  const auto s = SimilarTracks::create(t);
  EXPECT_EQ(s.used_columns(), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(s.left_out().size(), 1u);
  EXPECT_EQ(s.left_out()[0].name, "flat");
  EXPECT_EQ(s.left_out()[0].reason, "zero variance");
  // The query's "flat" value differs from the table's constant: it must not matter.
  for (const auto& query :
       std::vector<std::vector<double>>{{0.6, 9.0, -2.5, 3.5}, {1.0, 5.0, 2.0, -1.0}, {0.4, -7.0, 1.1, 0.9}}) {
    const auto got = s.nearest(query, 6);
    const auto want = brute_force(t, query, 6);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].row, want[i].row) << "rank " << i;
      EXPECT_NEAR(got[i].similarity, want[i].similarity, kTol) << "rank " << i;
      EXPECT_EQ(got[i].filename, t.filenames[got[i].row]);
      EXPECT_EQ(got[i].label, t.labels[got[i].row]);
    }
  }
  // Rows 1 and 4 tie exactly (equal rows): table order.
  const auto tie = s.nearest(std::vector<double>{0.5, 5.0, -3.0, 4.0}, 2);
  ASSERT_EQ(tie.size(), 2u);
  EXPECT_EQ(tie[0].row, 1u);
  EXPECT_EQ(tie[1].row, 4u);
  EXPECT_EQ(tie[0].similarity, tie[1].similarity);
  EXPECT_NEAR(tie[0].similarity, 1.0, kTol);
}

TEST(SimilarTracks, TopLargerThanTableAndExcludeSelf) {
  const auto t = synthetic_table();
  const auto s = SimilarTracks::create(t);
  const std::vector<double> q{1.0, 5.0, 2.0, -1.0};  // row 0 itself
  EXPECT_EQ(s.nearest(q, 100).size(), 6u);
  EXPECT_EQ(s.nearest(q, 0).size(), 0u);
  EXPECT_EQ(s.nearest(q, 1)[0].row, 0u);
  const auto without = s.nearest(q, 100, "blues.00000");
  ASSERT_EQ(without.size(), 5u);
  for (const auto& r : without) EXPECT_NE(r.row, 0u);
  const auto want = brute_force(t, q, 6);
  EXPECT_EQ(without[0].row, want[1].row);
}

TEST(SimilarTracks, MeanOfWindowsRanksTheMeanStandardisedVector) {
  const auto t = synthetic_table();
  const auto s = SimilarTracks::create(t);
  const std::vector<std::vector<double>> windows{{0.6, 5.0, -2.5, 3.5}, {2.0, 5.0, 1.0, 0.0}};
  const Eigen::VectorXd mean = (s.standardise(windows[0]) + s.standardise(windows[1])) / 2.0;
  const auto a = s.nearest_mean(windows, 6);
  const auto b = s.nearest_standardised(mean, 6);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].row, b[i].row);
    EXPECT_DOUBLE_EQ(a[i].similarity, b[i].similarity);
  }
  EXPECT_THROW(s.nearest_mean({}, 3), std::invalid_argument);
}

TEST(SimilarTracks, GuardsEmptyTablesNaNColumnsAndBadQueries) {
  FeatureTable empty;
  empty.feature_names = {"a"};
  EXPECT_THROW(SimilarTracks::create(empty), std::invalid_argument);
  auto t = synthetic_table();
  t.values[0 * 4 + 3] = std::numeric_limits<double>::quiet_NaN();  // column "c" gets a NaN
  const auto s = SimilarTracks::create(t);
  EXPECT_EQ(s.used_columns(), (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(s.left_out().size(), 2u);
  EXPECT_EQ(s.left_out()[0].name, "flat");
  EXPECT_EQ(s.left_out()[1].name, "c");
  EXPECT_EQ(s.left_out()[1].reason, "NaN or infinite values");
  // A NaN in a left-out column of the query is harmless; in a used one it is an error.
  EXPECT_NO_THROW(s.nearest(std::vector<double>{1, 5, 2, std::nan("")}, 3));
  EXPECT_THROW(s.nearest(std::vector<double>{std::nan(""), 5, 2, 1}, 3), std::invalid_argument);
  EXPECT_THROW(s.nearest(std::vector<double>{1, 2}, 3), std::invalid_argument);
  FeatureTable flat;
  flat.feature_names = {"x"};
  flat.append("a.00000.wav", 1, std::vector<double>{1.0}, "a");
  flat.append("a.00001.wav", 1, std::vector<double>{1.0}, "a");
  EXPECT_THROW(SimilarTracks::create(flat), std::invalid_argument);
  // A query that standardises to zero (the column means): similarity 0 with every row, not NaN.
  const auto clean = SimilarTracks::create(synthetic_table());
  for (const auto& r : clean.nearest_standardised(Eigen::VectorXd::Zero(3), 6)) EXPECT_EQ(r.similarity, 0.0);
}

}  // namespace

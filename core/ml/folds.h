// Cross-validation folds that keep rows belonging together in one fold: the 3-second segments of
// one track, and rows with identical feature values (GTZAN's repeated clips: 14 pairs in
// features_30_sec.csv, one of them across two genres). Folds are stratified by genre and seeded.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace genrelab::dataset {
struct FeatureTable;
}

namespace genrelab::ml {

/// A group id per row (0..groups-1, numbered in order of first row). Rows share a group when they
/// come from the same track (dataset::parse_track_key of the filename) or, with
/// `group_duplicates`, when all their feature values are equal; groups are closed under both.
std::vector<int> row_groups(const dataset::FeatureTable& table, bool group_duplicates = true);

/// Groups closed under both `a` and `b` (rows share a group when they share one in either),
/// numbered 0.. in order of first row. Throws std::invalid_argument when the sizes differ.
std::vector<int> merge_groups(std::span<const int> a, std::span<const int> b);

/// Number of distinct groups in a group-id vector (max + 1; 0 when empty).
std::size_t group_count(std::span<const int> groups) noexcept;

/// Stratified group k-fold: returns the fold (0..folds-1) of every row. Every group lands in one
/// fold; per genre the folds differ by at most one group where the groups allow it. The seed
/// shuffles the groups (our own Fisher–Yates on std::mt19937_64, so the folds do not depend on
/// the standard library); then, largest groups first, each group goes to the fold holding the
/// fewest rows of its genres so far (ties: fewest rows in all, then lowest fold).
/// Throws std::invalid_argument when sizes differ, a label or group id is negative, folds is
/// outside 2..1000, or there are fewer groups than folds.
std::vector<int> stratified_group_folds(std::span<const int> labels, std::span<const int> groups, int folds,
                                        std::uint64_t seed);

/// Splits `rows` (indices into labels/groups) into (kept, held_out) with about `fraction` of the
/// groups held out, grouped and stratified like the folds (one fold of round(1 / fraction)).
/// fraction in (0, 0.5]; throws std::invalid_argument otherwise or when `rows` has fewer than 2
/// groups.
struct RowSplit {
  std::vector<std::size_t> kept;
  std::vector<std::size_t> held_out;
};
RowSplit grouped_holdout(std::span<const std::size_t> rows, std::span<const int> labels, std::span<const int> groups,
                         double fraction, std::uint64_t seed);

/// A well-mixed 64-bit value from (seed, stream): splitmix64. Used to derive per-fold seeds.
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream) noexcept;

}  // namespace genrelab::ml

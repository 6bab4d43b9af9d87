#include "ml/folds.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "dataset/feature_table.h"

namespace genrelab::ml {
namespace {

struct DisjointSets {
  std::vector<std::size_t> parent;
  explicit DisjointSets(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), std::size_t{0}); }
  std::size_t find(std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }
  void unite(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  /// The set of every element as 0.. in order of first element.
  std::vector<int> numbered() {
    std::vector<int> group(parent.size(), -1);
    std::unordered_map<std::size_t, int> id_of_root;
    for (std::size_t r = 0; r < parent.size(); ++r) {
      const auto [it, inserted] = id_of_root.emplace(find(r), static_cast<int>(id_of_root.size()));
      group[r] = it->second;
    }
    return group;
  }
};

struct Group {
  std::vector<std::size_t> rows;
  std::map<int, std::size_t> label_counts;
};

}  // namespace

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream) noexcept {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<int> row_groups(const dataset::FeatureTable& table, bool group_duplicates) {
  const std::size_t n = table.rows();
  DisjointSets sets(n);
  std::unordered_map<std::string, std::size_t> first_of_track;
  for (std::size_t r = 0; r < n; ++r) {
    const auto key = dataset::parse_track_key(table.filenames[r]);
    const auto [it, inserted] = first_of_track.emplace(key.track_id, r);
    if (!inserted) sets.unite(it->second, r);
  }
  if (group_duplicates) {
    // Exact equality of every value: the repeated clips have bit-identical rows.
    std::map<std::vector<double>, std::size_t> first_of_values;
    for (std::size_t r = 0; r < n; ++r) {
      const auto row = table.row(r);
      const auto [it, inserted] = first_of_values.emplace(std::vector<double>(row.begin(), row.end()), r);
      if (!inserted) sets.unite(it->second, r);
    }
  }
  return sets.numbered();
}

std::vector<int> merge_groups(std::span<const int> a, std::span<const int> b) {
  if (a.size() != b.size()) throw std::invalid_argument("merge_groups: the group vectors differ in size");
  DisjointSets sets(a.size());
  for (const auto groups : {a, b}) {
    std::unordered_map<int, std::size_t> first;
    for (std::size_t r = 0; r < groups.size(); ++r)
      if (const auto [it, inserted] = first.emplace(groups[r], r); !inserted) sets.unite(it->second, r);
  }
  return sets.numbered();
}

std::size_t group_count(std::span<const int> groups) noexcept {
  int m = -1;
  for (int g : groups) m = std::max(m, g);
  return static_cast<std::size_t>(m + 1);
}

std::vector<int> stratified_group_folds(std::span<const int> labels, std::span<const int> groups, int folds,
                                        std::uint64_t seed) {
  if (labels.size() != groups.size())
    throw std::invalid_argument("folds: " + std::to_string(labels.size()) + " labels for " +
                                std::to_string(groups.size()) + " group ids");
  if (folds < 2 || folds > 1000)
    throw std::invalid_argument("folds must be in 2..1000 (got " + std::to_string(folds) + ")");
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || groups[i] < 0)
      throw std::invalid_argument("folds: negative label or group id at row " + std::to_string(i));
  const std::size_t n_groups = group_count(groups);
  std::vector<Group> all(n_groups);
  for (std::size_t r = 0; r < labels.size(); ++r) {
    all[static_cast<std::size_t>(groups[r])].rows.push_back(r);
    ++all[static_cast<std::size_t>(groups[r])].label_counts[labels[r]];
  }
  std::erase_if(all, [](const Group& g) { return g.rows.empty(); });
  if (all.size() < static_cast<std::size_t>(folds))
    throw std::invalid_argument("cannot make " + std::to_string(folds) + " folds from " + std::to_string(all.size()) +
                                " groups of rows");
  const int n_labels = *std::max_element(labels.begin(), labels.end()) + 1;

  std::vector<std::size_t> order(all.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(mix_seed(seed, 0x666f6c6473ULL));
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<std::size_t>(rng() % i)]);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return all[a].rows.size() > all[b].rows.size(); });

  const auto k = static_cast<std::size_t>(folds);
  std::vector<std::size_t> per_label(k * static_cast<std::size_t>(n_labels), 0);
  std::vector<std::size_t> per_fold(k, 0);
  std::vector<int> fold_of_row(labels.size(), -1);
  for (const std::size_t gi : order) {
    const Group& g = all[gi];
    std::size_t best = 0;
    std::size_t best_cost = 0, best_total = 0;
    for (std::size_t f = 0; f < k; ++f) {
      std::size_t cost = 0;
      for (const auto& [label, count] : g.label_counts)
        cost += count * per_label[f * static_cast<std::size_t>(n_labels) + static_cast<std::size_t>(label)];
      if (f == 0 || cost < best_cost || (cost == best_cost && per_fold[f] < best_total)) {
        best = f;
        best_cost = cost;
        best_total = per_fold[f];
      }
    }
    for (const auto& [label, count] : g.label_counts)
      per_label[best * static_cast<std::size_t>(n_labels) + static_cast<std::size_t>(label)] += count;
    per_fold[best] += g.rows.size();
    for (const std::size_t r : g.rows) fold_of_row[r] = static_cast<int>(best);
  }
  return fold_of_row;
}

RowSplit grouped_holdout(std::span<const std::size_t> rows, std::span<const int> labels, std::span<const int> groups,
                         double fraction, std::uint64_t seed) {
  if (!(fraction > 0.0 && fraction <= 0.5))
    throw std::invalid_argument("validation fraction must be in (0, 0.5] (got " + std::to_string(fraction) + ")");
  // Renumber the groups of the subset so that the fold routine sees only them.
  std::vector<int> sub_labels, sub_groups;
  std::unordered_map<int, int> renumber;
  for (const std::size_t r : rows) {
    sub_labels.push_back(labels[r]);
    const auto [it, inserted] = renumber.emplace(groups[r], static_cast<int>(renumber.size()));
    sub_groups.push_back(it->second);
  }
  if (renumber.size() < 2) throw std::invalid_argument("a validation split needs at least 2 groups of rows");
  const int parts =
      std::max(2, std::min(static_cast<int>(renumber.size()), static_cast<int>(std::lround(1.0 / fraction))));
  const auto fold = stratified_group_folds(sub_labels, sub_groups, parts, mix_seed(seed, 0x76616cULL));
  RowSplit split;
  for (std::size_t i = 0; i < rows.size(); ++i) (fold[i] == 0 ? split.held_out : split.kept).push_back(rows[i]);
  return split;
}

}  // namespace genrelab::ml

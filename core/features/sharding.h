// Splitting a file list into N shards for a cluster: deterministic (the same list gives the same
// split on every machine) and balanced by bytes, not only by count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace genrelab::features {

/// Shard k of n, 1-based (1 <= k <= n). {1, 1} is the whole list.
struct ShardSpec {
  int k = 1;
  int n = 1;
  bool whole() const noexcept { return n == 1; }
  friend bool operator==(const ShardSpec&, const ShardSpec&) = default;
};

/// Parses "K/N". Throws std::invalid_argument "shard must be K/N with 1 <= K <= N" otherwise.
ShardSpec parse_shard(std::string_view text);

/// Indices (ascending) of the items that belong to shard `spec`. Items are ordered by size (bytes,
/// largest first; ties by key) and dealt to shards in snake order 1..N, N..1, 1..N, …, so shard
/// sizes differ by at most one item count and by less than the largest item in bytes. `keys` must
/// identify items uniquely (label + path); sizes of missing files may be 0.
std::vector<std::size_t> shard_indices(const std::vector<std::int64_t>& sizes, const std::vector<std::string>& keys,
                                       ShardSpec spec);

}  // namespace genrelab::features

#include "features/sharding.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <stdexcept>

namespace genrelab::features {

ShardSpec parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  ShardSpec spec{0, 0};
  const auto parse = [](std::string_view part, int& out) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && end == part.data() + part.size() && !part.empty();
  };
  if (slash == std::string_view::npos || !parse(text.substr(0, slash), spec.k) ||
      !parse(text.substr(slash + 1), spec.n) || spec.n < 1 || spec.k < 1 || spec.k > spec.n)
    throw std::invalid_argument("shard must be K/N with 1 <= K <= N (got '" + std::string(text) + "')");
  return spec;
}

std::vector<std::size_t> shard_indices(const std::vector<std::int64_t>& sizes, const std::vector<std::string>& keys,
                                       ShardSpec spec) {
  std::vector<std::size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), 0);
  if (spec.whole()) return order;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (sizes[a] != sizes[b]) return sizes[a] > sizes[b];
    if (keys[a] != keys[b]) return keys[a] < keys[b];
    return a < b;
  });
  const auto n = static_cast<std::size_t>(spec.n);
  std::vector<std::size_t> mine;
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    const std::size_t round = pos / n, slot = pos % n;
    const std::size_t shard = round % 2 == 0 ? slot : n - 1 - slot;  // snake: 0..n-1, n-1..0, …
    if (shard + 1 == static_cast<std::size_t>(spec.k)) mine.push_back(order[pos]);
  }
  std::sort(mine.begin(), mine.end());
  return mine;
}

}  // namespace genrelab::features

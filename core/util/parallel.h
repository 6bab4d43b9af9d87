// Runs independent work items on a few threads. No Qt.
#pragma once

#include <cstddef>
#include <functional>

namespace genrelab {

class CancelToken;

/// Number of hardware threads (at least 1).
unsigned hardware_jobs() noexcept;

/// Calls fn(i) for i in [0, n) on `jobs` threads (0 = all cores); items are taken in index
/// order. Stops handing out items once `cancel` is set. The first exception thrown by fn stops
/// the remaining items and is rethrown here after all threads joined. fn must be thread-safe.
void parallel_for(std::size_t n, unsigned jobs, const std::function<void(std::size_t)>& fn,
                  const CancelToken* cancel = nullptr);

}  // namespace genrelab

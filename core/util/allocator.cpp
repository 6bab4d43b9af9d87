#include "util/allocator.h"

#include <malloc.h>

namespace genrelab {

void tune_allocator_for_batch_work() {
  mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
}

}  // namespace genrelab

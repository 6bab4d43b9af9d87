// Process-wide allocator settings for GenreLab's executables.
#pragma once

namespace genrelab {

/// Feature extraction allocates and frees tens of MB per clip. With glibc's defaults such blocks
/// are mmap'ed and handed back to the kernel every time, and re-faulting their pages cost about
/// 8 ms of a 55 ms clip (bench extract). This keeps freed memory in the heap for reuse (mmap
/// threshold 256 MiB, trim threshold 512 MiB). Call once at the start of main().
void tune_allocator_for_batch_work();

}  // namespace genrelab

#!/usr/bin/env bash
# Sets up, builds and runs every test (ctest). Tests that need ../shared/data/gtzan (or
# $GENRELAB_DATA) skip with a message when it is absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
build="${GENRELAB_BUILD_DIR:-$root/build}"
export QT_QPA_PLATFORM=offscreen      # Qt tests need no display
export OMP_WAIT_POLICY=passive        # idle OpenMP threads in libtorch must not spin (TOOLCHAIN.md)
# AddressSanitizer + UBSan over the core tests of input parsing, buffers and threads (build-asan;
# no libtorch code is compiled for it).
# It runs first so that the main ctest summary stays the last line. GENRELAB_SKIP_ASAN=1 skips it.
if [ "${GENRELAB_SKIP_ASAN:-0}" != 1 ]; then
  bash "$root/scripts/sanitize.sh" asan-core
fi
cd "$build"
ctest --output-on-failure -j "$(nproc)" "$@"

#!/usr/bin/env bash
# Configures and builds GenreLab into ${GENRELAB_BUILD_DIR:-build} (Release with debug info, Ninja, ccache).
# Extra arguments go to CMake's configure step, e.g. -DGENRELAB_SANITIZE="address;undefined".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GENRELAB_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja "$@" >/dev/null
# Two cores and libtorch units near 1.5 GB each: plenty of memory, so use every core.
cmake --build "$build" -j "$(nproc)"

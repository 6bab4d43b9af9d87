#!/usr/bin/env bash
# Sanitizer runs (issue 10). GUI off; each in its own build folder.
#   scripts/sanitize.sh asan [--ml]  AddressSanitizer + UBSan: core tests, CLI tests (and ml tests with --ml)
#                                    in ${GENRELAB_ASAN_BUILD_DIR:-build-asan}
#   scripts/sanitize.sh asan-core    the core tests of input parsing, buffers and threads
#                                    (tests/CMakeLists.txt; no libtorch code is compiled: what CI runs)
#   scripts/sanitize.sh tsan         ThreadSanitizer: the worker/cancel/progress tests (scan, extract and
#                                    train with many jobs, cancelled from another thread and restarted)
#                                    in ${GENRELAB_TSAN_BUILD_DIR:-build-tsan}
#   scripts/sanitize.sh [all]        asan --ml, then tsan
# Any sanitizer report fails the run (halt_on_error); leaks are reported at exit (LeakSanitizer).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-all}"
with_ml=0
[ "${2:-}" = "--ml" ] && with_ml=1
export OMP_WAIT_POLICY=passive
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/tsan.supp}"

configure() {  # build-dir, sanitizers
  # -O1 (with line tables): the sanitizers' usual level; it compiles in about half the time of -O2
  # under instrumentation, and the tests still run at a useful speed.
  cmake -S "$root" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG" \
    -DGENRELAB_BUILD_GUI=OFF -DGENRELAB_SANITIZE="$2" >/dev/null
}

asan() {  # labels, targets...
  local build="${GENRELAB_ASAN_BUILD_DIR:-$root/build-asan}" labels="$1"
  shift
  configure "$build" "address;undefined"
  cmake --build "$build" -j 2 --target "$@"
  echo "sanitize: AddressSanitizer + UBSan, labels $labels"
  (cd "$build" && ctest -j 2 -L "$labels" --output-on-failure)
}

tsan() {
  local build="${GENRELAB_TSAN_BUILD_DIR:-$root/build-tsan}"
  configure "$build" "thread"
  cmake --build "$build" -j 2 --target genrelab_core_tests genrelab_ml_tests
  local filter='Stress.*:Parallel.*:Progress.*:DatasetScan.Cancels:TableExtraction.*:NoLostWork.*:HostileInput.DatasetScan*:Trainer.ReportsProgressAndCancels:Predictor.BadFiles*:HostileBundle.Predictor*'
  echo "sanitize: ThreadSanitizer, $filter"
  # TSan needs the address space layout it expects; disable ASLR for the run when setarch can.
  local run=()
  setarch "$(uname -m)" -R true 2>/dev/null && run=(setarch "$(uname -m)" -R)
  "${run[@]}" "$build/tests/genrelab_core_tests" --gtest_filter="$filter"
  "${run[@]}" "$build/tests/ml/genrelab_ml_tests" --gtest_filter="$filter"
}

case "$mode" in
  asan-core) asan asan genrelab_core_asan_tests genrelab_atomic_writer ;;
  asan)
    if [ $with_ml -eq 1 ]; then asan 'core|cli|ml' genrelab_core_tests genrelab_atomic_writer genrelab_cli_tests genrelab-cli genrelab_ml_tests
    else asan 'core|cli' genrelab_core_tests genrelab_atomic_writer genrelab_cli_tests genrelab-cli; fi ;;
  tsan) tsan ;;
  all)
    asan 'core|cli|ml' genrelab_core_tests genrelab_atomic_writer genrelab_cli_tests genrelab-cli genrelab_ml_tests
    tsan ;;
  *) echo "usage: scripts/sanitize.sh [asan [--ml] | asan-core | tsan | all]" >&2; exit 2 ;;
esac

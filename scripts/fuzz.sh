#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang-14, AddressSanitizer and UBSan in
# ${GENRELAB_FUZZ_BUILD_DIR:-build-fuzz} and runs each for a bounded time, one after the other,
# printing executions and time per target. The seed corpus is generated into the build folder by
# tests/fuzz/make_seeds.cpp (no data files in the repo); new inputs go there too.
#   scripts/fuzz.sh [SECONDS_PER_TARGET (default 120)] [TARGET...]   targets: fuzz_csv fuzz_decode fuzz_bundle
# Exit status 1 when a target found a crash (the input is saved as <build>/artifacts/<target>-crash-*).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GENRELAB_FUZZ_BUILD_DIR:-$root/build-fuzz}"
CXX="${CXX:-clang++-14}" cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGENRELAB_FUZZ=ON -DGENRELAB_SANITIZE="address;undefined" -DGENRELAB_BUILD_GUI=OFF -DGENRELAB_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j 2 --target fuzz_csv fuzz_decode fuzz_bundle make_seeds
rm -rf "$build/seeds"
"$build/tests/fuzz/make_seeds" "$build/seeds"
seconds="${1:-120}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_csv fuzz_decode fuzz_bundle)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "$build/artifacts"
failed=0
summary=()
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  mkdir -p "$work"
  log="$build/$t.log"
  echo "fuzz: $t for ${seconds}s (log: $log)"
  start=$(date +%s)
  status=0
  "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "$work" "$build/seeds/$t" >"$log" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  corpus=$(ls "$work" | wc -l)
  if [ "$status" -ne 0 ]; then
    failed=1
    summary+=("$t: FOUND A PROBLEM after ${elapsed}s (exit $status), see $log and $build/artifacts/")
    grep -m3 -E "ERROR|runtime error|deadly signal|Assertion" "$log" || true
  else
    summary+=("$t: ${execs:-?} executions in ${elapsed}s, no crash, corpus ${corpus} inputs")
  fi
done
printf '%s\n' "${summary[@]}"
exit $failed

#!/usr/bin/env bash
# A screenshot of every tab at first launch, looked at before a release: a fresh user (empty cache
# and settings) opens the dataset ($GENRELAB_DATA, else ../shared/data/gtzan, else the demo
# dataset) with one song given on the command line, which lands in the Predict tab and is
# classified by the recommended model (trained in the background on first launch) without any
# click on Training.
# Usage: scripts/screenshots.sh [OUT_DIR [SONG]]   (default OUT_DIR: build/screenshots)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GENRELAB_BUILD_DIR:-$root/build}"
out="$(mkdir -p "${1:-$build/screenshots}" && cd "${1:-$build/screenshots}" && pwd)"
song="${2:-}"
[ -x "$build/app/genrelab" ] || bash "$root/scripts/build.sh"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
user=(env HOME="$fresh/home" XDG_CACHE_HOME="$fresh/cache" XDG_CONFIG_HOME="$fresh/config" OMP_WAIT_POLICY=passive)
run() {
  if command -v xvfb-run >/dev/null; then
    "${user[@]}" xvfb-run -a -s "-screen 0 1600x1000x24" "$build/app/genrelab" "$@"
  else
    "${user[@]}" QT_QPA_PLATFORM=offscreen "$build/app/genrelab" "$@"
  fi
}

data="${GENRELAB_DATA:-$root/../shared/data/gtzan}"
args=()
if [ -d "$data" ]; then
  args+=("$data")
else
  # No dataset: the demo dataset, made by a first run; its model cache and settings are then
  # emptied so that the screenshots still show a first launch.
  run --demo --screenshot "$fresh/warm-up.png" >/dev/null 2>&1
  rm -rf "$fresh/cache/genrelab/models" "$fresh/config"
  data="$fresh/cache/genrelab/demo"
  args+=(--demo)
fi
if [ -z "$song" ]; then
  # A clip of the dataset that is not the first of its genre (that one is shown in the Spectrogram tab).
  song="$(find "$data" -path '*genres_original*' -name '*.wav' ! -name '*.00000.wav' ! -path '*known_bad*' | sort | head -n 1)"
fi
first="$(find "$data" -path '*genres_original*' -name '*.00000.wav' | sort | head -n 1)"
[ -n "$first" ] && args+=(--select "$(basename "$first")")
[ -n "$song" ] && args+=("$song")
echo "screenshots: ${args[*]} -> $out"
rm -f "$out"/[0-9][0-9]-*.png
start=$(date +%s)
run "${args[@]}" --screenshot-tabs "$out"
echo "screenshots: $(ls "$out"/[0-9][0-9]-*.png | wc -l) tabs in $(( $(date +%s) - start )) s, first launch (the recommended model trained meanwhile):"
ls "$out"/[0-9][0-9]-*.png

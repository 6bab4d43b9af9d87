#!/usr/bin/env bash
# The real-audio benchmark of cnn2d, the 2-D log-mel CNN (issue 18): on a folder of GTZAN clips
# (<genre>/<genre>.<5 digits>.wav or .au, any subset of genres; e.g. the 400 clips of blues,
# classical, jazz and rock from public mirrors: audio is never committed, nor used by the tests),
# cnn2d against the feature-table models on the features GenreLab extracts from the same clips,
# under two protocols:
#   1. the fault-filtered split restricted to the clips present (artist-disjoint: fit on train,
#      settings chosen on valid, refit on train+valid, test scored once; the report counts the list
#      entries of other genres as entries without a file);
#   2. 5 track-grouped folds (same artists on both sides: optimistic).
# Each leaderboard gives cnn2d's seconds per epoch in its description line.
#   scripts/bench-cnn2d.sh AUDIO_DIR [EPOCHS (20)] [TABLE_MODELS (krr_lda,krr,logreg,mlp_tuned)]
# Needs a build (scripts/build.sh). Takes about an hour on 2 cores for 400 clips and 20 epochs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${GENRELAB_BUILD_DIR:-$root/build}/app/genrelab-cli"
audio="${1:?usage: scripts/bench-cnn2d.sh AUDIO_DIR [EPOCHS] [TABLE_MODELS]}"
epochs="${2:-20}"
models="${3:-krr_lda,krr,logreg,mlp_tuned}"
[ -x "$cli" ] || { echo "bench-cnn2d: build first (scripts/build.sh): $cli not found" >&2; exit 1; }
export OMP_WAIT_POLICY=passive
echo "== cnn2d vs table models on $audio: fault-filtered split (unseen artists), $epochs epochs"
"$cli" compare "$audio" --models "$models,cnn2d" --split fault-filtered --cnn2d-epochs "$epochs" --threads 2
echo
echo "== the same on 5 track-grouped folds (same artists in training and test: optimistic)"
"$cli" compare "$audio" --models "$models,cnn2d" --folds 5 --cnn2d-epochs "$epochs" --threads 2

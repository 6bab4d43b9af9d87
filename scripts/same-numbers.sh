#!/usr/bin/env bash
# Refactoring check: runs the same training and leaderboard commands with two genrelab-cli builds
# and compares their JSON outputs, ignoring only timings, paths and the BLAS name. Every accuracy,
# fold, confusion count and F1 must be equal ("leaderboards reproduce to the digit").
#   scripts/same-numbers.sh OLD_CLI NEW_CLI [OUT_DIR]
# A build's libtorch module is found as usual (next to it or in its build tree; GENRELAB_TORCH_MODULE
# for a copied binary). Uses the shared GTZAN subset ($GENRELAB_DATA); about 5 minutes per build on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old=$(realpath "$1") new=$(realpath "$2") out=$(realpath -m "${3:-$(mktemp -d)}")
data="${GENRELAB_DATA:-$root/../shared/data/gtzan}"
export OMP_WAIT_POLICY=passive
run() {  # cli dir
  mkdir -p "$2" && cd "$2"
  "$1" train "$data/features_3_sec_subset_classical_jazz_rock.csv" --model mlp --threads 1 -o a.glmodel --json >A.json 2>/dev/null
  "$1" compare "$data/features_30_sec.csv" --split fault-filtered --models krr_lda,logreg,mlp --json >B.json 2>/dev/null
  "$1" train-audio "$data/genres_original" --epochs 2 --folds 3 --threads 2 --json >C.json 2>/dev/null
  "$1" compare "$data/genres_original" --models logreg,cnn2d --cnn2d-epochs 2 --folds 3 --json >D.json 2>/dev/null
  "$1" train "$data/features_30_sec.csv" --model cnn1d --threads 2 -o e.glmodel --json >E.json 2>/dev/null
  cd - >/dev/null
}
run "$old" "$out/old"
run "$new" "$out/new"
python3 - "$out/old" "$out/new" <<'PY'
import json, math, sys
ignored = ("seconds", "elapsed", "blas", "model_file", "input", "description", "threads_")
def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if any(t in k for t in ignored): continue
            if k not in a or k not in b: out.append(f"{path}/{k}: only in {'new' if k not in a else 'old'}"); continue
            walk(a[k], b[k], f"{path}/{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b): out.append(f"{path}: {len(a)} vs {len(b)} items"); return
        for i, (x, y) in enumerate(zip(a, b)): walk(x, y, f"{path}[{i}]", out)
    elif a != b and not (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)):
        out.append(f"{path}: {a!r} vs {b!r}")
bad = 0
for f in "ABCDE":
    out = []
    walk(json.load(open(f"{sys.argv[1]}/{f}.json")), json.load(open(f"{sys.argv[2]}/{f}.json")), "", out)
    print(f"{f}.json:", "same numbers" if not out else f"{len(out)} differences")
    for o in out[:20]: print("   ", o)
    bad += len(out)
sys.exit(1 if bad else 0)
PY

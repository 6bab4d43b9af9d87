#!/usr/bin/python3
"""Reference values for GenreLab's core/stats tests, computed with numpy/scipy/scikit-learn.

Run with Debian 12's interpreter and packages (apt-get install python3-numpy python3-scipy
python3-sklearn: numpy 1.24.2, scipy 1.10.1, scikit-learn 1.2.1):

    /usr/bin/python3 scripts/reference/stats_reference.py \
        ../shared/data/gtzan tests/data/stats_reference.json

Only derived numbers are written (never rows of the GTZAN table). The C++ tests read the
JSON; nothing in GenreLab needs Python at run time.

Definitions reproduced here (and in core/stats):
- KDE: scipy.stats.gaussian_kde(x, bw_method) per genre; bandwidth = factor * std(ddof=1)
  (Scott n^-1/5, Silverman (3n/4)^-1/5, or a scalar factor). Grid as seaborn 0.12's
  _define_support_grid with cut=3, gridsize=200, either spanning the union of every genre's own
  support ("union", GenreLab's default) or the pooled data's support ("pooled", seaborn's
  common_grid=True).
- Correlation: numpy.corrcoef (rows = tracks), clipped to [-1, 1].
- Redundancy filter: walk columns in order; drop a column when |r| with ANY earlier column of the
  scope (dropped or not) is >= threshold; report the earlier column with the largest |r|.
- StandardScaler, PCA(svd_solver="full"; svd_flip u-based), cosine_similarity, metrics: sklearn.
"""
import csv
import json
import os
import sys
from pathlib import Path

# One BLAS thread: threaded reductions change the last bits from run to run (~1e-13 relative);
# with one thread the output is byte-for-byte reproducible on a given machine.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.decomposition import PCA
from sklearn.metrics import (accuracy_score, confusion_matrix, precision_recall_fscore_support)
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.preprocessing import StandardScaler

FIRST_MFCC = 17


def read_table(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    body = [r for r in rows[1:] if r]
    names = header[2:-1]
    x = np.array([[float(v) for v in r[2:-1]] for r in body], dtype=np.float64)
    files = [r[0] for r in body]
    labels = [r[-1] for r in body]
    return names, files, labels, x


def genre_codes(labels):
    order = []
    for lab in labels:
        if lab not in order:
            order.append(lab)
    return order, np.array([order.index(lab) for lab in labels])


def kde_factor(n, rule, manual):
    if rule == "scott":
        return n ** (-1.0 / 5.0)
    if rule == "silverman":
        return (n * 3.0 / 4.0) ** (-1.0 / 5.0)
    return manual


def kde_reference(x, codes, genres, col, rule, span, manual=None, cut=3.0, gridsize=200, every=7):
    bw_method = rule if rule != "manual" else manual
    kdes = []
    lo, hi = np.inf, -np.inf
    for g in range(len(genres)):
        v = x[codes == g, col]
        k = scipy.stats.gaussian_kde(v, bw_method=bw_method)
        bw = float(np.sqrt(k.covariance.squeeze()))
        kdes.append((k, bw, v))
        lo = min(lo, v.min() - bw * cut)
        hi = max(hi, v.max() + bw * cut)
    if span == "pooled":
        allv = x[:, col]
        kp = scipy.stats.gaussian_kde(allv, bw_method=bw_method)
        bwp = float(np.sqrt(kp.covariance.squeeze()))
        lo, hi = allv.min() - bwp * cut, allv.max() + bwp * cut
    grid = np.linspace(lo, hi, gridsize)
    idx = list(range(0, gridsize, every))
    if idx[-1] != gridsize - 1:
        idx.append(gridsize - 1)
    out = []
    for (k, bw, v) in kdes:
        d = k(grid)
        out.append({"bandwidth": bw, "factor": float(k.factor), "density_at_indices": d[idx].tolist(),
                    "max_density": float(d.max())})
    return {"rule": rule, "manual_factor": manual, "span": span, "grid_points": gridsize, "cut": cut,
            "grid_first": float(grid[0]), "grid_last": float(grid[-1]), "indices": idx, "genres": out}


def redundancy(c, names, cols, threshold):
    dropped = []
    for jj, j in enumerate(cols):
        earlier = cols[:jj]
        hits = [i for i in earlier if abs(c[i, j]) >= threshold]
        if hits:
            best = max(hits, key=lambda i: (abs(c[i, j]), -i))
            dropped.append({"column": names[j], "partner": names[best], "r": float(c[best, j])})
    return dropped


def main():
    data = Path(sys.argv[1])
    out_path = Path(sys.argv[2])
    names, files, labels, x = read_table(data / "features_30_sec.csv")
    genres, codes = genre_codes(labels)
    ref = {
        "provenance": {
            "script": "scripts/reference/stats_reference.py",
            "table": "features_30_sec.csv (sha256 3fb2e38c281764076c7c1ec79f9e73956a913cffaa38e44cfb94282291e72cfa)",
            "numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__,
            "note": "numbers agree across runs and BLAS builds to ~1e-13 relative, not to the last bit",
        },
        "rows": int(x.shape[0]), "features": names, "genres": genres,
    }

    # KDE per genre on a shared grid.
    col = {n: i for i, n in enumerate(names)}
    ref["kde"] = {
        "tempo/scott": kde_reference(x, codes, genres, col["tempo"], "scott", "union"),
        "spectral_centroid_mean/scott": kde_reference(x, codes, genres, col["spectral_centroid_mean"], "scott", "union"),
        "mfcc1_mean/scott": kde_reference(x, codes, genres, col["mfcc1_mean"], "scott", "union"),
        "chroma_stft_var/silverman": kde_reference(x, codes, genres, col["chroma_stft_var"], "silverman", "union"),
        "rms_mean/manual0.5": kde_reference(x, codes, genres, col["rms_mean"], "manual", "union", manual=0.5),
        "tempo/scott/pooled": kde_reference(x, codes, genres, col["tempo"], "scott", "pooled"),
    }

    # Pearson correlation, upper triangle row by row (i < j).
    c = np.clip(np.corrcoef(x, rowvar=False), -1.0, 1.0)
    iu = np.triu_indices(c.shape[0], k=1)
    ref["correlation_upper"] = c[iu].tolist()

    non_mfcc = list(range(FIRST_MFCC))
    every = list(range(len(names)))
    ref["redundancy"] = {
        "non-mfcc/0.8": redundancy(c, names, non_mfcc, 0.8),
        "non-mfcc/0.79": redundancy(c, names, non_mfcc, 0.79),
        "non-mfcc/0.84": redundancy(c, names, non_mfcc, 0.84),
        "all/0.8": redundancy(c, names, every, 0.8),
    }

    # StandardScaler on all rows, and fit on rows [0, 800) applied to row 900.
    sc = StandardScaler().fit(x)
    part = StandardScaler().fit(x[:800])
    ref["scaler"] = {"mean": sc.mean_.tolist(), "scale": sc.scale_.tolist(),
                     "fit_first_800": {"mean": part.mean_.tolist(), "scale": part.scale_.tolist(),
                                       "row_900_transformed": part.transform(x[900:901])[0].tolist()}}
    z = sc.transform(x)

    # PCA on standardised features, per subset (full SVD solver: sklearn's 'auto' picks the
    # randomized solver for 1000 rows and few components, which only approximates this).
    mfcc = list(range(FIRST_MFCC, len(names)))
    pca_ref = {}
    for subset, cols in (("all", every), ("mfcc", mfcc), ("non-mfcc", non_mfcc)):
        p = PCA(svd_solver="full").fit(z[:, cols])
        s = p.transform(z[:5, cols])
        pca_ref[subset] = {"explained_variance_ratio": p.explained_variance_ratio_.tolist(),
                           "explained_variance": p.explained_variance_.tolist(),
                           "components_first3": p.components_[:3].tolist(),
                           "scores_rows0to4_first3": s[:, :3].tolist()}
    ref["pca"] = pca_ref

    # Second data set: the 3-s subset (classical/jazz/rock), PCA of standardised features.
    three = data / "features_3_sec_subset_classical_jazz_rock.csv"
    if three.exists():
        _, _, _, x3 = read_table(three)
        z3 = StandardScaler().fit_transform(x3)
        p3 = PCA(svd_solver="full").fit(z3)
        ref["pca_3sec_subset"] = {"rows": int(x3.shape[0]),
                                  "explained_variance_ratio_first10": p3.explained_variance_ratio_[:10].tolist(),
                                  "components_first2": p3.components_[:2].tolist()}

    # Cosine similarity on standardised features: track x track and genre x genre block means.
    sim = {}
    for subset, cols in (("all", every), ("mfcc", mfcc), ("non-mfcc", non_mfcc)):
        s = cosine_similarity(z[:, cols])
        g = np.zeros((len(genres), len(genres)))
        for a in range(len(genres)):
            for b in range(len(genres)):
                g[a, b] = s[np.ix_(codes == a, codes == b)].mean()
        entry = {"genre_means": g.tolist(), "tracks_0to4": s[:5, :5].tolist()}
        order = np.argsort(-s[0], kind="stable")
        entry["most_similar_to_row0"] = [{"file": files[i], "row": int(i), "cosine": float(s[0, i])}
                                         for i in order[:6] if i != 0][:5]
        sim[subset] = entry
    ref["similarity"] = sim

    # Scores on a synthetic prediction (seeded): 10 classes, class 9 never predicted.
    rng = np.random.default_rng(20240604)
    y_true = rng.integers(0, 10, size=300)
    y_pred = y_true.copy()
    wrong = rng.random(300) < 0.3
    y_pred[wrong] = rng.integers(0, 10, size=int(wrong.sum()))
    y_pred[y_pred == 9] = 8
    labels10 = list(range(10))
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, labels=labels10, zero_division=0)
    mp, mr, mf, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels10, average="macro",
                                                    zero_division=0)
    ref["scores"] = {"y_true": y_true.tolist(), "y_pred": y_pred.tolist(),
                     "confusion": confusion_matrix(y_true, y_pred, labels=labels10).tolist(),
                     "accuracy": float(accuracy_score(y_true, y_pred)),
                     "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": support.tolist(),
                     "macro_precision": float(mp), "macro_recall": float(mr), "macro_f1": float(mf)}

    out_path.write_text(json.dumps(ref, indent=1) + "\n")
    print(f"wrote {out_path} ({out_path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

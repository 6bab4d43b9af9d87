"""GenreLab research: shared data loading, preprocessing, models and the two protocols.

Every model config is a (preprocessing, model, grid) triple. For each grid point we fit on the
fitting parts and keep the class probabilities on the evaluation part, for the 9 (fit, eval)
pairs the two protocols need; everything is cached in a temporary folder so ensembles are array ops.

Parts: 0 = train, 1 = valid, 2 = test.
OFFICIAL: choose on (0 -> 1); final (0+1 -> 2).
ROTATION, test part t, other parts p<q: choose on mean acc of (p -> q) and (q -> p);
final (p+q -> t).
Ties: the first grid point (in listed order) with the highest selection accuracy.
"""
import os, itertools, hashlib, pickle, tempfile, time
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from scipy.special import softmax, logsumexp
from scipy.stats import norm

HERE = os.path.dirname(os.path.abspath(__file__))
D = os.environ.get("GENRELAB_DATA", os.path.join(HERE, "..", "..", "..", "..", "shared", "data", "gtzan"))
CACHE = os.path.join(tempfile.gettempdir(), "genrelab-unseen-artists-cache")
os.makedirs(CACHE, exist_ok=True)

GENRES = ["blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"]


def load():
    df = pd.read_csv(os.path.join(D, "features_30_sec.csv"))
    df.columns = [c.strip() for c in df.columns]
    df["label"] = df["label"].astype(str).str.strip()
    cols = list(df.columns)
    feats = cols[cols.index("length") + 1: cols.index("label")]
    assert len(feats) == 57, len(feats)
    idx = {f: i for i, f in enumerate(df["filename"])}
    rows, part = [], []
    for p, name in enumerate(["train", "valid", "test"]):
        with open(os.path.join(D, "splits/fault-filtered", name + ".txt")) as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                rows.append(idx[line.split("/", 1)[1]])
                part.append(p)
    sub = df.iloc[rows]
    X = sub[feats].to_numpy(np.float64)
    y = np.array([GENRES.index(l) for l in sub["label"]])
    part = np.array(part)
    assert [int((part == k).sum()) for k in range(3)] == [443, 197, 290]
    return X, y, part, feats


X, Y, PART, FEATS = load()
VAR_COLS = [i for i, f in enumerate(FEATS) if f.endswith("_var")]
assert len(VAR_COLS) == 28

# (fit parts, eval parts)
PAIRS = [((0,), (1,)), ((1,), (0,)), ((0,), (2,)), ((2,), (0,)), ((1,), (2,)), ((2,), (1,)),
         ((0, 1), (2,)), ((0, 2), (1,)), ((1, 2), (0,))]


def rows_of(parts):
    return np.isin(PART, parts)


# ---------------------------------------------------------------- preprocessing
class Prep:
    """spec: dict(log=bool, scale='std'|'robust'|'rank'|'none', subset=None|'mfcc'|'notempo'|...,
    pca=None|'whiten')"""

    def __init__(self, log=True, scale="std", subset=None, pca=None, pca_k=None):
        self.log, self.scale, self.subset, self.pca, self.pca_k = log, scale, subset, pca, pca_k

    def cols(self):
        if self.subset is None:
            return list(range(57))
        if self.subset == "notempo":
            return [i for i, f in enumerate(FEATS) if f != "tempo"]
        if self.subset == "mfcc":
            return [i for i, f in enumerate(FEATS) if f.startswith("mfcc")]
        if self.subset == "means":
            return [i for i, f in enumerate(FEATS) if f.endswith("_mean")]
        raise ValueError(self.subset)

    def _base(self, X):
        X = X.copy()
        if self.log:
            X[:, VAR_COLS] = np.log(np.maximum(X[:, VAR_COLS], 1e-12))
        return X[:, self.cols()]

    def fit(self, X, y=None):
        Z = self._base(X)
        if self.scale == "std":
            self.c, self.s = Z.mean(0), Z.std(0)
        elif self.scale == "robust":
            q1, med, q3 = np.percentile(Z, [25, 50, 75], axis=0)
            self.c, self.s = med, (q3 - q1)
        elif self.scale == "rank":
            self.ref = np.sort(Z, axis=0)
        elif self.scale == "none":
            self.c, self.s = 0.0, 1.0
        elif self.scale == "wstd":  # centre on the mean, scale by the pooled within-genre std
            assert y is not None
            self.c = Z.mean(0)
            R = Z - np.stack([Z[y == k].mean(0) for k in range(10)])[y]
            self.s = np.sqrt((R ** 2).sum(0) / (len(Z) - 10))
        elif self.scale == "wiqr":  # centre on the median, scale by the median over genres of the IQR
            assert y is not None
            self.c = np.median(Z, 0)
            self.s = np.median(np.stack([np.subtract(*np.percentile(Z[y == k], [75, 25], axis=0))
                                         for k in range(10)]), 0)
        if self.scale != "rank":
            self.s = np.where(np.asarray(self.s) > 0, self.s, 1.0)
        if self.pca:
            W = self._scale(Z)
            self.mu = W.mean(0)
            U, S, Vt = np.linalg.svd(W - self.mu, full_matrices=False)
            k = self.pca_k or Vt.shape[0]
            self.V = Vt[:k].T
            self.sd = S[:k] / np.sqrt(len(W))
        return self

    def _scale(self, Z):
        if self.scale == "rank":
            n = self.ref.shape[0]
            out = np.empty_like(Z)
            for j in range(Z.shape[1]):
                lo = np.searchsorted(self.ref[:, j], Z[:, j], side="left")
                hi = np.searchsorted(self.ref[:, j], Z[:, j], side="right")
                r = (lo + hi) / 2.0  # mid-rank among the fitting rows, in [0, n]
                out[:, j] = norm.ppf((r + 0.5) / (n + 1.0))
            return out
        return (Z - self.c) / self.s

    def transform(self, X):
        W = self._scale(self._base(X))
        if self.pca:
            W = (W - self.mu) @ self.V
            if self.pca == "whiten":
                W = W / np.maximum(self.sd, 1e-12)
        return W

    def key(self):
        return f"log{int(self.log)}-{self.scale}-{self.subset}-{self.pca}-{self.pca_k}"


# ---------------------------------------------------------------- models
def golden_temperature(scores, y):
    r = np.arange(len(y))

    def loss(lt):
        z = scores * np.exp(lt)
        return float((logsumexp(z, 1) - z[r, y]).mean())
    res = minimize_scalar(loss, bounds=(np.log(1e-3), np.log(1e4)), method="bounded",
                          options={"xatol": 1e-6})
    return float(np.exp(res.x))


def sqdist(A, B):
    return np.maximum((A * A).sum(1)[:, None] + (B * B).sum(1)[None, :] - 2 * A @ B.T, 0.0)


class KRR:
    """One-hot kernel ridge, RBF gamma=c/F, no intercept, LOO temperature (as GenreLab)."""

    def __init__(self, c=1.0, lam=0.1):
        self.c, self.lam = c, lam

    def fit(self, X, y):
        self.g = self.c / X.shape[1]
        K = np.exp(-self.g * sqdist(X, X))
        K[np.diag_indices_from(K)] += self.lam
        T = np.eye(10)[y]
        Ki = np.linalg.inv(K)
        self.dual = Ki @ T
        loo = T - self.dual / np.diag(Ki)[:, None]
        self.t = golden_temperature(loo, y)
        self.S = X
        return self

    def predict_proba(self, X):
        return softmax(self.t * np.exp(-self.g * sqdist(X, self.S)) @ self.dual, axis=1)


class LinRidge:
    """One-hot linear least squares (with intercept), ridge lam, LOO temperature."""

    def __init__(self, lam=1.0):
        self.lam = lam

    def fit(self, X, y):
        A = np.hstack([X, np.ones((len(X), 1))])
        R = self.lam * np.eye(A.shape[1]); R[-1, -1] = 0
        T = np.eye(10)[y]
        M = np.linalg.inv(A.T @ A + R)
        self.W = M @ A.T @ T
        h = np.einsum("ij,jk,ik->i", A, M, A)
        loo = T - (T - A @ self.W) / (1 - h)[:, None]
        self.t = golden_temperature(loo, y)
        return self

    def predict_proba(self, X):
        A = np.hstack([X, np.ones((len(X), 1))])
        return softmax(self.t * A @ self.W, axis=1)


class SK:
    """Wrap an sklearn estimator factory."""

    def __init__(self, factory, **kw):
        self.m = factory(**kw)

    def fit(self, X, y):
        self.m.fit(X, y)
        return self

    def predict_proba(self, X):
        return self.m.predict_proba(X)


class NoiseAug:
    """Replicate the fitting rows `copies` times with N(0, sigma^2) added (standardised space)."""

    def __init__(self, base, sigma=0.3, copies=10, seed=0):
        self.base, self.sigma, self.copies, self.seed = base, sigma, copies, seed

    def fit(self, X, y):
        rng = np.random.default_rng(self.seed)
        Xa = np.vstack([X] + [X + self.sigma * rng.standard_normal(X.shape) for _ in range(self.copies)])
        ya = np.concatenate([y] * (self.copies + 1))
        self.base.fit(Xa, ya)
        return self

    def predict_proba(self, X):
        return self.base.predict_proba(X)


# ---------------------------------------------------------------- running + caching
def grid_points(grid):
    keys = list(grid.keys())
    return [dict(zip(keys, v)) for v in itertools.product(*[grid[k] for k in keys])]


def run_config(name, prep, make_model, grid, verbose=True):
    """Returns dict: points (list of dicts), P[point_index][pair_index] = proba on eval rows."""
    path = os.path.join(CACHE, name + ".pkl")
    if os.path.exists(path):
        with open(path, "rb") as fh:
            return pickle.load(fh)
    pts = grid_points(grid)
    P = []
    for pt in pts:
        row = []
        for fit_p, ev_p in PAIRS:
            fr, er = rows_of(fit_p), rows_of(ev_p)
            pr = Prep(**prep).fit(X[fr], Y[fr])
            m = make_model(**pt).fit(pr.transform(X[fr]), Y[fr])
            row.append(m.predict_proba(pr.transform(X[er])).astype(np.float32))
        P.append(row)
    out = dict(name=name, prep=prep, points=pts, P=P)
    with open(path, "wb") as fh:
        pickle.dump(out, fh)
    return out


def acc(p, pair_i):
    ev = rows_of(PAIRS[pair_i][1])
    return float((p.argmax(1) == Y[ev]).mean())


ROT = {0: ((1, 2), 4, 5, 8), 1: ((0, 2), 2, 3, 7), 2: ((0, 1), 0, 1, 6)}  # test part -> (others, selA, selB, final)


def evaluate_probas(P):
    """P: list over grid points (or combos) of list over 9 pairs of probas.
    Returns dict with official (chosen index, valid acc, test acc) and rotation details."""
    A = np.array([[acc(p, i) for i, p in enumerate(row)] for row in P])  # points x pairs
    o = int(np.argmax(A[:, 0]))
    res = dict(off_idx=o, off_valid=A[o, 0], off_test=A[o, 6], rot=[])
    for t in (0, 1, 2):
        _, a, b, f = ROT[t]
        sel = (A[:, a] + A[:, b]) / 2
        i = int(np.argmax(sel))
        res["rot"].append(dict(idx=i, inner=sel[i], test=A[i, f]))
    res["rot_mean"] = float(np.mean([r["test"] for r in res["rot"]]))
    res["A"] = A
    return res


def fmt(name, res, points):
    r = res["rot"]
    s = (f"| {name} | {100*res['off_valid']:.1f} | {100*res['off_test']:.1f} | {100*res['rot_mean']:.1f} | "
         f"{100*r[0]['test']:.1f} / {100*r[1]['test']:.1f} / {100*r[2]['test']:.1f} | "
         f"off: {points[res['off_idx']]}; rot: {[points[x['idx']] for x in r]} |")
    return s


HEADER = ("| idea | OFF valid | OFF test | ROT mean | ROT test=train/valid/test part | chosen settings |\n"
          "|---|---|---|---|---|---|")


def log_result(line, path=os.path.join(HERE, "results.md")):
    with open(path, "a") as fh:
        fh.write(line + "\n")
    print(line, flush=True)


def run_and_log(configs, names):
    """Runs each named configuration (prep, model maker, grid) and appends its line to results.md."""
    for n in names:
        t = time.time()
        prep, mk, grid = configs[n]
        r = run_config(n, prep, mk, grid)
        log_result(fmt(n, evaluate_probas(r["P"]), r["points"]) + f" <!-- {time.time()-t:.0f}s -->")

"""Ensembles (mean of probabilities) of cached configs.
E1 ("indep"): each member's grid point chosen on its own (valid / inner folds), then equal mean.
E2 ("joint"): the product of member grids, each combination's mean scored; best combination chosen
on valid / inner folds."""
import sys, itertools
from lib import *
import exp1


def get(name):
    prep, mk, grid = exp1.CONFIGS[name]
    return run_config(name, prep, mk, grid)


def indep(names, weights=None):
    rs = [get(n) for n in names]
    evs = [evaluate_probas(r["P"]) for r in rs]
    w = np.ones(len(names)) / len(names) if weights is None else np.asarray(weights) / np.sum(weights)

    def mix(idxs, pair):
        return sum(wi * r["P"][i][pair] for wi, r, i in zip(w, rs, idxs))
    o = [e["off_idx"] for e in evs]
    res = dict(off_valid=acc(mix(o, 0), 0), off_test=acc(mix(o, 6), 6), rot=[])
    for t in (0, 1, 2):
        _, a, b, f = ROT[t]
        ii = [e["rot"][t]["idx"] for e in evs]
        res["rot"].append(dict(inner=(acc(mix(ii, a), a) + acc(mix(ii, b), b)) / 2, test=acc(mix(ii, f), f),
                               pts=[r["points"][i] for r, i in zip(rs, ii)]))
    res["rot_mean"] = float(np.mean([r["test"] for r in res["rot"]]))
    res["off_pts"] = [r["points"][i] for r, i in zip(rs, o)]
    return res


def joint(names, weight_grid=None):
    """weight_grid: optional list of weight vectors (also chosen on valid / inner folds)."""
    rs = [get(n) for n in names]
    # accuracy of every combination on every pair, vectorised over combinations per pair
    combos = list(itertools.product(*[range(len(r["points"])) for r in rs]))
    wg = weight_grid or [tuple([1.0] * len(names))]
    allc = [(c, w) for w in wg for c in combos]
    A = np.zeros((len(allc), 9))
    for p in range(9):
        ev = Y[rows_of(PAIRS[p][1])]
        for k, (c, w) in enumerate(allc):
            m = sum(wi * r["P"][i][p] for wi, r, i in zip(w, rs, c))
            A[k, p] = (m.argmax(1) == ev).mean()
    o = int(np.argmax(A[:, 0]))
    desc = lambda k: ([r["points"][i] for r, i in zip(rs, allc[k][0])], allc[k][1])
    res = dict(off_valid=A[o, 0], off_test=A[o, 6], off_pts=desc(o), rot=[])
    for t in (0, 1, 2):
        _, a, b, f = ROT[t]
        sel = (A[:, a] + A[:, b]) / 2
        i = int(np.argmax(sel))
        res["rot"].append(dict(inner=sel[i], test=A[i, f], pts=desc(i)))
    res["rot_mean"] = float(np.mean([r["test"] for r in res["rot"]]))
    return res


def line(name, res):
    r = res["rot"]
    return (f"| {name} | {100*res['off_valid']:.1f} | {100*res['off_test']:.1f} | {100*res['rot_mean']:.1f} | "
            f"{100*r[0]['test']:.1f} / {100*r[1]['test']:.1f} / {100*r[2]['test']:.1f} | "
            f"off: {res['off_pts']}; rot: {[x['pts'] for x in r]} |")

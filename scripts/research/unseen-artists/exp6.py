"""Selection variants (all on valid / inner folds only):
 ce   : grid point chosen by mean cross-entropy instead of accuracy
 soup : no selection, mean of the probabilities of every grid point
 and E1 ensembles built on those."""
from ens import *
import exp3, exp5


def ce(p, pair_i):
    ev = Y[rows_of(PAIRS[pair_i][1])]
    return float(-np.log(np.clip(p[np.arange(len(ev)), ev], 1e-9, 1)).mean())


def choose(r, how):
    """returns dict: 'off' -> probs on pairs 0 and 6, rot[t] -> probs on selection pairs and final."""
    P = r["P"]
    if how == "soup":
        M = [np.mean([row[p] for row in P], 0) for p in range(9)]
        return {"off": M, "rot": [M, M, M]}
    score = (lambda row, p: -ce(row[p], p)) if how == "ce" else (lambda row, p: acc(row[p], p))
    S = np.array([[score(row, p) for p in range(9)] for row in P])
    o = int(np.argmax(S[:, 0]))
    out = {"off": P[o], "rot": []}
    for t in (0, 1, 2):
        _, a, b, f = ROT[t]
        out["rot"].append(P[int(np.argmax(S[:, a] + S[:, b]))])
    return out


def evaluate_members(names, how):
    cs = [choose(get(n), how) for n in names]
    mix = lambda key, t, p: np.mean([(c[key] if t is None else c[key][t])[p] for c in cs], 0)
    res = dict(off_valid=acc(mix("off", None, 0), 0), off_test=acc(mix("off", None, 6), 6), rot=[])
    for t in (0, 1, 2):
        _, a, b, f = ROT[t]
        res["rot"].append(dict(test=acc(mix("rot", t, f), f)))
    res["rot_mean"] = float(np.mean([x["test"] for x in res["rot"]]))
    return res


def ln(name, res):
    r = res["rot"]
    return (f"| {name} | {100*res['off_valid']:.1f} | {100*res['off_test']:.1f} | {100*res['rot_mean']:.1f} | "
            f"{100*r[0]['test']:.1f} / {100*r[1]['test']:.1f} / {100*r[2]['test']:.1f} | |")


if __name__ == "__main__":
    SINGLE = ["krr_log_std", "logreg_log_std", "lda_log_std", "logreg_rank", "mlp_log_std", "l1logreg_log_std", "krr_log_wstd"]
    SETS = [["krr_log_std", "logreg_log_std", "lda_log_std"],
            ["krr_log_std", "logreg_log_std", "ldaauto_log_std"],
            ["logreg_log_std", "lda_log_std"],
            ["krr_log_std", "logreg_log_std", "lda_log_std", "mlp_log_std"],
            ["krr_log_std", "logreg_log_std", "ldaauto_log_std", "mlp_log_std"]]
    for how in ("ce", "soup"):
        log_result(f"\n## Selection variant '{how}' (exp6.py)\n\n" + HEADER)
        for n in SINGLE:
            log_result(ln(f"{how} {n}", evaluate_members([n], how)))
        for s in SETS:
            log_result(ln(f"{how} E1 " + "+".join(s), evaluate_members(s, how)))

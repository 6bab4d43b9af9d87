"""E3: members chosen independently (E1), then integer weights in {0,1,2} per member chosen on valid /
inner folds (ties -> first in itertools.product order, which starts at small weights)."""
import itertools
from ens import *
import exp3, exp5, exp8


def weighted(names, wset=(0, 1, 2)):
    rs = [get(n) for n in names]
    evs = [evaluate_probas(r["P"]) for r in rs]
    W = [w for w in itertools.product(wset, repeat=len(names)) if sum(w) > 0]
    def mix(idxs, pair, w):
        return sum(wi * r["P"][i][pair] for wi, r, i in zip(w, rs, idxs))
    o = [e["off_idx"] for e in evs]
    s = [acc(mix(o, 0, w), 0) for w in W]; k = int(np.argmax(s))
    res = dict(off_valid=s[k], off_test=acc(mix(o, 6, W[k]), 6), off_pts=W[k], rot=[])
    for t in (0, 1, 2):
        _, a, b, f = ROT[t]
        ii = [e["rot"][t]["idx"] for e in evs]
        s = [(acc(mix(ii, a, w), a) + acc(mix(ii, b, w), b)) / 2 for w in W]; k = int(np.argmax(s))
        res["rot"].append(dict(inner=s[k], test=acc(mix(ii, f, W[k]), f), pts=W[k]))
    res["rot_mean"] = float(np.mean([r["test"] for r in res["rot"]]))
    return res

if __name__ == "__main__":
    log_result("\n## E3: E1 members + weights in {0,1,2} chosen on valid / inner folds (exp9.py)\n\n" + HEADER)
    for s in [["krr_log_std", "logreg_log_std", "ldaauto_log_std"],
              ["krr_log_std", "logreg_log_std", "ldaauto_log_std", "mlp_log_std"],
              ["krr_log_std", "logreg_log_std", "lda_log_std", "et300_log_std"],
              ["krr_log_std", "logreg_log_std", "ldaauto_log_std", "logreg_rank", "mlp_log_std"]]:
        log_result(line("E3 " + "+".join(s), weighted(s)))

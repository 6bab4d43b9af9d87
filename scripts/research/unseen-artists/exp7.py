"""Feature-group backward elimination, chosen on valid / inner folds, then models on the kept groups.
Scorer for elimination: `scorer` (LDA with Ledoit-Wolf shrinkage, no hyper-parameter, or the E1 trio).
Removal rule: drop the group whose removal gives the highest selection accuracy, while that is >= the
current one (ties -> the earlier group in GROUPS); stop otherwise."""
import sys, time
from lib import *
import exp1, exp3
from exp1 import CS, KRR_G, LR
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

F = FEATS
def cols(pred): return [i for i, f in enumerate(F) if pred(f)]
def mf(lo, hi, kind): return cols(lambda f: f.startswith("mfcc") and lo <= int(f[4:f.index("_")]) <= hi and f.endswith(kind))
GROUPS = {
  "chroma": cols(lambda f: f.startswith("chroma")), "rms": cols(lambda f: f.startswith("rms")),
  "spectral": cols(lambda f: f.startswith(("spectral", "rolloff"))), "zcr": cols(lambda f: f.startswith("zero")),
  "harmony": cols(lambda f: f.startswith("harmony")), "perceptr": cols(lambda f: f.startswith("perceptr")),
  "tempo": cols(lambda f: f == "tempo"),
  "mfcc1-5_mean": mf(1, 5, "mean"), "mfcc6-13_mean": mf(6, 13, "mean"), "mfcc14-20_mean": mf(14, 20, "mean"),
  "mfcc1-5_var": mf(1, 5, "var"), "mfcc6-13_var": mf(6, 13, "var"), "mfcc14-20_var": mf(14, 20, "var"),
}
assert sorted(sum(GROUPS.values(), [])) == list(range(57))

PREP = dict(log=True)


def probs(pair, model, colset):
    fp, ep = PAIRS[pair]
    fr, er = rows_of(fp), rows_of(ep)
    pr = Prep(**PREP).fit(X[fr], Y[fr])
    A, B = pr.transform(X[fr])[:, colset], pr.transform(X[er])[:, colset]
    return model().fit(A, Y[fr]).predict_proba(B)


LDAA = lambda: SK(LinearDiscriminantAnalysis, solver="lsqr", shrinkage="auto")


def sel_acc(model, colset, pairs):
    return np.mean([acc(probs(p, model, colset), p) for p in pairs])


def eliminate(model, pairs):
    kept = list(GROUPS)
    cs = lambda g: sorted(sum((GROUPS[k] for k in g), []))
    cur = sel_acc(model, cs(kept), pairs)
    while len(kept) > 1:
        trials = [(sel_acc(model, cs([k for k in kept if k != g]), pairs), g) for g in kept]
        best = max(t[0] for t in trials)
        if best < cur:
            break
        g = [t[1] for t in trials if t[0] == best][0]
        kept.remove(g); cur = best
    return kept, cs(kept), cur


MEMBERS = {"krr": (KRR, KRR_G), "logreg": (LR, dict(C=CS)), "ldaauto": (LDAA, {})}


def member_choice(name, colset, pairs):
    mk, grid = MEMBERS[name]
    pts = grid_points(grid)
    s = [sel_acc(lambda: mk(**pt), colset, pairs) for pt in pts]
    return pts[int(np.argmax(s))]


def case(pairs, final, members, elim_model):
    kept, colset, sa = eliminate(elim_model, pairs)
    chosen = {m: member_choice(m, colset, pairs) for m in members}
    mix = lambda p: np.mean([probs(p, (lambda m=m: MEMBERS[m][0](**chosen[m])), colset) for m in members], 0)
    sel = np.mean([acc(mix(p), p) for p in pairs])
    return dict(kept=kept, chosen=chosen, sel=sel, test=acc(mix(final), final))


if __name__ == "__main__":
    members = sys.argv[1].split("+") if len(sys.argv) > 1 else ["krr", "logreg", "ldaauto"]
    t0 = time.time()
    off = case([0], 6, members, LDAA)
    rot = [case([ROT[t][1], ROT[t][2]], ROT[t][3], members, LDAA) for t in (0, 1, 2)]
    rm = np.mean([r["test"] for r in rot])
    log_result(f"| groups(LDA-auto backward) + E1 {'+'.join(members)} | {100*off['sel']:.1f} | {100*off['test']:.1f} | "
               f"{100*rm:.1f} | {' / '.join('%.1f' % (100*r['test']) for r in rot)} | off kept {off['kept']} {off['chosen']}; "
               f"rot kept {[r['kept'] for r in rot]} {[r['chosen'] for r in rot]} | <!-- {time.time()-t0:.0f}s -->")

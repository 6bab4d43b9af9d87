"""Tie check for the recommended recipe (E2 KRR + shrinkage LDA, joint grid chosen on valid)."""
import itertools
from ens import *
rs = [get("krr_log_std"), get("lda_log_std")]
combos = list(itertools.product(range(32), range(8)))
A = np.array([[acc(rs[0]["P"][i][p] + rs[1]["P"][j][p], p) for p in range(9)] for i, j in combos])
d = lambda k: (rs[0]["points"][combos[k][0]], rs[1]["points"][combos[k][1]])
best = A[:, 0].max(); tied = np.flatnonzero(A[:, 0] == best)
print("OFFICIAL valid best %.1f, %d tied combos; test acc of tied: %s" % (100*best, len(tied), [round(100*A[k,6],1) for k in tied]))
for k in tied: print("  ", d(k), "test %.1f" % (100*A[k, 6]))
print("second-best valid levels:", sorted(set(np.round(100*A[:,0],1)))[-4:])
for t in (0, 1, 2):
    _, a, b, f = ROT[t]
    s = (A[:, a] + A[:, b]) / 2; tied = np.flatnonzero(s == s.max())
    print("ROT part", t, "inner %.1f" % (100*s.max()), "tied", len(tied), [(d(k), round(100*A[k, f], 1)) for k in tied])
# robustness: mean test acc of the top-5 valid combos
o = np.argsort(-A[:, 0], kind="stable")[:10]
print("top-10 valid combos -> test", [(round(100*A[k,0],1), round(100*A[k,6],1)) for k in o])

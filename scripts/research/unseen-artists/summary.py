"""Every idea with its selection scores (OFFICIAL valid acc; ROTATION inner-fold acc per test part), and
the nested 'choose the idea by validation' numbers. Run after exp1..exp10 (uses the cache)."""
import itertools, json
from ens import *
import exp1, exp3, exp5, exp8, exp6, exp7, exp9

rows = []  # (name, family, off_valid, off_test, [inner_t], [test_t])
for n in exp1.CONFIGS:
    r = get(n); e = evaluate_probas(r["P"])
    rows.append((n, "single", e["off_valid"], e["off_test"], [x["inner"] for x in e["rot"]], [x["test"] for x in e["rot"]]))

E1 = set()
for mod in ("exp2", "exp4", "exp10"):
    src = open(f"{mod}.py").read()
    start = src.index("SETS = [")
    ns = {}
    exec(src[start: src.index("]\n", src.index("\n]", start)) + 2], ns)  # just the SETS literal
    for s in ns["SETS"]:
        E1.add(tuple(s))
for s in sorted(E1):
    e = indep(list(s))
    rows.append(("E1 " + "+".join(s), "E1", e["off_valid"], e["off_test"], [x["inner"] for x in e["rot"]], [x["test"] for x in e["rot"]]))
for s in [["krr_log_std", "logreg_log_std"], ["krr_log_std", "lda_log_std"], ["krr_log_std", "et300_log_std"],
          ["krr_log_std", "logreg_log_std", "lda_log_std"], ["logreg_log_std", "lda_log_std"]]:
    e = joint(s)
    rows.append(("E2 " + "+".join(s), "E2", e["off_valid"], e["off_test"], [x["inner"] for x in e["rot"]], [x["test"] for x in e["rot"]]))
for s in [["krr_log_std", "logreg_log_std", "ldaauto_log_std"],
          ["krr_log_std", "logreg_log_std", "ldaauto_log_std", "mlp_log_std"],
          ["krr_log_std", "logreg_log_std", "lda_log_std", "et300_log_std"],
          ["krr_log_std", "logreg_log_std", "ldaauto_log_std", "logreg_rank", "mlp_log_std"]]:
    e = exp9.weighted(s)
    rows.append(("E3 " + "+".join(s), "E3", e["off_valid"], e["off_test"], [x["inner"] for x in e["rot"]], [x["test"] for x in e["rot"]]))
m = ["krr", "logreg", "ldaauto"]
off = exp7.case([0], 6, m, exp7.LDAA)
rot = [exp7.case([ROT[t][1], ROT[t][2]], ROT[t][3], m, exp7.LDAA) for t in (0, 1, 2)]
rows.append(("groups-backward + E1 krr+logreg+ldaauto", "groups", off["sel"], off["test"], [r["sel"] for r in rot], [r["test"] for r in rot]))


def nested(rows, label):
    o = max(range(len(rows)), key=lambda i: rows[i][2])  # first max wins (list order)
    out = [f"**{label}** ({len(rows)} ideas). OFFICIAL: idea with best valid = `{rows[o][0]}` "
           f"(valid {100*rows[o][2]:.1f}) -> test {100*rows[o][3]:.1f}."]
    tests = []
    for t in range(3):
        i = max(range(len(rows)), key=lambda k: rows[k][4][t])
        tests.append(rows[i][5][t])
        out.append(f"ROTATION part {t}: best inner = `{rows[i][0]}` (inner {100*rows[i][4][t]:.1f}) -> test {100*rows[i][5][t]:.1f}.")
    out.append(f"ROTATION mean with the idea chosen per part on inner folds: {100*np.mean(tests):.1f}.")
    return "\n".join(out)


lines = ["\n## Summary of every idea with selection scores (summary.py)\n",
         "inner = mean inner-fold accuracy of the chosen setting (per ROTATION test part: train / valid / test).\n",
         "| idea | family | OFF valid | OFF test | ROT inner (3 parts) | ROT test (3 parts) | ROT mean | ROT mean inner |",
         "|---|---|---|---|---|---|---|---|"]
for n, f, ov, ot, inn, te in rows:
    lines.append(f"| {n} | {f} | {100*ov:.1f} | {100*ot:.1f} | {' / '.join('%.1f' % (100*x) for x in inn)} | "
                 f"{' / '.join('%.1f' % (100*x) for x in te)} | {100*np.mean(te):.1f} | {100*np.mean(inn):.1f} |")
lines.append("")
lines.append(nested(rows, "Nested choice over ALL ideas"))
lines.append("")
lines.append(nested([r for r in rows if r[1] in ("single", "E1")], "Nested choice over single models and E1 (equal-weight) ensembles only"))
lines.append("")
lines.append(nested([r for r in rows if r[1] == "single"], "Nested choice over single models only"))
log_result("\n".join(lines))
json.dump(rows, open("summary_rows.json", "w"))

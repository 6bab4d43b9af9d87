from ens import *
SETS = [
  ["krr_log_std", "logreg_log_std"],
  ["krr_log_std", "lda_log_std"],
  ["krr_log_std", "et300_log_std"],
  ["krr_log_std", "logreg_log_std", "lda_log_std"],
  ["krr_log_std", "logreg_log_std", "lda_log_std", "et300_log_std"],
  ["krr_log_std", "logreg_log_std", "et300_log_std"],
  ["logreg_log_std", "lda_log_std"],
  ["krr_rank", "logreg_rank", "lda_rank"],
  ["krr_log_std", "logreg_rank", "lda_log_std"],
]
log_result("\n## Ensembles, members chosen independently then equal mean (exp2.py)\n\n" + HEADER)
for s in SETS:
    log_result(line("E1 " + "+".join(s), indep(s)))
log_result("\n## Ensembles, joint grid selection (exp2.py)\n\n" + HEADER)
for s in SETS[:4] + SETS[6:7]:
    log_result(line("E2 " + "+".join(s), joint(s)))

from ens import *
import exp3, exp5, exp8
SETS = [
  ["krr_rank", "logreg_log_std", "ldaauto_log_std"],
  ["krr_log_std", "logreg_log_std", "ldaauto_rank"],
  ["krr_log_std", "l1logreg_log_std", "ldaauto_log_std"],
  ["krr_log_std", "logreg_mixup_log_std", "ldaauto_log_std"],
  ["krrlin_log_std", "logreg_log_std", "ldaauto_log_std"],
  ["krr_log_std", "logreg_log_std", "l1logreg_log_std", "ldaauto_log_std"],
  ["krr_log_std", "logreg_log_std", "ldaauto_log_std", "lda_log_std"],
  ["krr_log_std", "krr_log_robust", "logreg_log_std", "ldaauto_log_std"],
  ["krr_log_std", "logreg_log_std", "ldaauto_log_std", "et300_log_std"],
  ["krr_log_wstd", "logreg_log_wstd", "ldaauto_log_std"],
]
log_result("\n## More E1 ensembles (exp10.py)\n\n" + HEADER)
for s in SETS:
    log_result(line("E1 " + "+".join(s), indep(s)))

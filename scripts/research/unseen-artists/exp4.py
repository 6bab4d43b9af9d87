from ens import *
import exp3
SETS = [
  ["krr_log_std", "logreg_log_std", "ldaauto_log_std"],
  ["krr_log_std", "logreg_log_std", "lda_log_std", "mlp_log_std"],
  ["krr_log_std", "logreg_log_std", "ldaauto_log_std", "mlp_log_std"],
  ["krr_log_std", "logreg_rank", "ldaauto_log_std"],
  ["krr_log_std", "logreg_log_std", "ldaauto_log_std", "ldaauto_rank", "logreg_rank"],
  ["krr_log_std", "krr_rank", "logreg_log_std", "logreg_rank", "lda_log_std", "lda_rank"],
  ["krr_log_std", "logreg_log_std", "lda_log_std", "svc_log_std"],
  ["krr_log_std", "logreg_log_std", "lda_log_std", "mlpnoise_log_std"],
  ["logreg_log_std", "ldaauto_log_std"],
  ["krr_log_std", "ldaauto_log_std"],
  ["krr_log_wstd", "logreg_log_wstd", "lda_log_wstd"],
]
log_result("\n## More E1 ensembles (exp4.py)\n\n" + HEADER)
for s in SETS:
    log_result(line("E1 " + "+".join(s), indep(s)))

"""Single-model ideas. Run: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 nice -n 10 /usr/bin/python3 exp1.py"""
import sys
from lib import *
from sklearn.linear_model import LogisticRegression
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.neighbors import KNeighborsClassifier

CS = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10, 100]
KRR_G = dict(c=[0.25, 0.5, 1, 2], lam=[0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30])
LR = lambda C: SK(LogisticRegression, C=C, max_iter=5000)
LDA = lambda s: SK(LinearDiscriminantAnalysis, solver="lsqr", shrinkage=s)
SH = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9]
ET = lambda seed: SK(ExtraTreesClassifier, n_estimators=300, random_state=seed, n_jobs=1)
KNN = lambda k: SK(KNeighborsClassifier, n_neighbors=k, metric="cosine", weights="distance", algorithm="brute")

CONFIGS = {
  "logreg_raw_std": (dict(log=False), LR, dict(C=CS)),
  "logreg_log_std": (dict(log=True), LR, dict(C=CS)),
  "logreg_log_robust": (dict(log=True, scale="robust"), LR, dict(C=CS)),
  "logreg_rank": (dict(log=False, scale="rank"), LR, dict(C=CS)),
  "krr_raw_std": (dict(log=False), KRR, KRR_G),
  "krr_log_std": (dict(log=True), KRR, KRR_G),
  "krr_log_robust": (dict(log=True, scale="robust"), KRR, KRR_G),
  "krr_rank": (dict(log=False, scale="rank"), KRR, KRR_G),
  "krr_log_notempo": (dict(log=True, subset="notempo"), KRR, KRR_G),
  "krr_log_mfcc": (dict(log=True, subset="mfcc"), KRR, KRR_G),
  "krr_log_pcawhiten": (dict(log=True, pca="whiten"), KRR, KRR_G),
  "lda_log_std": (dict(log=True), LDA, dict(s=SH)),
  "lda_rank": (dict(log=False, scale="rank"), LDA, dict(s=SH)),
  "lda_raw_std": (dict(log=False), LDA, dict(s=SH)),
  "linridge_log_std": (dict(log=True), LinRidge, dict(lam=[0.1, 1, 3, 10, 30, 100, 300, 1000])),
  "et300_log_std": (dict(log=True), ET, dict(seed=[0])),
  "et300_raw_std": (dict(log=False), ET, dict(seed=[0])),
  "knncos_log_std": (dict(log=True), KNN, dict(k=[3, 5, 10, 15, 20, 30, 50])),
  "logreg_log_notempo": (dict(log=True, subset="notempo"), LR, dict(C=CS)),
  "logreg_log_mfcc": (dict(log=True, subset="mfcc"), LR, dict(C=CS)),
}

if __name__ == "__main__":
    run_and_log(CONFIGS, sys.argv[1:] or list(CONFIGS))

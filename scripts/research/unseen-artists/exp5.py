"""Yet more single models: QDA/RDA, Gaussian NB, nearest shrunken centroid, L1 logistic, elastic."""
import sys
from lib import *
import exp1, exp3
from exp1 import CONFIGS, CS, LR
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
from sklearn.naive_bayes import GaussianNB
from sklearn.linear_model import LogisticRegression


class ShrunkCentroid:
    """Nearest shrunken centroid (Tibshirani 2002) on standardised inputs; probs softmax(-d^2/2 * t) with
    within-class variance pooled, t chosen by training cross-entropy (golden)."""
    def __init__(self, delta=0.5):
        self.delta = delta

    def fit(self, X, y):
        self.m = X.mean(0)
        cm = np.stack([X[y == k].mean(0) for k in range(10)])
        R = X - cm[y]
        s = np.sqrt((R ** 2).sum(0) / (len(X) - 10)) + 1e-6
        s0 = np.median(s)
        self.s = s + s0
        nk = np.bincount(y, minlength=10)
        mk = np.sqrt(1.0 / nk - 1.0 / len(X))[:, None]
        d = (cm - self.m) / (mk * self.s)
        d = np.sign(d) * np.maximum(np.abs(d) - self.delta, 0)
        self.c = self.m + mk * self.s * d
        self.prior = np.log(nk / len(X))
        self.t = golden_temperature(self._score(X), y)
        return self

    def _score(self, X):
        return -0.5 * (((X[:, None, :] - self.c[None]) / self.s) ** 2).sum(2) + self.prior

    def predict_proba(self, X):
        return softmax(self.t * self._score(X), 1)


QDA = lambda r: SK(QuadraticDiscriminantAnalysis, reg_param=r)
GNB = lambda: SK(GaussianNB)
L1 = lambda C: SK(LogisticRegression, C=C, penalty="l1", solver="saga", max_iter=3000)
NEW = {
  "qda_log_std": (dict(log=True), QDA, dict(r=[0.3, 0.5, 0.7, 0.8, 0.9, 0.95])),
  "gnb_log_std": (dict(log=True), GNB, dict()),
  "nsc_log_std": (dict(log=True), ShrunkCentroid, dict(delta=[0, 0.5, 1, 2, 3, 4])),
  "l1logreg_log_std": (dict(log=True), L1, dict(C=[0.03, 0.1, 0.3, 1, 3])),
}
CONFIGS.update(NEW)

if __name__ == "__main__":
    run_and_log(CONFIGS, sys.argv[1:] or list(NEW))

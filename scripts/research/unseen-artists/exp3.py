"""More single models: shrinkage-auto LDA, within-genre scaling, MLPs, SVC, LDA-space KRR."""
import sys
from lib import *
import exp1
from exp1 import CONFIGS, CS, KRR_G, LR, LDA, SH
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC


class MLPAvg:
    """mean probabilities of `seeds` sklearn MLPs (one hidden layer, adam, L2 alpha), optional noise aug."""
    def __init__(self, alpha=1e-2, hidden=128, seeds=3, sigma=0.0, copies=0, epochs=200):
        self.kw = dict(alpha=alpha, hidden=hidden, seeds=seeds, sigma=sigma, copies=copies, epochs=epochs)

    def fit(self, X, y):
        k = self.kw
        self.ms = []
        for s in range(k["seeds"]):
            m = MLPClassifier(hidden_layer_sizes=(k["hidden"],), alpha=k["alpha"], max_iter=k["epochs"],
                              random_state=s, learning_rate_init=1e-3, batch_size=64)
            if k["copies"]:
                m = NoiseAug(m, k["sigma"], k["copies"], seed=s)
            self.ms.append(m.fit(X, y))
        return self

    def predict_proba(self, X):
        return np.mean([m.predict_proba(X) for m in self.ms], 0)


class LDAKRR:
    """shrinkage LDA projection (fitted on the fitting rows) then KRR in the <=9-d discriminant space."""
    def __init__(self, s=0.1, c=1.0, lam=0.1):
        self.s, self.c, self.lam = s, c, lam

    def fit(self, X, y):
        self.l = LinearDiscriminantAnalysis(solver="eigen", shrinkage=self.s).fit(X, y)
        Z = self.l.transform(X)
        self.mu, self.sd = Z.mean(0), Z.std(0)
        self.k = KRR(self.c, self.lam).fit((Z - self.mu) / self.sd, y)
        return self

    def predict_proba(self, X):
        return self.k.predict_proba((self.l.transform(X) - self.mu) / self.sd)


LDAA = lambda: SK(LinearDiscriminantAnalysis, solver="lsqr", shrinkage="auto")
SVR = lambda C, c: SK(SVC, C=C, gamma=c / 57, probability=True, random_state=0)
NEW = {
  "ldaauto_log_std": (dict(log=True), LDAA, dict()),
  "ldaauto_rank": (dict(log=False, scale="rank"), LDAA, dict()),
  "krr_log_wstd": (dict(log=True, scale="wstd"), KRR, KRR_G),
  "krr_log_wiqr": (dict(log=True, scale="wiqr"), KRR, KRR_G),
  "logreg_log_wstd": (dict(log=True, scale="wstd"), LR, dict(C=CS)),
  "lda_log_wstd": (dict(log=True, scale="wstd"), LDA, dict(s=SH)),
  "ldakrr_log_std": (dict(log=True), LDAKRR, dict(s=[0.1, 0.3, 0.6], c=[0.5, 2], lam=[0.1, 1])),
  "svc_log_std": (dict(log=True), SVR, dict(C=[0.3, 1, 3, 10], c=[0.25, 0.5, 1])),
  "mlp_log_std": (dict(log=True), MLPAvg, dict(alpha=[1e-3, 1e-2, 0.1, 1, 3])),
  "mlpnoise_log_std": (dict(log=True), lambda alpha, sigma: MLPAvg(alpha=alpha, sigma=sigma, copies=4, epochs=60),
                       dict(alpha=[1e-2, 0.3, 1], sigma=[0.3, 0.6])),
}
CONFIGS.update(NEW)

if __name__ == "__main__":
    run_and_log(CONFIGS, sys.argv[1:] or list(NEW))

"""Feature-noise / within-genre mixup augmentation for logistic and KRR; KRR with linear+RBF kernel."""
import sys
from lib import *
import exp1, exp3, exp5
from exp1 import CONFIGS, LR
from sklearn.linear_model import LogisticRegression


class MixupGenre:
    """Add `copies` x n rows, each a convex mix (weight u~U(0,1)) of two random clips of the same genre,
    plus N(0, sigma^2) noise (standardised space)."""
    def __init__(self, base, copies=3, sigma=0.0, seed=0):
        self.base, self.copies, self.sigma, self.seed = base, copies, sigma, seed

    def fit(self, X, y):
        rng = np.random.default_rng(self.seed)
        Xs, ys = [X], [y]
        for _ in range(self.copies):
            j = np.array([rng.choice(np.flatnonzero(y == c)) for c in y])
            u = rng.uniform(0, 1, (len(y), 1))
            Xs.append(u * X + (1 - u) * X[j] + self.sigma * rng.standard_normal(X.shape)); ys.append(y)
        self.base.fit(np.vstack(Xs), np.concatenate(ys))
        return self

    def predict_proba(self, X):
        return self.base.predict_proba(X)


class KRRLin(KRR):
    """kernel = exp(-gamma d^2) + a * <x,y>/F"""
    def __init__(self, c=0.5, lam=0.1, a=1.0):
        super().__init__(c, lam); self.a = a

    def _k(self, A, B):
        return np.exp(-self.g * sqdist(A, B)) + self.a * (A @ B.T) / A.shape[1]

    def fit(self, X, y):
        self.g = self.c / X.shape[1]
        K = self._k(X, X); K[np.diag_indices_from(K)] += self.lam
        T = np.eye(10)[y]; Ki = np.linalg.inv(K)
        self.dual = Ki @ T
        self.t = golden_temperature(T - self.dual / np.diag(Ki)[:, None], y)
        self.S = X
        return self

    def predict_proba(self, X):
        return softmax(self.t * self._k(X, self.S) @ self.dual, axis=1)


NEW = {
  "logreg_noise_log_std": (dict(log=True), lambda C, sigma: NoiseAug(LR(C), sigma, 5),
                           dict(C=[0.03, 0.3, 3], sigma=[0.3, 0.6, 1.0])),
  "logreg_mixup_log_std": (dict(log=True), lambda C, sigma: MixupGenre(LR(C), 3, sigma),
                           dict(C=[0.03, 0.3, 3], sigma=[0.0, 0.5])),
  "krr_mixup_log_std": (dict(log=True), lambda c, lam: MixupGenre(KRR(c, lam), 2, 0.0),
                        dict(c=[0.25, 0.5, 1], lam=[0.1, 0.3, 1, 3])),
  "krrlin_log_std": (dict(log=True), KRRLin, dict(c=[0.25, 0.5, 1], lam=[0.1, 0.3, 1, 3], a=[0.3, 1, 3])),
}
CONFIGS.update(NEW)

if __name__ == "__main__":
    run_and_log(CONFIGS, sys.argv[1:] or list(NEW))

"""Cross-fitted inner products: brute-force agreement, unbiasedness against the plug-in bias, the fold jackknife,
the interval of a square, the folds, and the Ledoit-Wolf readout against scikit-learn."""
from __future__ import annotations

import numpy as np
import pytest

from verify import crossfit as CF
from verify import probes as P
from verify.validate import InputError


def _data(rng: np.random.Generator, d: int, n: int, cos: float, signal: float = 3.0, dtype=np.float64):
    """Safety u0 and one capability u1 with <u0, u1> = cos; balanced independent labels; unit noise; an offset."""
    u0 = np.zeros(d)
    u0[0] = 1.0
    u1 = np.zeros(d)
    u1[0], u1[1] = cos, np.sqrt(1 - cos * cos)
    Y = np.stack([rng.permutation(np.arange(n) % 2) for _ in range(2)]).astype(np.int8)
    X = 50.0 + signal * ((Y[0] - 0.5)[:, None] * u0 + (Y[1] - 0.5)[:, None] * u1) + rng.standard_normal((n, d))
    return X[None].astype(dtype), Y


def _brute(X: np.ndarray, Y: np.ndarray, folds: np.ndarray) -> np.ndarray:
    K = folds.max() + 1
    F = np.array([[X[folds == f][y[folds == f] == 1].mean(0) - X[folds == f][y[folds == f] == 0].mean(0) for y in Y]
                  for f in range(K)])
    return sum(F[f] @ F[g].T for f in range(K) for g in range(K) if f != g) / (K * (K - 1))


def test_crossfit_gram_is_the_average_over_pairs_of_different_folds() -> None:
    rng = np.random.default_rng(0)
    X, Y = _data(rng, 40, 300, 0.4)
    Y[1, :17] = -1                                                          # some samples not labelled
    folds = CF.make_folds(Y, 6, 1)
    B = CF.fold_blocks(X, Y, folds, cross=True)
    G = CF.crossfit_gram(B.within, B.with_sum)[0]
    assert np.allclose(G, _brute(X[0], Y, folds), rtol=1e-10, atol=1e-10)
    # the cross products hold the same blocks: within = cross[f, f], with_sum = sum_g cross[f, g]
    assert np.allclose(B.within, np.einsum("lffij->lfij", B.cross))
    assert np.allclose(B.with_sum, B.cross.sum(axis=2))


def test_leave_one_out_blocks_equal_the_blocks_without_that_fold() -> None:
    rng = np.random.default_rng(1)
    X, Y = _data(rng, 30, 240, -0.5)
    folds = CF.make_folds(Y, 5, 0)
    B = CF.fold_blocks(X, Y, folds, cross=True)
    w, s, rc = CF.leave_one_out(B)
    for j in range(5):
        keep = folds != j
        relabel = np.where(keep, folds - (folds > j), -1)[keep]
        Bj = CF.fold_blocks(X[:, keep], Y[:, keep], relabel)
        assert np.allclose(w[0, j], Bj.within[0]) and np.allclose(s[0, j], Bj.with_sum[0])


def test_crossfit_is_unbiased_where_the_plug_in_shrinks() -> None:
    # d = 400 against n = 400: each mean difference carries noise of squared norm about 4 d / n = 4 against a
    # signal of 9, so the plug-in cosine is shrunk by about 9 / 13; the cross-fitted one is not.
    rng = np.random.default_rng(2)
    cos, cf, pi = -0.6, [], []
    for _ in range(30):
        X, Y = _data(rng, 400, 400, cos)
        B = CF.fold_blocks(X, Y, CF.make_folds(Y, 10, int(rng.integers(1 << 30))), rows=[0])
        cf.append(CF.crossfit_quantities(B.within, B.with_sum, B.row_cross, 1).cos[0, 0])
        D = np.stack([X[0][y == 1].mean(0) - X[0][y == 0].mean(0) for y in Y])
        pi.append(D[0] @ D[1] / np.linalg.norm(D[0]) / np.linalg.norm(D[1]))
    cf, pi = np.array(cf), np.array(pi)
    se = cf.std() / np.sqrt(len(cf))
    assert abs(cf.mean() - cos) < 3 * se + 0.01, (cf.mean(), se)
    assert pi.mean() > cos + 0.12                                            # shrunk toward 0


def test_joint_tau_is_debiased_over_folds() -> None:
    # With many incidental capabilities (true joint tau = 0.25 from one of them), b^T Gc^{-1} b adds up the noise of
    # every b_i; dropping each fold's product with itself removes it.
    rng = np.random.default_rng(3)
    d, n, m = 200, 800, 12
    got, naive = [], []
    for _ in range(12):
        E = np.linalg.qr(rng.standard_normal((d, m + 1)))[0]
        v = E[:, 0]
        C = E[:, 1:].copy()
        C[:, 0] = 0.5 * v + np.sqrt(0.75) * E[:, 1]
        U = np.column_stack([v, C])
        Y = np.stack([rng.permutation(np.arange(n) % 2) for _ in range(m + 1)]).astype(np.int8)
        X = (3.0 * (Y.T - 0.5) @ U.T + rng.standard_normal((n, d)))[None]
        B = CF.fold_blocks(X, Y, CF.make_folds(Y, 10, 0), rows=[0])
        q = CF.crossfit_quantities(B.within, B.with_sum, B.row_cross, m)
        got.append(q.tau[0])
        G = CF.crossfit_gram(B.within, B.with_sum)[0]
        Gn = G / np.sqrt(np.outer(np.diag(G), np.diag(G)))
        b = Gn[0, 1:]
        naive.append(b @ np.linalg.solve(Gn[1:, 1:], b))
    assert abs(np.mean(got) - 0.25) < 0.015, np.mean(got)
    assert np.mean(naive) - np.mean(got) > 0.01                              # the bias it removes


def test_jackknife_interval_and_the_square_of_a_signed_interval() -> None:
    reps = np.array([[1.0], [2.0], [3.0]])
    lo, hi = CF.jackknife_interval(np.array([2.0]), reps, 0.95)
    from scipy.stats import t

    half = t.ppf(0.975, 2) * np.sqrt(2 / 3 * 2.0)
    assert lo == pytest.approx(2 - half) and hi == pytest.approx(2 + half)
    lo, hi = CF.signed_to_square(np.array([-0.1, 0.2, -0.5]), np.array([0.3, 0.4, -0.2]))
    assert list(lo) == pytest.approx([0.0, 0.04, 0.04]) and list(hi) == pytest.approx([0.09, 0.16, 0.25])
    with pytest.raises(InputError, match="level=1.5"):
        CF.jackknife_interval(np.array([0.0]), reps, 1.5)


def test_every_fold_holds_both_classes_of_every_label_or_the_error_says_how_to_fix() -> None:
    rng = np.random.default_rng(4)
    n = 500
    Y = np.stack([rng.permutation(np.arange(n) % 2), (np.arange(n) < 12).astype(int)]).astype(np.int8)
    folds = CF.make_folds(Y, 10, 7)
    for f in range(10):
        assert ((Y[:, folds == f] == 1).any(axis=1) & (Y[:, folds == f] == 0).any(axis=1)).all()
    assert np.array_equal(folds, CF.make_folds(Y, 10, 7))                     # seeded: same folds
    with pytest.raises(InputError, match="direction 1 has 12 positive samples; cross-fitting with folds=20"):
        CF.make_folds(Y, 20, 0)


@pytest.mark.parametrize("n,d", [(60, 25), (25, 60)])
def test_ledoit_wolf_readout_equals_scikit_learn(n: int, d: int) -> None:
    from sklearn.covariance import LedoitWolf, ledoit_wolf_shrinkage

    rng = np.random.default_rng(5)
    Z = rng.standard_normal((n, d)) * np.linspace(0.5, 3.0, d)
    Z -= Z.mean(axis=0)
    assert P.ledoit_wolf_shrinkage(Z)[0] == pytest.approx(ledoit_wolf_shrinkage(Z, assume_centered=True), rel=1e-12)
    R = rng.standard_normal((3, d))
    lw = LedoitWolf(assume_centered=True).fit(Z)
    assert np.allclose(P.shrinkage(Z).solve(R), (lw.precision_ @ R.T).T, rtol=1e-10, atol=1e-12)


def test_products4_is_the_average_over_four_distinct_folds() -> None:
    import itertools

    rng = np.random.default_rng(6)
    K, m = 5, 2
    A, B = rng.standard_normal((K, K, m)), rng.standard_normal((K, K, m))
    want = np.zeros((m, m))
    quads = [q for q in itertools.permutations(range(K), 4)]
    for f, g, f2, g2 in quads:
        want += np.outer(A[f, g], B[f2, g2])
    assert np.allclose(CF.products4(A, B), want / len(quads))


def test_effective_angle_and_joint_tau_recover_the_planted_geometry() -> None:
    # Eq. (15)'s theta from the cross-fitted cosines and the U-statistic products, against the planted directions.
    from verify import measured as M
    from verify.synthetic import synthetic_activations

    syn = synthetic_activations(d=64, layers=2, design="random", n=6000, seed=3, signal=4.0, unlabelled=0.0)
    Y = np.stack(list(syn.labels.values()))
    m = len(syn.planted.names)
    B = CF.fold_blocks(syn.acts, Y, CF.make_folds(Y, 10, 0), rows=[0, 1 + m])
    q = CF.crossfit_quantities(B.within, B.with_sum, B.row_cross, m, 1)
    pl = syn.planted
    want = M.effective_angle(pl.safety, pl.safety2, pl.capabilities)
    assert np.allclose(q.pair_theta[:, 0], want.theta, atol=0.05), (q.pair_theta[:, 0], want.theta)
    assert np.allclose(q.tau, M.tax_rate(pl.safety, pl.capabilities), atol=0.03)
    assert np.allclose(q.pair_rho[:, 0], want.rho, atol=0.03)

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


def test_ustat_variance_is_unbiased_where_the_jackknife_overstates_the_fold_pair_term() -> None:
    # T[f, g] = a_f + b_g + <x_f, y_g>: Var U = (1 + 1) / K from the folds, p / (K (K - 1)) from the pairs of folds.
    rng = np.random.default_rng(5)
    R, K, p = 4000, 10, 50
    folds = rng.standard_normal((R, K, 1, 1)) + rng.standard_normal((R, 1, K, 1))
    x, y = rng.standard_normal((R, K, p)), rng.standard_normal((R, K, p))
    pairs = np.einsum("rfp,rgp->rfg", x, y)[..., None]
    v1, v2 = 2 / K, p / (K * (K - 1))
    off = ~np.eye(K, dtype=bool)
    for T, truth, dof_range in ((3 * folds + pairs, 9 * v1 + v2, (5, K - 1)),
                                (np.broadcast_to(folds, (R, K, K, 1)), v1, (K - 1, K - 1 + 1e-9))):
        var, dof = CF.ustat_variance(T)
        assert var.mean() == pytest.approx(truth, rel=0.05)
        assert T[:, off].mean(axis=1).var() == pytest.approx(truth, rel=0.05)
        assert dof_range[0] <= np.median(dof) <= dof_range[1]
    # pairs alone: floored at their own share, never below 0, on few degrees of freedom
    var, dof = CF.ustat_variance(pairs)
    assert (var > 0).all() and v2 < var.mean() < 2 * v2 and np.median(dof) < K - 1
    # the jackknife of U counts the pairs' variance 2 (K - 1)/(K - 2) times over
    P0 = np.where(off[..., None], pairs, 0.0)
    U_j = (P0.sum(axis=(1, 2))[:, None] - P0.sum(axis=1) - P0.sum(axis=2)) / ((K - 1) * (K - 2))
    var_j = (K - 1) / K * ((U_j - U_j.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    assert var_j.mean() == pytest.approx(2 * (K - 1) / (K - 2) * v2, rel=0.05)
    # unclipped, the two parts add up to the unbiased U^2 - products4(T, T)
    T = (10 * folds + pairs)[:3]
    U = T[:, off].mean(axis=1)
    assert np.allclose(CF.ustat_variance(T)[0], U * U - np.diagonal(CF.products4(T, T), axis1=-2, axis2=-1))
    with pytest.raises(InputError, match="4 different folds"):
        CF.ustat_variance(T[:, :3, :3])


def test_cos_tables_are_the_first_order_change_of_the_cosine() -> None:
    rng = np.random.default_rng(6)
    X, Y = _data(rng, 30, 400, -0.3)
    B = CF.fold_blocks(X, Y, CF.make_folds(Y, 6, 0), cross=True, rows=[0])

    def cos_of(cross: np.ndarray) -> np.ndarray:
        K = cross.shape[1]
        within = cross[:, np.arange(K), np.arange(K)]
        q = CF.crossfit_quantities(within, cross.sum(axis=2), cross[..., [0], :], 1)
        return q.cos, q.sq_norm

    cos, sq = cos_of(B.cross)
    T = CF.cos_tables(B.cross, sq, cos)
    off = ~np.eye(6, dtype=bool)
    assert abs(T[0][off].mean()) < 1e-12                                    # cos is homogeneous of degree 0
    delta = rng.standard_normal(B.cross.shape)
    delta = delta + delta.transpose(0, 2, 1, 4, 3)                          # cross[f, g, i, j] = cross[g, f, j, i]
    eps = 1e-6
    moved, _ = cos_of(B.cross + eps * delta)
    assert (moved - cos)[0, 0] / eps == pytest.approx(CF.cos_tables(delta, sq, cos)[0][off].mean(), rel=1e-4)


def test_cos_interval_is_the_jackknife_at_small_d_and_drops_its_excess_at_large_d() -> None:
    # At d << n the fold pairs add nothing: the same interval as the jackknife's.  At d of the order of n the
    # jackknife counts the pairs' noise 2 (K - 1)/(K - 2) times over; the variance used here does not, and its
    # degrees of freedom fall below K - 1 (the subtraction leaves the fold term's noise whole).
    rng = np.random.default_rng(7)
    K = 10
    for d, n in ((8, 4000), (3000, 400)):
        width, var_ratio, dofs = [], [], []
        for rep in range(5):
            X, Y = _data(rng, d, n, -0.2)
            B = CF.fold_blocks(X, Y, CF.make_folds(Y, K, rep), cross=True, rows=[0])
            q = CF.crossfit_quantities(B.within, B.with_sum, B.row_cross, 1)
            lo, hi = CF.cos_interval(B, q, 0.95)
            assert lo[0, 0] < q.cos[0, 0] < hi[0, 0]
            reps = CF.crossfit_quantities(*CF.leave_one_out(B), 1).cos
            jl, jh = CF.jackknife_interval(q.cos, reps, 0.95, axis=1)
            var, dof = CF.ustat_variance(CF.cos_tables(B.cross, q.sq_norm, q.cos))
            var_j = (K - 1) / K * np.sum((reps - reps.mean(axis=1, keepdims=True)) ** 2, axis=1)
            width.append(((hi - lo) / (jh - jl))[0, 0])
            var_ratio.append((var / var_j)[0, 0])
            dofs.append(dof[0, 0])
        if d == 8:
            assert np.median(width) == pytest.approx(1.0, abs=0.05) and np.median(dofs) > K - 1.5
        else:
            assert np.median(var_ratio) < 0.8 and np.median(dofs) < K - 2
    B = CF.fold_blocks(X, Y, CF.make_folds(Y, K, 0), rows=[0])
    with pytest.raises(InputError, match="cross=True"):
        CF.cos_interval(B, q)


def test_t_interval() -> None:
    from scipy.stats import t

    lo, hi = CF.t_interval(np.array([1.0, 1.0]), np.array([4.0, -1.0]), np.array([5.0, 9.0]), 0.9)
    assert lo[0] == pytest.approx(1 - 2 * t.ppf(0.95, 5)) and hi[0] == pytest.approx(1 + 2 * t.ppf(0.95, 5))
    assert lo[1] == hi[1] == 1.0                                            # a variance below 0 by chance: width 0
    with pytest.raises(InputError, match="level=0"):
        CF.t_interval(np.array([0.0]), np.array([1.0]), np.array([3.0]), 0.0)


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
    K, m, m2 = 5, 2, 3
    # tables of different widths, the second batched (3 layers) against an unbatched first: broadcast as matmul does
    A, B = rng.standard_normal((K, K, m)), rng.standard_normal((3, K, K, m2))
    quads = [q for q in itertools.permutations(range(K), 4)]
    for layer in range(3):
        want = np.zeros((m, m2))
        for f, g, f2, g2 in quads:
            want += np.outer(A[f, g], B[layer, f2, g2])
        assert np.allclose(CF.products4(A, B)[layer], want / len(quads))


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


@pytest.mark.parametrize("K", [5, 9, 20])
def test_dof_floor_bounds_the_degrees_of_freedom_and_is_reached(K: int) -> None:
    # Pair noise only (no fold effects): the subtracted share is largest, and the dof come near the floor.
    rng = np.random.default_rng(K)
    T = rng.standard_normal((2000, K, K, 1))
    _, dof = CF.ustat_variance(T)
    assert dof.min() >= CF.dof_floor(K) * (1 - 1e-9)
    assert dof.min() <= CF.dof_floor(K) * 1.05

"""Cross-fitted inner products of class-mean differences: K-fold splits, unbiased Gram matrices, a fold jackknife.

**Why.** A mean difference estimated from n samples is ``D = mu + e`` with noise ``e`` of covariance
about ``sigma^2 (1/n_+ + 1/n_-) I``, so ``E ||D||^2 = ||mu||^2 + sigma^2 d (1/n_+ + 1/n_-)``: the plug-in
cosine ``<D_0, D_i> / (||D_0|| ||D_i||)`` shrinks toward 0 as d grows against n, and every tax rate,
principal angle and effective angle computed from it with it.

**The estimator.** The samples are split into K folds (shared by every direction, so their dependence
is kept).  ``D_j^f`` is direction j's mean difference on fold f.  For f != g the two are independent,
so ``E <D_i^f, D_j^g> = <mu_i, mu_j>``, and the cross-fitted Gram matrix

    G_ij = 1 / (K (K - 1)) * sum_{f != g} <D_i^f, D_j^g>
         = 1 / (K (K - 1)) * ( <S_i, S_j> - sum_f <D_i^f, D_j^f> ),    S = sum_f D^f,

is unbiased for ``<mu_i, mu_j>``, squared norms (i = j) included: each factor of every product comes
from different samples.  This is the estimator behind cross-validated distances in representational
similarity analysis (the cross-validated Mahalanobis or "crossnobis" distance): Walther, Nili, Ejaz,
Alink, Kriegeskorte and Diedrichsen (2016), "Reliability of dissimilarity measures for multi-voxel
pattern analysis", NeuroImage 137:188-200; Nili et al. (2014), "A toolbox for representational
similarity analysis", PLoS Computational Biology 10(4):e1003553 (rsatoolbox).

Cosines are ratios of these unbiased entries, ``cos_ij = G_ij / sqrt(G_ii G_jj)`` (consistent; its bias
is of order 1/n, not d/n).  A quadratic form in cosines, such as the joint tax rate in Gram form
``tau = b^T Gc^{-1} b`` (``b_i = cos(v*, c_i)``), would square the noise of b once more: each product
``<mu_0, mu_i><mu_0, mu_j>`` in it is estimated instead by the fourth-order U-statistic over four
different folds, ``<D_0^f, D_i^g><D_0^f', D_j^g'>`` averaged over distinct ``f, g, f', g'`` (unbiased),
from the K x K tables ``T_i[f, g] = <D_0^f, D_i^g>`` of the safety rows (``row_cross``, 2 K^2 k d flops).

**Only inner products are formed.** Per layer ``within[f] = D^f D^f^T`` and ``with_sum[f] = D^f S^T``
(k x k each, 4 K k^2 d flops) and the safety rows' tables give every point estimate; the fold jackknife
needs the full cross products ``cross[f, g] = D^f D^g^T`` (2 (K k)^2 d flops).  Leaving fold j out maps the
blocks to those of K - 1 folds (``with_sum[f] - cross[f, j]``), so the estimator and its jackknife replicates are one
function of blocks.

**Intervals.** The delete-one-fold jackknife: ``theta_(j)`` the estimate without fold j,
``var = (K - 1) / K sum_j (theta_(j) - mean)^2``, and ``theta +- t_{K-1} sqrt(var)``.  A cross-fitted entry is a
U-statistic of order 2 in the K independent folds; by Hoeffding's decomposition its error is a sum over folds
(variance V1, of order 1/n) plus a degenerate sum over pairs of folds, ``<e_i^f, e_j^g>`` (variance V2, of order
d/n^2).  The jackknife estimates ``V1 + 2 (K - 1)/(K - 2) V2`` (Efron and Stein (1981), "The jackknife estimate of
variance", Annals of Statistics 9(3):586-596: it errs upward by the higher-order terms), so once d is of the
order of n its interval is too wide.  For the cosines ``cos_interval`` subtracts the excess, estimated from the
residuals of the pairs of folds (``ustat_variance``: the result is the unbiased variance of a U-statistic, ``U^2``
minus the fourth-order U-statistic for ``(E U)^2``), from the cosine's delta-method fold table, with Student's t on
Welch and Satterthwaite's degrees of freedom for the difference.  The coverage of both is measured by simulation
with planted truth in ``bench/bench_measure_coverage.py``: ``measure`` takes ``cos_interval`` for <v*, c_i> and tau_i
with K = 20 folds (at K = 10 the subtraction leaves too few degrees of freedom once d is of the order of n, and
the interval covers about 0.97), and the jackknife for the quantities that are not single cosines.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Sequence

import numpy as np

from verify.validate import InputError, seed as check_seed

__all__ = ["POSITIVE", "NEGATIVE", "FoldBlocks", "CrossFitted", "make_folds", "fold_blocks", "crossfit_gram",
           "leave_one_out", "crossfit_quantities", "products4", "jackknife_interval", "cos_tables", "ustat_variance",
           "dof_floor", "t_interval", "cos_interval", "signed_to_square"]

POSITIVE, NEGATIVE = 1, 0
_TRIES = 50


@dataclass(frozen=True)
class FoldBlocks:
    """Inner products of the fold mean differences, per layer (leading axes ``...``).

    ``within (..., K, k, k)``: ``<D_i^f, D_j^f>``; ``with_sum (..., K, k, k)``: ``<D_i^f, S_j>``;
    ``cross (..., K, K, k, k)``: ``<D_i^f, D_j^g>`` (None unless asked: only the jackknife needs it);
    ``encoding``: the same for the encoding directions when ``transform`` made readout ones (else None);
    ``row_cross (..., K, K, r, k)``: ``<D_i^f, D_j^g>`` for the rows i asked for (the safety directions)."""

    within: np.ndarray
    with_sum: np.ndarray
    cross: np.ndarray | None
    encoding: FoldBlocks | None = None
    row_cross: np.ndarray | None = None          # (..., K, K, r, k): <D_i^f, D_j^g> for the rows i asked for

    @property
    def folds(self) -> int:
        return self.within.shape[-3]


@dataclass(frozen=True)
class CrossFitted:
    """The paper's quantities from cross-fitted inner products (arrays over the batch axes ``...``).

    Directions ordered ``[v*, c_1..c_m, v_2..v_{e+1}]``.  ``sq_norm (..., k)``: cross-fitted ``||mu_j||^2``;
    ``reliability (..., k)``: ``sq_norm`` over the squared norm of the all-folds direction ``S / K``, the
    share of it that replicates across independent folds (about ``cos^2`` of the estimated and the true
    direction); ``cos (..., m)``: ``<v*, c_i>``; ``tau_i = cos^2``; ``tau`` the joint tax rate in Gram form
    (debiased, may fall below 0 when the truth is near 0: the interval is taken on it, the report clips);
    ``pair_*`` per further safety direction (axis -1 of length e, ``pair_b`` (..., e, m))."""

    sq_norm: np.ndarray
    reliability: np.ndarray
    cos: np.ndarray
    tau_i: np.ndarray
    tau: np.ndarray
    pair_rho: np.ndarray
    pair_b: np.ndarray
    pair_cos_theta: np.ndarray
    pair_theta: np.ndarray
    pair_tau2: np.ndarray


# --- folds ---------------------------------------------------------------------------------------

def make_folds(labels: np.ndarray, K: int, seed: int) -> np.ndarray:
    """A fold index (n,) in ``0..K-1`` such that every fold holds a positive and a negative sample of every row of
    ``labels`` (k, n) (coded 1 / 0 / -1); drawn from ``numpy.random.default_rng(seed)``.

    Samples of the rarest class come first in a random order and are dealt round-robin, so they spread
    evenly; the other classes are spread at random, and a draw that leaves a fold without some class is
    redrawn (deterministically, from the same generator)."""
    if isinstance(K, bool) or not isinstance(K, (int, np.integer)) or K < 2:
        raise InputError(f"folds={K!r} must be an integer >= 2 (cross-fitting needs two independent splits).")
    Y = np.asarray(labels)
    k, n = Y.shape
    counts = np.stack([(Y == POSITIVE).sum(axis=1), (Y == NEGATIVE).sum(axis=1)])          # (2, k)
    j_cls, j_dir = np.unravel_index(int(np.argmin(counts)), counts.shape)
    if counts.min() < K:
        cls = "positive" if j_cls == 0 else "negative"
        raise InputError(f"direction {j_dir} has {int(counts.min())} {cls} samples; cross-fitting with folds={K} "
                         f"needs at least one per fold. Use fewer folds (--folds) or label more samples.")
    rare = Y[j_dir] == (POSITIVE if j_cls == 0 else NEGATIVE)
    rng = np.random.default_rng(check_seed(seed))
    for _ in range(_TRIES):
        order = rng.permutation(n)
        order = order[np.argsort(~rare[order], kind="stable")]
        folds = np.empty(n, dtype=np.int64)
        folds[order] = np.arange(n) % K
        if _every_fold_has_both(Y, folds, K):
            return folds
    raise InputError(f"no split into folds={K} gave every fold a sample of each class of every direction in "
                     f"{_TRIES} draws; use fewer folds (--folds) or label more samples of the rarest classes.")


def _every_fold_has_both(Y: np.ndarray, folds: np.ndarray, K: int) -> bool:
    onehot = folds[None, :] == np.arange(K)[:, None]                                      # (K, n)
    pos = onehot.astype(np.int64) @ (Y == POSITIVE).T.astype(np.int64)                   # (K, k)
    neg = onehot.astype(np.int64) @ (Y == NEGATIVE).T.astype(np.int64)
    return bool((pos > 0).all() and (neg > 0).all())


# --- blocks from activations -----------------------------------------------------------------------

def fold_blocks(acts: np.ndarray, labels: np.ndarray, folds: np.ndarray, *, cross: bool = False,
                fixed: np.ndarray | None = None, names: Sequence[str] | None = None, rows: Sequence[int] = (),
                transform: Callable[[int, np.ndarray, np.ndarray], np.ndarray] | None = None) -> FoldBlocks:
    """The fold blocks of every layer of ``acts`` (layers, n, d) for the label rows ``labels`` (k, n).

    Per layer the samples are centred (about their mean summed in float64; every fold's weights sum to 0,
    so the directions are unchanged and only the rounding improves), then each fold's mean differences
    are one product ``(k, n_f) @ (n_f, d)`` in the activations' dtype, taken to float64.  ``fixed``
    (layers, k', d): precomputed directions, appended as rows equal in every fold (their inner products
    with a labelled direction are then the fold average, and they add no variance).  ``transform(layer, Z,
    R)``: maps the rows R (r, d) of mean differences to other directions (a readout, ``Sigma^{-1} R``),
    given the layer's centred samples Z; the encoding blocks are then kept too.  ``rows``: the directions whose
    fold tables against every direction are kept (``row_cross``; the quadratic forms need them).  ``names`` (one per
    label row)
    name a label whose classes have the same mean (``verify.probes.check_distinct_means``)."""
    from verify import probes as P
    X = acts
    L, n, d = X.shape
    Y = np.asarray(labels)
    K = int(folds.max()) + 1
    kf = 0 if fixed is None else fixed.shape[1]
    k = Y.shape[0] + kf
    # The samples sorted by fold once per layer (in the centring's copy), so that each fold is a contiguous slice.
    order = np.argsort(folds, kind="stable")
    bounds = np.searchsorted(folds[order], np.arange(K + 1))
    Wf = []
    for f in range(K):
        y = Y[:, order[bounds[f]:bounds[f + 1]]]
        pos, neg = (y == POSITIVE), (y == NEGATIVE)
        Wf.append(np.ascontiguousarray((pos / pos.sum(axis=1, keepdims=True)
                                        - neg / neg.sum(axis=1, keepdims=True)).astype(X.dtype)))     # (k, n_f)
    shape = (L, K, k, k)
    rows = list(rows)

    def buffers() -> tuple:
        return (np.empty(shape), np.empty(shape), np.empty((L, K, K, k, k)) if cross else None,
                np.empty((L, K, K, len(rows), k)))

    main = buffers()
    enc = buffers() if transform else None
    for layer in range(L):
        mean = X[layer].mean(axis=0, dtype=np.float64)
        if not np.isfinite(mean).all():          # the mean weighs every sample: a NaN or inf anywhere shows here
            P._finite_layer(X, layer)
        Z = X[layer][order]
        Z -= mean.astype(X.dtype)
        F = np.empty((K, k, d))
        for f in range(K):
            F[f, :Y.shape[0]] = Wf[f] @ Z[bounds[f]:bounds[f + 1]]        # (k, n_f) @ (n_f, d): row-major, no transpose
        P.check_distinct_means(names or [f"direction {j}" for j in range(Y.shape[0])], F[:, :Y.shape[0]].mean(axis=0),
                               Z, layer)
        if kf:
            F[:, Y.shape[0]:] = fixed[layer][None]
        if transform is not None:
            _blocks_into(F, layer, rows, *enc)
            F = transform(layer, Z, F.reshape(K * k, d)).reshape(K, k, d)
            if kf:
                F[:, Y.shape[0]:] = fixed[layer][None]                   # precomputed: as given
        _blocks_into(F, layer, rows, *main)
    encoding = None if enc is None else FoldBlocks(enc[0], enc[1], enc[2], None, enc[3])
    return FoldBlocks(main[0], main[1], main[2], encoding, main[3])


def _blocks_into(F: np.ndarray, layer: int, rows: list[int], within: np.ndarray, with_sum: np.ndarray,
                 crs: np.ndarray | None, row_cross: np.ndarray) -> None:
    K, k, d = F.shape
    Fr = F.reshape(K * k, d)
    if crs is not None:
        # within and with_sum are the diagonal and the row sums of the cross products: one product gives all.
        crs[layer] = (Fr @ Fr.T).reshape(K, k, K, k).transpose(0, 2, 1, 3)
        within[layer] = crs[layer][np.arange(K), np.arange(K)]
        with_sum[layer] = crs[layer].sum(axis=1)
        row_cross[layer] = crs[layer][:, :, rows, :]
        return
    # with_sum and the rows' tables from one product of every fold's directions with [S; the rows of each fold].
    r = len(rows)
    C = Fr @ np.concatenate([F.sum(axis=0), F[:, rows].reshape(K * r, d)]).T               # (K k, k + K r)
    with_sum[layer] = C[:, :k].reshape(K, k, k)
    row_cross[layer] = C[:, k:].reshape(K, k, K, r).transpose(2, 0, 3, 1)                  # [f, g, r, j]
    for f in range(K):
        within[layer, f] = F[f] @ F[f].T


# --- the estimator ---------------------------------------------------------------------------------

def crossfit_gram(within: np.ndarray, with_sum: np.ndarray) -> np.ndarray:
    """``G = (sum_f with_sum[f] - sum_f within[f]) / (K (K - 1))`` over the fold axis -3, symmetrised."""
    K = within.shape[-3]
    G = (with_sum.sum(axis=-3) - within.sum(axis=-3)) / (K * (K - 1))
    return 0.5 * (G + np.swapaxes(G, -1, -2))


def leave_one_out(blocks: FoldBlocks) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The blocks of the K leave-one-fold-out data sets: ``within``, ``with_sum`` of shape (..., K, K - 1, k, k)
    and ``row_cross`` (..., K, K - 1, K - 1, r, k), axis -4 (-5) the fold left out.  Leaving j out removes ``D^j``
    from S, so ``with_sum[f] - cross[f, j]``; the tables lose row and column j."""
    if blocks.cross is None:
        raise InputError("the fold jackknife needs the cross products of the folds: fold_blocks(..., cross=True).")
    K = blocks.folds
    keep = np.array([[f for f in range(K) if f != j] for j in range(K)])                 # (K, K - 1)
    within = blocks.within[..., keep, :, :]                                               # (..., K, K-1, k, k)
    cross_j = blocks.cross[..., keep, np.arange(K)[:, None], :, :]                        # cross[f, j]
    with_sum = blocks.with_sum[..., keep, :, :] - cross_j
    rc = blocks.row_cross
    row_cross = rc[..., keep[:, :, None], keep[:, None, :], :, :]                          # (..., K, K-1, K-1, r, k)
    return within, with_sum, row_cross


def _solve_spd(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A^{-1} B`` for a batch of symmetric matrices, NaN where A is not positive definite."""
    try:
        Lc = np.linalg.cholesky(A)
        ok = np.ones(A.shape[:-2], dtype=bool)
    except np.linalg.LinAlgError:
        ok = np.array([_is_pd(a) for a in A.reshape((-1,) + A.shape[-2:])]).reshape(A.shape[:-2])
        safe = np.where(ok[..., None, None], A, np.eye(A.shape[-1]))
        Lc = np.linalg.cholesky(safe)
    y = np.linalg.solve(Lc, B)
    x = np.linalg.solve(np.swapaxes(Lc, -1, -2), y)
    return np.where(ok[..., None, None], x, np.nan)


def _is_pd(a: np.ndarray) -> bool:
    if not np.isfinite(a).all():
        return False
    try:
        np.linalg.cholesky(a)
        return True
    except np.linalg.LinAlgError:
        return False


def products4(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``sum over distinct f, g, f', g' of A[f, g, i] B[f', g', j]`` over ``K (K-1) (K-2) (K-3)``: the fourth-order
    U-statistic for the product of the means of two fold tables (..., K, K, m) (diagonals f = g ignored).

    By inclusion-exclusion over the pairs that share a fold (rows r, columns c, totals t, diagonal zeroed):
    ``t_A t_B - sum_f (r_A + c_A)[f] (r_B + c_B)[f] + sum A o B + sum A o B^T``."""
    K = A.shape[-2]
    eye = np.eye(K, dtype=bool)[..., None]
    A = np.where(eye, 0.0, A)
    B = np.where(eye, 0.0, B)
    rcA = A.sum(axis=-2) + A.sum(axis=-3)                                          # (..., K, m)
    rcB = B.sum(axis=-2) + B.sum(axis=-3)
    tA, tB = A.sum(axis=(-3, -2)), B.sum(axis=(-3, -2))                             # (..., m)
    # The sums over folds as matrix products (BLAS), not einsum: the jackknife asks for K of them per layer.
    At = np.swapaxes(A.reshape(A.shape[:-3] + (K * K, A.shape[-1])), -1, -2)
    flat_b = B.shape[:-3] + (K * K, B.shape[-1])
    Q = (tA[..., :, None] * tB[..., None, :] - np.swapaxes(rcA, -1, -2) @ rcB
         + At @ B.reshape(flat_b) + At @ np.swapaxes(B, -3, -2).reshape(flat_b))
    return Q / (K * (K - 1) * (K - 2) * (K - 3))


def crossfit_quantities(within: np.ndarray, with_sum: np.ndarray, row_cross: np.ndarray, m: int,
                        e: int = 0) -> CrossFitted:
    """The paper's quantities from fold blocks (..., K, k, k) of directions ``[v*, c_1..c_m, v_2..]`` and the safety
    rows' tables ``row_cross`` (..., K, K, 1 + e, k) (rows ``[v*, v_2..]``).

    ``cos_i = G_0i / sqrt(G_00 G_ii)`` from the cross-fitted G; ``tau_i = cos_i^2``; the joint tax rate
    ``tau = ||P_C v*||^2 = sum_ij (Gc^{-1})_ij P_ij / (G_00 sqrt(G_ii G_jj))`` (Rem 4.6's Gram form, Gc the
    cosines among the capabilities), ``P_ij`` the unbiased estimate of ``<mu_0, mu_i><mu_0, mu_j>``
    (``products4``); for a further safety direction v2: ``rho = cos(v*, v2)``,
    ``cos(theta) = (rho - a^T Gc^{-1} b2) / sqrt((1 - tau)(1 - tau2))`` (eq. (15): the inner product of the
    residuals ``P_{C^perp} v*``, ``P_{C^perp} v2`` over their norms), the bilinear term estimated the same way.
    Needs K >= 4.  A direction whose cross-fitted squared norm is not positive has no estimable direction: NaN."""
    K = within.shape[-3]
    if K < 4:
        raise InputError(f"the quadratic forms need 4 different folds; got {K}. Use folds >= 5 (4 after one is left "
                         f"out for the jackknife).")
    G = crossfit_gram(within, with_sum)
    sq = np.diagonal(G, axis1=-2, axis2=-1).copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(sq > 0, np.sqrt(np.where(sq > 0, sq, 1.0)), np.nan)
        Gn = G / (s[..., :, None] * s[..., None, :])
        total = with_sum.sum(axis=-3)
        reliability = sq / (np.diagonal(total, axis1=-2, axis2=-1) / (K * K))
    caps = slice(1, 1 + m)
    cos = Gn[..., 0, caps]
    Gc = Gn[..., caps, caps]
    Minv = _solve_spd(Gc, np.broadcast_to(np.eye(m), Gc.shape))
    sc = s[..., caps]

    def form(r1: int, row1: int, r2: int, row2: int) -> np.ndarray:
        """``a^T Gc^{-1} b`` for the cosines a, b of the safety rows r1, r2 (report rows row1, row2) with the
        capabilities."""
        P4 = products4(row_cross[..., :, :, r1, caps], row_cross[..., :, :, r2, caps])
        with np.errstate(invalid="ignore", divide="ignore"):
            norm = (s[..., row1] * s[..., row2])[..., None, None] * sc[..., :, None] * sc[..., None, :]
            return np.sum(Minv * P4 / norm, axis=(-2, -1))

    tau = form(0, 0, 0, 0)
    pairs = []
    for j in range(e):
        r = 1 + m + j
        tau2 = form(1 + j, r, 1 + j, r)
        q = form(0, 0, 1 + j, r)
        rho = Gn[..., 0, r]
        with np.errstate(invalid="ignore"):
            ct = (rho - q) / np.sqrt(np.clip(1 - tau, 0, None) * np.clip(1 - tau2, 0, None))
        pairs.append((rho, Gn[..., r, caps], np.clip(ct, -1, 1), tau2))
    batch = G.shape[:-2]
    if pairs:
        rho, b2, ct, tau2 = (np.stack(x, axis=-1) for x in zip(*pairs, strict=False))
        b2 = np.swapaxes(b2, -1, -2)                                                # (..., e, m)
    else:
        rho = ct = tau2 = np.zeros(batch + (0,))
        b2 = np.zeros(batch + (0, m))
    return CrossFitted(sq, reliability, cos, np.clip(cos * cos, 0, 1), tau, rho, b2, ct, np.arccos(ct), tau2)


# --- intervals -------------------------------------------------------------------------------------

def jackknife_interval(point: np.ndarray, replicates: np.ndarray, level: float = 0.95,
                       axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The delete-one-group jackknife interval ``point +- t_{K-1, (1+level)/2} sqrt(var_J)`` with
    ``var_J = (K - 1)/K sum_j (theta_(j) - mean_j theta_(j))^2``, K replicates along ``axis``."""
    from scipy.stats import t as student_t

    if not 0 < level < 1:
        raise InputError(f"level={level!r} must lie in (0, 1).")
    reps = np.moveaxis(replicates, axis, 0)
    K = reps.shape[0]
    var = (K - 1) / K * np.sum((reps - reps.mean(axis=0)) ** 2, axis=0)
    half = float(student_t.ppf((1 + level) / 2, K - 1)) * np.sqrt(var)
    return point - half, point + half


def cos_tables(cross: np.ndarray, sq_norm: np.ndarray, cos: np.ndarray) -> np.ndarray:
    """The delta-method fold tables (..., K, K, m) of ``cos_i = G_0i / sqrt(G_00 G_ii)``, i = 1..m, from the cross
    products ``cross`` (..., K, K, k, k) of directions ``[v*, c_1..c_m, ..]``, their ``sq_norm`` (..., k) and ``cos``
    (..., m):

        T_i[f, g] = <D_0^f, D_i^g> / sqrt(G_00 G_ii) - cos_i / 2 (<D_0^f, D_0^g> / G_00 + <D_i^f, D_i^g> / G_ii),

    the first-order change of cos_i per change of the G entries, taken at the estimate; so the error of cos_i is,
    to first order, that of the U-statistic ``mean_{f != g} T_i[f, g]`` (whose value is 0: cos is homogeneous of
    degree 0 in the entries)."""
    m = cos.shape[-1]
    caps = slice(1, 1 + m)
    i = np.arange(1, 1 + m)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.sqrt(sq_norm)[..., None, None, :]                                        # (..., 1, 1, k)
        c = cos[..., None, None, :]
        return (cross[..., 0, caps] / (s[..., :1] * s[..., caps])
                - c / 2 * (cross[..., 0, :1] / (s[..., :1] ** 2) + cross[..., i, i] / (s[..., caps] ** 2)))


def ustat_variance(T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The variance of ``U = mean_{f != g} T[f, g]`` over fold tables T (..., K, K, m) (diagonal ignored, different
    folds independent), estimated without the jackknife's upward bias, and its degrees of freedom, each (..., m).

    Hoeffding's decomposition of the symmetrised table, ``(T[f, g] + T[g, f]) / 2 = theta + a_f + a_g + b_fg``
    (``b`` uncorrelated, mean 0 given either fold), gives ``Var U = V1 + V2``, ``V1 = 4 Var a / K`` (the folds) and
    ``V2 = Var b / (K (K - 1) / 2)`` (the pairs of folds).  With the fitted fold effects
    ``a_f = (K - 1)/(K - 2) (row mean_f - U)``:

    * ``S2`` = the residual sum of squares over the ``K (K - 1) / 2`` pairs over its ``K (K - 3) / 2`` degrees of
      freedom, over ``K (K - 1) / 2``: unbiased for V2;
    * ``S1 = 4 / K sum_f a_f^2 / (K - 1)`` (K - 1 degrees of freedom), of expectation
      ``V1 + 2 (K - 1)/(K - 2) V2``, the jackknife's: the fitted fold effects carry the pairs' noise too;
    * ``V = S1 - K/(K - 2) S2``, unbiased for ``V1 + V2``; it equals ``U^2 - products4(T, T)`` (``Var U = E U^2 -
      (E U)^2``, the second term estimated over four different folds).  It may fall below S2 (V1 below 0) by
      chance when the pairs dominate: the variance returned is ``max(V, S2)``;
    * ``dof = V^2 / (S1^2 / (K - 1) + (K/(K - 2) S2)^2 / (K (K - 3) / 2))``, Welch and Satterthwaite's for a
      difference of two mean squares: the jackknife's K - 1 when S2 = 0, fewer as the subtracted share grows
      (subtracting the bias leaves S1's noise whole)."""
    K = T.shape[-2]
    if K < 4:
        raise InputError(f"the variance of the fold pairs needs 4 different folds; got {K}.")
    off = ~np.eye(K, dtype=bool)[..., None]
    Ts = np.where(off, 0.5 * (T + np.swapaxes(T, -3, -2)), 0.0)
    U = Ts.sum(axis=(-3, -2)) / (K * (K - 1))
    a = (K - 1) / (K - 2) * (Ts.sum(axis=-2) / (K - 1) - U[..., None, :])                 # (..., K, m)
    resid = np.where(off, Ts - U[..., None, None, :] - a[..., :, None, :] - a[..., None, :, :], 0.0)
    df2 = K * (K - 3) / 2
    pairs = 0.5 * np.sum(resid ** 2, axis=(-3, -2)) / df2 / (K * (K - 1) / 2)
    folds = 4 / K * np.sum(a ** 2, axis=-2) / (K - 1)
    var = np.maximum(folds - K / (K - 2) * pairs, pairs)
    den = folds ** 2 / (K - 1) + (K / (K - 2) * pairs) ** 2 / df2
    with np.errstate(invalid="ignore", divide="ignore"):
        dof = np.where(den > 0, var ** 2 / np.where(den > 0, den, 1.0), K - 1.0)
    return var, dof


def dof_floor(K: int) -> float:
    """The fewest degrees of freedom ``ustat_variance`` can give with K folds: with ``c = K/(K - 2)``, the variance is
    at least S2 and ``S1 = V + c S2``, so the dof is smallest when ``V = S2``, ``S1 = (1 + c) S2``:
    ``1 / ((1 + c)^2 / (K - 1) + c^2 / (K (K - 3) / 2))`` (4.1 at 20 folds, 1.4 at 9, 0.43 at 5)."""
    c = K / (K - 2)
    return 1.0 / ((1 + c) ** 2 / (K - 1) + c * c / (K * (K - 3) / 2))


def t_interval(point: np.ndarray, var: np.ndarray, dof: np.ndarray,
               level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """``point +- t_{dof, (1+level)/2} sqrt(max(var, 0))``, elementwise."""
    from scipy.stats import t as student_t

    if not 0 < level < 1:
        raise InputError(f"level={level!r} must lie in (0, 1).")
    half = student_t.ppf((1 + level) / 2, dof) * np.sqrt(np.clip(var, 0.0, None))
    return point - half, point + half


def cos_interval(blocks: FoldBlocks, q: CrossFitted, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """The interval of the signed cross-fitted ``cos_i = <v*, c_i>`` (``q`` from ``blocks``): the variance of its
    delta-method U-statistic (``cos_tables``, ``ustat_variance``) and Student's t on its degrees of freedom.  Unlike
    the fold jackknife it does not overstate the variance of the noise products of pairs of folds, whose share grows
    with d / n."""
    if blocks.cross is None:
        raise InputError("the interval needs the cross products of the folds: fold_blocks(..., cross=True).")
    var, dof = ustat_variance(cos_tables(blocks.cross, q.sq_norm, q.cos))
    return t_interval(q.cos, var, dof, level)


def signed_to_square(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The interval of ``x^2`` for ``x`` in ``[lo, hi]``: ``[0, max(lo^2, hi^2)]`` when it contains 0, else the
    squares of its ends in order (the image of the interval under squaring, so it covers whenever it does)."""
    a, b = lo * lo, hi * hi
    straddles = (lo <= 0) & (hi >= 0)
    return np.where(straddles, 0.0, np.minimum(a, b)), np.maximum(a, b)

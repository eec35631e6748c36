"""Directions from activations: difference-of-means and logistic probes per layer, and a seeded bootstrap of their
Gram matrices.

Data: ``acts`` of shape ``(layers, n, d)`` (float32 or float64), and for each direction a label array
of shape ``(n,)`` coded 1 = positive class, 0 = negative class, -1 = not labelled for this direction.

**Sign convention.** Every direction points from the negative class to the positive class:
``<direction, mean(positive) - mean(negative)> > 0``.  A difference of means does so by construction; a
logistic probe's weight vector does too (class 1 is scikit-learn's positive class).  So the sign of
``<v*, c_i>``, which decides Thm 6.4's ``sgn(a) != sgn(b)`` and whether a capability is predicted to
degrade or improve, is a property of the data and the labelling, not of a random seed.  Label the
safe behaviour 1 for a safety direction and the capable behaviour 1 for a capability.

**Bootstrap.** Samples are resampled with replacement (all directions together, so their dependence
is kept) with a seeded generator.  Only the difference-of-means probe is bootstrapped: its replicate
direction is ``w_b^T Z`` for a weight vector ``w_b`` (resampling counts over class sizes), so every
inner product between replicate directions is ``w_b^T (Z Z^T) w_b'``.  With the centred samples' Gram
matrix ``Z Z^T`` (n x n) computed once per layer, a replicate costs n x k numbers instead of k x d,
and every downstream quantity (tau_i, angles) depends on the directions only through their Gram
matrix.  A logistic probe would need a refit per replicate, so it is not bootstrapped.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from verify.validate import InputError, InputTypeError, rank_tolerance, seed as check_seed

__all__ = ["POSITIVE", "NEGATIVE", "UNLABELLED", "Direction", "check_activations", "check_labels", "class_weights",
           "blas_threads", "diff_means", "logistic", "gram", "bootstrap_grams", "check_independent", "normalise_gram",
           "percentile_interval", "check_distinct_means", "ledoit_wolf_shrinkage", "Shrinkage", "shrinkage"]

POSITIVE, NEGATIVE, UNLABELLED = 1, 0, -1
_MIN_PER_CLASS = 2
# Below this many flops a matrix product runs faster on one BLAS thread: on 2 cores OpenBLAS's
# threading made a (350 x 2560) @ (2560 x 32) product 30x slower (measured).
_SMALL_FLOPS = 2e8


@contextlib.contextmanager
def blas_threads(flops: float) -> Iterator[None]:
    """One BLAS thread for small products, the default for large ones (threadpoolctl, if installed)."""
    if flops >= _SMALL_FLOPS:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:                          # pragma: no cover - comes with scikit-learn
        yield
        return
    with threadpool_limits(1):
        yield


@dataclass(frozen=True)
class Direction:
    """A measured unit direction and where it was read from.

    ``vector`` (d,) float64 points from the negative to the positive class; ``layer`` is the index in
    ``acts``, ``layer_name`` and ``token_position`` what the data said (None when not given)."""

    name: str
    layer: int
    layer_name: str | None
    token_position: int | None
    method: str
    vector: np.ndarray
    n_positive: int
    n_negative: int


# --- validation ----------------------------------------------------------------------------------

def check_activations(acts: Any, name: str = "acts", check_finite: bool = True) -> np.ndarray:
    """A finite float32 or float64 array of shape (layers, n, d); returned without copying.

    ``check_finite=False`` leaves the NaN/inf scan (a pass over the data) to the caller: ``diff_means``
    detects non-finite values in its own product, which has a weight > 0 on every sample."""
    arr = np.asarray(acts)
    if arr.dtype not in (np.float32, np.float64):
        raise InputTypeError(f"{name} has dtype {arr.dtype}; it must be float32 or float64 activations. "
                             f"Convert with {name}.astype(numpy.float32).")
    if arr.ndim != 3 or 0 in arr.shape:
        raise InputError(f"{name} has shape {arr.shape}; it must be (layers, n, d) with every axis non-empty. "
                         f"For one layer use {name}[None].")
    if check_finite:
        for layer in range(arr.shape[0]):        # one layer at a time: no temporary the size of acts
            _finite_layer(arr, layer, name)
    return arr


def _finite_layer(arr: np.ndarray, layer: int, name: str = "acts") -> None:
    ok = np.isfinite(arr[layer])
    if not ok.all():
        i, j = (int(t) for t in np.argwhere(~ok)[0])
        raise InputError(f"{name} must be finite (no NaN or inf); {name}[{layer}, {i}, {j}] is "
                         f"{float(arr[layer, i, j])!r}. Drop or repair that sample.")


def check_labels(name: str, labels: Any, n: int) -> np.ndarray:
    """An integer array (n,) with values in {1, 0, -1} and at least 2 samples of each class.

    Integer means a numpy integer dtype, signed or unsigned; bool is refused: it cannot say -1 (not
    labelled), and numpy does not count it as an integer type, so a mask passed by mistake is not read
    as labels."""
    arr = np.asarray(labels)
    if arr.dtype.kind not in "iu":
        why = " (a bool array cannot mark a sample not labelled)" if arr.dtype.kind == "b" else ""
        raise InputTypeError(f"{name} has dtype {arr.dtype}; labels must be integers (1 positive, 0 negative, "
                             f"-1 not labelled){why}. Convert with {name}.astype(numpy.int8).")
    if arr.shape != (n,):
        raise InputError(f"{name} has shape {arr.shape}; it must be ({n},), one label per sample of acts.")
    bad = ~np.isin(arr, (POSITIVE, NEGATIVE, UNLABELLED))
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(f"{name}[{i}] = {int(arr[i])!r}; labels must be 1 (positive), 0 (negative) or -1 "
                         "(not labelled).")
    npos, nneg = int(np.sum(arr == POSITIVE)), int(np.sum(arr == NEGATIVE))
    if npos == 0 or nneg == 0:
        missing = "positive (1)" if npos == 0 else "negative (0)"
        raise InputError(f"{name} has only one class: no {missing} sample, so it defines no direction. Label samples "
                         f"of both classes.")
    if min(npos, nneg) < _MIN_PER_CLASS:
        raise InputError(f"{name} has {npos} positive and {nneg} negative samples; each class needs at least "
                         f"{_MIN_PER_CLASS} for a direction and its bootstrap. Label more samples.")
    return arr.astype(np.int8)


def class_weights(labels: np.ndarray) -> np.ndarray:
    """Weights (k, n) with ``w^T x = mean(positive) - mean(negative)``: +1/N+ on positives, -1/N- on negatives."""
    pos, neg = labels == POSITIVE, labels == NEGATIVE
    return pos / pos.sum(axis=-1, keepdims=True) - neg / neg.sum(axis=-1, keepdims=True)


def _mean_differences(names: Sequence[str], W: np.ndarray, Z: np.ndarray, layer: int) -> np.ndarray:
    """``mean(positive) - mean(negative)`` per label, ``W Z`` (k, d) in float64, for weights W (n, k) and samples
    Z (n, d) centred about their mean, in Z's dtype; an error names the first label whose classes have the same
    mean.

    Equal means make the difference-of-means direction undefined, and a linear probe's too: with the
    classes' means equal, the gradient of the L2-regularised logistic loss vanishes at w = 0.  "Equal" is
    to rounding: the product rounds each entry by about sqrt(n) eps of the samples' RMS norm, so a
    difference at most that large (relative to the RMS norm) is rounding noise, never a direction."""
    D = (Z.T @ W).T.astype(np.float64)                                # Z^T W: faster in OpenBLAS
    check_distinct_means(names, D, Z, layer)
    return D


def check_distinct_means(names: Sequence[str], D: np.ndarray, Z: np.ndarray, layer: int) -> None:
    """Refuse a mean difference ``D[j]`` (k, d) within rounding of 0 for samples Z (n, d) centred in their dtype
    (see ``_mean_differences``); the error names the label ``names[j]`` and the layer."""
    if not np.isfinite(D).all():
        raise InputError(f"acts at layer {layer} overflows {Z.dtype} in a class mean; rescale the activations.")
    n = Z.shape[0]
    z = Z.reshape(-1)
    rms = np.sqrt(float(np.dot(z, z)) / n)
    tol = np.sqrt(n) * float(np.finfo(Z.dtype).eps)
    norms = np.linalg.norm(D, axis=1)
    for name, norm in zip(names, norms, strict=False):
        if not norm > tol * rms:
            raise InputError(f"{name} must label two classes with different means; at layer {layer} "
                             f"||mean(1) - mean(0)|| is {norm / rms if rms else 0.0:.1e} x the samples' RMS norm, "
                             f"within {Z.dtype} rounding ({tol:.1e}): the classes are the same to a linear probe "
                             f"and define no direction. Check the labels of {name}.")


def _meta(layer_names: Sequence[str] | None, token_position: Any, layers: int) -> tuple[list, list]:
    names = [None] * layers if layer_names is None else [str(x) for x in layer_names]
    if len(names) != layers:
        raise InputError(f"layer_names has {len(names)} entries; acts has {layers} layers.")
    if token_position is None:
        tok = [None] * layers
    else:
        t = np.atleast_1d(np.asarray(token_position))
        if t.dtype.kind not in "iu" or t.ndim != 1 or t.size not in (1, layers):
            raise InputError(f"token_position={token_position!r} must be one integer or one per layer ({layers}).")
        tok = [int(x) for x in np.broadcast_to(t, (layers,))]
    return names, tok


# --- probes --------------------------------------------------------------------------------------

def diff_means(acts: Any, labels: Mapping[str, Any], *, layer_names: Sequence[str] | None = None,
               token_position: Any = None) -> dict[str, list[Direction]]:
    """Difference-of-means directions ``(mean(pos) - mean(neg)) / ||.||`` for every label and layer.

    Per layer, the activations centred about their mean (summed in float64), then one matrix product
    ``(k, n) weights @ (n, d) centred activations`` in the activations' dtype, normalised in float64."""
    X = check_activations(acts, check_finite=False)
    L, n, d = X.shape
    names = list(labels)
    Y = np.stack([check_labels(k, labels[k], n) for k in names])
    lnames, tok = _meta(layer_names, token_position, L)
    W = class_weights(Y)
    # Each layer is centred first, about its mean summed in float64, then multiplied by the weights in the
    # activations' dtype: a product of the raw float32 values would carry their common offset, whose
    # rounding (eps32 x offset) swamps the mean difference when the offset is large against the spread
    # (2.3 degrees at offset/spread 1e4).  X - float32(mean) is exact for such data (the two are within a
    # factor 2, Sterbenz), and the product of centred values rounds relative to the spread only.  Each
    # weight row sums to 0, so centring leaves the direction unchanged.
    Wt = np.ascontiguousarray(W.T.astype(X.dtype))                    # (n, k)
    Z = np.empty(X.shape[1:], dtype=X.dtype)                          # one buffer: no page faults per layer
    out: dict[str, list[Direction]] = {k: [] for k in names}
    for layer in range(L):
        mean = X[layer].mean(axis=0, dtype=np.float64)
        if not np.isfinite(mean).all():  # the mean weighs every sample: a NaN or inf anywhere shows here
            _finite_layer(X, layer)
        np.subtract(X[layer], mean.astype(X.dtype), out=Z)
        D = _mean_differences(names, Wt, Z, layer)
        norms = np.linalg.norm(D, axis=1)
        for j, k in enumerate(names):
            out[k].append(Direction(k, layer, lnames[layer], tok[layer], "diff-means", D[j] / norms[j],
                                    int(np.sum(Y[j] == POSITIVE)), int(np.sum(Y[j] == NEGATIVE))))
    return out


def logistic(acts: Any, labels: Mapping[str, Any], *, C: float = 1.0, layer_names: Sequence[str] | None = None,
             token_position: Any = None, seed: int = 0, max_iter: int = 1000) -> dict[str, list[Direction]]:
    """L2-regularised logistic-regression probes (scikit-learn), one per label and layer, fitted on the labelled
    samples centred per layer; the direction is the weight vector over its norm (it points toward class 1).

    A logistic weight vector is a *discriminating* direction: it discounts directions along which the
    samples vary for other reasons, other labels' directions included, so inner products between
    logistic directions are not those of the encoding directions (a difference of means is the
    encoding direction under the synthetic model); compare both before trusting tau_i."""
    from sklearn.linear_model import LogisticRegression      # lazy: sklearn is slow to import

    X = check_activations(acts)
    L, n, d = X.shape
    names = list(labels)
    Y = {k: check_labels(k, labels[k], n) for k in names}
    lnames, tok = _meta(layer_names, token_position, L)
    W = class_weights(np.stack(list(Y.values()))).T
    out: dict[str, list[Direction]] = {k: [] for k in names}
    for layer in range(L):
        Z = X[layer].astype(np.float64)
        Z -= Z.mean(axis=0)
        _mean_differences(names, W, Z, layer)
        for k in names:
            mask = Y[k] != UNLABELLED
            clf = LogisticRegression(C=C, max_iter=max_iter, random_state=check_seed(seed))
            clf.fit(Z[mask], Y[k][mask])
            w = clf.coef_[0] if clf.classes_[1] == POSITIVE else -clf.coef_[0]
            nw = float(np.linalg.norm(w))
            if nw == 0:
                raise InputError(f"{k}: the logistic probe at layer {layer} has zero weights (C={C!r} too small).")
            out[k].append(Direction(k, layer, lnames[layer], tok[layer], "logistic", w / nw,
                                    int(np.sum(Y[k] == POSITIVE)), int(np.sum(Y[k] == NEGATIVE))))
    return out


# --- Gram matrices -------------------------------------------------------------------------------

def gram(vectors: np.ndarray) -> np.ndarray:
    """Gram matrix ``(..., k, k)`` of the rows of ``vectors`` (..., k, d)."""
    return vectors @ np.swapaxes(vectors, -1, -2)


def normalise_gram(G: np.ndarray) -> np.ndarray:
    """The Gram matrix of the same directions scaled to unit length: ``G_ij / sqrt(G_ii G_jj)``."""
    s = np.sqrt(np.diagonal(G, axis1=-2, axis2=-1))
    out = G / (s[..., :, None] * s[..., None, :])
    idx = np.arange(G.shape[-1])
    out[..., idx, idx] = 1.0
    return out


def check_independent(names: Sequence[str], G: np.ndarray, dtype: np.dtype, where: str = "",
                      requirement: str | None = None) -> None:
    """Name the first direction that lies in the span of the ones before it (Gram (k, k) of unit directions),
    with its squared distance from that span and its cosines with the directions it nearly equals.

    The squared distance of direction j from the span of directions 0..j-1 is the j-th squared pivot of
    the Cholesky factorisation; a relative value below the dtype's rank tolerance (squared) counts as 0.
    ``requirement`` says what the caller needs of the directions (default: capability directions,
    independent)."""
    k = G.shape[0]
    tol = rank_tolerance(dtype) ** 2
    L = np.zeros_like(G)
    for j in range(k):
        s = G[j, j] - L[j, :j] @ L[j, :j]
        if s <= tol * G[j, j]:
            near = [i for i in range(j) if abs(G[i, j]) > 0.5]
            cosines = "".join(f"; cos with {names[i]} {G[i, j]:+.6f}" for i in near)
            need = requirement or (f"the capability directions are linearly dependent and C^T C is singular. Drop "
                                   f"{names[j]} or label it differently.")
            raise InputError(f"{names[j]}{where} lies in the span of {', '.join(names[i] for i in near or range(j))} "
                             f"(distance^2 {max(s, 0):.1e}{cosines}): {need}")
        L[j, j] = np.sqrt(s)
        L[j + 1:, j] = (G[j + 1:, j] - L[j + 1:, :j] @ L[j, :j]) / L[j, j]


def bootstrap_grams(acts: Any, labels: np.ndarray, n_boot: int, seed: int, *,
                    block: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Gram matrices of the unit difference-of-means directions on ``n_boot`` bootstrap resamples.

    ``labels`` (k, n) coded 1 / 0 / -1.  Returns ``(grams, valid)``: grams (n_boot, layers, k, k) of the
    unit replicate directions, and valid (n_boot,) False where a resample drew no sample of some class
    (its grams are NaN).  Replicate b's direction for label j is ``w_bj^T Z`` with
    ``w_bj = counts_b * (pos_j / N+_bj - neg_j / N-_bj)`` and ``Z`` the samples minus their mean (the
    directions are unchanged: each weight vector sums to 0).  Per layer ``G = Z Z^T`` is formed once and
    factored, ``G = L L^T``, so a replicate's Gram matrix is ``(W_b L)(W_b L)^T``: a triangular product
    of k x n numbers, never a d-vector (see ``_bootstrap_layers`` for the routes when d < n or G is
    singular); ``block`` replicates share one product.  The draws come from
    ``numpy.random.default_rng(seed)``: same seed, same bytes.
    """
    X = check_activations(acts)
    L, n, _ = X.shape
    Y = np.asarray(labels)
    if Y.ndim != 2 or Y.shape[1] != n:
        raise InputError(f"labels has shape {Y.shape}; it must be (k, {n}).")
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise InputError(f"n_boot={n_boot!r} must be a positive integer (bootstrap resamples).")
    rng = np.random.default_rng(check_seed(seed))
    counts = np.stack([np.bincount(rng.integers(0, n, size=n), minlength=n) for _ in range(n_boot)]).astype(np.float64)
    pos, neg = (Y == POSITIVE).astype(np.float64), (Y == NEGATIVE).astype(np.float64)       # (k, n)
    npos, nneg = counts @ pos.T, counts @ neg.T                                            # (B, k)
    valid = np.all((npos > 0) & (nneg > 0), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        W = counts[:, None, :] * (pos[None] / npos[..., None] - neg[None] / nneg[..., None])  # (B, k, n)
    W[~valid] = 0.0
    k = Y.shape[0]
    work = np.float32 if X.dtype == np.float32 else np.float64
    W = W.astype(work)
    out = np.full((n_boot, L, k, k), np.nan)
    d = X.shape[2]
    flops = 2.0 * min(block, n_boot) * k * n * min(n, d)
    with blas_threads(flops):
        _bootstrap_layers(X, W, out, block)
    good = out[valid]
    out[valid] = normalise_gram(0.5 * (good + np.swapaxes(good, -1, -2)))
    return out, valid


def _bootstrap_layers(X: np.ndarray, W: np.ndarray, out: np.ndarray, block: int) -> None:
    """Fill ``out`` (n_boot, layers, k, k) with the unnormalised replicate Grams ``W_b^T Z Z^T W_b``.

    Three routes, the cheapest that applies:
    * form the replicate directions ``W_b Z`` (2 B k n d flops) when that costs less than the next;
    * otherwise factor the samples' Gram matrix, ``Z Z^T + c 1 1^T = L L^T`` (Cholesky; the rank-one
      term makes it definite after centring and changes nothing, as every ``W_b`` row sums to 0),
      and ``W_b^T Z Z^T W_b = (W_b L)(W_b L)^T`` with a triangular product (B k n^2 flops);
    * if the factorisation fails (a singular Gram matrix, e.g. repeated samples): ``W_b (Z Z^T) W_b^T``
      with a full product (2 B k n^2 flops).
    """
    from scipy.linalg.blas import dtrmm, strmm

    L_, n, d = X.shape
    n_boot = W.shape[0]
    trmm = strmm if W.dtype == np.float32 else dtrmm
    for layer in range(L_):
        Z = X[layer] - X[layer].mean(axis=0, dtype=np.float64).astype(W.dtype)
        # Replicate d-vectors cost 2 B k n d flops; the samples' Gram route 2 n^2 d + B k n^2: take the cheaper
        # (for few directions the d-vectors win even when d > n).
        if 2 * n_boot * W.shape[1] * d < 2 * n * d + n_boot * W.shape[1] * n:
            for s in range(0, n_boot, block):
                Wb = W[s:s + block]
                D = (Wb.reshape(-1, n) @ Z).reshape(Wb.shape[:2] + (d,)).astype(np.float64)
                out[s:s + block, layer] = gram(D)
            continue
        G = Z @ Z.T                                                                       # (n, n)
        G64 = G.astype(np.float64)
        G64 += np.trace(G64) / n
        try:
            Lf = np.asfortranarray(np.linalg.cholesky(G64).astype(W.dtype))
        except np.linalg.LinAlgError:
            Lf = None
        for s in range(0, n_boot, block):
            Wb = W[s:s + block]                                                           # (b, k, n)
            if Lf is not None:
                # (W_b L)^T = L^T W_b^T: W_b^T of a C-ordered W_b is Fortran-ordered, so BLAS needs no copy.
                Yt = trmm(1.0, Lf, Wb.reshape(-1, n).T, side=0, lower=1, trans_a=1)     # (n, b k)
                Y = Yt.T.reshape(Wb.shape)                                                # (b, k, n)
                out[s:s + block, layer] = (Y @ np.swapaxes(Y, -1, -2)).astype(np.float64)
            else:
                H = (Wb.reshape(-1, n) @ G).reshape(Wb.shape)                             # (b, k, n)
                out[s:s + block, layer] = (H @ np.swapaxes(Wb, -1, -2)).astype(np.float64)


def percentile_interval(samples: np.ndarray, level: float = 0.95, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The percentile bootstrap interval ``[q_{(1-level)/2}, q_{(1+level)/2}]`` along ``axis`` (NaN replicates
    skipped)."""
    if not 0 < level < 1:
        raise InputError(f"level={level!r} must lie in (0, 1).")
    lo, hi = np.nanquantile(samples, [(1 - level) / 2, (1 + level) / 2], axis=axis)
    return lo, hi


# --- readout directions ------------------------------------------------------------------------------

def ledoit_wolf_shrinkage(Z: np.ndarray, small: np.ndarray | None = None) -> tuple[float, float]:
    """``(shrinkage, mu)`` of the Ledoit-Wolf estimator of the covariance of the centred samples Z (n, d):
    ``Sigma = (1 - shrinkage) S + shrinkage mu I`` with ``S = Z^T Z / n`` and ``mu = tr(S) / d``.

    The formula is scikit-learn's ``sklearn.covariance.ledoit_wolf_shrinkage`` (with
    ``assume_centered=True``; the tests check equality), whose two sums are taken here from the smaller
    Gram matrix: ``sum_ab (Z^T Z)_ab^2 = ||Z Z^T||_F^2`` and ``sum_ab ((Z^2)^T Z^2)_ab = sum_s ||z_s||^4``.
    scikit-learn forms the d x d products (4 n d^2 flops); this costs 2 n d min(n, d), nothing when ``small``
    (``Z Z^T`` if n <= d, else ``Z^T Z``) is given."""
    n, d = Z.shape
    Z64 = Z if Z.dtype == np.float64 else Z.astype(np.float64)
    if small is None:
        small = Z64 @ Z64.T if n <= d else Z64.T @ Z64
    row_sq = np.einsum("ij,ij->i", Z64, Z64)
    mu = float(row_sq.sum()) / (n * d)
    delta_ = float(np.sum(small * small)) / n**2
    beta_ = float(np.sum(row_sq**2))
    beta = 1.0 / (d * n) * (beta_ / n - delta_)
    delta = delta_ - 2.0 * mu * float(row_sq.sum()) / n + d * mu**2
    delta /= d
    beta = min(beta, delta)
    return (0.0 if beta == 0 else beta / delta), mu


@dataclass(frozen=True)
class Shrinkage:
    """A shrinkage covariance ``Sigma = a Z^T Z / n + b I`` of centred samples Z, and ``Sigma^{-1}`` applied to rows."""

    Z: np.ndarray
    a: float
    b: float
    factor: Any

    def solve(self, R: np.ndarray) -> np.ndarray:
        """``(Sigma^{-1} R^T)^T`` for rows R (r, d), in float64.

        d <= n: a Cholesky solve with Sigma (d x d).  d > n: Woodbury, ``Sigma^{-1} x = (x - Z^T (n b / a I +
        Z Z^T)^{-1} Z x) / b``, with the n x n factor: never a d x d matrix."""
        from scipy.linalg import cho_solve

        Z = self.Z
        n, d = Z.shape
        if self.factor is None:                                  # a = 0: Sigma = b I
            return R / self.b
        if d <= n:
            return cho_solve(self.factor, R.T).T
        ZR = Z @ R.T                                                                 # (n, r)
        return (R - (Z.T @ cho_solve(self.factor, ZR)).T) / self.b


def shrinkage(Z: np.ndarray) -> Shrinkage:
    """The Ledoit-Wolf covariance of the centred samples Z (n, d) (``ledoit_wolf_shrinkage``), factored."""
    from scipy.linalg import cho_factor

    n, d = Z.shape
    Z64 = np.ascontiguousarray(Z, dtype=np.float64)
    small = Z64 @ Z64.T if n <= d else Z64.T @ Z64                  # one Gram product serves both steps
    alpha, mu = ledoit_wolf_shrinkage(Z64, small)
    a, b = 1.0 - alpha, alpha * mu
    if not b > 0 and (d > n or mu == 0):
        raise InputError(f"the Ledoit-Wolf covariance of the activations is singular (shrinkage {alpha!r}, "
                         f"{n} samples in d={d}); the readout direction is undefined. Use --direction encoding.")
    if a <= 0:
        return Shrinkage(Z64, a, b, None)
    if d <= n:
        M = a * small / n
        M[np.diag_indices(d)] += b
        return Shrinkage(Z64, a, b, cho_factor(M, lower=True))
    M = small
    M[np.diag_indices(n)] += n * b / a
    return Shrinkage(Z64, a, b, cho_factor(M, lower=True))

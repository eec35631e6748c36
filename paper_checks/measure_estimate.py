"""The estimation of ``alignment-tax measure``: every reported quantity per layer, with its interval, from the
directions the labels define (and the precomputed ones).

Estimators: ``cross-fit`` (default; ``verify.crossfit``: every inner product from independent fold
splits, unbiased; intervals from the variance of the U-statistic over pairs of folds for <v*, c_i> and tau_i, from
the delete-one-fold jackknife for the rest) or ``plug-in`` (the inner products of the
all-sample directions, shrunk toward 0 when d is not small against n; percentile bootstrap).  Directions:
``encoding`` (difference of class means) or ``readout`` (the Ledoit-Wolf shrinkage covariance's inverse
applied to it: the paper's v* and c_i are readout directions).

The quantities, per layer, of unit directions ``[v*, c_1..c_m, v_2..]``: ``cos`` = <v*, c_i>, ``tau_i`` =
its square, the joint ``tau`` (Rem 4.6), the principal ``angle`` = arccos(sqrt(tau)), the tax-free safety
``free`` = sqrt(1 - tau), and per further safety direction j the effective angle ``theta{j}`` (Thm 6.4),
its unconstrained ``theta0_{j}``, ``b{j}``, ``rho{j}``, the equal gain ``s{j}`` (Cor 6.3), the max-min gain
``maxmin{j}`` (the corrected Cor 6.6) and eq. (17)'s right side ``eq17_{j}``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from paper_checks.measure_config import DirectionKind, Estimator, MeasureConfig
from paper_checks.measure_input import MeasureInput
from verify import measured as M
from verify import probes as P

__all__ = ["Estimates", "estimate"]

# Why a safety direction in the capabilities' span is refused: the report's coordinates (a Cholesky factor of
# the Gram matrix of [v*, c_1, ..., c_m]) need it outside, and there tau = 1 leaves nothing to report.
_OUTSIDE_SPAN = ("{key} must have a component outside the span of the capability directions (tau < 1); at tau = 1 "
                 "no safety gain leaves the capabilities unchanged and the effective angle is undefined. Label {key} "
                 "differently from the capabilities it lies in.")
_INDEPENDENT_SAFETY = ("{key} must have a component outside the span of the capability directions and the safety "
                       "directions before it: the report's coordinates (a Cholesky factor of their Gram matrix) need "
                       "them independent, and in that span its effective angle with safety is 0, pi or undefined. "
                       "Label {key} differently.")


def _labelled(inp: MeasureInput) -> tuple[list[str], np.ndarray]:
    """The labelled keys in report order and their labels (k, n)."""
    keys = [k for k in inp.keys if k in inp.labels]
    return keys, (np.stack([inp.labels[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.int8))


def _order(inp: MeasureInput) -> np.ndarray:
    """The permutation from the internal order (labelled directions, then precomputed ones) to the report's."""
    inner = [k for k in inp.keys if k in inp.labels] + [k for k in inp.keys if k in inp.precomputed]
    return np.array([inner.index(k) for k in inp.keys])


def _fixed(inp: MeasureInput) -> np.ndarray | None:
    """The precomputed directions (layers, k', d) in report order, or None without any."""
    keys = [k for k in inp.keys if k in inp.precomputed]
    return np.stack([inp.precomputed[k] for k in keys], axis=1) if keys else None      # (L, k', d)


def _directions(inp: MeasureInput, cfg: MeasureConfig, kind: str | None = None) -> np.ndarray:
    """All-sample unit directions (layers, k, d), rows in report order: the probe's on the labels (the shrinkage
    readout of the difference of means for ``kind='readout'``), the precomputed ones as given."""
    kind = kind or cfg.direction
    keys, Y = _labelled(inp)
    rows = []
    if keys:
        labels = dict(zip(keys, Y, strict=False))
        probe = P.diff_means if cfg.probe == "diff-means" else P.logistic
        dirs = probe(inp.acts, labels, layer_names=inp.layer_names,
                     token_position=None if inp.token_position is None else list(inp.token_position))
        D = np.stack([np.stack([dirs[k][layer].vector for k in keys]) for layer in range(inp.shape[0])])
        if kind == DirectionKind.READOUT and cfg.probe == "diff-means":
            for layer in range(D.shape[0]):
                X = inp.acts[layer]
                Z = X - X.mean(axis=0, dtype=np.float64).astype(X.dtype)
                R = P.shrinkage(Z).solve(D[layer])
                D[layer] = R / np.linalg.norm(R, axis=1, keepdims=True)
        rows.append(D)
    fixed = _fixed(inp)
    if fixed is not None:
        rows.append(fixed)
    return np.concatenate(rows, axis=1)[:, _order(inp)]


def _readout(layer: int, Z: np.ndarray, R: np.ndarray) -> np.ndarray:
    """Rows R (r, d) mapped to ``Sigma^{-1} R`` by the layer's Ledoit-Wolf covariance (one factorisation per layer)."""
    return P.shrinkage(Z).solve(R)


def _quantities(G: np.ndarray, m: int, e: int) -> dict[str, np.ndarray]:
    """Every reported quantity from Gram matrices (..., k, k) of unit directions [v*, c_1..c_m, v_2..]:
    coordinates in the span (Cholesky), then the definitions of verify.measured on them."""
    R = M.gram_coordinates(G)
    v, C = R[..., :, 0], R[..., :, 1:1 + m]
    out = {"cos": np.einsum("...km,...k->...m", C, v),
           "tau_i": M.capability_tax_rates(v, C, normalise=True),
           "tau": M.tax_rate(v, C, normalise=True),
           "angle": M.principal_angles(v[..., None], C, normalise=True)[..., 0],
           "free": M.tax_free_safety(v, C, 1.0, normalise=True)}
    for j in range(e):
        v2 = R[..., :, 1 + m + j]
        ea = M.effective_angle(v, v2, C, normalise=True)
        out[f"theta{j}"] = ea.theta
        out[f"theta0_{j}"] = M.effective_angle(v, v2, None, normalise=True).theta
        out[f"b{j}"] = ea.b
        out[f"rho{j}"] = ea.rho
        out[f"s{j}"] = M.max_equal_gain(v, v2, C, 1.0, normalise=True).s
        mm = M.max_min_gain(v, v2, C, 1.0, normalise=True)
        out[f"maxmin{j}"], out[f"eq17_{j}"] = mm.value, mm.paper_bound
    return out


def _gram_route(G: np.ndarray, m: int, e: int) -> dict[str, np.ndarray]:
    """The same quantities as ``_quantities`` by ``verify.measured.gram_quantities``/``gram_pair`` (one batched
    Cholesky factorisation per safety pair): the route for thousands of bootstrap replicates; the tests
    check that both routes agree."""
    caps = list(range(1, 1 + m))
    q = M.gram_quantities(G[..., caps + [0], :][..., caps + [0]], m)
    out = {"cos": q.cos, "tau_i": q.tau_i, "tau": q.tau, "angle": q.angle, "free": q.free}
    for j in range(e):
        idx = caps + [0, 1 + m + j]
        p = M.gram_pair(G[..., idx, :][..., idx], m)
        out.update({f"theta{j}": p.theta, f"theta0_{j}": p.theta0, f"b{j}": p.b, f"rho{j}": p.rho, f"s{j}": p.s,
                    f"maxmin{j}": p.max_min, f"eq17_{j}": p.eq17})
    return out


def _replicate_quantities(grams: np.ndarray, valid: np.ndarray, m: int, e: int) -> dict[str, np.ndarray]:
    """``_gram_route`` on the valid bootstrap replicates (a replicate whose Gram is singular is dropped)."""
    G = grams[valid]
    ok = np.ones(G.shape[0], dtype=bool)
    try:
        np.linalg.cholesky(G)
    except np.linalg.LinAlgError:
        for i in range(G.shape[0]):
            try:
                np.linalg.cholesky(G[i])
            except np.linalg.LinAlgError:
                ok[i] = False
    return _gram_route(G[ok], m, e) if ok.any() else {}


def _ci(values: np.ndarray | None, level: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The percentile interval of bootstrap replicates (axis 0), or None with fewer than two."""
    if values is None or values.shape[0] < 2:
        return None
    return P.percentile_interval(values, level)


@dataclass(frozen=True)
class Estimates:
    """Point estimates and intervals (``(lo, hi)`` arrays per key, None without) of every reported quantity."""

    estimator: str
    intervals: str | None
    point: dict[str, np.ndarray]
    ci: dict[str, tuple[np.ndarray, np.ndarray] | None]
    reliability: np.ndarray | None = None          # (L, k), cross-fit only
    encoding_cos: np.ndarray | None = None         # (L, m), readout only
    n_valid: int = 0


def _check_geometry(inp: MeasureInput, G: np.ndarray) -> None:
    """Independent capabilities, and every safety direction outside the span of those before it (Gram (L, k, k) of
    unit directions in report order): the errors name the keys and the layer."""
    keys = inp.keys
    m, e = len(inp.capability_names), len(inp.extra_safety_names)
    dtype = inp.acts.dtype if inp.acts is not None else np.dtype(np.float64)
    cap_keys, caps = keys[1:1 + m], list(range(1, 1 + m))
    for layer in range(G.shape[0]):
        where = f" (layer {layer}{'' if inp.layer_names is None else ' ' + repr(inp.layer_names[layer])})"
        P.check_independent(cap_keys, G[layer, 1:1 + m, 1:1 + m], dtype, where)
        rows = [0, *range(1 + m, 1 + m + e)]                # each safety direction, against those before it
        for i, row in enumerate(rows):
            sub = np.ix_(caps + rows[:i + 1], caps + rows[:i + 1])
            need = _OUTSIDE_SPAN if i == 0 else _INDEPENDENT_SAFETY
            P.check_independent(cap_keys + [keys[r] for r in rows[:i + 1]], G[layer][sub], dtype, where,
                                requirement=need.format(key=keys[row]))


def _from_crossfit(q: Any, e: int) -> dict[str, np.ndarray]:
    """The report's quantities from ``verify.crossfit.CrossFitted``: the joint tau clipped to [0, 1]; the angle
    ``arccos(sqrt(tau))``; per safety pair, Cor 6.3 and the corrected Cor 6.6 in the plane of the residuals
    ``v~1 = (n1, 0)``, ``v~2 = n2 (cos theta, sin theta)``, ``n_i = sqrt(1 - tau_i)``."""
    tau = np.clip(q.tau, 0.0, 1.0)
    # A cross-fitted cosine is a ratio of unbiased estimates: noise can take it past +-1, where it means +-1.
    out = {"cos": np.clip(q.cos, -1.0, 1.0), "tau_i": q.tau_i, "tau": tau, "angle": np.arccos(np.sqrt(tau)),
           "free": np.sqrt(1 - tau)}
    for j in range(e):
        th, n1 = q.pair_theta[..., j], out["free"]
        n2 = np.sqrt(np.clip(1 - q.pair_tau2[..., j], 0.0, 1.0))
        r1 = np.stack([n1, np.zeros_like(n1)], axis=-1)
        r2 = np.stack([n2 * np.cos(th), n2 * np.sin(th)], axis=-1)
        diff = r1 - r2
        den = np.sum(diff * diff, axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            lam = np.where(den > 0, np.clip(np.sum(r2 * (r2 - r1), axis=-1) / np.where(den > 0, den, 1.0), 0, 1), 1.0)
        u = lam[..., None] * r1 + (1 - lam[..., None]) * r2
        rho = q.pair_rho[..., j]
        out.update({f"theta{j}": th, f"theta0_{j}": np.arccos(np.clip(rho, -1, 1)), f"b{j}": q.pair_b[..., j, :],
                    f"rho{j}": rho, f"s{j}": np.cos(th / 2), f"maxmin{j}": np.linalg.norm(u, axis=-1),
                    f"eq17_{j}": np.cos(th / 2) * np.minimum(n1, n2)})
    return out


def _intervals(blocks: Any, q: Any, qj: Any, e: int, level: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The signed <v*, c_i> from the variance of its U-statistic over pairs of folds (``crossfit.cos_interval``:
    the jackknife overstates the noise products of pairs of folds, whose share grows with d / n; the coverage of
    both is measured in bench/bench_measure_coverage.py), and tau_i as its square.  The rest from the
    delete-one-fold replicates ``qj`` (axis 1): the joint tau on its debiased (unclipped) estimate, clipped to
    [0, 1], mapped to the angle and the tax-free safety (both monotone in tau); theta directly; the unconstrained
    angle through rho."""
    from verify import crossfit as CF

    cos = tuple(np.clip(x, -1.0, 1.0) for x in CF.cos_interval(blocks, q, level))
    lo, hi = CF.jackknife_interval(q.tau, qj.tau, level, axis=1)
    lo, hi = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
    out = {"cos": cos, "tau_i": CF.signed_to_square(*cos), "tau": (lo, hi),
           "angle": (np.arccos(np.sqrt(hi)), np.arccos(np.sqrt(lo))), "free": (np.sqrt(1 - hi), np.sqrt(1 - lo))}
    for j in range(e):
        tl, th = CF.jackknife_interval(q.pair_theta[..., j], qj.pair_theta[..., j], level, axis=1)
        rl, rh = CF.jackknife_interval(q.pair_rho[..., j], qj.pair_rho[..., j], level, axis=1)
        out[f"theta{j}"] = (np.clip(tl, 0, np.pi), np.clip(th, 0, np.pi))
        out[f"theta0_{j}"] = (np.arccos(np.clip(rh, -1, 1)), np.arccos(np.clip(rl, -1, 1)))
    return out


def _crossfit(inp: MeasureInput, cfg: MeasureConfig) -> Estimates:
    from verify import crossfit as CF

    m, e = len(inp.capability_names), len(inp.extra_safety_names)
    keys, Y = _labelled(inp)
    folds = CF.make_folds(Y, cfg.folds, cfg.seed)
    readout = cfg.direction == DirectionKind.READOUT
    perm = _order(inp)
    rows = [int(perm[0])] + [int(perm[1 + m + j]) for j in range(e)]          # the safety rows, internal order
    blocks = CF.fold_blocks(inp.acts, Y, folds, cross=cfg.intervals, fixed=_fixed(inp), names=keys, rows=rows,
                            transform=_readout if readout else None)

    def ordered(b: Any) -> Any:
        """The blocks with their direction axes in report order."""
        return CF.FoldBlocks(b.within[..., perm, :][..., :, perm], b.with_sum[..., perm, :][..., :, perm],
                             None if b.cross is None else b.cross[..., perm, :][..., :, perm], None,
                             b.row_cross[..., perm])

    main = ordered(blocks)
    S = main.with_sum.sum(axis=1)                                        # Gram of the all-folds directions
    _check_geometry(inp, P.normalise_gram(0.5 * (S + np.swapaxes(S, -1, -2))))
    q = CF.crossfit_quantities(main.within, main.with_sum, main.row_cross, m, e)
    ci: dict[str, Any] = {}
    if cfg.intervals:
        ci = _intervals(main, q, CF.crossfit_quantities(*CF.leave_one_out(main), m, e), e, cfg.level)
    enc = None
    if readout:
        b = ordered(blocks.encoding)
        enc = CF.crossfit_quantities(b.within, b.with_sum, b.row_cross, m, 0).cos
    return Estimates("cross-fit", f"{cfg.folds}-fold U-statistic" if cfg.intervals else None,
                      _from_crossfit(q, e), ci, q.reliability, enc)


def _plug_in(inp: MeasureInput, cfg: MeasureConfig) -> Estimates:
    m, e = len(inp.capability_names), len(inp.extra_safety_names)
    D = _directions(inp, cfg)
    G = P.gram(D)
    _check_geometry(inp, G)
    G = P.normalise_gram(0.5 * (G + np.swapaxes(G, -1, -2)))
    point = _quantities(G, m, e)
    if not inp.labels:
        return Estimates("precomputed", None, point, {})
    boot: dict[str, np.ndarray] = {}
    n_valid = 0
    method = None
    if (cfg.intervals and cfg.bootstrap and cfg.probe == "diff-means" and cfg.direction == DirectionKind.ENCODING
            and not inp.precomputed):
        keys, Y = _labelled(inp)
        grams, valid = P.bootstrap_grams(inp.acts, Y, cfg.bootstrap, cfg.seed)
        boot = _replicate_quantities(grams, valid, m, e)
        n_valid = int(next(iter(boot.values())).shape[0]) if boot else 0
        method = "percentile bootstrap"
    enc = None
    if cfg.direction == DirectionKind.READOUT:
        Ge = P.normalise_gram(P.gram(_directions(inp, replace(cfg, probe="diff-means"), "encoding")))
        enc = _gram_route(Ge, m, 0)["cos"]
    return Estimates("plug-in", method, point, {k: _ci(boot.get(k), cfg.level) for k in point}, None, enc, n_valid)


def estimate(inp: MeasureInput, cfg: MeasureConfig) -> Estimates:
    """Every reported quantity and its interval: plug-in when asked for or when every direction is precomputed
    (no sample to cross-fit), cross-fitted otherwise."""
    if not inp.labels or cfg.estimator == Estimator.PLUG_IN:
        return _plug_in(inp, cfg)
    return _crossfit(inp, cfg)

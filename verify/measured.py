"""The paper's quantities on a researcher's measured directions: tax rates, principal angles, frontier, effective angle.

Each quantity is computed from its definition with projections (QR) and SVDs, on numpy arrays:

* a safety direction ``v`` has shape ``(..., d)``; capability directions are the columns of ``C`` with
  shape ``(..., d, m)`` (one capability: ``c[:, None]``), as in the paper's ``C = [c_1 | ... | c_m]``;
* leading ``...`` axes are a batch (layers, bootstrap replicates) and broadcast against each other;
* inputs may be float32 or float64 (integers count as float64); the unit-norm check uses a tolerance
  scaled to that dtype and to d (``verify.validate.unit_tolerance``), ``normalise=True`` divides by the
  norms instead, and everything is computed in float64;
* ``certify=True`` also solves the quantity's optimisation from its definition with the package's
  one SOCP (``verify.socp``, batched, certified in the span of the data) and returns a ``Certified``
  value with a rigorous enclosure of the optimum of the stored double data.

Conventions: ``P_C`` is the orthogonal projection onto ``span(C)``, ``P_{C^perp} = I - P_C``; a
capability change ``Delta_C`` is signed (``<c, delta>``); B is the budget ``||delta|| <= B``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

import mpmath
import numpy as np

from verify.validate import InputError, float_array, independent_columns, positive, unit_along

__all__ = ["Certified", "EffectiveAngle", "EqualGain", "MaxMinGain", "tax_rate", "capability_tax_rates",
           "principal_angles", "frontier", "efficient_frontier", "maximiser", "tax_free_safety",
           "max_safety_at_target", "closest_capability_direction", "effective_angle", "partial_correlation",
           "max_equal_gain", "max_min_gain", "gram_coordinates", "GramQuantities", "gram_quantities", "GramPair",
           "gram_pair"]

# A projected safety direction shorter than this (relative to 1) lies in the capability subspace to
# rounding: the angles that divide by its norm are undefined there.
_IN_SUBSPACE = 1e-12
# ||delta_C*|| computed for a target on the budget's boundary (|Delta_C| = B) exceeds B by rounding.
_BUDGET_ROUNDING = 1 + 64 * float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class Certified:
    """A quantity computed from its definition (``value``) and a certified enclosure ``[lower, upper]``
    of the same quantity from the SOCP route (rounded outward to float64)."""

    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def within(self, slack: float = 0.0) -> np.ndarray:
        """Where ``value`` lies in ``[lower - slack, upper + slack]``."""
        return (self.lower - slack <= self.value) & (self.value <= self.upper + slack)


@dataclass(frozen=True)
class EffectiveAngle:
    """Eq. (12)/(15): the angle theta between ``P_{C^perp} v1*`` and ``P_{C^perp} v2*``.

    ``cos_theta`` is the partial correlation of v1*, v2* given C (Rem 6.2); ``rho = <v1*, v2*>``;
    ``a = C^T v1*``, ``b = C^T v2*`` (for one unit capability, Thm 6.4's a and b); ``tau1, tau2`` the
    tax rates ``||P_C v_i*||^2``; ``certified`` encloses theta when asked."""

    theta: np.ndarray
    cos_theta: np.ndarray
    rho: np.ndarray
    a: np.ndarray
    b: np.ndarray
    tau1: np.ndarray
    tau2: np.ndarray
    certified: Certified | None = None


@dataclass(frozen=True)
class EqualGain:
    """Cor 6.3: the maximum equal normalised gain ``s = cos(theta/2)``, the absolute gains
    ``Delta_S_i = s B ||P_{C^perp} v_i*||`` it gives, and a maximiser ``delta`` (the bisector)."""

    s: np.ndarray
    gains: np.ndarray
    delta: np.ndarray
    certified: Certified | None = None


@dataclass(frozen=True)
class MaxMinGain:
    """Cor 6.6 as corrected by the audit: ``max min(Delta_S1, Delta_S2) = B dist(0, [v~1, v~2])`` over
    ``C^T delta = 0, ||delta|| <= B`` (``v~i = P_{C^perp} v_i*``), a maximiser, and eq. (17)'s right side
    ``B cos(theta/2) min(||v~1||, ||v~2||)``, which is a lower bound of ``value`` (equal iff
    ``||v~1|| = ||v~2||`` or theta in {0, pi}), not the upper bound eq. (17) states."""

    value: np.ndarray
    delta: np.ndarray
    paper_bound: np.ndarray
    certified: Certified | None = None


# --- input handling -----------------------------------------------------------------------------------

def _vector(name: str, value: Any, normalise: bool) -> np.ndarray:
    return unit_along(name, value, axis=-1, normalise=normalise)[0]


def _exact(x: np.ndarray) -> np.ndarray:
    """Vectors that passed the unit check at their dtype's tolerance, divided by their norms (float64)."""
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _capabilities(name: str, value: Any, normalise: bool, d: int) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim < 2:
        raise InputError(f"{name} must be a (..., d, m) array whose columns are capability directions; got shape "
                         f"{arr.shape}. For one capability c pass c[:, None].")
    C, src = unit_along(name, arr, axis=-2, normalise=normalise, min_ndim=2)
    if C.shape[-2] != d:
        raise InputError(f"{name} has {C.shape[-2]} rows; the safety direction has dimension d={d}.")
    independent_columns(name, C, src)
    return C


def _budget(B: Any) -> float:
    return positive("B", B)


def _project(v: np.ndarray, C: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(p, r, Q, R)``: ``C = Q R`` (reduced QR), ``p = Q^T v`` (so ``P_C v = Q p``), ``r = P_{C^perp} v``."""
    Q, R = np.linalg.qr(C)
    p = np.einsum("...dm,...d->...m", Q, v)
    r = v - np.einsum("...dm,...m->...d", Q, p)
    return p, r, Q, R


def _targets(Delta_C: Any, m: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """Per-capability changes as ``(m, n)`` columns and the target shape (``()`` for one target)."""
    arr, _ = float_array("Delta_C", np.atleast_1d(Delta_C))
    if arr.shape[-1] != m:
        raise InputError(f"Delta_C has {arr.shape[-1]} entries per target; there are m={m} capabilities. Give one "
                         f"signed change <c_i, delta> per capability (shape (m,) or (n, m)).")
    tshape = arr.shape[:-1]
    return arr.reshape(-1, m).T, tshape


# --- certification through the SOCP ------------------------------------------------------------------

def _down(x: mpmath.mpf) -> float:
    return float(np.nextafter(float(x), -np.inf))


def _up(x: mpmath.mpf) -> float:
    return float(np.nextafter(float(x), np.inf))


def _enclose(W: np.ndarray, A: np.ndarray, b: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Certified ``[L, U]`` of ``max_delta min_j <w_j, delta>`` s.t. ``A delta = b``, ``||delta|| <= B`` for a batch
    (W (n, k, d), A (n, p, d), b (n, p), B (n,)), solved in one call and certified in the span of the data."""
    from verify import socp          # lazy: cvxpy is slow to import and only the certified route needs it

    sols = socp.solve(W, A, b, B)
    encs = socp.certify_batch(sols, W, A, b, B)
    return np.array([_down(e.lower) for e in encs]), np.array([_up(e.upper) for e in encs])


def _through(value: np.ndarray, lower: Any, upper: Any, f: Callable[[mpmath.mpf], mpmath.mpf], *,
             decreasing: bool = False) -> Certified:
    """``value`` certified by mapping an enclosure ``[lower, upper]`` of another quantity q (one per batch entry,
    any shape of value's size) through f, monotone in q: f at 60 digits, each end rounded outward
    (``decreasing``: f's lower end comes from q's upper end)."""
    ends = (upper, lower) if decreasing else (lower, upper)
    with mpmath.workdps(60):
        lo = [_down(f(mpmath.mpf(x))) for x in np.ravel(ends[0])]
        hi = [_up(f(mpmath.mpf(x))) for x in np.ravel(ends[1])]
    return Certified(value, np.array(lo).reshape(np.shape(value)), np.array(hi).reshape(np.shape(value)))


def _tau_from_free(tau: np.ndarray, lower: Any, upper: Any) -> Certified:
    """tau = 1 - (Delta_S_free / B)^2 at B = 1 is decreasing in the tax-free safety (Cor 4.4): map its enclosure."""
    c = _through(tau, lower, upper, lambda q: 1 - max(q, 0) ** 2, decreasing=True)
    return Certified(tau, np.clip(c.lower, 0.0, 1.0), np.clip(c.upper, 0.0, 1.0))


# --- tax rates and principal angles ------------------------------------------------------------------

def tax_rate(v: Any, C: Any, *, normalise: bool = False, certify: bool = False) -> np.ndarray | Certified:
    """Def 3.4: ``tau = ||P_C v*||^2`` in [0, 1], for any independent (not necessarily orthonormal) columns.

    Computed as ``||Q^T v*||^2`` with ``C = QR``; this equals Rem 4.6's Gram form
    ``(C^T v*)^T (C^T C)^{-1} (C^T v*)``.  With ``certify=True`` tau is enclosed through Cor 4.4:
    ``tau = 1 - (Delta_S_free / B)^2``, Delta_S_free the certified SOCP optimum at B = 1.
    """
    v = _vector("v", v, normalise)
    C = _capabilities("C", C, normalise, v.shape[-1])
    p, _, _, _ = _project(v, C)
    tau = np.clip(np.sum(p * p, axis=-1), 0.0, 1.0)
    if not certify:
        return tau
    free = tax_free_safety(v, C, 1.0, certify=True)
    return _tau_from_free(tau, free.lower, free.upper)


def capability_tax_rates(v: Any, C: Any, *, normalise: bool = False, certify: bool = False) -> np.ndarray | Certified:
    """Cor 4.5: per-capability tax rates ``tau_i = <v*, c_i>^2`` (unit ``c_i``), shape ``(..., m)``.

    Each is Def 3.4 for the one-column subspace ``span(c_i)``; unlike the joint tau they do not add up
    unless the columns are orthonormal (Rem 4.6).  ``certify=True`` encloses each through Cor 4.4.
    """
    v = _vector("v", v, normalise)
    C = _capabilities("C", C, normalise, v.shape[-1])
    cos = np.einsum("...dm,...d->...m", C, v)
    tau = np.clip(cos * cos, 0.0, 1.0)
    if not certify:
        return tau
    vb, Cb = np.broadcast_arrays(v[..., None, :], np.swapaxes(C, -1, -2))          # (..., m, d) each
    flat_v, flat_c = vb.reshape(-1, vb.shape[-1]), Cb.reshape(-1, Cb.shape[-1])
    n, d = flat_v.shape
    lo, hi = _enclose(flat_v[:, None, :], flat_c[:, None, :], np.zeros((n, 1)), np.ones(n))
    return _tau_from_free(tau, lo, hi)


def principal_angles(S: Any, C: Any, *, normalise: bool = False, certify: bool = False) -> np.ndarray | Certified:
    """Principal angles (radians, ascending) between ``span(S)`` and ``span(C)``; shape ``(..., min(k, m))``.

    ``S`` is one safety direction ``(d,)`` (k = 1) or safety subspaces ``(..., d, k)`` (a batch of single
    directions: ``S[..., None]``).  With
    orthonormal bases Q_S, Q_C, the cosines are the singular values of ``Q_S^T Q_C`` and the sines those
    of the residual of the smaller basis on the larger; each angle is taken from whichever is accurate
    (arcsin where cos^2 >= 1/2, as scipy.linalg.subspace_angles does).  For k = 1 the single angle is
    ``atan2(||P_{C^perp} v*||, ||P_C v*||) = arccos(sqrt(tau))``; for it ``certify=True`` encloses the angle
    through the certified tax-free safety (``sin(angle) = Delta_S_free / B``).
    """
    arr = np.asarray(S)
    if arr.ndim == 1:
        v = _vector("S", arr, normalise)
        C = _capabilities("C", C, normalise, v.shape[-1])
        p, r, _, _ = _project(v, C)
        angle = np.arctan2(np.linalg.norm(r, axis=-1), np.linalg.norm(p, axis=-1))[..., None]
        if not certify:
            return angle
        free = tax_free_safety(v, C, 1.0, certify=True)
        return _through(angle, free.lower, free.upper, lambda q: mpmath.asin(min(max(q, 0), 1)))
    if certify:
        raise InputError("certify=True is offered for one safety direction (k = 1); for a safety subspace the "
                         "angles are not the optimum of one of the paper's problems.")
    Sm = _capabilities("S", arr, normalise, arr.shape[-2])
    C = _capabilities("C", C, normalise, Sm.shape[-2])
    QS, _ = np.linalg.qr(Sm)
    QC, _ = np.linalg.qr(C)
    M = np.swapaxes(QS, -1, -2) @ QC                                           # (..., k, m)
    cos = np.linalg.svd(M, compute_uv=False)                                  # descending
    small, big, Mt = (QS, QC, np.swapaxes(M, -1, -2)) if QS.shape[-1] <= QC.shape[-1] else (QC, QS, M)
    resid = small - big @ Mt                                                  # (..., d, min(k, m))
    sin = np.linalg.svd(resid, compute_uv=False)[..., ::-1]                   # ascending
    cos = np.clip(cos, -1.0, 1.0)
    return np.where(cos * cos >= 0.5, np.arcsin(np.clip(sin, -1.0, 1.0)), np.arccos(cos))


# --- the frontier and the capability constraint -------------------------------------------------------

def max_safety_at_target(v: Any, C: Any, Delta_C: Any, B: float, *, normalise: bool = False,
                         certify: bool = False) -> np.ndarray | Certified:
    """Thm 4.3 at per-capability changes: ``max <v*, delta>`` s.t. ``<c_i, delta> = Delta_C_i`` (i = 1..m),
    ``||delta|| <= B``.

    The constraint fixes ``P_C delta = delta_C* = C (C^T C)^{-1} Delta_C`` (the element of C with these
    inner products); by Thm 4.3 the maximum is ``<v*, delta_C*> + sqrt(B^2 - ||delta_C*||^2) ||P_{C^perp} v*||``.
    ``Delta_C`` has shape ``(m,)`` or ``(n, m)`` (n targets); the result has shape ``batch + (n,)``.
    """
    v = _vector("v", v, normalise)
    C = _capabilities("C", C, normalise, v.shape[-1])
    Bf = _budget(B)
    T, tshape = _targets(Delta_C, C.shape[-1])
    p, r, Q, R = _project(v, C)
    y = np.linalg.solve(np.swapaxes(R, -1, -2), np.broadcast_to(T, R.shape[:-2] + T.shape))   # delta_C* = Q y
    norm_target = np.linalg.norm(y, axis=-2)
    if np.any(norm_target > Bf * _BUDGET_ROUNDING):     # |Delta_C| = B itself is feasible: allow its rounding
        worst = float(norm_target.max())
        raise InputError(f"Delta_C={_show(Delta_C)} asks for capability changes that need ||delta_C*|| = "
                         f"sqrt(Delta_C^T (C^T C)^-1 Delta_C) = {worst!r} > B={B!r}: no delta within the budget "
                         f"meets them. Reduce the changes or raise B.")
    rest = np.sqrt(np.maximum(Bf * Bf - norm_target**2, 0.0))
    value = np.einsum("...m,...mn->...n", p, y) + rest * np.linalg.norm(r, axis=-1)[..., None]
    value = value.reshape(value.shape[:-1] + tshape)
    if not certify:
        return value
    vb = np.broadcast_to(v, value.shape[:value.ndim - len(tshape)] + v.shape[-1:])
    Cb = np.broadcast_to(C, vb.shape[:-1] + C.shape[-2:])
    flat_v, flat_C = vb.reshape(-1, vb.shape[-1]), Cb.reshape((-1,) + C.shape[-2:])
    nt = T.shape[1]
    W = np.repeat(flat_v, nt, axis=0)[:, None, :]
    A = np.repeat(np.swapaxes(flat_C, -1, -2), nt, axis=0)
    b = np.tile(T.T, (flat_v.shape[0], 1))
    lo, hi = _enclose(W, A, b, np.full(W.shape[0], Bf))
    return Certified(value, lo.reshape(value.shape), hi.reshape(value.shape))


def _show(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def frontier(v: Any, c: Any, Delta_C: Any, B: float, *, normalise: bool = False,
             certify: bool = False) -> np.ndarray | Certified:
    """Thm 4.1: the maximum safety gain ``Delta_S(Delta_C)`` for one capability ``c`` at each change in ``Delta_C``.

    ``Delta_S = Delta_C cos(alpha) + sin(alpha) sqrt(B^2 - Delta_C^2)`` with ``cos(alpha) = <v*, c>``; computed as
    Thm 4.3 with m = 1 (projection onto c and its complement).  ``Delta_C``: a number or a 1-D array
    with ``|Delta_C| <= B``; the result has shape ``batch + Delta_C.shape``.
    """
    # Checked once at the input's dtype, then divided by the norms: a float32 unit vector is unit to float32
    # rounding only, and the float64 check of max_safety_at_target would refuse it.
    v = _exact(_vector("v", v, normalise))
    c = _exact(_vector("c", c, normalise))
    dc = np.asarray(Delta_C, dtype=float)
    return max_safety_at_target(v, c[..., None], dc[..., None], B, certify=certify)


def efficient_frontier(v: Any, c: Any, B: float, num: int = 21, *, normalise: bool = False,
                       certify: bool = False) -> tuple[np.ndarray, np.ndarray | Certified]:
    """The Pareto-efficient arc of Thm 4.1's frontier: ``Delta_C`` in ``[B cos(alpha), B]`` (the audit's
    thm-4.1.pareto: below ``B cos(alpha)`` both gains can still rise together).  Returns ``(Delta_C,
    Delta_S)`` at ``num`` points of the arc (one geometry: v, c of shape (d,))."""
    v_, c_ = _exact(_vector("v", v, normalise)), _exact(_vector("c", c, normalise))
    if v_.ndim != 1 or c_.ndim != 1:
        raise InputError(f"efficient_frontier takes one geometry: v and c of shape (d,); got {v_.shape} and "
                         f"{c_.shape}.")
    if not isinstance(num, (int, np.integer)) or num < 2:
        raise InputError(f"num={num!r} must be an integer >= 2 (points on the arc).")
    Bf = _budget(B)
    cos = float(np.clip(v_ @ c_, -1.0, 1.0))
    dcs = np.linspace(Bf * cos, Bf, int(num))
    return dcs, frontier(v_, c_, dcs, Bf, certify=certify)


def maximiser(v: Any, C: Any, Delta_C: Any, B: float, *, normalise: bool = False) -> np.ndarray:
    """Thm 4.3's maximiser ``delta* = delta_C* + sqrt(B^2 - ||delta_C*||^2) P_{C^perp} v* / ||P_{C^perp} v*||``
    for per-capability changes ``Delta_C`` (shape ``(m,)`` or ``(n, m)``); shape ``batch + (n,) + (d,)``.
    When ``v*`` lies in C (tau = 1) the residual part is zero and ``delta* = delta_C*`` (not unique)."""
    v = _vector("v", v, normalise)
    C = _capabilities("C", C, normalise, v.shape[-1])
    Bf = _budget(B)
    T, tshape = _targets(Delta_C, C.shape[-1])
    _, r, Q, R = _project(v, C)
    y = np.linalg.solve(np.swapaxes(R, -1, -2), np.broadcast_to(T, R.shape[:-2] + T.shape))
    norm_target = np.linalg.norm(y, axis=-2)
    if np.any(norm_target > Bf * _BUDGET_ROUNDING):
        raise InputError(f"Delta_C={_show(Delta_C)} needs ||delta_C*|| = {float(norm_target.max())!r} > B={B!r}.")
    rn = np.linalg.norm(r, axis=-1, keepdims=True)
    unit_r = np.where(rn > _IN_SUBSPACE, r / np.where(rn > 0, rn, 1.0), 0.0)
    rest = np.sqrt(np.maximum(Bf * Bf - norm_target**2, 0.0))                    # (..., n)
    delta = np.einsum("...dm,...mn->...nd", Q, y) + rest[..., None] * unit_r[..., None, :]
    return delta.reshape(delta.shape[:-2] + tshape + delta.shape[-1:])


def tax_free_safety(v: Any, C: Any, B: float, *, normalise: bool = False,
                    certify: bool = False) -> np.ndarray | Certified:
    """Cor 4.4: the maximum safety gain at zero capability change, ``B sqrt(1 - tau) = B ||P_{C^perp} v*||``."""
    Cn = np.asarray(C)
    m = Cn.shape[-1] if Cn.ndim >= 2 else 1
    return max_safety_at_target(v, C, np.zeros(m), B, normalise=normalise, certify=certify)


def closest_capability_direction(v: Any, C: Any, *, normalise: bool = False) -> np.ndarray:
    """The unit direction of C closest to v*, ``P_C v* / ||P_C v*||``: Thm 4.1 against it is the frontier of the
    whole capability subspace, with ``alpha`` the principal angle (``cos(alpha) = sqrt(tau)``)."""
    v = _vector("v", v, normalise)
    C = _capabilities("C", C, normalise, v.shape[-1])
    p, r, Q, _ = _project(v, C)
    proj = v - r
    n = np.linalg.norm(proj, axis=-1, keepdims=True)
    if np.any(n <= _IN_SUBSPACE):
        raise InputError("v is orthogonal to the capability subspace (tau = 0): no capability direction is closest; "
                         "the frontier is the circle Delta_S = sqrt(B^2 - Delta_C^2) for every c in C.")
    return proj / n


# --- two safety directions ---------------------------------------------------------------------------

def _pair(v1: Any, v2: Any, C: Any, normalise: bool):
    v1 = _vector("v1", v1, normalise)
    v2 = _vector("v2", v2, normalise)
    if v1.shape[-1] != v2.shape[-1]:
        raise InputError(f"v1 and v2 must have the same dimension; got {v1.shape[-1]} and {v2.shape[-1]}.")
    d = v1.shape[-1]
    if C is None:
        Cm = np.zeros((d, 0))
        r1, r2 = v1, v2
        a = b = np.zeros(v1.shape[:-1] + (0,))
    else:
        Cm = _capabilities("C", C, normalise, d)
        _, r1, _, _ = _project(v1, Cm)
        _, r2, _, _ = _project(v2, Cm)
        a = np.einsum("...dm,...d->...m", Cm, v1)
        b = np.einsum("...dm,...d->...m", Cm, v2)
    n1, n2 = np.linalg.norm(r1, axis=-1), np.linalg.norm(r2, axis=-1)
    for name, n in (("v1", n1), ("v2", n2)):
        if np.any(n <= _IN_SUBSPACE):
            raise InputError(f"{name} lies in the capability subspace (||P_C^perp {name}|| = {float(np.min(n)):.3g}): "
                             f"the effective angle is undefined. Drop the capability that contains it.")
    return v1, v2, Cm, r1, r2, n1, n2, a, b


def _angle(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The angle between u and w as ``2 atan2(|u^ - w^|, |u^ + w^|)``: accurate near 0 and pi, unlike arccos."""
    uh = u / np.linalg.norm(u, axis=-1, keepdims=True)
    wh = w / np.linalg.norm(w, axis=-1, keepdims=True)
    return 2 * np.arctan2(np.linalg.norm(uh - wh, axis=-1), np.linalg.norm(uh + wh, axis=-1))


def effective_angle(v1: Any, v2: Any, C: Any = None, *, normalise: bool = False,
                    certify: bool = False) -> EffectiveAngle:
    """Eq. (12) (one capability) and eq. (15) (several): the angle theta between ``P_{C^perp} v1*`` and
    ``P_{C^perp} v2*``, computed from the projections themselves.  ``C=None`` preserves no capability.
    ``certify=True`` encloses theta through Cor 6.3 (``theta = 2 arccos(s)``, s the certified max-min of
    the normalised gains)."""
    v1, v2, Cm, r1, r2, n1, n2, a, b = _pair(v1, v2, C, normalise)
    theta = _angle(r1, r2)
    cos = np.clip(np.sum(r1 * r2, axis=-1) / (n1 * n2), -1.0, 1.0)
    cert = None
    if certify:
        eg = max_equal_gain(v1, v2, None if C is None else Cm, 1.0, certify=True).certified
        cert = _through(theta, eg.lower, eg.upper, lambda s: 2 * mpmath.acos(min(max(s, -1), 1)), decreasing=True)
    return EffectiveAngle(theta, cos, np.sum(v1 * v2, axis=-1), a, b, np.clip(1 - n1**2, 0, 1),
                          np.clip(1 - n2**2, 0, 1), cert)


def partial_correlation(v1: Any, v2: Any, C: Any, *, normalise: bool = False,
                        certify: bool = False) -> np.ndarray | Certified:
    """Rem 6.2: the partial correlation of v1*, v2* given the capabilities, ``-P_12 / sqrt(P_11 P_22)`` with P the
    inverse of the Gram matrix of ``[v1*, v2*, C]``; by Prop 6.5 it equals ``cos(theta)`` of eq. (15).
    ``certify=True`` encloses it as ``cos`` of the certified effective angle."""
    v1, v2, Cm, *_ = _pair(v1, v2, C, normalise)
    batch = np.broadcast_shapes(v1.shape[:-1], v2.shape[:-1], Cm.shape[:-2])
    X = np.concatenate([np.broadcast_to(v1[..., :, None], batch + (v1.shape[-1], 1)),
                        np.broadcast_to(v2[..., :, None], batch + (v2.shape[-1], 1)),
                        np.broadcast_to(Cm, batch + Cm.shape[-2:])], axis=-1)
    P = np.linalg.inv(np.swapaxes(X, -1, -2) @ X)
    value = -P[..., 0, 1] / np.sqrt(P[..., 0, 0] * P[..., 1, 1])
    if not certify:
        return value
    th = effective_angle(v1, v2, C, normalise=normalise, certify=True).certified
    return _through(value, th.lower, th.upper, lambda t: mpmath.cos(min(max(t, 0), mpmath.pi)), decreasing=True)


def _pair_socp(v1, v2, Cm, B: float, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Certified max-min of ``<v_i*, delta> * scale_i`` over ``C^T delta = 0``, ``||delta|| <= B`` (batched)."""
    v1b, v2b = np.broadcast_arrays(v1, v2)
    shape = v1b.shape[:-1]
    d, m = Cm.shape[-2], Cm.shape[-1]
    Cb = np.broadcast_to(Cm, shape + (d, m)).reshape(-1, d, m)
    s = np.broadcast_to(scale, shape + (2,)).reshape(-1, 2)
    W = np.stack([v1b.reshape(-1, d) * s[:, :1], v2b.reshape(-1, d) * s[:, 1:]], axis=1)
    n = W.shape[0]
    lo, hi = _enclose(W, np.swapaxes(Cb, -1, -2), np.zeros((n, m)), np.full(n, B))
    return lo.reshape(shape), hi.reshape(shape)


def max_equal_gain(v1: Any, v2: Any, C: Any, B: float, *, normalise: bool = False, certify: bool = False) -> EqualGain:
    """Cor 6.3 under capability preservation (``C^T delta = 0``, ``||delta|| <= B``): the largest equal normalised
    gain ``s_1 = s_2 = s`` with ``s_i = Delta_S_i / (B ||P_{C^perp} v_i*||)`` is ``cos(theta/2)``, reached along the
    bisector of the projected directions.  For a nonzero capability target pass the residual budget
    ``B' = sqrt(B^2 - ||delta_C*||^2)`` as B.  ``certify=True`` encloses s by the max-min SOCP."""
    v1, v2, Cm, r1, r2, n1, n2, _, _ = _pair(v1, v2, C, normalise)
    Bf = _budget(B)
    theta = _angle(r1, r2)
    s = np.cos(theta / 2)
    bis = r1 / n1[..., None] + r2 / n2[..., None]
    bn = np.linalg.norm(bis, axis=-1, keepdims=True)
    delta = np.where(bn > _IN_SUBSPACE, Bf * bis / np.where(bn > 0, bn, 1.0), 0.0)
    gains = np.stack([s * Bf * n1, s * Bf * n2], axis=-1)
    cert = None
    if certify:
        lo, hi = _pair_socp(v1, v2, Cm, Bf, np.stack([1 / (Bf * n1), 1 / (Bf * n2)], axis=-1))
        cert = Certified(s, lo, hi)
    return EqualGain(s, gains, delta, cert)


def max_min_gain(v1: Any, v2: Any, C: Any, B: float, *, normalise: bool = False, certify: bool = False) -> MaxMinGain:
    """Cor 6.6 corrected (the audit's cor-6.6): ``max min(Delta_S1, Delta_S2)`` over ``C^T delta = 0``,
    ``||delta|| <= B`` is ``B dist(0, [v~1, v~2])``: with ``lambda* = clip(<v~2, v~2 - v~1> / ||v~1 - v~2||^2, 0, 1)``
    the nearest point of the segment is ``u = lambda* v~1 + (1 - lambda*) v~2`` and the maximiser is ``B u / ||u||``.
    Also returns eq. (17)'s right side (a lower bound of the value).  ``certify=True``: max-min SOCP."""
    v1, v2, Cm, r1, r2, n1, n2, _, _ = _pair(v1, v2, C, normalise)
    Bf = _budget(B)
    diff = r1 - r2
    den = np.sum(diff * diff, axis=-1)
    lam = np.clip(np.sum(r2 * (r2 - r1), axis=-1) / np.where(den > 0, den, 1.0), 0.0, 1.0)
    lam = np.where(den > 0, lam, 1.0)
    u = lam[..., None] * r1 + (1 - lam[..., None]) * r2
    un = np.linalg.norm(u, axis=-1)
    delta = np.where(un[..., None] > _IN_SUBSPACE, Bf * u / np.where(un > 0, un, 1.0)[..., None], 0.0)
    theta = _angle(r1, r2)
    paper = Bf * np.cos(theta / 2) * np.minimum(n1, n2)
    value = Bf * un
    cert = None
    if certify:
        lo, hi = _pair_socp(v1, v2, Cm, Bf, np.ones(2))
        cert = Certified(value, lo, hi)
    return MaxMinGain(value, delta, paper, cert)


# --- coordinates from a Gram matrix --------------------------------------------------------------------

def gram_coordinates(gram: Any) -> np.ndarray:
    """Coordinates of k directions in an orthonormal basis of their span, from their Gram matrix ``(..., k, k)``.

    With the Cholesky factor ``G = R^T R``, the columns of R (shape ``(..., k, k)``) are the directions
    expressed in that basis: every inner product, projection and angle above is unchanged, so the
    functions of this module can be applied to them in k dimensions instead of d.
    """
    G, _ = float_array("gram", gram, min_ndim=2)
    if G.shape[-1] != G.shape[-2]:
        raise InputError(f"gram must be square (..., k, k); got shape {G.shape}.")
    try:
        L = np.linalg.cholesky(G)
    except np.linalg.LinAlgError:
        raise InputError("gram is not positive definite: the directions are linearly dependent. Drop the "
                         "redundant ones.") from None
    return np.swapaxes(L, -1, -2)


@dataclass(frozen=True)
class GramQuantities:
    """The quantities above from Gram matrices of unit directions (see ``gram_quantities``); arrays over the
    batch axes, ``...`` below."""

    cos: np.ndarray        # (..., m): <v*, c_i>
    tau_i: np.ndarray      # (..., m): Cor 4.5
    tau: np.ndarray        # (...): Def 3.4 / Rem 4.6
    angle: np.ndarray      # (...): the principal angle between v* and C
    free: np.ndarray       # (...): Cor 4.4 per unit budget, sqrt(1 - tau)


def gram_quantities(gram: Any, m: int) -> GramQuantities:
    """Tax rates and the principal angle from Gram matrices ``(..., m + 1, m + 1)`` of unit directions ordered
    ``[c_1, ..., c_m, v*]`` (capabilities first).

    The Cholesky factor ``G = L L^T`` is Gram-Schmidt on the directions in that order (the R of their QR):
    row m of L holds ``P_C v*`` in an orthonormal basis of C and ``L[m, m] = ||P_{C^perp} v*||``.  So
    ``tau = ||L[m, :m]||^2``, ``sqrt(1 - tau) = L[m, m]`` and the angle is ``atan2(L[m, m], ||L[m, :m]||)``:
    the definitions, by projection, in m + 1 dimensions; one batched factorisation serves thousands of
    bootstrap replicates.
    """
    G, _ = float_array("gram", gram, min_ndim=2)
    if G.shape[-1] != m + 1 or G.shape[-2] != m + 1:
        raise InputError(f"gram has shape {G.shape}; with m={m} capabilities it must be (..., {m + 1}, {m + 1}).")
    try:
        L = np.linalg.cholesky(G)
    except np.linalg.LinAlgError:
        raise InputError("gram is not positive definite: the directions are linearly dependent (or v* lies in C). "
                         "Drop the redundant ones.") from None
    proj = L[..., m, :m]
    rest = L[..., m, m]
    pn = np.linalg.norm(proj, axis=-1)
    cos = G[..., m, :m]
    return GramQuantities(cos, np.clip(cos * cos, 0, 1), np.clip(pn * pn, 0, 1), np.arctan2(rest, pn), rest)


@dataclass(frozen=True)
class GramPair:
    """Two safety directions under capability preservation, from a Gram matrix (see ``gram_pair``)."""

    theta: np.ndarray      # eq. (12)/(15)
    theta0: np.ndarray     # the angle between v1*, v2* with no capability preserved
    rho: np.ndarray        # <v1*, v2*>
    b: np.ndarray          # (..., m): C^T v2*
    s: np.ndarray          # Cor 6.3: cos(theta / 2)
    max_min: np.ndarray    # corrected Cor 6.6 per unit budget: dist(0, [v~1, v~2])
    eq17: np.ndarray       # eq. (17)'s right side per unit budget


def gram_pair(gram: Any, m: int) -> GramPair:
    """The effective angle, Cor 6.3 and the corrected Cor 6.6 from Gram matrices ``(..., m + 2, m + 2)`` of unit
    directions ordered ``[c_1, ..., c_m, v1*, v2*]``.

    With ``G = L L^T`` (Gram-Schmidt in that order), ``v~1 = P_{C^perp} v1* = (L[m, m], 0)`` and
    ``v~2 = (L[m+1, m], L[m+1, m+1])`` in an orthonormal basis of their plane, so theta is the angle of the
    second, and the nearest point of the segment ``[v~1, v~2]`` to 0 is computed in that plane."""
    G, _ = float_array("gram", gram, min_ndim=2)
    if G.shape[-1] != m + 2 or G.shape[-2] != m + 2:
        raise InputError(f"gram has shape {G.shape}; with m={m} capabilities it must be (..., {m + 2}, {m + 2}).")
    try:
        L = np.linalg.cholesky(G)
    except np.linalg.LinAlgError:
        raise InputError("gram is not positive definite: a safety direction lies in the span of the capabilities "
                         "and the other (the effective angle is undefined).") from None
    n1, x, y = L[..., m, m], L[..., m + 1, m], L[..., m + 1, m + 1]
    n2 = np.hypot(x, y)
    theta = np.arctan2(y, x)
    r1 = np.stack([n1, np.zeros_like(n1)], axis=-1)
    r2 = np.stack([x, y], axis=-1)
    diff = r1 - r2
    den = np.sum(diff * diff, axis=-1)
    lam = np.where(den > 0, np.clip(np.sum(r2 * (r2 - r1), axis=-1) / np.where(den > 0, den, 1.0), 0, 1), 1.0)
    u = lam[..., None] * r1 + (1 - lam[..., None]) * r2
    rho = G[..., m, m + 1]
    return GramPair(theta, np.arctan2(np.sqrt(np.clip(1 - rho * rho, 0, None)), rho), rho, G[..., m + 1, :m],
                    np.cos(theta / 2), np.linalg.norm(u, axis=-1), np.cos(theta / 2) * np.minimum(n1, n2))

"""Two safety objectives with capabilities preserved: projections, the pair frontier and the max-min, as SOCPs.

Definitions used (never the closed forms they are meant to confirm):
* ``P_{C^perp} v`` is the least-squares residual of ``v`` on the columns of ``C``;
* the effective angle is the angle between ``P_{C^perp} v1*`` and ``P_{C^perp} v2*``;
* the pair frontier: maximise ``<v1*, delta>`` s.t. ``<v2*, delta> = t``, ``C^T delta = 0``, ``||delta|| <= B``;
* the equal-gain point: maximise ``min_i <v_i*, delta> / (B ||P_{C^perp} v_i*||)`` s.t. ``C^T delta = 0``.
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from verify import socp
from verify.validate import (InputError, full_column_rank, positive, realisable_triple, same_dimension,
                             unit_vector)

__all__ = ["realise", "residual", "effective_cos", "PairPoint", "pair_frontier", "max_min_gain",
           "partial_correlation"]


def realise(rho: float, a: float, b: float, d: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit vectors ``v1, v2, c`` in R^d with Gram matrix ``[[1, rho, a], [rho, 1, b], [a, b, 1]]``."""
    rho, a, b = realisable_triple(rho, a, b)
    if d < 3:
        raise InputError(f"d={d!r} must be at least 3 to hold three general directions.")
    G = np.array([[1.0, rho, a], [rho, 1.0, b], [a, b, 1.0]])
    w, U = np.linalg.eigh(G)
    X = (U * np.sqrt(np.clip(w, 0.0, None))).T          # columns realise G: X^T X = G
    out = np.zeros((d, 3))
    out[:3] = X
    out /= np.linalg.norm(out, axis=0)
    return out[:, 0], out[:, 1], out[:, 2]


def residual(v: np.ndarray, C: np.ndarray) -> np.ndarray:
    """``P_{C^perp} v``: the residual of least squares of ``v`` on the columns of ``C``."""
    coef, *_ = np.linalg.lstsq(C, v, rcond=None)
    return v - C @ coef


def effective_cos(v1: np.ndarray, v2: np.ndarray, C: np.ndarray) -> float:
    """Cosine of the angle between the projections of ``v1, v2`` onto ``C^perp``."""
    v1, v2 = unit_vector("v1", v1), unit_vector("v2", v2)
    d = same_dimension(v1=v1, v2=v2)
    C = full_column_rank("C", C, d)
    t1, t2 = residual(v1, C), residual(v2, C)
    n1, n2 = np.linalg.norm(t1), np.linalg.norm(t2)
    for name, n in (("v1", n1), ("v2", n2)):
        if n <= 1e-12:
            raise InputError(f"{name} lies in the capability subspace (||P_C^perp {name}|| = {n:.3g}): "
                             "the effective angle is undefined.")
    return float(t1 @ t2 / (n1 * n2))


@dataclass(frozen=True)
class PairPoint:
    """A certified optimum of a pair problem with the data it was solved for."""

    enclosure: socp.Enclosure
    delta: np.ndarray
    norms: tuple[float, float]   # ||P_{C^perp} v_i*||


def _checked(v1, v2, C, B):
    """Validated data; ``C=None`` means no capability is preserved (C^perp is the whole space)."""
    v1, v2 = unit_vector("v1", v1), unit_vector("v2", v2)
    d = same_dimension(v1=v1, v2=v2)
    C = np.zeros((d, 0)) if C is None else full_column_rank("C", C, d)
    B = positive("B", B)
    proj = (residual(v1, C), residual(v2, C)) if C.shape[1] else (v1, v2)
    return v1, v2, C, B, (float(np.linalg.norm(proj[0])), float(np.linalg.norm(proj[1])))


def pair_frontier(v1: np.ndarray, v2: np.ndarray, C: np.ndarray, s2: list[float], B: float,
                  certify: bool = True) -> list[PairPoint]:
    """For each normalised ``s2``: max ``<v1*, delta>`` s.t. ``<v2*, delta> = s2 B ||P v2*||``, ``C^T delta = 0``."""
    v1, v2, C, B, norms = _checked(v1, v2, C, B)
    for s in s2:
        if not np.isfinite(s) or abs(s) > 1:
            raise InputError(f"s2={s!r} must lie in [-1, 1]: a normalised gain cannot exceed the budget.")
    n, d, m = len(s2), v1.size, C.shape[1]
    W = np.broadcast_to(v1, (n, 1, d)).copy()
    A = np.broadcast_to(np.vstack([v2, C.T]), (n, m + 1, d)).copy()
    b = np.array([[s * B * norms[1]] + [0.0] * m for s in s2])
    sols = socp.solve(W, A, b, np.full(n, B))
    return [PairPoint(socp.certify(sol, W[i], A[i], b[i], B) if certify else None, sol.delta, norms)
            for i, sol in enumerate(sols)]


def max_min_gain(v1: np.ndarray, v2: np.ndarray, C: np.ndarray | None, B: float,
                 normalised: bool = True) -> PairPoint:
    """max over ``C^T delta = 0``, ``||delta|| <= B`` of ``min_i g_i`` with ``g_i = <v_i*, delta>`` or,
    normalised, ``g_i = <v_i*, delta> / (B ||P_{C^perp} v_i*||)``."""
    v1, v2, C, B, norms = _checked(v1, v2, C, B)
    scale = [1 / (B * n) for n in norms] if normalised else [1.0, 1.0]
    W = np.vstack([v1 * scale[0], v2 * scale[1]])[None]
    A = C.T[None].copy()
    b = np.zeros((1, C.shape[1]))
    sol = socp.solve(W, A, b, np.array([B]))[0]
    return PairPoint(socp.certify(sol, W[0], A[0], b[0], B), sol.delta, norms)


def partial_correlation(gram: np.ndarray, dps: int = 50) -> mpmath.mpf:
    """Partial correlation of variables 1, 2 given the rest, from the precision matrix at ``dps`` digits.

    For a correlation (Gram) matrix R with P = R^{-1}: rho_{12.rest} = -P_12 / sqrt(P_11 P_22).
    """
    G = np.asarray(gram, dtype=float)
    if G.ndim != 2 or G.shape[0] != G.shape[1] or G.shape[0] < 3:
        raise InputError(f"gram must be a square matrix of size >= 3; got shape {G.shape}.")
    if not np.all(np.isfinite(G)) or not np.allclose(G, G.T):
        raise InputError("gram must be finite and symmetric.")
    with mpmath.workdps(dps):
        M = mpmath.matrix(G.tolist())
        try:
            P = M**-1
        except ZeroDivisionError:
            raise InputError("gram is singular: the directions are linearly dependent.") from None
        return -P[0, 1] / mpmath.sqrt(P[0, 0] * P[1, 1])

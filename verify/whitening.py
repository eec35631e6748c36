"""The ellipsoidal budget of Section 4.4 as an SOCP on F^{1/2} delta, and KL of softmax policies at 50 digits.

    maximise <v*, delta>  s.t.  <c, delta> = Delta_C,  ||S delta|| <= B,   S = F^{1/2}

posed with the second-order cone on S delta itself (not after whitening).  The certificate changes
variables exactly, in rational arithmetic: delta' = S delta turns it into the isotropic problem with
data (S^{-1} v*, S^{-1} c), whose enclosure socp.certify computes.
"""
from __future__ import annotations

import functools
from fractions import Fraction

import mpmath
import numpy as np

from verify import socp
from verify.validate import InputError, SolverError, finite_vector, positive, same_dimension, unit_vector

__all__ = ["fisher_sqrt", "max_safety_ellipsoid", "kl_softmax"]


def fisher_sqrt(F: np.ndarray) -> np.ndarray:
    """The symmetric square root of a symmetric positive definite F."""
    F = np.asarray(F, dtype=float)
    if F.ndim != 2 or F.shape[0] != F.shape[1] or not np.all(np.isfinite(F)):
        raise InputError(f"F must be a finite square matrix; got shape {F.shape}.")
    if not np.allclose(F, F.T, rtol=0, atol=1e-12 * max(1.0, np.abs(F).max())):
        raise InputError("F must be symmetric (a Fisher information matrix).")
    w, U = np.linalg.eigh(F)
    if w[0] <= 0:
        raise InputError(f"F must be positive definite; its smallest eigenvalue is {w[0]:.3g}.")
    return (U * np.sqrt(w)) @ U.T


@functools.lru_cache(maxsize=8)
def _problem(d: int):
    import cvxpy as cp   # lazily: importing cvxpy costs about a second, and only solving needs it
    v, c, S = cp.Parameter(d), cp.Parameter(d), cp.Parameter((d, d))
    dc, B = cp.Parameter(), cp.Parameter(nonneg=True)
    x = cp.Variable(d)
    eq = c @ x == dc
    prob = cp.Problem(cp.Maximize(v @ x), [eq, cp.norm(S @ x, 2) <= B])
    return prob, (v, c, S, dc, B), x, eq


def max_safety_ellipsoid(v: np.ndarray, c: np.ndarray, F: np.ndarray, Delta_C: float, B: float) -> socp.Enclosure:
    """Certified ``max <v, delta>`` s.t. ``<c, delta> = Delta_C``, ``delta^T F delta <= B^2``."""
    import cvxpy as cp   # lazily: importing cvxpy costs about a second, and only solving needs it
    v, c = unit_vector("v", v), unit_vector("c", c)
    d = same_dimension(v=v, c=c)
    S = fisher_sqrt(F)
    if S.shape[0] != d:
        raise InputError(f"F is {S.shape[0]} x {S.shape[0]}; v and c have dimension d={d}.")
    dc = float(finite_vector("Delta_C", [Delta_C])[0])
    Bf = positive("B", B)
    reach = Bf * float(np.sqrt(c @ np.linalg.solve(F, c)))        # max <c, delta> on the ellipsoid
    if abs(dc) > reach:
        raise InputError(f"Delta_C={Delta_C!r} must satisfy |Delta_C| <= B sqrt(c^T F^-1 c) = {reach!r}.")
    prob, (pv, pc, pS, pdc, pB), x, eq = _problem(d)
    pv.value, pc.value, pS.value, pdc.value, pB.value = v, c, S, dc, Bf
    prob.solve(solver=cp.CLARABEL, **socp.SOLVER_OPTS)
    if prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        raise SolverError(f"Clarabel returned status {prob.status!r} for the ellipsoidal problem.")
    # Exact change of variables delta' = S delta: data S^{-1} v, S^{-1} c (rational), same optimum.
    Sq = [[Fraction(float(e)) for e in row] for row in S]
    Sinv = socp.inverse_exact(Sq)
    vw = [sum(Sinv[j][i] * Fraction(float(v[j])) for j in range(d)) for i in range(d)]  # S^{-T} v = S^{-1} v
    cw = [sum(Sinv[j][i] * Fraction(float(c[j])) for j in range(d)) for i in range(d)]
    xw = [sum(Sq[i][j] * Fraction(float(x.value[j])) for j in range(d)) for i in range(d)]
    y = -float(eq.dual_value) if eq.dual_value is not None else 0.0
    sol = socp.Solution(np.array([float(t) for t in xw]), float(prob.value), np.array([1.0]), np.array([y]))
    return socp.certify(sol, np.array([vw], dtype=object), np.array([cw], dtype=object), np.array([dc]), Bf)


def kl_softmax(z: np.ndarray, u: np.ndarray, eps: float, dps: int = 50) -> mpmath.mpf:
    """KL(softmax(z + eps u) || softmax(z)) at ``dps`` digits."""
    z, u = finite_vector("z", z), finite_vector("u", u)
    same_dimension(z=z, u=u)
    with mpmath.workdps(dps):
        zs = [mpmath.mpf(float(t)) for t in z]
        ws = [mpmath.mpf(float(t)) + mpmath.mpf(eps) * mpmath.mpf(float(s)) for t, s in zip(z, u, strict=False)]
        lp = [t - mpmath.log(sum(mpmath.exp(s) for s in zs)) for t in zs]
        lq = [t - mpmath.log(sum(mpmath.exp(s) for s in ws)) for t in ws]
        return sum(mpmath.exp(b) * (b - a) for a, b in zip(lp, lq, strict=False))

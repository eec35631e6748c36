"""Geometry of floating-point data evaluated at high precision: norms, residuals and angles.

The SOCPs are solved for data stored as doubles.  To compare a certified optimum with a closed
form, the closed form must be evaluated on *those* data (whose vectors are unit only to rounding),
not on the nominal parameters that produced them.  Every double is an exact binary rational, so
these 50-digit evaluations are exact up to the last few of the 50 digits.
"""
from __future__ import annotations

import mpmath
import numpy as np

__all__ = ["DPS", "vector", "norm", "angle", "residual"]

DPS = 50


def vector(v: np.ndarray) -> mpmath.matrix:
    return mpmath.matrix([mpmath.mpf(float(x)) for x in np.asarray(v, dtype=float).ravel()])


def norm(v: mpmath.matrix) -> mpmath.mpf:
    return mpmath.sqrt(sum(x * x for x in v))


def angle(u: mpmath.matrix, w: mpmath.matrix) -> mpmath.mpf:
    """The angle between u and w as 2 atan2(|u^ - w^|, |u^ + w^|): accurate near 0 and pi, unlike acos."""
    uh, wh = u / norm(u), w / norm(w)
    return 2 * mpmath.atan2(norm(uh - wh), norm(uh + wh))


def residual(v: mpmath.matrix, C: np.ndarray) -> mpmath.matrix:
    """``P_{C^perp} v = v - C (C^T C)^{-1} C^T v`` at the working precision."""
    M = mpmath.matrix(np.asarray(C, dtype=float).tolist())
    coef = mpmath.lu_solve(M.T * M, M.T * v)
    return v - M * coef

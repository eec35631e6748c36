"""The single-capability problem of Thm 4.1, as an SOCP from its definition.

    maximise <v*, delta>  subject to  <c, delta> = Delta_C,  ||delta|| <= B.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verify import socp
from verify.validate import budget, same_dimension, unit_vector

__all__ = ["FrontierPoint", "max_safety_gain", "max_safety_gains", "plane_geometry"]


@dataclass(frozen=True)
class FrontierPoint:
    """The certified maximum safety gain at one capability change, and the solver's maximiser."""

    Delta_C: float
    B: float
    enclosure: socp.Enclosure
    delta: np.ndarray


def max_safety_gain(v: np.ndarray, c: np.ndarray, Delta_C: float, B: float) -> FrontierPoint:
    """Certified ``max <v, delta>`` s.t. ``<c, delta> = Delta_C``, ``||delta|| <= B`` (unit v, c)."""
    return max_safety_gains(v, c, [Delta_C], B)[0]


def max_safety_gains(v: np.ndarray, c: np.ndarray, Delta_Cs: list[float], B: float,
                     certify: bool = True) -> list[FrontierPoint]:
    """The same problem at several capability changes, solved as one batch."""
    v, c = unit_vector("v", v), unit_vector("c", c)
    same_dimension(v=v, c=c)
    checked = [budget(dc, B) for dc in Delta_Cs]
    n, d = len(checked), v.size
    W = np.broadcast_to(v, (n, 1, d)).copy()
    A = np.broadcast_to(c, (n, 1, d)).copy()
    b = np.array([[dc] for dc, _ in checked])
    Bs = np.full(n, checked[0][1]) if n else np.zeros(0)
    out = []
    for i, sol in enumerate(socp.solve(W, A, b, Bs)):
        enc = socp.certify(sol, W[i], A[i], b[i], Bs[i]) if certify else None
        out.append(FrontierPoint(checked[i][0], float(Bs[i]), enc, sol.delta))
    return out


def plane_geometry(alpha: float, d: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Unit ``v* = e1`` and ``c = cos(alpha) e1 + sin(alpha) e2`` in R^d."""
    if not 0 <= alpha <= np.pi:
        raise ValueError(f"alpha={alpha!r} must lie in [0, pi].")
    if d < 2:
        raise ValueError(f"d={d!r} must be at least 2 to hold two directions at angle alpha.")
    v, c = np.zeros(d), np.zeros(d)
    v[0] = 1.0
    c[0], c[1] = np.cos(alpha), np.sin(alpha)
    return v, c / np.linalg.norm(c)

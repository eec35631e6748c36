"""Thm 4.3's problem as an SOCP from its definition: maximise <v*, delta> s.t. P_C delta = delta_C*, ||delta|| <= B.

P_C delta = delta_C* with delta_C* in C is the same set as C^T delta = C^T delta_C* (C of full column
rank), which is how it is posed.
"""
from __future__ import annotations

import numpy as np

from verify import socp
from verify.safety_pair import residual
from verify.validate import InputError, finite_vector, full_column_rank, positive, unit_vector

__all__ = ["max_safety_at_target"]


def max_safety_at_target(v: np.ndarray, C: np.ndarray, delta_C: np.ndarray, B: float) -> socp.Enclosure:
    """Certified maximum of ``<v, delta>`` over ``P_C delta = delta_C``, ``||delta|| <= B``."""
    v = unit_vector("v", v)
    C = full_column_rank("C", C, v.size)
    target = finite_vector("delta_C", delta_C)
    B = positive("B", B)
    if target.size != v.size:
        raise InputError(f"delta_C has dimension {target.size}; v has dimension {v.size}.")
    off = float(np.linalg.norm(residual(target, C)))
    if off > 1e-9 * max(1.0, float(np.linalg.norm(target))):
        raise InputError(f"delta_C must lie in the capability subspace C (P_C delta = delta_C is otherwise "
                         f"infeasible); its distance to C is {off:.3g}.")
    if np.linalg.norm(target) > B:
        raise InputError(f"delta_C has norm {float(np.linalg.norm(target))!r} > B={B!r}: no delta within the budget "
                         "meets the capability target.")
    W, A, b = v[None, None, :], C.T[None], (C.T @ target)[None]
    sol = socp.solve(W, A, b, np.array([B]))[0]
    return socp.certify(sol, W[0], A[0], b[0], B)

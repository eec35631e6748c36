"""Packings of unit feature vectors: coherence, random packings, the simplex frame, and the residual R(d)
of Thm 5.4 computed from its definitions (tau by projection, tau_0 = sum of intrinsic gamma_i^2)."""
from __future__ import annotations

import numpy as np

from verify.safety_pair import residual
from verify.validate import InputError, full_column_rank, unit_vector

__all__ = ["coherence", "random_packing", "simplex_frame", "packing_residual"]


def coherence(F: np.ndarray) -> float:
    """max_{i != j} |<f_i, f_j>| over the columns of F (unit columns)."""
    F = np.asarray(F, dtype=float)
    if F.ndim != 2 or F.shape[1] < 2:
        raise InputError(f"F must be a d x N matrix with N >= 2 unit columns; got shape {F.shape}.")
    norms = np.linalg.norm(F, axis=0)
    if np.any(np.abs(norms - 1) > 1e-9):
        raise InputError("F must have unit columns (feature vectors on the sphere).")
    G = np.abs(F.T @ F)
    np.fill_diagonal(G, 0.0)
    return float(G.max())


def random_packing(N: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """N independent uniform unit vectors in R^d, as columns."""
    if d < 1:
        raise InputError(f"d={d!r} must be at least 1.")
    if N < 2:
        raise InputError(f"N={N!r} must be at least 2.")
    X = rng.standard_normal((d, N))
    return X / np.linalg.norm(X, axis=0)


def simplex_frame(d: int) -> np.ndarray:
    """The d + 1 vertices of a regular simplex in R^d: an equiangular tight frame, |<f_i, f_j>| = 1/d."""
    if d < 1:
        raise InputError(f"d={d!r} must be at least 1.")
    E = np.eye(d + 1) - 1.0 / (d + 1)
    U, _, _ = np.linalg.svd(E)
    F = (U[:, :d].T @ E)
    return F / np.linalg.norm(F, axis=0)


def packing_residual(v: np.ndarray, C: np.ndarray, gamma: np.ndarray) -> tuple[float, float]:
    """(tau, R) with tau = ||P_C v||^2 and R = tau - sum_{gamma_i != 0} gamma_i^2 (Thm 5.4's definitions)."""
    v = unit_vector("v", v)
    C = full_column_rank("C", C, v.size)
    gamma = np.asarray(gamma, dtype=float)
    if gamma.shape != (C.shape[1],) or np.any(np.abs(gamma) > 1) or not np.all(np.isfinite(gamma)):
        raise InputError(f"gamma must hold one overlap in [-1, 1] per capability ({C.shape[1]}); got {gamma!r}.")
    tau = 1.0 - float(np.linalg.norm(residual(v, C)) ** 2)
    return tau, tau - float(np.sum(gamma**2))

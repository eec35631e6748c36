"""Validators for user input, and the package's error hierarchy.

Every public numeric function validates its arguments here, so that bad input gets one clear
message naming the argument, echoing its value and stating the requirement, never a NaN.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["AlignmentTaxError", "InputError", "SolverError", "finite_vector", "unit_vector",
           "positive", "budget", "same_dimension", "realisable_triple", "full_column_rank", "seed",
           "InputTypeError", "float_array", "unit_tolerance", "rank_tolerance", "unit_along", "independent_columns"]

# Unit vectors measured in floating point are unit only to rounding; 1e-9 accepts a normalised
# double-precision vector and rejects any vector a user forgot to normalise.
UNIT_TOL = 1e-9
# Relative singular-value threshold below which capability directions count as dependent.
RANK_TOL = 1e-10


class AlignmentTaxError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(AlignmentTaxError, ValueError):
    """An argument violates the requirement stated in the message."""


class SolverError(AlignmentTaxError, RuntimeError):
    """The conic solver did not return an optimal solution."""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def finite_vector(name: str, value: Any) -> np.ndarray:
    """A 1-D, non-empty, finite float vector."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}={_short(value)} must be a vector of real numbers.") from None
    if arr.ndim != 1 or arr.size == 0:
        raise InputError(f"{name}={_short(value)} must be a non-empty 1-D vector; got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name}={_short(value)} must be finite (no NaN or inf).")
    return arr


def unit_vector(name: str, value: Any) -> np.ndarray:
    """A finite vector of Euclidean norm 1 (to within 1e-9); normalise it first if it is not."""
    arr = finite_vector(name, value)
    norm = float(np.linalg.norm(arr))
    if norm == 0.0:
        raise InputError(f"{name}={_short(value)} must be a unit vector; it is the zero vector.")
    if abs(norm - 1.0) > UNIT_TOL:
        raise InputError(f"{name}={_short(value)} must be a unit vector; its norm is {norm!r}. "
                         f"Divide it by its norm first.")
    return arr


def positive(name: str, value: Any) -> float:
    """A finite real number > 0."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}={_short(value)} must be a real number.") from None
    if not np.isfinite(x) or x <= 0:
        raise InputError(f"{name}={value!r} must be finite and > 0.")
    return x


def budget(Delta_C: Any, B: Any) -> tuple[float, float]:
    """A capability change within the budget: ``|Delta_C| <= B``, ``B > 0``."""
    b = positive("B", B)
    try:
        dc = float(Delta_C)
    except (TypeError, ValueError):
        raise InputError(f"Delta_C={_short(Delta_C)} must be a real number.") from None
    if not np.isfinite(dc):
        raise InputError(f"Delta_C={Delta_C!r} must be finite.")
    if abs(dc) > b:
        raise InputError(f"Delta_C={Delta_C!r} must satisfy |Delta_C| <= B={B!r}: no delta with "
                         f"||delta|| <= B changes the capability by more than B.")
    return dc, b


def same_dimension(**vectors: np.ndarray) -> int:
    """All vectors (or matrix row counts) share one dimension d; returns d."""
    dims = {name: (v.shape[0]) for name, v in vectors.items()}
    if len(set(dims.values())) != 1:
        raise InputError(f"dimensions must agree; got {dims}.")
    return next(iter(dims.values()))


def realisable_triple(rho: Any, a: Any, b: Any) -> tuple[float, float, float]:
    """``(rho, a, b)`` realised by unit vectors: each in [-1, 1] and the Gram matrix PSD."""
    vals = []
    for name, v in (("rho", rho), ("a", a), ("b", b)):
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise InputError(f"{name}={_short(v)} must be a real number.") from None
        if not np.isfinite(x) or abs(x) > 1:
            raise InputError(f"{name}={v!r} must be an inner product of unit vectors, in [-1, 1].")
        vals.append(x)
    r, x, y = vals
    det = 1 + 2 * r * x * y - r * r - x * x - y * y
    if det < -UNIT_TOL:
        raise InputError(f"(rho, a, b)=({rho!r}, {a!r}, {b!r}) is not realised by unit vectors: the Gram "
                         f"matrix [[1, rho, a], [rho, 1, b], [a, b, 1]] has determinant {det:.6g} < 0. "
                         f"Choose rho within ab +- sqrt((1-a^2)(1-b^2)).")
    return r, x, y


def full_column_rank(name: str, value: Any, d: int | None = None) -> np.ndarray:
    """A finite d x m matrix whose m columns are linearly independent."""
    try:
        C = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}={_short(value)} must be a matrix of real numbers.") from None
    if C.ndim == 1:
        C = C[:, None]
    if C.ndim != 2 or C.size == 0:
        raise InputError(f"{name} must be a non-empty d x m matrix (columns are capability "
                         f"directions); got shape {C.shape}.")
    if not np.all(np.isfinite(C)):
        raise InputError(f"{name} must be finite (no NaN or inf).")
    if d is not None and C.shape[0] != d:
        raise InputError(f"{name} has {C.shape[0]} rows; the other vectors have dimension d={d}.")
    sv = np.linalg.svd(C, compute_uv=False)
    rank = int(np.sum(sv > RANK_TOL * sv[0])) if sv[0] > 0 else 0
    if rank < C.shape[1]:
        raise InputError(f"{name} has linearly dependent columns (rank {rank} < m={C.shape[1]}): "
                         f"C^T C is singular. Drop the redundant capability directions.")
    return C


def seed(value: Any) -> int:
    """A nonnegative integer seed."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise InputError(f"seed={value!r} must be a nonnegative integer.")
    return int(value)


# --- Measured directions: float32 or float64 input, tolerances scaled to the dtype -------
#
# Probe directions come from activations stored in float32 or float64.  A vector normalised in
# float32 is unit only to about sqrt(d) float32 ulps, so the unit test scales with the input's
# machine epsilon (and sqrt(d)); for float64 the package-wide UNIT_TOL still applies.

_MEASURED_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


class InputTypeError(AlignmentTaxError, TypeError):
    """An argument has the wrong type or dtype (stated in the message, with the conversion to use)."""


def float_array(name: str, value: Any, min_ndim: int = 1) -> tuple[np.ndarray, np.dtype]:
    """A finite float64 array and the dtype it came in (float32, float64; integers count as float64)."""
    arr = np.asarray(value)
    if arr.dtype.kind in "iub":
        src = np.dtype(np.float64)
    elif arr.dtype in _MEASURED_FLOATS:
        src = arr.dtype
    else:
        raise InputTypeError(f"{name} has dtype {arr.dtype}; it must be float32 or float64 (or integers). "
                        f"Convert it with {name}.astype(numpy.float64).")
    if arr.ndim < min_ndim or arr.size == 0:
        raise InputError(f"{name}={_short(value)} must be a non-empty array with at least {min_ndim} "
                         f"dimension(s); got shape {arr.shape}.")
    out = arr.astype(np.float64)
    if not np.all(np.isfinite(out)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        raise InputError(f"{name} must be finite (no NaN or inf); entry {bad} is {float(out[bad])!r}.")
    return out, src


def unit_tolerance(dtype: np.dtype, d: int) -> float:
    """How far from 1 the norm of a unit vector of dimension d stored in ``dtype`` may be."""
    return max(UNIT_TOL, 16.0 * np.sqrt(d) * float(np.finfo(dtype).eps))


def rank_tolerance(dtype: np.dtype) -> float:
    """Relative singular value below which directions stored in ``dtype`` count as dependent."""
    return max(RANK_TOL, 100.0 * float(np.finfo(dtype).eps))


def unit_along(name: str, value: Any, axis: int, normalise: bool, min_ndim: int = 1) -> tuple[np.ndarray, np.dtype]:
    """Unit vectors along ``axis`` (float64), checked against the dtype's tolerance or, with
    ``normalise=True``, divided by their norms (a zero vector is still an error)."""
    arr, src = float_array(name, value, min_ndim)
    d = arr.shape[axis]
    norms = np.linalg.norm(arr, axis=axis, keepdims=True)
    if np.any(norms == 0):
        idx = tuple(int(i) for i in np.argwhere(norms == 0)[0])
        raise InputError(f"{name} contains a zero vector (at index {idx} along the other axes): it has no "
                         f"direction. Drop it.")
    if normalise:
        return arr / norms, src
    tol = unit_tolerance(src, d)
    off = np.abs(norms - 1.0)
    if np.any(off > tol):
        idx = tuple(int(i) for i in np.argwhere(off > tol)[0])
        raise InputError(f"{name}={_short(value)} must hold unit vectors ({src} tolerance {tol:.1e}); the vector "
                         f"at index {idx} has norm {float(norms[idx])!r}. Divide by the norm first or pass "
                         f"normalise=True.")
    return arr, src


def independent_columns(name: str, C: np.ndarray, dtype: np.dtype) -> None:
    """The columns of every matrix in the stack ``C`` (..., d, m) are linearly independent."""
    d, m = C.shape[-2:]
    if m > d:
        raise InputError(f"{name} has m={m} columns in dimension d={d}: more capability directions than "
                         f"dimensions are always linearly dependent. Use at most d directions.")
    sv = np.linalg.svd(C, compute_uv=False)
    ratio = sv[..., -1] / np.maximum(sv[..., 0], np.finfo(np.float64).tiny)
    tol = rank_tolerance(dtype)
    if np.any(ratio <= tol):
        idx = tuple(int(i) for i in np.argwhere(np.atleast_1d(ratio <= tol))[0]) if ratio.ndim else ()
        raise InputError(f"{name} has linearly dependent columns{(' at batch index ' + str(idx)) if idx else ''} "
                         f"(smallest/largest singular value {float(np.atleast_1d(ratio).min()):.2e} <= {tol:.0e}): "
                         f"C^T C is singular. Drop the redundant capability directions.")

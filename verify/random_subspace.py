"""Random capability directions: the model as the paper states it (uniform unit vectors, a projection per
sample) and a fast sampler from the exact law, with Monte Carlo confidence intervals.

Literal model: c_j uniform on S^{d-1} (normalised Gaussians), tau = ||P_C v*||^2 by least squares.
Exact law (derive/random_subspace.py, used here only as the sampler's recipe, checked against the
literal model before use): tau = tau_I + (1 - tau_I) X, X ~ Beta(m'/2, (d - |I| - m')/2).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verify.validate import InputError

__all__ = ["Estimate", "literal_taus", "exact_law_taus", "estimate", "intrinsic_basis"]


def _check(d: int, m_prime: int, n_intrinsic: int = 0) -> None:
    if not isinstance(d, (int, np.integer)) or d < 1:
        raise InputError(f"d={d!r} must be an integer >= 1.")
    if not isinstance(m_prime, (int, np.integer)) or m_prime < 0:
        raise InputError(f"m_prime={m_prime!r} must be a nonnegative integer.")
    if m_prime + n_intrinsic > d:
        raise InputError(f"m_prime={m_prime!r} plus {n_intrinsic} intrinsic directions must not exceed d={d!r}: "
                         "more independent directions than dimensions.")


def intrinsic_basis(gammas: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """v* = e1 and intrinsic unit directions c_i = gamma_i e1 + sqrt(1 - gamma_i^2) e_{i+1}.

    Their overlaps with v* are exactly gamma_i.  Returns (v, C_I)."""
    gammas = np.asarray(gammas, dtype=float).ravel()
    if np.any(~np.isfinite(gammas)) or np.any(np.abs(gammas) > 1):
        raise InputError(f"gamma={gammas.tolist()!r} must lie in [-1, 1].")
    if gammas.size + 1 > d:
        raise InputError(f"{gammas.size} intrinsic directions need d >= {gammas.size + 1}; got d={d!r}.")
    if np.sum(np.abs(gammas) == 1) > 1 or (np.any(np.abs(gammas) == 1) and gammas.size > 1):
        raise InputError(f"gamma={gammas.tolist()!r}: a direction equal to +-v* together with others makes the "
                         "capability set dependent; no vectors realise it with full rank.")
    v = np.zeros(d)
    v[0] = 1.0
    C = np.zeros((d, gammas.size))
    for i, g in enumerate(gammas):
        C[0, i] = g
        C[i + 1, i] = np.sqrt(1 - g * g)
    return v, C


def literal_taus(d: int, m_prime: int, samples: int, rng: np.random.Generator,
                 gammas: np.ndarray | None = None) -> np.ndarray:
    """tau for `samples` draws of m' uniform directions (plus fixed intrinsic ones), by projection."""
    gammas = np.zeros(0) if gammas is None else np.asarray(gammas, dtype=float)
    _check(d, m_prime, gammas.size)
    v, CI = intrinsic_basis(gammas, d)
    out = np.empty(samples)
    for s in range(samples):
        R = rng.standard_normal((d, m_prime))
        R /= np.linalg.norm(R, axis=0) if m_prime else 1.0
        C = np.hstack([CI, R])
        if C.shape[1] == 0:
            out[s] = 0.0
            continue
        Q, _ = np.linalg.qr(C)
        out[s] = float(np.sum((Q.T @ v) ** 2))
    return out


def exact_law_taus(d: int, m_prime: int, samples: int, rng: np.random.Generator, tau_I: float = 0.0,
                   n_intrinsic: int = 0) -> np.ndarray:
    """Draws of tau = tau_I + (1 - tau_I) Beta(m'/2, (d - |I| - m')/2), vectorised."""
    _check(d, m_prime, n_intrinsic)
    if not 0 <= tau_I <= 1:
        raise InputError(f"tau_I={tau_I!r} must lie in [0, 1].")
    rest = d - n_intrinsic - m_prime
    if m_prime == 0:
        return np.full(samples, tau_I)
    if rest == 0:
        return np.ones(samples)
    return tau_I + (1 - tau_I) * rng.beta(m_prime / 2, rest / 2, samples)


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo mean with a 99% normal-approximation confidence interval."""

    mean: float
    low: float
    high: float
    n: int

    def covers(self, x: float) -> bool:
        return self.low <= x <= self.high


def estimate(x: np.ndarray, z: float = 2.576) -> Estimate:
    x = np.asarray(x, dtype=float)
    half = z * float(np.std(x, ddof=1)) / np.sqrt(x.size) if x.size > 1 else float("inf")
    m = float(np.mean(x))
    return Estimate(m, m - half, m + half, int(x.size))

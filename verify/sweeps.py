"""Sweeps over the dimension d for the scaling claims (Cor 5.6, Prop 6.7, Rem 5.8, Section 5.1).

Each sweep returns plain numbers (d, Monte Carlo mean, 99% interval, ...) and the fitted log-log exponent,
so that a rate is judged by its slope over d = 2^4 .. 2^16, never at one d.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verify import packing as VK
from verify import random_subspace as VR
from verify.validate import InputError

__all__ = ["DIMENSIONS", "Series", "fit_exponent", "regime", "residual_model", "coherence_sweep",
           "angle_sweep", "near_orthogonality_sweep"]

DIMENSIONS = tuple(2**k for k in range(4, 17))


@dataclass(frozen=True)
class Series:
    """A quantity against d: means with 99% confidence intervals, and the theory value where one exists."""

    label: str
    d: tuple[int, ...]
    mean: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    theory: tuple[float, ...] | None = None

    def exponent(self, tail: int = 6) -> float:
        """Least-squares slope of log(mean) against log(d) over the last `tail` dimensions."""
        return fit_exponent(self.d[-tail:], self.mean[-tail:])


def fit_exponent(d, y) -> float:
    d, y = np.asarray(d, dtype=float), np.asarray(y, dtype=float)
    if np.any(y <= 0):
        raise InputError("a log-log exponent needs positive values.")
    return float(np.polyfit(np.log(d), np.log(y), 1)[0])


def _m_prime(kind: str, d: int) -> int:
    return {"fixed": 4, "sqrt": int(round(d**0.5)), "linear": d // 2}[kind]


def regime(kind: str, rng: np.random.Generator, tau_I: float = 0.0, n_intrinsic: int = 0,
           samples: int = 2000, dims=DIMENSIONS) -> Series:
    """E[tau - tau_0] against d for m' fixed (4), m' = d^(1/2) or m' = d/2, from the exact-law sampler."""
    mean, low, high, theory = [], [], [], []
    for d in dims:
        mp = _m_prime(kind, d)
        est = VR.estimate(VR.exact_law_taus(d, mp, samples, rng, tau_I, n_intrinsic) - tau_I)
        mean.append(est.mean)
        low.append(est.low)
        high.append(est.high)
        theory.append((1 - tau_I) * mp / (d - n_intrinsic))
    label = f"m' {kind}" + (f", tau_0 = {tau_I:g}" if tau_I else "")
    return Series(label, tuple(dims), tuple(mean), tuple(low), tuple(high), tuple(theory))


def residual_model(gamma: float, rng: np.random.Generator, samples: int = 4000, dims=DIMENSIONS) -> Series:
    """E|tau - tau_0| when the intrinsic direction carries a packing residual (Defs 5.1-5.2):
    c = (gamma v* + sqrt(1 - gamma^2) z)/|.|, z uniform on S^{d-1}, so <v*, c> -> gamma as d grows."""
    s = np.sqrt(1 - gamma * gamma)
    mean, low, high = [], [], []
    for d in dims:
        z1 = np.sqrt(rng.beta(0.5, (d - 1) / 2, samples)) * rng.choice([-1.0, 1.0], samples)
        overlap = (gamma + s * z1) / np.sqrt(1 + 2 * gamma * s * z1)
        est = VR.estimate(np.abs(overlap**2 - gamma * gamma))
        mean.append(est.mean)
        low.append(est.low)
        high.append(est.high)
    return Series(f"E|tau - tau_0|, gamma = {gamma:g}, residual on the intrinsic pair", tuple(dims), tuple(mean),
                  tuple(low), tuple(high))


def coherence_sweep(rng: np.random.Generator, ratio: int = 4, dims=tuple(2**k for k in range(4, 11))
                    ) -> tuple[Series, tuple[float, ...], tuple[float, ...]]:
    """Coherence of random packings of N = ratio * d vectors; with the Welch bound and sqrt(log N / d)."""
    mean, welch, ref = [], [], []
    for d in dims:
        N = ratio * d
        mean.append(VK.coherence(VK.random_packing(N, d, rng)))
        welch.append(float(np.sqrt((N - d) / (d * (N - 1)))))
        ref.append(float(np.sqrt(np.log(N) / d)))
    series = Series(f"random packing coherence, N = {ratio}d", tuple(dims), tuple(mean), tuple(mean), tuple(mean))
    return series, tuple(welch), tuple(ref)


def angle_sweep(rho: float, m_prime: int, rng: np.random.Generator, samples: int = 200,
                dims=tuple(2**k for k in range(4, 12))) -> Series:
    """E|theta(d) - theta_0| for two safety directions with correlation rho and m' random capabilities."""
    theta0 = float(np.arccos(rho))
    mean, low, high = [], [], []
    for d in dims:
        v1 = np.zeros(d)
        v1[0] = 1.0
        v2 = np.zeros(d)
        v2[0], v2[1] = rho, np.sqrt(1 - rho * rho)
        devs = []
        for _ in range(samples):
            C = rng.standard_normal((d, m_prime))
            Q, _ = np.linalg.qr(C)
            r1, r2 = v1 - Q @ (Q.T @ v1), v2 - Q @ (Q.T @ v2)
            u1, u2 = r1 / np.linalg.norm(r1), r2 / np.linalg.norm(r2)
            theta = 2 * np.arctan2(np.linalg.norm(u1 - u2), np.linalg.norm(u1 + u2))
            devs.append(abs(theta - theta0))
        est = VR.estimate(np.array(devs))
        mean.append(est.mean)
        low.append(est.low)
        high.append(est.high)
    return Series(f"E|theta(d) - theta_0|, rho = {rho:g}, m' = {m_prime}", tuple(dims), tuple(mean), tuple(low),
                  tuple(high))


def near_orthogonality_sweep(beta: float, rng: np.random.Generator, dims=tuple(2**k for k in range(4, 12)),
                             reps: int = 8) -> Series:
    """m mu for m = d^beta random unit capability directions (mu their coherence), averaged over `reps` draws."""
    vals = []
    for d in dims:
        m = max(2, int(round(d**beta)))
        vals.append(float(np.mean([m * VK.coherence(VK.random_packing(m, d, rng)) for _ in range(reps)])))
    return Series(f"m mu, m = d^{beta:g}", tuple(dims), tuple(vals), tuple(vals), tuple(vals))

"""Checks of the packing model: Section 5.1 (Welch bound, random packings, ETFs), Thm 5.4, Rem 5.8.

The formal statements (paper_checks/statements/packing.py) decide the verdicts; these checks give the
independent numeric route: the statements' formulas and defined quantities against the definitions computed
from vectors (projections by QR, coherences of actual frames), on geometries the statements' reductions do
not cover (general N and d, high-dimensional packings).  Every formula is read from the statement.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from paper_checks.checks.common import rng_for, wilson
from paper_checks.definitions import DEFINITIONS
from paper_checks.checks import notation as nt
from paper_checks.text import Text
from paper_checks.finding import AuditConfig, Evidence, Method
from paper_checks.statements import packing as SP
from verify import packing as VK
from verify import random_subspace as VR
from verify import sweeps as SW

__all__ = ["welch_formula", "bound_9_formula", "packing_tax_formula", "pair_tail_formula", "check_sec_5_1",
           "check_sec_5_1_random", "check_thm_5_4", "check_rem_5_8", "welch_violations", "simplex_gap",
           "packing_tax_gap", "pair_tail_misses", "bound_9_violations"]


# --------------------------------------------------------------------------------------------- formulas read
# from the statements (the paper's formula is typed once, there) and from the registered closed forms


def welch_formula() -> Callable[[float, float], float]:
    """The Welch bound as the statement of Section 5.1 prints it, as a function of (N, d)."""
    return sp.lambdify((SP.N, SP.d), SP.SEC_5_1.conclusion.rhs, "numpy")


def bound_9_formula() -> Callable[..., float]:
    """Eq. (9)'s right side as the statement of Thm 5.4 prints it, in (tau_0, m, m', gamma_bar, |I|, mu)."""
    return sp.lambdify((SP.tau_0, SP.m, SP.m_p, SP.gamma_bar, SP.n_I, SP.mu), SP.THM_5_4.conclusion.rhs, "numpy")


def packing_tax_formula() -> Callable[[float, float, float], float]:
    """The closed form of ``PackingTax`` the statement search uses (derived in derive/packing.py)."""
    x, y, z = sp.symbols("x y z", real=True)
    return sp.lambdify((x, y, z), DEFINITIONS["PackingTax"].closed_form(x, y, z), "numpy")


# --------------------------------------------------------------------------------------------- Section 5.1


def welch_violations(welch: Callable[[float, float], float], rng: np.random.Generator, n: int) -> tuple[int, int]:
    """Random packings (d = 2..39, N = d+1..4d+1) whose coherence lies below ``welch(N, d)``; and how many tried.

    Random packings sit well above the bound, so the check is weak on its own; ``simplex_gap`` is the tight one."""
    below = 0
    for _ in range(n):
        d = int(rng.integers(2, 40))
        N = int(rng.integers(d + 1, 4 * d + 2))
        below += VK.coherence(VK.random_packing(N, d, rng)) < float(welch(N, d)) - 1e-12
    return below, n


def simplex_gap(welch: Callable[[float, float], float], frame: Callable[[int], np.ndarray] = VK.simplex_frame,
                dims: tuple[int, ...] = (2, 3, 5, 8, 13, 64)) -> float:
    """max over d of |coherence(regular simplex in R^d) - welch(d + 1, d)|: an ETF attains the bound."""
    return max(abs(VK.coherence(frame(d)) - float(welch(d + 1, d))) for d in dims)


def check_sec_5_1(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rng = rng_for(cfg.seed, "sec-5.1")
    welch = welch_formula()
    below, n = welch_violations(welch, rng, cfg.samples)
    ev.confirm(f"{n} random packings (d = 2..39, N = d+1..4d+1): none below the statement's Welch bound ({below} "
               "violations)", below == 0, Method.HIGH_PRECISION)
    gap = simplex_gap(welch)
    ev.confirm(f"the regular simplex (an ETF, N = d + 1) attains the statement's Welch bound for d in 2..64 to "
               f"{gap:.1e}", gap < 1e-12, Method.HIGH_PRECISION)
    series, welch_s, ref = SW.coherence_sweep(rng, dims=(16, 64, 256))
    ratio = np.array(series.mean) / np.array(ref)
    ev.note(Text.of("the rate of ", nt.mu, " for random packings (its formal statement is sec-5.1.random): random "
                    "packings with ", sp.Eq(nt.N, 4 * nt.d), " and d from 16 to 256 give ",
                    sp.Contains(nt.mu / sp.sqrt(sp.log(nt.N) / nt.d), sp.Interval(
                        round(float(ratio.min()), 2), round(float(ratio.max()), 2)), evaluate=False)))
    return ev


def pair_tail_formula() -> Callable[[float, float], float]:
    """The closed form of ``PairTail`` the statement search uses, in floats (SciPy's regularised incomplete beta;
    SymPy's mpmath printer mis-evaluates betainc_regularized, so not mpmath)."""
    dim, t = sp.symbols("d t", positive=True)
    return sp.lambdify((dim, t), DEFINITIONS["PairTail"].closed_form(dim, t), "scipy")


def pair_tail_misses(tail: Callable[[float, float], float], rng: np.random.Generator, n: int,
                     dims: tuple[int, ...] = (2, 3, 7, 30), ts: tuple[float, ...] = (0.1, 0.3, 0.6)) -> tuple[int, int]:
    """How many (d, t) have ``tail(d, t)`` outside the Wilson interval of the fraction of ``n`` pairs of independent
    uniform unit vectors (normalised Gaussians) with |<f, g>| >= t; and how many were tried.  z = 4.5: all 12
    intervals cover together with probability above 99.9%, counts of a few events included."""
    misses = 0
    for dim in dims:
        f, g = rng.standard_normal((2, n, dim))
        ip = np.abs(np.einsum("nd,nd->n", f, g)) / (np.linalg.norm(f, axis=1) * np.linalg.norm(g, axis=1))
        for t in ts:
            lo, hi = wilson(int(np.sum(ip >= t)), n, 4.5)
            misses += not lo <= float(tail(dim, t)) <= hi
    return misses, len(dims) * len(ts)


def check_sec_5_1_random(cfg: AuditConfig) -> Evidence:
    """PairTail's closed form (the exact Beta(1/2, (d - 1)/2) law) against pairs of random unit vectors."""
    ev = Evidence()
    n = 1000 * cfg.samples
    misses, tried = pair_tail_misses(pair_tail_formula(), rng_for(cfg.seed, "sec-5.1.random"), n)
    ev.confirm(f"PairTail(d, t) inside the z = 4.5 Wilson interval of the fraction of {n} random pairs with "
               f"|<f, g>| >= t, at {tried} (d, t), d = 2..30: {misses} outside", misses == 0, Method.HIGH_PRECISION)
    return ev


# --------------------------------------------------------------------------------------------- Thm 5.4


def packing_tax_gap(closed: Callable[[float, float, float], float], rng: np.random.Generator, n: int) -> float:
    """max |tau by QR projection - closed(x, y, z)| over ``n`` random (v*, c_1, c_2) in R^d, d = 3..40."""
    worst = 0.0
    for _ in range(n):
        d = int(rng.integers(3, 41))
        V = rng.standard_normal((d, 3))
        V /= np.linalg.norm(V, axis=0)
        v, C = V[:, 0], V[:, 1:]
        Q, _ = np.linalg.qr(C)
        tau = float(np.sum((Q.T @ v) ** 2))
        worst = max(worst, abs(tau - float(closed(v @ C[:, 0], v @ C[:, 1], C[:, 0] @ C[:, 1]))))
    return worst


def bound_9_violations(bound: Callable[..., float], rng: np.random.Generator, n: int) -> tuple[int, int]:
    """Packings in R^d (d = 512..2048) with intrinsic pairs carrying residuals and mu over every pair's residual
    (the corrected reading): how many break ``bound``, among those with m mu < 1."""
    bad = total = 0
    for _ in range(n):
        d = int(rng.choice([512, 1024, 2048]))
        gammas = rng.uniform(-0.6, 0.6, int(rng.integers(1, 3)))
        v_, CI = VR.intrinsic_basis(gammas, d)
        CI = CI + rng.standard_normal(CI.shape) / np.sqrt(d) * 0.3          # packing residuals
        CI /= np.linalg.norm(CI, axis=0)
        m_p = int(rng.integers(1, 4))
        CR = rng.standard_normal((d, m_p))
        CR /= np.linalg.norm(CR, axis=0)
        C = np.hstack([CI, CR])
        G = np.abs(C.T @ C - np.eye(C.shape[1]))
        eps = np.concatenate([np.abs(v_ @ CI - gammas), np.abs(v_ @ CR)])
        mu_all = float(max(G.max(), eps.max()))
        m = C.shape[1]
        if m * mu_all >= 1:
            continue
        _, R = VK.packing_residual(v_, C, np.concatenate([gammas, np.zeros(m_p)]))
        b9 = float(bound(float(np.sum(gammas**2)), m, m_p, float(np.abs(gammas).max()), gammas.size, mu_all))
        bad += abs(R) > b9 + 1e-12
        total += 1
    return bad, total


def check_thm_5_4(cfg: AuditConfig) -> Evidence:
    """The defined quantity PackingTax against projections; eq. (9) on high-dimensional packings, corrected mu."""
    ev = Evidence()
    rng = rng_for(cfg.seed, "thm-5.4")
    gap = packing_tax_gap(packing_tax_formula(), rng, cfg.samples)
    ev.confirm(f"PackingTax(x, y, z) = ||P_C v*||^2 by QR projection on {cfg.samples} random (v*, c_1, c_2) in "
               f"R^3..R^40, to {gap:.1e}", gap < 1e-12, Method.HIGH_PRECISION)
    bad, total = bound_9_violations(bound_9_formula(), rng, cfg.samples // 2)
    ev.confirm(f"the statement's eq. (9) with mu over every pair's residual (the corrected reading), on {total} "
               f"packings in d = 512..2048 with m <= 5: {bad} violations", total > 0 and bad == 0,
               Method.HIGH_PRECISION)
    ev.note(Text.of("rate (10) keeps the term ", nt.gamma_bar * nt.size_I * sp.sqrt(sp.log(nt.N) / nt.d),
                    ": with intrinsic overlap ", nt.R, " is of order ", nt.d ** sp.Rational(-1, 2), ", not ",
                    nt.mp / nt.d,
                    " (see cor-5.6 and abstract-rate)"))
    return ev


# --------------------------------------------------------------------------------------------- Rem 5.8


def check_rem_5_8(cfg: AuditConfig) -> Evidence:
    """The premise mu ~ sqrt(log d / d) for random capabilities, on samples (the statement's majorant is exact)."""
    ev = Evidence()
    rng = rng_for(cfg.seed, "rem-5.8")
    dims = (64, 256, 1024)
    low = SW.near_orthogonality_sweep(0.25, rng, dims, reps=4)
    high = SW.near_orthogonality_sweep(0.75, rng, dims, reps=2)
    e_low, e_high = low.exponent(3), high.exponent(3)
    ev.confirm(f"random capabilities, d = 64..1024: m mu with m = d^0.25 has fitted exponent {e_low:.2f} (< 0: "
               f"tends to 0); with m = d^0.75, {e_high:.2f} (> 0: grows), as beta - 1/2 predicts (up to sqrt(log d))",
               e_low < 0 < e_high, Method.HIGH_PRECISION)
    return ev

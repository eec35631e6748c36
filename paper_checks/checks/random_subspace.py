"""Checks of the random-capability results: Prop 5.5, Cor 5.6, Prop 6.7, Section 7.2, the abstract's rate."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from scipy import stats

from derive import random_subspace as DR
from paper_checks.checks.common import rng_for
from paper_checks.finding import AuditConfig, Certified, Counterexample, Evidence, Method
from verify import random_subspace as VR
from verify import sweeps as SW

# (d, m', gammas): without and with intrinsic directions; small d included.
_CONFIGS = ((8, 3, ()), (64, 16, ()), (64, 8, (0.5,)), (3, 1, (0.5,)), (128, 32, (0.6, -0.3)))


def _validate_sampler(ev: Evidence, cfg: AuditConfig, claim: str) -> None:
    """The exact-law sampler agrees with the literal model (KS test and means) before it is trusted."""
    rng = rng_for(cfg.seed, claim + "/sampler")
    worst_p, covered = 1.0, 0
    n = 100 * cfg.samples
    for d, mp, gammas in _CONFIGS:
        g = np.array(gammas)
        lit = VR.literal_taus(d, mp, n, rng, g)
        _, CI = VR.intrinsic_basis(g, d)
        tau_I = float(np.linalg.norm(np.linalg.lstsq(CI, np.eye(d)[0], rcond=None)[0] @ CI.T) ** 2) if g.size else 0.0
        fast = VR.exact_law_taus(d, mp, n, rng, tau_I, g.size)
        worst_p = min(worst_p, stats.ks_2samp(lit, fast).pvalue)
        covered += VR.estimate(lit).covers(float(DR.expected_tax(mp, d, tau_I, g.size)))
    ev.confirm(f"literal sampler (uniform directions, QR projection) vs exact-law sampler on {len(_CONFIGS)} "
               f"configurations (d = 3..128, with and without intrinsic directions), {n} draws each: smallest KS "
               f"p-value {worst_p:.3f}; exact expectation inside the literal sampler's 99% interval {covered}/"
               f"{len(_CONFIGS)}", worst_p > 1e-3 and covered == len(_CONFIGS), Method.HIGH_PRECISION)


def check_prop_5_5(cfg: AuditConfig) -> Evidence:
    """Eq. (11); 'the leading packing term m'/d is exact in expectation'."""
    ev = Evidence()
    _validate_sampler(ev, cfg, "prop-5.5")
    d, k, g, mp = 3, 1, Fraction(1, 2), 1
    exact = DR.expected_tax(sp.Integer(mp), sp.Integer(d), sp.Rational(g**2), k)
    printed = sp.Rational(g**2) + sp.Rational(mp, d)
    if exact != printed:
        ev.counterexample = Counterexample(
            {"d": str(d), "gamma_1": str(g), "m_prime": str(mp)}, f"E tau = tau_0 + m'/d = {printed}",
            f"E tau = tau_0 + (1 - tau_0) m'/(d - |I|) = {exact} exactly (Beta law of the random part in C_I^perp)",
            Certified.EXACT)
        ev.conditions = ("no intrinsic directions (I empty, tau_0 = 0): then E tau = m'/d exactly. With intrinsic "
                         "directions the packing term is (1 - tau_0) m'/(d - |I|), to leading order (1 - tau_0) m'/d")
        ev.correction = "E tau = tau_0 + (1 - tau_0) m'/(d - |I|) (intrinsic directions orthonormal, overlaps exact)"
    rng = rng_for(cfg.seed, "prop-5.5/mc")
    lit = VR.literal_taus(d, mp, 200 * cfg.samples, rng, np.array([float(g)]))
    est = VR.estimate(lit)
    ev.correction_verified = ev.confirm(
        f"literal Monte Carlo at the counterexample, {est.n} draws: mean {est.mean:.4f}, 99% interval "
        f"[{est.low:.4f}, {est.high:.4f}] covers {float(exact):.4f} and excludes the printed {float(printed):.4f}",
        est.covers(float(exact)) and not est.covers(float(printed)), Method.HIGH_PRECISION)
    return ev


def check_cor_5_6(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rng = rng_for(cfg.seed, "cor-5.6")
    fixed = SW.regime("fixed", rng)
    sqrt_ = SW.regime("sqrt", rng)
    linear = SW.regime("linear", rng)
    fixed_i = SW.regime("fixed", rng, tau_I=0.25, n_intrinsic=1)
    e1, e2, e1i = fixed.exponent(), sqrt_.exponent(), fixed_i.exponent()
    ev.confirm(f"exact-law sweeps d = 2^4..2^16 (exact intrinsic overlaps): E[tau - tau_0] exponent {e1:.3f} for m' "
               f"fixed (claimed rate log d/d), {e2:.3f} for m' = d^(1/2) (claimed d^(beta-1) log d), {e1i:.3f} with "
               f"tau_0 = 1/4; m' = d/2 stays at {linear.mean[-1]:.3f} (Theta(1))",
               e1 < -0.95 and -0.6 < e2 < -0.4 and e1i < -0.95 and abs(linear.mean[-1] - 0.5) < 0.01,
               Method.HIGH_PRECISION)
    covered = sum(lo <= t <= hi for s in (fixed, sqrt_, linear, fixed_i)
                  for lo, t, hi in zip(s.low, s.theory, s.high))
    ev.confirm(f"the exact expectation (1 - tau_0) m'/(d - |I|) inside the 99% intervals at {covered}/"
               f"{4 * len(fixed.d)} sweep points", covered >= 4 * len(fixed.d) - 2, Method.HIGH_PRECISION)
    _residual_counterexample(ev, rng, "regime 1: tau -> tau_0 at rate O(log d / d)", "log(d)/d",
                             "rates (1)-(2) hold for E[tau - tau_0], and for tau itself when tau_0 = 0 or the "
                             "intrinsic overlaps carry no packing residual; otherwise tau - tau_0 = Theta(d^(-1/2)), "
                             "as eq. (11)'s own term gamma_bar sqrt(|I| log d / d) allows")
    return ev


def _residual_counterexample(ev: Evidence, rng: np.random.Generator, claimed: str, rate: str,
                             conditions: str) -> None:
    """An exact family in d: v* = e1, intrinsic c1 = (gamma + d^(-1/2)) e1 + sqrt(1 - (.)^2) e2 with gamma = 1/2
    (so <v*, c1> -> gamma: Def 5.1 holds, with a residual of packing size) and incidental c2 = e3 (m' = 1).
    R(d) = tau - tau_0 exactly; the claim's rate fails if R / rate -> oo (SymPy limit).  The random residual
    model's fitted exponent is reported beside it."""
    dd = sp.Symbol("d", positive=True)
    g = sp.Rational(1, 2)
    R = sp.expand((g + 1 / sp.sqrt(dd)) ** 2 - g**2)
    ratio = sp.limit(R / sp.sympify(rate, locals={"d": dd}), dd, sp.oo)
    e_r = SW.residual_model(0.5, rng).exponent()
    if ratio == sp.oo:
        ev.counterexample = Counterexample(
            {"gamma_1": "1/2", "eps_1": "d^(-1/2)", "m_prime": "1", "family": "v*=e1, c1=(gamma+eps) e1+..., c2=e3"},
            claimed, f"R(d) = {R} exactly, and R(d) / ({rate}) -> oo (SymPy limit); in the random residual model "
            f"E|tau - tau_0| has fitted exponent {e_r:.2f} over d = 2^4..2^16", Certified.EXACT)
        ev.conditions = conditions


def check_prop_6_7(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rng = rng_for(cfg.seed, "prop-6.7")
    s = SW.angle_sweep(0.3, 4, rng, samples=max(40, 4 * cfg.samples))
    e = s.exponent(5)
    ev.sampled = True          # the fluctuation order sqrt(m')/d is measured, not derived
    ev.confirm(f"theta(d) for rho = 0.3, m' = 4 random capabilities, d = 16..2048: E|theta - theta_0| has fitted "
               f"exponent {e:.2f} <= -1 + 0.15, consistent with O(m'/d)", e < -0.85, Method.HIGH_PRECISION)
    zero = SW.angle_sweep(1.0, 4, rng, samples=20, dims=(16, 256))
    ev.confirm(f"theta_0 = 0 (v1* = v2*): theta(d) = 0 for every draw (largest {max(zero.mean):.1e}), so no "
               "degradation at the boundary for identical objectives", max(zero.mean) < 1e-6, Method.HIGH_PRECISION)
    return ev


def check_sec_7_2(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rng = rng_for(cfg.seed, "sec-7.2")
    lit = VR.literal_taus(4096, 8, 20 * cfg.samples, rng)
    est = VR.estimate(lit)
    ev.confirm(f"literal Monte Carlo (random rank-8 U in d = 4096, {est.n} draws): 99% interval "
               f"[{est.low:.5f}, {est.high:.5f}] covers r/d = {8 / 4096:.5f}", est.covers(8 / 4096),
               Method.HIGH_PRECISION)
    ev.note("'consistent with the within 1% empirical finding' is empirical, not checked")
    return ev


def check_abstract_rate(cfg: AuditConfig) -> Evidence:
    """'a packing residual that vanishes as O(m'/d)'."""
    ev = Evidence()
    rng = rng_for(cfg.seed, "abstract-rate")
    expect = SW.regime("fixed", rng, tau_I=0.25, n_intrinsic=1)
    ev.confirm(f"in expectation it holds: E R = (1 - tau_0) m'/(d - |I|), fitted exponent {expect.exponent():.3f}",
               expect.exponent() < -0.95, Method.HIGH_PRECISION)
    _residual_counterexample(ev, rng, "the packing residual R(d) = tau - tau_0 vanishes as O(m'/d)", "1/d",
                             "in expectation, or when the intrinsic overlaps carry no packing residual; in general "
                             "R = O(m'/d + gamma_bar |I| sqrt(log d / d)), as Thm 5.4's (10) has it")
    return ev

"""Exact laws for random capability directions: Prop 5.5, Cor 5.6, Rem 5.8, Section 7.2, the abstract's rate.

For a uniformly random m-dimensional subspace U of R^d and a fixed unit v, ||P_U v||^2 has the law of
||P_{E_m} u||^2 for u uniform on the sphere (rotation invariance), i.e. (g_1^2 + ... + g_m^2)/(g_1^2 + ... + g_d^2)
for a standard Gaussian g: Beta(m/2, (d - m)/2).  m' independent uniform directions span such a U almost
surely.  With intrinsic directions C_I present, the random ones project onto a uniformly random
m'-dimensional subspace of C_I^perp (dimension d - |I|), so
    E tau = tau_I + (1 - tau_I) m' / (d - |I|),   tau_I = ||P_{C_I} v*||^2.
"""
from __future__ import annotations

import functools

import sympy as sp

from derive.core import Derivation, Op, Rule, Start, Step

NEW = Start.DEFINITION

__all__ = ["beta_mean", "beta_variance", "expected_tax", "subspace_law", "intrinsic_expectation",
           "lora_overlap", "self_consistency", "angle_mean_shift"]

d = sp.Symbol("d", positive=True)
m = sp.Symbol("m", positive=True)
tau_I = sp.Symbol("tau_I", nonnegative=True)
k = sp.Symbol("k", nonnegative=True)          # |I|
beta = sp.Symbol("beta", positive=True)
pa, pb = sp.symbols("a b", positive=True)


def beta_mean(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    return a / (a + b)


def beta_variance(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    return a * b / ((a + b) ** 2 * (a + b + 1))


def expected_tax(m_prime: sp.Expr, dim: sp.Expr, tau_i: sp.Expr = 0, n_intrinsic: sp.Expr = 0) -> sp.Expr:
    """E tau with |I| = n_intrinsic intrinsic directions (tau_I = tau_i) and m' random ones."""
    return tau_i + (1 - tau_i) * m_prime / (dim - n_intrinsic)


@functools.lru_cache(maxsize=None)
def subspace_law() -> Derivation:
    """Mean m/d and variance 2m(d-m)/(d^2(d+2)) of ||P_U v||^2 ~ Beta(m/2, (d-m)/2)."""
    A, Bq = m / 2, (d - m) / 2
    steps = (
        Step("beta-first-moment", (sp.beta(pa + 1, pb) / sp.beta(pa, pb)).rewrite(sp.gamma), pa / (pa + pb),
             "E X = B(a+1, b)/B(a, b) = a/(a+b) for X ~ Beta(a, b)", start=NEW),
        Step("beta-second-moment", (sp.beta(pa + 2, pb) / sp.beta(pa, pb)).rewrite(sp.gamma),
             pa * (pa + 1) / ((pa + pb) * (pa + pb + 1)), "E X^2 = a(a+1)/((a+b)(a+b+1))", start=NEW),
        Step("variance", pa * (pa + 1) / ((pa + pb) * (pa + pb + 1)) - (pa / (pa + pb)) ** 2,
             beta_variance(pa, pb), "Var X = E X^2 - (E X)^2", start=NEW),
        Step("mean-m-over-d", sp.Subs(beta_mean(pa, pb), (pa, pb), (A, Bq)), m / d, "a = m/2, b = (d-m)/2: E ||P_U v||^2 = m/d exactly", start=NEW),
    )
    result = Step("variance-law", sp.Subs(beta_variance(pa, pb), (pa, pb), (A, Bq)), 2 * m * (d - m) / (d**2 * (d + 2)),
                  "Var ||P_U v||^2 = 2m(d-m)/(d^2(d+2)): the standard deviation is about sqrt(2m)/d", start=NEW)
    return Derivation("prop-5.5", "Exact law of ||P_C v*||^2 for m' random directions", (
        "C spanned by m' = m independent uniform unit vectors (a uniformly random m-dim subspace a.s.)",
        "v* a fixed unit vector; 0 < m < d"), steps, result, domain=(sp.Lt(m, d),))


@functools.lru_cache(maxsize=None)
def intrinsic_expectation() -> Derivation:
    """E tau = tau_I + (1 - tau_I) m'/(d - |I|): eq. (11)'s m'/d is exact only without intrinsic directions."""
    steps = (
        Step("decompose", expected_tax(m, d, tau_I, k), tau_I + (1 - tau_I) * beta_mean(m / 2, (d - k - m) / 2),
             "tau = tau_I + ||P_W P_{C_I^perp} v*||^2 with W uniform of dimension m' in C_I^perp (dim d - |I|),"
             " and ||P_{C_I^perp} v*||^2 = 1 - tau_I", start=NEW),
        Step("gap-to-printed", expected_tax(m, d, tau_I, k) - (tau_I + m / d), m * (k - tau_I * d) / (d * (d - k)),
             "E tau - (tau_0 + m'/d) = m'(|I| - tau_0 d)/(d (d - |I|)), zero iff |I| = tau_0 d (e.g. no intrinsic"
             " directions); to leading order it is -tau_0 m'/d", start=NEW),
        Step("leading-order", sp.Limit(d * (expected_tax(m, d, tau_I, k) - tau_I), d, sp.oo), (1 - tau_I) * m,
             "d (E tau - tau_0) -> (1 - tau_0) m': the packing term is (1 - tau_0) m'/d, not m'/d", start=NEW),
    )
    result = Step("no-intrinsic", sp.Subs(expected_tax(m, d, tau_I, k), (tau_I, k), (0, 0)), m / d, "with I empty: E tau = m'/d exactly, as printed", start=NEW)
    return Derivation("prop-5.5.expectation", "Exact expectation of tau with intrinsic directions", (
        "|I| intrinsic directions with tau_I = ||P_{C_I} v*||^2 (= sum gamma_i^2 when they are orthonormal)",
        "m' independent uniform directions, m' < d - |I|"), steps, result, domain=(sp.Lt(m + k, d),))


@functools.lru_cache(maxsize=None)
def lora_overlap() -> Derivation:
    """Section 7.2: E <c_j, P_U c_j> = r/d; r = 8, d = 4096 gives 0.195%."""
    r = sp.Symbol("r", positive=True)
    steps = (
        Step("mean", sp.Subs(beta_mean(pa, pb), (pa, pb), (r / 2, (d - r) / 2)), r / d, "<c, P_U c> = ||P_U c||^2 ~ Beta(r/2, (d-r)/2)", start=NEW),
        Step("value", sp.Subs(r / d, (r, d), (8, 4096)), sp.Rational(1, 512), "r = 8, d = 4096: 8/4096 = 1/512", start=NEW),
    )
    result = Step("about-0.2-percent", (sp.Rational(1, 512) - sp.Rational(2, 1000)) ** 2, sp.Rational(1, 10000) ** 2,
                  "1/512 = 0.1953% is 0.2% to within 0.01 percentage points", Op.LT, start=NEW)
    return Derivation("sec-7.2", "Section 7.2: expected overlap with a random rank-r subspace", (
        "U a uniformly random r-dimensional subspace (or c_j uniform), 0 < r < d",), steps, result,
        domain=(sp.Lt(r, d),))


@functools.lru_cache(maxsize=None)
def self_consistency() -> Derivation:
    """Rem 5.8: d^beta sqrt(log d / d) -> 0 iff beta < 1/2."""
    dd = sp.Symbol("d", positive=True)
    gap = sp.Symbol("gamma", positive=True)           # 1/2 - beta > 0: every beta < 1/2 at once
    steps = (
        Step("exponents", dd**beta * sp.sqrt(sp.log(dd) / dd), dd ** (beta - sp.Rational(1, 2)) * sp.sqrt(sp.log(dd)),
             "d^beta sqrt(log d / d) = d^(beta - 1/2) sqrt(log d) (d > 1, so log d > 0)", start=NEW),
        Step("at-half", sp.Limit(1 / sp.sqrt(sp.log(dd)), dd, sp.oo), 0,
             "beta = 1/2: 1/sqrt(log d) -> 0, i.e. sqrt(log d) diverges, so the condition fails at beta = 1/2 itself", start=NEW),
        Step("random-expectation", sp.Subs(beta_mean(pa, pb), (pa, pb), (m / 2, (d - m) / 2)), m / d,
             "the 'direct analysis' needs no Marchenko-Pastur law: E ||P_C v*||^2 = m'/d exactly, -> 0 iff m' = o(d)", start=NEW),
    )
    result = Step("below-half", sp.Limit(dd ** (-gap) * sp.sqrt(sp.log(dd)), dd, sp.oo), 0,
                  "every beta < 1/2 (beta = 1/2 - gamma, gamma > 0): d^(-gamma) sqrt(log d) -> 0, a negative power"
                  " beats sqrt(log d)", start=NEW)
    return Derivation("rem-5.8", "Remark 5.8: self-consistency of near-orthogonality", (
        "m = d^beta, mu of order sqrt(log d / d)", "d > 1"), steps, result, domain=(sp.Gt(dd, 1),))


@functools.lru_cache(maxsize=None)
def angle_mean_shift() -> Derivation:
    """Prop 6.7: with m' random capabilities the O(m'/d) mean shifts of eq. (15) cancel to first order."""
    rho = sp.Symbol("rho", real=True)
    q = sp.Symbol("q", positive=True)             # 1 - m'/d > 0
    steps = (
        Step("expected-terms", sp.Subs(beta_mean(pa, pb), (pa, pb), (m / 2, (d - m) / 2)), m / d,
             "E tau_i = m'/d and E <P_C v1*, P_C v2*> = rho m'/d (rotation invariance: E P_C = (m'/d) I)", start=NEW),
        Step("cancel", (rho - rho * (1 - q)) / sp.sqrt(q * q), rho,
             "with the expectations plugged into eq. (15) the shift cancels: cos theta stays rho to first order,"
             " so theta(d) - theta_0 comes from fluctuations of order sqrt(m')/d <= m'/d", start=NEW),
    )
    result = Step("identical-objectives", sp.Subs((rho - rho * (1 - q)) / sp.sqrt(q * q), rho, 1), 1,
                  "v1* = v2* (theta_0 = 0): the projections stay parallel, theta(d) = 0 exactly", start=NEW)
    return Derivation("prop-6.7", "Proposition 6.7: the capability-mediated angle under random capabilities", (
        "I empty; m' random capabilities; q = 1 - m'/d > 0",), steps, result)

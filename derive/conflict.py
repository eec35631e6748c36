"""When capability preservation helps or hurts: Thm 6.4 (i)-(iii), with the effective correlation
C(c) = (rho - ab)/D, D = sqrt((1 - a^2)(1 - b^2)).

Part (i) is proved here under the condition that makes it true: with ab < 0,
C(c) - rho = (rho - ab - rho D)/D, which is positive for rho >= 0 but not for every negative rho.
Without loss of generality a > 0 > b (swap v1*, v2*, or replace c by -c); b = -beta.
"""
from __future__ import annotations

import functools

import sympy as sp

from derive.core import Derivation, Op, Rule, Start, Step

NEW = Start.DEFINITION

__all__ = ["effective_correlation", "opposite_signs", "equal_projections", "suppressor_example"]

rho = sp.Symbol("rho", real=True)
a = sp.Symbol("a", positive=True)
beta = sp.Symbol("beta", positive=True)
D = sp.Symbol("D", positive=True)
r_nn = sp.Symbol("rho", nonnegative=True)
e = sp.Symbol("e", nonnegative=True)          # 1 - rho >= 0
q = sp.Symbol("q", positive=True)             # 1 - a^2 > 0


def effective_correlation(rho_: sp.Expr, a_: sp.Expr, b_: sp.Expr) -> sp.Expr:
    """C(c) = cos(theta) of eq. (12)."""
    return (rho_ - a_ * b_) / sp.sqrt((1 - a_**2) * (1 - b_**2))


@functools.lru_cache(maxsize=None)
def opposite_signs() -> Derivation:
    """(i) corrected: ab < 0 and rho >= 0 give C(c) > rho; the exact condition is rho (1 - D) > ab."""
    b = -beta
    Cc = (r_nn - a * b) / D
    steps = (
        Step("paper-first-step", r_nn, r_nn - a * b, "rho - ab > rho since ab < 0 (the paper's proof)",
             Op.LT, witness=a * beta, start=NEW),
        Step("paper-second-step", D, 1, "D = sqrt((1-a^2)(1-b^2)) < 1 when a, b != 0 (the paper's proof)",
             Op.LT, witness=(a**2 + beta**2 * q) / (1 + D), start=NEW),
        Step("exact-gap", Cc - r_nn, (r_nn * (1 - D) - a * b) / D,
             "C(c) - rho = (rho (1 - D) - ab)/D: positive iff rho (1 - D) > ab. Dividing rho - ab by D < 1"
             " increases it only if rho - ab > 0, which the paper's proof assumes", start=NEW),
    )
    result = Step("nonnegative-rho", r_nn, Cc, "for rho >= 0 the gap is (rho (1 - D) + a beta)/D > 0, as"
                  " 1 - D = (a^2 + beta^2 (1 - a^2))/(1 + D) > 0", Op.LT,
                  witness=(r_nn * (a**2 + beta**2 * q) / (1 + D) + a * beta) / D, start=NEW)
    return Derivation("thm-6.4.i", "Theorem 6.4 (i), under rho >= 0", (
        "a > 0 > b = -beta (any opposite signs, by symmetry)", "|a|, |b| < 1, Gram matrix PSD",
        "rho >= 0 (the condition the paper's proof needs)"), steps, result,
        relations=(D**2 - (1 - a**2) * (1 - beta**2), q - (1 - a**2)), domain=(sp.Lt(a, 1), sp.Lt(beta, 1)))


@functools.lru_cache(maxsize=None)
def equal_projections() -> Derivation:
    """(ii) a = b: C(c) = (rho - a^2)/(1 - a^2) <= rho, because rho <= 1."""
    rr = 1 - e
    Cc = (rr - a**2) / q
    steps = (
        Step("symmetric-D", (1 - a**2) * (1 - a**2), q**2,
             "a = b: D^2 = (1 - a^2)^2, so D = q = 1 - a^2 and C(c) = (rho - a^2)/(1 - a^2)", start=NEW),
        Step("gap", rr - Cc, a**2 * e / q, "rho - C(c) = a^2 (1 - rho)/(1 - a^2)", start=NEW),
    )
    result = Step("weakly-worse", Cc, rr, "C(c) <= rho, equality iff a = 0 or rho = 1", Op.LE,
                  witness=a**2 * e / q, start=NEW)
    return Derivation("thm-6.4.ii", "Theorem 6.4 (ii)", ("a = b, |a| < 1", "rho <= 1 (rho = 1 - e)"),
                      steps, result, relations=(q - (1 - a**2),), domain=(sp.Lt(a, 1),))


@functools.lru_cache(maxsize=None)
def suppressor_example() -> Derivation:
    """(iii) the printed example rho = 0.99, a = 0.1, b = 0.001, in exact rationals."""
    r_, a_, b_ = sp.Rational(99, 100), sp.Rational(1, 10), sp.Rational(1, 1000)
    Dsq = (1 - a_**2) * (1 - b_**2)
    det = 1 + 2 * r_ * a_ * b_ - r_**2 - a_**2 - b_**2
    steps = (
        Step("realisable", 0, det, "the Gram matrix of (rho, a, b) is positive definite", Op.LT, witness=det, start=NEW),
        Step("exceeds-rho", r_**2 * Dsq, (r_ - a_ * b_)**2,
             "C(c) > rho <=> (rho - ab)^2 > rho^2 D^2 (both sides positive)", Op.LT,
             witness=(r_ - a_ * b_)**2 - r_**2 * Dsq, start=NEW),
        Step("about-0.995", (effective_correlation(r_, a_, b_) - sp.Rational(995, 1000))**2,
             sp.Rational(1, 2000)**2, "C(c) = 0.99489... is 0.995 to within 0.0005", Op.LT, start=NEW),
    )
    result = Step("suppressor", r_, effective_correlation(r_, a_, b_),
                  "same-sign, unequal projections: C(c) > rho", Op.LT, start=NEW)
    return Derivation("thm-6.4.iii", "Theorem 6.4 (iii): the printed example", ("exact rationals",),
                      steps, result)

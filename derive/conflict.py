"""When capability preservation helps or hurts: Thm 6.4 (i)-(iii), with the effective correlation
C(c) = cos(theta), the defined ProjectedCos (closed form ``derive.safety_pair.projected_cos``).

Part (i) is proved here under the condition that makes it true: with ab < 0 and D = ||v~_1|| ||v~_2||,
C(c) - rho = (rho - ab - rho D)/D, which is positive for rho >= 0 but not for every negative rho.
Without loss of generality a > 0 > b (swap v1*, v2*, or replace c by -c); b = -beta.

Parts (ii) and (iii) read their formal statements (handed in by ``paper_checks.registry``): the statement's
domain and hypotheses are the derivation's, and the chain runs from the closed form of C(c) to the
statement's own conclusion.
"""
from __future__ import annotations

import functools
from typing import Any

import sympy as sp

from derive.core import Derivation, Op, Rule, Start, Step
from derive.safety_pair import domain_of, gram_one, projected_cos, residual_gram

NEW = Start.DEFINITION

__all__ = ["opposite_signs", "equal_projections", "suppressor_example"]

rho = sp.Symbol("rho", real=True)
a = sp.Symbol("a", positive=True)
beta = sp.Symbol("beta", positive=True)
D = sp.Symbol("D", positive=True)
r_nn = sp.Symbol("rho", nonnegative=True)
q = sp.Symbol("q", positive=True)             # 1 - a^2 > 0


@functools.cache
def opposite_signs() -> Derivation:
    """(i) corrected: ab < 0 and rho >= 0 give C(c) > rho; the exact condition is rho (1 - D) > ab."""
    # C(c) from its closed form at b = -beta, with the product of the projections' norms named D (relation
    # D^2 = ||v~_1||^2 ||v~_2||^2, D > 0) and q = ||v~_1||^2.
    _, m1, m2 = residual_gram(gram_one(r_nn, a, -beta), 1)
    Cc = projected_cos(r_nn, a, -beta).subs(sp.sqrt(m1 * m2), D)
    steps = (
        Step("paper-first-step", r_nn, r_nn + a * beta, "rho - ab > rho since ab < 0 (the paper's proof)",
             Op.LT, witness=a * beta, start=NEW),
        Step("paper-second-step", D, 1, "D = sqrt((1-a^2)(1-b^2)) < 1 when a, b != 0 (the paper's proof)",
             Op.LT, witness=(a**2 + beta**2 * q) / (1 + D), start=NEW),
        Step("exact-gap", Cc - r_nn, (r_nn * (1 - D) + a * beta) / D,
             "C(c) - rho = (rho (1 - D) - ab)/D: positive iff rho (1 - D) > ab. Dividing rho - ab by D < 1"
             " increases it only if rho - ab > 0, which the paper's proof assumes", start=NEW),
    )
    result = Step("nonnegative-rho", r_nn, Cc, "for rho >= 0 the gap is (rho (1 - D) + a beta)/D > 0, as"
                  " 1 - D = (a^2 + beta^2 (1 - a^2))/(1 + D) > 0", Op.LT,
                  witness=(r_nn * (a**2 + beta**2 * q) / (1 + D) + a * beta) / D, start=NEW)
    return Derivation("thm-6.4.i", "Theorem 6.4 (i), under rho >= 0", (
        "a > 0 > b = -beta (any opposite signs, by symmetry)", "|a|, |b| < 1, Gram matrix PSD",
        "rho >= 0 (the condition the paper's proof needs)"), steps, result,
        relations=(D**2 - m1 * m2, q - m1), domain=(sp.Lt(a, 1), sp.Lt(beta, 1)))


@functools.cache
def equal_projections(statement: Any) -> Derivation:
    """(ii) under the statement's hypothesis b = a: C(c) = (rho - a^2)/(1 - a^2) <= rho, because rho <= 1."""
    rho_, a_, b_ = (v.symbol for v in statement.variables[:3])
    n = sp.Symbol("n", positive=True)          # ||v~_1|| = ||v~_2|| = sqrt(1 - a^2) > 0 for |a| < 1
    Cc = (rho_ - a_**2) / n**2
    steps = (
        Step("equal-projections", projected_cos(rho_, a_, b_), Cc,
             "b = a: both projections have norm n = sqrt(1 - a^2), so C(c) = (rho - a^2)/n^2", start=NEW),
    )
    result = Step("weakly-worse", Cc, statement.conclusion.rhs,
                  "rho - C(c) = a^2 (1 - rho)/(1 - a^2) >= 0: C(c) <= rho, with equality iff a = 0 or rho = 1",
                  Op.LE, witness=a_**2 * (1 - rho_) / n**2)
    return Derivation("thm-6.4.ii", "Theorem 6.4 (ii)", ("the statement's domain and hypotheses (b = a)",
                      "n = sqrt(1 - a^2) > 0"), steps, result,
                      relations=(b_ - a_, n**2 + a_**2 - 1), domain=domain_of(statement),
                      example=((rho_, sp.Integer(0)), (a_, sp.Integer(0)), (b_, sp.Integer(0)), (n, sp.Integer(1))))


@functools.cache
def suppressor_example(statement: Any) -> Derivation:
    """(iii) the statement's example point, in exact rationals: |C(c) - centre| < radius there.

    The point is read from the statement's equality hypotheses, the centre and radius from its conclusion
    |ProjectedCos(rho, a, b) - centre| < radius; the chain substitutes the point into the closed form."""
    point = tuple((h.lhs, h.rhs) for h in statement.hypotheses if isinstance(h, sp.Eq))
    rho_, a_, b_ = (v.symbol for v in statement.variables[:3])
    centre = -statement.conclusion.lhs.args[0].as_coeff_Add()[0]
    radius = statement.conclusion.rhs
    value = projected_cos(rho_, a_, b_)
    at = dict(point)
    det = gram_one(*(at[x] for x in (rho_, a_, b_))).det()
    steps = (
        Step("realisable", 0, det, "the Gram matrix of (rho, a, b) at the point is positive definite", Op.LT,
             witness=det, start=NEW),
        Step("exceeds-rho", at[rho_], value.subs(at), "same-sign, unequal projections: C(c) > rho at the point",
             Op.LT, start=NEW),
    )
    chain, e = [], sp.Abs(value - centre)
    for i, (x, v) in enumerate(point):
        nxt = e.subs(x, v)
        chain.append(Step(f"{x}-at-point", e, nxt, f"the hypothesis {x} = {v}", by=Rule.SUBSTITUTE,
                          using=sp.Eq(x, v), start=NEW if i == 0 else None))
        e = nxt
    result = Step("within-radius", e, radius, "the value at the point is within the radius of the centre", Op.LT)
    return Derivation("thm-6.4.iii", "Theorem 6.4 (iii): the printed example", ("exact rationals",),
                      (*steps, *chain), result, domain=domain_of(statement), example=point)

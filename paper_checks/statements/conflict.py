"""Formal statements of the conflict theorem: Thm 6.4 (i)-(iii) and the reading of "preserving this capability
strictly improves the safety tradeoff" (Thm 6.4 (i), Section 9.4; Prediction 4's mathematical part).

The variables are those of Section 6.1 (see paper_checks/statements/safety_pair.py): a realisable triple
``(rho, a, b)`` of inner products of unit ``v1*, v2*, c``, with ``|a|, |b| < 1``.  The effective correlation
``C(c) = cos(theta)`` is the defined quantity ``ProjectedCos`` (the cosine of the angle between the
projections), so each part compares the definition with ``rho``; eq. (12) is Thm 6.1's business.
``sgn(a) != sgn(b)`` is read literally (sgn 0 = 0, so a = 0 != b counts), as printed.
"""
from __future__ import annotations

import sympy as sp

from paper_checks.definitions import define
from paper_checks.statement import Statement, Variable
from paper_checks.statements.safety_pair import (BUDGET, PAIR_VARIABLES, REALISABLE, B_res, MaxMinPairGain,
                                                 ProjectedCos, a, b, rho)

__all__ = ["MaxMinFreeGain", "STATEMENTS", "CORRECTIONS"]


@define("MaxMinFreeGain", "max over ||delta|| <= B of min(<v1*, delta>, <v2*, delta>) with no capability "
        "preserved, for unit v1*, v2* with <v1*, v2*> = rho", "derive.safety_pair.segment_distance (minimax)", 2)
def _max_min_free_gain(r: sp.Expr, budget: sp.Expr) -> sp.Expr:
    from derive import safety_pair as S
    return budget * S.segment_distance(sp.Integer(1), sp.Integer(1), r)


MaxMinFreeGain = _max_min_free_gain

_OPPOSITE = sp.Ne(sp.sign(a), sp.sign(b))

STATEMENTS = {
    "thm-6.4.i": Statement(PAIR_VARIABLES, REALISABLE, sp.Implies(_OPPOSITE, sp.Gt(ProjectedCos(rho, a, b), rho))),
    "thm-6.4.ii": Statement(PAIR_VARIABLES, (*REALISABLE, sp.Eq(b, a)), sp.Le(ProjectedCos(rho, a, b), rho)),
    # The printed example, a statement at one point (every variable fixed by an equality): "C(c) ~ 0.995" read
    # as "0.995 to the three decimals printed", |C(c) - 0.995| < 0.0005, which gives C(c) > 0.9945 > 0.99 = rho,
    # the part's claim; the words "possible for sufficiently correlated safety objectives" are existential and
    # this example is the paper's witness for them.
    "thm-6.4.iii": Statement(
        PAIR_VARIABLES,
        (sp.Eq(rho, sp.Rational(99, 100)), sp.Eq(a, sp.Rational(1, 10)), sp.Eq(b, sp.Rational(1, 1000))),
        sp.Lt(sp.Abs(ProjectedCos(rho, a, b) - sp.Rational(995, 1000)), sp.Rational(1, 2000)),
        words="rho = 0.99, a = 0.1, b = 0.001 (same sign, a != b) gives C(c) = 0.995 to three decimals, so "
              "C(c) > 0.99 = rho"),
    # "Improves the safety tradeoff" read on the attainable safety gains themselves: the best equal-improvement
    # value min(Delta_S1, Delta_S2) (the point Cor 6.3 and 6.6 measure the frontier by) is larger with the
    # capability preserved than without, at the same budget.  "Opposite signs" as Section 9.4 says it: ab < 0
    # (the boundary a = 0 or b = 0 of (i)'s literal sgn reading is measure zero and left to thm-6.4.i).
    "thm-6.4.reading": Statement(
        (*PAIR_VARIABLES, BUDGET), REALISABLE,
        sp.Implies(sp.Lt(a * b, 0), sp.Gt(MaxMinPairGain(rho, a, b, B_res), MaxMinFreeGain(rho, B_res))),
        words="for opposite-sign projections, the largest min(Delta_S1, Delta_S2) attainable under <c, delta> = 0 "
              "exceeds the largest one without the constraint"),
}

CORRECTIONS: dict[str, tuple[Statement, ...]] = {
    # The paper's proof divides rho - ab > 0 by D < 1; that increases it only when rho - ab > 0 ... and the
    # step "> rho - ab > rho" needs rho >= 0.  With a, b both nonzero and rho >= 0 the claim holds
    # (derive.conflict.opposite_signs).
    "thm-6.4.i": (Statement(
        (Variable(rho, sp.Interval(0, 1), note="rho = <v1*, v2*> >= 0"), *PAIR_VARIABLES[1:]),
        (*REALISABLE, sp.Lt(a * b, 0)), sp.Gt(ProjectedCos(rho, a, b), rho),
        words="if ab < 0 (both nonzero, opposite signs) and rho >= 0, then C(c) > rho"),),
    # A subset of the feasible set cannot do better: preservation never enlarges the attainable gains.
    "thm-6.4.reading": (Statement(
        (*PAIR_VARIABLES, BUDGET), REALISABLE, sp.Le(MaxMinPairGain(rho, a, b, B_res), MaxMinFreeGain(rho, B_res)),
        words="preserving a capability never enlarges the attainable safety gains: the max-min under <c, delta> = 0 "
              "is at most the unconstrained one; what rises when C(c) > rho is the frontier in normalised units"),),
}


# --------------------------------------------------------------------------------------------- Section 9.4
# "The formalization predicts exactly which capabilities to constrain (those satisfying sgn(<c, v1*>) !=
# sgn(<c, v2*>))": "exactly" makes opposite signs necessary as well, i.e. C(c) > rho implies ab < 0.

SECTION_9_4: dict[str, Statement] = {
    "sec-9.4.exactly": Statement(
        PAIR_VARIABLES, REALISABLE, sp.Implies(sp.Gt(ProjectedCos(rho, a, b), rho), sp.Lt(a * b, 0)),
        words="constraining c helps (C(c) > rho) only for opposite-sign projections, ab < 0"),
}

CORRECTIONS_9_4: dict[str, tuple[Statement, ...]] = {
    # C(c) > rho  <=>  rho - ab > rho sqrt((1 - a^2)(1 - b^2))  <=>  ab < rho (1 - sqrt((1 - a^2)(1 - b^2))):
    # for rho > 0 same-sign capabilities with small ab qualify too (Thm 6.4 (iii) is one).
    "sec-9.4.exactly": (Statement(
        PAIR_VARIABLES, REALISABLE,
        sp.Implies(sp.Gt(ProjectedCos(rho, a, b), rho), sp.Lt(a * b, rho * (1 - sp.sqrt((1 - a**2) * (1 - b**2))))),
        words="constraining c helps exactly when ab < rho (1 - sqrt((1 - a^2)(1 - b^2))): opposite signs are neither "
              "necessary (Thm 6.4 (iii)) nor, for rho < 0, sufficient"),),
}

STATEMENTS.update(SECTION_9_4)
CORRECTIONS.update(CORRECTIONS_9_4)

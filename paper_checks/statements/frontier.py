"""Formal statements of the single-capability frontier: Thm 4.1 and the claims read from it."""
from __future__ import annotations

import sympy as sp

from paper_checks.definitions import define
from paper_checks.statement import Statement, Variable

alpha = sp.Symbol("alpha", real=True)
B = sp.Symbol("B", positive=True)
Delta_C = sp.Symbol("Delta_C", real=True)

ALPHA = Variable(alpha, sp.Interval(0, sp.pi), note="angle between v* and c")
BUDGET = Variable(B, sp.Interval.open(0, sp.oo), note="perturbation budget")
DELTA_C = Variable(Delta_C, sp.Interval(-sp.oo, sp.oo), note="signed capability change")


@define("MaxSafetyGain", "max <v*, delta> subject to <c, delta> = Delta_C and ||delta|| <= B, for unit v*, c "
        "with <v*, c> = cos(alpha), in any dimension d >= 2", "derive.frontier.frontier_value", 3)
def _max_safety_gain(a: sp.Expr, b: sp.Expr, dc: sp.Expr) -> sp.Expr:
    from derive import frontier as F
    return F.frontier_value().subs({F.alpha: a, F.B: b, F.Delta_C: dc}, simultaneous=True)


MaxSafetyGain = _max_safety_gain

STATEMENTS = {
    "thm-4.1": Statement(
        (ALPHA, BUDGET, DELTA_C), (sp.Le(sp.Abs(Delta_C), B),),
        sp.Eq(MaxSafetyGain(alpha, B, Delta_C), Delta_C * sp.cos(alpha) + sp.sin(alpha) * sp.sqrt(B**2 - Delta_C**2))),
}

CORRECTIONS: dict[str, tuple[Statement, ...]] = {}

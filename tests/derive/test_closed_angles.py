"""Angles on the closed range [0, pi]: their half-angle sine and cosine are nonnegative, so what holds at the ends
is proved and what fails there is not."""
from __future__ import annotations

import sympy as sp

from derive import frontier as F
from derive.core import Op, Optimum, Rule, Start, Status, Step
from tests.derive._chains import status

a = sp.Symbol("a", real=True)


def test_a_sine_is_nonnegative_on_the_closed_range_but_not_positive() -> None:
    assert status(Step("s", sp.Integer(0), sp.sin(a), "sin >= 0 on [0, pi]", Op.LE), closed_angles=(a,)) is Status.OK
    assert status(Step("s", sp.Integer(0), sp.sin(a), "sin > 0 on [0, pi]", Op.LT), closed_angles=(a,)) \
        is not Status.OK
    assert status(Step("s", sp.Integer(0), sp.sin(a), "sin > 0 on (0, pi)", Op.LT), angles=(a,)) is Status.OK


def test_the_bound_of_theorem_4_1_holds_on_the_closed_range() -> None:
    bound = F.value_bound()
    assert [c.status for c in bound.check()] == [Status.OK]
    assert bound.closed_angles == (F.alpha,) and not bound.angles


def _maximum(chain_angles: dict) -> Status:
    problem = Optimum((F.t, F.z), F.Delta_C * sp.cos(F.alpha) + F.t * sp.sin(F.alpha),
                      (sp.Le(F.Delta_C**2 + F.t**2 + F.z**2, F.B**2),), (sp.sqrt(F.B**2 - F.Delta_C**2), sp.Integer(0)))
    step = Step("maximum", sp.Function("G")(F.alpha, F.B, F.Delta_C), F.frontier_value(), "the maximum",
                by=Rule.OPTIMUM, using=problem, cites=F.value_bound, start=Start.DEFINITION)
    return status(step, domain=(sp.Le(F.Delta_C**2, F.B**2),), **chain_angles)


def test_a_maximum_cited_on_the_closed_range_needs_the_chain_to_take_it_there() -> None:
    assert _maximum({"closed_angles": (F.alpha,)}) is Status.OK
    assert _maximum({}) is Status.FAILED                         # alpha unrestricted: sin(alpha) < 0 is allowed

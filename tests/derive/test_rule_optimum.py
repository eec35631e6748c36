"""Rule OPTIMUM owes the value's well-definedness and a feasibility witness checked as built, not as SymPy
simplifies it."""
from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Op, Optimum, Rule, Start, Status, Step, check_step
from tests.derive._chains import deriv

b = sp.Symbol("b", real=True)
x = sp.Symbol("x", real=True)
F = sp.Function("F")
_PROBLEM = Optimum((x,), x, (sp.Le(x**2, b),), (sp.sqrt(b),))       # F(b) = max {x : x^2 <= b}


def bound() -> Derivation:
    """x <= sqrt(b) for every x with x^2 <= b."""
    return deriv(Step("bound", x, sp.sqrt(b), "x <= |x| = sqrt(x^2) <= sqrt(b)", Op.LE),
                 domain=(sp.Le(x**2, b),), bound=(x,))


def _maximum(problem: Optimum = _PROBLEM) -> Step:
    return Step("maximum", F(b), sp.sqrt(b), "the bound, attained", by=Rule.OPTIMUM, using=problem, cites=bound,
                start=Start.LEMMA)


def test_the_bound_is_proved() -> None:
    assert bound().check()[0].status is Status.OK


def test_a_maximum_with_an_undefined_value_fails() -> None:
    # For b < 0 the feasible set is empty and sqrt(b) is not real; sqrt(b)^2 <= b, simplified to b <= b, would
    # hide it.
    step = _maximum()
    check = check_step(step, deriv(step))
    assert check.status is Status.FAILED and "b >= 0" in check.method


def test_the_maximum_where_it_exists_is_proved() -> None:
    step = _maximum()
    assert check_step(step, deriv(step, domain=(sp.Ge(b, 0),))).status is Status.OK


def test_an_infeasible_point_fails() -> None:
    # x = sqrt(b) + 1 attains nothing and breaks the constraint: the attainment or the feasibility fails.
    far = Optimum((x,), x, (sp.Le(x**2, b),), (sp.sqrt(b) + 1,))
    step = Step("maximum", F(b), sp.sqrt(b) + 1, "wrong point", by=Rule.OPTIMUM, using=far, cites=bound,
                start=Start.LEMMA)
    assert check_step(step, deriv(step, domain=(sp.Ge(b, 0),))).status is Status.FAILED

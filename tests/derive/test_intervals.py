"""The ball evaluator of derive: enclosures are sound, and a value that is undefined or not real is no value."""
from __future__ import annotations

import sympy as sp

from derive import intervals
from derive.intervals import arb_value, certified_positive, flint_module, to_arb

x = sp.Symbol("x", real=True)


def test_a_value_encloses_the_exact_one_at_a_rational_point() -> None:
    v = arb_value(sp.sqrt(x) + sp.pi, {x: sp.Rational(2)})
    exact = flint_module().arb(2).sqrt() + flint_module().arb.pi()
    assert v is not None and v.overlaps(exact) and v.rad() < 1e-50


def test_undefined_or_complex_values_are_reported_as_none_never_as_a_sign() -> None:
    assert arb_value(sp.sqrt(x), {x: sp.Integer(-1)}) is None          # not real
    assert arb_value(sp.log(x), {x: sp.Integer(0)}) is None            # a pole
    assert arb_value(1 / x, {x: sp.Integer(0)}) is None
    assert arb_value(sp.Function("F")(x), {x: sp.Integer(1)}) is None  # not readable
    assert not certified_positive(sp.sqrt(x) + 1, {x: sp.Integer(-1)})


def test_a_ball_that_reaches_outside_a_functions_domain_is_not_finite() -> None:
    ball = flint_module().arb(0, 0.1)
    assert not to_arb(sp.sqrt(x), {x: ball}).is_finite()
    assert to_arb(sp.Lt(sp.sqrt(x), 1), {x: ball}) is False       # no comparison holds on nan


def test_a_negative_power_of_a_ball_around_zero_is_not_finite() -> None:
    ball = flint_module().arb(0, 0.1)
    assert not to_arb(x**-2, {x: ball}).is_finite()


def test_shown_nonzero_certifies_a_difference_and_never_an_identity() -> None:
    x, y = sp.symbols("x y", real=True)
    assert intervals.shown_nonzero(x - y) and intervals.shown_nonzero(x**2 - 2 * y)
    # An identity's ball contains 0 at every point: no claim either way, the caller's symbolic test decides.
    assert not intervals.shown_nonzero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1)


def test_shown_nonzero_takes_points_the_assumptions_allow() -> None:
    # log(-n) is real only where n < 0: a point of the wrong sign would be no evidence.
    n = sp.Symbol("n", negative=True)
    assert intervals.shown_nonzero(sp.log(-n))
    # A defined quantity is a variable of its own, as opaque as it is to simplify.
    F, a = sp.Function("F"), sp.Symbol("a", real=True)
    assert intervals.shown_nonzero(F(a) - 2 * F(a) ** 2) and not intervals.shown_nonzero(F(a) - F(a))

"""The ball evaluator of derive: enclosures are sound, and a value that is undefined or not real is no value."""
from __future__ import annotations

import sympy as sp

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

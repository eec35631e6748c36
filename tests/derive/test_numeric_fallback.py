"""The numeric fallback: an undefined, NaN or non-real value at a sampled point of the domain is a failure, never
agreement; and the checker proves the true twins it used to leave to it."""
from __future__ import annotations

import sympy as sp

from derive.core import Op, Status, Step, check_step
from tests.derive._chains import deriv, status

x, y = sp.symbols("x y", real=True)
k = sp.Symbol("k", integer=True)
a = sp.Symbol("a", real=True)


def test_zero_over_zero_equals_nothing() -> None:
    step = Step("s", sp.Subs((x**2 - 1) / (x - 1), x, 1), sp.Integer(12345), "0/0 at x = 1")
    check = check_step(step, deriv(step))
    assert check.status is Status.FAILED and "undefined or not real" in check.method
    assert status(Step("s", sp.Subs((x**2 - 1) / (x + 1), x, 1), sp.Integer(0), "0 at x = 1")) is Status.OK


def test_a_value_that_is_not_real_at_a_point_fails() -> None:
    assert status(Step("s", sp.log(x * y), sp.log(x) + sp.log(y), "log of a product")) is Status.FAILED
    assert status(Step("s", sp.Integer(0), sp.acos(x), "acos is nonnegative", Op.LE)) is Status.FAILED
    # Where the values are real, the same steps are not refused.
    assert status(Step("s", sp.log(x * y), sp.log(x) + sp.log(y), "log of a product"),
                  domain=(sp.Gt(x, 0), sp.Gt(y, 0))) is not Status.FAILED
    assert status(Step("s", sp.Integer(0), sp.acos(x), "acos is nonnegative", Op.LE),
                  domain=(sp.Ge(x, -1), sp.Le(x, 1))) is not Status.FAILED


def test_the_true_twins_are_proved() -> None:
    assert status(Step("s", sp.sqrt(x**2), x, "sqrt(x^2) = x"), domain=(sp.Ge(x, 0),)) is Status.OK
    assert status(Step("s", sp.Max(x, y), x, "Max(x, y) <= x", Op.LE), domain=(sp.Le(y, x),)) is Status.OK
    assert status(Step("s", x, sp.Abs(x), "x <= |x|", Op.LE)) is Status.OK
    assert status(Step("s", k, k**2, "k <= k^2 for an integer", Op.LE)) is Status.OK
    assert status(Step("s", sp.acos(sp.cos(a)), a, "acos(cos a) = a"), domain=(sp.Ge(a, 0), sp.Le(a, sp.pi))) \
        is Status.OK


def test_the_false_twins_fail() -> None:
    assert status(Step("s", sp.sqrt(x**2), x, "sqrt(x^2) = x")) is Status.FAILED
    assert status(Step("s", sp.Max(x, y), x, "Max(x, y) <= x", Op.LE)) is Status.FAILED
    assert status(Step("s", sp.Abs(x), x, "|x| <= x", Op.LE)) is Status.FAILED
    assert status(Step("s", x, x**2, "x <= x^2 for a real", Op.LE)) is Status.FAILED
    # acos(cos a) = |a| for a in [-1, 0).
    assert status(Step("s", sp.acos(sp.cos(a)), a, "acos(cos a) = a"), domain=(sp.Ge(a, -1), sp.Le(a, sp.pi))) \
        is Status.FAILED

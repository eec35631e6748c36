"""Adversarial review of the checker: false steps that must not be accepted, true points that must not be dropped."""
from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Discharge, Op, Status, Step, check_step

x = sp.Symbol("x", real=True)


def _deriv(*steps: Step, **kw) -> Derivation:
    return Derivation("test", "test", (), steps[:-1], steps[-1], **kw)


def test_radical_split_with_negative_parts_is_no_proof() -> None:
    # sqrt(-1/(-x^2 - 2)) sqrt(x^2 + 1) = sqrt((x^2 + 1)/(x^2 + 2)) < 1, so "1 <= it" is false.  Algebraisation
    # splits sqrt(n/d) into sqrt(n)/sqrt(d) with n = -1: the relation R^2 = -1 makes the solvers' fact set
    # inconsistent, and any inequality follows unless the radicand -1 >= 0 is itself an obligation.
    value = sp.sqrt(-1 / (-x**2 - 2)) * sp.sqrt(x**2 + 1)
    step = Step("s", sp.Integer(1), value, "false: the value is below 1", Op.LE)
    check = check_step(step, _deriv(step))
    assert check.status is not Status.OK
    assert check.status is Status.FAILED

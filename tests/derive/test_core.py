"""The step checker proves true steps and rejects false ones (it can come out either way)."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.core import Derivation, Op, Status, Step, check_step

x = sp.Symbol("x", real=True)
B = sp.Symbol("B", positive=True)
alpha = sp.Symbol("alpha", real=True)


def _deriv(*steps: Step, angles=(), relations=(), domain=()) -> Derivation:
    return Derivation("test", "test", (), steps[:-1], steps[-1], angles=angles, relations=relations,
                      domain=domain)


def _status(step: Step, **kw) -> Status:
    return check_step(step, _deriv(step, **kw)).status


def test_true_identity_is_proved() -> None:
    assert _status(Step("s", (x + 1)**2, x**2 + 2 * x + 1, "expand")) is Status.OK


def test_false_identity_fails() -> None:
    assert _status(Step("s", (x + 1)**2, x**2 + 1, "wrong expansion")) is Status.FAILED


def test_trig_identity_modulo_pythagoras() -> None:
    step = Step("s", sp.sin(alpha)**2, 1 - sp.cos(alpha)**2, "Pythagoras")
    assert _status(step, angles=(alpha,)) is Status.OK


def test_wrong_trig_identity_fails() -> None:
    step = Step("s", sp.sin(alpha)**2, 1 - sp.cos(alpha), "not an identity")
    assert _status(step, angles=(alpha,)) is Status.FAILED


def test_radical_identity() -> None:
    step = Step("s", sp.sqrt(B**2 - x**2)**2 + x**2, B**2, "square of a root")
    assert _status(step, domain=(sp.Lt(x**2, B**2),)) is Status.OK


def test_inequality_needs_a_witness_of_the_right_sign() -> None:
    good = Step("s", x**2 - 2 * x, x**2 - 2 * x + 1 + x**2, "witness", Op.LE, witness=1 + x**2)
    assert _status(good) is Status.OK
    wrong = Step("s", x, x - 1, "false", Op.LE, witness=-sp.Integer(1))
    assert _status(wrong) is Status.FAILED


def test_undecided_step_is_numeric_only_and_labelled() -> None:
    # |x| <= 1 + x^2 holds but SymPy's sign rules do not decide it: numeric-only, never "ok".
    check = check_step(Step("s", sp.Abs(x), 1 + x**2, "numeric", Op.LE),
                       _deriv(Step("s", sp.Abs(x), 1 + x**2, "numeric", Op.LE)))
    assert check.status is Status.NUMERIC and float(check.residual) == 0.0


def test_unknown_step_name_is_a_clear_error() -> None:
    d = _deriv(Step("only", x, x, "trivial"))
    with pytest.raises(KeyError, match=r"name='nope' is not a step of derivation 'test'"):
        d.step("nope")


def test_repr_latex_never_raises() -> None:
    d = _deriv(Step("only", x, x, "trivial"))
    assert d._repr_latex_().startswith("$")

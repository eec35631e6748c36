"""Rule DIVIDE cancels a factor proved nonzero, and only a step that cancels one is an instance of it."""
from __future__ import annotations

import sympy as sp

from derive.core import Op, Rule, Status, Step, check_step
from tests.derive._chains import deriv, status

x, y = sp.symbols("x y", real=True)


def test_cancelling_a_factor_that_may_vanish_fails() -> None:
    step = Step("s", (x**2 - y**2) / (x - y), x + y, "cancel x - y", by=Rule.DIVIDE, using=x - y)
    check = check_step(step, deriv(step))
    assert check.status is Status.FAILED and check.counterexample is not None
    assert status(step, domain=(sp.Ne(x, y),)) is Status.OK


def test_cancelling_y_from_x_y_over_y_needs_y_nonzero() -> None:
    step = Step("s", sp.Mul(x, y, sp.Pow(y, -1), evaluate=False), x, "cancel y", by=Rule.DIVIDE, using=y)
    assert status(step) is Status.FAILED
    assert status(step, domain=(sp.Ne(y, 0),)) is Status.OK


def test_an_unchanged_expression_labelled_divide_fails() -> None:
    step = Step("s", x + 1, sp.Add(x, 2, -1, evaluate=False), "nothing divided", by=Rule.DIVIDE, using=y)
    check = check_step(step, deriv(step, domain=(sp.Gt(y, 0),)))
    assert check.status is Status.FAILED and "no instance" in check.method


def test_rule_labels_are_instances_of_their_rules() -> None:
    # An inequality labelled ALGEBRA, an equation labelled SIGN, a substitution of what does not occur, a
    # merge of roots that are not there: each is no instance of its rule.
    assert status(Step("s", x, x + 1, "", Op.LE, by=Rule.ALGEBRA)) is Status.FAILED
    assert status(Step("s", (x + 1)**2, x**2 + 2 * x + 1, "", by=Rule.SIGN)) is Status.FAILED
    assert status(Step("s", x + 1, x + 1 + 0 * y, "", by=Rule.SUBSTITUTE, using=sp.Eq(y, 2)),
                  domain=(sp.Eq(y, 2),)) is Status.FAILED
    assert status(Step("s", (x + 1)**2, x**2 + 2 * x + 1, "", by=Rule.MERGE_ROOTS)) is Status.FAILED
    # Their true instances pass.
    assert status(Step("s", x, x + 1, "", Op.LE, by=Rule.SIGN)) is Status.OK
    assert status(Step("s", x + y, x + 2, "", by=Rule.SUBSTITUTE, using=sp.Eq(y, 2)), domain=(sp.Eq(y, 2),)) \
        is Status.OK

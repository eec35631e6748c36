"""rule.shortfall: the reason a scope is sampled names every lack, never one as if it were the only one
(def-3.3, thm-6.1 and cor-6.3 have a numeric step where their statements are their closed forms; prop-6.5 and
rem-4.2.continuity a numeric step where the chain also ends elsewhere; sec-5.1, sec-5.1.random and prop-5.5.whp a
hypothesis where the conclusion is also another)."""
from __future__ import annotations

from types import SimpleNamespace

import sympy as sp

from derive.core import Derivation, Op, Status, Step
from paper_checks.rule import proves, shortfall
from paper_checks.statement import Statement, Variable

x = sp.Symbol("x", real=True)
X = Variable(x, sp.Interval(0, 1))
STATEMENT = Statement((X,), (), sp.Le(x, x + 1, evaluate=False))


def _derivation(conclusion: sp.Basic, domain: tuple = ()) -> Derivation:
    step = Step("s", x, x + 2, "x <= x + 2", Op.LE)
    d = Derivation("toy", "toy", (), (), step, domain=domain)
    object.__setattr__(d, "conclusion", conclusion)
    return d


def test_a_numeric_step_is_not_named_as_the_only_lack() -> None:
    d = _derivation(sp.Le(x, x + 2, evaluate=False))
    numeric = [SimpleNamespace(status=Status.NUMERIC, step=SimpleNamespace(name="s"))]
    why = shortfall(d, numeric, STATEMENT)
    assert why is not None and not proves(d, numeric, STATEMENT)
    # The chain also ends elsewhere (x <= x + 2): either that is said, or that the rest was not compared.
    assert "conclusion is not the statement's" in why or "not compared" in why, why


def test_an_extra_hypothesis_and_another_conclusion_are_both_said() -> None:
    d = _derivation(sp.Le(x, x + 2, evaluate=False), domain=(sp.Lt(0, x),))
    why = shortfall(d, d.check(), STATEMENT)
    assert "it assumes 0 < x" in why and "its conclusion is not the statement's" in why, why
    # Strictness unchanged: the same derivation ending in the statement's conclusion, without the hypothesis, proves.
    good = Derivation("toy", "toy", (), (), Step("s", x, x + 1, "x <= x + 1", Op.LE))
    object.__setattr__(good, "conclusion", sp.Le(x, x + 1, evaluate=False))
    assert shortfall(good, good.check(), STATEMENT) is None and proves(good, good.check(), STATEMENT)

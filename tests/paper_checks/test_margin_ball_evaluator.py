"""The compiled ball evaluator keeps the semantics of a tree-walking evaluator."""
from __future__ import annotations

import sympy as sp

from derive.intervals import flint_module, to_arb

x = sp.Symbol("x", real=True)
F = sp.Function("F")


def test_and_or_decide_from_their_first_arguments_as_before() -> None:
    # The tree-walking evaluator stopped at the first False of an And (True of an Or), so a later argument it
    # cannot evaluate (an undefined function) did not matter; compiling every argument up front raised instead,
    # and a hypothesis Or(x > 0, F(x) > 0) of an admissible box was no longer certified.
    arb = flint_module().arb
    assert to_arb(sp.Or(x > 0, F(x) > 0), {x: arb(1)}) is True
    assert to_arb(sp.And(x > 0, F(x) > 0), {x: arb(-1)}) is False

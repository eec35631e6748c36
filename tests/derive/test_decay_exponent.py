"""derive.random_subspace.decay_exponent: SymPy's limit, confirmed by slopes at probe values of the parameters."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.random_subspace import confirm_decay, decay_exponent

d = sp.Symbol("d", positive=True)
b = sp.Symbol("b", nonnegative=True)
g = sp.Symbol("g", real=True)


def test_an_order_with_a_symbolic_exponent_is_returned_when_every_probe_agrees() -> None:
    assert decay_exponent(d**b / (d - 1), d) == 1 - b
    assert decay_exponent(d**(b - 1) * (d * g**2 - 1) / (d - 1), d) == 1 - b


def test_the_branch_sympy_picks_for_every_b_is_caught_where_it_is_wrong() -> None:
    # SymPy: lim -log(d + d^b)/log d = -1 for every b >= 0; it is -b for b > 1.
    assert sp.limit(-sp.log(d + d**b) / sp.log(d), d, sp.oo) == -1
    with pytest.raises(ArithmeticError, match=r"contradicted at \{b: 3\}"):
        decay_exponent(d + d**b, d)
    # On the range where that branch is right, it is accepted.
    assert decay_exponent(d + d**b, d, ((b, sp.Interval.Ropen(0, 1)),)) == -1


def test_a_wrong_exponent_is_refused_and_log_factors_are_not_mistaken_for_one() -> None:
    with pytest.raises(ArithmeticError, match="contradicted"):
        confirm_decay(d**b / d, d, 1 - b / 2, {})
    confirm_decay(sp.log(d) ** 2 / d, d, sp.Integer(1), {})       # (log d)^2 moves the slope by under 0.01


def test_an_expression_positive_at_no_probe_is_refused() -> None:
    with pytest.raises(ArithmeticError, match="no probe point"):
        confirm_decay(-d**b, d, -b, {})

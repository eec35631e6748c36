"""One fraction of a sum: SymPy's ``together``, whatever the expression."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.together import together

x, y, z = sp.symbols("x y z")
d = sp.Symbol("d", positive=True)
D = d**3 - 2 * d**2 * x + x**2 - 2 * x**2 / d


@pytest.mark.parametrize("e", [
    sp.expand((x**2 + y) * (z - x) / D + x * y / D - 3 / (d * D)),    # one denominator repeated in every term
    x / (y * (x + 1)) + 1 / y,
    sp.sqrt(x / y + 1) + sp.sin(1 / x + 1 / y) + (1 / x + 1 / z) ** sp.Rational(3, 2),
    sp.exp(-x) * y + 2 / sp.exp(x),
    sp.Integer(0), sp.Rational(3, 4), x,
    sp.Eq(x / y + 1, z),
])
def test_it_is_sympys_together(e) -> None:
    assert together(e) == sp.together(e)


def test_it_brings_a_list_together_entrywise() -> None:
    assert together([x / y + 1, 1 / x + 1 / y]) == sp.together([x / y + 1, 1 / x + 1 / y])

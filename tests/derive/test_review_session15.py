"""Review of session 15's changes to derive/: the memoised Groebner normal form and the checked decay exponents."""
from __future__ import annotations

import sympy as sp

import derive.core as C


def test_a_normal_form_uses_one_order_of_same_named_symbols_for_the_basis_and_the_reduction() -> None:
    # Two symbols named x (one positive) tie in _elimination_rank, so their relative order is the iteration order
    # of the set being sorted.  The basis must be a Groebner basis for the order the reduction then uses; else an
    # element of the ideal need not reduce to 0.  Extra symbols in the expression change the set (and so, for
    # some of these sizes, the tie's order).
    xp, x = sp.Symbol("x", positive=True), sp.Symbol("x")
    basis = (xp**2 - x, x**2 - xp - 1)
    member = sp.expand((xp**2 - x) * x + (x**2 - xp - 1) * xp**2)
    for n in (1, 2, 3, 4, 6, 8, 12, 16, 20, 24, 30, 40, 50, 60, 70, 85, 100):
        extra = sp.symbols(f"y0:{n}")
        nf = C._normal_form(member * sp.Mul(*extra), list(basis))
        assert sp.expand(nf) == 0, (n, nf)

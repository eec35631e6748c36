"""A sum of fractions as one fraction: SymPy's ``together``, each distinct subexpression brought together once.

``sympy.together(e)`` (not deep, fraction form) rewrites ``e`` bottom-up: a sum becomes ``gcd_terms`` of its terms
brought together, a power its base brought together, a product (or any other non-atomic, non-function node) its
arguments; atoms and function applications stay.  Each node's result is a function of that node alone.  An
expanded numerator repeats one denominator in every term (``x/D + y/D + ...``), and SymPy brings ``D`` together
once per term: here the result of each distinct node is remembered for the one call, so the answer is SymPy's and
``D`` is brought together once.
"""
from __future__ import annotations

import sympy as sp
from sympy.core.exprtools import gcd_terms
from sympy.utilities.iterables import iterable

__all__ = ["together"]


def together(expr: sp.Basic) -> sp.Basic:
    """``sympy.together(expr)`` (``deep=False``, ``fraction=True``)."""
    memo: dict[sp.Basic, sp.Basic] = {}

    def bring(e):
        if not isinstance(e, sp.Basic):
            return e.__class__([bring(x) for x in e]) if iterable(e) else e
        if e.is_Atom or e.is_Function:
            return e
        got = memo.get(e)
        if got is None:
            if e.is_Add:
                got = gcd_terms([bring(t) for t in sp.Add.make_args(e)], fraction=True)
            elif e.is_Pow:
                got = e.func(bring(e.base), e.exp)
            else:
                got = e.func(*[bring(a) for a in e.args])
            memo[e] = got
        return got

    return bring(sp.sympify(expr))

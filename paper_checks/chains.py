"""What a chain of derive/ reads from a formal statement: its conclusion (``>=`` and ``>`` turned into ``<=`` and
``<``, the only directions a chain runs), the definitions of the quantities it names, and its domain and
hypotheses as relations.

derive/ never imports paper_checks/ (DESIGN.md, "The routes"); a chain that must end in a statement's own
conclusion is handed these pieces, so no formula of the paper is typed in derive/.
"""
from __future__ import annotations

import sympy as sp

from paper_checks import definitions
from paper_checks.statement import Statement

__all__ = ["conclusion", "defined", "domain", "inputs"]


def conclusion(s: Statement) -> sp.Basic:
    """The statement's conclusion with ``a >= b`` written ``b <= a`` (``a > b``: ``b < a``); the same relation."""
    rel = s.conclusion
    if isinstance(rel, (sp.Ge, sp.Gt)):
        return rel.reversed
    return rel


def defined(expr: sp.Basic) -> tuple[sp.Equality, ...]:
    """``Eq(F(x), X(x))`` for each application ``F(x)`` of a defined quantity in ``expr``, ``X`` its derived closed
    form (``paper_checks.definitions``), in a fixed order."""
    definitions._load()
    apps = sorted({a for d in definitions.DEFINITIONS.values() for a in expr.atoms(d.function)},
                  key=sp.default_sort_key)
    return tuple(sp.Eq(a, definitions.expand(a), evaluate=False) for a in apps)


def domain(s: Statement) -> tuple[sp.Basic, ...]:
    """Each variable's stated interval as relations, then the hypotheses (the chain's ``domain``)."""
    out: list[sp.Basic] = []
    for v in s.variables:
        x, iv = v.symbol, v.domain
        if iv.inf.is_finite:
            out.append(sp.Gt(x, iv.inf) if iv.left_open else sp.Ge(x, iv.inf))
        if iv.sup.is_finite:
            out.append(sp.Lt(x, iv.sup) if iv.right_open else sp.Le(x, iv.sup))
    return (*out, *s.hypotheses)


def inputs(s: Statement) -> tuple[sp.Basic, tuple[sp.Equality, ...], tuple[sp.Basic, ...]]:
    """What a chain ending in ``s`` is handed: its conclusion, the definitions that conclusion names, its domain."""
    rel = conclusion(s)
    return rel, defined(rel), domain(s)

"""From a statement to its margin: a scalar ``m`` over the free variables that is >= 0 (> 0 for a strict relation)
exactly where the conclusion holds.

``a <= b`` gives ``b - a``, ``a = b`` gives ``-|a - b|``, and ``P => R`` the margin of ``R`` on points where ``P``
holds.  Unevaluated functions are replaced by their derived closed forms (``expand``), so the margin is built from
the statement alone.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from paper_checks.statement import Statement

__all__ = ["Margin", "compile_margin"]


@dataclass(frozen=True)
class Margin:
    """A statement reduced to a scalar margin over named variables, plus the admissibility test."""

    symbols: tuple[sp.Symbol, ...]
    expr: sp.Expr                    # the margin, >= 0 (> 0 when strict) where the conclusion holds
    strict: bool
    conditions: tuple[sp.Basic, ...]  # hypotheses and premise, equalities substituted away
    fixed: dict[sp.Symbol, sp.Expr]  # variables fixed by equality hypotheses
    sides: tuple[sp.Expr, ...] = ()  # an equation's two sides, closed forms in: real wherever it is claimed


def _relation_margin(rel: sp.Basic) -> tuple[sp.Expr, bool]:
    """The margin of ``rel`` before closed forms go in, and whether the relation is strict."""
    if isinstance(rel, (sp.Ge, sp.Gt)):
        rel = rel.reversed
    if isinstance(rel, sp.Le):
        return rel.rhs - rel.lhs, False
    if isinstance(rel, sp.Lt):
        return rel.rhs - rel.lhs, True
    if isinstance(rel, sp.Eq):
        return -sp.Abs(rel.lhs - rel.rhs), False
    raise TypeError(f"relation={rel!r} is not one of Eq, Le, Lt, Ge, Gt")


def compile_margin(s: Statement, expand: Callable[[sp.Basic], sp.Basic]) -> Margin:
    """The margin of ``s`` after ``expand`` has replaced every defined function by its closed form."""
    fixed = {h.lhs: h.rhs for h in s.hypotheses if isinstance(h, sp.Eq) and isinstance(h.lhs, sp.Symbol)}
    conds = [h for h in s.hypotheses if not (isinstance(h, sp.Eq) and h.lhs in fixed)]
    rel = s.conclusion
    if isinstance(rel, sp.Implies):
        conds.append(rel.args[0])
        rel = rel.args[1]
    # The margin is formed before the closed forms go in, so a true identity becomes a zero margin
    # rather than SymPy's evaluated ``True``.
    expr, strict = _relation_margin(rel)
    subs = lambda e: expand(e).xreplace(fixed) if fixed else expand(e)   # noqa: E731
    symbols = tuple(v.symbol for v in s.variables if v.symbol not in fixed)
    # An equation's margin -|lhs - rhs| is real even where its sides are not: their values are tested on their own.
    # An inequality's margin rhs - lhs is not real where a side is not (the search sees it in the margin itself).
    sides = (subs(rel.lhs), subs(rel.rhs)) if isinstance(rel, sp.Eq) else ()
    return Margin(symbols, subs(expr), strict, tuple(subs(c) for c in conds), fixed, sides)

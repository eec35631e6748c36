"""The stated order of counterexamples: off degenerate configurations first, then small denominators, then small
numbers.  The search certifies candidates in this order, so the counterexample shown is the simplest generic one
found."""
from __future__ import annotations

import functools
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import sympy as sp

from derive.intervals import flint_module, to_arb
from paper_checks.margin.compiler import Margin, compile_margin
from paper_checks.statement import Statement

__all__ = ["genericity", "genericity_at"]

# A value this close (relative to its interval) to an end the domain leaves open sits at a limit allowed only in
# closure (beta = 923163317/923163318 in [0, 1)).
_NEAR_OPEN_END = Fraction(1, 1000)


@functools.lru_cache(maxsize=256)   # asked at every certified point of one search
def _ends(variables: tuple[Any, ...]) -> dict[sp.Symbol, list[tuple[Fraction | None, Fraction, bool, Fraction]]]:
    """Each variable's finite ends: (the end as an exact Fraction, or None when irrational, such as pi; the end in
    floats as a Fraction; whether the domain leaves it open; the interval's width, 1 when unbounded)."""
    out: dict[sp.Symbol, list[tuple[Fraction | None, Fraction, bool, Fraction]]] = {}
    for var in variables:
        lo, hi = var.domain.inf, var.domain.sup
        width = Fraction(float(hi - lo)) if lo.is_finite and hi.is_finite else Fraction(1)
        out[var.symbol] = [(Fraction(int(e.p), int(e.q)) if e.is_Rational else None, Fraction(float(e)), bool(is_open),
                            width)
                           for e, is_open in ((lo, var.domain.left_open), (hi, var.domain.right_open)) if e.is_finite]
    return out


@functools.lru_cache(maxsize=256)   # asked at every certified point of one search
def _gaps(conditions: tuple[sp.Basic, ...]) -> tuple[sp.Expr, ...]:
    """``lhs - rhs`` of every inequality among the conditions (and their conjunctions): 0 where one is active."""
    return tuple(rel.lhs - rel.rhs for c in conditions for rel in (c.args if isinstance(c, sp.And) else (c,))
                 if isinstance(rel, (sp.Le, sp.Lt, sp.Ge, sp.Gt)))


def genericity(s: Statement, m: Margin, point: dict[sp.Symbol, Fraction]) -> tuple[int, int, int]:
    """The stated order of counterexamples, smallest first: (degenerate features, largest denominator, total size).

    A degenerate feature is a continuous variable at a closed end of its domain (alpha = 0; a variable an equality
    hypothesis ties to the others included, mu = max |<f_i, f_j>| = 0, not one it fixes to a constant), a variable
    within 1/1000 of its interval's width of an end the domain leaves open (a limit allowed only in closure), or an
    inequality hypothesis or premise that holds with equality at the point (m' + |I| = d, a Gram determinant 0: an
    identity that may make a quantity constant).  Then small denominators, then small numbers (sum of numerator and
    denominator sizes in bits)."""
    arb = flint_module().arb
    ends = _ends(s.variables)
    integers = {v.symbol: v.integer for v in s.variables}
    degenerate = 0
    for sym, val in point.items():
        # A discrete parameter takes its end values as ordinary values (sigma = +-1 where tau = 1): only continuous
        # variables count at an end.
        for end, approx, is_open, width in ends[sym] if not integers[sym] else ():
            at_closed = end is not None and not is_open and val == end
            if at_closed or (is_open and abs(val - approx) <= _NEAR_OPEN_END * width):
                degenerate += 1
    env = {sym: arb(v.numerator) / v.denominator for sym, v in point.items()}
    for sym, expr in m.fixed.items():
        try:
            env[sym] = to_arb(expr, env)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        # A variable an equality fixes (mu = max |<f_i, f_j>|) at a closed end of its domain counts too; arb's ``==``
        # holds only for two exact, equal balls, so an inexact value is never taken for an end.
        if not expr.free_symbols:
            continue          # fixed to a constant by the statement itself (alpha = 0 is its subject): no choice
        degenerate += sum(1 for end, _, is_open, _ in ends[sym]
                          if end is not None and not is_open and env[sym] == arb(end.numerator) / end.denominator)
    for expr in _gaps(m.conditions):
        try:
            gap = to_arb(expr, env)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if gap.is_finite() and gap.contains(0):
            degenerate += 1
    denominators = max((v.denominator for v in point.values()), default=1)
    size = sum(abs(v.numerator).bit_length() + v.denominator.bit_length() for v in point.values())
    return degenerate, denominators, size


def genericity_at(s: Statement, expand: Callable[[sp.Basic], sp.Basic], parameters: dict[str, Any]
                  ) -> tuple[int, int, int]:
    """``genericity`` of a displayed counterexample (its parameters exact: SymPy rationals or their strings)."""
    m = compile_margin(s, expand)
    point = {sym: Fraction(str(parameters[sym.name])) for sym in m.symbols}
    return genericity(s, m, point)

"""Structure of expressions as built: unevaluated operations, matrix expressions, structural identity, evaluation.

These read an expression as the derivation wrote it, before any algebraisation; the data model (which rule a
step's shape implies, which symbols a segment speaks of) and every checker read them, so they depend on SymPy
alone.
"""
from __future__ import annotations

import functools

import sympy as sp

__all__ = ["UNEVALUATED", "is_matrix_expr", "symbols_of", "has_unevaluated", "same", "evaluate", "differences"]

UNEVALUATED = (sp.Limit, sp.Derivative, sp.Subs, sp.Integral, sp.Sum, sp.Product, sp.Determinant, sp.Trace)


def is_matrix_expr(e: object) -> bool:
    """A dimension-free matrix expression (built from matrix symbols), not an explicit matrix."""
    return isinstance(e, sp.MatrixExpr) and not isinstance(e, sp.MatrixBase) and bool(e.atoms(sp.MatrixSymbol))


def symbols_of(e: object) -> set[sp.Symbol]:
    """The free symbols of a side (of each entry of an explicit matrix)."""
    if isinstance(e, sp.MatrixBase):
        return set().union(*(sp.sympify(x).free_symbols for x in e))
    return set(sp.sympify(e).free_symbols) if isinstance(e, (sp.Basic, int, float)) else set()


def has_unevaluated(e: object) -> bool:
    """``e`` holds an operation that evaluation would carry out (a limit, a derivative, a Beta/Gamma ratio, a
    matrix product, ...)."""
    if not isinstance(e, sp.Basic):
        return False
    if isinstance(e, sp.MatrixBase):
        return any(has_unevaluated(x) for x in e)
    return bool(e.atoms(*UNEVALUATED)) or e.has(sp.gamma, sp.beta) or (
        isinstance(e, sp.MatMul) or bool(e.atoms(sp.MatMul)))


def same(a: object, b: object) -> bool:
    """Structural identity as built (no evaluation, no simplification)."""
    try:
        if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
            return (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase) and a.shape == b.shape
                    and all(x == y for x, y in zip(a, b, strict=False)))
        return bool(sp.sympify(a) == sp.sympify(b))
    except (TypeError, sp.SympifyError):
        return False


def evaluate(e: sp.Basic) -> sp.Basic:
    """``e.doit()``, memoised for immutable expressions: a step's sides are evaluated by every check that reads
    them, and a definition's closed form may evaluate the same derivative (Def 3.3's KL)."""
    if not hasattr(e, "doit"):
        return e
    try:
        return _evaluated(e)
    except TypeError:       # a mutable matrix is unhashable
        return e.doit()


@functools.lru_cache(maxsize=1024)
def _evaluated(e: sp.Basic) -> sp.Basic:
    return e.doit()


def differences(lhs: sp.Basic, rhs: sp.Basic) -> list[sp.Expr]:
    """``rhs - lhs`` after evaluation, entrywise when a side is an explicit matrix."""
    lhs, rhs = evaluate(lhs), evaluate(rhs)
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        return list(sp.Matrix(rhs) - sp.Matrix(lhs))
    return [rhs - lhs]

"""Multivariate division with remainder in lex order over the rationals, the divisors converted once.

``divide(f, G, gens)`` is ``sympy.reduced(f, G, *gens, order="lex")`` as expressions: quotients ``q_i`` and a
remainder ``r`` with ``f = sum q_i g_i + r`` and no term of ``r`` divisible by a leading monomial of ``G``.  SymPy
converts ``f`` and every divisor to ``Poly`` over one common domain on each call and back; the checker divides many
numerators by the same few bases, and those conversions, not the division, were nearly all of the time.

Here ``f`` and ``G`` become elements of the ring QQ[gens] (lex) directly, each tuple of divisors once.  The answer is
SymPy's: when every coefficient is rational, SymPy's common domain is ZZ or QQ, and with ``auto`` it divides over QQ
in that same ring, by the same ``PolyElement.div``.  (It then moves quotients and remainder back to ZZ when they all
lie there; an integer coefficient is the same SymPy ``Integer`` either way, so the expressions do not change.)  A
polynomial is one element of QQ[gens] however it is written, so building it from the expression rather than through
``Poly`` gives the same element.  Anything else (a float, whose domain would be RR; an algebraic or transcendental
coefficient; a symbol outside ``gens``; a negative or fractional power) goes to ``sympy.reduced`` itself, which then
answers, or raises, as it always did.
"""
from __future__ import annotations

import functools

import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.orderings import lex
from sympy.polys.rings import PolyElement, PolyRing

__all__ = ["divide"]


def divide(f: sp.Expr, G: tuple[sp.Expr, ...], gens: tuple[sp.Symbol, ...]) -> tuple[list[sp.Expr], sp.Expr]:
    """``sympy.reduced(f, list(G), *gens, order="lex")``: the quotients and the remainder."""
    divisors = _divisors(tuple(G), tuple(gens))
    poly = None if divisors is None else _element(f, divisors[0])
    if poly is None:
        return sp.reduced(f, list(G), *gens, order="lex")
    q, r = poly.div(list(divisors[1]))
    return [x.as_expr() for x in q], r.as_expr()


@functools.lru_cache(maxsize=512)
def _divisors(G: tuple[sp.Expr, ...], gens: tuple[sp.Symbol, ...]) -> tuple[PolyRing, tuple[PolyElement, ...]] | None:
    """The ring QQ[gens] in lex order and the divisors in it; ``None`` when one is no polynomial over QQ there."""
    if not G or len(set(gens)) != len(gens) or not all(isinstance(s, sp.Symbol) for s in gens):
        return None
    ring = PolyRing(gens, QQ, lex)
    basis = tuple(_element(g, ring) for g in G)
    return None if any(b is None for b in basis) else (ring, basis)


def _element(e: sp.Expr, ring: PolyRing) -> PolyElement | None:
    """``e`` as an element of ``ring`` (QQ[gens]); ``None`` when it is none, or holds a float."""
    e = sp.sympify(e)
    if e.has(sp.Float) or not e.free_symbols <= set(ring.symbols):
        return None
    try:
        return ring.from_expr(e)
    except (ValueError, sp.polys.polyerrors.CoercionFailed):
        return None

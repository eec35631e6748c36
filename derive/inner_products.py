"""Inner products as scalars: a 1 x 1 matrix expression read as the real number it is.

A dimension-free matrix identity between 1 x 1 expressions (``v^T x = x^T v``, ``(u^T u)(w^T w) = (w^T w)(u^T u)``)
holds because a 1 x 1 matrix is a scalar: it equals its transpose, and 1 x 1 matrices commute.  SymPy's matrix
simplification knows neither.  :func:`scalar_form` writes such an expression as a polynomial in one real symbol per
inner product ``p^T M q`` (a maximal factor of a matrix product whose shape is 1 x 1), the product and its transpose
sharing one symbol; two expressions whose forms are the same polynomial are equal for all matrices of the stated
shapes.  A derivation may name inner products by scalar symbols (``Derivation.names``: ``s`` for ``v^T C a``); a
name in an expression is read as the inner product it names, so a step can state a fact about the named numbers
(``g^2 nn <= nn^2 ww``) and prove it from the matrices.

The reading is conservative: an expression it cannot read (a matrix power of a non-square factor, an inverse of a
1 x 1 product, a function of an inner product other than a polynomial) gives ``None``, and the step is not proved
this way.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping

import sympy as sp

__all__ = ["scalar_form", "table_of", "InnerProducts"]


class InnerProducts:
    """One real symbol per inner product, the product and its transpose sharing it; names read as what they name."""

    def __init__(self, names: Mapping[sp.Symbol, sp.Basic]) -> None:
        self._symbols: dict[sp.Basic, sp.Symbol] = {}
        self._names = dict(names)
        self._named: dict[sp.Symbol, sp.Expr | None] = {}
        self._forms: dict[sp.Basic, sp.Expr | None] = {}

    def form(self, e: sp.Basic) -> sp.Expr | None:
        """``e`` (a scalar expression in names, or a 1 x 1 matrix expression) as a polynomial in the inner products'
        symbols; ``None`` when it cannot be read so."""
        if isinstance(e, sp.MatrixBase):
            return None
        if isinstance(e, sp.MatrixExpr):
            if e.shape != (1, 1):
                return None
            if e not in self._forms:
                self._forms[e] = self._matrix_form(e)
            return self._forms[e]
        e = sp.sympify(e)
        named = {x: self._name_form(x) for x in e.free_symbols if x in self._names}
        if any(v is None for v in named.values()):
            return None
        return sp.expand(e.xreplace(named))

    def _name_form(self, x: sp.Symbol) -> sp.Expr | None:
        if x not in self._named:
            self._named[x] = None          # a name defined through itself is not read
            self._named[x] = self.form(self._names[x])
        return self._named[x]

    def _matrix_form(self, e: sp.MatrixExpr) -> sp.Expr | None:
        terms = _linear_terms(e)
        if terms is None:
            return None
        out = sp.Integer(0)
        for coeff, chain in terms:
            # The product of the chain as SymPy writes it (X^-1 X cancelled), then split into inner products.
            got = self._term(sp.MatMul(*chain).doit() if len(chain) > 1 else chain[0])
            c = self.form(coeff)
            if got is None or c is None:
                return None
            out += c * got
        return sp.expand(out)

    def _term(self, term: sp.Basic) -> sp.Expr | None:
        """A product ``c * F_1 * ... * F_k`` as ``c`` (read for names) times the product of its inner products."""
        if isinstance(term, sp.MatMul):
            coeff, factors = term.as_coeff_matrices()
        elif isinstance(term, sp.MatrixExpr):
            coeff, factors = sp.Integer(1), [term]
        else:
            return None
        coeff = self.form(coeff)
        flat = _flatten(factors)
        if coeff is None or flat is None:
            return None
        value = coeff
        for block in _blocks(flat):
            if block is None:
                return None
            value *= self._symbol(block)
        return value

    def _symbol(self, block: tuple[sp.Basic, ...]) -> sp.Symbol:
        """The symbol of the inner product ``block`` (a product of shape 1 x 1), shared with its transpose."""
        here = sp.MatMul(*block).doit() if len(block) > 1 else block[0]
        there = sp.Transpose(here).doit()
        key = min(here, there, key=sp.default_sort_key)
        if key not in self._symbols:
            self._symbols[key] = sp.Dummy(f"ip{len(self._symbols)}", real=True)
        return self._symbols[key]


def _linear_terms(e: sp.Basic) -> list[tuple[sp.Expr, tuple[sp.Basic, ...]]] | None:
    """``e`` multiplied out by bilinearity: a list of (scalar coefficient, chain of factors), each factor a matrix
    symbol, its transpose or an inverse, the terms summing to ``e``; ``None`` for an expression it cannot expand.
    (SymPy's matrix ``expand`` does the same, several times slower.)"""
    if isinstance(e, sp.ZeroMatrix):
        return []
    if isinstance(e, (sp.MatrixSymbol, sp.Inverse)):
        return [(sp.Integer(1), (e,))]
    if isinstance(e, sp.MatAdd):
        out: list[tuple[sp.Expr, tuple[sp.Basic, ...]]] = []
        for a in e.args:
            more = _linear_terms(a)
            if more is None:
                return None
            out += more
        return out
    if isinstance(e, sp.MatMul):
        coeff, factors = e.as_coeff_matrices()
        out = [(sp.sympify(coeff), ())]
        for f in factors:
            more = _linear_terms(f)
            if more is None:
                return None
            out = [(c1 * c2, ch1 + ch2) for c1, ch1 in out for c2, ch2 in more]
        return out
    if isinstance(e, sp.Transpose):
        inner = _linear_terms(e.arg)
        if inner is None:
            return None
        return [(c, tuple(sp.Transpose(f).doit() for f in reversed(chain))) for c, chain in inner]
    if isinstance(e, sp.MatPow) and e.exp.is_Integer and e.exp >= 1:
        return _linear_terms(sp.MatMul(*([e.base] * int(e.exp)), evaluate=False))
    return None


def _flatten(factors: list[sp.Basic]) -> list[sp.Basic] | None:
    """The factors with each square matrix power ``X^k`` (k >= 1 an integer) written out as ``k`` factors ``X``."""
    out: list[sp.Basic] = []
    for f in factors:
        if isinstance(f, sp.MatPow) and f.exp.is_Integer and f.exp >= 1:
            out += [f.base] * int(f.exp)
        elif isinstance(f, sp.MatMul):
            coeff, inner = f.as_coeff_matrices()
            if coeff != 1:
                return None
            more = _flatten(list(inner))
            if more is None:
                return None
            out += more
        else:
            out.append(f)
    return out


def _blocks(factors: list[sp.Basic]) -> list[tuple[sp.Basic, ...] | None]:
    """The maximal consecutive runs of ``factors`` whose product is 1 x 1 (a run starts at a factor with one row and
    ends at the first factor after it with one column); a ``None`` entry when the product does not split so."""
    out: list[tuple[sp.Basic, ...] | None] = []
    start = 0
    for i, f in enumerate(factors):
        if factors[start].shape[0] != 1:
            return [None]
        if f.shape[1] == 1:
            out.append(tuple(factors[start:i + 1]))
            start = i + 1
    if start != len(factors):
        return [None]
    return out


@functools.lru_cache(maxsize=16)
def table_of(names: tuple[tuple[sp.Symbol, sp.Basic], ...]) -> InnerProducts:
    """The one table of a derivation's names: its steps share the inner products' symbols and their forms."""
    return InnerProducts(dict(names))


def scalar_form(e: sp.Basic, names: tuple[tuple[sp.Symbol, sp.Basic], ...] = ()) -> sp.Expr | None:
    """``e`` as a polynomial in its inner products, names read as what they name (see the module docstring)."""
    return table_of(tuple(names)).form(e)

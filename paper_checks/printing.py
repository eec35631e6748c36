"""The printers every writer uses: SymPy's str, LaTeX and presentation-MathML printers, taught the paper's names.

A finding holds SymPy objects; each writer prints them through one of these (SymPy's printer pattern), never
through a string another writer produced.  What the paper's notation adds to SymPy's defaults:

- a symbol's name spells an accent SymPy's printers do not read: ``gamma_bar`` is the paper's bar-gamma,
  ``alpha~`` its tilde-alpha, ``v_star`` is ``v^*``, ``|I|`` the size of the index set I;
- ``Implies(P, Q)`` prints as ``P => Q`` (LaTeX ``\\implies``), ``Contains(x, S)`` as ``x in S``;
- an unevaluated substitution ``Subs(e, x, p)`` prints with an evaluation bar in MathML (SymPy writes
  ``subs(...)``, which hides what is evaluated where).
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.str import StrPrinter

__all__ = ["plain", "latex", "mathml", "math_element", "symbol_name", "Inner", "Norm"]

_ACCENTS = (("_bar", "bar", "\u00AF"), ("~", "tilde", "~"))


class Inner(sp.Function):
    """The inner product ``<x, y>`` of two vectors named by symbols, for words about them (never evaluated)."""

    nargs = 2


class Norm(sp.Function):
    """The Euclidean norm ``||x||`` of a vector named by a symbol (never evaluated)."""

    nargs = 1


def symbol_name(name: str) -> tuple[str, str | None, bool]:
    """A symbol's name split into (base name, accent or None, starred): ``gamma_bar`` -> (gamma, bar, False)."""
    star = name.endswith("_star")
    if star:
        name = name[: -len("_star")]
    for suffix, accent, _ in _ACCENTS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], accent, star
    return name, None, star


# Names whose notation is more than a base, an accent and scripts: the projection onto C's orthogonal complement.
_PERP = {"P_Cperp": ("P", "C"), "Cperp": ("C", None)}


def _abs_name(name: str) -> str | None:
    """``|I|`` -> ``I``: a symbol named for the size of a set."""
    m = re.fullmatch(r"\|(\w+)\|", name)
    return m.group(1) if m else None


class PlainPrinter(StrPrinter):
    """SymPy's ``str``, with relations as ``a <= b`` and ``a = b`` and implications as ``P => Q``: for terminals."""

    def _print_Relational(self, expr: Any) -> str:
        op = {"==": "=", "!=": "!="}.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Implies(self, expr: Any) -> str:
        return f"{self._print(expr.args[0])} => {self._print(expr.args[1])}"

    def _print_And(self, expr: Any) -> str:
        return " and ".join(self._print(a) for a in expr.args)

    def _print_Contains(self, expr: Any) -> str:
        if expr.args[1] == sp.Integers:
            return f"{self._print(expr.args[0])} integer"
        return f"{self._print(expr.args[0])} in {self._print(expr.args[1])}"

    def _print_Abs(self, e: Any) -> str:
        return f"|{self._print(e.args[0])}|"

    def _print_Inner(self, e: Any) -> str:
        return f"<{self._print(e.args[0])}, {self._print(e.args[1])}>"

    def _print_Norm(self, e: Any) -> str:
        return f"||{self._print(e.args[0])}||"

    def _print_Limit(self, e: Any) -> str:
        expr, x, at = e.args[:3]
        return f"lim_({self._print(x)} -> {self._print(at)}) {self.parenthesize(expr, 100)}"

    def _print_MatrixBase(self, m: Any) -> str:
        rows = [", ".join(self._print(x) for x in m.row(i)) for i in range(m.rows)]
        return "(" + rows[0] + ")" if m.rows == 1 else "(" + "; ".join(rows) + ")"

    def _print_Range(self, r: Any) -> str:
        if r.size is sp.oo and r.start.is_finite:
            return f"{{{r.start}, {r.start + r.step}, ...}}"
        return super()._print_Range(r)

    def _print_Interval(self, i: Any) -> str:
        left, right = "(" if i.left_open else "[", ")" if i.right_open else "]"
        return f"{left}{self._print(i.start)}, {self._print(i.end)}{right}"

    def _print_Symbol(self, expr: Any) -> str:
        name = expr.name
        if name in _PERP:
            base, sub = _PERP[name]
            return f"{base}_({sub}^perp)" if sub else f"{base}^perp"
        base, accent, star = symbol_name(name)
        return name if not star else base + "*"


class _Latex(LatexPrinter):
    def _print_Symbol(self, expr: Any, style: str = "plain") -> str:
        if expr.name in _PERP:
            base, sub = _PERP[expr.name]
            return rf"{base}_{{{sub}^{{\perp}}}}" if sub else rf"{base}^{{\perp}}"
        if (inner := _abs_name(expr.name)) is not None:
            return rf"\left|{inner}\right|"
        base, accent, star = symbol_name(expr.name)
        if accent is None and not star:
            return super()._print_Symbol(expr, style)
        # SymPy's own modifiers: a name ending in "bar" or "tilde" prints with that accent.
        text = super()._print_Symbol(sp.Symbol(base + (accent or "")), style)
        return text + "^{*}" if star else text

    def _print_Inner(self, e: Any, exp: str | None = None) -> str:
        tex = rf"\left\langle {self._print(e.args[0])}, {self._print(e.args[1])} \right\rangle"
        return tex if exp is None else f"{tex}^{{{exp}}}"

    def _print_Norm(self, e: Any, exp: str | None = None) -> str:
        tex = rf"\left\| {self._print(e.args[0])} \right\|"
        return tex if exp is None else f"{tex}^{{{exp}}}"

    def _print_Implies(self, expr: Any, altchar: str | None = None) -> str:
        return rf"{self._print(expr.args[0])} \implies {self._print(expr.args[1])}"

    def _print_Contains(self, expr: Any) -> str:
        if expr.args[1] == sp.Integers:
            return rf"{self._print(expr.args[0])} \in \mathbb{{Z}}"
        return rf"{self._print(expr.args[0])} \in {self._print(expr.args[1])}"


class _MathML(MathMLPresentationPrinter):
    def _element(self, tag: str, *children: Any, text: str | None = None) -> Any:
        node = self.dom.createElement(tag)
        if text is not None:
            node.appendChild(self.dom.createTextNode(text))
        for c in children:
            node.appendChild(c)
        return node

    def _print_Symbol(self, sym: Any, style: str = "plain"):  # noqa: N802 (SymPy's naming)
        if sym.name in _PERP:
            base, sub = _PERP[sym.name]
            perp = self._element("msup", self._element("mi", text=sub or base), self._element("mo", text="\u22A5"))
            return self._element("msub", self._element("mi", text=base), perp) if sub else perp
        if (inner := _abs_name(sym.name)) is not None:
            row = self.dom.createElement("mrow")
            for piece in ("|", inner, "|"):
                node = self.dom.createElement("mo" if piece == "|" else "mi")
                node.appendChild(self.dom.createTextNode(piece))
                row.appendChild(node)
            return row
        base, accent, star = symbol_name(sym.name)
        if accent is None and not star:
            return super()._print_Symbol(sym, style)
        node = super()._print_Symbol(sp.Symbol(base), style)
        if accent is not None:
            over = self.dom.createElement("mover")
            over.setAttribute("accent", "true")
            mark = self.dom.createElement("mo")
            mark.appendChild(self.dom.createTextNode(dict((a, c) for _, a, c in _ACCENTS)[accent]))
            over.appendChild(node)
            over.appendChild(mark)
            node = over
        if star:
            sup = self.dom.createElement("msup")
            mark = self.dom.createElement("mo")
            mark.appendChild(self.dom.createTextNode("*"))
            sup.appendChild(node)
            sup.appendChild(mark)
            node = sup
        return node

    def _print_AppliedUndef(self, e: Any):  # noqa: N802
        # SymPy's printer lower-cases an unknown function's name: MaxSafetyGain would read maxsafetygain.
        name = self.dom.createElement("mi")
        if len(e.func.__name__) > 1:
            name.setAttribute("mathvariant", "normal")
        name.appendChild(self.dom.createTextNode(e.func.__name__))
        row = self.dom.createElement("mrow")
        row.appendChild(name)
        row.appendChild(self._paren_comma_separated(*e.args))
        return row

    def _print_Derivative(self, e: Any):  # noqa: N802
        # SymPy's printer writes d/dx before a sum without parentheses, which reads as the derivative of its first
        # term plus the rest.
        row = super()._print_Derivative(e)
        if isinstance(e.expr, (sp.Add, sp.Mul)):
            body = row.lastChild
            row.removeChild(body)
            row.appendChild(self._paren_comma_separated(e.expr))
        return row

    def _fence(self, left: str, right: str, args: tuple) -> Any:
        row = self.dom.createElement("mrow")
        pieces: list[Any] = [left]
        for k, a in enumerate(args):
            pieces += [","] * bool(k) + [a]
        for piece in pieces + [right]:
            if isinstance(piece, str):
                node = self.dom.createElement("mo")
                node.appendChild(self.dom.createTextNode(piece))
            else:
                node = self._print(piece)
            row.appendChild(node)
        return row

    def _print_Inner(self, e: Any):  # noqa: N802
        return self._fence("\u27E8", "\u27E9", e.args)

    def _print_Norm(self, e: Any):  # noqa: N802
        return self._fence("\u2016", "\u2016", e.args)

    def _print_Contains(self, expr: Any):  # noqa: N802
        row = self.dom.createElement("mrow")
        row.appendChild(self._print(expr.args[0]))
        op = self.dom.createElement("mo")
        op.appendChild(self.dom.createTextNode("\u2208"))
        row.appendChild(op)
        if expr.args[1] == sp.Integers:
            z = self.dom.createElement("mi")
            z.setAttribute("mathvariant", "double-struck")
            z.appendChild(self.dom.createTextNode("Z"))
            row.appendChild(z)
        else:
            row.appendChild(self._print(expr.args[1]))
        return row

    def _print_Subs(self, e: sp.Subs):  # noqa: N802
        row = self.dom.createElement("mrow")
        row.appendChild(self._print(e.expr))
        sub = self.dom.createElement("msub")
        bar = self.dom.createElement("mo")
        bar.setAttribute("stretchy", "true")
        bar.appendChild(self.dom.createTextNode("|"))
        sub.appendChild(bar)
        at = self.dom.createElement("mrow")
        for i, (v, p) in enumerate(zip(e.variables, e.point, strict=True)):
            if i:
                comma = self.dom.createElement("mo")
                comma.appendChild(self.dom.createTextNode(","))
                at.appendChild(comma)
            at.appendChild(self._print(sp.Eq(v, p, evaluate=False)))
        sub.appendChild(at)
        row.appendChild(sub)
        return row


def plain(expr: Any) -> str:
    """Plain text for terminals: ``x**2 <= B``, ``P => Q``, ``gamma_bar``."""
    return PlainPrinter().doprint(expr)


def latex(expr: Any, **settings: Any) -> str:
    """LaTeX, with the paper's accents (``\\bar{\\gamma}``) and ``\\implies``; SymPy's settings pass through."""
    return _Latex(settings).doprint(expr)


def mathml(expr: Any) -> str:
    """Presentation MathML of an expression (the inner element; ``math_element`` wraps it)."""
    return _MathML({"mat_delim": "["}).doprint(expr)


def math_element(inner: str, display: bool = False) -> str:
    block = ' display="block"' if display else ""
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{block}>{inner}</math>'


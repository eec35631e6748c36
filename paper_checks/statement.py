"""Formal statements: variables with their stated domains, hypotheses, and a conclusion as a SymPy relation.

A claim of the paper is one ``Statement``; every route reads it.  A conclusion is a ``Relational``
(``Eq``, ``Le``, ``Lt``, ``Ge``, ``Gt``) or an implication ``Implies(premise, relation)``.  An
optimisation value, an expectation or a probability appears in a conclusion as an unevaluated function
of the variables (``MaxSafetyGain(alpha, B, Delta_C)``) whose meaning is defined once, in
``paper_checks.definitions``, and evaluated by each route its own way.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

__all__ = ["Variable", "Statement", "canonical", "free_variables", "latex", "plain"]


@dataclass(frozen=True)
class Variable:
    """A symbol and its domain as the paper states it (a SymPy ``Interval``; ``integer`` for counts).

    Open ends matter: ``alpha in [0, pi]`` and ``alpha in (0, pi)`` are different statements, and the
    verdict rule reads which boundary values a statement admits.
    """

    symbol: sp.Symbol
    domain: sp.Interval
    integer: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.symbol, sp.Symbol):
            raise TypeError(f"symbol={self.symbol!r} must be a SymPy Symbol")
        if not isinstance(self.domain, sp.Interval):
            raise TypeError(f"domain={self.domain!r} of {self.symbol} must be a SymPy Interval")

    def text(self) -> str:
        """Plain text, for terminals and prose: ``0 <= alpha <= pi``, ``B > 0``, ``d >= 1 integer``."""
        d, name = self.domain, str(self.symbol)
        lo = "" if d.inf.is_infinite else f"{plain(d.inf)} {'<' if d.left_open else '<='} "
        hi = "" if d.sup.is_infinite else f" {'<' if d.right_open else '<='} {plain(d.sup)}"
        if not lo and hi:
            body = f"{name}{hi}"
        elif lo and not hi:
            body = f"{name} {'>' if d.left_open else '>='} {plain(d.inf)}"
        else:
            body = f"{lo}{name}{hi}" if lo else f"{name} real"
        return body + (" integer" if self.integer else "")

    def latex(self) -> str:
        from paper_checks.printing import latex
        dom = r"\mathbb{Z} \cap " + latex(self.domain) if self.integer else latex(self.domain)
        return f"{latex(self.symbol)} \\in {dom}"


@dataclass(frozen=True)
class Statement:
    """``for all variables in their domains: hypotheses => conclusion``.

    ``hypotheses`` hold only what the paper states; conditions it did not state belong to a
    correction, which is another ``Statement``.
    """

    variables: tuple[Variable, ...]
    hypotheses: tuple[sp.Basic, ...]
    conclusion: sp.Basic
    words: str = field(default="", compare=False)   # how the formal reading renders a sentence, if it does

    def __post_init__(self) -> None:
        known = {v.symbol for v in self.variables}
        free = set().union(self.conclusion.free_symbols, *(h.free_symbols for h in self.hypotheses))
        unknown = free - known
        if unknown:
            raise ValueError(f"statement uses symbols {sorted(map(str, unknown))} that are not among its "
                             f"variables {sorted(map(str, known))}; declare each with its domain")
        rel = self.conclusion.args[1] if isinstance(self.conclusion, sp.Implies) else self.conclusion
        if not isinstance(rel, sp.core.relational.Relational):
            raise TypeError(f"conclusion={self.conclusion!r} must be a SymPy relation or an implication "
                            "whose consequent is one")

    def variable(self, name: str) -> Variable:
        for v in self.variables:
            if v.symbol.name == name:
                return v
        raise KeyError(f"name={name!r} is not a variable of this statement")

    def latex(self) -> str:
        """The statement as a formula: domains, hypotheses, then the conclusion."""
        from paper_checks.printing import latex as print_latex
        given = [v.latex() for v in self.variables] + [print_latex(h) for h in self.hypotheses]
        return r"\forall\, " + r",\ ".join(given) + r":\quad " + latex(self.conclusion)


def plain(expr: sp.Basic) -> str:
    """Plain text of an expression or relation: ``x^2 <= B``, ``sqrt(1 - tau)``, ``P => R``."""
    if isinstance(expr, sp.Implies):
        return f"{plain(expr.args[0])} => {plain(expr.args[1])}"
    if isinstance(expr, sp.core.relational.Relational):
        op = {sp.Eq: "=", sp.Le: "<=", sp.Lt: "<", sp.Ge: ">=", sp.Gt: ">", sp.Ne: "!="}[type(expr)]
        return f"{plain(expr.lhs)} {op} {plain(expr.rhs)}"
    return sp.sstr(expr).replace("**", "^").replace("oo", "inf")


def latex(expr: sp.Basic) -> str:
    from paper_checks.printing import latex as print_latex
    return print_latex(expr)


def canonical(expr: sp.Basic) -> tuple:
    """A normal form of a relation for structural comparison: plain symbols (assumptions dropped, names kept),
    ``>``/``>=`` turned into ``<``/``<=``, each side expanded, and the two sides of an equation in a fixed
    order.  The sides are kept apart, so two different true identities do not both collapse to ``True``."""
    def plain(e: sp.Basic) -> sp.Basic:
        return sp.expand(e.xreplace({s: sp.Symbol(s.name) for s in e.free_symbols}))

    # Taken apart before any rebuilding: rebuilding Eq(a, a) would evaluate it to True.
    if isinstance(expr, sp.Implies):
        return ("implies", canonical(expr.args[0]), canonical(expr.args[1]))
    if isinstance(expr, (sp.Ge, sp.Gt)):
        kind, lhs, rhs = ("Le" if isinstance(expr, sp.Ge) else "Lt"), expr.rhs, expr.lhs
    elif isinstance(expr, sp.core.relational.Relational):
        kind, lhs, rhs = {sp.Eq: "Eq", sp.Le: "Le", sp.Lt: "Lt"}.get(type(expr), type(expr).__name__), expr.lhs, expr.rhs
    else:
        return ("expr", plain(expr))
    lhs, rhs = plain(lhs), plain(rhs)
    if kind == "Eq":
        lhs, rhs = sorted((lhs, rhs), key=sp.default_sort_key)
    return (kind, lhs, rhs)


def free_variables(s: Statement) -> tuple[Variable, ...]:
    """The variables a box certificate ranges over: continuous ones not fixed by an equality hypothesis."""
    fixed = {h.lhs for h in s.hypotheses if isinstance(h, sp.Eq) and isinstance(h.lhs, sp.Symbol)}
    return tuple(v for v in s.variables if not v.integer and v.symbol not in fixed)

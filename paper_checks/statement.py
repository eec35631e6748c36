"""Formal statements: variables with their stated domains, hypotheses, and a conclusion as a SymPy relation.

A claim of the paper is one ``Statement``; every route reads it.  A conclusion is a ``Relational``
(``Eq``, ``Le``, ``Lt``, ``Ge``, ``Gt``) or an implication ``Implies(premise, relation)``, quantified as printed:
"for all" and bare formulas are universal, "can", "may", "there exists", "some" existential (``Quantifier``).
Rates in ``d`` (``Rate``: O, Theta, o with their constant and threshold quantified) and statements in
probability (``InProbability``: at a stated confidence, or for every fixed one) are statements of their own.  An
optimisation value, an expectation or a probability appears in a conclusion as an unevaluated function
of the variables (``MaxSafetyGain(alpha, B, Delta_C)``) whose meaning is defined once, in
``paper_checks.definitions``, and evaluated by each route its own way.
"""
from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field

import sympy as sp

__all__ = ["Variable", "Quantifier", "Statement", "negation", "Order", "Rate", "InProbability", "canonical",
           "free_variables", "latex"]


class Quantifier(enum.Enum):
    """How a statement binds its variables, as the paper's words do."""

    UNIVERSAL = "for all"          # "for all", "whenever", a bare formula
    EXISTENTIAL = "there exists"   # "can", "may", "there exists", "some"

    @property
    def latex(self) -> str:
        return r"\exists" if self is Quantifier.EXISTENTIAL else r"\forall"

    @property
    def symbol(self) -> str:
        return "\u2203" if self is Quantifier.EXISTENTIAL else "\u2200"


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
        from paper_checks.printing import plain
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
    # EXISTENTIAL: ``exists variables in their domains with the hypotheses (and the premise): the relation``.
    # Verified by a certified witness; refuted only by a proof of the universal negation (``negation``).
    quantifier: Quantifier = Quantifier.UNIVERSAL

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
        if self.quantifier is Quantifier.EXISTENTIAL:
            bound = r",\ ".join(v.latex() for v in self.variables)
            rel = self.conclusion
            parts = [print_latex(h) for h in self.hypotheses]
            if isinstance(rel, sp.Implies):
                parts.append(print_latex(rel.args[0]))
                rel = rel.args[1]
            return r"\exists\, " + bound + r":\quad " + r" \wedge ".join(parts + [print_latex(rel)])
        return r"\forall\, " + r",\ ".join(given) + r":\quad " + latex(self.conclusion)


_NEGATED = {sp.Le: sp.Gt, sp.Lt: sp.Ge, sp.Ge: sp.Lt, sp.Gt: sp.Le}


def negation(s: Statement) -> Statement:
    """The universal statement that says existential ``s`` is false: ``exists x: H(x), P(x), R(x)`` fails exactly when
    ``for all x: H(x) => (P(x) => not R(x))``.  A certified failure of the negation is a certified witness of ``s``;
    a proof of the negation refutes ``s``.  Strict and non-strict swap (``not a <= b`` is ``a > b``); an equation's
    negation is no relation a margin can certify, so an existential equation is refused."""
    if s.quantifier is not Quantifier.EXISTENTIAL:
        raise ValueError(f"statement quantifier={s.quantifier!r} must be Quantifier.EXISTENTIAL to be negated "
                         "into a universal statement")
    premise, rel = s.conclusion.args if isinstance(s.conclusion, sp.Implies) else (None, s.conclusion)
    flip = _NEGATED.get(type(rel))
    if flip is None:
        raise TypeError(f"conclusion={rel!r} of an existential statement must be an inequality (Le, Lt, Ge, Gt): "
                        "a witness of an equation is not certified in ball arithmetic")
    negated = flip(rel.lhs, rel.rhs, evaluate=False)
    conclusion = sp.Implies(premise, negated, evaluate=False) if premise is not None else negated
    return Statement(s.variables, s.hypotheses, conclusion, words=f"not: {s.words}" if s.words else "")


class Order(enum.Enum):
    """Landau orders as d -> oo, each with its constant and threshold quantified (``Rate``)."""

    BIG_O = "O"       # exists C > 0, d0: for all d >= d0, |f(d)| <= C g(d)
    THETA = "Theta"   # exists 0 < c <= C, d0: for all d >= d0, c g(d) <= |f(d)| <= C g(d)
    LITTLE_O = "o"    # for all c > 0 exists d0: for all d >= d0, |f(d)| <= c g(d)


@dataclass(frozen=True)
class Rate:
    """``f = Order(g)`` as ``variable -> oo``, for each fixed value of the other symbols (the constant and the threshold
    may depend on them, never on ``variable``); ``g > 0`` for large ``variable``.

    The rule (``paper_checks.rule.rate_rule``) reads it through the ratio ``|f| / g``: O holds when it is bounded, o
    when it tends to 0, Theta when it stays between two positive constants; an O or Theta claim is refuted by a
    certified unbounded ratio, an o or Theta claim by a ratio certified to stay above a positive constant."""

    quantity: sp.Expr
    bound: sp.Expr
    order: Order
    variable: sp.Symbol
    words: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.variable, sp.Symbol):
            raise TypeError(f"variable={self.variable!r} must be a SymPy Symbol (the dimension d)")
        if not isinstance(self.order, Order):
            raise TypeError(f"order={self.order!r} must be an Order (BIG_O, THETA, LITTLE_O)")


@dataclass(frozen=True)
class InProbability:
    """``X_d - centre = Order(bound)`` in probability, read through the exact law's quantile ``Q(p, d)`` of
    ``|X_d - centre|`` (``quantile`` is an expression in ``level`` and the rate's variable):

    - at a stated confidence (``confidence``, e.g. ``1 - 1/d``): the rate ``Q(confidence, d) = Order(bound)``;
    - in probability (``confidence`` None): for every fixed level ``p`` in (0, 1), ``Q(p, d) = Order(bound)``; it
      is refuted by one level at which the ratio is certified unbounded."""

    quantile: sp.Expr
    level: sp.Symbol
    bound: sp.Expr
    order: Order
    variable: sp.Symbol
    confidence: sp.Expr | None = None
    words: str = field(default="", compare=False)

    def rate(self, level: sp.Expr | None = None) -> Rate:
        """The rate this statement asserts at ``level`` (default: the stated confidence)."""
        p = self.confidence if level is None else level
        if p is None:
            raise ValueError("level=None needs a stated confidence; in probability, name the level p in (0, 1)")
        return Rate(self.quantile.xreplace({self.level: p}), self.bound, self.order, self.variable)


def latex(expr: sp.Basic) -> str:
    from paper_checks.printing import latex as print_latex
    return print_latex(expr)


# Memoised: the verdict rule compares the same statements' conclusions with each derivation's (the expansion of a
# closed form costs up to a tenth of a second).
@functools.lru_cache(maxsize=1024)
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
        kind, lhs, rhs = ({sp.Eq: "Eq", sp.Le: "Le", sp.Lt: "Lt"}.get(type(expr), type(expr).__name__),
                          expr.lhs, expr.rhs)
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

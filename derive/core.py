"""Derivations as calc-style chains: each step rewrites the previous expression by a named rule, checked.

A derivation is a chain ``e0 op1 e1 op2 e2 ...`` (Lean's ``calc``): every step's left side is the
previous step's right side, or the step declares that the chain restarts (from a definition, a
hypothesis or a cited lemma).  Each step names a rule from the closed vocabulary :class:`Rule`, and
the rule's side conditions are checked, not its prose:

* ``ALGEBRA``: ``lhs = rhs`` is reduced to a polynomial identity.  Sines and cosines of the declared
  angles become half-angle symbols ``sh, ch > 0`` (``>= 0`` for an angle on the closed range [0, pi])
  with ``sh**2 + ch**2 = 1``; ``|g|``, ``Max``, ``Min`` and ``acos(cos u)`` become the argument their
  proved signs select (``|g|`` else ``sqrt(g^2)`` for a linear ``g``); a square root
  ``sqrt(X)`` becomes a symbol ``R`` with ``R**2 = X`` and ``R >= 0`` (``R > 0`` only when ``X > 0`` is
  proved); the numerator of ``lhs - rhs`` must reduce to zero modulo a Groebner basis of these
  relations and the derivation's side relations; the cofactors are kept as a certificate;
* ``EVALUATE``: as ALGEBRA after evaluating an unevaluated operation (limit, derivative, Subs,
  Beta/Gamma ratio, matrix product) that must be present;
* ``SUBSTITUTE``: ``rhs`` is ``lhs`` with an equation in scope applied (a side relation, an equality
  hypothesis or an earlier step), the substitution being done by the checker;
* ``WITNESS``/``SIGN``: ``lhs <= rhs`` (``<``) with ``rhs - lhs = w`` and ``w >= 0`` (``> 0``) proved;
* ``DIVIDE``: a factor ``d`` of a side's numerator and denominator cancelled, ``d`` proved nonzero;
  ``SQUARE``: the previous relation squared with both sides proved nonnegative;
* ``CITE``: the step is another derivation's conclusion under a substitution; it is no stronger than
  that derivation's weakest step, and owes the lemma's hypotheses, premises, relations and angle
  ranges under the substitution and its own sides' radicands and denominators (an obligation left
  open is tested at random points);
* ``OPTIMUM``: ``F(args) = E`` where ``F(args)`` is the maximum of an :class:`Optimum` (objective,
  variables, constraints): a cited lemma proves ``objective <= E`` for every feasible point (its
  premises on its bound variables are among the constraints), and ``point`` is feasible (each
  constraint there, as built, is an obligation; so are the radicands and denominators of ``E`` and of
  the point) and attains ``E`` (an identity).  Upper bound plus attainment
  is the maximum; that the problem is ``F``'s definition is checked where the definitions live
  (``paper_checks.rule.proves``);
* ``MATRIX``: a dimension-free matrix identity; every inverse in it of a Gram matrix ``A^T A`` declared
  invertible (full rank of ``A``, a hypothesis) with the dimensions that rank needs given by the hypotheses;
* ``SQUARED_NORM``: ``0 <= u^T u``.

Every step also emits well-definedness obligations (radicands >= 0, denominators != 0, declared
slack signs, the side relations' consistency), discharged under the hypotheses (symbol assumptions,
``domain``, ``relations``) by SymPy, else by z3 and cvc5 on an SMT-LIB query generated from the same
expression, else numerically; a step is ``ok`` only when its rule, its proof and all its obligations
are discharged symbolically.  A solver's ``sat`` is a counterexample only when the query holds every
hypothesis exactly (no pi, exponential or logarithm relaxed to a symbol, no integer read as a real).  At a
random point a value that is undefined, NaN or not real fails the step.  A step whose two sides are
identical as built, or that is no instance of its rule, is rejected.
"""
from __future__ import annotations

import enum
import functools
import math
import random
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence

import mpmath
import sympy as sp
from sympy.core.evalf import PrecisionExhausted
from sympy.core.function import AppliedUndef

from derive import intervals, smt

__all__ = ["Op", "Status", "Rule", "Start", "Discharge", "Obligation", "ObligationCheck", "Cofactors",
           "Optimum", "Step", "StepCheck", "Derivation", "check_step", "evaluate"]

_NUMERIC_POINTS = 24
_NUMERIC_DPS = 50
# A residual below 10**-40 at 50 significant digits is rounding noise, not a failure.
_NUMERIC_TOL = mpmath.mpf(10) ** -40


class Op(enum.Enum):
    """The relation a step asserts between its two sides."""

    EQ = "="
    LE = "<="
    LT = "<"

    @property
    def latex(self) -> str:
        return {"=": "=", "<=": r"\le", "<": "<"}[self.value]


class Status(enum.Enum):
    """Outcome of checking one step."""

    OK = "ok"
    NUMERIC = "numeric-only"
    FAILED = "failed"


class Rule(enum.Enum):
    """The closed vocabulary of justifications; each has its own checked side conditions."""

    ALGEBRA = "algebra"                # polynomial identity modulo the side relations
    EVALUATE = "evaluate"              # evaluate an unevaluated limit/derivative/Subs/moment, then algebra
    SUBSTITUTE = "substitute"          # apply an equation in scope
    WITNESS = "witness"                # rhs - lhs = w with w of known sign
    SIGN = "sign"                      # rhs - lhs has a known sign
    DIVIDE = "divide"                  # previous relation over a divisor != 0 (> 0 for inequalities)
    SQUARE = "square both sides"       # previous relation squared, both sides >= 0
    MERGE_ROOTS = "merge roots"        # sqrt(X) sqrt(Y) = sqrt(XY), X, Y >= 0 (algebra with radicand obligations)
    CITE = "cite"                      # another derivation's conclusion
    OPTIMUM = "optimum"                # a maximum: a cited upper bound over the feasible set, attained
    MATRIX = "matrix algebra"          # dimension-free matrix identity, inverses declared
    SQUARED_NORM = "squared norm"      # 0 <= u^T u


class Start(enum.Enum):
    """Where a chain segment starts: the step's left side is not the previous right side."""

    CONTINUE = "continues the previous step"
    DEFINITION = "from the definitions"
    HYPOTHESIS = "from a hypothesis"
    LEMMA = "from a cited lemma"


class Discharge(enum.Enum):
    """How an obligation was met."""

    SYMPY = "SymPy"
    SMT = "z3+cvc5"
    HYPOTHESIS = "declared hypothesis"
    NUMERIC = "numeric"
    OPEN = "open"
    REFUTED = "refuted"


_REL = {">": sp.StrictGreaterThan, ">=": sp.GreaterThan, "!=": sp.Unequality, "=": sp.Equality}


@dataclass(frozen=True)
class Obligation:
    """A well-definedness or side condition ``expr rel 0`` (rel one of ``> >= != =``)."""

    kind: str
    expr: sp.Expr
    rel: str
    origin: str = ""

    def relation(self) -> sp.Basic:
        return _REL[self.rel](self.expr, 0, evaluate=False)

    def __str__(self) -> str:
        if self.kind == "consistency":
            return "consistency: the hypotheses have a common real solution"
        return f"{self.kind}: {self.expr} {self.rel} 0"


@dataclass(frozen=True)
class ObligationCheck:
    """How one obligation was discharged (or why not), with the SMT query when one was sent."""

    obligation: Obligation
    how: Discharge
    detail: str = ""
    query: smt.Query | None = None
    counterexample: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class Cofactors:
    """Ideal-membership certificate: ``target == sum(q_i * g_i)`` exactly, for polynomials over Q."""

    target: sp.Expr
    generators: tuple[sp.Expr, ...]
    cofactors: tuple[sp.Expr, ...]

    def verify(self) -> bool:
        """Exact expansion; no Groebner basis is trusted."""
        return sp.expand(self.target - sum(q * g for q, g in zip(self.cofactors, self.generators, strict=False))) == 0


@dataclass(frozen=True)
class Optimum:
    """``max objective`` over ``variables`` subject to ``constraints`` (relations), and a ``point`` (values of
    the variables, in order) claimed to attain it: the data of a Rule.OPTIMUM step."""

    variables: tuple[sp.Symbol, ...]
    objective: sp.Expr
    constraints: tuple[sp.Basic, ...]
    point: tuple[sp.Expr, ...]

    def at_point(self, e: sp.Basic) -> sp.Basic:
        return sp.sympify(e).subs(dict(zip(self.variables, self.point, strict=False)), simultaneous=True)


@dataclass(frozen=True)
class Step:
    """One line of a chain: ``lhs op rhs``, its rule, and what the rule needs.

    ``rule`` is the readable justification; ``by`` the checked rule (inferred when ``None``: ALGEBRA
    for ``=``, WITNESS with a witness, SIGN without, MATRIX for matrix symbols, EVALUATE when a side
    holds an unevaluated operation).  ``start`` is ``None`` when the step continues the chain (its
    ``lhs`` is the previous ``rhs``); otherwise it names where the new segment starts.  ``using`` is
    the equation (SUBSTITUTE), the divisor (DIVIDE) or the substitution dict (CITE); ``cites`` the
    cited derivation's factory.
    """

    name: str
    lhs: sp.Basic
    rhs: sp.Basic
    rule: str
    op: Op = Op.EQ
    witness: sp.Expr | None = None
    by: Rule | None = None
    start: Start | None = None
    using: object = None
    cites: Callable[[], Derivation] | None = None
    instance: str | None = None    # proved for this instance only (e.g. "r = 3") of a parameter the claim quantifies over

    def latex(self) -> str:
        return f"{sp.latex(self.lhs)} {self.op.latex} {sp.latex(self.rhs)}"

    @property
    def checked_rule(self) -> Rule:
        if self.by is not None:
            return self.by
        if _is_matrix_expr(self.lhs) or _is_matrix_expr(self.rhs):
            return Rule.MATRIX
        if self.op is not Op.EQ:
            return Rule.WITNESS if self.witness is not None else Rule.SIGN
        if _has_unevaluated(self.lhs) or _has_unevaluated(self.rhs):
            return Rule.EVALUATE
        return Rule.ALGEBRA


@dataclass(frozen=True)
class StepCheck:
    """What checking a step gave: status, method, residual if numeric, and its obligations."""

    step: Step
    status: Status
    method: str
    residual: str | None = None
    obligations: tuple[ObligationCheck, ...] = ()
    cofactors: tuple[Cofactors, ...] = ()
    counterexample: tuple[tuple[str, str], ...] | None = None
    link: Start = Start.CONTINUE

    @property
    def rule(self) -> Rule:
        return self.step.checked_rule


@dataclass(frozen=True)
class Derivation:
    """A chain of steps ending in ``result``, with the hypotheses it is checked under.

    ``angles`` range over the open interval (0, pi), ``closed_angles`` over the closed one [0, pi] (their
    half-angle sine and cosine are nonnegative rather than positive).  ``relations`` are polynomial side conditions
    (each ``== 0``) that hold throughout; a sign-declared symbol defined by a relation (a slack) is a
    hypothesis that must follow from ``domain``.  ``domain`` holds the statement's hypotheses as
    SymPy relations.  ``invertible`` lists the matrix expressions whose inverses the hypotheses
    guarantee (e.g. ``C.T*C`` for C of full column rank).
    """

    claim: str
    title: str
    assumptions: tuple[str, ...]
    steps: tuple[Step, ...]
    result: Step
    angles: tuple[sp.Symbol, ...] = ()
    relations: tuple[sp.Expr, ...] = ()
    domain: tuple[sp.Basic, ...] = field(default=())
    invertible: tuple[sp.Basic, ...] = ()
    example: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()   # a point claimed to satisfy the hypotheses
    bound: tuple[sp.Symbol, ...] = ()    # "for every" variables: hypotheses on them are premises
    closed_angles: tuple[sp.Symbol, ...] = ()   # angles in [0, pi], their ends included

    @property
    def chain(self) -> tuple[Step, ...]:
        return (*self.steps, self.result)

    def check(self) -> tuple[StepCheck, ...]:
        """Check every step (and the result) in order, as links of the chain."""
        return _check_all(self)

    def consistency(self) -> ObligationCheck:
        """The side relations, domain and sign assumptions have a common real solution."""
        return _consistency(self)

    @property
    def conclusion(self) -> sp.Basic:
        """The relation the final chain segment proves: its first left side ``op`` the result's right
        side, ``op`` the weakest link (``=`` < ``<=`` < ``<``: any ``<`` makes it strict).

        Computed on each access (never stored: a relation between matrix expressions does not survive
        pickling to the audit's worker processes); a caller may override it (tests of the verdict rule do)."""
        override = self.__dict__.get("_conclusion_override")
        if override is not None:
            return override
        chain = self.chain
        first = 0
        for i, s in enumerate(chain):
            if _link(s, chain, i) is not Start.CONTINUE or s.by is Rule.SQUARE:
                first = i
        ops = {s.op for s in chain[first:]}
        lhs, rhs = chain[first].lhs, self.result.rhs
        if Op.LT in ops:
            rel = sp.StrictLessThan(lhs, rhs, evaluate=False)
        elif Op.LE in ops:
            rel = sp.LessThan(lhs, rhs, evaluate=False)
        else:
            rel = sp.Equality(lhs, rhs, evaluate=False)
        # The hypotheses on the bound variables are premises of the segment that speaks of them; a final segment
        # free of them (a maximum's closed form after the bound that held for every feasible point) needs none.
        seen = set().union(*(_symbols_of(x) for s in chain[first:] for x in (s.lhs, s.rhs)))
        premises = [c for c in self.domain if c.free_symbols & set(self.bound) & seen]
        return sp.Implies(sp.And(*premises), rel, evaluate=False) if premises else rel

    @conclusion.setter
    def conclusion(self, value: sp.Basic) -> None:
        self.__dict__["_conclusion_override"] = value

    def step(self, name: str) -> Step:
        for s in self.chain:
            if s.name == name:
                return s
        raise KeyError(f"name={name!r} is not a step of derivation {self.claim!r}; "
                       f"steps are {[s.name for s in self.steps]}.")

    def _repr_latex_(self) -> str:
        # One display per step: a single array of every step overflows MathJax's 5 kB buffer (Def 3.3).
        try:
            lines = [rf"$$\text{{{self.title}}}$$"]
            lines += [rf"$${s.latex()} \quad \text{{({s.name})}}$$" for s in self.chain]
            return "\n".join(lines)
        except Exception as exc:  # a notebook shows a message, never a traceback
            return rf"$\text{{could not render {self.claim}: {type(exc).__name__}}}$"


# ---------------------------------------------------------------------------------------------
# Structure of expressions


_UNEVALUATED = (sp.Limit, sp.Derivative, sp.Subs, sp.Integral, sp.Sum, sp.Product, sp.Determinant, sp.Trace)


def _is_matrix_expr(e: object) -> bool:
    """A dimension-free matrix expression (built from matrix symbols), not an explicit matrix."""
    return isinstance(e, sp.MatrixExpr) and not isinstance(e, sp.MatrixBase) and bool(e.atoms(sp.MatrixSymbol))


def _symbols_of(e: object) -> set[sp.Symbol]:
    """The free symbols of a side (of each entry of an explicit matrix)."""
    if isinstance(e, sp.MatrixBase):
        return set().union(*(sp.sympify(x).free_symbols for x in e))
    return set(sp.sympify(e).free_symbols) if isinstance(e, (sp.Basic, int, float)) else set()


def _has_unevaluated(e: object) -> bool:
    if not isinstance(e, sp.Basic):
        return False
    if isinstance(e, sp.MatrixBase):
        return any(_has_unevaluated(x) for x in e)
    return bool(e.atoms(*_UNEVALUATED)) or e.has(sp.gamma, sp.beta) or (
        isinstance(e, sp.MatMul) or bool(e.atoms(sp.MatMul)))


def _same(a: object, b: object) -> bool:
    """Structural identity as built (no evaluation, no simplification)."""
    try:
        if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
            return (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase) and a.shape == b.shape
                    and all(x == y for x, y in zip(a, b, strict=False)))
        return bool(sp.sympify(a) == sp.sympify(b))
    except (TypeError, sp.SympifyError):
        return False


def _link(step: Step, chain: tuple[Step, ...], i: int) -> Start:
    if step.start is not None:
        return step.start
    if i == 0:
        return Start.DEFINITION
    return Start.CONTINUE


def _evaluate(e: sp.Basic) -> sp.Basic:
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


evaluate = _evaluate


def _entries(lhs: sp.Basic, rhs: sp.Basic) -> list[sp.Expr]:
    lhs, rhs = _evaluate(lhs), _evaluate(rhs)
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        return list(sp.Matrix(rhs) - sp.Matrix(lhs))
    return [rhs - lhs]


def _raw_obligations(e: sp.Basic, origin: str) -> list[Obligation]:
    """Radicands >= 0 and denominators != 0 of an expression as built (and as evaluated)."""
    out: list[Obligation] = []
    exprs = list(e) if isinstance(e, sp.MatrixBase) else [e]
    def pows(e: sp.Basic):
        # Not inside an unevaluated operation: its bound variables are not the step's (the evaluated
        # form is scanned separately).
        if isinstance(e, _UNEVALUATED):
            return
        if isinstance(e, sp.Pow) and not e.has(*_UNEVALUATED):
            yield e
        for a in e.args:
            yield from pows(a)

    for x in exprs:
        if not isinstance(x, sp.Basic):
            continue
        for p in set(pows(x)):
            if p.exp.is_Rational and not p.exp.is_Integer and p.exp.q % 2 == 0:
                out.append(Obligation("radicand", p.base, ">=", origin))
            if p.exp.is_negative:
                out.append(Obligation("denominator", p.base, "!=", origin))
    return out


# ---------------------------------------------------------------------------------------------
# Algebraisation: trigonometric and radical expressions become polynomials in new symbols.


@dataclass
class _Algebra:
    """Symbols introduced for sines, cosines and square roots, the relations they obey, and the
    obligations their introduction creates (each radicand must be nonnegative)."""

    deriv: Derivation
    replace: dict[sp.Basic, sp.Symbol] = field(default_factory=dict)
    relations: list[sp.Expr] = field(default_factory=list)
    trig: dict[sp.Basic, sp.Expr] = field(default_factory=dict)
    obligations: list[Obligation] = field(default_factory=list)
    facts: list[tuple[sp.Expr, str]] = field(default_factory=list)
    complete: bool = True
    half: dict[sp.Symbol, tuple[sp.Symbol, sp.Symbol]] = field(default_factory=dict)
    structural: list[sp.Expr] = field(default_factory=list)   # trig and radical relations only
    full: bool = False       # put radicands in normal form modulo every relation (second attempt)
    radicals: list[sp.Expr] = field(default_factory=list)   # R^2 - X of each radical, in the order they were made
    given: int = 0           # how many the hypotheses made (their radicands are presumed by the hypotheses)
    upto: int | None = None  # while radicand k is discharged: the relations of radicals k, k + 1, ... are no facts

    def __post_init__(self) -> None:
        for a in (*self.deriv.angles, *self.deriv.closed_angles):
            # In (0, pi) the half angle lies in (0, pi/2): its sine and cosine are positive; in [0, pi], nonnegative.
            sign = {"positive": True} if a in self.deriv.angles else {"nonnegative": True}
            sh = sp.Symbol(f"sh_{a.name}", **sign)
            ch = sp.Symbol(f"ch_{a.name}", **sign)
            self.half[a] = (sh, ch)
            self.relations.append(sh**2 + ch**2 - 1)
            self.structural.append(sh**2 + ch**2 - 1)
            self.trig[sp.sin(a)] = 2 * sh * ch
            self.trig[sp.cos(a)] = ch**2 - sh**2
            self.trig[sp.sin(a / 2)] = sh
            self.trig[sp.cos(a / 2)] = ch
        self.relations += [sp.expand(self.trigsub(r)) for r in self.deriv.relations]
        # The domain's hypotheses as facts for the solvers (a fact that is not polynomial after
        # algebraisation is dropped, and then a solver's model is no counterexample).
        # Appended one by one: a radical made while algebraising a fact has its sign decided from those before it.
        self.complete = self.add_facts(self.deriv.domain, self.facts)
        self.given = len(self.radicals)

    def add_facts(self, domain: Sequence[sp.Basic], facts: list[tuple[sp.Expr, str]]) -> bool:
        """Append ``domain``'s hypotheses to ``facts`` as algebraised solver facts; whether none was left out."""
        complete = True
        for cond in domain:
            if cond is sp.true:      # a bound SymPy already decided from the symbol's assumptions: no fact
                continue
            fact = _as_fact(cond)
            if fact is None:
                complete = False
                continue
            facts.append((self.algebraize(fact[0]), fact[1]))
        return complete

    def usable(self) -> list[sp.Expr]:
        """The relations a sign may be decided from.  R^2 = X with R real presumes X >= 0: proving X >= 0 from it is
        circular (and with X < 0 the facts are inconsistent, so anything follows).  Radicand k is decided from the
        radicals made before it (inner ones) only, each proved the same way, so by induction all are real."""
        if self.upto is None:
            return self.relations
        own = {id(r) for r in self.radicals[max(self.upto, self.given):]}
        return [r for r in self.relations if id(r) not in own]

    def trigsub(self, e: sp.Expr) -> sp.Expr:
        # xreplace, not subs: the keys are function atoms, which xreplace finds as they stand (subs gave the same on
        # every call of the audit, at 30 times the cost); one it missed would stay non-polynomial, and fail.  Unlike
        # subs it also rewrites a bound variable named like the angle (an integral over alpha): such a side is
        # evaluated before it gets here, and a leftover integral's sign is undecided, so that fails too.
        return sp.expand_trig(e).xreplace(self.trig) if self.half else e

    def algebraize(self, expr: sp.Expr) -> sp.Expr:
        return _algebraize(sp.sympify(expr), self)

    def all_facts(self) -> list[tuple[sp.Expr, str]]:
        return [(r, "=") for r in self.usable()] + self.facts


def _as_fact(cond: sp.Basic) -> tuple[sp.Expr, str] | None:
    """``cond`` as ``(e, rel)`` with ``e rel 0``, for the solvers' facts: None for a relation they cannot state."""
    parts = _as_relation(cond)
    if parts is None or parts[0].has(sp.Abs, sp.log, sp.exp, sp.Min, sp.Max):
        return None
    return parts


def _as_relation(cond: sp.Basic) -> tuple[sp.Expr, str] | None:
    """``cond`` as ``(e, rel)`` with ``e rel 0`` (rel one of ``> >= = !=``); None when it is no relation.  As an
    obligation, any such relation can be owed: its sign is decided as far as the checker can."""
    if isinstance(cond, (sp.StrictLessThan, sp.StrictGreaterThan, sp.LessThan, sp.GreaterThan,
                         sp.Equality, sp.Unequality)):
        big, small = (cond.rhs, cond.lhs) if isinstance(cond, (sp.StrictLessThan, sp.LessThan)) \
            else (cond.lhs, cond.rhs)
        rel = {sp.StrictLessThan: ">", sp.StrictGreaterThan: ">", sp.LessThan: ">=", sp.GreaterThan: ">=",
               sp.Equality: "=", sp.Unequality: "!="}[type(cond)]
        return big - small, rel
    return None


def _decided(e: sp.Expr, rel: str, alg: _Algebra) -> bool:
    return _sign(alg.algebraize(e), rel, alg, depth=1) in (Discharge.SYMPY, Discharge.SMT)


# An inverse function, the function it inverts, and the interval (closed unless strict) where it does.
_INVERSES = ((sp.acos, sp.cos, 0, sp.pi, False), (sp.asin, sp.sin, -sp.pi / 2, sp.pi / 2, False),
             (sp.atan, sp.tan, -sp.pi / 2, sp.pi / 2, True))


def _piecewise_atoms(expr: sp.Expr, alg: _Algebra) -> sp.Expr:
    """``acos(cos u) = u`` where ``0 <= u <= pi`` is proved (``asin(sin u) = u`` for ``|u| <= pi/2``, ``atan(tan u)``
    for ``|u| < pi/2``); ``Max``/``Min`` the argument proved largest (smallest); ``|g|`` as ``g`` or ``-g`` where
    its sign is proved, else (g linear) the nonnegative square root of ``g^2``.  Each rewrite keeps the value."""
    def rewrite(node: sp.Basic) -> sp.Basic:
        if not node.args:
            return node
        node = node.func(*[rewrite(a) for a in node.args])
        for f, g, lo, hi, strict in _INVERSES:
            if isinstance(node, f) and isinstance(node.args[0], g):
                u = node.args[0].args[0]
                rel = ">" if strict else ">="
                if _decided(u - lo, rel, alg) and _decided(hi - u, rel, alg):
                    return u
        if isinstance(node, (sp.Max, sp.Min)):
            big = isinstance(node, sp.Max)
            for a in node.args:
                if all(b is a or _decided(a - b if big else b - a, ">=", alg) for b in node.args):
                    return a
        if isinstance(node, sp.Abs):
            g = node.args[0]
            if _decided(g, ">=", alg):
                return g
            if _decided(-g, ">=", alg):
                return -g
            # |g| = sqrt(g^2), a radical the solvers reason with; only for g linear in its symbols (x <= |x|), since
            # the square of a larger g makes queries the solvers spend their whole time on (measured: 8 s, unknown).
            if g.is_polynomial(*g.free_symbols) and sp.Poly(g, *g.free_symbols).total_degree() <= 1:
                return sp.sqrt(g**2, evaluate=False)
        return node

    if not expr.has(sp.acos, sp.asin, sp.atan, sp.Max, sp.Min, sp.Abs):
        return expr
    return rewrite(expr)


def _algebraize(expr: sp.Expr, alg: _Algebra) -> sp.Expr:
    # Before the half-angle substitution (acos(cos u) must still read cos u) and after it (expanding the trigonometry
    # evaluates a root sqrt(g^2) of a real g back into |g|).
    expr = _piecewise_atoms(alg.trigsub(_piecewise_atoms(expr, alg)), alg)
    # Radicands are put in normal form modulo the trigonometric and radical relations only: the
    # derivation's own side relations would rewrite sqrt(B^2 - Delta_C^2) in terms of unrelated
    # variables and hide its sign.
    basis = alg.relations if alg.full else alg.structural

    def radical(base: sp.Expr) -> sp.Symbol:
        base = sp.factor(base)
        if base not in alg.replace:
            # R >= 0 always (it is a square root); R > 0 only when the radicand is proved positive,
            # and R's existence as a real number is an obligation: radicand >= 0.
            positive = _sign(base, ">", alg, depth=1) in (Discharge.SYMPY, Discharge.SMT)
            r = sp.Symbol(f"R{len(alg.replace)}", **({"positive": True} if positive else {"nonnegative": True}))
            alg.replace[base] = r
            alg.radicals.append(r**2 - base)
            alg.relations.append(alg.radicals[-1])
            alg.structural.append(r**2 - base)
            alg.obligations.append(Obligation("radicand", base, ">" if positive else ">=", "a square root"))
        return alg.replace[base]

    def root(base: sp.Expr, p: int) -> sp.Expr:
        # sqrt(n/d) = sqrt(n)/sqrt(d): sound because n >= 0 and d >= 0 are both obligations (each
        # becomes its own radical) and d != 0 is one too (R_d is a denominator).
        num, den = sp.fraction(sp.together(base))
        parts = [sp.factor_list(_normal_form(sp.expand(part), basis)) for part in (num, den)]
        if parts[0][0] < 0 and parts[1][0] < 0 and (
                _sign(-num, ">=", alg) in (Discharge.SYMPY, Discharge.SMT)
                or _sign(-den, ">", alg) in (Discharge.SYMPY, Discharge.SMT)):
            # n/d = (-n)/(-d): with both contents negative and -n >= 0 (or -d > 0) proved, both signs flip before
            # the split, so the radicands owed are the ones that hold (sqrt(-1/(-x^2 - 2)) = sqrt(1)/sqrt(x^2 + 2),
            # not sqrt(-1)/sqrt(-x^2 - 2)).  A negative content alone says nothing of the sign: (1 - x)/(1 - y)
            # has both, and on x, y < 1 it splits as sqrt(1 - x)/sqrt(1 - y).
            parts = [(-c, f) for c, f in parts]
        out = sp.Integer(1)
        for (coeff, factors), sign in zip(parts, (1, -1), strict=False):
            # A positive rational content comes out of the root; a negative one stays inside.
            rest = sp.Integer(-1) if coeff < 0 else sp.Integer(1)
            out *= sp.sqrt(abs(coeff)) ** (sign * p)
            for g, k in factors:
                if k % 2 == 0 and (g.is_nonnegative or _sign(g, ">=", alg) in (Discharge.SYMPY, Discharge.SMT)):
                    out *= g ** (sign * p * (k // 2))   # sqrt(g^(2j)) = g^j for g >= 0 (proved)
                elif k % 2 == 0 and _sign(-g, ">=", alg) in (Discharge.SYMPY, Discharge.SMT):
                    out *= (-g) ** (sign * p * (k // 2))
                else:
                    rest *= g**k
            if rest != 1:
                out *= (_known_square(rest) or radical(rest)) ** (sign * p)
        return out

    def _known_square(base: sp.Expr) -> sp.Symbol | None:
        # A radicand equal to the square of a positive half-angle sine or cosine, e.g. 1 - sh**2 = ch**2.
        for t in alg.trig.values():
            if t.is_Symbol and sp.expand(_normal_form(base - t**2, basis)) == 0:
                return t
        return None

    def rewrite(e: sp.Basic) -> sp.Basic:
        if e.is_Pow and e.exp.is_Rational and e.exp.q == 2:
            return root(rewrite(e.base), int(e.exp.p))
        if e.is_Mul:
            # sqrt(X) sqrt(Y) -> sqrt(XY): valid because X >= 0 and Y >= 0 are obligations of the step
            # (every radicand as built is one), so one radicand has one canonical normal form.
            up = [f.base for f in e.args if f.is_Pow and f.exp == sp.Rational(1, 2)]
            down = [f.base for f in e.args if f.is_Pow and f.exp == sp.Rational(-1, 2)]
            if len(up) > 1 or len(down) > 1:
                rest = [rewrite(f) for f in e.args
                        if not (f.is_Pow and f.exp in (sp.Rational(1, 2), sp.Rational(-1, 2)))]
                return (sp.Mul(*rest) * root(rewrite(sp.Mul(*up)), 1)
                        * root(rewrite(sp.Mul(*down)), -1))
        if e.args:
            return e.func(*[rewrite(a) for a in e.args])
        return e

    return rewrite(expr)


def _normal_form(expr: sp.Expr, basis: list[sp.Expr]) -> sp.Expr:
    """Reduce ``expr`` modulo ``basis`` in lex order with radicals first, then half-angle cosines:
    every ``R**2`` and ``ch**2`` is rewritten away, so squares of sines show up as factors."""
    if not basis:
        return expr
    return _normal_form_of(expr, tuple(basis))


# Memoised: a step's radicands, signs and sides ask for the same reductions again (measured: 704 calls,
# 234 distinct, nearly half the time in repeats).  A pure function of its arguments; symbols with different
# assumptions are different keys.
@functools.lru_cache(maxsize=2048)
def _normal_form_of(expr: sp.Expr, basis: tuple[sp.Expr, ...]) -> sp.Expr:
    num, den = sp.fraction(sp.together(expr))
    own = set().union(*(b.free_symbols for b in basis))
    symbols = own | num.free_symbols
    if not symbols:
        return expr
    gens = tuple(sorted(symbols, key=_elimination_rank))
    # The basis is computed over its own symbols: Buchberger's algorithm never brings in a variable the
    # relations lack, and the order restricted to theirs is the same, so the reduced basis is the one over all
    # of ``gens``; computed once per set of relations, not once per expression reduced by them.  Their order is
    # read off ``gens``, not sorted again: symbols of one name tie in ``_elimination_rank`` and a second sort of
    # another set may order them the other way, leaving a basis that is not one for the reduction's order.
    G = _groebner(tuple(sp.expand(b) for b in basis), tuple(s for s in gens if s in own) or gens)
    _, r = sp.reduced(sp.expand(num), list(G), *gens, order="lex")
    return r / den


def _elimination_rank(s: sp.Symbol) -> tuple[int, str]:
    name = s.name
    return (0 if name.startswith("R") and name[1:].isdigit() else 1 if name.startswith("ch_") else 2, name)


@functools.lru_cache(maxsize=512)
def _groebner(basis: tuple[sp.Expr, ...], gens: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, ...]:
    return tuple(sp.groebner(list(basis), *gens, order="lex").exprs)


def _cofactors(num: sp.Expr, alg: _Algebra) -> Cofactors | None:
    """Cofactors of ``num`` over the relations themselves (not the Groebner basis), by division in
    the elimination order; ``None`` when plain division does not reach zero."""
    gens_rel = [sp.expand(r) for r in alg.relations]
    if not gens_rel:
        return None
    symbols = set().union(*(g.free_symbols for g in gens_rel), num.free_symbols)
    gens = sorted(symbols, key=_elimination_rank)
    try:
        q, r = sp.reduced(num, gens_rel, *gens, order="lex")
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        return None
    if sp.expand(r) != 0:
        return None
    cert = Cofactors(num, tuple(gens_rel), tuple(q))
    return cert if cert.verify() else None


# ---------------------------------------------------------------------------------------------
# Signs: SymPy first, then z3 and cvc5 on a generated query.


def _sympy_sign(e: sp.Expr, rel: str, alg: _Algebra) -> Discharge | None:
    def decide(x: sp.Expr) -> Discharge | None:
        if rel == ">":
            return Discharge.SYMPY if x.is_positive else Discharge.REFUTED if x.is_nonpositive else None
        if rel == ">=":
            return Discharge.SYMPY if x.is_nonnegative else Discharge.REFUTED if x.is_negative else None
        if rel == "!=":
            return Discharge.SYMPY if x.is_nonzero else Discharge.REFUTED if x.is_zero else None
        return Discharge.SYMPY if x.is_zero else Discharge.REFUTED if x.is_nonzero else None

    got = decide(e)
    if got is not None:
        return got
    try:
        nf = _normal_form(sp.expand(e), alg.usable())
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        return None
    if nf == 0:
        return Discharge.SYMPY if rel in (">=", "=") else Discharge.REFUTED
    return decide(sp.factor(nf))


def _point(q: smt.Query, model: dict, alg: _Algebra) -> tuple[tuple[str, str], ...]:
    """A solver's model under the derivation's own symbols (angles from their half-angle sines)."""
    out = {str(s): str(v) for s, v in model.items() if s is not None and not s.name.startswith(("R", "sh_", "ch_"))}
    for a, (sh, ch) in alg.half.items():
        if sh in model and ch in model:
            out[str(a)] = repr(2 * math.atan2(float(model[sh]), float(model[ch])))
    return tuple(sorted(out.items()))


def _sign(e: sp.Expr, rel: str, alg: _Algebra, depth: int = 0,
          record: list | None = None) -> Discharge:
    """Decide ``e rel 0`` under the hypotheses of ``alg`` (``e`` already algebraised).

    Exponentials are replaced by positive symbols first: a sign that holds for every positive value
    of each exponential holds for its actual value."""
    exps = sorted(sp.sympify(e).atoms(sp.exp), key=str)
    relaxed = bool(exps) or bool(sp.sympify(e).atoms(sp.log))
    if exps:
        e = sp.sympify(e).xreplace({x: sp.Dummy(f"E{i}", positive=True) for i, x in enumerate(exps)})
    # log(u) > 0 where u > 1 is proved, >= 0 where u >= 1; otherwise an unknown real.
    logs = sorted(sp.sympify(e).atoms(sp.log), key=str)
    if logs and depth < 2:
        rep = {}
        for i, x in enumerate(logs):
            u = alg.algebraize(x.args[0])
            if _sign(u - 1, ">", alg, depth + 1) in (Discharge.SYMPY, Discharge.SMT):
                rep[x] = sp.Dummy(f"L{i}", positive=True)
            elif _sign(u - 1, ">=", alg, depth + 1) in (Discharge.SYMPY, Discharge.SMT):
                rep[x] = sp.Dummy(f"L{i}", nonnegative=True)
        e = sp.sympify(e).xreplace(rep)
    got = _sympy_sign(e, rel, alg)
    if got is not None:
        if record is not None:
            record.append((got, "", None, None))
        return got
    try:
        # First only the facts about the goal's own symbols (a smaller query the solvers decide
        # fast; unsat there is unsat with more facts), then every fact (only then is sat a refutation).
        facts = alg.all_facts()
        e, facts, exact = _without_pi(sp.sympify(e), facts, alg)
        # An exponential or logarithm made a free symbol relaxes the goal: a model of the relaxed query need not
        # be a point (E0 = 1/2 for exp(-x/2000) is one, exp(x^2) = 1/2 would not be).
        complete = alg.complete and exact and not relaxed
        # The solvers reason over the reals: an integer symbol's model may be 1/2.  No integer lies strictly between
        # 0 and 1, so k (k - 1) >= 0 holds for each integer k; a model is then no counterexample.
        integers = sorted({t for t in sp.sympify(e).free_symbols.union(*(sp.sympify(f).free_symbols for f, _ in facts))
                           if t.is_integer}, key=str)
        if integers:
            facts = facts + [(t * (t - 1), ">=") for t in integers]
            complete = False
        goal_symbols = sp.sympify(e).free_symbols
        local = [f for f in facts if sp.sympify(f[0]).free_symbols <= goal_symbols]
        # With every fact local, the local query is the full one: its sat is a counterexample as much as the
        # full query's would be (x - y != 0 with no hypothesis at all is refuted by x = y).
        q = smt.build_query((e, rel), local, complete=complete and len(local) == len(facts))
        answer, model = smt.decide(q)
        if answer is smt.Answer.SAT and len(local) < len(facts):
            q = smt.build_query((e, rel), facts, complete=complete)
            answer, model = smt.decide(q)
    except smt.NotPolynomial:
        if record is not None:
            record.append((Discharge.OPEN, "not polynomial", None, None))
        return Discharge.OPEN
    if answer is smt.Answer.UNSAT:
        if record is not None:
            record.append((Discharge.SMT, "z3 and cvc5: unsat", q, None))
        return Discharge.SMT
    if answer is smt.Answer.SAT and q.complete and model is not None:
        if record is not None:
            record.append((Discharge.REFUTED, "z3 and cvc5: sat", q, _point(q, model, alg)))
        return Discharge.REFUTED
    if record is not None:
        record.append((Discharge.OPEN, f"solvers: {answer.value}", None, None))
    return Discharge.OPEN


# pi lies strictly between these rationals; in a query pi is a symbol confined to them.
_PI_BOUNDS = (sp.Rational(314159265, 10**8), sp.Rational(314159266, 10**8))


def _without_pi(e: sp.Expr, facts: list[tuple[sp.Expr, str]],
                alg: _Algebra) -> tuple[sp.Expr, list[tuple[sp.Expr, str]], bool]:
    """``e`` and ``facts`` with pi a symbol ``P`` in ``_PI_BOUNDS``, and each angle's range ``0 < a < P`` a fact
    when the goal holds ``pi`` or an angle itself (not its sine or cosine).  What holds for every such ``P`` holds
    for pi; a model is no counterexample (its ``P`` is not pi), so the third value says whether none was made."""
    angles = set(alg.deriv.angles) | set(alg.deriv.closed_angles)
    if not (e.has(sp.pi) or e.free_symbols & angles or any(sp.sympify(f).has(sp.pi) for f, _ in facts)):
        return e, facts, True
    P = sp.Dummy("P", positive=True)
    lo, hi = _PI_BOUNDS
    fix = [(sp.sympify(f).xreplace({sp.pi: P}), r) for f, r in facts]
    fix += [(P - lo, ">"), (hi - P, ">")]
    fix += [f for a in alg.deriv.angles for f in ((a, ">"), (P - a, ">"))]
    fix += [f for a in alg.deriv.closed_angles for f in ((a, ">="), (P - a, ">="))]
    return e.xreplace({sp.pi: P}), fix, False


def _discharge(ob: Obligation, alg: _Algebra) -> ObligationCheck:
    try:
        e = alg.algebraize(ob.expr)
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        return ObligationCheck(ob, Discharge.OPEN, "not algebraic")
    record: list = []
    prev = alg.upto
    if ob.kind == "radicand" and ob.expr in alg.replace:
        alg.upto = list(alg.replace).index(ob.expr)
    try:
        _sign(e, ob.rel, alg, record=record)
    finally:
        alg.upto = prev
    how, detail, q, point = record[-1]
    return ObligationCheck(ob, how, detail, q, point)


def _discharge_all(obligations: list[Obligation], alg: _Algebra) -> list[ObligationCheck]:
    """Discharge every obligation; algebraising one may introduce radicals, whose radicands are new ones."""
    out: list[ObligationCheck] = []
    seen: set[tuple[str, str]] = set()
    # The radicands of the radicals already introduced (by the hypotheses as facts, by the step's proof) too:
    # a relation R^2 = X with X < 0 makes the solvers' facts inconsistent, and then every sign "follows".
    queue = list(obligations) + list(alg.obligations)
    while queue:
        ob = queue.pop(0)
        key = (sp.srepr(ob.expr), ob.rel)
        if key in seen:
            continue
        seen.add(key)
        n = len(alg.obligations)
        out.append(_discharge(ob, alg))
        queue += alg.obligations[n:]
    return out


# ---------------------------------------------------------------------------------------------
# Consistency of the hypotheses


def _memo(fn):
    """Cache per derivation object (derivations hold mutable matrices, so they are not hashable)."""
    store: dict[int, tuple[object, object]] = {}

    @functools.wraps(fn)
    def wrapper(deriv_id: int, deriv: Derivation):
        hit = store.get(deriv_id)
        if hit is None or hit[0] is not deriv:
            hit = (deriv, fn(deriv_id, deriv))
            store[deriv_id] = hit
        return hit[1]
    return wrapper


_NICE_ANGLES = tuple(sp.pi * sp.Rational(k, 12) for k in range(1, 12))


def _exact_model(deriv: Derivation, alg: _Algebra) -> dict[sp.Symbol, sp.Expr] | None:
    """A point, in exact numbers, satisfying every side relation, hypothesis and sign assumption.

    Free symbols get small rationals (angles rational multiples of pi); each relation is then solved
    for a symbol it holds linearly, or as ``s**2 = X``; the point is checked exactly by SymPy."""
    if any(c.atoms(AppliedUndef) for c in deriv.domain):
        # A definition F(args) = X: SymPy cannot decide it at a point, so no point passes _satisfies; the
        # solvers decide consistency, with each F(args) an unknown real (_consistency_facts).
        return None
    rng = random.Random(f"model/{deriv.claim}")
    rels = [sp.expand(r) for r in deriv.relations]
    symbols = set().union(*(r.free_symbols for r in rels), *(c.free_symbols for c in deriv.domain))
    given = dict(deriv.example)
    if given and _satisfies(given, deriv, rels):
        return given
    for attempt in range(60):
        order = list(rels)
        if attempt:
            rng.shuffle(order)
        solved: dict[sp.Symbol, sp.Expr] = {}
        pending = []
        for r in order:
            # Solve for a sign-declared symbol first: that is how slacks are defined.
            for s in sorted(r.free_symbols - set(solved) - set(deriv.angles) - set(deriv.closed_angles),
                            key=lambda s: (not (s.is_positive or s.is_nonnegative), str(s))):
                if any(s in p.free_symbols for p in pending):
                    continue
                if r.is_polynomial(s):
                    p = sp.Poly(r, s)
                    if p.degree() == 1 or (p.degree() == 2 and p.coeff_monomial(s) == 0):
                        solved[s] = r
                        pending.append(r)
                        break
            else:
                pending.append(r)
        point: dict[sp.Symbol, sp.Expr] = {}
        for s in sorted(symbols - set(solved), key=str):
            if s in deriv.angles or s in deriv.closed_angles:
                point[s] = rng.choice(_NICE_ANGLES)
            elif s.is_integer:
                point[s] = sp.Integer(rng.randint(1, 6))
            else:
                v = sp.Rational(rng.randint(1, 6), rng.choice((1, 2, 3, 4, 5, 8, 16)))
                point[s] = v if (s.is_nonnegative or rng.random() < 0.6) else -v
        ok = True
        for s, r in reversed(list(solved.items())):
            rr = sp.expand(r.subs(point))
            if rr.free_symbols - {s}:
                ok = False
                break
            p = sp.Poly(rr, s)
            if p.degree() == 1:
                point[s] = -p.coeff_monomial(1) / p.coeff_monomial(s)
            else:
                sq = -p.coeff_monomial(1) / p.coeff_monomial(s**2)
                if sq.is_negative:
                    ok = False
                    break
                point[s] = sp.sqrt(sq) if (s.is_nonnegative or rng.random() < 0.5) else -sp.sqrt(sq)
        if ok and _satisfies(point, deriv, rels):
            return point
    return None


def _satisfies(point: dict[sp.Symbol, sp.Expr], deriv: Derivation, rels: list[sp.Expr]) -> bool:
    """Exactly: every relation vanishes, every sign assumption and hypothesis holds at ``point``."""
    try:
        if not all(s in point for r in rels for s in r.free_symbols):
            return False
        vals = [r.subs(point) for r in rels]
        # A cheap numeric filter, then exact: at rational multiples of pi the sines are radicals,
        # which expand to a canonical sum.
        if any(abs(sp.N(v, 30)) > 1e-20 for v in vals):
            return False
        if not all(sp.expand(v) == 0 for v in vals):
            return False
        if not all((not s.is_positive or point[s] > 0) and (not s.is_nonnegative or point[s] >= 0)
                   for s in point):
            return False
        if deriv.angles and not all(0 < point[a] < sp.pi for a in deriv.angles if a in point):
            return False
        if not all(0 <= point[a] <= sp.pi for a in deriv.closed_angles if a in point):
            return False
        # A hypothesis decided by a clear margin at 30 certified digits is decided (SymPy's own comparison of
        # irrational numbers is by evalf too); only the undecided ones (a value 0 on a boundary) are
        # evaluated exactly, which builds nested radicals.
        decided = [_clear_sign(c, point) for c in deriv.domain]
        if False in decided:
            return False
        return all(bool(c.subs(point)) for c, d in zip(deriv.domain, decided, strict=False) if d is None)
    except (TypeError, ValueError):     # SymPy cannot compare (an unevaluated relation, a non-comparable Max)
        return False


_INEQUALITIES = (sp.StrictGreaterThan, sp.GreaterThan, sp.StrictLessThan, sp.LessThan)


def _clear_sign(cond: sp.Basic, point: dict[sp.Symbol, sp.Expr]) -> bool | None:
    """Whether ``cond`` (an inequality) holds at ``point``, when its two sides differ by more than 1e-20 at 30
    correct digits; None when that does not decide it."""
    if not isinstance(cond, _INEQUALITIES):
        return None
    big, small = (cond.lhs, cond.rhs) if isinstance(cond, (sp.StrictGreaterThan, sp.GreaterThan)) \
        else (cond.rhs, cond.lhs)
    if cond.has(sp.Float) or any(point[s].has(sp.Float) for s in cond.free_symbols if s in point):
        # A Float's binary digits (0.1 = 0.1000000000000000055...) would decide 1/10 < 0.1, which SymPy's
        # exact comparison, and the hypothesis as written, do not: decided exactly.
        return None
    try:
        # strict: a value without 30 correct digits (cancellation beyond the working precision) is no evidence.
        v = sp.N(big - small, 30, subs=point, strict=True)
    except PrecisionExhausted:
        return None
    if not v.is_Float:
        return None
    return True if v > 1e-20 else False if v < -1e-20 else None


@_memo
def _consistency_cached(deriv_id: int, deriv: Derivation) -> ObligationCheck:
    alg = _Algebra(deriv)
    ob = Obligation("consistency", sp.Integer(0), "=", "the side relations and hypotheses have a real solution")
    rel = [sp.expand(r) for r in alg.relations]
    if rel:
        symbols = sorted(set().union(*(r.free_symbols for r in rel)), key=_elimination_rank)
        if list(_groebner(tuple(rel), tuple(symbols))) == [1]:
            return ObligationCheck(ob, Discharge.REFUTED, "the Groebner basis of the side relations is {1}")
    if not deriv.relations and not deriv.domain:
        return ObligationCheck(ob, Discharge.SYMPY, "no side relations or hypotheses beyond symbol signs")
    point = _exact_model(deriv, alg)
    if point is not None:
        return ObligationCheck(ob, Discharge.SYMPY, "an exact point satisfies them all: "
                               + ", ".join(f"{k} = {v}" for k, v in sorted(point.items(), key=lambda t: str(t[0]))),
                               counterexample=None)
    facts, complete = _consistency_facts(deriv, alg)
    q = smt.build_query(None, facts, header=f"{deriv.claim}: consistency of the hypotheses", complete=complete)
    answer, _ = smt.decide(q)
    # A model of the facts the solvers were given is a model of the hypotheses only if none was left out.
    if answer is smt.Answer.SAT and q.complete:
        return ObligationCheck(ob, Discharge.SMT, "z3 and cvc5: sat (a real model exists)", q)
    if answer is smt.Answer.UNSAT:
        return ObligationCheck(ob, Discharge.REFUTED, "z3 and cvc5: unsat (no real model)", q)
    return ObligationCheck(ob, Discharge.OPEN, "solvers undecided")


def _consistency_facts(deriv: Derivation, alg: _Algebra) -> tuple[list[tuple[sp.Expr, str]], bool]:
    """The hypotheses as solver facts, and whether none was left out.  A definition ``F(args) = X`` of an
    undefined function holds for a suitable F, so each application ``F(args)`` is an unknown real here; that
    is sound when each F is applied at one argument tuple only (two applications could otherwise coincide)."""
    apps = set().union(*(c.atoms(AppliedUndef) for c in deriv.domain))
    if len({a.func for a in apps}) != len(apps):
        return alg.all_facts(), alg.complete
    unknown = {a: sp.Dummy(str(a.func), real=True) for a in apps}
    facts: list[tuple[sp.Expr, str]] = []
    complete = alg.add_facts([c.xreplace(unknown) for c in deriv.domain], facts)
    return [(r, "=") for r in alg.relations] + facts, complete


def _consistency(deriv: Derivation) -> ObligationCheck:
    return _consistency_cached(id(deriv), deriv)


def _slack_obligations(deriv: Derivation) -> dict[sp.Symbol, Obligation]:
    """A sign-declared symbol defined (linearly) by a side relation is a slack: its sign is a
    hypothesis that must follow from the domain, e.g. s_B = B^2 - |delta|^2 >= 0 needs |delta| <= B."""
    out: dict[sp.Symbol, Obligation] = {}
    in_domain = set().union(*(c.free_symbols for c in deriv.domain))
    for r in deriv.relations:
        r = sp.expand(r)
        # The slack is the symbol the relation defines: one the hypotheses do not mention.
        for s in sorted(r.free_symbols, key=lambda s: (s in in_domain, str(s))):
            if not (s.is_positive or s.is_nonnegative) or s in out:
                continue
            p = sp.Poly(r, s) if r.is_polynomial(s) else None
            if p is None or p.degree() != 1 or p.coeff_monomial(s) not in (1, -1):
                continue
            # r = c s + rest with c = +-1: s = -rest / c (what sp.solve returns, without its general machinery)
            c = p.coeff_monomial(s)
            value = sp.factor_terms(sp.expand(-(r - c * s) / c))
            out[s] = Obligation("slack", value, ">" if s.is_positive else ">=",
                                f"{s} = {value} is declared {'positive' if s.is_positive else 'nonnegative'}")
            break
    return out


@_memo
def _slack_checks_cached(deriv_id: int, deriv: Derivation) -> dict[sp.Symbol, ObligationCheck]:
    slacks = _slack_obligations(deriv)
    out = {}
    for s, ob in slacks.items():
        # Decide the slack's sign from everything except its own definition.
        others = tuple(r for r in deriv.relations if s not in r.free_symbols)
        sub = Derivation(deriv.claim, deriv.title, (), (), Step("-", 0, 0, "-"), deriv.angles, others,
                         deriv.domain, closed_angles=deriv.closed_angles)
        alg = _Algebra(sub)
        out[s] = _discharge(ob, alg)
    return out


# ---------------------------------------------------------------------------------------------
# Checking


@_memo
def _check_all_cached(deriv_id: int, deriv: Derivation) -> tuple[StepCheck, ...]:
    chain = deriv.chain
    out: list[StepCheck] = []
    for i, step in enumerate(chain):
        check = _check_in_chain(step, deriv, i, tuple(out))
        if step.instance is not None and check.status is Status.OK:
            # Proved exactly, but for one instance of a quantified parameter: not a proof for all values.
            check = StepCheck(step, Status.NUMERIC, f"proved exactly for {step.instance} only, an instance of a"
                              f" parameter the claim quantifies over ({check.method})", "0", check.obligations,
                              check.cofactors, None, check.link)
        out.append(check)
    return tuple(out)


def _check_all(deriv: Derivation) -> tuple[StepCheck, ...]:
    return _check_all_cached(id(deriv), deriv)


def check_step(step: Step, deriv: Derivation) -> StepCheck:
    """Check one step of ``deriv`` as a link of its chain (the earlier steps are checked too)."""
    chain = deriv.chain
    for i, s in enumerate(chain):
        if s is step:
            return _check_all(deriv)[i]
    return _check_in_chain(step, deriv, 0, ())


def _failed(step: Step, why: str, link: Start, obligations=(), point=None) -> StepCheck:
    return StepCheck(step, Status.FAILED, why, None, tuple(obligations), (), point, link)


def _check_in_chain(step: Step, deriv: Derivation, i: int, before: tuple[StepCheck, ...]) -> StepCheck:
    chain = deriv.chain
    link = _link(step, chain, i)
    if _same(step.lhs, step.rhs):
        return _failed(step, "rejected: both sides are the same expression as built, so the step proves nothing",
                       link)
    if step.by in (Rule.CITE, Rule.OPTIMUM) and step.cites is None:
        return _failed(step, f"rejected: rule {step.by.name} names no lemma", link)
    if step.by is Rule.SQUARE:
        prev = chain[i - 1] if i > 0 else None
        if prev is None or not (_same(step.lhs, sp.Pow(prev.lhs, 2)) and _same(step.rhs, sp.Pow(prev.rhs, 2))
                                and (prev.op is step.op)):
            return _failed(step, "rule SQUARE: the step must be the previous relation with both sides squared", link)
    elif link is Start.CONTINUE and not _same(step.lhs, chain[i - 1].rhs):
        return _failed(step, f"chain broken: the left side is not the right side of step {chain[i - 1].name!r},"
                       " and the step declares no restart", link)
    if link is Start.LEMMA and step.cites is None:
        return _failed(step, "chain restarts from a lemma but cites none", link)
    cons = _consistency(deriv)
    if cons.how is Discharge.REFUTED:
        return _failed(step, f"the hypotheses are inconsistent ({cons.detail}): nothing follows", link, [cons])
    rule = step.checked_rule
    try:
        if rule is Rule.MATRIX:
            return _check_matrix(step, deriv, link)
        if rule is Rule.SQUARED_NORM:
            invs = _inverse_obligations(step, deriv)
            bad = [o for o in invs if o.how in (Discharge.OPEN, Discharge.REFUTED)]
            if bad:
                return _failed(step, f"inverse not shown to exist: {bad[0].obligation.expr} ({bad[0].detail})",
                               link, invs)
            return _check_squared_norm(step, link)
        if rule is Rule.CITE:
            return _check_cite(step, deriv, link)
        if rule is Rule.OPTIMUM:
            return _check_optimum(step, deriv, link)
        return _check_scalar(step, deriv, i, link, cons)
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed,
            NotImplementedError, TypeError) as exc:
        return _failed(step, f"the checker could not process the step ({type(exc).__name__})", link)


def _matrix_inverses(e: sp.Basic) -> set[sp.Basic]:
    return {x.arg for x in e.atoms(sp.Inverse)} if isinstance(e, sp.Basic) else set()


def _inverse_obligations(step: Step, deriv: Derivation) -> list[ObligationCheck]:
    """Each inverse ``X^-1`` in the step exists by a hypothesis: ``X`` is declared invertible (the derivation assumes
    a rank condition), ``X`` is a Gram matrix ``A^T A`` (``A A^T``), for which that is full column (row) rank of
    ``A``, and the hypotheses give the dimensions the rank needs (columns <= rows): ``(C C^T)^-1`` for a d x m
    matrix ``C`` with nothing saying d <= m is singular whenever m < d, declared or not."""
    out = []
    for X in sorted(_matrix_inverses(step.lhs) | _matrix_inverses(step.rhs), key=str):
        ob = Obligation("inverse", X, "!=", f"{X} is invertible")
        if not any(_same(X, Y) for Y in deriv.invertible):
            out.append(ObligationCheck(ob, Discharge.OPEN, "no hypothesis makes it invertible"))
            continue
        need = _gram_dimensions(X)
        if need is None:
            out.append(ObligationCheck(ob, Discharge.OPEN, "declared invertible, but not a Gram matrix A^T A or A A^T,"
                                       " whose invertibility a rank hypothesis on A gives"))
            continue
        small, big = need
        sign = _sign(sp.sympify(big - small), ">=", _Algebra(deriv))
        if sign is Discharge.REFUTED:
            out.append(ObligationCheck(ob, Discharge.REFUTED, f"rank: needs {small} <= {big}, which fails at a point "
                                       "the hypotheses allow"))
        elif sign in (Discharge.SYMPY, Discharge.SMT):
            out.append(ObligationCheck(ob, Discharge.HYPOTHESIS, f"full rank, a stated hypothesis; the hypotheses give "
                                       f"{small} <= {big}, the dimensions it needs"))
        else:
            out.append(ObligationCheck(ob, Discharge.OPEN, f"rank: needs {small} <= {big}, which the hypotheses do "
                                       "not give"))
    return out


def _gram_dimensions(X: sp.Basic) -> tuple[sp.Expr, sp.Expr] | None:
    """For ``X = A^T A`` (p x q ``A``): ``(q, p)``, full column rank needing q <= p; for ``A A^T``: ``(p, q)``."""
    if not (isinstance(X, sp.MatMul) and len(X.args) == 2):
        return None
    A, Bm = X.args
    if isinstance(A, sp.Transpose) and A.arg == Bm:
        return Bm.shape[1], Bm.shape[0]
    if isinstance(Bm, sp.Transpose) and Bm.arg == A:
        return A.shape[0], A.shape[1]
    return None


def _check_matrix(step: Step, deriv: Derivation, link: Start) -> StepCheck:
    if not (_is_matrix_expr(step.lhs) or _is_matrix_expr(step.rhs)):
        return _failed(step, "rule MATRIX: neither side is a matrix expression", link)
    invs = _inverse_obligations(step, deriv)
    bad = [o for o in invs if o.how in (Discharge.OPEN, Discharge.REFUTED)]
    if bad:
        return _failed(step, f"inverse not shown to exist: {bad[0].obligation.expr} ({bad[0].detail})", link, invs)
    if step.op is not Op.EQ:
        return _failed(step, "matrix steps are identities; an inequality needs SQUARED_NORM", link, invs)
    diff = step.rhs - step.lhs
    if isinstance(diff, sp.MatrixBase):
        return _failed(step, "explicit matrices are checked entrywise; use rule ALGEBRA", link, invs)
    ok = sp.simplify(sp.expand(diff.doit())).is_ZeroMatrix
    if ok:
        return StepCheck(step, Status.OK, "matrix-expression simplification", None, tuple(invs), (), None, link)
    return _failed(step, f"matrix-expression simplification leaves {sp.simplify(diff)}", link, invs)


def _check_squared_norm(step: Step, link: Start) -> StepCheck:
    """``lhs <= rhs`` where ``rhs - lhs`` is ``u^T u`` for the column vector ``u = step.witness``."""
    u = step.witness
    if step.op is not Op.LE or u is None or not isinstance(u, sp.MatrixExpr) or u.shape[1] != 1:
        return _failed(step, "rule SQUARED_NORM needs lhs <= rhs and a column vector u with rhs - lhs = u^T u", link)
    gap = step.rhs - step.lhs - sp.MatMul(sp.Transpose(u), u)
    if sp.simplify(sp.expand(gap.doit())).is_ZeroMatrix or gap.doit() == sp.ZeroMatrix(*gap.shape):
        return StepCheck(step, Status.OK, "rhs - lhs = u^T u, a squared norm, is nonnegative", link=link)
    return _failed(step, f"rhs - lhs is not u^T u for u = {u}", link)


def _check_cite(step: Step, deriv: Derivation, link: Start) -> StepCheck:
    lemma = step.cites()
    conclusion = lemma.conclusion
    premises: tuple[sp.Basic, ...] = ()
    if isinstance(conclusion, sp.Implies):
        # Its premises are about the lemma's bound variables: obligations here, under this chain's hypotheses.
        premises = sp.And.make_args(conclusion.args[0])
        conclusion = conclusion.args[1]
    sub = step.using or {}
    strength = {sp.Equality: Op.EQ, sp.LessThan: Op.LE, sp.StrictLessThan: Op.LT}[type(conclusion)]
    if not (strength is step.op or step.op is Op.LE):
        return _failed(step, f"the lemma {lemma.claim} proves {strength.value}, not {step.op.value}", link)
    alg = _Algebra(deriv)
    for mine, theirs in ((step.lhs, conclusion.lhs), (step.rhs, conclusion.rhs)):
        d = sp.sympify(mine) - sp.sympify(theirs).subs(sub, simultaneous=True)
        if not _identity([d], alg)[0]:
            return _failed(step, f"the step is not the conclusion of {lemma.claim} under {sub}", link)
    # The lemma's hypotheses, under the substitution, are obligations here (a hypothesis about the
    # lemma's own bound variables, e.g. its feasible delta, is not).
    bound = (set().union(*(sp.sympify(r).free_symbols for r in lemma.relations)) - set(sub)) | set(lemma.bound)
    obligations = _lemma_hypotheses(lemma, bound, sub)
    for cond in premises:
        fact = _as_relation(cond)
        if fact is None:
            return _failed(step, f"the premise {cond} of {lemma.claim} is not a relation the checker can state", link)
        obligations.append(Obligation("lemma premise", sp.sympify(fact[0]).subs(sub, simultaneous=True), fact[1],
                                      f"{lemma.claim}: {cond}"))
    for rel in lemma.relations:
        obligations.append(Obligation("lemma relation", sp.sympify(rel).subs(sub, simultaneous=True), "=",
                                      f"{lemma.claim}: {rel} = 0"))
    for k, v in sub.items():
        for flag, rel in (("positive", ">"), ("nonnegative", ">="), ("nonzero", "!=")):
            if getattr(k, f"is_{flag}") and not getattr(sp.sympify(v), f"is_{flag}"):
                obligations.append(Obligation("substituted symbol", sp.sympify(v), rel, f"{lemma.claim}: {k} {flag}"))
        for flag, rel in (("negative", ">"), ("nonpositive", ">=")):
            if getattr(k, f"is_{flag}") and not getattr(sp.sympify(v), f"is_{flag}"):
                obligations.append(Obligation("substituted symbol", -sp.sympify(v), rel, f"{lemma.claim}: {k} {flag}"))
    # The lemma holds for its angles in (0, pi) only: each angle, under the substitution, must lie there.
    obligations += _angle_obligations(lemma, sub, deriv)
    # The step's own sides are expressions of this chain: their radicands and denominators are owed here (the
    # matching above merges sqrt(a) sqrt(b) into sqrt(ab), which is real for a, b < 0 too).
    # First: a duplicate of one of them (a substituted symbol's sign) is then checked under its name.
    obligations = _raw_obligations(step.lhs, "left side") + _raw_obligations(step.rhs, "right side") + obligations
    checks = _discharge_all(obligations, alg)
    fatal = ("lemma hypothesis", "lemma angle", "radicand", "denominator")
    refuted = [c for c in checks if c.how is Discharge.REFUTED and c.obligation.kind in fatal]
    if refuted:
        return _failed(step, f"an obligation of citing {lemma.claim} fails here: {refuted[0].obligation} "
                       f"({refuted[0].detail})", link, checks, refuted[0].counterexample)
    return _cited_check(step, deriv, link, lemma, checks, f"cites {lemma.claim}")


def _angle_obligations(lemma: Derivation, sub: dict, deriv: Derivation) -> list[Obligation]:
    """``0 < a < pi`` for each angle ``a`` of ``lemma`` under ``sub`` (``0 <= a <= pi`` for a closed one); nothing for
    an angle that stays an angle of ``deriv`` with a range inside the lemma's."""
    out = []
    for a in (*lemma.angles, *lemma.closed_angles):
        v = sp.sympify(sub.get(a, a))
        closed = a in lemma.closed_angles
        if v in deriv.angles or (closed and v in deriv.closed_angles):
            continue
        rel, where = (">=", "[0, pi]") if closed else (">", "(0, pi)")
        out += [Obligation("lemma angle", v, rel, f"{lemma.claim}: {a} in {where}"),
                Obligation("lemma angle", sp.pi - v, rel, f"{lemma.claim}: {a} in {where}")]
    return out


def _cited_check(step: Step, deriv: Derivation, link: Start, lemma: Derivation, checks: list[ObligationCheck],
                 what: str, certs: Sequence[Cofactors] = ()) -> StepCheck:
    """The check of a step that rests on ``lemma``: no stronger than the lemma's weakest step; an obligation left
    open is tested at random points of the domain (it fails if one fails there), and the step is then
    numeric-only."""
    status = _cited_status(lemma, checks)
    open_ = [c for c in checks if c.how is Discharge.OPEN]
    if not open_:
        return StepCheck(step, status, f"{what} ({status.value})", None, tuple(checks), tuple(certs), link=link)
    num = _numeric_check(step, [], deriv, [c.obligation for c in open_])
    if num.status is Status.FAILED:
        return _failed(step, f"{what}, but an obligation left open fails numerically: {num.method}", link, checks,
                       num.counterexample)
    checks = [ObligationCheck(c.obligation, Discharge.NUMERIC, num.method) if c.how is Discharge.OPEN else c
              for c in checks]
    status = Status.FAILED if status is Status.FAILED else Status.NUMERIC
    return StepCheck(step, status, f"{what} ({status.value}); obligations numeric-only: {num.method}", num.residual,
                     tuple(checks), tuple(certs), link=link)


def _lemma_hypotheses(lemma: Derivation, bound: set, sub: dict) -> list[Obligation]:
    """The cited lemma's hypotheses that are not about its bound variables, under ``sub``: obligations here."""
    obligations = []
    for cond in lemma.domain:
        fact = _as_relation(cond)
        if fact is None:
            continue
        e = sp.sympify(fact[0]).subs(sub, simultaneous=True)
        if not (e.free_symbols & bound) and not (set(fact[0].free_symbols) & bound):
            obligations.append(Obligation("lemma hypothesis", e, fact[1], f"{lemma.claim}: {cond}"))
    return obligations


def _cited_status(lemma: Derivation, checks: list[ObligationCheck]) -> Status:
    """A step that cites ``lemma`` is no stronger than the lemma's weakest step, nor than its own obligations: one
    this chain does not establish (a premise on the lemma's bound variables, a relation, a substituted symbol's
    sign) leaves the step unproved, not false: the claim may still hold, and the scope says sampled."""
    statuses = {c.status for c in lemma.check()}
    if any(c.how in (Discharge.OPEN, Discharge.REFUTED) for c in checks):
        statuses.add(Status.NUMERIC)
    return Status.FAILED if Status.FAILED in statuses else Status.NUMERIC if Status.NUMERIC in statuses \
        else Status.OK


def _check_optimum(step: Step, deriv: Derivation, link: Start) -> StepCheck:
    """``F(args) = E``: the cited lemma bounds the objective by ``E`` on the feasible set, the point is
    feasible and attains ``E``.  Nothing else about ``F`` is assumed here."""
    opt = step.using
    if step.op is not Op.EQ or not isinstance(opt, Optimum) or len(opt.point) != len(opt.variables):
        return _failed(step, "rule OPTIMUM needs F(args) = E and an Optimum with one value per variable", link)
    quantity, value = (step.lhs, step.rhs) if isinstance(step.lhs, sp.core.function.AppliedUndef) \
        else (step.rhs, step.lhs)
    if not isinstance(quantity, sp.core.function.AppliedUndef):
        return _failed(step, "rule OPTIMUM: one side must be a defined quantity F(args)", link)
    lemma = step.cites()
    if lemma.angles:
        return _failed(step, f"rule OPTIMUM: {lemma.claim} takes its angles in (0, pi), a range the problem does not"
                       " state", link)
    # An angle the bound takes in [0, pi] is a parameter's range: this chain must take it there too (and its scope
    # then asks the statement for it).
    loose = [a for a in lemma.closed_angles if a not in deriv.closed_angles and a not in deriv.angles]
    if loose:
        return _failed(step, f"rule OPTIMUM: {lemma.claim} takes {loose[0]} in [0, pi], which this chain does not",
                       link)
    # The lemma's side relations may only define objects of its own (a slack u = E): a relation among the
    # problem's variables or parameters would be an assumption the problem does not make.
    mine = set(opt.variables) | quantity.free_symbols | sp.sympify(value).free_symbols
    for rel in lemma.relations:
        rel = sp.sympify(rel)
        own = [u for u in rel.free_symbols - mine
               if not rel.diff(u).free_symbols and rel.diff(u) != 0 and u not in (rel - rel.diff(u) * u).free_symbols]
        if not own:
            return _failed(step, f"rule OPTIMUM: the relation {rel} = 0 of {lemma.claim} restricts the problem", link)
    conclusion = lemma.conclusion
    premises: tuple[sp.Basic, ...] = ()
    if isinstance(conclusion, sp.Implies):
        premises = sp.And.make_args(conclusion.args[0])
        conclusion = conclusion.args[1]
    if not isinstance(conclusion, sp.LessThan) or set(lemma.bound) != set(opt.variables):
        return _failed(step, f"rule OPTIMUM: {lemma.claim} must prove objective <= E for every value of "
                       f"{opt.variables} (it proves {conclusion} for every {lemma.bound})", link)
    extra = [p for p in premises if p not in opt.constraints]
    if extra:
        return _failed(step, f"rule OPTIMUM: the bound of {lemma.claim} assumes {extra[0]}, not a constraint", link)
    alg = _Algebra(deriv)
    if not _identity([sp.sympify(conclusion.lhs) - opt.objective], alg)[0]:
        return _failed(step, f"rule OPTIMUM: {lemma.claim} bounds {conclusion.lhs}, not the objective", link)
    if not _identity([sp.sympify(conclusion.rhs) - value], alg)[0]:
        return _failed(step, f"rule OPTIMUM: {lemma.claim} bounds the objective by {conclusion.rhs}, not {value}",
                       link)
    attained, certs = _identity([opt.at_point(opt.objective) - value], alg)
    if not attained:
        return _failed(step, "rule OPTIMUM: the point does not attain the value", link)
    # The value and the point are expressions of this chain: their radicands and denominators are owed (a maximum
    # sqrt(b) exists only where b >= 0).  The feasibility witness is each constraint at the point as built, not
    # as SymPy evaluates it: sqrt(b)^2 <= b would become b <= b, true for every b, its radicand gone.
    obligations = _raw_obligations(value, "the maximum's value")
    for p in opt.point:
        obligations += _raw_obligations(sp.sympify(p), "the attaining point")
    feasible = [Obligation("feasible point", _unevaluated_at(opt, fact[0]), fact[1], f"constraint {c}")
                for c in opt.constraints if (fact := _as_fact(c)) is not None]
    if len(feasible) != len(opt.constraints):
        return _failed(step, "rule OPTIMUM: a constraint is not a relation the checker can state", link)
    obligations += feasible
    for f in feasible:
        obligations += _raw_obligations(f.expr, "the constraint at the point")
    obligations += _lemma_hypotheses(lemma, set(lemma.bound), {})
    checks = _discharge_all(obligations, alg)
    refuted = [c for c in checks if c.how is Discharge.REFUTED]
    if refuted:
        return _failed(step, f"rule OPTIMUM: {refuted[0].obligation} fails ({refuted[0].detail})", link, checks,
                       refuted[0].counterexample)
    return _cited_check(step, deriv, link, lemma, checks, f"maximum: {lemma.claim} bounds it, attained at "
                        f"{dict(zip(opt.variables, opt.point, strict=False))}", certs)


def _unevaluated_at(opt: Optimum, e: sp.Expr) -> sp.Expr:
    """``e`` at ``opt.point`` as built: no automatic evaluation merges a point's root with a power of it."""
    with sp.evaluate(False):
        return sp.sympify(e).xreplace(dict(zip(opt.variables, opt.point, strict=False)))


def _identity(entries: list[sp.Expr], alg: _Algebra) -> tuple[bool, list[Cofactors]]:
    """Each entry is zero modulo the relations (numerators only; denominators are obligations)."""
    certs: list[Cofactors] = []
    for x in entries:
        e = alg.algebraize(x)
        num, _ = sp.fraction(sp.together(sp.expand(e)))
        num = sp.expand(num)
        if num == 0:
            continue
        # Cofactors over the relations themselves, verified by expansion, prove membership in their ideal;
        # only when plain division does not reach zero is the Groebner normal form (slower) needed.
        c = _cofactors(num, alg)
        if c is not None:
            certs.append(c)
        elif sp.expand(_normal_form(num, alg.relations)) != 0:
            return False, certs
    return True, certs


def _prepare(entries: list[sp.Expr]) -> list[sp.Expr]:
    # Gamma-function ratios (Beta moments) reduce to rational functions; d^(x - 1/2) splits into
    # d^x d^(-1/2) so that the radical is seen.
    return [sp.expand_power_exp(sp.gammasimp(e) if e.has(sp.gamma) else e) for e in entries]


def _scope(step: Step, deriv: Derivation, i: int, alg: _Algebra) -> tuple[sp.Expr, sp.Expr] | None:
    """The equation ``step.using`` if it is in scope: a side relation, an equality hypothesis or an
    earlier equality step of the chain."""
    eq = step.using
    if not isinstance(eq, sp.Equality):
        return None
    old, new = eq.lhs, eq.rhs
    if any(isinstance(c, sp.Equality) and _same(c.lhs, old) and _same(c.rhs, new) for c in deriv.domain):
        return old, new
    for s in deriv.chain[:i]:
        if s.op is Op.EQ and _same(s.lhs, old) and _same(s.rhs, new):
            return old, new
    try:
        if sp.expand(_normal_form(sp.expand(alg.algebraize(old - new)), alg.relations)) == 0:
            return old, new
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        pass
    return None


def _cancels(side: sp.Basic, d: sp.Expr) -> bool:
    """``side`` holds ``d`` as a factor of its numerator and of its denominator, as built or brought together."""
    if not isinstance(side, sp.Expr) or not d.free_symbols:
        return False
    for num, den in (sp.fraction(side), sp.fraction(sp.together(side))):
        try:
            if all(not sp.fraction(sp.cancel(part / d))[1].free_symbols & d.free_symbols
                   and sp.cancel(part / d).is_polynomial(*d.free_symbols) for part in (num, den)):
                return True
        except (sp.PolynomialError, TypeError):
            continue
    return False


def _roots_product(e: sp.Basic) -> bool:
    """A product of at least two square roots (or inverse square roots) in ``e``."""
    if not isinstance(e, sp.Basic):
        return False
    return any(sum(1 for f in m.args if f.is_Pow and f.exp in (sp.Rational(1, 2), sp.Rational(-1, 2))) > 1
               for m in e.atoms(sp.Mul))


def _check_scalar(step: Step, deriv: Derivation, i: int, link: Start, cons: ObligationCheck) -> StepCheck:
    rule = step.checked_rule
    alg = _Algebra(deriv)
    obligations = _raw_obligations(step.lhs, "left side") + _raw_obligations(step.rhs, "right side")
    lhs_e, rhs_e = _evaluate(step.lhs), _evaluate(step.rhs)
    obligations += _raw_obligations(lhs_e, "left side, evaluated") + _raw_obligations(rhs_e, "right side, evaluated")
    if step.witness is not None:
        obligations += _raw_obligations(step.witness, "witness")
    prev = deriv.chain[i - 1] if i > 0 else None

    # Rule side conditions.
    if rule is Rule.EVALUATE and not (_has_unevaluated(step.lhs) or _has_unevaluated(step.rhs)):
        return _failed(step, "rule EVALUATE, but neither side holds an operation to evaluate", link)
    if rule is Rule.SUBSTITUTE:
        eq = _scope(step, deriv, i, alg)
        if eq is None:
            return _failed(step, f"rule SUBSTITUTE: the equation {step.using} is not in scope", link)
        substituted = sp.sympify(step.lhs).subs(eq[0], eq[1])
        if _same(substituted, step.lhs):
            return _failed(step, f"rule SUBSTITUTE: {eq[0]} does not occur in the left side, so the step is no "
                           "instance of the rule", link)
        lhs_e = _evaluate(substituted)
    if rule in (Rule.WITNESS, Rule.SIGN) and step.op is Op.EQ:
        return _failed(step, f"rule {rule.name} proves an inequality, and the step is an equation", link)
    if rule is Rule.WITNESS and step.witness is None:
        return _failed(step, "rule WITNESS names no witness", link)
    if rule in (Rule.ALGEBRA, Rule.EVALUATE, Rule.MERGE_ROOTS, Rule.SUBSTITUTE) and step.op is not Op.EQ:
        return _failed(step, f"rule {rule.name} proves an identity, and the step is an inequality", link)
    if rule is Rule.MERGE_ROOTS and not (_roots_product(step.lhs) or _roots_product(step.rhs)):
        return _failed(step, "rule MERGE_ROOTS: neither side holds a product of square roots to merge", link)
    if rule is Rule.DIVIDE:
        # Cancelling a common factor d is valid only where d != 0; and the step must cancel it: a side holds d as a
        # factor of both its numerator and its denominator (an unchanged expression is no division).
        if step.using is None:
            return _failed(step, "rule DIVIDE names no divisor", link)
        d = sp.sympify(step.using)
        if not (_cancels(step.lhs, d) or _cancels(step.rhs, d)):
            return _failed(step, f"rule DIVIDE: neither side holds a factor {d} of its numerator and denominator to "
                           "cancel, so the step is no instance of the rule", link)
        obligations.append(Obligation("divisor", d, "!=", "divide by it"))
    # From A op B to A^2 op B^2: for an inequality both sides must be nonnegative.
    if rule is Rule.SQUARE and step.op is not Op.EQ:
        obligations += [Obligation("square", _evaluate(prev.lhs), ">=", "square both sides"),
                        Obligation("square", _evaluate(prev.rhs), ">=", "square both sides")]

    entries = _prepare(_entries(lhs_e, rhs_e))
    if step.op is Op.EQ:
        proved, certs = _identity(entries, alg)
        if not proved and deriv.relations:
            # Radicands equal only modulo the side relations need the full normal form.
            proved, certs = _identity(entries, _Algebra(deriv, full=True))
        method = {Rule.SUBSTITUTE: "substitution, then identity modulo the side relations",
                  Rule.EVALUATE: "evaluated, then identity modulo the side relations"}.get(
            rule, "polynomial identity modulo the side relations")
    else:
        certs = []
        if step.witness is not None:
            w = alg.algebraize(step.witness)
            sign = _sign(w, ">" if step.op is Op.LT else ">=", alg)
            ident, certs = _identity([entries[0] - step.witness], alg) if sign in (Discharge.SYMPY, Discharge.SMT) \
                else (False, [])
            proved = ident and sign in (Discharge.SYMPY, Discharge.SMT)
            method = f"identity with a witness of known sign ({sign.value})"
        else:
            record: list = []
            sign = _sign(alg.algebraize(entries[0]), ">" if step.op is Op.LT else ">=", alg, record=record)
            proved = sign in (Discharge.SYMPY, Discharge.SMT)
            method = f"sign of rhs - lhs ({sign.value})"
            if sign is Discharge.REFUTED:
                point = record[-1][3]
                where = f" at {dict(point)}" if point else ""
                return _failed(step, f"refuted: rhs - lhs has the wrong sign{where} ({record[-1][1] or 'SymPy'})",
                               link, (), point)
    # Slack symbols used by the step: their declared sign must follow from the domain.
    used = set().union(*(sp.sympify(x).free_symbols for x in (step.lhs, step.rhs, step.witness or 0)
                         if not isinstance(x, sp.MatrixBase)),
                       *(x.free_symbols for x in (step.lhs, step.rhs) if isinstance(x, sp.MatrixBase)))
    # Every slack's declared sign may be used by any proof of the derivation (normal forms modulo the
    # relations bring slacks in), so every step carries every slack obligation.
    del used
    slack_checks = list(_slack_checks_cached(id(deriv), deriv).values())
    checks = _discharge_all(obligations, alg) + slack_checks
    if deriv.relations or deriv.domain:
        checks = [cons, *checks]
    refuted = [c for c in checks if c.how is Discharge.REFUTED]
    if refuted:
        c = refuted[0]
        return _failed(step, f"obligation refuted: {c.obligation} ({c.detail})", link, checks, c.counterexample)
    open_ = [c for c in checks if c.how is Discharge.OPEN]
    if proved and not open_:
        return StepCheck(step, Status.OK, method, None, tuple(checks), tuple(certs), None, link)
    num = _numeric_check(step, entries, deriv, [c.obligation for c in open_])
    why = ("proved symbolically but obligations are numeric-only: " + "; ".join(str(c.obligation) for c in open_)
           if proved else "not proved symbolically")
    if num.status is Status.NUMERIC:
        checks = [ObligationCheck(c.obligation, Discharge.NUMERIC, num.method) if c.how is Discharge.OPEN else c
                  for c in checks]
    return StepCheck(step, num.status, f"{why}; {num.method}", num.residual, tuple(checks), tuple(certs),
                     num.counterexample, link)


# ---------------------------------------------------------------------------------------------
# Numeric fallback: random points over the whole domain, at 50 digits.


def _eliminations(deriv: Derivation, symbols: set[sp.Symbol]) -> list[tuple[sp.Symbol, sp.Expr]] | None:
    """Solve each side relation for a symbol it contains linearly, so that points can be drawn on
    the relations' variety; ``None`` if some relation cannot be solved that way."""
    out: list[tuple[sp.Symbol, sp.Expr]] = []
    done: set[sp.Symbol] = set()
    rels = [sp.expand(r) for r in deriv.relations]
    if not any(r.free_symbols & symbols for r in rels):
        return []
    for r in rels:
        for s in sorted(r.free_symbols - done, key=lambda s: (not (s.is_positive or s.is_nonnegative), str(s))):
            if r.is_polynomial(s) and sp.Poly(r, s).degree() == 1 and \
                    not any(s in v.free_symbols for _, v in out):
                value = sp.solve(r, s)[0]
                out = [(t, v.subs(s, value)) for t, v in out]
                out.append((s, value))
                done.add(s)
                break
        else:
            return None
    return out


def _numeric_check(step: Step, entries: list[sp.Expr], deriv: Derivation,
                   obligations: list[Obligation]) -> StepCheck:
    exprs = list(entries) + [ob.expr for ob in obligations]
    symbols = set().union(*(sp.sympify(x).free_symbols for x in exprs))
    elim = _eliminations(deriv, symbols)
    if elim is None:
        return StepCheck(step, Status.FAILED, "its symbols obey side relations that cannot be sampled, so no "
                         "random test")
    dependent = {s for s, _ in elim}
    free = sorted((symbols | set().union(*(v.free_symbols for _, v in elim))) - dependent, key=str)
    rng = random.Random(f"{deriv.claim}/{step.name}")
    worst = mpmath.mpf(0)
    found = 0
    certified = 0
    bad_point = None
    bad_certified = False
    undefined_at = False
    allsyms = sorted(set(free) | dependent, key=str)
    fast = _compile([sp.sympify(x) for x in entries] + [sp.sympify(ob.expr) for ob in obligations], allsyms)
    fast_elim = [(s, _compile([v], sorted(v.free_symbols, key=str))) for s, v in elim]
    facts = [_as_fact(c) for c in _sampled_domain(deriv)]
    fast_domain = _compile([f[0] for f in facts if f is not None], allsyms) \
        if all(f is not None and f[0].free_symbols <= set(allsyms) for f in facts) else None
    with mpmath.workdps(_NUMERIC_DPS):
        for _ in range(_NUMERIC_POINTS * 60):
            point = {s: _draw(s, deriv, rng) for s in free}
            for (s, v), (_, f) in zip(elim, fast_elim, strict=False):
                point[s] = sp.Float(f(*[point[t] for t in sorted(v.free_symbols, key=str)])[0], _NUMERIC_DPS) \
                    if f is not None else sp.N(v.subs(point), _NUMERIC_DPS)
            if fast_domain is not None:
                # The hypotheses as margins, evaluated fast (a strict one must be positive).
                try:
                    margins = fast_domain(*[point[s] for s in allsyms])
                except (TypeError, ValueError, ZeroDivisionError):
                    continue
                if not all(_holds(m, f[1]) for m, f in zip(margins, facts, strict=False)):
                    continue
                if not all((not s.is_positive or v > 0) and (not s.is_nonnegative or v >= 0) for s, v in point.items()):
                    continue
            elif not _admissible(point, deriv):
                continue
            before = worst
            try:
                if fast is not None:
                    got = fast(*[point[s] for s in allsyms])
                    vals, obs = list(got[:len(entries)]), list(got[len(entries):])
                else:
                    vals = [mpmath.mpmathify(sp.N(sp.sympify(x).subs(point), _NUMERIC_DPS)) for x in entries]
                    obs = [mpmath.mpmathify(sp.N(sp.sympify(ob.expr).subs(point), _NUMERIC_DPS)) for ob in obligations]
                undefined = not all(_real_value(v) for v in vals + obs)
            except (ValueError, ZeroDivisionError):
                undefined = True
            except TypeError:        # not a number SymPy or mpmath can print here: no test at this point
                continue
            if undefined and bad_point is None:
                undefined_at = True
            if undefined:
                # A value that is undefined (0/0, a pole), NaN or not real at a point of the domain: the step
                # does not hold there (max(worst, nan) would keep worst and read it as agreement).
                worst = mpmath.inf
                vals, obs = [mpmath.mpf(0)] * len(vals), []
            vals = [mpmath.re(v) for v in vals]
            if not vals:
                pass            # obligations only (a cited step): the step itself is the lemma's
            elif step.op is Op.EQ:
                worst = max(worst, *(abs(v) for v in vals))
            else:
                worst = max(worst, -min(vals))
                if step.op is Op.LT and min(vals) <= 0:
                    worst = max(worst, _NUMERIC_TOL * 2)
            for ob, v in zip(obligations, obs, strict=False):
                v = mpmath.re(v)
                if (ob.rel == ">" and v <= 0) or (ob.rel == ">=" and v < -_NUMERIC_TOL) or \
                        (ob.rel == "!=" and abs(v) <= _NUMERIC_TOL):
                    worst = max(worst, _NUMERIC_TOL * 2)
            if worst > _NUMERIC_TOL and before <= _NUMERIC_TOL and bad_point is None:
                bad_point = tuple(sorted((str(s), mpmath.nstr(mpmath.mpmathify(v), 12)) for s, v in point.items()))
                # Certify the failure in arb balls: the margin's ball lies entirely on the failing side.
                for x in entries:
                    v = intervals.arb_value(x, point)
                    if v is not None and ((step.op is Op.EQ and (v.lower() > 0 or v.upper() < 0))
                                          or (step.op is not Op.EQ and v.upper() < 0)):
                        bad_certified = True
            elif entries and step.op is not Op.EQ and all(intervals.certified_positive(x, point) for x in entries):
                certified += 1
            found += 1
            if found == _NUMERIC_POINTS:
                break
    if found < _NUMERIC_POINTS:
        return StepCheck(step, Status.FAILED, f"only {found} admissible random points found to test it numerically")
    status = Status.NUMERIC if worst <= _NUMERIC_TOL else Status.FAILED
    where = "" if bad_point is None else (f"; a value is undefined or not real at {dict(bad_point)}" if undefined_at
                                          else f"; the sides differ at {dict(bad_point)}"
                                          + (" (certified in arb ball arithmetic)" if bad_certified else ""))
    cert = f"; {certified} of {found} points certified in arb ball arithmetic" if step.op is not Op.EQ and entries \
        else ""
    return StepCheck(step, status, f"numeric at {found} random points over the domain, {_NUMERIC_DPS} digits"
                     f"{cert}{where}", mpmath.nstr(worst, 5), counterexample=bad_point)


def _real_value(v) -> bool:
    """``v`` is a finite real number (an imaginary part below the noise floor is rounding)."""
    try:
        v = mpmath.mpmathify(v)
    except (TypeError, ValueError):
        return False
    if isinstance(v, mpmath.mpc):
        if not (mpmath.isfinite(v.imag) and abs(v.imag) <= _NUMERIC_TOL):
            return False
        v = v.real
    return bool(mpmath.isfinite(v))


def _compile(exprs: list[sp.Expr], symbols: list[sp.Symbol]):
    """The expressions as one mpmath function of ``symbols`` (``None`` if SymPy cannot print them)."""
    try:
        f = sp.lambdify(symbols, exprs, modules="mpmath")
    except Exception:      # lambdify raises many kinds of errors on unprintable expressions
        return None

    def call(*args):
        return [mpmath.mpmathify(v) for v in f(*[mpmath.mpf(str(a)) if isinstance(a, sp.Float) else
                                                 mpmath.mpmathify(a) for a in args])]
    return call


def _holds(margin, rel: str) -> bool:
    if isinstance(margin, mpmath.mpc):
        if abs(margin.imag) > _NUMERIC_TOL:
            return False
        margin = margin.real
    return {">": margin > 0, ">=": margin >= 0, "=": abs(margin) <= _NUMERIC_TOL,
            "!=": abs(margin) > _NUMERIC_TOL}[rel]


def _draw(s: sp.Symbol, deriv: Derivation, rng: random.Random) -> sp.Expr:
    """A point of the symbol's whole domain: angles in (0, pi); other magnitudes on a log scale from
    1e-6 to 1e6 half of the time, in (0, 3) otherwise; integers from 1 to 60."""
    if s in deriv.angles:
        return sp.Float(rng.uniform(1e-3, math.pi - 1e-3), _NUMERIC_DPS)
    if s in deriv.closed_angles:
        return sp.Float(rng.choice((0.0, math.pi)) if rng.random() < 0.1 else rng.uniform(0, math.pi), _NUMERIC_DPS)
    if s.is_integer:
        return sp.Integer(rng.randint(0 if s.is_nonnegative and not s.is_positive else 1, 60)) \
            * (1 if (s.is_nonnegative or rng.random() < 0.5) else -1)
    mag = 10 ** rng.uniform(-6, 6) if rng.random() < 0.5 else rng.uniform(0.0, 3.0)
    if s.is_positive:
        return sp.Float(max(mag, 1e-12), _NUMERIC_DPS)
    if s.is_nonnegative:
        return sp.Float(mag, _NUMERIC_DPS)
    return sp.Float(mag if rng.random() < 0.5 else -mag, _NUMERIC_DPS)


def _sampled_domain(deriv: Derivation) -> list[sp.Basic]:
    """The hypotheses a random point is tested against: all but those about an undefined function.  A
    definition ``F(x) = X`` (derive/closed_form.py keeps one in the domain) holds for a suitable F whatever
    the drawn values are, and F has no value to compute (lambdify would name an unknown function)."""
    return [c for c in deriv.domain if not c.has(AppliedUndef)]


def _admissible(point: dict[sp.Symbol, sp.Expr], deriv: Derivation) -> bool:
    for s, v in point.items():
        if (s.is_positive and not v > 0) or (s.is_nonnegative and not v >= 0):
            return False
    for cond in _sampled_domain(deriv):
        if not cond.free_symbols <= set(point):
            continue
        v = cond.subs(point)
        if v is not sp.true and v is not True:
            return False
    return all(not (rel.free_symbols <= set(point) and abs(sp.N(rel.subs(point))) > 1e-30) for rel in deriv.relations)

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
* ``SOLUTION``: ``F(args) = E`` where ``F(args)`` is ``value`` at the unknowns that solve ``equations`` (a
  :class:`Solution`: the normal equations of a projection, Pythagoras' equation of a norm; the unknowns distinct
  and in neither side): ``point`` solves them (each equation there an identity modulo the side relations) and gives
  ``E`` (an identity); the radicands and denominators of ``E``, of the point and of the equations and value there,
  and each unknown's declared sign there (negative ones too) are obligations, and so is the solution's uniqueness (a
  nonzero Jacobian for equations that are polynomials of degree 1 in the unknowns; one unknown's ``c u^2 + e = 0``
  with its sign declared, ``c != 0``; no other system is accepted).  That the equations are ``F``'s definition is
  checked where the definitions live (``paper_checks.closed_forms``, for a definition's proof and any chain's
  step);
* ``ORDER``: ``F(args) = a/k`` where ``F(args)`` is the decay exponent kappa(G^(1/k)) = lim -log G^(1/k) / log d of
  an :class:`Order` (``G``, the root ``k``: an RMS is the square root of a mean square): ``G = c d^(-a) h`` is an
  identity, with ``c`` and ``a`` free of ``d``, and ``h`` a rational function of ``x = 1/d`` and of ``u_i = d^(-e_i)``
  continuous at ``x = u = 0``; ``c > 0``, each ``e_i > 0`` (so ``u_i -> 0``), the denominator of ``h`` at 0 nonzero
  and ``h``'s value there positive are obligations (``h -> L`` in (0, oo), so ``G`` is eventually positive and
  ``-log G / log d -> a``).  That ``G`` is ``F``'s definition is checked where the definitions live
  (``paper_checks.closed_forms``);
* ``MATRIX``: a dimension-free matrix identity; every inverse in it of a Gram matrix ``A^T A`` declared
  invertible (full rank of ``A``, a hypothesis) with the dimensions that rank needs given by the hypotheses.  Between
  1 x 1 expressions (inner products) it is an identity of real numbers: a 1 x 1 matrix equals its transpose and
  commutes (:mod:`derive.inner_products`), and a scalar symbol the derivation declares the name of an inner product
  (``names``) stands for it;
* ``SQUARED_NORM``: ``0 <= u^T u``; with named inner products, ``lhs <= rhs`` where ``rhs - lhs`` is ``u^T u`` as
  real numbers.

A relation between named inner products that a MATRIX or SQUARED_NORM step proves is a fact for every later step of
the chain (an equation a side relation, an inequality a hypothesis): how a chain takes Cauchy-Schwarz or Pythagoras
from the matrices into its scalar steps.

Every step also emits well-definedness obligations (radicands >= 0, denominators != 0, declared
slack signs, the side relations' consistency), discharged under the hypotheses (symbol assumptions,
``domain``, ``relations``) by SymPy, else by z3 and cvc5 on an SMT-LIB query generated from the same
expression, else numerically; a step is ``ok`` only when its rule, its proof and all its obligations
are discharged symbolically.  A solver's ``sat`` is a counterexample only when the query holds every
hypothesis exactly (no pi, exponential or logarithm relaxed to a symbol, no integer read as a real).  At a
random point a value that is undefined, NaN or not real fails the step.  A step whose two sides are
identical as built, or that is no instance of its rule, is rejected.

This module holds the data model and the entry points; the checker is split by concern, each module building on
the ones before it: :mod:`derive.expressions` (expressions as built, which the data model reads too),
:mod:`derive.algebra` (algebraisation, normal forms, cofactors), :mod:`derive.signs` (signs and obligations),
:mod:`derive.consistency` (consistency of the hypotheses), :mod:`derive.numeric` (the numeric fallback) and
:mod:`derive.rules` (one checker per rule).
"""
from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from derive import smt
from derive.expressions import evaluate, has_unevaluated, is_matrix_expr, symbols_of

__all__ = ["Op", "Status", "Rule", "Start", "Discharge", "Obligation", "ObligationCheck", "Cofactors",
           "Optimum", "Solution", "Order", "Step", "StepCheck", "Derivation", "check_step", "evaluate"]

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
    SOLUTION = "solution"              # the value at a solution of the equations that define a quantity
    ORDER = "order of decay"           # kappa(G^(1/k)) = a/k for G = c dim^(-a) h, c > 0, h -> L in (0, oo)
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
    """How one obligation was discharged (or why not), with the SMT query when one was sent, and the queries of the
    parts it was decided from, each with what it decides (a quotient's denominator's sign and its numerator's, or its
    numerator's factors'; each certified on its own)."""

    obligation: Obligation
    how: Discharge
    detail: str = ""
    query: smt.Query | None = None
    counterexample: tuple[tuple[str, str], ...] | None = None
    parts: tuple[tuple[str, smt.Query], ...] = ()


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
class Solution:
    """``value`` at the ``unknowns`` that solve ``equations`` (each ``== 0``), and a ``point`` (values of the unknowns,
    in order) claimed to solve them: the data of a Rule.SOLUTION step.  An unknown's sign assumption (a norm is
    nonnegative) selects among the equations' roots, and is owed at the point; the checker shows the solution
    unique (``derive.rules``)."""

    unknowns: tuple[sp.Symbol, ...]
    equations: tuple[sp.Expr, ...]
    value: sp.Expr
    point: tuple[sp.Expr, ...]

    def at_point(self, e: sp.Basic) -> sp.Basic:
        """``e`` at the point as built: no automatic evaluation merges a point's root with a power of it."""
        with sp.evaluate(False):
            return sp.sympify(e).xreplace(dict(zip(self.unknowns, self.point, strict=True)))


@dataclass(frozen=True)
class Order:
    """``kappa(expr^(1/root)) = exponent/root``, kappa(g) = lim_{dim -> oo} -log g / log dim, from the factoring
    ``expr = factor * dim^(-exponent) * rest(1/dim, dim^(-e_1), ...)``: the data of a Rule.ORDER step.

    ``rest`` is a rational function of the symbol ``x`` (standing for 1/dim) and of the symbols ``u_i`` of ``small``
    (``(u_i, e_i)``: ``u_i`` stands for dim^(-e_i)), with coefficients free of dim; the checker owes ``factor > 0``,
    ``e_i > 0`` (so every u_i -> 0 with x) and ``rest`` continuous at x = u = 0 with a positive value there, so
    ``rest -> L`` in (0, oo) and -log expr / log dim = exponent - (log factor + log rest) / log dim -> exponent."""

    dim: sp.Symbol
    expr: sp.Expr
    factor: sp.Expr
    exponent: sp.Expr
    rest: sp.Expr
    x: sp.Symbol
    small: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    root: int = 1

    def rest_in_dim(self) -> sp.Expr:
        """``rest`` with ``x = 1/dim`` and each ``u_i = dim^(-e_i)``."""
        return sp.sympify(self.rest).xreplace({self.x: 1 / self.dim, **{u: self.dim ** (-e) for u, e in self.small}})


@dataclass(frozen=True)
class Step:
    """One line of a chain: ``lhs op rhs``, its rule, and what the rule needs.

    ``rule`` is the readable justification; ``by`` the checked rule (inferred when ``None``: ALGEBRA
    for ``=``, WITNESS with a witness, SIGN without, MATRIX for matrix symbols, EVALUATE when a side
    holds an unevaluated operation).  ``start`` is ``None`` when the step continues the chain (its
    ``lhs`` is the previous ``rhs``); otherwise it names where the new segment starts.  ``using`` is
    the equation (SUBSTITUTE), the divisor (DIVIDE), the substitution dict (CITE), the :class:`Optimum`
    (OPTIMUM), the :class:`Solution` (SOLUTION) or the :class:`Order` (ORDER); ``cites`` the
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
    # Proved for this instance only (e.g. "r = 3") of a parameter the claim quantifies over.
    instance: str | None = None

    def latex(self) -> str:
        return f"{sp.latex(self.lhs)} {self.op.latex} {sp.latex(self.rhs)}"

    @property
    def defined_sides(self) -> tuple[sp.Basic, sp.Basic]:
        """``(F(args), E)`` for a step stating a defined quantity's value (rules OPTIMUM, SOLUTION, ORDER), the
        quantity on either side: the left side first unless only the right is an application ``F(args)``."""
        if isinstance(self.lhs, sp.core.function.AppliedUndef):
            return self.lhs, self.rhs
        return self.rhs, self.lhs

    @property
    def checked_rule(self) -> Rule:
        if self.by is not None:
            return self.by
        if is_matrix_expr(self.lhs) or is_matrix_expr(self.rhs):
            return Rule.MATRIX
        if self.op is not Op.EQ:
            return Rule.WITNESS if self.witness is not None else Rule.SIGN
        if has_unevaluated(self.lhs) or has_unevaluated(self.rhs):
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
    # Scalar symbols naming 1 x 1 matrix expressions (inner products), e.g. (s, v^T C a): what a MATRIX or SQUARED_NORM
    # step reads a name as, and the objects the facts those steps prove are about.
    names: tuple[tuple[sp.Symbol, sp.Basic], ...] = ()

    @property
    def chain(self) -> tuple[Step, ...]:
        return (*self.steps, self.result)

    def check(self) -> tuple[StepCheck, ...]:
        """Check every step (and the result) in order, as links of the chain."""
        from derive.rules import check_all     # the checker builds on this data model

        return check_all(self)

    def consistency(self) -> ObligationCheck:
        """The side relations, domain and sign assumptions have a common real solution."""
        from derive.consistency import consistency     # decided by the checker, which builds on this model

        return consistency(self)

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
            if segment_start(s, i) is not Start.CONTINUE or s.by is Rule.SQUARE:
                first = i
        ops = {s.op for s in chain[first:]}
        lhs, rhs = chain[first].lhs, self.result.rhs
        if Op.LT in ops:
            rel = sp.StrictLessThan(lhs, rhs, evaluate=False)
        elif Op.LE in ops:
            rel = sp.LessThan(lhs, rhs, evaluate=False)
        else:
            rel = sp.Equality(lhs, rhs, evaluate=False)
        # A final segment that speaks of bound variables holds for every point of their hypotheses: each one that
        # mentions a bound variable is a premise, those on a variable the segment does not mention included (a
        # hypothesis on z alone restricts q through the budget s^2 + q^2 + z^2 <= 1).  A final segment free of
        # them (a maximum's closed form after the bound that held for every feasible point) needs none.
        seen = set().union(*(symbols_of(x) for s in chain[first:] for x in (s.lhs, s.rhs)))
        bound = set(self.bound)
        premises = [c for c in self.domain if c.free_symbols & bound] if bound & seen else []
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
# Chains and entry points


def segment_start(step: Step, i: int) -> Start:
    """Where the chain segment of the ``i``-th step starts: its declared restart, the definitions for the first
    step, else the previous step."""
    if step.start is not None:
        return step.start
    if i == 0:
        return Start.DEFINITION
    return Start.CONTINUE


def per_derivation(fn):
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


def check_step(step: Step, deriv: Derivation) -> StepCheck:
    """Check one step of ``deriv`` as a link of its chain (the earlier steps are checked too)."""
    from derive.rules import check_step as check     # the checker builds on this data model

    return check(step, deriv)

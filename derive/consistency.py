"""Consistency of the hypotheses: the side relations, the domain and the sign assumptions have a common real solution.

Shown by an exact point (small rationals, angles rational multiples of pi, the relations solved for the rest,
checked exactly by SymPy), else by z3 and cvc5; refuted by a Groebner basis {1} or by the solvers' unsat.  A
sign-declared symbol defined by a side relation (a slack) is a hypothesis too: its sign must follow from the
domain.
"""
from __future__ import annotations

import random

import sympy as sp
from sympy.core.evalf import PrecisionExhausted
from sympy.core.function import AppliedUndef

from derive import smt
from derive.algebra import Algebra, elimination_rank, groebner
from derive.core import Derivation, Discharge, Obligation, ObligationCheck, Step, per_derivation
from derive.signs import discharge

__all__ = ["consistency", "slack_checks", "satisfies", "clear_sign"]


_NICE_ANGLES = tuple(sp.pi * sp.Rational(k, 12) for k in range(1, 12))


def _exact_model(deriv: Derivation) -> dict[sp.Symbol, sp.Expr] | None:
    """A point, in exact numbers, satisfying every side relation, hypothesis and sign assumption.

    Free symbols get small rationals (angles rational multiples of pi); each relation is then solved
    for a symbol it holds linearly, or as ``s**2 = X``; the point is checked exactly by SymPy."""
    if any(c.atoms(AppliedUndef) for c in deriv.domain):
        # A definition F(args) = X: SymPy cannot decide it at a point, so no point passes satisfies; the
        # solvers decide consistency, with each F(args) an unknown real (_consistency_facts).
        return None
    rng = random.Random(f"model/{deriv.claim}")
    rels = [sp.expand(r) for r in deriv.relations]
    symbols = set().union(*(r.free_symbols for r in rels), *(c.free_symbols for c in deriv.domain))
    given = dict(deriv.example)
    if given and satisfies(given, deriv, rels):
        return given
    for attempt in range(60):
        order = list(rels)
        if attempt:
            rng.shuffle(order)
        solved = _solvable(order, deriv)
        point = {s: _nice_value(s, deriv, rng) for s in sorted(symbols - set(solved), key=str)}
        if _back_substitute(solved, point, rng) and satisfies(point, deriv, rels):
            return point
    return None


def _solvable(order: list[sp.Expr], deriv: Derivation) -> dict[sp.Symbol, sp.Expr]:
    """For each relation in ``order``, a symbol (not an angle) it holds linearly or as ``s**2 = X``, absent from the
    relations before it, that it is to be solved for; the relations in that order."""
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
    return solved


def _nice_value(s: sp.Symbol, deriv: Derivation, rng: random.Random) -> sp.Expr:
    """A small exact value for a free symbol: a rational multiple of pi for an angle, an integer from 1 to 6, else
    a small rational (negative now and then, for a symbol not declared nonnegative)."""
    if s in deriv.angles or s in deriv.closed_angles:
        return rng.choice(_NICE_ANGLES)
    if s.is_integer:
        return sp.Integer(rng.randint(1, 6))
    v = sp.Rational(rng.randint(1, 6), rng.choice((1, 2, 3, 4, 5, 8, 16)))
    return v if (s.is_nonnegative or rng.random() < 0.6) else -v


def _back_substitute(solved: dict[sp.Symbol, sp.Expr], point: dict[sp.Symbol, sp.Expr], rng: random.Random) -> bool:
    """Solve the relations for their symbols, last first, adding the values to ``point``; whether each had a real
    solution in the symbols already valued."""
    for s, r in reversed(list(solved.items())):
        rr = sp.expand(r.subs(point))
        if rr.free_symbols - {s}:
            return False
        p = sp.Poly(rr, s)
        if p.degree() == 1:
            point[s] = -p.coeff_monomial(1) / p.coeff_monomial(s)
            continue
        sq = -p.coeff_monomial(1) / p.coeff_monomial(s**2)
        if sq.is_negative:
            return False
        point[s] = sp.sqrt(sq) if (s.is_nonnegative or rng.random() < 0.5) else -sp.sqrt(sq)
    return True


def satisfies(point: dict[sp.Symbol, sp.Expr], deriv: Derivation, rels: list[sp.Expr]) -> bool:
    """Exactly: every relation vanishes, every sign assumption and hypothesis holds at ``point``."""
    try:
        return (_relations_vanish(point, rels) and _signs_and_ranges_hold(point, deriv)
                and _hypotheses_hold(point, deriv))
    except (TypeError, ValueError):     # SymPy cannot compare (an unevaluated relation, a non-comparable Max)
        return False


def _relations_vanish(point: dict[sp.Symbol, sp.Expr], rels: list[sp.Expr]) -> bool:
    """Every relation is exactly zero at ``point`` (which values all their symbols)."""
    if not all(s in point for r in rels for s in r.free_symbols):
        return False
    vals = [r.subs(point) for r in rels]
    # A cheap numeric filter, then exact: at rational multiples of pi the sines are radicals,
    # which expand to a canonical sum.
    if any(abs(sp.N(v, 30)) > 1e-20 for v in vals):
        return False
    return all(sp.expand(v) == 0 for v in vals)


def _signs_and_ranges_hold(point: dict[sp.Symbol, sp.Expr], deriv: Derivation) -> bool:
    """Each symbol's declared sign, and each angle's range ((0, pi), or [0, pi] for a closed one), at ``point``."""
    if not all((not s.is_positive or point[s] > 0) and (not s.is_nonnegative or point[s] >= 0) for s in point):
        return False
    if deriv.angles and not all(0 < point[a] < sp.pi for a in deriv.angles if a in point):
        return False
    return all(0 <= point[a] <= sp.pi for a in deriv.closed_angles if a in point)


def _hypotheses_hold(point: dict[sp.Symbol, sp.Expr], deriv: Derivation) -> bool:
    """Every hypothesis of the domain at ``point``.  One decided by a clear margin at 30 certified digits is decided
    (SymPy's own comparison of irrational numbers is by evalf too); only the undecided ones (a value 0 on a
    boundary) are evaluated exactly, which builds nested radicals."""
    decided = [clear_sign(c, point) for c in deriv.domain]
    if False in decided:
        return False
    return all(bool(c.subs(point)) for c, d in zip(deriv.domain, decided, strict=False) if d is None)


_INEQUALITIES = (sp.StrictGreaterThan, sp.GreaterThan, sp.StrictLessThan, sp.LessThan)


def clear_sign(cond: sp.Basic, point: dict[sp.Symbol, sp.Expr]) -> bool | None:
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


@per_derivation
def _consistency_cached(deriv_id: int, deriv: Derivation) -> ObligationCheck:
    """Refuted by a Groebner basis {1}; shown by an exact point, else by the solvers; else open."""
    alg = Algebra(deriv)
    ob = Obligation("consistency", sp.Integer(0), "=", "the side relations and hypotheses have a real solution")
    rel = [sp.expand(r) for r in alg.relations]
    if rel:
        symbols = sorted(set().union(*(r.free_symbols for r in rel)), key=elimination_rank)
        if list(groebner(tuple(rel), tuple(symbols))) == [1]:
            return ObligationCheck(ob, Discharge.REFUTED, "the Groebner basis of the side relations is {1}")
    if not deriv.relations and not deriv.domain:
        return ObligationCheck(ob, Discharge.SYMPY, "no side relations or hypotheses beyond symbol signs")
    point = _exact_model(deriv)
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


def _consistency_facts(deriv: Derivation, alg: Algebra) -> tuple[list[tuple[sp.Expr, str]], bool]:
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


def consistency(deriv: Derivation) -> ObligationCheck:
    """The side relations, domain and sign assumptions of ``deriv`` have a common real solution (or not)."""
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


@per_derivation
def _slack_checks_cached(deriv_id: int, deriv: Derivation) -> dict[sp.Symbol, ObligationCheck]:
    """Each slack's declared sign, discharged under the hypotheses and the other relations."""
    slacks = _slack_obligations(deriv)
    out = {}
    for s, ob in slacks.items():
        if ob.expr.is_number:
            # A number's sign needs no hypothesis (B = 1 > 0): SymPy decides it, and no algebra is built for it.
            out[s] = discharge(ob, Algebra(_bare(deriv)))
            continue
        # Decide the slack's sign from everything except its own definition.
        others = tuple(r for r in deriv.relations if s not in r.free_symbols)
        sub = Derivation(deriv.claim, deriv.title, (), (), Step("-", 0, 0, "-"), deriv.angles, others,
                         deriv.domain, closed_angles=deriv.closed_angles)
        alg = Algebra(sub)
        out[s] = discharge(ob, alg)
    return out


def _bare(deriv: Derivation) -> Derivation:
    """``deriv``'s claim with no relations, hypotheses or angles."""
    return Derivation(deriv.claim, deriv.title, (), (), Step("-", 0, 0, "-"))


def slack_checks(deriv: Derivation) -> list[ObligationCheck]:
    """The discharge of each slack's declared sign; every step of ``deriv`` carries them."""
    return list(_slack_checks_cached(id(deriv), deriv).values())

"""Mutants of a formal statement: the audit's power, measured.

Each operator breaks a statement's conclusion in one small way: scale a term by 1 + 10^-3, add a small
constant, flip the relation, flip the sign of a term, change an exponent.  For an inequality the
scale and shift are applied in the direction that makes the claim stronger (a weaker claim is not a
mutant worth killing).  A mutant is *killed* when ``judge`` of the claim with the mutant's statement is
``refuted`` with a certified counterexample of the mutant; a survivor is a blind spot of the audit.
"""
from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from collections.abc import Callable

import sympy as sp

from derive.intervals import shown_nonzero
from paper_checks.definitions import DEFINITIONS
from paper_checks.finding import AuditConfig, Claim, Failure, Finding, Verdict
from paper_checks.statement import Quantifier, Statement

__all__ = ["Operator", "Mutant", "mutants", "kill", "killed", "proved_true", "Score", "score", "score_all"]

_EPS = sp.Rational(1, 1000)


class Operator(enum.Enum):
    SCALE = "scale a term by 1 + 10^-3"
    SHIFT = "add 10^-3"
    FLIP_RELATION = "flip the relation"
    FLIP_SIGN = "flip the sign of a term"
    EXPONENT = "change an exponent"


@dataclass(frozen=True)
class Mutant:
    claim_id: str
    operator: Operator
    statement: Statement

    @property
    def name(self) -> str:
        return f"{self.claim_id}/{self.operator.name.lower()}"


def _defined(e: sp.Basic) -> bool:
    return any(e.has(d.function) for d in DEFINITIONS.values())


def _split(rel: sp.Basic) -> tuple[type, sp.Expr, sp.Expr]:
    """(relation, small side, big side) with ``small <= big`` read off ``<=``/``<`` (``>=`` reversed)."""
    if isinstance(rel, (sp.Ge, sp.Gt)):
        rel = rel.reversed
    return type(rel), rel.lhs, rel.rhs


def _terms(e: sp.Expr) -> list[sp.Expr]:
    return list(e.args) if isinstance(e, sp.Add) else [e]


def _main_term(e: sp.Expr) -> sp.Expr:
    """The additive term with the most structure (most operations; ties: the first in SymPy's order)."""
    return max(_terms(e), key=lambda t: (bool(t.free_symbols), sp.count_ops(t)))


def _first_power(e: sp.Expr) -> sp.Pow | None:
    # Arguments in SymPy's sort order: Min and Max keep theirs in a set, whose order follows PYTHONHASHSEED.
    for node in sp.preorder_traversal(e, keys=sp.default_sort_key):
        if isinstance(node, sp.Pow) and node.exp.is_Rational and node.free_symbols:
            return node
    return None


def _mutate(rel: sp.Basic, op: Operator) -> sp.Basic | None:
    """The relation ``rel`` broken by ``op``, or None when the operator leaves it unchanged."""
    kind, small, big = _split(rel)
    eq = kind is sp.Eq
    small, big, target = _target(eq, small, big)
    if op is Operator.SHIFT:
        if eq:
            return sp.Eq(small, big + _EPS, evaluate=False)
        return kind(small + _EPS, big, evaluate=False)
    if op is Operator.FLIP_RELATION:
        if eq:
            return sp.Lt(small, big, evaluate=False)
        return (sp.Gt if kind is sp.Le else sp.Ge)(small, big, evaluate=False)
    raw = _mutated_side(target, op)
    if eq:
        return _rebuild(kind, small, big, target, raw)
    # An inequality is moved by as much as the mutation moves its side, in the direction that makes the claim
    # stronger: a weakened claim (a lower bound made negative, say) is not a mutant worth killing.
    change = sp.Abs(raw - target)
    if not shown_nonzero(raw - target) and sp.simplify(change) == 0:
        return None
    return _rebuild(kind, small, big, target, target - change if target is big else target + change)


def _target(eq: bool, small: sp.Expr, big: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(small, big, the side to break).  An equation's sides are ordered so that the side to break is ``big``."""
    if eq:
        # The side without a defined quantity is the formula to break (the other is what it is compared with).
        small, big = (small, big) if _defined(small) or not _defined(big) else (big, small)
        return small, big, big
    # The side that carries the formula: not a defined quantity, and not a bare constant if avoidable.
    sides = [x for x in (big, small) if not _defined(x)] or [big]
    return small, big, next((x for x in sides if x.free_symbols), sides[0])


def _mutated_side(target: sp.Expr, op: Operator) -> sp.Expr:
    """``target`` with its main term scaled by 1 + 10^-3, its sign flipped, or an exponent changed (the first power
    with a rational exponent raised by 1, -1 becoming -2; the main term squared when there is none)."""
    t = _main_term(target)
    if op is Operator.SCALE:
        return target.xreplace({t: t * (1 + _EPS)}) if t is not target else target * (1 + _EPS)
    if op is Operator.FLIP_SIGN:
        return target.xreplace({t: -t}) if t is not target else -target
    if op is Operator.EXPONENT:
        p = _first_power(target)
        if p is None:
            return target.xreplace({t: t**2}) if t is not target else target**2
        return target.xreplace({p: sp.Pow(p.base, p.exp + 1 if p.exp != -1 else -2, evaluate=False)})
    raise ValueError(f"op={op!r} is not an Operator")


def _rebuild(kind: type, small: sp.Expr, big: sp.Expr, target: sp.Expr, new: sp.Expr) -> sp.Basic | None:
    if new == target:
        return None
    if target is big:
        return kind(small, new, evaluate=False)
    return kind(new, big, evaluate=False)


def mutants(claim: Claim) -> tuple[Mutant, ...]:
    """The mutants of a claim whose statement's conclusion is a relation (or an implication of one).

    An existential statement has none: it is refuted only by a proof of its universal negation, and a small change
    of a true existential (whose witnesses fill an open set) is true too; the audit's power on such a sentence is
    measured on the universal sub-claim of what it suggests (kind ``implied``)."""
    s = claim.statement
    if s is None or s.quantifier is Quantifier.EXISTENTIAL:
        return ()
    premise, rel = (s.conclusion.args if isinstance(s.conclusion, sp.Implies) else (None, s.conclusion))
    out = []
    for op in Operator:
        new = _mutate(rel, op)
        if new is None or new is sp.true or new is sp.false:
            continue
        conclusion = sp.Implies(premise, new, evaluate=False) if premise is not None else new
        out.append(Mutant(claim.id, op, dataclasses.replace(s, conclusion=conclusion, words="")))
    return tuple(out)


def kill(claim: Claim, mutant: Mutant, cfg: AuditConfig, judge: Callable[[Claim, AuditConfig], Finding]
         ) -> Finding:
    """The audit of ``claim`` with the mutant's statement (its routes, the mutant's formula)."""
    return judge(dataclasses.replace(claim, statement=mutant.statement, corrections=()), cfg)


def killed(f: Finding) -> bool:
    return f.verdict is Verdict.REFUTED and f.counterexample is not None


def proved_true(mutant: Mutant) -> bool:
    """The mutant is a true statement, proved by SymPy: its margin (defined quantities expanded) has the sign the
    relation needs on the whole stated domain.  Such a mutant (a loose claim strengthened by less than its
    slack) cannot be refuted by any sound audit; it is reported as *equivalent*, never counted as killed."""
    from paper_checks import definitions, margin
    s = mutant.statement
    try:
        m = margin.compile_margin(s, definitions.expand)
    except (TypeError, ValueError):
        return False
    if m.conditions:
        return False        # a premise or hypothesis restricts the domain: SymPy's assumptions cannot say so
    env = {}
    for v in s.variables:
        if v.symbol not in m.symbols:
            continue
        lo = v.domain.inf
        kw = {"integer": True} if v.integer else {"real": True}
        if lo.is_finite and (lo > 0 or (lo == 0 and v.domain.left_open)):
            kw["positive"] = True
        elif lo.is_finite and lo >= 0:
            kw["nonnegative"] = True
        env[v.symbol] = sp.Symbol(v.symbol.name, **kw)
    expr = sp.factor(sp.expand(m.expr.xreplace(env)))
    return bool(expr.is_positive if m.strict else expr.is_nonnegative)


@dataclass(frozen=True)
class Score:
    claim_id: str
    total: int
    killed: int
    survivors: tuple[str, ...]
    equivalent: tuple[str, ...] = ()      # proved true: the claim's slack exceeds the mutation
    negations: tuple[str, ...] = ()       # the flipped relation of a refuted claim, failing only off an open set


def score(claim: Claim, cfg: AuditConfig, judge: Callable[[Claim, AuditConfig], Finding]) -> Score:
    ms = mutants(claim)
    dead, alive, same, neg = 0, [], [], []
    for m in ms:
        f = kill(claim, m, cfg, judge)
        why = "killed" if killed(f) else excuse(claim, m, f, cfg, judge)
        if why == "killed":
            dead += 1
        else:
            {"equivalent": same, "negation": neg}.get(why, alive).append(m.operator.name.lower())
    return Score(claim.id, len(ms), dead, tuple(alive), tuple(same), tuple(neg))


def excuse(claim: Claim, m: Mutant, f: Finding, cfg: AuditConfig,
           judge: Callable[[Claim, AuditConfig], Finding]) -> str | None:
    """Why a mutant that was not refuted is no blind spot, or None (a survivor).

    ``equivalent``: SymPy proves the mutant true.  ``negation``: the flipped relation of a claim that is itself
    refuted on an open set, whose audit certified failures but no open set of them: the negation of a false
    claim may hold almost everywhere (cor-6.6's bound is a lower bound, attained only where n1 = n2), and
    refusing to call it refuted is the rule working."""
    if proved_true(m):
        return "equivalent"
    # The negation may also hold everywhere (no failure at all: thm-6.4.reading's "preserving never enlarges"),
    # and a verified negation is the rule working best.
    if m.operator is Operator.FLIP_RELATION and f.failure is not Failure.OPEN_SET \
            and judge(claim, cfg).verdict is Verdict.REFUTED:
        return "negation"
    return None


def score_all(claims: tuple[Claim, ...], cfg: AuditConfig, workers: int | None = None) -> list[Score]:
    """The score of every claim with a statement, in the registry's order; one process per core shares them,
    family by family (``paper_checks.lanes``)."""
    from paper_checks import audit

    stated = tuple(c for c in claims if c.statement is not None)
    return audit.over_claims(lambda c: score(c, cfg, audit.judge), stated, workers)

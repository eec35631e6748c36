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
from typing import Callable

import sympy as sp

from paper_checks.definitions import DEFINITIONS
from paper_checks.finding import AuditConfig, Claim, Finding, Verdict
from paper_checks.statement import Statement

__all__ = ["Operator", "Mutant", "mutants", "kill", "Score", "score"]

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
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.Pow) and node.exp.is_Rational and node.free_symbols:
            return node
    return None


def _mutate(rel: sp.Basic, op: Operator) -> sp.Basic | None:
    kind, small, big = _split(rel)
    eq = kind is sp.Eq
    if eq:
        # The side without a defined quantity is the formula to break (the other is what it is compared with).
        small, big = (small, big) if _defined(small) or not _defined(big) else (big, small)
    target = big if (eq or not _defined(big)) else small
    if op is Operator.SCALE:
        t = _main_term(target)
        factor = 1 + _EPS if (eq or target is small) else 1 - _EPS
        new = target.xreplace({t: t * factor}) if t is not target else target * factor
        return _rebuild(kind, small, big, target, new)
    if op is Operator.SHIFT:
        if eq:
            return sp.Eq(small, big + _EPS, evaluate=False)
        return kind(small + _EPS, big, evaluate=False)
    if op is Operator.FLIP_RELATION:
        if eq:
            return sp.Lt(small, big, evaluate=False)
        return (sp.Gt if kind is sp.Le else sp.Ge)(small, big, evaluate=False)
    if op is Operator.FLIP_SIGN:
        t = _main_term(target)
        new = target.xreplace({t: -t}) if t is not target else -target
        return _rebuild(kind, small, big, target, new)
    if op is Operator.EXPONENT:
        p = _first_power(target)
        if p is None:
            t = _main_term(target)
            new = target.xreplace({t: t**2}) if t is not target else target**2
        else:
            e = p.exp
            new = target.xreplace({p: sp.Pow(p.base, e + 1 if e != -1 else -2, evaluate=False)})
        return _rebuild(kind, small, big, target, new)
    raise ValueError(f"op={op!r} is not an Operator")


def _rebuild(kind: type, small: sp.Expr, big: sp.Expr, target: sp.Expr, new: sp.Expr) -> sp.Basic | None:
    if new == target:
        return None
    if target is big:
        return kind(small, new, evaluate=False)
    return kind(new, big, evaluate=False)


def mutants(claim: Claim) -> tuple[Mutant, ...]:
    """The mutants of a claim whose statement's conclusion is a relation (or an implication of one)."""
    s = claim.statement
    if s is None:
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


@dataclass(frozen=True)
class Score:
    claim_id: str
    total: int
    killed: int
    survivors: tuple[str, ...]


def score(claim: Claim, cfg: AuditConfig, judge: Callable[[Claim, AuditConfig], Finding]) -> Score:
    ms = mutants(claim)
    dead, alive = 0, []
    for m in ms:
        if killed(kill(claim, m, cfg, judge)):
            dead += 1
        else:
            alive.append(m.operator.name.lower())
    return Score(claim.id, len(ms), dead, tuple(alive))

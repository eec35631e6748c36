"""The verdict rule: DESIGN.md's table, computed from the evidence and the formal statements, never chosen by a check.

| verdict        | rule                                                                                   |
|----------------|----------------------------------------------------------------------------------------|
| verified       | no certified failure in the stated domain; a symbolic route (a derivation, no step      |
|                | failed) and the independent numeric route (the statement's search, the checks'          |
|                | confirmations) agree                                                                    |
| refuted        | a certified failure at a point of the stated domain AND a certified box of positive     |
|                | volume (in the free variables) around it on which the claim fails: an open set          |
| conditional    | certified failures, but no failing box (measure zero), and every corrected statement    |
|                | the audit proposes is itself searched without failure and backed by a derivation        |
| not-checkable  | no formal statement: no mathematical content                                            |
| undecided      | anything else (a measure-zero failure with no verified correction, a failed step, ...)  |

Scope of ``verified``: ``all-parameters`` only when a derivation's conclusion is the claim's own conclusion
(structurally, after ``statement.canonical``) and every step of it is proved; otherwise ``sampled``.
Correction verification fails closed: no correction, or one not shown, is not verified.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy as sp

from derive.core import Status
from paper_checks.finding import Evidence, Failure, Scope, Verdict
from paper_checks.statement import Statement, canonical

__all__ = ["Ruling", "rule", "proves"]


@dataclass(frozen=True)
class Ruling:
    verdict: Verdict
    scope: Scope | None
    failure: Failure | None
    reason: str


def proves(derivation: Any, checks: Sequence[Any], statement: Statement) -> bool:
    """A derivation proves ``statement`` when every step is proved, every maximum it takes (Rule.OPTIMUM) is of
    its quantity's own definition, and its conclusion is the statement's own."""
    if not all(c.status is Status.OK for c in checks):
        return False
    conclusion = getattr(derivation, "conclusion", None)
    if conclusion is None:
        return False
    conclusion = conclusion() if callable(conclusion) else conclusion
    try:
        if not _optima_defined(derivation):
            return False
        if canonical(conclusion) == canonical(statement.conclusion):
            return True
        # A defined quantity (an optimum) is proved equal to its closed form by the derivation that derives
        # it (e.g. KKT + weak duality): the statement with the closed form substituted is what the chain ends in.
        if canonical(conclusion) == canonical(_expanded(statement.conclusion)):
            return True
        # A chain that proves a quantity's value (Rule.OPTIMUM) keeps it: the statement with every other defined
        # quantity unfolded.
        kept = {f.func.__name__ for f in conclusion.atoms(sp.core.function.AppliedUndef)}
        return bool(kept) and canonical(conclusion) == canonical(_expanded(statement.conclusion, kept))
    except (TypeError, AttributeError):
        return False


def _optima_defined(derivation: Any, seen: set[int] | None = None) -> bool:
    """Every Rule.OPTIMUM step of ``derivation`` and of the lemmas it cites maximises the problem that its
    quantity's definition states (same objective and constraints, the variables renamed in order)."""
    from derive.core import Rule
    from paper_checks.definitions import DEFINITIONS, expand
    seen = set() if seen is None else seen
    if id(derivation) in seen:
        return True
    seen.add(id(derivation))
    for step in getattr(derivation, "chain", ()):
        if step.by is Rule.OPTIMUM:
            d = DEFINITIONS.get(step.lhs.func.__name__)
            if d is None or d.problem is None:
                return False
            mine, theirs = step.using, d.problem(*step.lhs.args)
            if len(mine.variables) != len(theirs.variables):
                return False
            ren = dict(zip(theirs.variables, mine.variables))
            if sp.expand(expand(theirs.objective.xreplace(ren)) - mine.objective) != 0:
                return False
            if _relations(c.xreplace(ren) for c in theirs.constraints) != _relations(mine.constraints):
                return False
        if step.cites is not None and not _optima_defined(step.cites(), seen):
            return False
    return True


def _relations(rels: Any) -> set[tuple[str, sp.Expr]]:
    """Relations as (kind, expanded greater side minus smaller side), so that ``a <= b`` and ``b >= a`` agree."""
    out = set()
    for rel in rels:
        if isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
            rel = rel.reversed
        out.add((type(rel).__name__, sp.expand(rel.lhs - rel.rhs)))
    return out


def _expanded(rel: sp.Basic, keep: set[str] | None = None) -> sp.Basic:
    from paper_checks.definitions import expand, expand_except
    unfold = expand if keep is None else (lambda e: expand_except(e, keep))
    if isinstance(rel, sp.Implies):
        return sp.Implies(_expanded(rel.args[0], keep), _expanded(rel.args[1], keep), evaluate=False)
    if isinstance(rel, sp.core.relational.Relational):
        return type(rel)(unfold(rel.lhs), unfold(rel.rhs), evaluate=False)
    return unfold(rel)


def _steps_hold(ev: Evidence) -> bool:
    return all(c.status is not Status.FAILED for _, checks in ev.derivations for c in checks)


def rule(statement: Statement | None, ev: Evidence) -> Ruling:
    """The verdict of ``statement`` from ``ev``; see the module docstring for the table it implements."""
    if statement is None:
        return Ruling(Verdict.NOT_CHECKABLE, None, None, ev.not_checkable or "no mathematical content")
    if ev.search is None:
        return Ruling(Verdict.UNDECIDED, None, None, "the statement was not searched")
    if ev.search.points == 0:
        # A domain the search never entered (an equation no float sample meets) proves nothing either way.
        return Ruling(Verdict.UNDECIDED, None, None, "no admissible point of the stated domain was searched")
    found = ev.search.failure
    if found is not None:
        if found.box_radius:
            return Ruling(Verdict.REFUTED, None, Failure.OPEN_SET, "certified failure on an open set")
        if not ev.corrections:
            return Ruling(Verdict.UNDECIDED, None, None,
                          "certified failure on no certified open set, and no corrected statement to verify")
        for corr, res in ev.corrections:
            if res is None or res.failure is not None:
                return Ruling(Verdict.UNDECIDED, None, None, "a corrected statement fails or was not searched")
        if not (ev.derivations and _steps_hold(ev)):
            return Ruling(Verdict.UNDECIDED, None, None, "the correction has no derivation backing it")
        return Ruling(Verdict.CONDITIONAL, None, Failure.MEASURE_ZERO,
                      "failures only on a measure-zero set, which the verified correction excludes")
    if not ev.derivations:
        return Ruling(Verdict.UNDECIDED, None, None, "no symbolic route to agree with the numeric one")
    if not _steps_hold(ev) or not all(ok for _, ok in ev.numeric):
        return Ruling(Verdict.UNDECIDED, None, None, "a derivation step or a numeric confirmation failed")
    full = any(proves(d, checks, statement) for d, checks in ev.derivations) and not ev.sampled
    return Ruling(Verdict.VERIFIED, Scope.ALL_PARAMETERS if full else Scope.SAMPLED, None,
                  "no certified failure; symbolic and numeric routes agree")

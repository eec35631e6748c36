"""The audit pipeline: run each claim's routes on its formal statement, time it, and turn the evidence into a Finding.

``judge(claim, cfg)`` is public: ``judge(dataclasses.replace(claim, statement=S), cfg)`` audits statement
``S`` with the claim's routes ("what if the paper had said S"); mutants are audited this way.
"""
from __future__ import annotations

import copyreg
import os
import sys
import time
from typing import Any
from collections.abc import Callable, Iterable

import sympy as sp

from paper_checks import definitions, margin, printed_proofs, registry
from paper_checks.checks.common import summary
from paper_checks.finding import (AuditConfig, Ball, Certified, Claim, Counterexample, Evidence, Finding, Item, Kind,
                                  Method, Verdict)
from paper_checks.rule import rule
from paper_checks.statement import Quantifier, Statement, Variable, negation
from paper_checks.text import Text

__all__ = ["run", "judge", "select", "over_claims"]


def select(ids: Iterable[str] | None) -> tuple[Claim, ...]:
    """The claims named by ``ids`` (all when None), in the registry's order; unknown ids raise KeyError."""
    if not ids:
        return registry.CLAIMS
    wanted = {registry.by_id(i).id for i in ids}
    # By id, not from CLAIMS: building CLAIMS builds every family's statements.
    return tuple(registry.by_id(i) for i in registry.IDS if i in wanted)


def _search(statement: Statement, cfg: AuditConfig, key: str) -> margin.SearchResult:
    return margin.search(statement, definitions.expand, cfg.seed, key, samples=cfg.search_samples)


def _counterexample(statement: Statement, res: margin.SearchResult) -> Counterexample | None:
    f = res.failure
    if f is None:
        return None
    rel = statement.conclusion.args[1] if isinstance(statement.conclusion, sp.Implies) else statement.conclusion
    # The search's exact point, as SymPy numbers (its values are exact rationals or multiples of pi).
    def exact(p: dict[str, str]) -> dict[str, sp.Basic]:
        return {name: sp.sympify(value, rational=True) for name, value in p.items()}
    return Counterexample(exact(f.point), rel, (Ball(f.sides[0]), Ball(f.sides[1])), f.margin_upper,
                          Certified.INTERVAL if f.margin_upper != "0" else Certified.EXACT,
                          tuple(exact(p) for p in f.others))


def _condition(v: Variable) -> sp.Basic:
    """A variable's stated domain as one condition: ``tau in [0, 1)``; ``d in {2, 3, ...}`` for an integer one."""
    d = v.domain
    if v.integer:
        lo = sp.ceiling(d.inf) + (1 if d.left_open and d.inf.is_integer else 0) if d.inf.is_finite else -sp.oo
        hi = sp.floor(d.sup) + (0 if d.right_open and d.sup.is_integer else 1) if d.sup.is_finite else sp.oo
        return sp.Contains(v.symbol, sp.Range(lo, hi), evaluate=False)
    return sp.Contains(v.symbol, d, evaluate=False)


def _correction(claim: Claim) -> tuple[tuple[Statement, ...] | None, tuple[sp.Basic, ...] | None]:
    """The corrected statements, and the conditions they add to the claim's hypotheses (SymPy relations)."""
    if not claim.corrections:
        return None, None
    added: list[sp.Basic] = []
    for c in claim.corrections:
        extra = [h for h in c.hypotheses if h not in claim.statement.hypotheses]
        extra += [_condition(v) for v in c.variables if v not in claim.statement.variables]
        added += [e for e in extra if e not in added]
    return tuple(claim.corrections), (tuple(added) or None)


def _searched(what: str, res: margin.SearchResult) -> Item:
    """What a statement search did, in words and formulas (its point exact), and its outcome in words: no failure
    certified; a failure certified on an open set; or a failure certified with no failing box found."""
    text = Text.of(f"{what}: margin evaluated at {res.points} admissible points of the stated domain "
                   f"(smallest {res.smallest:.3g})")
    if res.undefined is not None:
        # A conclusion undefined or not real at a point of the stated domain: the stated domain is wrong, and the
        # search is no pass (the rule reads the same field and says undecided).
        at = [sp.Eq(sp.Symbol(k), sp.sympify(v, rational=True), evaluate=False) for k, v in res.undefined.items()]
        text = Text.of(text, "; the conclusion is undefined or not real at ",
                       *[x for k, e in enumerate(at) for x in ([", "] * bool(k) + [e])],
                       ", a point of the stated domain")
    f = res.failure
    if f is None:
        if res.undefined is not None:
            return Item(text, False, "conclusion undefined in the stated domain")
        return Item(text, True, "no failure certified")
    where: list[Any] = []
    for k, (name, value) in enumerate(f.point.items()):
        where += [", "] * bool(k) + [sp.Eq(sp.Symbol(name), sp.sympify(value, rational=True), evaluate=False)]
    text = Text.of(text, "; failure certified at ", *where, f" (margin <= {f.margin_upper})")
    tail = {"inf": (", and the margin is identically 0 where a strict relation is claimed", "failure certified on the "
                    "whole domain"),
            "ray": (", and at every integer point of an unbounded ray of the domain from it (infinitely many values "
                    "of a discrete parameter: not a measure-zero exception)", "failure certified on a ray"),
            "point": (", the only point of the stated domain (every variable is fixed by an equality)",
                      "failure certified at the only point"),
            None: ("", "failure certified, no failing box found (a measure-zero candidate)")}
    words, outcome = tail.get(f.box_radius, (f", and on the whole box of half-width {f.box_radius} around it",
                                              "failure certified on an open set"))
    return Item(text + words, False, outcome)


def _is_registry_statement(claim: Claim) -> bool:
    try:
        # Equality, not identity: a claim sent to a worker process arrives as a copy.
        return registry.by_id(claim.id).statement == claim.statement
    except KeyError:
        return False


def judge(claim: Claim, cfg: AuditConfig) -> Finding:
    """Audit one claim: its statement's search, its corrections, its derivations, its checks; then the rule.
    A bare registry entry (``registry.bare``) is built first."""
    start = time.perf_counter()
    claim = registry.built(claim)
    if claim.statement is None and claim.kind is not Kind.PREDICTION:
        raise ValueError(f"claim={claim.id!r} is a {claim.kind.value} without a formal statement; only a prediction "
                         "(no mathematical content) may have none: give it a Statement")
    if claim.statement is None:
        ev = claim.check(cfg)
        return _finding(claim, cfg, ev, rule(None, ev), start)
    # The claim's checks confirm the definitions its statement names (SOCP optima against derived closed
    # forms); they read the registry's statement, so they run only when that is the statement judged.
    own = _is_registry_statement(claim)
    ev = claim.check(cfg) if own else Evidence()
    ev.checks_passed = all(ok for _, ok in ev.numeric)
    if claim.statement.quantifier is Quantifier.EXISTENTIAL:
        return _existential(claim, cfg, ev, start)
    # The verdict, its counterexample, conditions and correction come from the statement alone.
    ev.counterexample, ev.conditions, ev.correction = None, None, None
    ev.search = _search(claim.statement, cfg, claim.id)
    ev.methods.add(Method.INTERVAL)
    ev.numeric.append(_searched("statement search", ev.search))
    open_failure = ev.search.failure is not None and ev.search.failure.box_radius
    if claim.corrections and ev.search.failure is not None:
        # Searched for a refuted claim too: the report offers only a correction the audit has verified.
        for i, corr in enumerate(claim.corrections):
            res = _search(corr, cfg, f"{claim.id}/correction/{i}")
            ev.corrections.append((corr, res))
            ev.numeric.append(_searched(f"corrected statement {i + 1} search", res))
    if own or not open_failure:
        for make in claim.derivations:
            ev.derive(make())
    ruling = rule(claim.statement, ev)
    if ruling.why_sampled:
        ev.note(f"scope sampled, not proved for every parameter: {ruling.why_sampled}")
    ev.counterexample = _counterexample(claim.statement, ev.search)
    if ruling.verdict is Verdict.CONDITIONAL or ruling.verdict is Verdict.REFUTED:
        ev.correction, ev.conditions = _correction(claim)
        if own and claim.id in printed_proofs.PRINTED:
            # Where the paper proves a claim that fails, the first step of its proof that fails is named.
            replayed = printed_proofs.replay(claim.id, cfg.seed, min(cfg.search_samples, _PROOF_SAMPLES),
                                             known={claim.statement: ev.search})
            ev.note(replayed.describe())
    return _finding(claim, cfg, ev, ruling, start)


# Points searched per step of a replayed printed proof: a step fails where its claim does, on a set the claim's own
# search already found at this size.
_PROOF_SAMPLES = 1000


def _existential(claim: Claim, cfg: AuditConfig, ev: Evidence, start: float) -> Finding:
    """An existential claim: its universal negation is searched, and a certified failure of the negation is a
    certified witness of the claim; its derivations may prove the negation (the only way it is refuted)."""
    ev.search = _search(negation(claim.statement), cfg, claim.id)
    ev.methods.add(Method.INTERVAL)
    found = ev.search.failure
    if found is None:
        ev.numeric.append(Item(Text.of(f"witness search: margin evaluated at {ev.search.points} admissible points; "
                                       "no certified witness"), True))
    else:
        where: list[Any] = []
        for k, (name, value) in enumerate(found.point.items()):
            where += [", "] * bool(k) + [sp.Eq(sp.Symbol(name), sp.sympify(value, rational=True), evaluate=False)]
        rel = claim.statement.conclusion
        rel = rel.args[1] if isinstance(rel, sp.Implies) else rel
        ev.numeric.append(Item(Text.of("witness search: certified witness at ", *where, ": ", rel,
                                       f" with left side {found.sides[0]}, right side {found.sides[1]}"), True))
    for make in claim.derivations:
        ev.derive(make())
    return _finding(claim, cfg, ev, rule(claim.statement, ev), start)


def _finding(claim: Claim, cfg: AuditConfig, ev: Evidence, ruling, start: float) -> Finding:
    evidence = summary(ev) if (ev.derivations or ev.numeric or ev.notes or ev.not_checkable) else (
        Item(Text.of(ruling.reason)),)
    return Finding(claim.id, claim.location, claim.kind, claim.printed, claim.statement, ruling.verdict, ruling.scope,
                   ruling.failure, tuple(sorted(ev.methods, key=lambda m: m.value)), evidence,
                   ev.conditions, ev.counterexample, ev.correction, time.perf_counter() - start,
                   tuple(ev.derivations), _cause(claim, ruling.verdict), claim.reading)


def _cause(claim: Claim, verdict: Verdict):
    """The claim's cause, shown only where there is a failure to explain."""
    return claim.cause if verdict in (Verdict.CONDITIONAL, Verdict.REFUTED) else None


def _unevaluated(cls: type, args: tuple) -> Any:
    return cls(*args, evaluate=False)


def _reduce_relation(rel: Any) -> tuple:
    return _unevaluated, (type(rel), rel.args)


# Findings travel from worker processes by pickle, and SymPy rebuilds a relation by evaluating it: a relation
# between matrix expressions (a derivation step) then raises "Invalid comparison", and a condition "d in Z" on an
# integer symbol would become True (and a power 10^128 written as one, its digits).  Rebuilt unevaluated, it is
# the same object it was.
for _cls in (sp.Eq, sp.Ne, sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.And, sp.Contains, sp.Pow):
    copyreg.pickle(_cls, _reduce_relation)


def run(claims: Iterable[Claim], cfg: AuditConfig, on_done: Callable[[Finding], None] | None = None,
        workers: int | None = None, on_start: Callable[[Claim], None] | None = None,
        store: Callable[[Claim, Finding], None] | None = None) -> list[Finding]:
    """Judge every claim, in the registry's order; ``workers`` processes (default: one per core) share them,
    each working through whole families first (``paper_checks.lanes``).

    Each claim draws from its own seeded generator, so the findings do not depend on which process
    judged which claim, nor in which order they finished.  ``on_start(claim)`` is called when a claim
    is handed to a process, ``on_done(finding)`` when its finding is back (the CLI's progress names the
    claims being audited, not the last one done).  ``store(claim, finding)`` is called in the process that
    judged the claim, as soon as it has (the CLI writes the findings cache there, in parallel).  Bare
    registry entries (``registry.bare``) are built by the process that judges them.
    """
    return over_claims(lambda c: _judged(c, cfg, store), tuple(claims), workers, on_start, on_done)


def over_claims(fn: Callable[[Claim], Any], claims: tuple[Claim, ...], workers: int | None = None,
                on_start: Callable[[Claim], None] | None = None, on_done: Callable[[Any], None] | None = None
                ) -> list[Any]:
    """``[fn(c) for c in claims]``: in this process when ``workers`` (default: one per core) is 1, else in forked
    processes, family by family (``paper_checks.lanes``, scheduled by ``cost`` and ``SWITCH_COST``)."""
    workers = min(len(claims), os.cpu_count() or 1) if workers is None else workers
    if workers <= 1 or len(claims) <= 1:
        out = []
        for claim in claims:
            if on_start:
                on_start(claim)
            out.append(fn(claim))
            if on_done:
                on_done(out[-1])
        return out
    from paper_checks.lanes import run_in_lanes
    lanes = [registry.lane_of(c.id) for c in claims]
    return run_in_lanes(fn, claims, lanes, [cost(c.id) for c in claims], workers, on_start, on_done, SWITCH_COST)


def _judged(claim: Claim, cfg: AuditConfig, store: Callable[[Claim, Finding], None] | None) -> Finding:
    claim = registry.built(claim)       # in the process that judges it: each builds only its own families
    finding = judge(claim, cfg)
    if store:
        store(claim, finding)
    return finding


# Seconds a process spends building a family (statements, closed forms, lemmas) before its first claim of it;
# measured 0.3 to 0.6 s per family on 2 cores (2026-11-27).  For scheduling only.
SWITCH_COST = 0.5


def cost(claim_id: str) -> float:
    """Rough seconds to judge a claim, its family's build included for the first claim of a family (measured on
    2 cores, bench/bench_audit.py), for scheduling only."""
    return _COST.get(claim_id, 0.1)


# Seconds per claim where above the default: each finding's own seconds in one cold audit in one process on 2 cores
# (2026-12-08, thm-6.1 with its reduction from R^d), family builds left to SWITCH_COST.  For scheduling only: a
# lane's total decides which process starts it, and a stale total leaves one process with most of the work: measure
# again when a claim's proof changes.
_COST = {"thm-6.1": 15.0, "prop-6.5": 7.9, "thm-4.3": 2.5, "thm-4.1": 2.5, "def-3.3": 1.7, "def-3.4": 1.2,
         "thm-5.4": 1.0, "sec-4.4": 1.0, "prop-6.7": 0.9, "thm-4.1.tight": 0.8, "ellipse": 0.8, "cor-6.6": 0.8,
         "cor-5.6": 0.8, "sec-7.3": 0.7, "thm-6.4.reading": 0.6, "rem-4.2.quarter": 0.6, "prop-5.5.quantile": 0.6,
         "prop-5.5.intrinsic": 0.6, "thm-4.1.pareto": 0.5, "prop-5.5": 0.5, "thm-6.4.i": 0.4, "prop-5.5.whp": 0.4,
         "cor-4.7.subsidy": 0.4, "thm-4.3.maximiser": 0.3, "sec-5.1": 0.3, "rem-6.2": 0.3, "ellipse.conic": 0.3,
         "cor-6.3": 0.3, "cor-4.5": 0.3}


def _show_in_notebooks() -> None:
    """In an IPython shell (a notebook), findings display as their HTML section and as LaTeX (``report.jupyter``);
    outside one, no writer is imported."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        from paper_checks.report.jupyter import register
        register(shell)


_show_in_notebooks()

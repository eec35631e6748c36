"""The audit pipeline: run each claim's check, time it, and turn its evidence into a Finding."""
from __future__ import annotations

import time
from typing import Callable, Iterable

from paper_checks.checks.common import summary
from paper_checks.finding import AuditConfig, Claim, Failure, Finding, Verdict, decide
from paper_checks.registry import CLAIMS, by_id

__all__ = ["run", "judge", "select"]


def select(ids: Iterable[str] | None) -> tuple[Claim, ...]:
    """The claims named by ``ids`` (all when None), in the registry's order; unknown ids raise KeyError."""
    if not ids:
        return CLAIMS
    wanted = {by_id(i).id for i in ids}
    return tuple(c for c in CLAIMS if c.id in wanted)


def judge(claim: Claim, cfg: AuditConfig) -> Finding:
    start = time.perf_counter()
    ev = claim.check(cfg)
    for make in claim.derivations:
        ev.derive(make())
    verdict, scope = decide(ev)
    failure = {Verdict.REFUTED: Failure.OPEN_SET, Verdict.CONDITIONAL: Failure.MEASURE_ZERO}.get(verdict)
    return Finding(claim.id, claim.location, claim.kind, claim.printed, None, verdict, scope, failure,
                   tuple(sorted(ev.methods, key=lambda m: m.value)), summary(ev), ev.conditions,
                   ev.counterexample, ev.correction, time.perf_counter() - start, tuple(ev.derivations))


def run(claims: Iterable[Claim], cfg: AuditConfig,
        on_done: Callable[[Finding], None] | None = None,
        on_start: Callable[[Claim], None] | None = None) -> list[Finding]:
    findings = []
    for claim in claims:
        if on_start:   # the CLI's progress names the claim being audited, not the last one done
            on_start(claim)
        finding = judge(claim, cfg)
        findings.append(finding)
        if on_done:
            on_done(finding)
    return findings

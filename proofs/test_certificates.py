"""Replays every claim's numeric certificates and checks the verdict is the one the evidence supports."""
from __future__ import annotations

import pytest

from paper_checks import definitions, margin
from paper_checks.finding import AuditConfig, Failure, Verdict
from paper_checks.registry import CLAIMS
from proofs.findings import audited

CFG = AuditConfig(seed=0, samples=12)


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_is_decided_with_passing_certificates(claim) -> None:
    ev = claim.check(CFG)
    failed = [desc for desc, ok in ev.numeric if not ok]
    assert not failed, f"{claim.id}: certificates failed: {failed}"
    finding = audited(claim.id)
    assert finding.verdict is not Verdict.UNDECIDED, finding.evidence
    if finding.verdict in (Verdict.REFUTED, Verdict.CONDITIONAL):
        assert finding.counterexample is not None
        assert finding.cause is not None, "a failing claim names its cause (paper_checks.finding.Cause)"
    if finding.verdict is Verdict.CONDITIONAL:
        assert finding.conditions
    if finding.verdict is Verdict.REFUTED:
        assert finding.correction, "a refutation carries the corrected statement where one exists"
    if finding.failure is Failure.OPEN_SET and finding.counterexample is not None:
        # Failing on an open set, the claim fails at generic points: the one shown is one (no closed end, no limit
        # allowed only in closure, no active inequality), with small denominators (margin.genericity).
        degenerate, denominator, _ = margin.genericity_at(claim.statement, definitions.expand,
                                                          finding.counterexample.parameters)
        assert degenerate == 0 and denominator <= 1000, finding.counterexample.parameters

"""Every claim's numeric confirmations passed in its audit, and the verdict is the one the evidence supports.

The confirmations are read from the claim's finding (``proofs.findings``: the audit's own run of the checks, at the
audit's sample size), not run a second time here."""
from __future__ import annotations

import pytest

from paper_checks import definitions, margin
from paper_checks.finding import Failure, Verdict
from paper_checks.registry import CLAIMS
from proofs.findings import audited

@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_is_decided_with_passing_certificates(claim) -> None:
    finding = audited(claim.id)
    # The evidence lists the derivations first, then the numeric routes (``checks.common.summary``): the checks'
    # confirmations, then the statement searches, which carry an outcome in words and fail where a failure is
    # certified (a refuted claim's search fails by design).
    numeric = finding.evidence[len(finding.derivations):]
    failed = [str(item.text) for item in numeric if item.failed and item.outcome is None]
    assert not failed, f"{claim.id}: certificates failed: {failed}"
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

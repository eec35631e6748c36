"""Every claim that fails says why, as a referee would: a ``Cause`` in the registry, copied onto its finding."""
from __future__ import annotations

import dataclasses

import pytest

from paper_checks import audit
from paper_checks.finding import AuditConfig, Cause, Verdict
from paper_checks.registry import CLAIMS, by_id


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_a_claim_with_a_correction_has_a_cause(claim) -> None:
    # The audit proposes corrections for exactly the claims that fail; each of them names its cause.
    assert bool(claim.corrections) == (claim.cause is not None), (claim.id, claim.cause)


@pytest.mark.claim("thm-6.4.i", "thm-6.4.ii")
def test_the_cause_is_shown_only_for_a_failure() -> None:
    cfg = AuditConfig(samples=8, search_samples=400)
    refuted = audit.judge(by_id("thm-6.4.i"), cfg)
    assert refuted.verdict is Verdict.REFUTED and refuted.cause is Cause.FALSE_MATHEMATICS
    # A verified claim given a cause does not show it: there is no failure to explain.
    verified = audit.judge(dataclasses.replace(by_id("thm-6.4.ii"), cause=Cause.FALSE_MATHEMATICS), cfg)
    assert verified.verdict is Verdict.VERIFIED and verified.cause is None

"""Replays every derivation step of every audited claim: a failure names the claim and the step."""
from __future__ import annotations

import pytest

from derive.core import Status
from proofs.conftest import checked, step_cases, step_failure

CASES = step_cases()


@pytest.mark.parametrize(("claim_id", "derivation", "step"), CASES,
                         ids=[f"{c}:{d}:{s}" for c, d, s in CASES])
def test_step_follows(claim_id: str, derivation: str, step: str) -> None:
    for deriv, checks in checked(claim_id):
        if deriv.claim != derivation:
            continue
        check = next(c for c in checks if c.step.name == step)
        assert check.status is not Status.FAILED, step_failure(claim_id, deriv, check)
        if check.status is Status.NUMERIC:
            # Numeric-only steps are allowed but must be labelled and hold to 1e-40 at 50 digits.
            assert check.residual is not None and float(check.residual) <= 1e-40


@pytest.mark.claim("rem-4.2", "sec-4.4")
def test_numeric_only_steps_are_the_known_ones() -> None:
    """Which steps SymPy does not prove is part of the audit's scope; a change must be deliberate."""
    numeric = sorted(f"{d.claim}:{c.step.name}" for cid in {c for c, _, _ in CASES}
                     for d, checks in checked(cid) for c in checks if c.status is Status.NUMERIC)
    assert numeric == ["rem-4.2:continuity", "sec-4.4:carries-over-with-rescaling", "sec-4.4:whitened-form"]

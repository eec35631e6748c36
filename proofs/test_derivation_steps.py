"""Replays every derivation step of every audited claim: a failure names the claim and the step."""
from __future__ import annotations

import pytest

from derive.core import Status
from proofs.conftest import checked, derived_ids, step_failure

CLAIM_IDS = derived_ids()


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_step_follows(claim_id: str) -> None:
    """Every step of every derivation of the claim follows; a failure names each step that does not, and where."""
    failures = []
    for deriv, checks in checked(claim_id):
        for check in checks:
            if check.status is Status.FAILED:
                failures.append(step_failure(claim_id, deriv, check))
            elif check.status is Status.NUMERIC and not _unestablished(check) and (
                    check.residual is None or float(check.residual) > 1e-40):
                # Numeric-only steps are allowed but must be labelled and hold to 1e-40 at 50 digits.
                failures.append(f"{claim_id}: numeric-only step {check.step.name!r} of {deriv.claim} has residual "
                                f"{check.residual} (at most 1e-40 is owed)")
    assert not failures, "\n".join(failures)


# What a citing chain owes its lemma (its premises on bound variables, its relations, the signs of substituted
# symbols): when the chain does not establish it, the cited step is unproved (numeric-only), and says which.
_CITED = ("lemma premise", "lemma relation", "substituted symbol")


def _unestablished(check) -> bool:
    from derive.core import Discharge
    return check.rule.name == "CITE" and any(o.how in (Discharge.OPEN, Discharge.REFUTED)
                                             and o.obligation.kind in _CITED for o in check.obligations)


@pytest.mark.claim("rem-4.2", "sec-4.4")
def test_numeric_only_steps_are_the_known_ones() -> None:
    """Which steps SymPy does not prove is part of the audit's scope; a change must be deliberate."""
    # A set: one derivation may serve several claims (readings, sub-claims).
    numeric = sorted({f"{d.claim}:{c.step.name}" for cid in CLAIM_IDS
                      for d, checks in checked(cid) for c in checks if c.status is Status.NUMERIC})
    # def-3.3 (K = 3) is an exact proof of one instance of a parameter the claim quantifies over: numeric-only in
    # scope, not "ok".  (sec-5.1's rank step and thm-5.4's expansion are proved for every r, m and I with matrix
    # symbols.)  The citations of thm-6.1, prop-6.5 and cor-6.3 bind the variables their lemma's premise speaks of
    # (the feasible delta, the attainable s), and the dominated arc of thm-4.1.pareto is a derivation of its own.
    assert numeric == ["def-3.3:first-order", "def-3.3:fisher", "def-3.3:quadratic-form",
                       "def-3.3:second-order", "def-3.3:value-at-0", "rem-4.2.limits:continuity",
                       "sec-4.4:carries-over-with-rescaling", "sec-4.4:whitened-form"]


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_no_step_has_identical_sides(claim_id: str) -> None:
    same = [f"{d.claim}:{s.name}" for d, _ in checked(claim_id) for s in d.chain if s.lhs == s.rhs]
    assert not same, f"steps that prove nothing: {same}"


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_every_obligation_is_discharged_or_labelled(claim_id: str) -> None:
    """An ok step has every obligation discharged symbolically; a numeric-only step names the open ones."""
    from derive.core import Discharge
    for d, checks in checked(claim_id):
        for c in checks:
            hows = {o.how for o in c.obligations}
            if c.status is Status.OK:
                assert hows <= {Discharge.SYMPY, Discharge.SMT, Discharge.HYPOTHESIS}, (d.claim, c.step.name, hows)
            if not _unestablished(c):
                assert Discharge.OPEN not in hows and Discharge.REFUTED not in hows, (d.claim, c.step.name)


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_every_derivation_has_a_conclusion(claim_id: str) -> None:
    import sympy as sp
    for d, _ in checked(claim_id):
        assert isinstance(d.conclusion, (sp.Equality, sp.LessThan, sp.StrictLessThan, sp.Implies)), d.claim

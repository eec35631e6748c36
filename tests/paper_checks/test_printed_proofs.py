"""The paper's proofs of the claims that fail, replayed: the first failing step is named, the steps before it hold."""
from __future__ import annotations

import pytest

from paper_checks import printed_proofs
from paper_checks.audit import judge
from paper_checks.finding import AuditConfig, Verdict
from paper_checks.registry import by_id

# The step of each printed proof that a referee would name (1-based), read from the paper.
FIRST_FAILING = {"thm-4.1.tight": 1, "thm-4.3.maximiser": 1, "thm-5.4": 2, "prop-5.5": 2, "thm-6.4.i": 3}


def test_every_failing_theorem_or_proposition_with_a_printed_proof_is_replayed() -> None:
    assert set(FIRST_FAILING) == set(printed_proofs.PRINTED)


@pytest.mark.parametrize("claim_id", sorted(FIRST_FAILING))
def test_the_first_failing_step_is_named(claim_id: str) -> None:
    r = printed_proofs.replay(claim_id, samples=1000)
    assert r.failing is not None and r.failing + 1 == FIRST_FAILING[claim_id], r.describe()
    assert all(res.failure is None for _, res in r.results[:r.failing])
    assert f"step {FIRST_FAILING[claim_id]} of" in r.describe()


def test_a_true_step_does_not_fail() -> None:
    """thm-6.4.i's steps 1 and 2 hold (rho - ab > rho and D < 1 when ab < 0): the replay goes past them."""
    r = printed_proofs.replay("thm-6.4.i", samples=1000)
    assert [res.failure is None for _, res in r.results] == [True, True, False]


@pytest.mark.claim("thm-6.4.i")
def test_the_finding_names_the_failing_step() -> None:
    f = judge(by_id("thm-6.4.i"), AuditConfig(samples=8, search_samples=1000))
    assert f.verdict is Verdict.REFUTED
    assert "the paper's proof fails first at step 3 of 3" in f.evidence_text


def test_an_unknown_claim_is_refused_with_the_known_ones() -> None:
    with pytest.raises(KeyError, match="thm-6.4.i"):
        printed_proofs.steps("cor-6.6")

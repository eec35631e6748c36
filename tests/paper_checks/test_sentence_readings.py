"""Sentences of Sections 1, 5.7, 7 and 9 read as claims: each verdict and failure set from the rule, each
counterexample inside the stated hypotheses, each correction verified; and the same search verifies a reading
that holds, so a refutation here is not the search's habit."""
from __future__ import annotations

import dataclasses
import functools

import pytest
import sympy as sp

from paper_checks import audit
from paper_checks.definitions import expand
from paper_checks.finding import AuditConfig, Failure, Verdict
from paper_checks.registry import by_id

CFG = AuditConfig()

EXPECTED = {
    "sec-9.3.entangled": (Verdict.REFUTED, Failure.OPEN_SET),
    "sec-9.3.tradeoff": (Verdict.REFUTED, Failure.OPEN_SET),
    "sec-7.5.tradeoff": (Verdict.REFUTED, Failure.OPEN_SET),
    "sec-7.4.angle": (Verdict.REFUTED, Failure.OPEN_SET),
    "sec-9.4.exactly": (Verdict.REFUTED, Failure.OPEN_SET),
    "sec-1.orthogonal.independent": (Verdict.VERIFIED, None),
    "rem-5.7.decrease": (Verdict.REFUTED, Failure.OPEN_SET),
    "sec-7.2.percentage": (Verdict.REFUTED, Failure.OPEN_SET),
}


@functools.cache
def finding(claim_id: str):
    return audit.judge(by_id(claim_id), CFG)


@pytest.mark.parametrize("claim_id", list(EXPECTED))
def test_verdict(claim_id: str) -> None:
    f = finding(claim_id)
    assert (f.verdict, f.failure) == EXPECTED[claim_id], f.evidence


@pytest.mark.parametrize("claim_id", [i for i, (v, _) in EXPECTED.items() if v is Verdict.REFUTED])
def test_counterexample_satisfies_the_hypotheses_and_the_correction_is_verified(claim_id: str) -> None:
    f, s = finding(claim_id), by_id(claim_id).statement
    ce = f.counterexample
    assert ce is not None
    point = {v.symbol: sp.nsimplify(ce.parameters[v.symbol.name]) if v.symbol.name in ce.parameters else None
             for v in s.variables}
    for h in s.hypotheses:
        if not (h.free_symbols - {k for k, x in point.items() if x is not None}):
            assert bool(expand(h).subs(point)), (h, point)
    assert any(str(i.text).startswith("corrected statement 1 search") and i.passed for i in f.evidence)
    assert f.correction


@pytest.mark.parametrize("claim_id,corrected",
                         [("sec-9.3.entangled", 0), ("sec-7.4.angle", 0), ("sec-9.3.tradeoff", 0)])
def test_the_corrected_reading_as_a_claim_is_verified(claim_id: str, corrected: int) -> None:
    claim = by_id(claim_id)
    fixed = dataclasses.replace(claim, statement=claim.corrections[corrected], corrections=())
    assert audit.judge(fixed, CFG).verdict is Verdict.VERIFIED

"""The expected overlap of a fixed direction with a random subspace is proved from its definition.

ExpectedOverlap(r, d) = E <c, P_U c> for a uniformly random r-dimensional U: rotation invariance makes E P_U = x I_d,
and its trace is the rank r, so x solves d x - r = 0; the chain proves the closed form r/d for every r <= d.  Each
proof step is shown to be one that can fail: with a coefficient, a sign or a point changed it fails, while its true
twin passes.
"""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive import random_subspace as DR
from derive.core import Rule, Status
from paper_checks import closed_forms, definitions
from paper_checks.registry import by_id
from paper_checks.rule import shortfall

pytestmark = pytest.mark.claim("sec-7.2")

F2 = sp.Function("F2", real=True, nargs=2)
TENTH = sp.Rational(1001, 1000)


def _with_step(d, name: str, **changes):
    """``d`` with the step ``name`` changed (the result too, when it is that step)."""
    if d.result.name == name:
        return dataclasses.replace(d, result=dataclasses.replace(d.result, **changes))
    steps = tuple(dataclasses.replace(s, **changes) if s.name == name else s for s in d.steps)
    return dataclasses.replace(d, steps=steps)


def _status(d, name: str) -> Status:
    return next(c.status for c in d.check() if c.step.name == name)


def _with_solution(d, **changes):
    return _with_step(d, "closed-form", using=dataclasses.replace(d.result.using, **changes))


@pytest.fixture(autouse=True)
def _fresh_proofs():
    yield
    closed_forms.proof.cache_clear()


def test_the_expected_overlap_is_proved_from_its_definition_for_every_rank_up_to_the_dimension() -> None:
    p = closed_forms.proof("ExpectedOverlap")
    assert p.why is None, p.why
    assert p.derivation.result.by is Rule.SOLUTION
    r, dim = p.arguments
    assert sp.Le(r, dim) in p.hypotheses
    assert sp.simplify(p.derivation.result.rhs - r / dim) == 0
    assert "ExpectedOverlap" not in closed_forms.unproved()


def test_a_false_trace_of_the_projection_fails_and_its_true_twin_passes() -> None:
    d = DR.expected_overlap_from_definition(F2)
    assert _status(d, "trace-rank") is Status.OK
    lhs = d.step("trace-rank").lhs
    doubled = sp.MatMul(2, *lhs.args, evaluate=False)
    assert _status(_with_step(d, "trace-rank", lhs=doubled), "trace-rank") is Status.FAILED


def test_a_false_expected_overlap_closed_form_fails_and_its_true_twin_passes() -> None:
    d = DR.expected_overlap_from_definition(F2)
    assert _status(d, "closed-form") is Status.OK
    sol = d.result.using
    (x,), (equation,) = sol.unknowns, sol.equations
    assert _status(_with_step(d, "closed-form", rhs=d.result.rhs * TENTH), "closed-form") is Status.FAILED
    assert _status(_with_solution(d, point=(sol.point[0] * TENTH,)), "closed-form") is Status.FAILED
    # The trace with a coefficient changed ((d + 1) x = r), and with the rank's sign flipped (d x = -r).
    assert _status(_with_solution(d, equations=(equation + x,)), "closed-form") is Status.FAILED
    r = next(s for s in equation.free_symbols if s.name == "r")
    assert _status(_with_solution(d, equations=(equation + 2 * r,)), "closed-form") is Status.FAILED


def test_equations_that_are_not_the_definition_prove_nothing(monkeypatch) -> None:
    d = definitions.DEFINITIONS["ExpectedOverlap"]
    assert closed_forms.proof("ExpectedOverlap").why is None

    def other(rr, dim):
        eqs = d.equations(rr, dim)
        return dataclasses.replace(eqs, equations=(eqs.equations[0] + eqs.unknowns[0],))
    monkeypatch.setitem(definitions.DEFINITIONS, "ExpectedOverlap", dataclasses.replace(d, equations=other))
    closed_forms.proof.cache_clear()
    assert "not the quantity's definition" in closed_forms.proof("ExpectedOverlap").why


def test_section_7_2_rests_on_the_proof_and_owes_its_rank_bound() -> None:
    """sec-7.2's statement is the closed form: proved where r <= d, which it assumes; without that hypothesis a
    rank above the dimension is allowed and the proof does not cover it."""
    claim = by_id("sec-7.2")
    chain = claim.derivations[-1]()
    checks = chain.check()
    assert shortfall(chain, checks, claim.statement) is None
    unbounded = dataclasses.replace(claim.statement, hypotheses=())
    assert "proved where" in shortfall(chain, checks, unbounded)

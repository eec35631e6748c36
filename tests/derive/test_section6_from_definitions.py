"""Thm 6.1 and Cor 6.3 are proved from the definitions of their quantities, for every parameter.

ProjectedCos's closed form is the cosine of the angle between the least-squares residuals (the normal equations
and the inner products in the Gram form, steps of Thm 6.1's chain); MaxNormalisedPairGain and MaxEqualGain are
optima stated as problems, whose values the chains prove by Rule.OPTIMUM.  Each proof is shown to be one that can
fail: with a coefficient changed, the step fails, while its true twin passes.
"""
from __future__ import annotations


import pytest
import sympy as sp

from derive import safety_pair as DS
from derive.core import Optimum, Rule, Status
from paper_checks.registry import by_id
from paper_checks.rule import proves, shortfall
from proofs.conftest import checked
from tests.derive._chains import step_status, with_step

pytestmark = pytest.mark.claim("thm-6.1", "cor-6.3")


def _chain(claim_id: str):
    claim = by_id(claim_id)
    return claim, claim.derivations[0]()


@pytest.mark.parametrize("claim_id", ["thm-6.1", "cor-6.3"])
def test_the_chain_proves_the_statement_from_the_definitions(claim_id: str) -> None:
    claim = by_id(claim_id)
    d, checks = checked(claim_id)[0]          # as the audit checked it (once per run)
    assert all(c.status is Status.OK for c in checks), [(c.step.name, c.method) for c in checks]
    assert shortfall(d, checks, claim.statement) is None and proves(d, checks, claim.statement)
    # The quantity's value is a maximum proved by Rule.OPTIMUM, never its closed form unfolded.
    assert any(s.by is Rule.OPTIMUM and s.lhs == claim.statement.conclusion.lhs for s in d.chain)


def test_cor_6_3_holds_at_the_ends_of_the_angle_range() -> None:
    """The bound and the chain take theta in [0, pi], its ends included (no open angle, no case left out)."""
    _, d = _chain("cor-6.3")
    bound = DS.equal_gain_bound()
    assert d.closed_angles == (DS.theta,) and not d.angles
    assert bound.closed_angles == (DS.theta,) and not bound.angles
    assert all(c.status is Status.OK for c in bound.check())


def test_a_false_equal_gain_bound_fails_and_its_true_twin_passes() -> None:
    bound = DS.equal_gain_bound()
    assert step_status(bound, "equal-gain-bound") is Status.OK
    # x <= cos(theta/2) - 1/100 is false at theta = 0, x = 1.
    false = with_step(bound, "equal-gain-bound", rhs=sp.cos(DS.theta / 2) - sp.Rational(1, 100))
    assert step_status(false, "equal-gain-bound") is Status.FAILED


def test_a_false_equal_gain_maximum_fails_and_its_true_twin_passes() -> None:
    _, d = _chain("cor-6.3")
    step = d.step("maximum")
    assert step_status(d, "maximum") is Status.OK
    # A value a little above the maximum: the bound no longer bounds the objective by it.
    wrong_value = with_step(d, "maximum", rhs=step.rhs * sp.Rational(1001, 1000))
    assert step_status(wrong_value, "maximum") is Status.FAILED
    # A point off the equal-gain line: y = sin(theta/2) scaled by 1001/1000 is not feasible.
    p = step.using
    off = Optimum(p.variables, p.objective, p.constraints, (p.point[0], p.point[1] * sp.Rational(1001, 1000), 0))
    assert step_status(with_step(d, "maximum", using=off), "maximum") is Status.FAILED


def test_a_false_projected_cos_step_fails_and_its_true_twin_passes() -> None:
    _, d = _chain("thm-6.1")
    for name in ("normal-equations", "residuals", "projected-cos"):
        assert step_status(d, name) is Status.OK, name
    rhs = d.step("residuals").rhs
    false_residuals = with_step(d, "residuals", rhs=rhs.subs(DS.rho, DS.rho * sp.Rational(1001, 1000)))
    assert step_status(false_residuals, "residuals") is Status.FAILED
    lhs = d.step("normal-equations").rhs
    false_normal = with_step(d, "normal-equations", rhs=sp.Matrix([2 * lhs[0] - DS.a, lhs[1]]))
    assert step_status(false_normal, "normal-equations") is Status.FAILED
    false_cos = with_step(d, "projected-cos", lhs=d.step("projected-cos").lhs * sp.Rational(1001, 1000))
    assert step_status(false_cos, "projected-cos") is Status.FAILED


def test_a_false_pair_gain_maximum_fails_and_its_true_twin_passes() -> None:
    _, d = _chain("thm-6.1")
    step = d.step("maximum")
    assert step_status(d, "maximum") is Status.OK
    assert step_status(with_step(d, "maximum", rhs=step.rhs * sp.Rational(1001, 1000)), "maximum") is Status.FAILED
    p = step.using
    # q = sqrt(1 - s_2^2) scaled by 1001/1000 spends more than the budget.
    over = Optimum(p.variables, p.objective, p.constraints, (p.point[0] * sp.Rational(1001, 1000), p.point[1]))
    assert step_status(with_step(d, "maximum", using=over), "maximum") is Status.FAILED


def test_a_maximum_of_another_problem_is_not_the_definition() -> None:
    """The OPTIMUM step must maximise the problem MaxNormalisedPairGain's definition states: the same chain with the
    budget loosened to 2 (a lemma and a point to match) is not a proof of the statement."""
    claim, d = _chain("thm-6.1")
    step = d.step("maximum")
    p = step.using
    (within,) = p.constraints
    loose = Optimum(p.variables, p.objective, (sp.Le(within.lhs, 2),), p.point)
    other = with_step(d, "maximum", using=loose)
    assert not proves(other, other.check(), claim.statement)

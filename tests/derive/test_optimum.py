"""Rule.OPTIMUM: a maximum's value from a cited upper bound over the feasible set and a feasible point attaining it.

Each test breaks one of the rule's conditions on Thm 4.3's chain and checks that the step (or ``proves``) fails
for that reason; the unbroken chain is proved, for every parameter.
"""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive import capability_constraint as K
from derive.core import Derivation, Optimum, Rule, Start, Status, Step
from paper_checks import definitions, registry
from paper_checks.rule import proves

pytestmark = pytest.mark.claim("thm-4.3")


def _chain() -> Derivation:
    return registry.by_id("thm-4.3").derivations[0]()


def _with_step(d: Derivation, **changes) -> Derivation:
    first = d.result if not d.steps else d.steps[0]
    broken = dataclasses.replace(first, **changes)
    if not d.steps:
        return dataclasses.replace(d, result=broken)
    return dataclasses.replace(d, steps=(broken, *d.steps[1:]))


def _opt(d: Derivation) -> Optimum:
    return (d.result if not d.steps else d.steps[0]).using


def _status(d: Derivation) -> tuple[Status, str]:
    check = d.check()[0]
    return check.status, check.method


def test_thm_4_3_value_is_proved_for_every_parameter() -> None:
    d = _chain()
    checks = d.check()
    assert all(c.status is Status.OK for c in checks) and checks[0].rule is Rule.OPTIMUM
    assert proves(d, checks, registry.by_id("thm-4.3").statement)


def test_thm_4_3_point_that_does_not_attain_is_rejected() -> None:
    d = _chain()
    opt = _opt(d)
    half = dataclasses.replace(opt, point=(opt.point[0] / 2, opt.point[1]))
    status, method = _status(_with_step(d, using=half))
    assert status is Status.FAILED and "does not attain" in method


def test_thm_4_3_infeasible_point_is_rejected() -> None:
    d = _chain()
    opt = _opt(d)
    # The objective does not see y_rest: the value is attained, but ||delta|| > B.
    outside = dataclasses.replace(opt, point=(opt.point[0], K.B))
    status, method = _status(_with_step(d, using=outside))
    assert status is Status.FAILED and "feasible point" in method


def test_thm_4_3_bound_of_another_objective_is_rejected() -> None:
    d = _chain()
    opt = _opt(d)
    doubled = dataclasses.replace(opt, objective=K.s + 2 * K.perp_norm() * K.y1)
    status, method = _status(_with_step(d, using=doubled))
    assert status is Status.FAILED and "not the objective" in method


def test_thm_4_3_bound_with_a_premise_outside_the_constraints_is_rejected() -> None:
    d = _chain()
    opt = _opt(d)
    looser = dataclasses.replace(opt, constraints=(sp.Le(K.y1**2 + K.R**2, K.B**2),))
    status, method = _status(_with_step(d, using=looser))
    assert status is Status.FAILED and "not a constraint" in method


def test_thm_4_3_wrong_value_is_rejected() -> None:
    d = _chain()
    step = d.result if not d.steps else d.steps[0]
    status, method = _status(_with_step(d, rhs=step.rhs + K.B / 1000))
    assert status is Status.FAILED


def test_thm_4_3_optimum_of_another_problem_than_the_definition_does_not_prove() -> None:
    d, claim = _chain(), registry.by_id("thm-4.3")
    name = "MaxSafetyAtTarget"
    saved = definitions.DEFINITIONS[name]
    y, z = sp.symbols("y z", real=True)
    # A definition whose budget is 2B: the chain's problem is no longer the quantity's own.
    other = dataclasses.replace(saved, problem=lambda s_, r_, t_, b_: definitions.Problem(
        (y, z), saved.problem(s_, r_, t_, b_).objective.subs(saved.problem(s_, r_, t_, b_).variables[0], y),
        (sp.Le(r_**2 + y**2 + z**2, 4 * b_**2),)))
    try:
        definitions.DEFINITIONS[name] = other
        assert not proves(d, d.check(), claim.statement)
        definitions.DEFINITIONS[name] = dataclasses.replace(saved, problem=None)
        assert not proves(d, d.check(), claim.statement)
    finally:
        definitions.DEFINITIONS[name] = saved
    assert proves(d, d.check(), claim.statement)


def test_optimum_without_a_lemma_is_rejected() -> None:
    step = Step("maximum", sp.Function("F")(K.s), K.s, "no lemma", by=Rule.OPTIMUM,
                using=Optimum((K.y1,), K.y1, (), (K.s,)), start=Start.DEFINITION)
    d = Derivation("t", "t", (), (), step)
    assert d.check()[0].status is Status.FAILED

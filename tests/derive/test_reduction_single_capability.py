"""MaxSafetyGain's reduction from R^d to the coordinates (t, z) (derive/frontier.py, ``reduction``): MaxSafetyAtTarget's
reduction with one unit capability c and delta_C* = Delta_C c.  Every step is proved; a problem handed in with a wrong
objective coefficient or another budget, and each step's false twin, fail."""
from __future__ import annotations

import dataclasses
import functools

import pytest
import sympy as sp

from derive import capability_constraint as DK
from derive import frontier as F
from derive.core import Derivation, Status
from paper_checks.definitions import DEFINITIONS
from paper_checks.statements.frontier import _max_safety_gain_problem
from tests.derive._chains import step_status, with_step

IP = DK.IP
alpha, B, Delta_C = F.alpha, F.B, F.Delta_C


@functools.cache
def _reduction() -> Derivation:
    return DEFINITIONS["MaxSafetyGain"].reduction()


def _handed(objective_times: sp.Expr = 1, budget_times: sp.Expr = 1) -> Derivation:
    """The reduction of MaxSafetyGain's problem with its free coordinate's coefficient or its budget scaled."""
    problem = _max_safety_gain_problem(alpha, B, Delta_C)
    t, z = problem.variables
    objective = Delta_C * sp.cos(alpha) + objective_times * t * sp.sin(alpha)
    return F.reduction((t, z), objective, sp.Le(Delta_C**2 + t**2 + z**2, budget_times * B**2))


def _not_ok(d: Derivation) -> set[str]:
    return {c.step.name for c in d.check() if c.status is not Status.OK}


@pytest.mark.claim("thm-4.1")
def test_every_step_of_the_reduction_is_proved() -> None:
    deriv = _reduction()
    assert deriv.claim == "thm-4.1.reduction"
    assert _not_ok(deriv) == set()
    # the final segment: <v*, delta> is at most the coordinates' objective at (||w||, 0)
    assert deriv.conclusion == sp.LessThan(IP["gain"], Delta_C * sp.cos(alpha) + sp.sin(alpha) * sp.sqrt(IP["ww"]))


def test_the_reduction_is_of_the_problem_the_definition_states() -> None:
    problem = DEFINITIONS["MaxSafetyGain"].problem(alpha, B, Delta_C)
    t, z = problem.variables
    steps = {s.name: s for s in _reduction().chain}
    assert steps["image-feasible"].lhs == problem.constraints[0].lhs.subs({t: sp.sqrt(IP["ww"]), z: 0})
    assert steps["lift-objective"].rhs == problem.objective.subs(z, 0)


@pytest.mark.claim("thm-4.1")
def test_a_wrong_objective_coefficient_is_not_the_one_the_lifted_point_reaches() -> None:
    assert "lift-objective" in _not_ok(_handed(objective_times=2))


@pytest.mark.claim("thm-4.1")
def test_another_budget_is_not_the_one_the_lifted_point_spends() -> None:
    assert _not_ok(_handed(budget_times=2)) == {"lift-budget"}


def _twins() -> dict[str, dict]:
    ww, g, t = IP["ww"], IP["g"], DK._t
    return {
        "cauchy-schwarz": {"lhs": IP["nn"] * ww, "rhs": g**2},
        "upper-bound": {"rhs": Delta_C * sp.cos(alpha) + sp.sin(alpha) * sp.sqrt(ww) / 2},
        "lift-objective": {"rhs": Delta_C * sp.cos(alpha) + 2 * t * sp.sin(alpha)},
        "lift-budget": {"rhs": Delta_C**2 + t**2 - 2 * B**2},
        "image-feasible": {"rhs": B**2 / 2},
        "capability": {"rhs": Delta_C * IP["vc"]},
        "target-gain": {"rhs": Delta_C * IP["cc"]},
        "target-norm": {"rhs": Delta_C * IP["cc"]},
        "tax-rate": {"rhs": IP["vc"] * IP["icc"]},
    }


@pytest.mark.claim("thm-4.1")
@pytest.mark.parametrize("name", sorted(_twins()))
def test_a_step_s_false_twin_fails(name: str) -> None:
    """Cauchy-Schwarz with its sides swapped, the bound halved, the lift's gain or budget doubled, and each fact of one
    capability with a wrong inner product: each fails (the true steps are proved above)."""
    twin = with_step(_reduction(), name, **_twins()[name])
    assert step_status(twin, name) is Status.FAILED


@pytest.mark.claim("thm-4.1")
def test_the_bound_needs_the_fact_that_ties_the_target_to_the_angle() -> None:
    """Without s = Delta_C <v*, c>, the upper bound Delta_C cos(alpha) + sin(alpha) ||w|| no longer follows."""
    deriv = _reduction()
    kept = tuple(s for s in deriv.steps if s.name != "target-gain")
    assert step_status(dataclasses.replace(deriv, steps=kept), "upper-bound") is not Status.OK


def test_the_maximum_of_thm_4_1_is_attained_on_the_lifted_line() -> None:
    """Thm 4.1's chains take the maximum at (sqrt(B^2 - Delta_C^2), 0), a point the reduction lifts; (0, B) it does
    not."""
    from derive.core import Rule
    from paper_checks.registry import by_id
    lifts = DEFINITIONS["MaxSafetyGain"].lifts
    optima = [s for make in by_id("thm-4.1").derivations for s in make().chain if s.by is Rule.OPTIMUM]
    assert optima and all(lifts(*s.using.point) for s in optima)
    assert not lifts(0, B)

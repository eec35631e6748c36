"""A chain that takes MaxSafetyAtTarget's (MaxSafetyGain's, MaxNormalisedPairGain's, MaxEqualGain's) maximum by
Rule.OPTIMUM proves its statement for every parameter only while the reduction of the problem from R^d to its
coordinates is proved (``Definition.reduction``)."""
from __future__ import annotations

import dataclasses
import functools

import pytest
import sympy as sp

from derive import capability_constraint as DK
from paper_checks.definitions import DEFINITIONS
from paper_checks.registry import by_id
from paper_checks.rule import proves, shortfall
from paper_checks.statements.capability_constraint import _fixed_capability_reduction
from paper_checks.statements.frontier import _max_safety_gain_reduction
from paper_checks.statements.safety_pair import _equal_gain_reduction, _pair_gain_reduction
from proofs.conftest import checked

_CONSUMERS = ("thm-4.3", "cor-4.4", "cor-4.4.small-tau", "cor-4.7", "cor-4.7.subsidy", "sec-7.1")
_GAIN_CONSUMERS = ("thm-4.1", "ellipse.conic", "rem-4.2", "rem-4.2.orthogonal")


def _checked(claim_id: str):
    """The claim's one chain with its step checks, as the audit checked them (the finding's)."""
    ((chain, checks),) = checked(claim_id)
    return chain, checks


def _optimum_chain(claim_id: str):
    """The claim's chain that takes MaxSafetyGain's maximum by Rule.OPTIMUM (its others argue in the plane), with its
    step checks."""
    (found,) = [(chain, checks) for chain, checks in checked(claim_id) if chain.claim.endswith(".optimum")]
    return found


def _chain_taking(quantity: str):
    """The claim's chain that takes ``quantity``'s maximum by Rule.OPTIMUM, with its step checks."""
    from derive.core import Rule

    def chain_of(claim_id: str):
        (found,) = [(chain, checks) for chain, checks in checked(claim_id)
                    if any(s.by is Rule.OPTIMUM and s.defined_sides[0].func.__name__ == quantity for s in chain.chain)]
        return found
    return chain_of


def _with_false_lift_norm(true):
    """``true`` with the lifted point's norm false (||delta_C* + t e_1||^2 = r^2 + t^2 ||e_1||^2 + t): a matrix step
    whose twin fails at once, where a false scalar step would cost seconds of failed proof attempts."""
    twin = dataclasses.replace(true.step("lift-norm"), rhs=DK.IP["rr"] + DK._t**2 * DK.IP["ee"] + DK._t)
    return dataclasses.replace(true, steps=tuple(twin if s.name == "lift-norm" else s for s in true.steps))


@functools.cache      # one derivation object: its check is memoised across the tests that use it
def _broken_reduction():
    return _with_false_lift_norm(_fixed_capability_reduction())


@functools.cache
def _broken_gain_reduction():
    return _with_false_lift_norm(_max_safety_gain_reduction())


@functools.cache
def _broken_pair_reduction():
    return _with_false_lift_norm(_pair_gain_reduction())


@functools.cache
def _broken_equal_gain_reduction():
    return _with_false_lift_norm(_equal_gain_reduction())


def test_the_definition_names_its_reduction() -> None:
    d = DEFINITIONS["MaxSafetyAtTarget"]
    assert d.reduction is not None and d.reduction().claim == "thm-4.3.reduction"


# Each optimum with a reduction: the broken reduction, and the chain of a consumer that takes its maximum.
_REDUCED = {"MaxSafetyAtTarget": (_broken_reduction, _checked),
            "MaxSafetyGain": (_broken_gain_reduction, _optimum_chain),
            "MaxNormalisedPairGain": (_broken_pair_reduction, _chain_taking("MaxNormalisedPairGain")),
            "MaxEqualGain": (_broken_equal_gain_reduction, _chain_taking("MaxEqualGain"))}
# The pair reduction's check takes 15 to 20 s (40 relations among the Gram entries): CI runs its consumers' tests in its
# slow tier; the audit's finding of thm-6.1 (proofs/) rests on the same check.
_SLOW = pytest.mark.slow


@pytest.mark.parametrize(("quantity", "claim_id"), [*(("MaxSafetyAtTarget", c) for c in _CONSUMERS),
                                                    *(("MaxSafetyGain", c) for c in _GAIN_CONSUMERS),
                                                    pytest.param("MaxNormalisedPairGain", "thm-6.1", marks=_SLOW),
                                                    ("MaxEqualGain", "cor-6.3")])
def test_a_consumer_is_proved_while_the_reduction_is(quantity: str, claim_id: str) -> None:
    chain, checks = _REDUCED[quantity][1](claim_id)
    assert proves(chain, checks, by_id(claim_id).statement)


@pytest.mark.parametrize(("quantity", "claim_id"), [("MaxSafetyAtTarget", "thm-4.3"), ("MaxSafetyAtTarget", "cor-4.4"),
                                                    ("MaxSafetyGain", "thm-4.1"), ("MaxSafetyGain", "rem-4.2"),
                                                    pytest.param("MaxNormalisedPairGain", "thm-6.1", marks=_SLOW),
                                                    ("MaxEqualGain", "cor-6.3")])
def test_an_unproved_reduction_leaves_the_consumer_sampled(monkeypatch, quantity: str, claim_id: str) -> None:
    broken, chain_of = _REDUCED[quantity]
    monkeypatch.setitem(DEFINITIONS, quantity, dataclasses.replace(DEFINITIONS[quantity], reduction=broken))
    chain, checks = chain_of(claim_id)
    why = shortfall(chain, checks, by_id(claim_id).statement) or ""
    assert f"reduction of {quantity}'s problem" in why and "lift-norm" in why


def test_the_reduction_is_built_from_the_stated_problem() -> None:
    """The problem handed to the reduction is the definition's own, its PerpLength unfolded."""
    problem = DEFINITIONS["MaxSafetyAtTarget"].problem(DK.s, DK.r, DK.tau, DK.B)
    steps = {s.name: s for s in DEFINITIONS["MaxSafetyAtTarget"].reduction().chain}
    y1, y_rest = problem.variables
    at = {y1: sp.sqrt(DK.IP["ww"]), y_rest: 0}
    assert steps["upper-bound"].rhs == DK.s + DK.perp_norm() * sp.sqrt(DK.IP["ww"])
    assert steps["image-feasible"].lhs == problem.constraints[0].lhs.subs(at)


def test_an_attaining_point_the_reduction_does_not_lift_leaves_the_consumer_sampled(monkeypatch) -> None:
    """The reduction lifts the points (t, 0) only: a maximum attained off that line would not be reached in R^d."""
    nowhere = dataclasses.replace(DEFINITIONS["MaxSafetyAtTarget"], lifts=lambda y_1, y_rest: False)
    monkeypatch.setitem(DEFINITIONS, "MaxSafetyAtTarget", nowhere)
    chain, checks = _checked("thm-4.3")
    assert "lifts back" in (shortfall(chain, checks, by_id("thm-4.3").statement) or "")


def test_the_lifted_line_is_y_rest_zero() -> None:
    lifts = DEFINITIONS["MaxSafetyAtTarget"].lifts
    assert lifts(DK.B, 0) and not lifts(0, DK.B)


def test_the_reduction_joins_the_derivations_of_the_claims_that_name_the_optimum() -> None:
    """Certificates and `alignment-tax derive` list it beside the claim's own chains."""
    from paper_checks.definitions import reductions_of
    assert reductions_of(by_id("thm-4.3").statement) == (DEFINITIONS["MaxSafetyAtTarget"].reduction,)
    assert reductions_of(by_id("cor-4.7").statement) == (DEFINITIONS["MaxSafetyAtTarget"].reduction,)
    assert reductions_of(by_id("thm-4.1").statement) == (DEFINITIONS["MaxSafetyGain"].reduction,)
    assert reductions_of(by_id("thm-6.1").statement) == (DEFINITIONS["MaxNormalisedPairGain"].reduction,)
    assert reductions_of(by_id("cor-6.3").statement) == (DEFINITIONS["MaxEqualGain"].reduction,)
    assert reductions_of(by_id("ellipse.sphere").statement) == ()
    assert reductions_of(None) == ()


def test_the_readme_says_which_optima_carry_a_checked_reduction() -> None:
    """The trust base names each optimum stated in coordinates as carrying a checked reduction or not, as its
    definition does."""
    import re
    from pathlib import Path
    text = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    start = text.index("Those problems are stated in coordinates:")
    carried, rest = text[start:text.index(".", text.index("is part of the trust base", start))].split(
        "carry a checked reduction", 1)
    named = lambda part: set(re.findall(r"`(Max\w+)`", part))   # noqa: E731
    optima = {n for n, d in DEFINITIONS.items() if d.problem is not None}
    assert named(carried) == {n for n in optima if DEFINITIONS[n].reduction is not None}
    assert named(rest) == {n for n in optima if DEFINITIONS[n].reduction is None}

"""Section 6's derivations end in their statements' own conclusions, and cannot end in a broken one.

Each derivation of thm-6.1, rem-6.2, cor-6.3, cor-6.3.decreasing, thm-6.4.ii and thm-6.4.iii reads its claim's
formal statement; the verdict rule gives ``all-parameters`` only if the chain's conclusion is the statement's
(``paper_checks.rule.proves``).  Built on a broken statement, the same derivation must not prove it: the chain
then ends in the broken printed side, and a step fails, or its conclusion is not the broken statement's.
"""
from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest
import sympy as sp

from derive import conflict as DC
from derive import safety_pair as DS
from derive.core import Status
from paper_checks.finding import Scope
from paper_checks.registry import by_id
from paper_checks.rule import proves
from proofs.conftest import checked
from proofs.findings import audited

FULL = ["thm-6.1", "rem-6.2", "cor-6.3", "cor-6.3.decreasing", "thm-6.4.ii", "thm-6.4.iii"]
# Chains that do not prove their statement, and why (paper_checks.rule.proves):
# cor-6.3.decreasing: its half angles are tied by relations in sin and cos, which the coverage check cannot read.
# (thm-6.1 and cor-6.3 prove theirs from the definitions: tests/derive/test_section6_from_definitions.py; rem-6.2's
# statement is PartialCorrelation's closed form once unfolded, which a chain proves from the definition:
# tests/derive/test_residual_cosines_from_definitions.py.)
SHORT = {"cor-6.3.decreasing"}


def _built(claim_id: str, statement):
    """The claim's derivation, built on ``statement`` instead of the registry's."""
    from paper_checks.definitions import expand
    make = by_id(claim_id).derivations[0]
    return make.make(statement, expand) if make.with_expand else make.make(statement)


@pytest.mark.parametrize("claim_id", FULL)
def test_the_chain_proves_the_statement(claim_id: str) -> None:
    claim = by_id(claim_id)
    d, checks = checked(claim_id)[0]          # as the audit checked it (once per run)
    assert [c.step.name for c in checks if c.status is Status.FAILED] == []
    assert proves(d, checks, claim.statement) is (claim_id not in SHORT)
    if claim_id in ("thm-6.1", "cor-6.3"):
        assert all(c.status is Status.OK for c in checks), [(c.step.name, c.method) for c in checks]


def _broken(claim_id: str):
    """The statement with its printed side (or, for Thm 6.4 (iii), its radius) changed by a little."""
    s = by_id(claim_id).statement
    rel = s.conclusion
    if isinstance(rel, sp.Implies):
        inner = rel.args[1]
        # the larger value scaled down by 10^-3 at theta_1: still a strict decrease for most angles, not for all
        return dataclasses.replace(s, conclusion=sp.Implies(rel.args[0], type(inner)(
            inner.lhs, inner.rhs * sp.Rational(999, 1000) - sp.Rational(1, 100))))
    if claim_id == "thm-6.4.iii":
        return dataclasses.replace(s, conclusion=type(rel)(rel.lhs, rel.rhs / 10))
    return dataclasses.replace(s, conclusion=type(rel)(rel.lhs, rel.rhs * sp.Rational(1001, 1000)))


@pytest.mark.parametrize("claim_id", [c for c in FULL if c != "cor-6.3.decreasing"])
def test_a_broken_printed_side_fails_a_step(claim_id: str) -> None:
    broken = _broken(claim_id)
    d = _built(claim_id, broken)
    checks = d.check()
    assert any(c.status is Status.FAILED for c in checks), [(c.step.name, c.status) for c in checks]
    assert not proves(d, checks, broken)


def test_a_broken_decreasing_reading_is_not_proved() -> None:
    # The derivation reads only the premise and the variables; a changed right side is not its conclusion.
    broken = _broken("cor-6.3.decreasing")
    d = _built("cor-6.3.decreasing", broken)
    assert not proves(d, d.check(), broken)


def test_prop_6_5_proves_the_frontier_from_its_problem() -> None:
    """Prop 6.5 in two chains: in coordinates, eq. (15)-(16) and the objective and constraint of
    MaxNormalisedPairGainTwo's problem; in the statement's own variables, the problem's maximum by rule OPTIMUM (the
    bound lemma citing plane_bound at the closed form of ProjectedCosTwo) and eq. (13), the printed side.  The second
    proves the statement; the first does not end in it."""
    from derive.core import Rule
    statement = by_id("prop-6.5").statement
    (frontier, checks), (coords, coord_checks) = checked("prop-6.5")
    assert all(c.status is Status.OK for c in (*coord_checks, *checks)), [c.step.name for c in (*coord_checks, *checks)]
    maximum = frontier.steps[0]
    assert maximum.by is Rule.OPTIMUM and maximum.cites.func is DS.multi_capability_bound
    assert maximum.cites().result.cites is DS.plane_bound
    assert frontier.result.rhs != maximum.rhs            # eq. (13) as printed, not the closed form
    assert proves(frontier, checks, statement) and not proves(coords, coord_checks, statement)
    assert audited("prop-6.5").scope is Scope.ALL_PARAMETERS


# About 7 s (the whole frontier chain on a new printed side): CI runs it in its slow tier.
@pytest.mark.slow
def test_prop_6_5_with_a_broken_printed_side_fails_a_step() -> None:
    from paper_checks.definitions import expand
    broken = _broken("prop-6.5")
    d = DS.multi_capability_frontier(broken, expand)
    checks = d.check()
    assert [c.step.name for c in checks if c.status is Status.FAILED] == ["eq-13"]
    assert not proves(d, checks, broken)


def test_the_plane_bound_covers_the_closed_angles() -> None:
    """The lemma Thm 6.1 and Prop 6.5 cite holds at sin(theta) = 0 and |s_2| = 1 too: no angle, no strict bound."""
    d = DS.plane_bound()
    assert not d.angles and all(not isinstance(c, sp.StrictLessThan) for c in d.domain)
    assert all(c.status is Status.OK for c in d.check())


@pytest.mark.parametrize("module", [DS, DC], ids=["safety_pair", "conflict"])
def test_no_printed_formula_in_derive(module) -> None:
    """The paper's formulas and the printed example are read from the statements, never typed in derive/."""
    src = Path(inspect.getfile(module)).read_text()
    for banned in ("99, 100", "995", "1, 2000", "1, 1000)", "cos_theta_printed", "effective_correlation",
                   "PRINTED", "frontier.single_capability"):
        assert banned not in src, banned

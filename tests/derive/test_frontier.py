"""derive.frontier: the KKT root, and the chains that end in their statements' own conclusions (and stop doing so
when the statement, or a step, is broken)."""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive import frontier as F
from derive.core import Derivation, Status
from paper_checks.registry import by_id
from paper_checks.rule import proves
from paper_checks.statement import Statement
from paper_checks.statements import frontier as SF

# claim -> the derivation whose chain ends in the claim's formal conclusion
_MAKERS = {"thm-4.1": F.maximum, "ellipse.conic": F.on_conic, "rem-4.2": F.linear_tradeoff,
           "rem-4.2.orthogonal": F.orthogonal_case}


def _chain(claim_id: str, statement: Statement | None = None) -> Derivation:
    """The chain of ``claim_id`` built on ``statement`` (the registry's by default), as the registry builds it."""
    from paper_checks.definitions import expand
    return _MAKERS[claim_id](statement or SF.STATEMENTS[claim_id], expand)


CHAINS = {cid: (lambda cid=cid: _chain(cid)) for cid in _MAKERS}


@pytest.mark.parametrize(("alpha", "B", "dc"), [(sp.pi / 3, 2, 1), (2 * sp.pi / 3, 1, sp.Rational(-1, 2)),
                                                (sp.pi / 7, 3, sp.Rational(5, 2))])
def test_kkt_root_meets_the_kkt_conditions(alpha, B, dc) -> None:
    """Stationarity, feasibility, an active budget and mu > 0 at exact points, from the problem's own data."""
    at = {F.alpha: alpha, F.B: B, F.Delta_C: dc}
    xs, ys, lam, mu = (sp.nsimplify(e.subs(at)) for e in F._kkt())
    v, c, delta = sp.Matrix([1, 0]), sp.Matrix([sp.cos(alpha), sp.sin(alpha)]), sp.Matrix([xs, ys])
    assert all(sp.simplify(r) == 0 for r in v - lam * c - 2 * mu * delta)
    assert sp.simplify(c.dot(delta) - dc) == 0 and sp.simplify(delta.dot(delta) - B**2) == 0
    assert mu > 0


# Checked with alpha an angle of (0, pi) (its sine and cosine as half-angle symbols of known sign), these chains
# prove less than their statements, which allow alpha = 0 and pi.
OPEN_ANGLE = {"thm-4.1", "ellipse.conic"}
# With MaxSafetyGain unfolded into its derived closed form, these statements are that closed form (at the point
# alpha = 0 or pi/2 the equality hypothesis fixes for the remarks), which the chains take as given: ``proves`` says
# no until the closed form is itself proved from the definition.
CLOSED_FORM = OPEN_ANGLE | {"rem-4.2", "rem-4.2.orthogonal"}


@pytest.mark.parametrize("claim_id", sorted(CHAINS))
def test_chain_ends_in_the_statements_conclusion(claim_id: str) -> None:
    d = CHAINS[claim_id]()
    checks = d.check()
    assert all(c.status is Status.OK for c in checks), [(c.step.name, c.status) for c in checks]
    assert proves(d, checks, by_id(claim_id).statement) is (claim_id not in CLOSED_FORM)
    if claim_id in OPEN_ANGLE:
        assert d.angles and by_id(claim_id).statement.variables[0].domain.contains(0) is sp.true


@pytest.mark.parametrize("claim_id", sorted(CHAINS))
def test_a_broken_statement_breaks_the_last_step(claim_id: str) -> None:
    s = SF.STATEMENTS[claim_id]
    rel = s.conclusion
    broken = Statement(s.variables, s.hypotheses, sp.Eq(rel.lhs, rel.rhs * sp.Rational(1001, 1000)))
    d = _chain(claim_id, broken)
    checks = d.check()
    assert checks[-1].status is Status.FAILED
    assert not proves(d, checks, broken)


@pytest.mark.parametrize("claim_id", sorted(CHAINS))
def test_a_mutant_is_not_proved(claim_id: str) -> None:
    s = by_id(claim_id).statement
    mutant = Statement(s.variables, s.hypotheses, sp.Eq(s.conclusion.lhs, s.conclusion.rhs + sp.Rational(1, 1000)))
    d = CHAINS[claim_id]()
    assert not proves(d, d.check(), mutant)


def _with(d: Derivation, name: str, **changes) -> Derivation:
    steps = tuple(dataclasses.replace(s, **changes) if s.name == name else s for s in d.steps)
    return dataclasses.replace(d, steps=steps)


def _status(d: Derivation, name: str) -> Status:
    return next(c.status for c in d.check() if c.step.name == name)


def test_reduction_to_the_plane_fails_when_broken() -> None:
    """|delta|^2 = |P delta|^2 alone (the orthogonal part dropped) is no identity for a projection."""
    d = _chain("thm-4.1")
    pythagoras = d.step("pythagoras")
    assert _status(_with(d, "pythagoras", rhs=pythagoras.rhs.args[0]), "pythagoras") is Status.FAILED
    wrong = d.step("objective-in-plane")
    # <v*, delta> = <v*, (I - P) delta> is false: the plane is what the objective sees
    v_t, Pd = wrong.rhs.args
    off = sp.MatMul(v_t, sp.MatAdd(wrong.lhs.args[-1], -Pd, evaluate=False), evaluate=False)
    assert _status(_with(d, "objective-in-plane", rhs=off), "objective-in-plane") is Status.FAILED


def test_parallel_cases_fail_with_the_wrong_value() -> None:
    d = _chain("thm-4.1")
    assert _status(_with(d, "alpha-0", rhs=sp.Matrix([0, -F.Delta_C])), "alpha-0") is Status.FAILED
    assert _status(_with(d, "alpha-pi", rhs=sp.Matrix([0, F.Delta_C])), "alpha-pi") is Status.FAILED


def test_upper_bound_is_not_ok_with_a_wrong_witness() -> None:
    d = _chain("thm-4.1")
    step = d.step("upper-bound")
    assert _status(_with(d, "upper-bound", witness=-step.witness), "upper-bound") is not Status.OK


def test_conic_and_minimum_are_derived_from_the_maximum() -> None:
    """Q(Delta_C, .) vanishes at the maximum and the minimum and is monic in Delta_S: the boundary's equation."""
    q = F.conic()
    for root in (F.frontier_value(), F.minimum_value()):
        assert sp.simplify(q.subs(F.Delta_S, root)) == 0
    assert sp.Poly(q, F.Delta_S).LC() == 1
    # the minimum at alpha = pi/2 is -sqrt(B^2 - Delta_C^2): the lower half of the circle
    assert F.minimum_value().subs(F.alpha, sp.pi / 2) == -sp.sqrt(F.B**2 - F.Delta_C**2)

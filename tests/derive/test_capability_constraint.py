"""derive/capability_constraint.py: the maximality proof covers the whole stated domain, the claims' chains end in
their statements' relations, and every chain fails when what it proves is broken."""
from __future__ import annotations

import pytest
import sympy as sp

from derive import capability_constraint as DK
from derive.core import Rule, Status
from paper_checks.registry import by_id
from paper_checks.rule import proves
from paper_checks.statements.capability_constraint import _with_closed_forms


def _statuses(deriv) -> dict[str, Status]:
    return {c.step.name: c.status for c in deriv.check()}


def _target(claim_id: str) -> sp.Basic:
    return _with_closed_forms(by_id(claim_id).statement.conclusion, keep_optima=True)


@pytest.mark.claim("thm-4.3")
def test_maximality_is_proved_on_the_whole_domain() -> None:
    """Every step ok, with tau = 1 (v* in C) and r = B (no budget left) inside the hypotheses: no step divides by
    sqrt(1 - tau) or sqrt(B^2 - r^2)."""
    d = DK.fixed_capability()
    assert set(_statuses(d).values()) == {Status.OK}
    assert set(d.domain) >= {sp.Le(DK.tau, 1), sp.Le(DK.r, DK.B)}
    for step in d.chain:
        for e in (step.lhs, step.rhs, step.witness or 0):
            assert not any(p.exp.is_negative for p in sp.sympify(e).atoms(sp.Pow)), (step.name, e)
    # the closed form is SymPy's KKT root, not a copy of eq. (4): at tau = 1 it is <v*, delta_C*> = s
    assert DK.max_safety_at_target().subs(DK.tau, 1) == DK.s


@pytest.mark.claim("thm-4.3")
@pytest.mark.parametrize("scale", [sp.Rational(1, 2), 2])
def test_a_wrong_maximiser_fails_the_maximality(monkeypatch, scale) -> None:
    """y1* halved neither spends the budget nor bounds every feasible delta; doubled it is infeasible."""
    y_star, r_star = DK._kkt()
    monkeypatch.setattr(DK, "_kkt", lambda: (scale * y_star, r_star))
    monkeypatch.setattr(DK, "max_safety_at_target", lambda: DK.s + DK.perp_norm() * scale * y_star)
    got = _statuses(DK.fixed_capability.__wrapped__())
    assert Status.FAILED in got.values(), got


@pytest.mark.parametrize("claim_id", ["cor-4.4.small-tau", "cor-4.7", "cor-4.7.subsidy"])
def test_chain_ends_in_the_statement(claim_id: str) -> None:
    """The chain takes the maximum by Rule.OPTIMUM (citing the maximality), every step is ok, and its conclusion is
    the statement's own, the optimum kept."""
    claim = by_id(claim_id)
    (make,) = claim.derivations
    d = make()
    checks = d.check()
    assert all(c.status is Status.OK for c in checks), [(c.step.name, c.status) for c in checks]
    assert any(s.by is Rule.OPTIMUM and s.cites in (DK.fixed_capability, DK.tax_free) for s in d.chain)
    assert proves(d, checks, claim.statement)


@pytest.mark.parametrize("claim_id", ["thm-4.3", "cor-4.4", "sec-7.1"])
def test_value_of_an_optimum_is_proved_by_bound_and_attainment(claim_id: str) -> None:
    """An optimum's value needs the bound for every feasible delta AND attainment: Rule.OPTIMUM takes both (the
    cited maximality and the KKT point), so the chain ends in the statement with the optimum kept, not in X = X."""
    claim = by_id(claim_id)
    (make,) = claim.derivations
    d = make()
    checks = d.check()
    assert checks[0].rule is Rule.OPTIMUM and checks[0].step.cites in (DK.fixed_capability, DK.tax_free)
    assert proves(d, checks, claim.statement)


def _broken(claim_id: str, how) -> dict[str, Status]:
    make = {"cor-4.4.small-tau": DK.small_tax, "cor-4.7": DK.negative_tax, "cor-4.7.subsidy": DK.subsidy}[claim_id]
    return _statuses(make(how(_target(claim_id))))


@pytest.mark.parametrize("claim_id,how", [
    # eq. (7)'s residual-budget share scaled by 1.001: no longer the closed form minus s
    ("cor-4.7", lambda t: sp.Implies(t.args[0], sp.Gt(t.args[1].lhs, t.args[1].rhs * sp.Rational(1001, 1000),
                                                      evaluate=False), evaluate=False)),
    # the premise weakened to s > -1: the witness s is no longer positive
    ("cor-4.7", lambda t: sp.Implies(sp.Gt(DK.s, -1), t.args[1], evaluate=False)),
    # the subsidy premise weakened by 1/100
    ("cor-4.7.subsidy", lambda t: sp.Implies(sp.Gt(t.args[0].lhs + sp.Rational(1, 100), t.args[0].rhs,
                                                   evaluate=False), t.args[1], evaluate=False)),
    # the budget the tax takes bounded by B tau/2 or B tau^2: false near tau = 1 / tau = 0
    ("cor-4.4.small-tau", lambda t: sp.Le(t.lhs, t.rhs / 2, evaluate=False)),
    ("cor-4.4.small-tau", lambda t: sp.Le(t.lhs, DK.B * DK.tau**2, evaluate=False)),
], ids=["cor-4.7-scaled", "cor-4.7-premise", "cor-4.7.subsidy-premise", "small-tau-half", "small-tau-square"])
def test_a_broken_statement_fails_its_chain(claim_id: str, how) -> None:
    got = _broken(claim_id, how)
    assert Status.FAILED in got.values(), got

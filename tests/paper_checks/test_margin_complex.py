"""The statement search: a conclusion that is undefined or not real at a point of the stated domain is never a
pass; the claim is then undecided, the stated domain being wrong."""
from __future__ import annotations

import dataclasses

import sympy as sp

from paper_checks import audit, registry
from paper_checks.audit import AuditConfig
from paper_checks.definitions import expand
from paper_checks.finding import Verdict
from paper_checks.margin import search
from paper_checks.statement import Statement, Variable
from paper_checks.statements import capability_constraint as SC

x = sp.Symbol("x", real=True)


def test_a_root_of_a_negative_value_in_the_domain_is_found() -> None:
    wrong = Statement((Variable(x, sp.Interval(0, 2)),), (), sp.Le(sp.Integer(0), sp.sqrt(1 - x)))
    res = search(wrong, expand, 0, "sqrt")
    assert res.failure is None and res.undefined is not None
    assert sp.Rational(res.undefined["x"]) > 1
    right = Statement((Variable(x, sp.Interval(0, 1)),), (), sp.Le(sp.Integer(0), sp.sqrt(1 - x)))
    assert search(right, expand, 0, "sqrt").undefined is None


def test_a_pole_at_a_closed_end_of_the_domain_is_found() -> None:
    pole = Statement((Variable(x, sp.Interval(0, 1)),), (), sp.Le(sp.Integer(0), 1 / x))
    assert search(pole, expand, 0, "pole").undefined == {"x": "0"}
    open_end = Statement((Variable(x, sp.Interval.Lopen(0, 1)),), (), sp.Le(sp.Integer(0), 1 / x))
    assert search(open_end, expand, 0, "pole").undefined is None


def test_cor_4_4_on_a_domain_past_tau_1_is_undecided_and_as_stated_verified() -> None:
    claim = registry.built(next(c for c in registry.CLAIMS if c.id == "cor-4.4"))
    wide = dataclasses.replace(claim.statement, variables=(Variable(SC.tau, sp.Interval(0, 2)), SC.BUDGET))
    finding = audit.judge(dataclasses.replace(claim, statement=wide), AuditConfig(seed=0))
    assert finding.verdict is Verdict.UNDECIDED
    assert audit.judge(claim, AuditConfig(seed=0)).verdict is Verdict.VERIFIED

"""Thm 4.1, Rem 4.2 and the conic of the frontier are proved for every parameter from MaxSafetyGain's definition
(Rule.OPTIMUM, alpha on the closed range [0, pi]); a statement the chain does not cover is not."""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive import frontier as F
from derive.core import Status
from paper_checks.definitions import expand
from paper_checks.registry import by_id
from paper_checks.rule import proves, shortfall
from paper_checks.statement import Variable
from paper_checks.statements import frontier as SF

_CHAINS = {"thm-4.1": F.maximum_from_definition, "rem-4.2": F.value_at_fixed_angle,
           "rem-4.2.orthogonal": F.value_at_fixed_angle, "ellipse.conic": F.conic_from_definition}


@pytest.mark.parametrize("claim_id", sorted(_CHAINS))
def test_the_chain_from_the_definition_proves_the_statement_for_every_parameter(claim_id: str) -> None:
    statement = by_id(claim_id).statement
    chain = _CHAINS[claim_id](statement, expand)
    checks = chain.check()
    assert all(c.status is Status.OK for c in checks), [(c.step.name, c.method) for c in checks]
    assert proves(chain, checks, statement)


@pytest.mark.parametrize("claim_id", sorted(_CHAINS))
def test_an_angle_beyond_pi_is_not_covered(claim_id: str) -> None:
    statement = by_id(claim_id).statement
    chain = _CHAINS[claim_id](statement, expand)
    wide = dataclasses.replace(statement, variables=(Variable(SF.alpha, sp.Interval(0, 4)), *statement.variables[1:]))
    assert "pi" in (shortfall(chain, chain.check(), wide) or "")


def test_a_wrong_value_breaks_the_chain() -> None:
    statement = by_id("thm-4.1").statement
    wrong = dataclasses.replace(statement, conclusion=sp.Eq(statement.conclusion.lhs, statement.conclusion.rhs + 1))
    chain = F.maximum_from_definition(wrong, expand)
    assert any(c.status is Status.FAILED for c in chain.check())
    remark = by_id("rem-4.2").statement
    wrong = dataclasses.replace(remark, conclusion=sp.Eq(remark.conclusion.lhs, 2 * remark.conclusion.rhs))
    chain = F.value_at_fixed_angle(wrong, expand)
    assert any(c.status is Status.FAILED for c in chain.check())

"""A cited bound keeps every hypothesis on its bound variables, those its last segment does not mention included.

A lemma proves ``objective(q) <= E`` for every feasible ``(q, z)``: ``forall q, z: H(q, z) => objective(q) <= E``.
A hypothesis on ``z`` alone restricts ``q`` through the budget ``s_2^2 + q^2 + z^2 <= 1``: with ``z^2 >= t^2`` and
``2 t^2 = 1 - s_2^2`` it gives ``q^2 <= t^2``, a bound the problem (any ``z``) does not have.  Dropped from what the
lemma states (``Derivation.conclusion``), it would let Rule.OPTIMUM prove Prop 6.5's maximum to be
``s_2 cos(theta) + sin(theta) sqrt((1 - s_2^2)/2)``: false wherever sin(theta) > 0 and |s_2| < 1 (at s_2 = 0 and
cos(theta) = 0 the maximum is 1, at q = 1).  The lemma's conclusion keeps the hypothesis, and the maximum cited
from it is not proved.
"""
from __future__ import annotations

import dataclasses
import functools

import pytest
import sympy as sp

from derive import safety_pair as DS
from derive.core import Derivation, Op, Optimum, Rule, Start, Status, Step
from derive.owed import split_implication
from derive.safety_pair import cth, q, s2, sth, t2, z
from paper_checks.definitions import expand
from paper_checks.registry import by_id
from paper_checks.rule import proves
from paper_checks.statements import safety_pair as SP

pytestmark = pytest.mark.claim("prop-6.5")

HIDDEN = sp.Ge(z**2, t2**2)


@functools.cache
def _narrow_plane() -> Derivation:
    """``plane_bound`` with ``2 t^2 = 1 - s_2^2`` and the hypothesis ``z^2 >= t^2``: under the budget, ``q^2 <=
    1 - s_2^2 - z^2 <= t^2``, so ``t + q >= 0`` and the bound ``c s_2 - s q <= c s_2 + s t`` holds (a true lemma)."""
    u1, u2, w, e = (sp.Matrix(v) for v in ([1, 0, 0], [cth, sth, 0], [-sth, cth, 0], [0, 0, 1]))
    x = s2 * u2 + q * w + z * e
    steps = (Step("constraint", DS._dot(u2, x), s2, "<u2, x> = s_2", start=Start.DEFINITION),
             Step("budget", DS._dot(x, x), s2**2 + q**2 + z**2, "orthonormal", start=Start.DEFINITION),
             Step("gain", DS._dot(u1, x), cth * s2 - sth * q, "<u1, x>", start=Start.DEFINITION))
    result = Step("bound", cth * s2 - sth * q, cth * s2 + sth * t2, "q^2 <= t^2", Op.LE, witness=sth * (t2 + q),
                  start=Start.HYPOTHESIS)
    zero, one = sp.Integer(0), sp.Integer(1)
    return Derivation("narrow.plane", "a plane bound under a hypothesis on z", (), steps, result,
                      relations=(cth**2 + sth**2 - 1, 2 * t2**2 + s2**2 - 1),
                      domain=(sp.Le(s2**2, 1), sp.Le(s2**2 + q**2 + z**2, 1), HIDDEN), bound=(q, z),
                      example=((cth, zero), (sth, one), (s2, one), (t2, zero), (q, zero), (z, zero)))


def _narrow_value(cos_: sp.Expr, gain2: sp.Expr) -> sp.Expr:
    return cos_ * gain2 + sp.sqrt(1 - cos_**2) * sp.sqrt((1 - gain2**2) / 2)


@functools.cache
def _narrow_bound(statement) -> Derivation:
    """``multi_capability_bound`` citing ``_narrow_plane``: its domain holds no hypothesis on ``z``."""
    rho_, a1, a2, b1, b2, g, gain2 = (v.symbol for v in statement.variables)
    cos_ = DS.projected_cos_two(rho_, a1, a2, b1, b2, g)
    objective, (within,) = DS._pair_objective(cos_, gain2)
    plane = {cth: cos_, sth: sp.sqrt(1 - cos_**2), t2: sp.sqrt((1 - gain2**2) / 2), q: -q, s2: gain2}
    result = Step("pair-bound", objective, _narrow_value(cos_, gain2), "cites the narrow plane bound", Op.LE,
                  by=Rule.CITE, cites=_narrow_plane, using=plane, start=Start.LEMMA)
    zero = sp.Integer(0)
    return Derivation("prop-6.5.bound", "a narrow bound", (), (), result,
                      domain=(*DS.domain_of(statement), sp.Ge(1 - cos_**2, 0), within), bound=(q, z),
                      example=tuple((v.symbol, zero) for v in statement.variables) + ((q, zero), (z, zero)))


def _narrow_frontier(statement) -> Derivation:
    """``multi_capability_frontier`` with the narrow bound and the point ``q = sqrt((1 - s_2^2)/2)``, ``z = 0``."""
    rho_, a1, a2, b1, b2, g, gain2 = (v.symbol for v in statement.variables)
    cos_ = DS.projected_cos_two(rho_, a1, a2, b1, b2, g)
    objective, constraints = DS._pair_objective(cos_, gain2)
    value = _narrow_value(cos_, gain2)
    problem = Optimum((q, z), objective, constraints, (sp.sqrt((1 - gain2**2) / 2), sp.Integer(0)))
    maximum = Step("maximum", statement.conclusion.lhs, value, "the narrow bound, attained", by=Rule.OPTIMUM,
                   using=problem, cites=functools.partial(_narrow_bound, statement), start=Start.DEFINITION)
    result = Step("eq-13", value, expand(statement.conclusion.rhs), "the printed side")
    return Derivation("prop-6.5", "a narrow frontier", (), (maximum,), result, domain=DS.domain_of(statement),
                      example=tuple((v.symbol, sp.Integer(0)) for v in statement.variables))


def test_a_hypothesis_on_a_bound_variable_is_a_premise_of_the_conclusion() -> None:
    lemma = _narrow_plane()
    assert all(c.status is Status.OK for c in lemma.check())
    premises, _ = split_implication(lemma.conclusion)
    assert HIDDEN in premises


# About 20 s (Prop 6.5's frontier chain on a new printed side): the slow tier.
@pytest.mark.slow
def test_a_false_maximum_from_a_narrow_bound_is_not_proved() -> None:
    statement = by_id("prop-6.5").statement
    s_2 = statement.variables[-1].symbol
    c15 = sp.acos(SP._eq15())
    false = dataclasses.replace(statement, conclusion=sp.Eq(
        statement.conclusion.lhs, s_2 * sp.cos(c15) + sp.sin(c15) * sp.sqrt((1 - s_2**2) / 2)))
    d = _narrow_frontier(false)
    checks = d.check()
    assert any(c.status is Status.FAILED for c in checks) or not proves(d, checks, false)

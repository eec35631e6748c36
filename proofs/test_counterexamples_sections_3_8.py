"""Counterexamples of sections 3-8, re-checked exactly; each test fails if its counterexample stops being one,
and each checks the corrected statement at the same point."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from derive import whitening as DW
from paper_checks import definitions, margin
from paper_checks.audit import judge
from paper_checks.finding import AuditConfig
from paper_checks.registry import by_id
from paper_checks.statements.safety_pair import ProjectedCos


def _fails_at(claim_id: str, **point: Fraction) -> bool:
    """The claim's formal statement fails at ``point`` (exact rationals), certified in ball arithmetic."""
    s = by_id(claim_id).statement
    m = margin.compile_margin(s, definitions.expand)
    return margin._certify_point(s, m, {sym: point[sym.name] for sym in m.symbols}) is not None


@pytest.mark.claim("thm-6.4.i")
def test_opposite_signs_can_lower_the_effective_correlation() -> None:
    """Thm 6.4 (i) as stated fails at rho = -9/10, a = 1/2, b = -1/10; the correction (rho >= 0) holds at rho = 1/10."""
    assert _fails_at("thm-6.4.i", rho=Fraction(-9, 10), a=Fraction(1, 2), b=Fraction(-1, 10))
    corr = by_id("thm-6.4.i").corrections[0]
    m = margin.compile_margin(corr, definitions.expand)
    assert margin._certify_point(corr, m, dict(zip(m.symbols, (Fraction(1, 10), Fraction(1, 2),
                                                                 Fraction(-1, 10))))) is None
    assert not _fails_at("thm-6.4.i", rho=Fraction(1, 10), a=Fraction(1, 2), b=Fraction(-1, 10))


def test_search_finds_a_certified_thm_6_4_i_counterexample() -> None:
    f = judge(by_id("thm-6.4.i"), AuditConfig(samples=12))
    p = {k: Fraction(v) for k, v in f.counterexample.parameters.items()}
    assert p["a"] * p["b"] < 0 and p["rho"] < 0 and _fails_at("thm-6.4.i", **p)


def test_cor_6_6_bound_is_exceeded_with_unequal_norms() -> None:
    """v1 = e1, v2 = (12/25, 9/25, 4/5), c = e3 (rho = 12/25, a = 0, b = 4/5): delta = (4/5, 3/5, 0) gains (4/5, 3/5),
    above eq. (17)'s bound; the statement fails there, and the corrected one (a lower bound) does not."""
    v1, v2, c = sp.Matrix([1, 0, 0]), sp.Matrix([sp.Rational(12, 25), sp.Rational(9, 25), sp.Rational(4, 5)]), \
        sp.Matrix([0, 0, 1])
    delta = sp.Matrix([sp.Rational(4, 5), sp.Rational(3, 5), 0])
    assert v2.norm() == 1 and delta.norm() == 1 and c.dot(delta) == 0
    point = dict(rho=Fraction(12, 25), a=Fraction(0), b=Fraction(4, 5))
    assert (v1.dot(v2), c.dot(v1), c.dot(v2)) == tuple(sp.Rational(x.numerator, x.denominator) for x in point.values())
    assert _fails_at("cor-6.6", **point, **{"B'": Fraction(1)})
    corr = by_id("cor-6.6").corrections[0]
    m = margin.compile_margin(corr, definitions.expand)
    assert margin._certify_point(corr, m, {sym: {**point, "B'": Fraction(1)}[sym.name] for sym in m.symbols}) is None
    # the attained min gain 3/5 is the defined max-min there (the foot of the perpendicular is off the segment)
    value = definitions.expand(by_id("cor-6.6").statement.conclusion.lhs).subs(
        {sym: sp.Rational(v.numerator, v.denominator) for sym, v in zip(m.symbols, (*point.values(), Fraction(1)))})
    assert sp.nsimplify(value) == min(v1.dot(delta), v2.dot(delta))


@pytest.mark.claim("thm-6.4.reading")
def test_constraint_cannot_enlarge_equal_gain() -> None:
    """rho = 0, a = 1/2, b = -1/4 (opposite signs, C(c) > rho): the best min gain under <c, delta> = 0 is below the
    unconstrained 1/sqrt 2, so the reading of "preserving ... strictly improves" fails there (Section 9.4's
    coplanar example v1 = e1, v2 = e2, c = (3/5, -4/5, 0) lies on the realisability boundary, det = 0, which ball
    arithmetic cannot certify with 3/5 inexact in binary; this point is interior)."""
    point = dict(rho=Fraction(0), a=Fraction(1, 2), b=Fraction(-1, 4), **{"B'": Fraction(1)})
    assert _fails_at("thm-6.4.reading", **point)
    s = by_id("thm-6.4.reading").statement
    at = {v.symbol: sp.Rational(point[v.symbol.name].numerator, point[v.symbol.name].denominator) for v in s.variables}
    constrained, free = (sp.nsimplify(definitions.expand(side).subs(at)) for side in s.conclusion.args[1].args)
    assert free == 1 / sp.sqrt(2) and constrained < free
    C = definitions.expand(ProjectedCos(*list(at.values())[:3]))
    assert C > at[sp.Symbol("rho", real=True)]                       # Thm 6.4 (i)'s C(c) > rho holds here


@pytest.mark.claim("sec-4.4")
def test_anisotropic_budget_rescales_the_gains() -> None:
    """F = 4I, v* = e1, c = e2, Delta_C = 0, B = 1: eq. (3) with alpha~ gives 1, the truth is 1/2."""
    value = DW.anisotropic_value().subs({DW.g_vv: sp.Rational(1, 4), DW.g_cc: sp.Rational(1, 4), DW.g_vc: 0,
                                         DW.Delta_C: 0, DW.B: 1})
    assert sp.nsimplify(value) == sp.Rational(1, 2)


@pytest.mark.claim("rem-4.6.additivity")
def test_additivity_without_orthonormality() -> None:
    c1, c2, v = sp.Matrix([1, 0, 0]), sp.Matrix([sp.Rational(3, 5), sp.Rational(4, 5), 0]), \
        sp.Matrix([sp.Rational(2, 7), sp.Rational(6, 7), sp.Rational(3, 7)])
    C = sp.Matrix.hstack(c1, c2)
    a = C.T * v
    tau = (a.T * (C.T * C).inv() * a)[0]
    assert v.norm() == 1 and c1.dot(c2) != 0 and tau == v.dot(c1) ** 2 + v.dot(c2) ** 2


@pytest.mark.claim("def-3.4.loss")
def test_tau_one_can_raise_capability() -> None:
    v = c = (Fraction(1), Fraction(0))
    assert sum(x * y for x, y in zip(c, v)) ** 2 == 1 and sum(x * y for x, y in zip(c, v)) > 0


@pytest.mark.claim("sec-7.1.equivalence")
def test_nspo_changes_no_capability_whatever_tau() -> None:
    tau = Fraction(16, 25)
    delta = (Fraction(0), Fraction(1))
    assert tau > Fraction(1, 2) and delta[0] == 0            # <e1, delta> = 0 with tau = 16/25


@pytest.mark.claim("pred-1.model")
def test_prediction_1_is_sqrt_tau_not_tau() -> None:
    assert Fraction(-1, 2) / Fraction(-1, 4) != (Fraction(1, 4)) / (Fraction(1, 16))


@pytest.mark.claim("thm-6.4.iii")
def test_suppressor_example_value() -> None:
    """Thm 6.4 (iii)'s example, read from its statement: C(c) is 0.995 to three decimals, so above rho = 0.99."""
    s = by_id("thm-6.4.iii").statement
    fixed = {h.lhs: h.rhs for h in s.hypotheses if isinstance(h, sp.Eq)}
    C = definitions.expand(s.conclusion.lhs.args[0] + sp.Rational(995, 1000)).subs(fixed)
    assert fixed[sp.Symbol("rho", real=True)] < C and abs(C - sp.Rational(995, 1000)) < sp.Rational(1, 2000)

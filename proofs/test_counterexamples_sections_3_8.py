"""Counterexamples of sections 3-8, re-checked exactly; each test fails if its counterexample stops being one,
and each checks the corrected statement at the same point."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from derive import conflict as DC
from paper_checks.registry import by_id
from paper_checks.finding import AuditConfig


@pytest.mark.claim("thm-6.4.i")
def test_opposite_signs_can_lower_the_effective_correlation() -> None:
    """Thm 6.4 (i) as printed fails at rho = -9/10, a = 1/2, b = -1/10; the correction (rho >= 0) is not violated."""
    rho, a, b = sp.Rational(-9, 10), sp.Rational(1, 2), sp.Rational(-1, 10)
    assert 1 + 2 * rho * a * b - rho**2 - a**2 - b**2 > 0          # realisable
    C = DC.effective_correlation(rho, a, b)
    assert a * b < 0 and C < rho                                    # exact algebraic comparison
    assert rho < 0                                                  # outside the corrected condition


def test_search_finds_a_certified_thm_6_4_i_counterexample() -> None:
    ev = by_id("thm-6.4.i").check(AuditConfig(samples=12))
    assert ev.counterexample is not None
    p = {k: sp.Rational(v) for k, v in ev.counterexample.parameters.items()}
    assert p["a"] * p["b"] < 0 and DC.effective_correlation(p["rho"], p["a"], p["b"]) <= p["rho"]


def test_cor_6_6_bound_is_exceeded_with_unequal_norms() -> None:
    v1, v2, delta = sp.Matrix([1, 0, 0]), sp.Matrix([sp.Rational(12, 25), sp.Rational(9, 25), sp.Rational(4, 5)]), \
        sp.Matrix([sp.Rational(4, 5), sp.Rational(3, 5), 0])
    assert v2.norm() == 1 and delta.norm() == 1 and delta[2] == 0
    n1, n2 = sp.Integer(1), sp.Rational(3, 5)
    cos_t = sp.Rational(4, 5)
    bound = sp.sqrt((1 + cos_t) / 2) * min(n1, n2)
    achieved = min(v1.dot(delta), v2.dot(delta))
    assert achieved > bound
    # The corrected value: distance from 0 to the segment [v~1, v~2]; here n2 < n1 cos(theta), so the foot of
    # the perpendicular falls outside the segment and the distance is the shorter end, n2 = 3/5 = achieved.
    lam_star = (n2**2 - n1 * n2 * cos_t) / (n1**2 + n2**2 - 2 * n1 * n2 * cos_t)
    assert lam_star < 0 and achieved == n2


@pytest.mark.claim("thm-6.4.reading")
def test_constraint_cannot_enlarge_equal_gain() -> None:
    """v1 = e1, v2 = e2, c = (3/5, -4/5, 0): C(c) = 1 > rho = 0 but the equal gain drops to 3/5 < 1/sqrt 2."""
    assert DC.effective_correlation(0, sp.Rational(3, 5), sp.Rational(-4, 5)) == 1
    assert sp.Rational(3, 5) < 1 / sp.sqrt(2)


@pytest.mark.claim("sec-4.4")
def test_anisotropic_budget_rescales_the_gains() -> None:
    """F = 4I, v* = e1, c = e2 (g_vv = g_cc = 1/4, g_vc = 0), Delta_C = 0, B = 1: eq. (3) with alpha~ = pi/2 gives 1,
    the maximum is 1/2; the rescaled statement holds there."""
    from paper_checks.statements import whitening as SW
    from proofs.test_counterexamples import fails, holds
    point = dict(g_vv=sp.Rational(1, 4), g_vc=0, g_cc=sp.Rational(1, 4), B=1, Delta_C=0)
    assert fails(SW.STATEMENTS["sec-4.4"], **point)
    assert holds(SW.CORRECTIONS["sec-4.4"][0], **point)


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
    with mpmath.workdps(30):
        C = (mpmath.mpf("0.99") - mpmath.mpf("0.0001")) / mpmath.sqrt(mpmath.mpf("0.99") * mpmath.mpf("0.999999"))
    assert mpmath.mpf("0.99") < C < mpmath.mpf("0.9955")

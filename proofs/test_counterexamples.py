"""Each certified counterexample, re-checked exactly and independently of the audit's wording.

Every test fails if its counterexample stops being one (or if the corrected statement stops holding).
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive import frontier as F


def _curve(cos_a, sin_a, B):
    return F.frontier_value().subs({sp.cos(F.alpha): cos_a, sp.sin(F.alpha): sin_a, F.B: B})


@pytest.mark.claim("thm-4.1.pareto")
def test_pareto_dominated_point() -> None:
    """cos(alpha) = 3/5, B = 5: (-3, 7/5) is on curve (3) and (3, 5) is attainable and better in both."""
    low = sp.nsimplify(_curve(sp.Rational(3, 5), sp.Rational(4, 5), 5).subs(F.Delta_C, -3))
    assert low == sp.Rational(7, 5)
    # delta = 5 v*: Delta_S = 5 and Delta_C = <c, 5 v*> = 5 cos(alpha) = 3, with ||delta|| = 5 = B.
    v, c, delta = sp.Matrix([1, 0]), sp.Matrix([sp.Rational(3, 5), sp.Rational(4, 5)]), sp.Matrix([5, 0])
    assert delta.norm() == 5 and c.dot(delta) == 3 and v.dot(delta) == 5
    assert 3 > -3 and 5 > low
    # The correction: the efficient arc starts at Delta_C = B cos(alpha) = 3 where Delta_S = B.
    assert sp.nsimplify(_curve(sp.Rational(3, 5), sp.Rational(4, 5), 5).subs(F.Delta_C, 3)) == 5


def test_degenerate_ellipse_at_alpha_zero() -> None:
    """At alpha = 0 the conic Q = 0 has a singular quadratic part: (Delta_S - Delta_C)^2 = 0."""
    Q = F.conic().subs(F.alpha, 0)
    assert sp.expand(Q - (F.Delta_S - F.Delta_C) ** 2) == 0
    assert sp.Matrix([[1, -1], [-1, 1]]).det() == 0


@pytest.mark.claim("ellipse.sphere")
def test_frontier_ellipse_is_not_a_sphere_section() -> None:
    """alpha = pi/3: squared semi-axes 1/2 and 3/2 (B = 1), so the ellipse is not a circle."""
    semi = F.ellipse().step("semi-axes").rhs.subs({F.alpha: sp.pi / 3, F.B: 1})
    assert sorted(semi) == [sp.Rational(1, 2), sp.Rational(3, 2)]


@pytest.mark.claim("rem-4.2")
def test_quarter_circle_is_a_half_circle() -> None:
    """alpha = pi/2, B = 1: (-3/5, 4/5) lies on the printed curve, outside the first quadrant."""
    val = sp.nsimplify(F.frontier_value().subs({F.alpha: sp.pi / 2, F.B: 1, F.Delta_C: sp.Rational(-3, 5)}))
    assert val == sp.Rational(4, 5)


@pytest.mark.claim("thm-4.1")
def test_tightness_fails_in_dimension_one() -> None:
    """d = 1, v* = c = 1, B = 1, Delta_C = 0: the only feasible delta is 0, not of norm B."""
    from fractions import Fraction
    c, dc, B = Fraction(1), Fraction(0), Fraction(1)
    only = dc / c
    assert abs(only) < B

"""Section 5 counterexamples, re-checked exactly; each fails if its counterexample stops being one."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from derive import packing as DP
from derive import random_subspace as DR


@pytest.mark.claim("prop-5.5")
def test_m_prime_over_d_is_not_exact_with_intrinsic_directions() -> None:
    exact = DR.expected_tax(sp.Integer(1), sp.Integer(3), sp.Rational(1, 4), 1)
    assert exact == sp.Rational(5, 8) and exact != sp.Rational(1, 4) + sp.Rational(1, 3)
    assert DR.expected_tax(sp.Integer(1), sp.Integer(3)) == sp.Rational(1, 3)      # I empty: exact, as printed


@pytest.mark.claim("thm-5.4")
def test_bound_9_fails_under_the_literal_definitions() -> None:
    v, c1, c2 = (1, 0, 0), (Fraction(3, 5), Fraction(4, 5), 0), (0, 0, 1)
    dot = lambda x, y: sum(Fraction(a) * b for a, b in zip(x, y))  # noqa: E731
    mu = max(abs(dot(v, c2)), abs(dot(c1, c2)))
    R = dot(v, c1) ** 2 + dot(v, c2) ** 2 - Fraction(1, 4)
    assert mu == 0 and DP.bound_9(Fraction(1, 4), 2, 1, Fraction(1, 2), 1, mu) == 0 and R == Fraction(11, 100)


@pytest.mark.claim("cor-5.6", "abstract-rate")
def test_residual_family_is_not_o_of_m_prime_over_d() -> None:
    d = sp.Symbol("d", positive=True)
    R = (sp.Rational(1, 2) + 1 / sp.sqrt(d)) ** 2 - sp.Rational(1, 4)
    assert sp.limit(R * d, d, sp.oo) == sp.oo
    assert sp.limit((sp.Rational(1, 2) + 1 / sp.sqrt(d)), d, sp.oo) == sp.Rational(1, 2)   # Def 5.1 holds


@pytest.mark.claim("sec-5.1")
def test_welch_is_met_by_the_simplex() -> None:
    for dim in (2, 3, 7):
        assert DP.welch_bound(dim + 1, dim) == sp.Rational(1, dim)

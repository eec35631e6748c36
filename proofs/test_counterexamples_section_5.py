"""Section 5 counterexamples, re-checked exactly on the formal statements; each fails if its counterexample stops
being one (or if the statement stops saying what the paper prints)."""
from __future__ import annotations

import pytest
import sympy as sp

from derive import random_subspace as DR
from paper_checks import definitions, margin
from paper_checks.statements import packing as SP
from paper_checks.statements import random_subspace as SR


def _margin_at(statement, point: dict[str, sp.Expr]) -> sp.Expr:
    """The statement's margin at an exact point, after checking every hypothesis holds there."""
    m = margin.compile_margin(statement, definitions.expand)
    env = {s: sp.nsimplify(point[s.name]) for s in m.symbols}
    for c in m.conditions:
        assert bool(c.xreplace(env)), c
    return sp.nsimplify(sp.simplify(m.expr.xreplace(env)))


def test_thm_5_4_bound_9_fails_under_the_literal_definitions() -> None:
    # v* = e1, c1 = (3/5, 4/5, 0) declared intrinsic with gamma_1 = 1/2, c2 = e3: mu (Def 5.3) = 0, bound (9) = 0,
    # yet R = 9/25 - 1/4 = 11/100: the intrinsic pair's residual 1/10 is bounded by nothing.
    point = {"x": sp.Rational(3, 5), "y": 0, "z": 0, "gamma_1": sp.Rational(1, 2)}
    assert _margin_at(SP.THM_5_4, point) == -sp.Rational(11, 100)
    assert _margin_at(SP.THM_5_4_CORRECTED, point) >= 0                # mu = 1/10 over every residual


def test_prop_5_5_m_prime_over_d_is_not_exact_with_intrinsic_directions() -> None:
    point = {"tau_0": sp.Rational(1, 4), "m'": 1, "d": 3, "|I|": 1}
    assert _margin_at(SR.PROP_5_5, point) == -abs(sp.Rational(5, 8) - sp.Rational(7, 12))
    assert _margin_at(SR.PROP_5_5_GENERAL, point) == 0


@pytest.mark.parametrize("mp,d", [(1, 3), (2, 7), (5, 5)])
def test_prop_5_5_is_exact_without_intrinsic_directions(mp: int, d: int) -> None:
    assert _margin_at(SR.PROP_5_5, {"tau_0": 0, "m'": mp, "d": d, "|I|": 0}) == 0


@pytest.mark.parametrize("statement", [SR.COR_5_6, SR.ABSTRACT_RATE], ids=["cor-5.6", "abstract-rate"])
def test_rate_fails_with_a_residual_on_the_intrinsic_pair(statement) -> None:
    # <v*, c1> = 1/2 + d^(-1/2)/2 -> 1/2 (Def 5.1 holds), m' fixed: R(d) decays as d^(-1/2), not d^(-1)
    assert (_margin_at(statement, {"gamma_1": sp.Rational(1, 2), "eta": sp.Rational(1, 2), "beta": 0})
            == -sp.Rational(1, 2))
    d = sp.Symbol("d", positive=True)
    R = DR.residual_with_intrinsic_residual(sp.Rational(1, 2), sp.Rational(1, 2), 0, d)
    assert sp.limit(R * sp.sqrt(d), d, sp.oo) == sp.Rational(1, 2)     # 2 gamma eta: R ~ d^(-1/2)/2
    assert sp.limit(R * d, d, sp.oo) == sp.oo                           # so R is not O(1/d)


def test_sec_5_1_welch_is_met_by_the_simplex_and_the_mercedes_frame() -> None:
    welch = SP.SEC_5_1.conclusion.rhs
    for dim in (2, 3, 7):
        assert sp.simplify(welch.subs({SP.N: dim + 1, SP.d: dim}) - sp.Rational(1, dim)) == 0
    at_etf = {"t_2": 2 * sp.pi / 3, "t_3": 4 * sp.pi / 3}
    assert _margin_at(SP.SEC_5_1, at_etf) == 0

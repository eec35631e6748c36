"""The statement's numeric route (paper_checks.margin): search, point certificates, open-box certificates."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from paper_checks import margin
from paper_checks.margin import certify, floats
from paper_checks.statement import Statement, Variable

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
X = Variable(x, sp.Interval(-1, 1))
Y = Variable(y, sp.Interval(-1, 1))
F = sp.Function("Square")


def _ident(e: sp.Basic) -> sp.Basic:
    return e.replace(F, lambda a: a**2)


def _search(conclusion, hypotheses=(), variables=(X, Y), key="t"):
    return margin.search(Statement(variables, hypotheses, conclusion), _ident, 0, key, samples=500)


def test_true_statement_has_no_failure() -> None:
    assert _search(sp.Ge(x**2 + y**2, 2 * x * y)).failure is None


def test_open_set_failure_gets_a_certified_box() -> None:
    f = _search(sp.Le(x + y, 1)).failure
    assert f is not None and f.box_radius is not None
    assert float(sp.Rational(f.point["x"]) + sp.Rational(f.point["y"])) > 1


def test_point_failure_of_a_strict_claim_is_exact_and_has_no_box() -> None:
    # x^2 > 0 fails only at x = 0: a measure-zero set, certified exactly, no box.
    f = _search(sp.Gt(x**2, 0), variables=(X,)).failure
    assert f is not None and f.point == {"x": "0"} and f.margin_upper == "0" and f.box_radius is None


def test_identically_zero_strict_margin_fails_everywhere() -> None:
    f = _search(sp.Lt(F(x), x**2), variables=(X,)).failure
    assert f is not None and f.box_radius == "inf"


def test_defined_functions_are_expanded_before_the_search() -> None:
    assert _search(sp.Eq(F(x), x * x), variables=(X,)).failure is None
    f = _search(sp.Eq(F(x), x * x * sp.Rational(1001, 1000)), variables=(X,)).failure
    assert f is not None and f.box_radius is not None


def test_premise_and_hypotheses_restrict_the_domain() -> None:
    # x + y <= 1 holds when x <= 0 and y <= 1 ...
    assert _search(sp.Implies(sp.Le(x, 0), sp.Le(x + y, 1))).failure is None
    assert _search(sp.Le(x + y, 1), hypotheses=(sp.Le(x, 0),)).failure is None
    # ... and an equality hypothesis fixes a variable: y = x makes x + y <= 2 x^2 + 1 fail only off x = ...
    assert _search(sp.Le(x + y, 2), hypotheses=(sp.Eq(y, x),)).failure is None
    f = _search(sp.Le(x + y, 1), hypotheses=(sp.Eq(y, x),)).failure
    assert f is not None and f.point["y"] == f.point["x"]


def test_boundary_values_are_searched() -> None:
    # fails only at the closed end x = 1 (1 - x > 0 on [-1, 1]): found exactly, no box
    f = _search(sp.Gt(1 - x, 0), variables=(X,)).failure
    assert f is not None and f.point == {"x": "1"} and f.box_radius is None
    # on the open domain (-1, 1) the same claim holds
    assert _search(sp.Gt(1 - x, 0), variables=(Variable(x, sp.Interval.open(-1, 1)),)).failure is None


def test_same_seed_same_result() -> None:
    a = _search(sp.Le(x * y, sp.Rational(1, 5)), key="k")
    b = _search(sp.Le(x * y, sp.Rational(1, 5)), key="k")
    assert a == b and a.failure is not None


def test_ball_arithmetic_certifies_only_strict_signs() -> None:
    import flint
    env = {x: flint.arb(0, 1e-3)}
    assert margin.to_arb(sp.Lt(x**2, 1), env) is True
    assert margin.to_arb(sp.Lt(x, 0), env) is False          # the ball straddles 0: not certain
    sq = margin.to_arb(x**2, env)                              # even powers keep (almost) their sign near 0
    assert sq.contains(0) and sq.contains(flint.arb("1e-6")) and sq.lower() > -1e-15
    assert margin.to_arb(x**3, env).lower() < 0


def test_incomplete_beta_in_balls_encloses_the_function() -> None:
    """I_x(a, b) (SymPy's betainc_regularized) in arb balls: exact at a point (x uniform on [-1, 1] for d = 3 gives
    P(|x| >= 0.3) = 0.7), and a ball of x encloses SciPy's values across it while staying narrow."""
    import flint
    import numpy as np
    from scipy.special import betainc

    from paper_checks.margin import to_arb
    x = sp.Symbol("x")
    tail = 1 - sp.betainc_regularized(sp.Rational(1, 2), 1, 0, x**2)
    assert abs(float(to_arb(tail, {x: flint.arb(3) / 10}).mid()) - 0.7) < 1e-15
    ball = flint.arb(flint.arb(1) / 2, flint.arb(1) / 1000)
    value = to_arb(sp.betainc_regularized(sp.Rational(1, 2), sp.Rational(49, 2), 0, x), {x: ball})
    lo, hi = float(value.lower()), float(value.upper())
    for u in np.linspace(0.499, 0.501, 11):          # SciPy's doubles carry ~1e-16 of rounding; the ball is exact
        assert lo - 1e-13 <= betainc(0.5, 24.5, u) <= hi + 1e-13
    assert float(value.rad()) < 1e-3


# The minimiser's one-point path (plain floats) must give what the vectorised path gives, inside and outside the
# domain: square roots of negatives, logs, Max/Abs, quotients, angles.
@pytest.mark.parametrize("claim_id", ["thm-4.1", "sec-5.1", "rem-5.8", "prop-6.5", "thm-5.4", "cor-6.3"])
def test_one_point_margin_equals_the_vectorised_margin(claim_id: str) -> None:
    from paper_checks import definitions, registry
    st = registry.by_id(claim_id).statement
    m = margin.compile_margin(st, definitions.expand)
    fl, dom = floats.Floats(m), floats.Domain(st, m.symbols)
    x = floats.sample(st, m.symbols, np.random.default_rng(0), 200)
    x = np.vstack([x, 1.7 * x - 0.3])          # points outside the domain too
    vec, inside = fl(x), dom(x)
    for z, v, ins in zip(x.tolist(), vec, inside, strict=False):
        one = fl.one(z)
        assert one == v or (math.isinf(one) and math.isinf(v)) or abs(one - v) <= 1e-12 * (1 + abs(v)), (z, one, v)
        assert dom.contains(z) == bool(ins), z


# The search evaluates a candidate's roundings, and the candidates, as one array: each row must get the value it gets
# alone, bit for bit, or the order of candidates (and the counterexample shown) would depend on the batching.
@pytest.mark.parametrize("claim_id", ["thm-4.1", "prop-6.5", "thm-5.4", "prop-5.5.whp", "def-3.3"])
def test_a_row_of_a_batch_has_the_margin_it_has_alone(claim_id: str) -> None:
    from paper_checks import definitions, registry
    st = registry.by_id(claim_id).statement
    m = margin.compile_margin(st, definitions.expand)
    fl = floats.Floats(m)
    x = floats.sample(st, m.symbols, np.random.default_rng(1), 16)
    x = np.vstack([x, 1.7 * x - 0.3])
    batch = fl(x)
    for row, v in zip(x, batch, strict=True):
        assert fl(np.array([row]))[0] == v or (math.isnan(v) and math.isnan(fl(np.array([row]))[0])), (row, v)


def test_strict_margin_zero_on_a_box_but_not_everywhere_fails_on_that_box() -> None:
    # Max(x, 0) - Max(y, 0) > 0 fails where x, y < 0: the margin is 0 on that quadrant, a box of zeros, which the
    # interior-point disproof must not reject and SymPy confirms.
    f = _search(sp.Gt(sp.Max(x, 0) - sp.Max(y, 0), 0)).failure
    assert f is not None and f.box_radius is not None and f.box_radius != "inf"


def test_interior_points_disprove_zero_on_a_box_only_where_the_margin_is_not_zero() -> None:
    # x - y vanishes on the diagonal, not on any box around a point of it: an interior point says so at once;
    # Max(x, 0) - Max(y, 0) is 0 on the whole box around (-1/2, -1/2), and no interior point may say otherwise.
    half, box = Fraction(1, 2), (Fraction(-51, 100), Fraction(-49, 100))
    point, bounds = {x: -half, y: -half}, {x: box, y: box}
    assert certify.nonzero_inside(margin.Margin((x, y), x - y, True, (), {}), point, bounds)
    zero = margin.Margin((x, y), sp.Max(x, 0) - sp.Max(y, 0), True, (), {})
    assert not certify.nonzero_inside(zero, point, bounds) and certify._zero_on_box(zero, point, bounds)


def test_other_failing_points_are_kept_beside_the_one_shown() -> None:
    f = _search(sp.Le(x + y, 1)).failure
    assert f is not None and 0 < len(f.others) <= 5 and f.point not in f.others
    assert all(float(sp.Rational(p["x"]) + sp.Rational(p["y"])) > 1 for p in f.others)

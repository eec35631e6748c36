"""Each certified counterexample of the frontier family, re-checked exactly against its formal statement.

A test evaluates the statement's margin (the conclusion with every defined quantity replaced by its derived
closed form, paper_checks.margin.compile_margin) exactly by SymPy at an exact point that satisfies the
statement's hypotheses: it fails if the point stops being a counterexample, and it evaluates the corrected
statement at a point of its own domain, where it must hold.
"""
from __future__ import annotations

import pytest
import sympy as sp

from paper_checks import definitions, margin
from paper_checks.statement import Statement
from paper_checks.statements import frontier as SF


def exact_margin(s: Statement, **point: sp.Expr) -> tuple[sp.Expr, bool]:
    """The margin of ``s`` at ``point`` (exact SymPy values, keyed by the variables' names), and whether the relation
    is strict; asserts the point satisfies the domains and the hypotheses."""
    m = margin.compile_margin(s, definitions.expand)
    env = {sym: sp.sympify(point[sym.name]) for sym in m.symbols}
    for v in s.variables:
        if v.symbol in env:
            assert env[v.symbol] in v.domain, (v.symbol, env[v.symbol])
    for cond in m.conditions:
        assert bool(sp.simplify(cond.xreplace(env))), cond
    return sp.nsimplify(sp.simplify(m.expr.xreplace(env))), m.strict


def fails(s: Statement, **point: sp.Expr) -> bool:
    value, strict = exact_margin(s, **point)
    return bool(value < 0) or (strict and value == 0)


def holds(s: Statement, **point: sp.Expr) -> bool:
    value, strict = exact_margin(s, **point)
    return bool(value > 0) or (not strict and value == 0)


@pytest.mark.claim("thm-4.1.pareto")
def test_pareto_dominated_point() -> None:
    """cos(alpha) = 3/5, B = 5: (Delta_C, eq. (3)) = (-3, 7/5) is on the curve, yet Delta_C' = 3 reaches safety 5."""
    a = sp.acos(sp.Rational(3, 5))
    assert fails(SF.STATEMENTS["thm-4.1.pareto"], alpha=a, B=5, Delta_C=-3, **{"Delta_C'": 3})
    # the corrected statement (Delta_C >= B cos(alpha) = 3) holds at a point of the efficient arc
    assert holds(SF.CORRECTIONS["thm-4.1.pareto"][0], alpha=a, B=5, Delta_C=4, **{"Delta_C'": sp.Rational(9, 2)})


@pytest.mark.claim("thm-4.1.tight")
def test_tightness_fails_in_dimension_one() -> None:
    """d = 1, alpha = 0 (v* = c), B = 1, Delta_C = 0: the largest maximiser norm is 0, not B; d = 2 is tight."""
    assert fails(SF.STATEMENTS["thm-4.1.tight"], alpha=0, B=1, Delta_C=0, d=1)
    assert holds(SF.STATEMENTS["thm-4.1.tight"], alpha=0, B=1, Delta_C=0, d=2)
    assert holds(SF.CORRECTIONS["thm-4.1.tight"][0], alpha=sp.pi / 3, B=1, Delta_C=sp.Rational(1, 2), d=2)


@pytest.mark.claim("ellipse")
def test_degenerate_ellipse_at_alpha_pi() -> None:
    """alpha = pi (cos_alpha = -1): the Pareto frontier is the whole segment Delta_S = -Delta_C, and the chord from
    Delta_C = -1/2 to 1/2 lies on it, not below; for 0 < alpha < pi the efficient arc is strictly curved."""
    s = SF.STATEMENTS["ellipse"]
    assert fails(s, cos_alpha=-1, B=1, Delta_C=sp.Rational(-1, 2), **{"Delta_C'": sp.Rational(1, 2)})
    assert holds(SF.CORRECTIONS["ellipse"][0], cos_alpha=0, B=1, Delta_C=sp.Rational(1, 4),
                 **{"Delta_C'": sp.Rational(3, 4)})


@pytest.mark.claim("ellipse.sphere")
def test_frontier_ellipse_is_not_a_sphere_section() -> None:
    """alpha = pi/3, B = 1: semi-axes sqrt(3/2) and sqrt(1/2), so the ellipse is no circle; a circle at pi/2."""
    assert fails(SF.STATEMENTS["ellipse.sphere"], alpha=sp.pi / 3, B=1)
    assert holds(SF.CORRECTIONS["ellipse.sphere"][0], alpha=sp.pi / 2, B=1)


@pytest.mark.claim("rem-4.2.quarter")
def test_quarter_circle_is_the_pareto_frontier() -> None:
    """alpha = pi/2, B = 1: the Pareto frontier (the efficient arc 0 <= Delta_C <= B) sweeps pi/2, a quarter circle;
    the whole curve over |Delta_C| <= B, the other reading of 'frontier', would sweep pi."""
    from paper_checks import definitions
    assert holds(SF.STATEMENTS["rem-4.2.quarter"], alpha=sp.pi / 2, B=1)
    assert sp.simplify(definitions.expand(SF.FrontierSweep(sp.pi / 2, 1, -1)) - sp.pi) == 0


@pytest.mark.claim("sec-7.3")
def test_averaging_is_pareto_optimal_only_at_alpha_pi() -> None:
    """alpha = pi (cos_alpha = -1): every attainable point lies on Delta_S = -Delta_C and is Pareto-optimal, the
    averaged one included; at alpha = 0 (cos_alpha = 1) the averaged point is dominated by (B, B), as the words say."""
    point = {"B": 1, "x": sp.Rational(1, 2), "y": 0, "lambda": sp.Rational(1, 2)}
    assert fails(SF.STATEMENTS["sec-7.3"], cos_alpha=-1, **point)
    assert holds(SF.STATEMENTS["sec-7.3"], cos_alpha=1, **point)
    assert holds(SF.CORRECTIONS["sec-7.3"][0], cos_alpha=sp.Rational(1, 2), **point)

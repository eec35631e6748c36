"""Counterexamples of sections 3-8, re-checked exactly; each test fails if its counterexample stops being one,
and each checks the corrected statement at the same point."""
from __future__ import annotations

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


def _at(claim_id: str, point: dict[str, str], statement=None) -> tuple[bool, bool]:
    """(hypotheses and premise hold, conclusion holds) for a claim's formal statement at an exact point, decided
    by SymPy on the defined quantities' closed forms."""
    from paper_checks import definitions
    st = statement or by_id(claim_id).statement
    env = {v.symbol: sp.Rational(point[v.symbol.name]) for v in st.variables}
    holds = lambda e: bool(sp.simplify(definitions.expand(e).xreplace(env)))   # noqa: E731
    premise, rel = st.conclusion.args if isinstance(st.conclusion, sp.Implies) else (sp.true, st.conclusion)
    return all(holds(h) for h in (*st.hypotheses, premise)), holds(rel)


@pytest.mark.claim("rem-4.6.additivity")
def test_additivity_without_orthonormality() -> None:
    """rem-4.6.additivity's 'only when orthonormal', pointwise: c1 = e1, c2 = (3/5, 4/5, 0), v* = (2/7, 6/7, 3/7)
    has <c1, c2> = 3/5 and still tau = tau_1 + tau_2 (the defined TaxRate2 and the projection agree)."""
    from paper_checks import definitions
    from paper_checks.statements import tax_rate as T
    c1, c2, v = sp.Matrix([1, 0, 0]), sp.Matrix([sp.Rational(3, 5), sp.Rational(4, 5), 0]), \
        sp.Matrix([sp.Rational(2, 7), sp.Rational(6, 7), sp.Rational(3, 7)])
    a1, a2, g = v.dot(c1), v.dot(c2), c1.dot(c2)
    tau = definitions.expand(T.TaxRate2(a1, a2, g))
    C = sp.Matrix.hstack(c1, c2)
    projection = (v.T * C * (C.T * C).inv() * C.T * v)[0]
    assert v.norm() == 1 and g != 0 and sp.simplify(tau - projection) == 0
    assert sp.simplify(tau - definitions.expand(T.TaxRate1(a1) + T.TaxRate1(a2))) == 0


@pytest.mark.claim("def-3.4.loss")
def test_tau_one_can_raise_capability() -> None:
    """def-3.4.loss at v* = c (sigma = 1), Delta_C = 1: the safety gain is positive and the capability rises; the
    corrected statement (the capability changes) holds there."""
    point = {"sigma": "1", "Delta_C": "1", "y": "0"}
    assert _at("def-3.4.loss", point) == (True, False)
    assert _at("def-3.4.loss", point, by_id("def-3.4.loss").corrections[0]) == (True, True)


@pytest.mark.claim("sec-7.1.equivalence")
def test_nspo_changes_no_capability_whatever_tau() -> None:
    """sec-7.1.equivalence at tau = 16/25: NSPO's capability change is 0 < 1% of B, yet tau > 1/10."""
    point = {"tau": "16/25", "B": "1"}
    assert _at("sec-7.1.equivalence", point) == (True, False)
    assert _at("sec-7.1.equivalence", point, by_id("sec-7.1.equivalence").corrections[0]) == (True, True)


@pytest.mark.claim("pred-1.model")
def test_prediction_1_is_sqrt_tau_not_tau() -> None:
    """pred-1.model at <v*, c_1> = -1/2, <v*, c_2> = -1/4: Delta_C = (-1/2, -1/4) B, ratio 2, while tau = (1/4, 1/16),
    ratio 4; the correction Delta_C_i = -B sqrt(tau_i) holds for each."""
    assert _at("pred-1.model", {"a1": "-1/2", "a2": "-1/4", "B": "1"}) == (True, False)
    corr = by_id("pred-1.model").corrections[0]
    for a in ("-1/2", "-1/4"):
        assert _at("pred-1.model", {"a1": a, "B": "1"}, corr) == (True, True)


@pytest.mark.claim("thm-6.4.iii")
def test_suppressor_example_value() -> None:
    with mpmath.workdps(30):
        C = (mpmath.mpf("0.99") - mpmath.mpf("0.0001")) / mpmath.sqrt(mpmath.mpf("0.99") * mpmath.mpf("0.999999"))
    assert mpmath.mpf("0.99") < C < mpmath.mpf("0.9955")

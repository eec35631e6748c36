"""Counterexamples of sections 3-8, re-checked exactly; each test fails if its counterexample stops being one,
and each checks the corrected statement at the same point."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from paper_checks import definitions, margin
from paper_checks.margin import certify
from paper_checks.audit import judge
from paper_checks.finding import AuditConfig
from paper_checks.registry import by_id
from paper_checks.statements.safety_pair import ProjectedCos


def _fails_at(claim_id: str, **point: Fraction) -> bool:
    """The claim's formal statement fails at ``point`` (exact rationals), certified in ball arithmetic."""
    s = by_id(claim_id).statement
    m = margin.compile_margin(s, definitions.expand)
    return certify.certify_point(s, m, {sym: point[sym.name] for sym in m.symbols}) is not None


@pytest.mark.claim("thm-6.4.i")
def test_opposite_signs_can_lower_the_effective_correlation() -> None:
    """Thm 6.4 (i) as stated fails at rho = -9/10, a = 1/2, b = -1/10; the correction (rho >= 0) holds at rho = 1/10."""
    assert _fails_at("thm-6.4.i", rho=Fraction(-9, 10), a=Fraction(1, 2), b=Fraction(-1, 10))
    corr = by_id("thm-6.4.i").corrections[0]
    m = margin.compile_margin(corr, definitions.expand)
    assert certify.certify_point(corr, m, dict(zip(m.symbols, (Fraction(1, 10), Fraction(1, 2),
                                                                 Fraction(-1, 10)), strict=False))) is None
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
    assert certify.certify_point(corr, m, {sym: {**point, "B'": Fraction(1)}[sym.name] for sym in m.symbols}) is None
    # the attained min gain 3/5 is the defined max-min there (the foot of the perpendicular is off the segment)
    value = definitions.expand(by_id("cor-6.6").statement.conclusion.lhs).subs(
        {sym: sp.Rational(v.numerator, v.denominator)
         for sym, v in zip(m.symbols, (*point.values(), Fraction(1)), strict=False)})
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
    assert at[sp.Symbol("rho", real=True)] < C                       # Thm 6.4 (i)'s C(c) > rho holds here


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
    """Thm 6.4 (iii)'s example, read from its statement: C(c) is 0.995 to three decimals, so above rho = 0.99."""
    s = by_id("thm-6.4.iii").statement
    fixed = {h.lhs: h.rhs for h in s.hypotheses if isinstance(h, sp.Eq)}
    C = definitions.expand(s.conclusion.lhs.args[0] + sp.Rational(995, 1000)).subs(fixed)
    assert fixed[sp.Symbol("rho", real=True)] < C and abs(C - sp.Rational(995, 1000)) < sp.Rational(1, 2000)

"""Property tests: every verified or corrected claim against an independent computation, on 1,000
random admissible geometries each (hypothesis, derandomised so a run is reproducible).

These compare the closed forms derived by SymPy with the solver's optimum (to the solver's 1e-7) or with
a direct numeric definition; the certified comparisons are the audit's (proofs/test_certificates.py).
"""
from __future__ import annotations


import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive import capability_constraint as DK
from derive import frontier as DF
from derive import whitening as DW
from paper_checks import definitions, margin
from paper_checks.checks.common import realisable_rho
from paper_checks.statements import frontier as SF
from paper_checks.registry import by_id
from verify import safety_pair as VP
from verify import socp
from verify import whitening as VW
from verify.capability_constraint import max_safety_at_target

# A thousand geometries per property takes minutes: these run apart, `python -m pytest -m slow` (CI runs both).
pytestmark = pytest.mark.slow

N = settings(max_examples=1000, deadline=None, derandomize=True,
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TOL = 1e-6



class _Lazy:
    """A numpy function built from SymPy on its first call: every collection imports this module, and its tests
    run only with ``-m slow``."""

    def __init__(self, build) -> None:
        self._build, self._f = build, None

    def __call__(self, *args):
        if self._f is None:
            self._f = self._build()
        return self._f(*args)


frontier_f = _Lazy(lambda: sp.lambdify((DF.alpha, DF.B, DF.Delta_C), DF.frontier_value(), "numpy"))
# the corrected Pareto range and the conic, read from the formal statements (never retyped)
pareto_lower = _Lazy(lambda: sp.lambdify(
    (SF.alpha, SF.B), definitions.expand(SF.CORRECTIONS["thm-4.1.pareto"][0].hypotheses[-1].lhs), "numpy"))
_S = sp.Symbol("S", real=True)


def _conic_q():
    conic = SF.STATEMENTS["ellipse.conic"].conclusion
    return sp.lambdify((_S, SF.alpha, SF.B, SF.Delta_C),
                       (conic.lhs - conic.rhs).replace(SF.MaxSafetyGain, lambda *a: _S), "numpy")


conic_q = _Lazy(_conic_q)
aniso = _Lazy(lambda: sp.lambdify((DW.g_vv, DW.g_vc, DW.g_cc, DW.Delta_C, DW.B), DW.anisotropic_value(), "numpy"))

angle = st.one_of(st.floats(1e-6, np.pi - 1e-6), st.sampled_from([1e-6, 1e-3, np.pi / 2, np.pi - 1e-3]))
unit_seed = st.integers(0, 2**32 - 1)


def _solve1(v, A, b, B):
    return socp.solve(v[None, None, :], A[None], b[None], np.array([B]))[0].value


@N
@given(alpha=angle, B=st.floats(0.1, 10), frac=st.floats(-0.999, 0.999))
def test_thm_4_1(alpha, B, frac):
    v, c = np.array([1.0, 0, 0]), np.array([np.cos(alpha), np.sin(alpha), 0])
    assert abs(_solve1(v, c[None], np.array([frac * B]), B) - frontier_f(alpha, B, frac * B)) < TOL * B


@N
@given(alpha=st.floats(0.01, np.pi - 0.01), lam=st.floats(0.001, 0.999), B=st.floats(0.1, 5))
def test_thm_4_1_pareto_corrected(alpha, lam, B):
    v, c = np.array([1.0, 0]), np.array([np.cos(alpha), np.sin(alpha)])
    w = lam * v + (1 - lam) * c
    delta = socp.solve(w[None, None], np.zeros((1, 0, 2)), np.zeros((1, 0)), np.array([B]))[0].delta
    assert pareto_lower(alpha, B) - 1e-6 * B <= c @ delta <= B * (1 + 1e-6)


@N
@given(seed=unit_seed, frac=st.floats(0, 0.99), zero=st.booleans())
def test_thm_4_3_and_cor_4_4(seed, frac, zero):
    rng = np.random.default_rng(seed)
    d, m = int(rng.integers(2, 9)), 1
    m = int(rng.integers(1, d))
    C = rng.standard_normal((d, m))
    v = rng.standard_normal(d)
    v /= np.linalg.norm(v)
    t = np.zeros(d) if zero else C @ rng.standard_normal(m)
    if not zero:
        t *= frac * 2.0 / np.linalg.norm(t)
    n = np.linalg.norm(VP.residual(v, C))
    closed = float(DK.max_value().subs({DK.s: v @ t, DK.r: np.linalg.norm(t), DK.n: n, DK.B: 2.0}))
    assert abs(max_safety_at_target(v, C, t, 2.0).solver_value - closed) < TOL


@pytest.mark.claim("def-3.4", "cor-4.5", "rem-4.6")
@N
@given(seed=unit_seed)
def test_tax_rate_forms(seed):
    """Def 3.4 range, Cor 4.5, Rem 4.6: the projection by least squares against the statements' printed forms
    (eq. (6) and the Gram form with two unit capabilities), read from the formal statements."""
    rng = np.random.default_rng(seed)
    d = int(rng.integers(2, 10))
    C = rng.standard_normal((d, 2))
    C /= np.linalg.norm(C, axis=0)
    v = rng.standard_normal(d)
    v /= np.linalg.norm(v)
    tau = 1 - np.linalg.norm(VP.residual(v, C)) ** 2
    a = C.T @ v
    assert -1e-12 <= tau <= 1 + 1e-12
    g = C[:, 0] @ C[:, 1]
    assert abs(tau - _printed("rem-4.6")(a[0], a[1], g)) < 1e-8 / (1 - abs(g)) ** 2
    c = C[:, :1]
    assert abs((1 - np.linalg.norm(VP.residual(v, c)) ** 2) - _printed("cor-4.5")(a[0])) < 1e-12


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=unit_seed, frac=st.floats(0.05, 0.95))
def test_cor_4_7(seed, frac):
    """The solver's optimum at a target with <v*, delta_C*> > 1e-4 exceeds eq. (7)'s lower bound, read from the
    formal statement (no second copy of the formula)."""
    from paper_checks.registry import by_id
    from paper_checks.statements import capability_constraint as K
    bound = sp.lambdify((K.s, K.r, K.tau, K.B), by_id("cor-4.7").statement.conclusion.args[1].rhs, "numpy")
    rng = np.random.default_rng(seed)
    d = int(rng.integers(3, 9))
    m = int(rng.integers(1, d))
    C = rng.standard_normal((d, m))
    v = rng.standard_normal(d)
    v /= np.linalg.norm(v)
    t = C @ rng.standard_normal(m)
    t *= frac * 2.0 / np.linalg.norm(t) * np.sign(v @ t)
    if v @ t < 1e-4:
        return
    tau = 1 - np.linalg.norm(VP.residual(v, C)) ** 2
    assert max_safety_at_target(v, C, t, 2.0).solver_value > bound(v @ t, np.linalg.norm(t), tau, 2.0)


def _from_statement(expr: sp.Basic, claim_id: str):
    """``expr`` (a side of a claim's formal statement) as a numpy function of the statement's variables, with
    defined quantities replaced by their derived closed forms: the printed formula is read, never retyped."""
    symbols = [v.symbol for v in by_id(claim_id).statement.variables]
    return sp.lambdify(symbols, definitions.expand(expr), "numpy")


def _printed(claim_id: str) -> _Lazy:
    return _Lazy(lambda: _from_statement(by_id(claim_id).statement.conclusion.rhs, claim_id))


eq12_13, partial_12, eq14 = _printed("thm-6.1"), _printed("rem-6.2"), _printed("cor-6.3")
eq15_13 = _printed("prop-6.5")


@N
@given(a=st.floats(-0.99, 0.99), b=st.floats(-0.99, 0.99), t=st.floats(-0.999999, 0.999999), s2=st.floats(-0.99, 0.99))
def test_thm_6_1_rem_6_2_cor_6_3(a, b, t, s2):
    rho, a, b = realisable_rho(a, b, t)
    v1, v2, c = VP.realise(rho, a, b, 4)
    C = c[:, None]
    cos_t = VP.effective_cos(v1, v2, C)
    G = np.array([[1, v1 @ v2, v1 @ c], [v1 @ v2, 1, v2 @ c], [v1 @ c, v2 @ c, 1]])
    assert abs(float(VP.partial_correlation(G, dps=20)) - partial_12(rho, a, b)) < 1e-9
    pt = VP.pair_frontier(v1, v2, C, [s2], 1.0, certify=False)[0]
    # solver_value is unavailable without a certificate: recompute from the returned delta
    assert abs(v1 @ pt.delta / pt.norms[0] - eq12_13(rho, a, b, s2)) < 1e-5
    mm = VP.max_min_gain(v1, v2, C, 1.0).enclosure.solver_value
    assert abs(mm - eq14(np.arccos(np.clip(cos_t, -1, 1)))) < TOL


@settings(max_examples=300, deadline=None, derandomize=True)
@given(seed=unit_seed, s2=st.floats(-0.99, 0.99))
def test_prop_6_5(seed, s2):
    """Two unit, non-orthonormal capabilities (the statement's parametrisation): eq. (13) with (15) against the SOCP
    (300 examples: each solves an SOCP)."""
    rng = np.random.default_rng(seed)
    d = int(rng.integers(4, 10))
    C = rng.standard_normal((d, 2))
    C /= np.linalg.norm(C, axis=0)
    v1, v2 = rng.standard_normal(d), rng.standard_normal(d)
    v1, v2 = v1 / np.linalg.norm(v1), v2 / np.linalg.norm(v2)
    pt = VP.pair_frontier(v1, v2, C, [s2], 1.0, certify=False)[0]
    printed = eq15_13(v1 @ v2, *(C.T @ v1), *(C.T @ v2), C[:, 0] @ C[:, 1], s2)
    assert abs(v1 @ pt.delta / pt.norms[0] - printed) < 1e-5 * np.linalg.cond(C)


def _margin(statement) -> _Lazy:
    def build():
        m = margin.compile_margin(statement(), definitions.expand)
        return sp.lambdify(m.symbols, m.expr, "numpy")
    return _Lazy(build)


thm_6_4_i_corrected = _margin(lambda: by_id("thm-6.4.i").corrections[0])
thm_6_4_ii = _margin(lambda: by_id("thm-6.4.ii").statement)


@N
@given(rho=st.floats(0, 1), a=st.floats(1e-6, 0.999), beta=st.floats(1e-6, 0.999))
def test_thm_6_4_i_corrected(rho, a, beta):
    b = -beta
    if 1 + 2 * rho * a * b - rho**2 - a * a - b * b <= 0:
        return
    assert thm_6_4_i_corrected(rho, a, b) > -1e-15


@N
@given(rho=st.floats(-1, 1), a=st.floats(-0.999, 0.999))
def test_thm_6_4_ii(rho, a):
    if 1 + 2 * rho * a * a - rho**2 - 2 * a * a <= 0:
        return
    assert thm_6_4_ii(rho, a) >= -1e-12


cor_6_6_lower = _Lazy(lambda: _from_statement(by_id("cor-6.6").corrections[0].conclusion.rhs, "cor-6.6"))
cor_6_6_value = _Lazy(lambda: _from_statement(by_id("cor-6.6").corrections[0].conclusion.lhs, "cor-6.6"))


@N
@given(a=st.floats(-0.99, 0.99), b=st.floats(-0.99, 0.99), t=st.floats(-0.999, 0.999))
def test_cor_6_6_corrected(a, b, t):
    rho, a, b = realisable_rho(a, b, t)
    v1, v2, c = VP.realise(rho, a, b, 4)
    got = VP.max_min_gain(v1, v2, c[:, None], 1.0, normalised=False).enclosure.solver_value
    rho_, a_, b_ = v1 @ v2, c @ v1, c @ v2
    assert abs(got - cor_6_6_value(rho_, a_, b_, 1.0)) < TOL
    assert got >= cor_6_6_lower(rho_, a_, b_, 1.0) - TOL


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(seed=unit_seed, frac=st.floats(-0.95, 0.95))
def test_sec_4_4_corrected(seed, frac):
    rng = np.random.default_rng(seed)
    d = int(rng.integers(2, 5))
    A = rng.standard_normal((d, d))
    F = A @ A.T + 0.1 * np.eye(d)
    v, c = rng.standard_normal(d), rng.standard_normal(d)
    v, c = v / np.linalg.norm(v), c / np.linalg.norm(c)
    Fi = np.linalg.inv(F)
    dc = frac * np.sqrt(c @ Fi @ c)
    got = VW.max_safety_ellipsoid(v, c, F, dc, 1.0).solver_value
    assert abs(got - aniso(v @ Fi @ v, v @ Fi @ c, c @ Fi @ c, dc, 1.0)) < 1e-5 * np.linalg.cond(F)


@N
@given(alpha=st.floats(0.01, np.pi - 0.01), lam=st.floats(0.01, 0.99), seed=unit_seed)
def test_sec_7_3(alpha, lam, seed):
    rng = np.random.default_rng(seed)
    delta = rng.standard_normal(2)
    delta /= max(1.0, np.linalg.norm(delta))
    v, c = np.array([1.0, 0]), np.array([np.cos(alpha), np.sin(alpha)])
    assert frontier_f(alpha, 1.0, lam * (c @ delta)) > lam * (v @ delta) - 1e-12


@N
@given(seed=unit_seed)
def test_def_3_3(seed):
    rng = np.random.default_rng(seed)
    K = int(rng.integers(2, 6))
    z, u = rng.normal(0, 2, K), rng.standard_normal(K)
    p = np.exp(z - z.max())
    p /= p.sum()
    quad = p @ u**2 - (p @ u) ** 2
    eps = 1e-4
    kl = float(VW.kl_softmax(z, u, eps, dps=30))
    assert abs(kl - eps**2 * quad / 2) <= 10 * eps**3 * (1 + np.abs(u).max() ** 3)


@N
@given(alpha=st.floats(1e-3, np.pi - 1e-3), frac=st.floats(-0.999, 0.999), B=st.floats(0.1, 5))
def test_ellipse_conic(alpha, frac, B):
    """The solver's maximum and minimum of Delta_S at fixed Delta_C both lie on Q = 0."""
    v, c = np.array([1.0, 0]), np.array([np.cos(alpha), np.sin(alpha)])
    dc = frac * B
    for sign in (1, -1):
        s = sign * _solve1(sign * v, c[None], np.array([dc]), B)
        assert abs(conic_q(s, alpha, B, dc)) < 1e-5 * B * B


@N
@given(seed=unit_seed)
def test_rem_4_6_additivity_gap(seed):
    """tau - sum tau_i = a^T ((C^T C)^-1 - I) a for unit columns."""
    rng = np.random.default_rng(seed)
    d = int(rng.integers(2, 9))
    m = int(rng.integers(1, d + 1))
    C = rng.standard_normal((d, m))
    C /= np.linalg.norm(C, axis=0)
    v = rng.standard_normal(d)
    v /= np.linalg.norm(v)
    a = C.T @ v
    tau = 1 - np.linalg.norm(VP.residual(v, C)) ** 2
    gap = a @ (np.linalg.inv(C.T @ C) - np.eye(m)) @ a
    assert abs((tau - a @ a) - gap) < 1e-8 * np.linalg.cond(C) ** 2


@pytest.mark.claim("thm-6.4.reading")
@N
@given(a=st.floats(-0.99, 0.99), b=st.floats(-0.99, 0.99), t=st.floats(-0.999, 0.999))
def test_preservation_never_enlarges_the_equal_gain(a, b, t):
    rho, a, b = realisable_rho(a, b, t)
    v1, v2, c = VP.realise(rho, a, b, 4)
    con = VP.max_min_gain(v1, v2, c[:, None], 1.0, normalised=False).enclosure.solver_value
    unc = VP.max_min_gain(v1, v2, None, 1.0, normalised=False).enclosure.solver_value
    assert con <= unc + TOL


@N
@given(seed=unit_seed, B=st.floats(0.1, 5))
def test_pred_1_model(seed, B):
    """delta = B v*: Delta_C_i = B <v*, c_i>, so |Delta_C_i| = B sqrt(tau_i) with the sign of <v*, c_i>."""
    rng = np.random.default_rng(seed)
    d = int(rng.integers(2, 20))
    v, c = rng.standard_normal(d), rng.standard_normal(d)
    v, c = v / np.linalg.norm(v), c / np.linalg.norm(c)
    dC = c @ (B * v)
    assert abs(abs(dC) - B * abs(v @ c)) < 1e-12 * B and np.sign(dC) == np.sign(v @ c)

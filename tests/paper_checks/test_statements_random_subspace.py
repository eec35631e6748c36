"""The formal statements of the packing and random_subspace families: verdicts from the rule, certified
counterexamples, corrections, mutants, and checks that gather evidence without deciding anything."""
from __future__ import annotations

import dataclasses
import inspect
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from paper_checks import audit, definitions, margin, mutation
from paper_checks.checks import packing as CP
from paper_checks.checks import random_subspace as CR
from paper_checks.checks.common import rng_for
from paper_checks.finding import AuditConfig, Certified, Failure, Verdict
from paper_checks.registry import by_id
from paper_checks.statements import CORRECTIONS, STATEMENTS
from proofs.findings import audited

CFG = AuditConfig()

EXPECTED = {
    "sec-5.1": Verdict.VERIFIED,
    "sec-5.1.random": Verdict.VERIFIED,
    "thm-5.4": Verdict.REFUTED,        # Def 5.3's mu leaves the intrinsic pairs' residuals unbounded
    "rem-5.8": Verdict.VERIFIED,
    "prop-5.5": Verdict.REFUTED,       # E tau = tau_0 + (1 - tau_0) m'/(d - |I|), not tau_0 + m'/d
    "prop-5.5.whp": Verdict.VERIFIED,  # in probability: Chebyshev with the exact variance, C = sqrt(2/delta)
    "prop-5.5.quantile": Verdict.REFUTED,   # at confidence 1 - 1/d the quantile is (sqrt(m' log d) + log d)/d
    "prop-5.5.intrinsic": Verdict.REFUTED,  # with I nonempty the mean is tau_0 + (1 - tau_0) m'/(d - |I|):
                                            # off by ~tau_0 m'/d
    "cor-5.6": Verdict.REFUTED,        # an intrinsic residual of the coherence's order makes tau - tau_0 ~ d^(-1/2)
    "cor-5.6.linear": Verdict.CONDITIONAL,  # fails only at tau_0 = 1, where there is no incidental tax at all
    "prop-6.7": Verdict.VERIFIED,
    "sec-7.2": Verdict.VERIFIED,
    "abstract-rate": Verdict.REFUTED,  # as cor-5.6
}
IDS = tuple(EXPECTED)
_finding = audited


@pytest.mark.parametrize("claim_id", IDS)
def test_statement_is_the_registry_s(claim_id: str) -> None:
    assert by_id(claim_id).statement is STATEMENTS[claim_id]


@pytest.mark.parametrize("claim_id", IDS)
def test_verdict_comes_from_the_rule(claim_id: str) -> None:
    f = _finding(claim_id)
    assert f.verdict is EXPECTED[claim_id], f.evidence



@pytest.mark.parametrize("claim_id", [i for i, v in EXPECTED.items() if v is Verdict.REFUTED])
def test_refutation_is_certified_on_an_open_set(claim_id: str) -> None:
    f = _finding(claim_id)
    assert f.failure is Failure.OPEN_SET
    assert f.counterexample is not None and f.counterexample.certified is Certified.INTERVAL
    assert f.correction                                    # the corrected statement is shown beside it


@pytest.mark.parametrize("claim_id", [i for i, v in EXPECTED.items() if v is Verdict.REFUTED])
def test_counterexample_fails_exactly(claim_id: str) -> None:
    """The certified point, re-evaluated in exact arithmetic by SymPy: hypotheses hold, the margin is negative."""
    s = by_id(claim_id).statement
    m = margin.compile_margin(s, definitions.expand)
    point = _finding(claim_id).counterexample.parameters
    env = {sym: sp.Rational(point[str(sym)]) for sym in m.symbols}
    for c in m.conditions:
        assert bool(c.xreplace(env)), c
    assert sp.N(m.expr.xreplace(env), 30) < 0


@pytest.mark.parametrize("claim_id", [i for i in IDS if i in CORRECTIONS])
def test_corrected_statements_are_verified(claim_id: str) -> None:
    for corr in CORRECTIONS[claim_id]:
        f = audit.judge(dataclasses.replace(by_id(claim_id), statement=corr, corrections=()), CFG)
        assert f.verdict is Verdict.VERIFIED, f.evidence


# Mutants of these statements are scored with every other claim's in proofs/test_mutants.py.


# --------------------------------------------------------------------------------------------- the checks


@pytest.mark.parametrize("claim_id", IDS)
def test_check_builds_no_verdict(claim_id: str) -> None:
    ev = by_id(claim_id).check(AuditConfig(samples=6))
    assert ev.counterexample is None and ev.conditions is None and ev.correction is None
    assert all(ok for _, ok in ev.numeric), ev.numeric


@pytest.mark.parametrize("module", [CP, CR], ids=["packing", "random_subspace"])
def test_check_sources_set_no_verdict_fields(module) -> None:
    src = inspect.getsource(module)
    for forbidden in ("Counterexample(", "correction_verified", "ev.conditions =", "ev.correction =",
                      "ev.counterexample ="):
        assert forbidden not in src, forbidden


# Each kept confirmation fails when the thing it checks is broken.

def test_sec_5_1_welch_violations_catch_a_raised_bound() -> None:
    welch = CP.welch_formula()
    below, n = CP.welch_violations(lambda N, d: 3 * welch(N, d), np.random.default_rng(1), 24)
    assert below > 0 and n == 24
    assert CP.welch_violations(welch, np.random.default_rng(1), 24)[0] == 0


def test_sec_5_1_simplex_gap_catches_a_wrong_bound() -> None:
    welch = CP.welch_formula()
    assert CP.simplex_gap(welch) < 1e-12
    assert CP.simplex_gap(lambda N, d: 1.001 * welch(N, d)) > 1e-5
    assert CP.simplex_gap(lambda N, d: np.sqrt((N - d) / (d * N))) > 1e-3      # a wrong denominator


def test_thm_5_4_packing_tax_gap_catches_a_wrong_closed_form() -> None:
    rng = np.random.default_rng(2)
    assert CP.packing_tax_gap(CP.packing_tax_formula(), rng, 24) < 1e-12
    assert CP.packing_tax_gap(lambda x, y, z: x * x + y * y, rng, 24) > 1e-3      # sum of squares: ignores z
    assert CP.packing_tax_gap(lambda x, y, z: (x * x + y * y + 2 * x * y * z) / (1 - z * z), rng, 24) > 1e-3


def test_thm_5_4_bound_violations_catch_a_smaller_bound() -> None:
    bound = CP.bound_9_formula()
    assert CP.bound_9_violations(bound, rng_for(0, "t"), 12)[0] == 0
    bad, total = CP.bound_9_violations(lambda *a: 0.05 * bound(*a), rng_for(0, "t"), 12)
    assert total > 0 and bad > 0


def test_prop_5_5_validation_catches_the_printed_expectation() -> None:
    rng = np.random.default_rng(3)
    good = CR.expected_tax_formula()
    assert CR.validate_expected_tax(good, rng, 600)[1] == 4
    from paper_checks.statements import random_subspace as SR
    printed = sp.lambdify((SR.tau_0, SR.m_p, SR.d, SR.k), STATEMENTS["prop-5.5"].conclusion.rhs, "numpy")
    assert CR.validate_expected_tax(printed, rng, 600)[1] < 4


def test_residual_slope_tells_the_exponents_apart() -> None:
    # the closed form min(1/2, 1 - beta) agrees with the measured slope; the exponent 1 - beta of the claim does not
    for beta in (0.0, 0.2):
        assert abs(CR.residual_slope(0.5, 0.5, beta) - 0.5) < 0.12
        assert abs(CR.residual_slope(0.5, 0.5, beta) - (1 - beta)) > 0.2
    assert abs(CR.residual_slope(0.5, 0.5, 0.8) - 0.2) < 0.12


def test_prop_6_7_rms_catches_a_wrong_factor() -> None:
    from derive import random_subspace as DR
    r, m, d = sp.symbols("r m d", positive=True)
    rms = sp.lambdify((r, m, d), DR.angle_rms(r, m, d), "numpy")
    mc = CR.angle_rms_mc(0.3, 4, 256, np.random.default_rng(4), 200)
    assert abs(mc / rms(0.3, 4, 256) - 1) < 0.2
    assert abs(mc / (np.sqrt(2) * rms(0.3, 4, 256)) - 1) > 0.2          # a factor sqrt(2) off


def test_sec_7_2_overlap_catches_a_wrong_mean() -> None:
    est = CR.overlap_mc(8, 4096, np.random.default_rng(5), 200)
    assert est.covers(8 / 4096) and not est.covers(8 / 4096 * 1.25) and not est.covers(8 / 4096**2)


def test_welch_statement_counterexample_of_a_raised_bound_is_the_etf() -> None:
    """The scale mutant of Section 5.1 dies near the equiangular frame (t_2, t_3) = (2 pi/3, 4 pi/3) or its mirror."""
    mu = next(x for x in mutation.mutants(by_id("sec-5.1")) if x.operator is mutation.Operator.SCALE)
    f = mutation.kill(by_id("sec-5.1"), mu, CFG, audit.judge)
    t2, t3 = (float(Fraction(f.counterexample.parameters[k])) for k in ("t_2", "t_3"))
    etf = {(2 * np.pi / 3, 4 * np.pi / 3), (4 * np.pi / 3, 2 * np.pi / 3)}
    assert min(max(abs(t2 - a), abs(t3 - b)) for a, b in etf) < 0.05


def test_rem_5_8_sweep_tells_beta_below_from_above_one_half() -> None:
    """The confirmation e(d^0.25) < 0 < e(d^0.75) would fail if the threshold were elsewhere: both sides measured."""
    from verify import sweeps as SW
    rng = np.random.default_rng(6)
    dims = (64, 256, 1024)
    assert SW.near_orthogonality_sweep(0.25, rng, dims, reps=4).exponent(3) < 0
    assert SW.near_orthogonality_sweep(0.75, rng, dims, reps=2).exponent(3) > 0      # beta = 3/4 does not vanish


def test_residual_model_exponent_is_not_the_claimed_one() -> None:
    """The random-residual confirmation (fitted exponent near -1/2) fails against the claimed m'/d (exponent -1)."""
    from verify import sweeps as SW
    e = SW.residual_model(0.5, np.random.default_rng(7), samples=400, dims=(2**8, 2**10, 2**12, 2**14)).exponent(4)
    assert abs(e + 0.5) < 0.1 and abs(e + 1) > 0.3


@pytest.mark.parametrize("make", ["angle_fluctuation", "residual_rate", "deviation_quantile"])
def test_new_derivations_prove_and_a_broken_step_fails(make: str) -> None:
    """The derivations behind AngleDecayExponent and ResidualDecayExponent (proposed for the registry rows of
    prop-6.7, cor-5.6 and abstract-rate): every step proved; a step with its right side scaled is not."""
    from derive import random_subspace as DR
    from derive.core import Status
    deriv = getattr(DR, make)()
    assert all(c.status is Status.OK for c in deriv.check())
    bad = dataclasses.replace(deriv.steps[0], rhs=deriv.steps[0].rhs * sp.Rational(1001, 1000))
    broken = dataclasses.replace(deriv, steps=(bad, *deriv.steps[1:]))
    assert broken.check()[0].status is Status.FAILED


def test_sec_5_1_random_pair_tail_catches_a_wrong_law() -> None:
    """The closed form of PairTail against random pairs: the exact Beta(1/2, (d-1)/2) tail passes; the tail of the
    wrong law Beta(1/2, d/2) (one dimension off), or 3% more, does not."""
    tail = CP.pair_tail_formula()
    assert CP.pair_tail_misses(tail, np.random.default_rng(8), 24000)[0] == 0
    from scipy.special import betainc
    assert CP.pair_tail_misses(lambda d, t: 1 - betainc(0.5, d / 2, t * t), np.random.default_rng(8), 24000)[0] > 0
    assert CP.pair_tail_misses(lambda d, t: 1.03 * tail(d, t), np.random.default_rng(8), 24000)[0] > 0


def test_cor_5_6_linear_limit_catches_a_wrong_limit() -> None:
    """LinearRegimeTax's closed form against the literal model at d = 128: tau_0 + c (1 - tau_0) passes; tau_0 + c
    (the incidental part not reduced by the intrinsic one) and a 10% larger incidental part do not."""
    t0, c = sp.symbols("t0 c", real=True)
    limit = sp.lambdify((t0, c), definitions.DEFINITIONS["LinearRegimeTax"].closed_form(t0, c), "numpy")
    assert CR.linear_regime_covered(limit, np.random.default_rng(9), 120) == (3, 3)
    assert CR.linear_regime_covered(lambda a, b: a + b, np.random.default_rng(9), 120)[0] < 3
    assert CR.linear_regime_covered(lambda a, b: a + 1.1 * b * (1 - a), np.random.default_rng(9), 120)[0] < 3


def test_cor_5_6_linear_fails_only_at_tau_0_equal_1() -> None:
    """The certified failure is tau_0 = 1 (v* in the span of the intrinsic capabilities), with no failing box; the
    correction tau_0 < 1 is backed by a chain whose conclusion names that hypothesis."""
    f = _finding("cor-5.6.linear")
    assert f.failure is Failure.MEASURE_ZERO and f.counterexample.parameters["tau_0"] == 1
    from paper_checks.statements import random_subspace as SR
    deriv = SR.chain_cor_5_6_linear()
    assert isinstance(deriv.conclusion, sp.Implies) and sp.Lt(SR.tau_0, 1) in deriv.conclusion.args[0].args


# --------------------------------------------------------------------------------------------- eq. (11), I empty


def test_prop_5_5_whp_tail_catches_a_wrong_law() -> None:
    """DeviationTail's closed form against literal draws: the exact Beta(m'/2, (d - m')/2) tail passes; the tail of
    Beta(m'/2, (d - m' + 1)/2) (one dimension off), or 3% more, does not."""
    tail = CR.deviation_tail_formula()
    assert CR.deviation_tail_misses(tail, np.random.default_rng(8), 24000) == (0, 12)
    from scipy.special import betainc

    def wrong(mp, d, x):
        a, b = mp / 2, (d - mp + 1) / 2
        return 1 - (betainc(a, b, min(1, mp / d + x)) - betainc(a, b, max(0, mp / d - x)))
    assert CR.deviation_tail_misses(wrong, np.random.default_rng(8), 24000)[0] > 0
    assert CR.deviation_tail_misses(lambda *a: 1.03 * tail(*a), np.random.default_rng(8), 24000)[0] > 0


def test_prop_5_5_whp_tail_is_not_sympy_s_scipy_printing() -> None:
    """SymPy's "scipy" printer writes 1 - I(a, b, x1, x2) as 1 - betainc(x2) - betainc(x1): the float closed form
    must not use it (at m' = 1, d = 2, x = 0.3 the tail is 0.590, the misprinted one 0)."""
    from scipy import stats
    assert abs(CR.deviation_tail_formula()(1, 2, 0.3) - 2 * stats.beta.sf(0.8, 0.5, 0.5)) < 1e-12


def test_prop_5_5_whp_search_refutes_a_constant_below_the_tail() -> None:
    """The tail reaches C^2 P = 0.34 in the searched domain (m' = 8, d = 82, C = 1): min(1, 0.3/C^2) in place of
    min(1, 2/C^2) is refuted with a certified counterexample.  (1/C^2 is not: C^2 P stays below 2 x 0.33.)"""
    claim = by_id("prop-5.5.whp")
    s = claim.statement
    from paper_checks.statements import random_subspace as SR
    low = dataclasses.replace(s, conclusion=sp.Le(s.conclusion.lhs, sp.Min(1, sp.Rational(3, 10) / SR.C_const**2)))
    f = audit.judge(dataclasses.replace(claim, statement=low, corrections=()), CFG)
    assert f.verdict is Verdict.REFUTED and f.counterexample.certified is Certified.INTERVAL


def test_prop_5_5_whp_chebyshev_step_fails_with_a_smaller_constant() -> None:
    """The chain at the statement's threshold proves Var tau / x^2 <= 2/C^2; with 1/C^2 its last step fails (the ratio
    tends to 2/C^2 as m' and d grow)."""
    from derive import random_subspace as DR
    from derive.core import Status
    from paper_checks.statements import random_subspace as SR
    deriv = SR.chain_prop_5_5_whp()
    assert all(c.status is Status.OK for c in deriv.check())
    C = next(x for x in deriv.result.rhs.free_symbols if x.name == "C")
    threshold = deriv.step("chebyshev").lhs.point[1]
    assert DR.deviation_chebyshev("t", threshold, 2 / C**2).check()[-1].status is Status.OK
    assert DR.deviation_chebyshev("t", threshold, 1 / C**2).check()[-1].status is Status.FAILED


def test_prop_5_5_quantile_equivalents_catch_a_wrong_constant() -> None:
    """derive's equivalents agree with the exact quantile at large d; sqrt(2 log d * 2 Var tau) (a factor sqrt(2)),
    or log d / d for m' fixed, do not."""
    eq = CR._equivalent()
    worst, shrinks = CR.quantile_equivalent_gaps(eq)
    assert worst < 0.03 and shrinks
    assert CR.quantile_equivalent_gaps(lambda m, d, fixed: eq(m, d, fixed) * (1 if fixed else np.sqrt(2)))[0] > 0.3
    assert CR.quantile_equivalent_gaps(lambda m, d, fixed: eq(m, d, fixed) / (2 if fixed else 1))[0] > 0.3


def test_prop_5_5_quantile_slopes_tell_the_two_rates_apart() -> None:
    """Against the Bernstein scale log(Q / b) is flat in log log d (lambda = 0); against the printed term it grows
    with slope 1/2 (lambda = -1/2: Q is not O(sqrt(m' + log d)/d))."""
    from derive import random_subspace as DR
    from paper_checks.statements import random_subspace as SR
    mp, d = sp.symbols("mp d", positive=True)
    flat = CR.quantile_slopes(sp.lambdify((mp, d), DR.bernstein_scale(mp, d), "numpy"))
    grows = CR.quantile_slopes(sp.lambdify((SR.m_p, SR.d), SR.WHP_TERM, "numpy"))
    assert all(abs(x) < 0.1 for x in flat) and all(abs(x - 0.5) < 0.1 for x in grows)


def test_prop_5_5_quantile_statement_sides_are_derived() -> None:
    """The printed term's lambda (1/2) and the Bernstein form's (0) come from SymPy's limits, as does lambda(Q) = 0; a
    rate whose lambda depends on the regime (m'/d: -oo for m' = d^beta, 1 for m' fixed) has no single closed form."""
    from paper_checks.statements import random_subspace as SR
    assert STATEMENTS["prop-5.5.quantile"].conclusion.rhs == sp.Rational(1, 2)
    assert CORRECTIONS["prop-5.5.quantile"][0].conclusion.rhs == 0
    assert definitions.expand(SR.QuantileLogDecay(SR.beta)) == 0
    with pytest.raises(ArithmeticError):
        SR._rate_log_decay(SR.m_p / SR.d)


@pytest.mark.fresh_audit
def test_prop_5_5_quantile_wrong_closed_form_is_not_verified(monkeypatch) -> None:
    """Had derive's equivalent lost its sqrt(log d) (lambda(Q) = 1/2), the statement's search would find nothing, but
    the slope confirmation fails and the claim is not verified."""
    d = definitions.DEFINITIONS["QuantileLogDecay"]
    monkeypatch.setitem(definitions.DEFINITIONS, "QuantileLogDecay",
                        dataclasses.replace(d, closed_form=lambda b: sp.Rational(1, 2) + 0 * b))
    f = audit.judge(by_id("prop-5.5.quantile"), CFG)
    assert f.verdict is not Verdict.VERIFIED and f.verdict is not Verdict.REFUTED, f.evidence


def test_prop_5_5_intrinsic_fails_exactly_where_m_prime_outgrows_sqrt_d() -> None:
    """kappa(E tau - tau_0 - m'/d) = 1 - beta (SymPy's limit of the exact mean) against kappa(O-terms) = 1/2: the
    counterexample has beta > 1/2, and the correction (beta <= 1/2) is searched without failure."""
    from paper_checks.statements import random_subspace as SR
    assert definitions.expand(SR.MeanOffsetDecayExponent(SR.gamma, SR.beta)) == 1 - SR.beta
    assert STATEMENTS["prop-5.5.intrinsic"].conclusion.rhs == sp.Rational(1, 2)
    f = _finding("prop-5.5.intrinsic")
    assert Fraction(f.counterexample.parameters["beta"]) > Fraction(1, 2)
    assert "corrected statement 1 search" in f.evidence_text and "no failure certified" in f.evidence_text


@pytest.mark.fresh_audit
def test_prop_5_5_intrinsic_wrong_closed_form_is_not_refuted(monkeypatch) -> None:
    """Had the mean's offset decayed like d^(-(1 - beta/2)) (the O-terms' order), the slope confirmation would fail
    and the claim would be neither refuted nor verified: the verdict rests on the exact mean, not on a typed rate."""
    d = definitions.DEFINITIONS["MeanOffsetDecayExponent"]
    monkeypatch.setitem(definitions.DEFINITIONS, "MeanOffsetDecayExponent",
                        dataclasses.replace(d, closed_form=lambda g, b: 1 - b / 2))
    f = audit.judge(by_id("prop-5.5.intrinsic"), CFG)
    assert f.verdict is Verdict.UNDECIDED, f.evidence

"""The formal statements of the capability_constraint and tax_rate families: verdicts by the rule, certified
counterexamples re-checked exactly, mutants killed, survivors explained, and checks that can fail."""
from __future__ import annotations

import dataclasses
import inspect

import mpmath
import pytest
import sympy as sp

from paper_checks import audit, definitions, mutation
from paper_checks.checks import capability_constraint as KC
from paper_checks.checks import tax_rate as TC
from paper_checks.finding import AuditConfig, Certified, Failure, Verdict
from paper_checks.registry import by_id
from paper_checks.statement import Statement
from proofs.findings import audited

CFG = AuditConfig()

VERDICTS = {
    "thm-4.3": Verdict.VERIFIED,
    "cor-4.4": Verdict.VERIFIED,
    "cor-4.7": Verdict.VERIFIED,
    "sec-7.1": Verdict.VERIFIED,
    "sec-7.1.equivalence": Verdict.REFUTED,
    "def-3.4": Verdict.VERIFIED,
    "def-3.4.loss": Verdict.REFUTED,
    "cor-4.5": Verdict.VERIFIED,
    "rem-4.6": Verdict.VERIFIED,
    "rem-4.6.additivity": Verdict.VERIFIED,
    "rem-4.6.subadditive": Verdict.REFUTED,
    "pred-1.model": Verdict.REFUTED,
    "pred-1": Verdict.NOT_CHECKABLE,
    "pred-2": Verdict.NOT_CHECKABLE,
    "pred-3": Verdict.NOT_CHECKABLE,
}

# Every mutant is audited by proofs/test_mutants.py.


_finding = audited


def _holds_at(statement: Statement, point: dict[str, str]) -> bool:
    """The statement's conclusion at an exact point, decided by SymPy on the expanded closed forms."""
    env = {v.symbol: sp.Rational(point[v.symbol.name]) for v in statement.variables if v.symbol.name in point}
    rel = statement.conclusion.args[1] if isinstance(statement.conclusion, sp.Implies) else statement.conclusion
    value = definitions.expand(rel).xreplace(env)
    return bool(sp.simplify(value))


@pytest.mark.parametrize("claim_id", list(VERDICTS))
def test_verdict_by_the_rule(claim_id: str) -> None:
    f = _finding(claim_id)
    assert f.verdict is VERDICTS[claim_id]
    assert (by_id(claim_id).statement is None) == (f.verdict is Verdict.NOT_CHECKABLE)


@pytest.mark.parametrize("claim_id", [i for i, v in VERDICTS.items() if v is Verdict.REFUTED])
def test_counterexample_is_certified_on_an_open_set(claim_id: str) -> None:
    f = _finding(claim_id)
    assert f.failure is Failure.OPEN_SET
    assert f.counterexample is not None and f.counterexample.certified in (Certified.INTERVAL, Certified.EXACT)
    statement = by_id(claim_id).statement
    # the point satisfies the hypotheses and the premise, and the conclusion is false there, exactly
    env = {v.symbol: sp.Rational(f.counterexample.parameters[v.symbol.name]) for v in statement.variables}
    for h in statement.hypotheses:
        assert bool(sp.simplify(definitions.expand(h).xreplace(env)))
    if isinstance(statement.conclusion, sp.Implies):
        assert bool(sp.simplify(definitions.expand(statement.conclusion.args[0]).xreplace(env)))
    assert not _holds_at(statement, f.counterexample.parameters)


def test_joint_tax_can_be_below_the_sum_too() -> None:
    """rem-4.6.subadditive/flip_relation (tau > tau_1 + tau_2) is false at the interior point a1 = a2 = 1/3,
    g = 2/3 (tau = 2/15 < 2/9, Gram determinant > 0), and the audit refutes it there on an open set (its most
    negative margins sit on the realisability boundary, where no box fits: the search must go past them)."""
    claim = by_id("rem-4.6.subadditive")
    m = next(m for m in mutation.mutants(claim) if m.operator is mutation.Operator.FLIP_RELATION)
    point = {"a1": "1/3", "a2": "1/3", "g": "2/3"}
    env = {sp.Symbol(k, real=True): sp.Rational(v) for k, v in point.items()}
    assert sp.simplify(claim.statement.hypotheses[0].lhs.xreplace(env)) > 0
    assert not _holds_at(m.statement, point)
    assert mutation.killed(mutation.kill(claim, m, CFG, audit.judge))


def test_thm_4_3_counterexample_of_the_broken_formula() -> None:
    """Eq. (4) with its residual term x 1.01 is refuted with a certified counterexample of that formula."""
    claim = by_id("thm-4.3")
    rel = claim.statement.conclusion
    from paper_checks.statements import capability_constraint as K
    residual = next(t for t in rel.rhs.args if t.has(K.PerpLength))
    broken = dataclasses.replace(claim.statement, conclusion=sp.Eq(rel.lhs, rel.rhs + residual / 100))
    f = audit.judge(dataclasses.replace(claim, statement=broken), CFG)
    assert f.verdict is Verdict.REFUTED and not _holds_at(broken, f.counterexample.parameters)


# ---------------------------------------------------------------------------------------------
# The checks: evidence of the definitions only, and able to fail


_CHECKS = {"thm-4.3": KC.check_thm_4_3, "cor-4.4": KC.check_cor_4_4, "cor-4.7": KC.check_cor_4_7,
           "sec-7.1": KC.check_sec_7_1, "sec-7.1.equivalence": KC.check_sec_7_1_equivalence,
           "def-3.4": TC.check_def_3_4, "def-3.4.loss": TC.check_def_3_4_loss, "cor-4.5": TC.check_cor_4_5,
           "rem-4.6": TC.check_rem_4_6, "rem-4.6.additivity": TC.check_rem_4_6_additivity,
           "rem-4.6.subadditive": TC.check_rem_4_6_additivity,
           "pred-1.model": TC.check_pred_1_model}


@pytest.mark.parametrize("claim_id", list(_CHECKS))
def test_check_sets_no_verdict(claim_id: str) -> None:
    """A check gathers evidence; it never sets a counterexample, conditions or a correction."""
    assert by_id(claim_id).check is _CHECKS[claim_id]
    ev = _CHECKS[claim_id](CFG)
    assert ev.counterexample is None and ev.conditions is None and ev.correction is None
    assert ev.numeric and all(ok for _, ok in ev.numeric)


@pytest.mark.parametrize("module", [KC, TC], ids=["capability_constraint", "tax_rate"])
def test_checks_build_nothing_from_constants(module) -> None:
    source = inspect.getsource(module)
    for banned in ("Counterexample(", "correction_verified", "ev.counterexample", "ev.conditions", "ev.correction",
                   "Fraction("):
        assert banned not in source, banned


def _broken(name: str, symbols: tuple[sp.Symbol, ...], how) -> callable:
    expr = how(definitions.DEFINITIONS[name].closed_form(*symbols))
    return sp.lambdify(symbols, expr, modules="mpmath")


def test_socp_confirmation_fails_on_a_broken_closed_form() -> None:
    from paper_checks.finding import Evidence
    from paper_checks.statements import capability_constraint as K
    syms = (K.s, K.r, K.tau, K.B)
    assert KC.confirm_max_safety(Evidence(), CFG, "thm-4.3", 3, zero_target=False)
    # the budget 1 -> 1.001 B, and the overlap's sign flipped
    assert not KC.confirm_max_safety(Evidence(), CFG, "thm-4.3", 3, zero_target=False,
                                     closed=_broken("MaxSafetyAtTarget", syms,
                                                    lambda e: e.xreplace({K.B: K.B * sp.Rational(1001, 1000)})))
    assert not KC.confirm_max_safety(Evidence(), CFG, "thm-4.3", 3, zero_target=False,
                                     closed=_broken("MaxSafetyAtTarget", syms, lambda e: e.xreplace({K.s: -K.s})))


def test_null_space_confirmation_fails_on_a_broken_closed_form() -> None:
    from paper_checks.finding import Evidence
    assert KC.confirm_null_space(Evidence(), CFG, "x", 3)
    assert not KC.confirm_null_space(Evidence(), CFG, "x", 3, closed=lambda tau, B: B * tau / 1000)


def test_tax_rate_confirmations_fail_on_broken_closed_forms() -> None:
    from paper_checks.finding import Evidence
    from paper_checks.statements import tax_rate as T
    two = (T.a1, T.a2, T.g)
    assert TC.confirm_tax_rate_two(Evidence(), CFG, "x", 3)
    # the overlap term's sign: tau = (a1^2 + a2^2 + 2 g a1 a2)/(1 - g^2) instead
    assert not TC.confirm_tax_rate_two(Evidence(), CFG, "x", 3,
                                       closed=_broken("TaxRate2", two, lambda e: e.xreplace({T.a1: -T.a1})))
    assert TC.confirm_tax_rate_one(Evidence(), CFG, "x", 3)
    assert not TC.confirm_tax_rate_one(Evidence(), CFG, "x", 3, closed=lambda a: a**2 * (1 + mpmath.mpf(10)**-6))
    assert TC.confirm_safety_gain(Evidence(), CFG, "x", 3)
    assert not TC.confirm_safety_gain(Evidence(), CFG, "x", 3, closed=lambda a, x, y: a * x - mpmath.sqrt(1 - a**2) * y)
    assert TC.confirm_capability_change(Evidence(), CFG, "x", 3)
    assert not TC.confirm_capability_change(Evidence(), CFG, "x", 3, closed=lambda a, B: -B * a)


@pytest.mark.parametrize("claim_id,parent,verdict", [("thm-4.3.maximiser", "thm-4.3", Verdict.CONDITIONAL),
                                                     ("cor-4.7.subsidy", "cor-4.7", Verdict.VERIFIED),
                                                     ("cor-4.4.small-tau", "cor-4.4", Verdict.VERIFIED),
                                                     ("pred-1.ordering", "pred-1.model", Verdict.REFUTED)])
def test_proposed_sub_claims(claim_id: str, parent: str, verdict: Verdict) -> None:
    """The formal readings proposed as new sub-claims (no registry row yet), judged with their parent's routes."""
    from paper_checks.statements import capability_constraint as K
    from paper_checks.statements import tax_rate as T
    statement = {**K.PROPOSED, **T.PROPOSED}[claim_id]
    assert by_id(claim_id).statement is statement      # registered
    corrections = K.PROPOSED_CORRECTIONS.get(claim_id, ())
    f = audit.judge(dataclasses.replace(by_id(parent), id=claim_id, statement=statement, corrections=corrections), CFG)
    assert f.verdict is verdict
    if verdict is Verdict.CONDITIONAL:
        # the failure is the boundary tau = 1 only, certified exactly, and the correction excludes it
        assert f.failure is Failure.MEASURE_ZERO and f.counterexample.parameters["tau"] == 1
        assert f.counterexample.certified is Certified.EXACT and f.conditions
    if verdict is Verdict.REFUTED:
        assert f.failure is Failure.OPEN_SET and not _holds_at(statement, f.counterexample.parameters)


@pytest.mark.parametrize("claim_id", [i for i, v in VERDICTS.items() if v is Verdict.REFUTED])
def test_correction_of_a_refuted_claim_holds(claim_id: str) -> None:
    """Each refuted claim carries a corrected statement, and the search finds no failure of it."""
    from paper_checks import margin
    claim = by_id(claim_id)
    assert claim.corrections and _finding(claim_id).correction
    for i, corr in enumerate(claim.corrections):
        res = margin.search(corr, definitions.expand, CFG.seed, f"{claim_id}/correction/{i}", CFG.search_samples)
        assert res.points > 100 and res.failure is None

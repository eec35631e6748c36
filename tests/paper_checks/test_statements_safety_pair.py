"""The safety_pair and conflict families as formal statements: verdicts by the rule, certified counterexamples,
verified corrections, mutants, and checks that can fail."""
from __future__ import annotations

import dataclasses
import inspect
from fractions import Fraction

import pytest
import sympy as sp

from paper_checks import audit, definitions, margin, mutation
from paper_checks.margin import certify
from paper_checks.checks import conflict as CC
from paper_checks.checks import safety_pair as CS
from paper_checks.finding import AuditConfig, Certified, Failure, Verdict
from paper_checks.registry import by_id
from proofs.findings import audited

CFG = AuditConfig()

VERDICTS = {
    "thm-6.1": Verdict.VERIFIED, "rem-6.2": Verdict.VERIFIED, "cor-6.3": Verdict.VERIFIED,
    "prop-6.5": Verdict.VERIFIED, "cor-6.6": Verdict.REFUTED, "thm-6.4.i": Verdict.REFUTED,
    "thm-6.4.ii": Verdict.VERIFIED, "thm-6.4.iii": Verdict.VERIFIED, "thm-6.4.reading": Verdict.REFUTED,
    "pred-4": Verdict.NOT_CHECKABLE,
}
REFUTED = [k for k, v in VERDICTS.items() if v is Verdict.REFUTED]
RELATIONAL = [k for k in VERDICTS if k != "pred-4"]

# Mutants that are true statements, so no audit can refute them (each is checked not to be refuted below): for
# a refuted claim the flipped relation is the corrected statement (cor-6.6's up to the measure-zero equality set
# tau_1 = tau_2 or theta in {0, pi}; the reading's everywhere); Thm 6.4 (iii)'s printed tolerance 0.0005 is five
# times the gap |C(c) - 0.995| = 0.00011, so shrinking it by 10^-3 keeps it true.
TRUE_MUTANTS = {
    ("cor-6.6", "flip_relation"): "max-min > eq. (17)'s bound: the corrected statement, strict",
    ("thm-6.4.reading", "flip_relation"): "unconstrained max-min >= constrained: the corrected statement",
    ("thm-6.4.iii", "scale"): "|C(c) - 0.995| < 0.0004995 still holds (the printed rounding tolerance is loose)",
}


_judged = audited


@pytest.mark.parametrize("claim_id", list(VERDICTS))
def test_verdict_by_the_rule(claim_id: str) -> None:
    claim = by_id(claim_id)
    assert (claim.statement is None) == (claim_id == "pred-4")       # every claim but a prediction has a statement
    assert _judged(claim_id).verdict is VERDICTS[claim_id]



@pytest.mark.parametrize("claim_id", REFUTED)
def test_counterexample_is_certified_on_an_open_set(claim_id: str) -> None:
    f = _judged(claim_id)
    assert f.failure is Failure.OPEN_SET and f.counterexample.certified is Certified.INTERVAL
    s = by_id(claim_id).statement
    m = margin.compile_margin(s, definitions.expand)
    point = {sym: Fraction(f.counterexample.parameters[str(sym)]) for sym in m.symbols}
    # the point satisfies the stated domain and hypotheses, and the margin's ball there lies below 0
    assert certify.certify_point(s, m, point) is not None
    assert certify.certify_box(s, m, point, [certify.RAY_TESTS]) is not None


@pytest.mark.parametrize("claim_id", ["thm-6.4.i", "thm-6.4.reading", "cor-6.6"])
def test_corrected_statement_is_searched_without_failure(claim_id: str) -> None:
    for i, corr in enumerate(by_id(claim_id).corrections):
        assert margin.search(corr, definitions.expand, 0, f"{claim_id}/correction/{i}").failure is None


def test_thm_6_4_i_fails_only_for_negative_rho() -> None:
    """The exact condition: for ab < 0, C(c) > rho iff rho (1 - D) > ab; at rho = -9/10, a = 1/2, b = -1/10 it fails."""
    s = by_id("thm-6.4.i").statement
    m = margin.compile_margin(s, definitions.expand)
    bad = dict(zip(m.symbols, (Fraction(-9, 10), Fraction(1, 2), Fraction(-1, 10)), strict=False))
    assert certify.certify_point(s, m, bad) is not None
    good = by_id("thm-6.4.i").corrections[0]
    mg = margin.compile_margin(good, definitions.expand)
    assert certify.certify_point(good, mg, dict(zip(mg.symbols, (Fraction(1, 10), Fraction(1, 2),
                                                                   Fraction(-1, 10)), strict=False))) is None


def _mutant(claim_id: str, op: str) -> mutation.Mutant:
    return next(m for m in mutation.mutants(by_id(claim_id)) if m.operator.name.lower() == op)


@pytest.mark.parametrize("claim_id,op", list(TRUE_MUTANTS), ids=[f"{c}/{o}" for c, o in TRUE_MUTANTS])
def test_true_mutants_are_not_refuted(claim_id: str, op: str) -> None:
    """The survivors of proofs/test_mutants.py in these families are true statements (up to a measure-zero set
    where a strict mutant meets equality): the audit must not refute them, and any failure it certifies is a
    boundary point (margin exactly 0)."""
    f = mutation.kill(by_id(claim_id), _mutant(claim_id, op), CFG, audit.judge)
    assert f.verdict is not Verdict.REFUTED
    assert f.counterexample is None or f.counterexample.certified is Certified.EXACT


def test_a_broken_eq_12_is_refuted_with_its_own_counterexample() -> None:
    """The issue's example: 0.9 ab in eq. (12) (Thm 6.1) comes out refuted at a certified point of the broken claim."""
    claim = by_id("thm-6.1")
    rho, a, b, s2 = (v.symbol for v in claim.statement.variables)
    broken = claim.statement.conclusion.rhs.subs(a * b, sp.Rational(9, 10) * a * b)
    f = audit.judge(dataclasses.replace(claim, statement=dataclasses.replace(
        claim.statement, conclusion=sp.Eq(claim.statement.conclusion.lhs, broken))), CFG)
    assert f.verdict is Verdict.REFUTED and f.counterexample is not None


@pytest.mark.parametrize("claim_id", list(VERDICTS))
def test_no_check_builds_a_verdict(claim_id: str) -> None:
    ev = by_id(claim_id).check(CFG)
    assert ev.counterexample is None and ev.conditions is None and ev.correction is None


@pytest.mark.parametrize("module", [CS, CC], ids=["safety_pair", "conflict"])
def test_checks_have_no_constants_verdicts_or_printed_formulas(module) -> None:
    src = inspect.getsource(module)
    for banned in ("Counterexample(", "correction_verified", ".conditions =", ".correction =", "cos(theta / 2)",
                   "rho - a * b", "sqrt((1 - a"):
        assert banned not in src


BREAKS = [
    ("thm-6.1", "ProjectedCos"), ("thm-6.1", "MaxNormalisedPairGain"), ("rem-6.2", "PartialCorrelation"),
    ("cor-6.3", "MaxEqualGain"), ("prop-6.5", "ProjectedCosTwo"), ("prop-6.5", "MaxNormalisedPairGainTwo"),
    ("cor-6.6", "MaxMinPairGain"), ("thm-6.4.i", "ProjectedCos"), ("thm-6.4.ii", "ProjectedCos"),
    ("thm-6.4.iii", "ProjectedCos"), ("thm-6.4.reading", "MaxMinPairGain"), ("thm-6.4.reading", "MaxMinFreeGain"),
]


@pytest.mark.parametrize("claim_id,name", BREAKS, ids=[f"{c}/{n}" for c, n in BREAKS])
def test_each_confirmation_can_fail(claim_id: str, name: str, monkeypatch) -> None:
    """Shift one derived closed form by 10^-6: the check comparing it with its definition must fail."""
    definitions.expand(sp.Integer(0))
    d = definitions.DEFINITIONS[name]
    broken = dataclasses.replace(d, closed_form=lambda *args: d.closed_form(*args) + sp.Rational(1, 10**6))
    monkeypatch.setitem(definitions.DEFINITIONS, name, broken)
    CS.closed_form.cache_clear()
    try:
        ev = by_id(claim_id).check(CFG)
    finally:
        CS.closed_form.cache_clear()
    assert ev.numeric and not all(ok for _, ok in ev.numeric)


def _decreasing():
    """cor-6.3.decreasing, judged through Cor 6.3's routes until the registry carries its row."""
    from paper_checks.statements import STATEMENTS
    return dataclasses.replace(by_id("cor-6.3"), id="cor-6.3.decreasing", statement=STATEMENTS["cor-6.3.decreasing"],
                               corrections=())


def test_cor_6_3_decreasing_is_verified() -> None:
    assert audit.judge(_decreasing(), CFG).verdict is Verdict.VERIFIED


@pytest.mark.parametrize("op", ["scale", "shift", "flip_relation", "flip_sign", "exponent"])
def test_cor_6_3_decreasing_mutants(op: str) -> None:
    claim = _decreasing()
    mutant = next(m for m in mutation.mutants(claim) if m.operator.name.lower() == op)
    f = mutation.kill(claim, mutant, CFG, audit.judge)
    assert mutation.killed(f)

"""The frontier and whitening families as formal statements: verdicts and scopes from the rule, certified
counterexamples, verified corrections, and checks that can fail."""
from __future__ import annotations

import dataclasses
import inspect

import pytest
import sympy as sp

from paper_checks import definitions, margin
from paper_checks.checks import frontier as CF
from paper_checks.checks import whitening as CW
from paper_checks.definitions import DEFINITIONS
from paper_checks.finding import AuditConfig, Certified, Evidence, Failure, Scope, Verdict
from paper_checks.registry import by_id
from paper_checks.statement import Statement
from paper_checks.statements import frontier as SF
from paper_checks.statements import whitening as SW
from proofs.findings import audited

CFG = AuditConfig()

def finding(claim_id: str):
    """The audit of one claim, once per test run (the verdict and the counterexample tests share it)."""
    return audited(claim_id)


# verdict and failure set of every claim of the two families, as the rule computes them
EXPECTED = {
    "thm-4.1": (Verdict.VERIFIED, None),
    "thm-4.1.tight": (Verdict.CONDITIONAL, Failure.MEASURE_ZERO),
    "thm-4.1.pareto": (Verdict.REFUTED, Failure.OPEN_SET),
    "ellipse": (Verdict.CONDITIONAL, Failure.MEASURE_ZERO),
    "ellipse.conic": (Verdict.VERIFIED, None),
    "ellipse.sphere": (Verdict.REFUTED, Failure.OPEN_SET),
    "rem-4.2": (Verdict.VERIFIED, None),
    "rem-4.2.orthogonal": (Verdict.VERIFIED, None),
    "rem-4.2.quarter": (Verdict.VERIFIED, None),
    "rem-4.2.continuity": (Verdict.VERIFIED, None),
    "sec-7.3": (Verdict.CONDITIONAL, Failure.MEASURE_ZERO),
    "def-3.3": (Verdict.VERIFIED, None),
    "sec-4.4": (Verdict.REFUTED, Failure.OPEN_SET),
    "sec-1.orthogonal.independent": (Verdict.VERIFIED, None),
}
IDS = list(EXPECTED)
# A verified claim is proved for every parameter only where a derivation's chain ends in its own conclusion.
# def-3.3: the chain is exact for K = 3 outcomes, an instance of the K the definition speaks of (a general K needs
# linearity of a finite sum over a symbolic number of terms, which the checker has no rule for).
# rem-4.2.continuity: the modulus B |alpha - alpha'| needs |cos a - cos b| <= |a - b|, not an algebraic fact.
# thm-4.1, ellipse.conic and rem-4.2: proved from MaxSafetyGain's definition (Rule.OPTIMUM, alpha in [0, pi]).
SCOPE = {"thm-4.1": Scope.ALL_PARAMETERS, "ellipse.conic": Scope.ALL_PARAMETERS, "rem-4.2": Scope.ALL_PARAMETERS,
         "rem-4.2.orthogonal": Scope.ALL_PARAMETERS, "rem-4.2.continuity": Scope.SAMPLED, "def-3.3": Scope.SAMPLED,
         # its derivation is rem-4.2.orthogonal's chain, which ends in that claim's conclusion, not in this one
         "sec-1.orthogonal.independent": Scope.SAMPLED}
ALL_STATEMENTS = {**SF.STATEMENTS, **SW.STATEMENTS}
ALL_CORRECTIONS = {**SF.CORRECTIONS, **SW.CORRECTIONS}


def test_every_claim_of_the_families_has_a_statement() -> None:
    assert set(ALL_STATEMENTS) == set(EXPECTED)
    for cid in ("thm-4.1", "thm-4.1.pareto", "ellipse", "ellipse.sphere", "rem-4.2", "sec-7.3", "def-3.3", "sec-4.4"):
        assert by_id(cid).statement is ALL_STATEMENTS[cid]


@pytest.mark.parametrize("claim_id", IDS)
def test_verdict(claim_id: str) -> None:
    f = finding(claim_id)
    assert (f.verdict, f.failure) == EXPECTED[claim_id], f.evidence


@pytest.mark.parametrize("claim_id", sorted(SCOPE))
def test_scope(claim_id: str) -> None:
    assert finding(claim_id).scope is SCOPE[claim_id]


@pytest.mark.parametrize("claim_id", [i for i in IDS if EXPECTED[i][1] is not None])
def test_counterexample_is_certified(claim_id: str) -> None:
    f = finding(claim_id)
    assert f.counterexample is not None
    assert f.counterexample.certified in (Certified.INTERVAL, Certified.EXACT)
    # it satisfies the statement's hypotheses and fails the conclusion, re-checked exactly by SymPy
    s = by_id(claim_id).statement
    point = {sp.Symbol(k): sp.sympify(v) for k, v in f.counterexample.parameters.items()}
    m = margin.compile_margin(s, definitions.expand)
    env = {sym: point[sp.Symbol(sym.name)] for sym in m.symbols}
    assert all(bool(sp.simplify(c.xreplace(env))) for c in m.conditions)
    value = sp.nsimplify(sp.simplify(m.expr.xreplace(env)))
    assert value < 0 or (m.strict and value == 0)


@pytest.mark.parametrize("claim_id", sorted(ALL_CORRECTIONS))
def test_correction_is_searched_without_failure(claim_id: str) -> None:
    for i, corr in enumerate(ALL_CORRECTIONS[claim_id]):
        res = margin.search(corr, definitions.expand, CFG.seed, f"{claim_id}/correction/{i}")
        assert res.points > 100 and res.failure is None, res.describe()


# Mutants of these statements are scored with every other claim's in proofs/test_mutants.py.


# ------------------------------------------------------------------------------------------------------------
# The checks: no verdict from constants, and every confirmation they keep fails when what it checks is broken

CHECKS = {"thm-4.1": CF.check_thm_4_1, "thm-4.1.tight": CF.check_thm_4_1_tight, "thm-4.1.pareto": CF.check_pareto,
          "ellipse": CF.check_ellipse, "ellipse.conic": CF.check_ellipse_conic,
          "ellipse.sphere": CF.check_sphere_section, "rem-4.2": CF.check_rem_4_2,
          "rem-4.2.orthogonal": CF.check_rem_4_2_orthogonal, "rem-4.2.quarter": CF.check_rem_4_2_quarter,
          "rem-4.2.continuity": CF.check_rem_4_2_continuity, "sec-7.3": CF.check_sec_7_3,
          "def-3.3": CW.check_def_3_3, "sec-4.4": CW.check_sec_4_4}


@pytest.mark.parametrize("module", [CF, CW], ids=["frontier", "whitening"])
def test_checks_build_no_verdict(module) -> None:
    source = inspect.getsource(module)
    for word in ("Counterexample(", "correction_verified", ".conditions =", ".correction =", ".counterexample ="):
        assert word not in source


@pytest.mark.parametrize("claim_id", list(CHECKS))
def test_check_passes_and_sets_no_verdict(claim_id: str) -> None:
    ev = CHECKS[claim_id](CFG)
    assert isinstance(ev, Evidence) and ev.numeric and all(ok for _, ok in ev.numeric)
    assert ev.counterexample is None and ev.conditions is None and ev.correction is None


def _broken(monkeypatch, name: str, factor: float = 1 + 1e-3) -> None:
    """Break the registered closed form of ``name`` by a factor: the checks read it at call time."""
    d = DEFINITIONS[name]
    orig = d.closed_form
    monkeypatch.setitem(DEFINITIONS, name, dataclasses.replace(d, closed_form=lambda *a: orig(*a) * factor))


@pytest.mark.parametrize(("claim_id", "name"), [
    ("thm-4.1", "MaxSafetyGain"), ("thm-4.1.tight", "LargestMaximiserNorm"), ("ellipse.sphere", "SemiAxisAlongSum"),
    ("ellipse.sphere", "SemiAxisAlongDifference"), ("rem-4.2", "MaxSafetyGain"),
    ("rem-4.2.orthogonal", "MaxSafetyGain"),
    ("rem-4.2.quarter", "FrontierSweep"), ("sec-4.4", "MaxSafetyGainEllipsoid"), ("thm-4.1.pareto", "ParetoLowerEnd"),
    ("rem-4.2.quarter", "ParetoLowerEnd"), ("ellipse", "ParetoLowerEnd"), ("sec-7.3", "ParetoLowerEnd")])
def test_check_fails_when_the_closed_form_is_broken(monkeypatch, claim_id: str, name: str) -> None:
    _broken(monkeypatch, name)
    ev = CHECKS[claim_id](CFG)
    assert not all(ok for _, ok in ev.numeric)


def test_conic_check_fails_when_the_conic_is_wrong(monkeypatch) -> None:
    """ellipse.conic (and ellipse): a coefficient of the conic changed by 10^-3 is caught on the SOCP optima."""
    s = SF.STATEMENTS["ellipse.conic"]
    rel = s.conclusion
    wrong = Statement(s.variables, s.hypotheses, sp.Eq(rel.lhs, rel.rhs * sp.Rational(1001, 1000)))
    monkeypatch.setitem(SF.STATEMENTS, "ellipse.conic", wrong)
    assert not all(ok for _, ok in CF.check_ellipse_conic(CFG).numeric)
    assert not all(ok for _, ok in CF.check_ellipse(CFG).numeric)


def test_def_3_3_check_fails_when_the_coefficient_is_wrong(monkeypatch) -> None:
    """def-3.3: the check reads the coefficient 1/2 from the statement; 1/2 (1 + 10^-3) is caught."""
    s = SW.STATEMENTS["def-3.3"]
    rel = s.conclusion
    wrong = Statement(s.variables, s.hypotheses, sp.Eq(rel.lhs, rel.rhs * sp.Rational(1001, 1000)))
    monkeypatch.setitem(SW.STATEMENTS, "def-3.3", wrong)
    assert not all(ok for _, ok in CW.check_def_3_3(CFG).numeric)


def test_continuity_check_fails_with_a_smaller_modulus(monkeypatch) -> None:
    """rem-4.2.continuity: the check reads the modulus B |alpha - alpha'| from the statement; B/4 is caught."""
    s = SF.STATEMENTS["rem-4.2.continuity"]
    wrong = Statement(s.variables, s.hypotheses, sp.Le(s.conclusion.lhs, s.conclusion.rhs / 4))
    monkeypatch.setitem(SF.STATEMENTS, "rem-4.2.continuity", wrong)
    assert not all(ok for _, ok in CF.check_rem_4_2_continuity(CFG).numeric)


def test_sec_7_3_check_fails_when_the_pareto_end_is_wrong(monkeypatch) -> None:
    """sec-7.3: the statement names ParetoLowerEnd; a closed form of it halved is caught on the SOCP's efficient
    points (the maximiser of Delta_S alone sits at the efficient arc's end)."""
    _broken(monkeypatch, "ParetoLowerEnd", 0.5)
    assert not all(ok for _, ok in CF.check_sec_7_3(CFG).numeric)

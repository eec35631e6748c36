"""The verdict rule for quantifiers as printed: existential statements, rates in d, statements in probability."""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive.core import Derivation, Op, Step
from paper_checks import audit
from paper_checks.finding import AuditConfig, Evidence, Failure, Kind, Scope, Verdict
from paper_checks.margin import Failure as Found
from paper_checks.margin import SearchResult
from paper_checks.registry import by_id
from paper_checks.rule import probability_rule, rate_rule, rule
from paper_checks.statement import InProbability, Order, Quantifier, Rate, Statement, Variable, negation

x = sp.Symbol("x", real=True)
X = Variable(x, sp.Interval(0, 1))
# "x^2 can be below x": true (x = 1/2); "x^2 can exceed 1": false on [0, 1].
CAN = Statement((X,), (), sp.Lt(x**2, x), quantifier=Quantifier.EXISTENTIAL)
CANNOT = Statement((X,), (), sp.Gt(x**2, 1), quantifier=Quantifier.EXISTENTIAL)

_NONE = SearchResult(100, 0.0, None)
_WITNESS = SearchResult(100, -0.25, Found({"x": "1/2"}, ("1/2", "1/4"), "-1/4", "1e-3"))


def _proof_of(statement: Statement) -> Derivation:
    """x^2 <= 1 on [0, 1], as a chain: 1 - x^2 = (1 - x)(1 + x), a product of nonnegatives."""
    step = Step("bound", x**2, sp.Integer(1), "x^2 <= 1 for 0 <= x <= 1", witness=(1 - x) * (1 + x),
                op=Op.LE)
    d = Derivation("toy", "toy", ("0 <= x <= 1",), (), step, domain=(sp.Le(0, x), sp.Le(x, 1)))
    object.__setattr__(d, "conclusion", negation(statement).conclusion)
    return d


def test_negation_of_an_existential_is_universal_and_flips_strictness() -> None:
    n = negation(CAN)
    assert n.quantifier is Quantifier.UNIVERSAL and n.conclusion == sp.Ge(x**2, x)
    with pytest.raises(ValueError, match="quantifier"):
        negation(n)
    with pytest.raises(TypeError, match="inequality"):
        negation(dataclasses.replace(CAN, conclusion=sp.Eq(x**2, x)))
    assert CAN.latex().startswith(r"\exists")


def test_existential_is_verified_by_a_certified_witness() -> None:
    r = rule(CAN, Evidence(search=_WITNESS))
    assert (r.verdict, r.scope) == (Verdict.VERIFIED, Scope.ALL_PARAMETERS) and "x = 1/2" in r.reason
    # A witness certified on closed forms that the claim's checks contradict settles nothing.
    assert rule(CAN, Evidence(search=_WITNESS, checks_passed=False)).verdict is Verdict.UNDECIDED


def test_existential_without_witness_is_undecided_not_refuted() -> None:
    assert rule(CANNOT, Evidence(search=_NONE)).verdict is Verdict.UNDECIDED


def test_existential_is_refuted_only_by_a_proof_of_the_universal_negation() -> None:
    ev = Evidence(search=_NONE)
    ev.derive(_proof_of(CANNOT))
    r = rule(CANNOT, ev)
    assert (r.verdict, r.failure) == (Verdict.REFUTED, Failure.OPEN_SET)
    # A derivation of something else is no proof of the negation.
    ev = Evidence(search=_NONE)
    other = _proof_of(CANNOT)
    object.__setattr__(other, "conclusion", sp.Le(x**2, 2))
    ev.derive(other)
    assert rule(CANNOT, ev).verdict is Verdict.UNDECIDED


def test_existential_audit_finds_a_witness_and_no_counterexample() -> None:
    claim = dataclasses.replace(by_id("rem-4.6.additivity"))
    f = audit.judge(claim, AuditConfig(samples=4, search_samples=400))
    assert (f.verdict, f.scope, f.counterexample) == (Verdict.VERIFIED, Scope.ALL_PARAMETERS, None)
    assert "certified witness" in f.evidence_text
    # The same words read as a universal statement fail: tau can also exceed the sum.
    universal = dataclasses.replace(claim, statement=dataclasses.replace(claim.statement,
                                                                         quantifier=Quantifier.UNIVERSAL))
    assert audit.judge(universal, AuditConfig(samples=4, search_samples=400)).verdict is Verdict.REFUTED


def test_rem_4_6_literal_words_and_what_they_suggest_are_two_claims() -> None:
    literal, implied = by_id("rem-4.6.additivity"), by_id("rem-4.6.subadditive")
    assert literal.statement.quantifier is Quantifier.EXISTENTIAL and literal.reading.startswith("literal")
    assert implied.kind is Kind.IMPLIED and implied.statement.quantifier is Quantifier.UNIVERSAL
    assert implied.reading.startswith("implied") and implied.cause is not None


d = sp.Symbol("d", positive=True)


@pytest.mark.parametrize("quantity,bound,order,verdict", [
    (sp.log(d) / d, 1 / d, Order.BIG_O, Verdict.REFUTED),          # log d / d is not O(1/d)
    ((d + 1) / d**2, 1 / d, Order.BIG_O, Verdict.VERIFIED),
    ((d + 1) / d**2, 1 / d, Order.THETA, Verdict.VERIFIED),
    (1 / d**2, 1 / d, Order.THETA, Verdict.REFUTED),                # no positive lower constant
    (1 / d**2, 1 / d, Order.LITTLE_O, Verdict.VERIFIED),
    (1 / d, 1 / d, Order.LITTLE_O, Verdict.REFUTED),
    (sp.sin(d), sp.Integer(1), Order.LITTLE_O, Verdict.UNDECIDED),   # no limit: the rule does not guess
])
def test_rate_rule(quantity, bound, order, verdict) -> None:
    assert rate_rule(Rate(quantity, bound, order, d)).verdict is verdict


def test_an_o_claim_is_refuted_by_a_certified_unbounded_ratio() -> None:
    r = rate_rule(Rate(sp.log(d) / d, 1 / d, Order.BIG_O, d))
    assert "certified unbounded ratio" in r.reason and "> 1000 at d = 2^" in r.reason
    # With a parameter left symbolic the ratio is not certified at any point: undecided until it is fixed.
    k = sp.Symbol("k", positive=True)
    assert rate_rule(Rate(k * sp.log(d) / d, 1 / d, Order.BIG_O, d)).verdict is Verdict.UNDECIDED


p = sp.Symbol("p")
# |X_d - centre| with quantile sqrt(-log(1 - p)) / sqrt(d): an exponential tail at scale 1/sqrt(d).
QUANTILE = sp.sqrt(-sp.log(1 - p)) / sp.sqrt(d)


def test_in_probability_holds_for_every_level_at_its_scale() -> None:
    r = probability_rule(InProbability(QUANTILE, p, 1 / sp.sqrt(d), Order.BIG_O, d))
    assert r.verdict is Verdict.VERIFIED and r.reason.startswith("for every level")
    # A smaller scale fails at every level; one certified level refutes it.
    r = probability_rule(InProbability(QUANTILE, p, 1 / d, Order.BIG_O, d))
    assert r.verdict is Verdict.REFUTED and r.reason.startswith("at level p = ")


def test_at_a_stated_confidence_the_quantile_at_that_confidence_is_judged() -> None:
    # At confidence 1 - 1/d the deviation is sqrt(log d / d): 1/sqrt(d) is too small, sqrt(log d / d) is right.
    assert probability_rule(InProbability(QUANTILE, p, 1 / sp.sqrt(d), Order.BIG_O, d,
                                          confidence=1 - 1 / d)).verdict is Verdict.REFUTED
    assert probability_rule(InProbability(QUANTILE, p, sp.sqrt(sp.log(d) / d), Order.BIG_O, d,
                                          confidence=1 - 1 / d)).verdict is Verdict.VERIFIED

"""Chains that end in a statement's own conclusion: they prove the registry's statement (scope all-parameters),
they start from the registered definitions and nothing else, and they fail when the statement or the
definition is broken."""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive import closed_form as DC
from derive import tax_rate as DT
from derive.core import Status
from paper_checks import chains, definitions
from paper_checks.registry import by_id
from paper_checks.rule import proves
from paper_checks.statements import random_subspace as SR
from paper_checks.statements import tax_rate as ST

CHAINS = {"def-3.4": ST.chain_def_3_4, "cor-4.5": ST.chain_cor_4_5, "rem-4.6": ST.chain_rem_4_6,
          "sec-7.2": SR.chain_sec_7_2, "prop-6.7": SR.chain_prop_6_7}


@pytest.mark.parametrize("claim_id", list(CHAINS))
def test_chain_proves_the_registry_statement(claim_id: str) -> None:
    claim = by_id(claim_id)
    assert any(getattr(make, "name", None) == CHAINS[claim_id].__name__ for make in claim.derivations)
    deriv = CHAINS[claim_id]()
    checks = deriv.check()
    assert all(c.status is Status.OK for c in checks), [(c.step.name, c.status, c.method) for c in checks]
    # cor-4.5, rem-4.6 and sec-7.2 are their definitions' closed forms (a^2 = a^2 once unfolded, rule._tautology):
    # proved for every parameter when the closed forms are proved from their definitions (TaxRate1's and TaxRate2's
    # are, by the normal equations), not otherwise (sec-7.2's ExpectedOverlap has no such chain).  prop-6.7's chain
    # ends in its statement and uses AngleDecayExponent's closed form, proved from its definition by rule ORDER where
    # beta < 1 and rho^2 < 1, which the statement's domain implies.
    assert proves(deriv, checks, claim.statement) is (claim_id != "sec-7.2")
    # ... and not another statement: a mutant's conclusion is not what the chain ends in
    other = dataclasses.replace(claim.statement, conclusion=sp.Eq(sp.Integer(0), sp.Integer(1), evaluate=False))
    assert not proves(deriv, checks, other)


@pytest.mark.parametrize("claim_id", list(CHAINS))
def test_chain_starts_from_the_registered_definitions_only(claim_id: str) -> None:
    """Every equation of the chain's domain that names a defined quantity is its registered closed form (either way
    round): a chain cannot bring in a definition of its own."""
    deriv = CHAINS[claim_id]()
    definitions._load()
    funcs = tuple(d.function for d in definitions.DEFINITIONS.values())
    named = [c for c in deriv.domain if isinstance(c, sp.Equality) and c.has(*funcs)]
    assert named and deriv.chain[0].checked_rule.name in ("SUBSTITUTE", "SIGN")
    for c in named:
        app, closed = (c.lhs, c.rhs) if c.lhs.has(*funcs) else (c.rhs, c.lhs)
        assert closed == definitions.expand(app)


def _statement_inputs(claim_id: str, conclusion: sp.Basic):
    s = by_id(claim_id).statement
    return conclusion, chains.defined(conclusion), chains.domain(s)


def _fails(deriv) -> bool:
    """Some step of ``deriv`` failed.  A step not proved symbolically goes to derive.core's numeric fallback, which
    compiles the domain's facts, the definition ``F(x) = X`` among them; ``F`` has no numeric implementation there,
    so the fallback raises NameError: the chain does not prove its conclusion either way."""
    try:
        return any(c.status is Status.FAILED for c in deriv.check())
    except NameError as exc:
        return "is not defined" in str(exc)


def test_def_3_4_chain_fails_on_a_tighter_range() -> None:
    rel = chains.conclusion(by_id("def-3.4").statement)
    assert _fails(DT.tax_range_chain(*_statement_inputs("def-3.4", sp.Le(rel.lhs, rel.rhs * sp.Rational(999, 1000)))))


def test_rem_4_6_chain_fails_on_a_broken_gram_form() -> None:
    rel = chains.conclusion(by_id("rem-4.6").statement)
    broken = sp.Eq(rel.lhs, rel.rhs * sp.Rational(1001, 1000))
    assert _fails(DC.equation_chain("rem-4.6", "broken", *_statement_inputs("rem-4.6", broken)))


def test_cor_4_5_chain_fails_on_a_broken_definition() -> None:
    rel = chains.conclusion(by_id("cor-4.5").statement)
    (definition,) = chains.defined(rel)
    bad = sp.Eq(definition.lhs, definition.rhs * sp.Rational(1001, 1000), evaluate=False)
    assert _fails(DC.equation_chain("cor-4.5", "broken", rel, (bad,), chains.domain(by_id("cor-4.5").statement)))


def test_sec_7_2_chain_fails_on_a_broken_right_side() -> None:
    rel = chains.conclusion(by_id("sec-7.2").statement)
    broken = sp.Eq(rel.lhs, rel.rhs + sp.Rational(1, 1000))
    assert _fails(DC.equation_chain("sec-7.2", "broken", *_statement_inputs("sec-7.2", broken)))


def test_prop_6_7_chain_fails_on_a_faster_claimed_rate() -> None:
    rel = chains.conclusion(by_id("prop-6.7").statement)
    beta = SR.beta
    faster = sp.Le(1 - beta / 4, rel.rhs)              # claims more decay than the derived 1 - beta/2 gives
    assert _fails(DC.bound_chain("prop-6.7", "broken", *_statement_inputs("prop-6.7", faster)))


def test_conclusion_reads_ge_as_le() -> None:
    s = by_id("prop-6.7").statement
    rel = chains.conclusion(s)
    assert isinstance(rel, sp.LessThan) and rel.lhs == s.conclusion.rhs and rel.rhs == s.conclusion.lhs


def test_domain_lists_each_interval_end() -> None:
    s = by_id("def-3.4").statement
    dom = chains.domain(s)
    g = next(v.symbol for v in s.variables if v.symbol.name == "g")
    assert sp.Gt(g, -1) in dom and sp.Lt(g, 1) in dom and s.hypotheses[0] in dom


def test_a_closed_form_without_a_chain_leaves_its_user_sampled_and_names_it(monkeypatch) -> None:
    """prop-6.5 proves MaxNormalisedPairGainTwo's value by rule OPTIMUM from its problem, and is proved for every
    parameter, as rem-4.6 and prop-6.7 are (TaxRate2's closed form proved from the normal equations,
    AngleDecayExponent's by rule ORDER).  Without its problem the quantity's value is SymPy's closed form, confirmed
    on samples: it is listed unproved, and the statement, which holds once its quantities are unfolded, names it."""
    from proofs.findings import audited
    from paper_checks import closed_forms
    from paper_checks.finding import Scope
    from paper_checks.rule import _unproved_closed_forms
    for claim_id in ("prop-6.5", "rem-4.6", "prop-6.7"):
        finding = audited(claim_id)
        assert finding.scope is Scope.ALL_PARAMETERS, claim_id
        assert "has no chain from its definition" not in finding.evidence_text
    definitions._load()
    bare = dataclasses.replace(definitions.DEFINITIONS["MaxNormalisedPairGainTwo"], problem=None)
    monkeypatch.setitem(definitions.DEFINITIONS, "MaxNormalisedPairGainTwo", bare)
    assert "MaxNormalisedPairGainTwo" in closed_forms.unproved()
    reason = _unproved_closed_forms(by_id("prop-6.5").statement, "expansion")
    assert "no chain proves MaxNormalisedPairGainTwo from its definition" in reason
    assert "the checks confirm them on samples" in reason


def test_prop_6_7_without_the_exponents_proof_is_sampled_and_names_it(monkeypatch) -> None:
    """The same chain and statement, AngleDecayExponent's proof taken away: the one reason left is the closed form."""
    from paper_checks import closed_forms
    definitions._load()
    claim = by_id("prop-6.7")
    deriv = CHAINS["prop-6.7"]()
    checks = deriv.check()
    assert proves(deriv, checks, claim.statement)
    bare = dataclasses.replace(definitions.DEFINITIONS["AngleDecayExponent"], proof=None, decay=None)
    monkeypatch.setitem(definitions.DEFINITIONS, "AngleDecayExponent", bare)
    monkeypatch.setattr(closed_forms, "proof", closed_forms.proof.__wrapped__)   # past its per-process memo
    from paper_checks.rule import shortfall
    assert shortfall(deriv, checks, claim.statement) == \
        "the closed form of AngleDecayExponent has no chain from its definition (the checks confirm it on samples)"

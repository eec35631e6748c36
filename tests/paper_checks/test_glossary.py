"""One meaning per term: every claim whose words name a recurring term is built from the glossary's one reading."""
from __future__ import annotations

import dataclasses
import re

import pytest
import sympy as sp

from paper_checks import glossary
from paper_checks.registry import CLAIMS, by_id
from paper_checks.statement import Statement

_USES = [(t, c) for t in glossary.TERMS for c in CLAIMS if glossary.uses(t, c)]


def test_every_term_is_used_by_more_than_one_claim() -> None:
    # The glossary holds recurring terms; a term one claim uses is that claim's business.
    for t in glossary.TERMS:
        assert sum(1 for term, _ in _USES if term is t) > 1, t.name


@pytest.mark.parametrize("term,claim", _USES, ids=[f"{t.name}:{c.id}" for t, c in _USES])
def test_a_claim_using_a_term_uses_its_one_reading(term, claim) -> None:
    assert glossary.formalised(term, claim) is None, (claim.id, glossary.formalised(term, claim))


@pytest.mark.parametrize("term", glossary.TERMS, ids=[t.name for t in glossary.TERMS])
def test_every_exemption_names_a_claim_whose_words_match(term) -> None:
    # An exemption is for words that name the term without using it: a stale one hides nothing and is removed.
    for claim_id, reason in term.exempt.items():
        assert re.search(term.pattern, by_id(claim_id).printed), claim_id
        assert len(reason) > 40, claim_id


def test_the_graph_reading_of_the_pareto_frontier_is_caught() -> None:
    """rem-4.2.quarter read as the whole graph over |Delta_C| <= B (FrontierSweep from -B) is a second formalisation of
    'Pareto frontier': the check names it."""
    from paper_checks.statements import frontier as SF
    claim = by_id("rem-4.2.quarter")
    graph = Statement(claim.statement.variables, claim.statement.hypotheses,
                      sp.Eq(SF.FrontierSweep(SF.alpha, SF.B, -SF.B), sp.pi / 2))
    other = dataclasses.replace(claim, printed="the Pareto frontier is a quarter circle", statement=graph)
    assert glossary.uses(glossary.PARETO, other)
    assert "does not carry" in glossary.formalised(glossary.PARETO, other)


def test_a_loss_read_as_any_change_is_caught() -> None:
    claim = by_id("def-3.4.loss")
    as_change = dataclasses.replace(claim, statement=claim.corrections[0], corrections=())   # Delta_C != 0
    assert glossary.formalised(glossary.LOSS, claim) is None
    assert glossary.formalised(glossary.LOSS, as_change) is not None


def test_thm_4_1_pareto_and_rem_4_2_quarter_are_judged_under_one_reading() -> None:
    pareto, quarter = by_id("thm-4.1.pareto"), by_id("rem-4.2.quarter")
    assert glossary.formalised(glossary.PARETO, pareto) is None
    assert glossary.formalised(glossary.PARETO, quarter) is None
    assert "ParetoLowerEnd" in str(quarter.statement.conclusion)
    assert any("ParetoLowerEnd" in str(c.hypotheses) for c in pareto.corrections)


def test_claims_under_the_packing_model_assume_all_of_it() -> None:
    """Every statement under the packing model with a coherence takes mu as Def 5.3 defines it and assumes m mu < 1."""
    under = [c for c in CLAIMS if c.statement is not None and any(v.symbol.name == "mu" for v in c.statement.variables)]
    assert under, "no claim under the packing model"
    for c in under:
        assert glossary.PACKING.marks(c.statement), c.id
        mu = next(h for h in c.statement.hypotheses if isinstance(h, sp.Eq) and getattr(h.lhs, "name", "") == "mu")
        # Def 5.3: the maximum over intrinsically unrelated pairs only; the same for every claim under the model.
        assert {type(a) for a in mu.rhs.args} == {sp.Abs}, (c.id, mu)

"""prop-5.5.whp and prop-5.5.quantile: break what their verdicts rest on, and watch them move."""
from __future__ import annotations

import dataclasses
import functools

import pytest
import sympy as sp

import derive.random_subspace as DR
from paper_checks import audit, definitions, registry
from paper_checks.finding import AuditConfig, Verdict


def _clear_quantile_caches() -> None:
    from paper_checks.checks import random_subspace as CR
    DR._quantile_log_decay.cache_clear()
    DR.deviation_quantile.cache_clear()
    CR._quantile_sweep.cache_clear()


@pytest.mark.claim("prop-5.5.quantile")
@pytest.mark.fresh_audit
def test_the_quantile_refutation_moves_when_the_typed_equivalent_is_the_papers_term(monkeypatch) -> None:
    # QuantileLogDecay's closed form is the log-decay of an equivalent typed in derive (moderate deviations, the
    # chi-square tail): typed as the paper's own order sqrt(m' + log d)/d, the refutation must not survive.
    claim = registry.by_id("prop-5.5.quantile")
    assert audit.judge(claim, AuditConfig()).verdict is Verdict.REFUTED
    monkeypatch.setattr(DR, "deviation_quantile_equivalent", lambda m, d, fixed: 2 * sp.sqrt(m + sp.log(d)) / d)
    _clear_quantile_caches()
    # A new entry (the closed form and definitions.expand are memoised per entry).
    entry = definitions.DEFINITIONS["QuantileLogDecay"]
    fresh = functools.lru_cache(maxsize=None)(entry.closed_form.__wrapped__)
    monkeypatch.setitem(definitions.DEFINITIONS, "QuantileLogDecay", dataclasses.replace(entry, closed_form=fresh))
    try:
        assert audit.judge(claim, AuditConfig()).verdict is not Verdict.REFUTED
    finally:
        monkeypatch.undo()
        _clear_quantile_caches()


@pytest.mark.claim("prop-5.5.whp")
@pytest.mark.fresh_audit
def test_a_refutation_resting_on_a_closed_form_its_own_check_contradicts_is_not_certified(monkeypatch) -> None:
    claim = registry.by_id("prop-5.5.whp")
    entry = definitions.DEFINITIONS["DeviationTail"]
    wrong = functools.lru_cache(maxsize=None)(lambda m, d, x: 3 * entry.closed_form(m, d, x))
    monkeypatch.setitem(definitions.DEFINITIONS, "DeviationTail", dataclasses.replace(entry, closed_form=wrong))
    f = audit.judge(claim, AuditConfig())
    # The check's confirmation of DeviationTail against literal draws fails (10 of 12 outside their intervals) ...
    assert any("DeviationTail(m', d, x) inside" in line and "FAILED" in line for line in map(str, f.evidence))
    # ... so a "certified" counterexample of the closed form is no certified counterexample of the claim.
    assert f.verdict is not Verdict.REFUTED

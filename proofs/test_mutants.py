"""The audit's power: every mutant of every formal statement is refuted with a certified counterexample."""
from __future__ import annotations

import pytest
import sympy as sp

from paper_checks import audit, mutation
from paper_checks.finding import AuditConfig
from paper_checks.registry import CLAIMS
from paper_checks.statement import Quantifier
from proofs.families import params

# An existential statement has no mutants (paper_checks.mutation.mutants says why).
_STATED = [c for c in CLAIMS if c.statement is not None and c.statement.quantifier is Quantifier.UNIVERSAL]
# One claim's mutants per family by default; `alignment-tax audit --mutants` (CI) refutes every mutant of every claim.
# The mutants are made in the test, not at collection: each worker collects every test.
_CLAIMS = params([(c,) for c in _STATED], [c.id for c in _STATED], _STATED)


@pytest.mark.parametrize("claim", _STATED, ids=[c.id for c in _STATED])
def test_at_least_five_mutants(claim) -> None:
    assert len(mutation.mutants(claim)) >= 5, [m.operator.name for m in mutation.mutants(claim)]


@pytest.mark.parametrize("claim", _CLAIMS)
def test_every_mutant_is_refuted_with_a_certified_counterexample(claim) -> None:
    survivors = [_survives(claim, mutant) for mutant in mutation.mutants(claim)]
    assert not any(survivors), [s for s in survivors if s]


def _survives(claim, mutant) -> str | None:
    """Why ``mutant`` of ``claim`` is not refuted as it must be; None when it is."""
    f = mutation.kill(claim, mutant, AuditConfig(), audit.judge)
    if not mutation.killed(f):
        # only a mutant SymPy proves true, or the negation of a refuted claim failing off an open set, may survive
        if mutation.excuse(claim, mutant, f, AuditConfig(), audit.judge):
            return None
        return f"{mutant.name}: {mutant.statement.conclusion} survives ({f.verdict.value}; {f.evidence})"
    # the counterexample is the mutant's: it names the mutant's relation, not the claim's
    rel = mutant.statement.conclusion
    rel = rel.args[1] if isinstance(rel, sp.Implies) else rel
    if f.counterexample.claimed != rel:
        return f"{mutant.name}: the counterexample names {f.counterexample.claimed}, not the mutant's {rel}"
    return None

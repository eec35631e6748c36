"""Shared fixtures of the proof checker: every derivation of the registry, checked once per session."""
from __future__ import annotations

import functools

from derive.core import Derivation, StepCheck
from paper_checks.registry import CLAIMS


@functools.lru_cache(maxsize=None)
def checked(claim_id: str) -> tuple[tuple[Derivation, tuple[StepCheck, ...]], ...]:
    claim = next(c for c in CLAIMS if c.id == claim_id)
    return tuple((d, d.check()) for d in (make() for make in claim.derivations))


def step_cases() -> list[tuple[str, str, str]]:
    """(claim id, derivation claim, step name) for every step of every registered derivation."""
    out = []
    for claim in CLAIMS:
        for make in claim.derivations:
            d = make()
            out += [(claim.id, d.claim, s.name) for s in (*d.steps, d.result)]
    return out

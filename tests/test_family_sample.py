"""The default run's sample of an exhaustive test: exactly one claim of every family."""
from __future__ import annotations

from paper_checks.registry import CLAIMS, family_of
from proofs.families import one_per_family


def test_one_claim_of_every_family() -> None:
    chosen = one_per_family(CLAIMS)
    families = {family_of(c.id) for c in CLAIMS}
    assert sorted(family_of(i) for i in chosen) == sorted(families)

"""Every test here gets its own findings cache (paper_checks/cache.py): a test that audits or explains
starts from an empty cache, and nothing is written to the user's ~/.cache."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_findings_cache(tmp_path_factory, monkeypatch) -> None:
    from paper_checks.cache import ENV
    monkeypatch.setenv(ENV, str(tmp_path_factory.mktemp("findings-cache")))


@pytest.fixture
def judged(monkeypatch) -> list[str]:
    """The ids the audit judges during a test (to show what ran, and that a rejected command ran nothing)."""
    from paper_checks import audit
    seen: list[str] = []
    real = audit.judge

    def spy(claim, cfg):
        seen.append(claim.id)
        return real(claim, cfg)

    monkeypatch.setattr(audit, "judge", spy)
    return seen

"""Every test here gets its own findings cache (paper_checks/cache.py): a test that audits or explains
starts from an empty cache, and nothing is written to the user's ~/.cache."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_findings_cache(tmp_path_factory, monkeypatch) -> None:
    from paper_checks.cache import ENV
    monkeypatch.setenv(ENV, str(tmp_path_factory.mktemp("findings-cache")))

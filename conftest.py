"""pytest plugins of the whole suite: claim ids as keywords (``pytest -k cor-6.6``), see proofs/claim_ids.py;
one audit per claim per run, shared by every test and worker, see proofs/findings.py."""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from proofs import claim_ids, findings
from proofs.claim_ids import pytest_collection_modifyitems, pytest_runtest_makereport  # noqa: F401


def pytest_configure(config: pytest.Config) -> None:
    claim_ids.pytest_configure(config)
    # The controller (not an xdist worker) makes the shared directory before any worker starts, so each
    # worker inherits it in its environment.
    if not hasattr(config, "workerinput") and not os.environ.get(findings.ENV):
        config.stash[_SHARED] = os.environ[findings.ENV] = tempfile.mkdtemp(prefix="alignment-tax-findings-")
    if not hasattr(config, "workerinput") and findings.CACHE not in os.environ:
        findings.remember_cache()


def pytest_unconfigure(config: pytest.Config) -> None:
    path = config.stash.get(_SHARED, None)
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.environ.pop(findings.ENV, None)


_SHARED = pytest.StashKey[str]()

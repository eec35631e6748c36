"""pytest plugins of the whole suite: claim ids as keywords (``pytest -k cor-6.6``), see proofs/claim_ids.py."""
from proofs.claim_ids import pytest_collection_modifyitems, pytest_configure, pytest_runtest_makereport  # noqa: F401

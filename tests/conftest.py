"""Fixtures shared by the tests of several folders."""
from __future__ import annotations

import pytest


@pytest.fixture
def fresh_proofs():
    """Every defined quantity registered, and the closed forms' proofs (``paper_checks.closed_forms.proof``, memoised
    per process) judged afresh in the test and forgotten after it, so that a definition a test changes is what the
    proof is judged against, whichever tests ran before in the process."""
    from paper_checks import closed_forms, statements
    for name in statements.FAMILIES:          # a family registers its definitions when it is built
        statements.family(name)
    closed_forms.proof.cache_clear()
    yield
    closed_forms.proof.cache_clear()

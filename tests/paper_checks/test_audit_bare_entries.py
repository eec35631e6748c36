"""The parallel audit: bare registry entries, lost results, stores in workers."""
from __future__ import annotations

import pickle

import pytest

from paper_checks import registry
from paper_checks.audit import judge
from paper_checks.finding import AuditConfig


def _json(f):
    return {k: v for k, v in f.as_json().items() if k != "seconds"}


@pytest.mark.claim("cor-4.5")
def test_a_copy_of_a_bare_entry_is_judged_as_the_entry() -> None:
    # A bare entry that crossed a process boundary by pickling (a spawn pool, a queue) is equal to the table's
    # entry but not the same object: it must still be built, not judged with its check still a name.
    cfg = AuditConfig()
    entry = registry.bare(["cor-4.5"])[0]
    assert _json(judge(pickle.loads(pickle.dumps(entry)), cfg)) == _json(judge(registry.by_id("cor-4.5"), cfg))

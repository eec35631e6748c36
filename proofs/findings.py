"""Each registry claim audited once per pytest run, however many tests and worker processes read its finding.

A test asks ``audited(claim_id)``.  Within a process the finding is memoised; across pytest-xdist's workers it is
shared through a directory the controller creates before the workers start (``ENV``), where the first worker to
ask holds a lock while it judges the claim and leaves the pickled finding for the others.  Without that
directory (a plain ``pytest -p no:xdist`` run, or a script) the process memo alone serves.

The audit uses the default ``AuditConfig()``, the one the CLI and the reports use, so the findings tested are the
findings printed.
"""
from __future__ import annotations

import fcntl
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paper_checks.finding import Finding

__all__ = ["ENV", "audited"]

ENV = "ALIGNMENT_TAX_TEST_FINDINGS"
_MEMO: dict[str, Finding] = {}


def audited(claim_id: str) -> Finding:
    """The finding of the registry's claim ``claim_id`` under ``AuditConfig()``, judged once per run."""
    if claim_id not in _MEMO:
        _MEMO[claim_id] = _shared(claim_id)
    return _MEMO[claim_id]


def _judge(claim_id: str) -> Finding:
    from paper_checks.audit import judge
    from paper_checks.finding import AuditConfig
    from paper_checks.registry import by_id
    return judge(by_id(claim_id), AuditConfig())


def _shared(claim_id: str) -> Finding:
    where = os.environ.get(ENV)
    if not where or not Path(where).is_dir():
        return _judge(claim_id)
    entry = Path(where) / f"{claim_id}.pickle"
    with open(Path(where) / f"{claim_id}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)          # another worker judging this claim: wait for its pickle
        if entry.exists():
            with open(entry, "rb") as fh:
                return pickle.load(fh)
        found = _judge(claim_id)
        partial = entry.with_suffix(".partial")
        with open(partial, "wb") as fh:
            pickle.dump(found, fh)
        partial.replace(entry)
        return found

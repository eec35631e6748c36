"""Each registry claim audited once per pytest run, however many tests and worker processes read its finding.

A test asks ``audited(claim_id)``.  Within a process the finding is memoised; across pytest-xdist's workers it is
shared through a directory the controller creates before the workers start (``ENV``), where the first worker to
ask holds a lock while it judges the claim and leaves the pickled finding for the others.  Without that
directory (a plain ``pytest -p no:xdist`` run, or a script) the process memo alone serves.

The audit uses the default ``AuditConfig()``, the one the CLI and the reports use, so the findings tested are the
findings printed.  When ``alignment-tax audit`` has already judged a claim with the same sources and environment, its
finding is read from the findings cache (``paper_checks.cache``: the key hashes every source file and installed
distribution), as ``explain`` and the reports read it; the cache's directory is taken when the run starts (``CACHE``),
before any test points ``ALIGNMENT_TAX_CACHE`` elsewhere.  ``ALIGNMENT_TAX_CACHE=off`` judges every claim afresh.
"""
from __future__ import annotations

import fcntl
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paper_checks.finding import Finding

__all__ = ["ENV", "CACHE", "audited", "remember_cache"]

ENV = "ALIGNMENT_TAX_TEST_FINDINGS"
CACHE = "ALIGNMENT_TAX_TEST_AUDIT_CACHE"
_MEMO: dict[str, Finding] = {}
_JUDGING: set[str] = set()


def audited(claim_id: str) -> Finding:
    """The finding of the registry's claim ``claim_id`` under ``AuditConfig()``, judged once per run.

    Asked again for a claim this process is judging (a wrapper of ``audit.judge`` without ``functools.wraps`` leads
    back here), it raises rather than wait forever on the claim's lock, which this process holds."""
    if claim_id not in _MEMO:
        if claim_id in _JUDGING:
            raise RuntimeError(f"audited({claim_id!r}) asked while this process judges {claim_id}: a wrapper of "
                               "audit.judge must carry functools.wraps, so that the audit's own judge is found")
        _JUDGING.add(claim_id)
        try:
            _MEMO[claim_id] = _shared(claim_id)
        finally:
            _JUDGING.discard(claim_id)
    return _MEMO[claim_id]


def remember_cache() -> None:
    """Record the findings cache's directory of this run (none when it is off) and the sources' key, for every
    worker to read."""
    from paper_checks.cache import directory, source_key
    where = directory()
    try:
        key = source_key()
    except OSError:
        where = None
    os.environ[CACHE] = "" if where is None else f"{key} {where}"


def _judge(claim_id: str) -> Finding:
    import inspect

    from paper_checks import audit
    from paper_checks.finding import AuditConfig
    from paper_checks.registry import by_id
    # The audit's own judge, under any test's wrapper (functools.wraps): a wrapper that reads this module's findings
    # would otherwise call back here while this claim's lock is held.
    judge = inspect.unwrap(audit.judge)
    return _cached(claim_id) or judge(by_id(claim_id), AuditConfig())


def _cached(claim_id: str) -> Finding | None:
    """The finding ``alignment-tax audit`` stored for these sources, if any."""
    key, _, where = os.environ.get(CACHE, "").partition(" ")
    if not where:
        return None
    from paper_checks.cache import FindingsCache
    from paper_checks.finding import AuditConfig
    return FindingsCache(Path(where) / "findings", key, AuditConfig().seed).finding(claim_id)


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

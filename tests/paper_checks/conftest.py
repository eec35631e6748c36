"""Every test here gets its own findings cache (paper_checks/cache.py): a test that audits or explains
starts from an empty cache, and nothing is written to the user's ~/.cache.

A registry claim judged under the default ``AuditConfig()`` in this process (by a command run through ``main``)
is the run's shared finding (``proofs.findings``: each claim judged once per run): these tests are about the
commands and their writers, and the findings themselves are tested under proofs/.  So that a command's audit
reads them, it runs in this process unless the test names its workers: forked workers would judge afresh.  A test
that changes what an audit computes (a patched search, a replaced statement) is marked ``fresh_audit``; a claim that
is not the registry's own (``dataclasses.replace`` of its statement, a mutant) is judged afresh anyway."""
from __future__ import annotations

import functools
import os

import pytest


@pytest.fixture(autouse=True)
def _own_findings_cache(tmp_path_factory, monkeypatch) -> None:
    from paper_checks.cache import ENV
    monkeypatch.setenv(ENV, str(tmp_path_factory.mktemp("findings-cache")))


@pytest.fixture(autouse=True)
def _registry_findings_judged_once(request, monkeypatch) -> None:
    if request.node.get_closest_marker("fresh_audit"):
        return
    from paper_checks import audit, registry
    from paper_checks.finding import AuditConfig
    from proofs.findings import audited
    real, default, owner = audit.judge, AuditConfig(), os.getpid()

    @functools.wraps(real)          # proofs.findings judges with the function it wraps
    def judge(claim, cfg):
        # Only in the test's own process: an audit's forked workers judge for themselves, never waiting on the
        # run's locks from a fork of a process with threads.
        if (os.getpid() == owner and cfg == default and claim.id in registry.IDS
                and registry.built(claim) == registry.by_id(claim.id)):
            return audited(claim.id)
        return real(claim, cfg)

    monkeypatch.setattr(audit, "judge", judge)
    over_claims = audit.over_claims

    @functools.wraps(over_claims)
    def in_this_process(fn, claims, workers=None, *args, **kwargs):
        return over_claims(fn, claims, 1 if workers is None else workers, *args, **kwargs)

    monkeypatch.setattr(audit, "over_claims", in_this_process)


@pytest.fixture
def judged(monkeypatch) -> list[str]:
    """The ids the audit judges during a test (to show what ran, and that a rejected command ran nothing)."""
    from paper_checks import audit
    seen: list[str] = []
    real = audit.judge

    @functools.wraps(real)
    def spy(claim, cfg):
        seen.append(claim.id)
        return real(claim, cfg)

    monkeypatch.setattr(audit, "judge", spy)
    return seen

"""The audit gives the same findings whichever process judged a claim (claims reach workers as copies)."""
from __future__ import annotations

from paper_checks.audit import run, select
from paper_checks.finding import AuditConfig

_IDS = ["rem-4.6.subadditive", "thm-6.4.ii", "rem-5.8"]   # refuted and verified, three families, cheap


def _json(findings):
    return [{k: v for k, v in f.as_json().items() if k != "seconds"} for f in findings]


def test_parallel_audit_equals_serial_audit() -> None:
    cfg = AuditConfig()
    serial, parallel = run(select(_IDS), cfg, workers=1), run(select(_IDS), cfg, workers=2)
    assert _json(serial) == _json(parallel)
    # the checks ran in the workers too: their evidence is in the finding
    assert all(len(f.derivations) >= 1 for f in parallel)

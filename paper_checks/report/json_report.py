"""The JSON report (schema ``alignment-tax-audit/3``)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from paper_checks.finding import AuditConfig, Finding, Scope, Verdict

SCHEMA = "alignment-tax-audit/3"
PAPER = "What Is the Geometry of the Alignment Tax?"
VERSION = "0.1.0"


def summary(findings: list[Finding]) -> dict[str, Any]:
    """How many claims have each verdict, and how many verified ones are proved for every parameter or sampled."""
    verified = [f for f in findings if f.verdict is Verdict.VERIFIED]
    return {"claims": len(findings),
            "verdicts": {v.value: sum(f.verdict is v for f in findings) for v in Verdict},
            "verified_scope": {s.value: sum(f.scope is s for f in verified) for s in Scope}}


def to_json(findings: list[Finding], cfg: AuditConfig) -> dict[str, Any]:
    from paper_checks.conventions import CONVENTIONS
    return {"schema": SCHEMA, "paper": PAPER, "version": VERSION, "seed": cfg.seed,
            "conventions": {k: str(v) for k, v in CONVENTIONS}, "summary": summary(findings),
            "claims": [f.as_json() for f in findings]}


def write_json(findings: list[Finding], cfg: AuditConfig, path: Path) -> None:
    path.write_text(json.dumps(to_json(findings, cfg), indent=2, ensure_ascii=False) + "\n")

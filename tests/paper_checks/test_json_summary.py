"""The JSON report's summary counts the findings it reports: claims per verdict, verified claims per scope."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from paper_checks.finding import AuditConfig
from paper_checks.report.json_report import to_json
from proofs.findings import audited

SCHEMA = json.loads((Path(__file__).parents[2] / "paper_checks" / "schema.json").read_text())


@pytest.mark.claim("cor-4.7")
def test_cor_4_7_summary_counts_the_reported_findings() -> None:
    cfg = AuditConfig()
    findings = [audited(i) for i in ("cor-4.7", "sec-7.1.equivalence", "pred-2")]   # the run's findings
    report = to_json(findings, cfg)
    jsonschema.validate(report, SCHEMA)
    s = report["summary"]
    assert s["claims"] == 3 == sum(s["verdicts"].values())
    assert s["verdicts"]["verified"] == 1 and s["verdicts"]["refuted"] == 1 and s["verdicts"]["not-checkable"] == 1
    assert s["verified_scope"] == {"all-parameters": 1, "sampled": 0}
    # A summary that disagrees with the schema's vocabulary is rejected.
    report["summary"]["verified_scope"]["proved"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, SCHEMA)

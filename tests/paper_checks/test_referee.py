"""The referee's report lists every refuted and conditional finding once, most severe first."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

import sympy as sp

from paper_checks.finding import (Ball, Cause, Certified, Counterexample, Failure, Finding, Item, Kind, Scope,
                                  Verdict)
from paper_checks.report.referee import problems, referee_markdown, severity_key
from paper_checks.statement import Statement, Variable
from paper_checks.text import Text

x = sp.Symbol("x", real=True)


def _finding(cid: str, kind: Kind, verdict: Verdict, cause: Cause | None = None) -> Finding:
    failure = {Verdict.REFUTED: Failure.OPEN_SET, Verdict.CONDITIONAL: Failure.MEASURE_ZERO}.get(verdict)
    cx = Counterexample({"x": sp.Rational(1, 2)}, sp.Le(x, 0), (Ball("0.5"), Ball("0")), "-0.5",
                        Certified.EXACT) if failure else None
    correction = (Statement((Variable(x, sp.Interval(-1, 0)),), (), sp.Le(x, 0), words=f"correction {cid}"),)
    return Finding(cid, f"where {cid}", kind, f"printed {cid}", None, verdict,
                   Scope.ALL_PARAMETERS if verdict is Verdict.VERIFIED else None, failure, (),
                   (Item(Text.of("evidence")),), (sp.Gt(x, 0),) if verdict is Verdict.CONDITIONAL else None, cx,
                   correction if failure else None, 0.0, (), cause)


FINDINGS = [
    _finding("gloss-name", Kind.GLOSS, Verdict.REFUTED, Cause.OVERREACHING_NAME),
    _finding("thm-boundary", Kind.THEOREM, Verdict.CONDITIONAL, Cause.OMITTED_HYPOTHESIS),
    _finding("thm-ok", Kind.THEOREM, Verdict.VERIFIED),
    _finding("implied", Kind.IMPLIED, Verdict.REFUTED, Cause.IMPLICATION),
    _finding("thm-omitted", Kind.THEOREM, Verdict.REFUTED, Cause.OMITTED_HYPOTHESIS),
    _finding("thm-false", Kind.THEOREM, Verdict.REFUTED, Cause.FALSE_MATHEMATICS),
    _finding("cor-false", Kind.COROLLARY, Verdict.REFUTED, Cause.FALSE_MATHEMATICS),
]


def test_problems_are_the_failing_findings_most_severe_first() -> None:
    assert [f.id for f in problems(FINDINGS)] == ["thm-false", "thm-omitted", "thm-boundary", "cor-false",
                                                  "gloss-name", "implied"]


def test_the_report_numbers_each_problem_once_in_severity_order() -> None:
    text = referee_markdown(FINDINGS)
    listed = re.findall(r"^(\d+)\. .*\(`([^`]+)`", text, flags=re.M)
    assert [int(n) for n, _ in listed] == list(range(1, 7))
    assert [cid for _, cid in listed] == [f.id for f in problems(FINDINGS)]
    assert "thm-ok" not in text
    for f in problems(FINDINGS):
        block = text.split(f"(`{f.id}`")[1].split("\n\n")[0]
        assert f.printed in block and f.cause.value in block and "x = 1/2" in block
        assert f.correction[0].words in block


def test_severity_puts_an_implied_claim_last() -> None:
    keys = sorted(FINDINGS, key=severity_key)
    assert keys[-1].id == "implied"


@pytest.mark.claim("thm-6.4.i", "rem-4.6.subadditive")
def test_report_referee_writes_every_failing_finding(tmp_path) -> None:
    out = tmp_path / "referee.md"
    ids = ["rem-4.6.subadditive", "thm-4.1", "thm-6.4.i", "thm-4.1.tight"]
    from paper_checks.cli import main
    assert main(["report", "--referee", str(out), "--only", *ids, "--quiet"]) == 0
    listed = re.findall(r"^\d+\. .*\(`([^`]+)`", out.read_text(), flags=re.M)
    # thm-4.1 holds; the theorem refuted on an open set, then the one failing on a boundary, then the implied claim.
    assert listed == ["thm-6.4.i", "thm-4.1.tight", "rem-4.6.subadditive"]
    assert "step 3 of 3" in out.read_text()


def test_report_without_an_output_is_a_usage_error() -> None:
    run = subprocess.run([sys.executable, "-m", "paper_checks.cli", "report"], capture_output=True, text=True)
    assert run.returncode == 2 and run.stderr.strip() == \
        "alignment-tax: error: report needs --html DIR or --referee FILE.md (or both)."

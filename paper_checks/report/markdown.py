"""The Markdown report: a table of claims, then one section per claim (for a repository or a review)."""
from __future__ import annotations

from pathlib import Path

from derive.core import Status
from paper_checks.finding import AuditConfig, Finding
from paper_checks.report.json_report import PAPER, VERSION

__all__ = ["markdown_report", "write_markdown"]

_STATUS = {Status.OK: "proved", Status.NUMERIC: "numeric only", Status.FAILED: "FAILED"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _claim(f: Finding) -> str:
    lines = [f"## `{f.id}`: {f.location}", "", f"**As printed.** {f.printed}", "",
             f"**Verdict:** {f.verdict.value}" + (f" (scope: {f.scope.value})" if f.scope else "")
             + f"; methods: {', '.join(m.value for m in f.methods)}; {f.seconds:.2f} s", ""]
    for deriv, checks in f.derivations:
        lines += [f"**Derivation: {deriv.title}.**", ""]
        lines += [f"{i}. `{c.step.name}` ({_STATUS[c.status]}): {c.step.rule}  \n   $${c.step.latex()}$$"
                  for i, c in enumerate(checks, 1)]
        lines.append("")
    lines += [f"**Evidence.** {f.evidence}", ""]
    if f.conditions:
        lines += [f"**Conditions.** {f.conditions}", ""]
    if f.counterexample:
        ce = f.counterexample
        params = ", ".join(f"`{k} = {v}`" for k, v in ce.parameters.items())
        lines += [f"**Counterexample ({ce.certified.value}).** {params}. Claimed: {ce.claimed}. "
                  f"Actual: {ce.actual}.", ""]
    if f.correction:
        lines += [f"**Corrected statement.** {f.correction}", ""]
    return "\n".join(lines)


def markdown_report(findings: list[Finding], cfg: AuditConfig) -> str:
    head = [f"# Audit of *{PAPER}*", "", f"alignment-tax {VERSION}, seed {cfg.seed}.", "",
            "| claim | where in the paper | verdict | scope | methods | seconds |", "|---|---|---|---|---|---|"]
    head += [f"| `{f.id}` | {_cell(f.location)} | {f.verdict.value} | {f.scope.value if f.scope else ''} | "
             f"{', '.join(m.value for m in f.methods)} | {f.seconds:.2f} |" for f in findings]
    return "\n".join(head) + "\n\n" + "\n\n".join(_claim(f) for f in findings) + "\n"


def write_markdown(findings: list[Finding], cfg: AuditConfig, path: Path) -> None:
    path.write_text(markdown_report(findings, cfg))

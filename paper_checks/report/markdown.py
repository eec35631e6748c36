"""The Markdown report: the verdicts, the conventions, a table of claims, then one section per claim
with its figures (for a repository or a review; maths as ``$...$``, as GitHub renders it).

``write_markdown(findings, cfg, path)`` draws the figures into a ``figures/`` directory beside ``path``
and embeds them by relative path (``figures/<name>.png``), so the file and its directory travel together.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from derive.core import Status
from paper_checks.finding import AuditConfig, Counterexample, Finding
from paper_checks.report.json_report import PAPER, VERSION
from paper_checks.report.layout import Line, step_lines, tex
from paper_checks.report.preamble import INTRO, SIGNS, VERDICTS, severity
from paper_checks.report.prose import ascii_latex, mixed

__all__ = ["markdown_report", "write_markdown", "MarkdownWriter"]

_STATUS = {Status.OK: "proved", Status.NUMERIC: "numeric only", Status.FAILED: "FAILED"}
_REL = {"=": "=", "<=": r"\le", "<": "<", "+": "+", "-": "-"}
# LaTeX per displayed line: GitHub's MathJax has the same buffer as Jupyter's.
_LINE = 900


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _prose(text: str) -> str:
    return "".join(f"${piece.strip()}$" if is_math else piece for is_math, piece in mixed(text))


def _value(v: object) -> str:
    if isinstance(v, (list, tuple)):
        return "(" + ", ".join(_value(x) for x in v) + ")"
    return ascii_latex(str(v))


class MarkdownWriter:
    """Writes one Markdown document (SymPy's printer pattern: one ``_print_*`` per part)."""

    def __init__(self, cfg: AuditConfig, figures: dict[str, Sequence] | None = None) -> None:
        self.cfg = cfg
        self.figures = figures or {}

    def doprint(self, findings: list[Finding]) -> str:
        head = [f"# Audit of *{PAPER}*", "", f"alignment-tax {VERSION}, seed {self.cfg.seed}.", "", INTRO, "",
                "## Verdicts", ""]
        head += [f"- **{v.value}**: {text}" for v, text in VERDICTS.items()]
        head += ["", "## Conventions", ""] + [f"- {_prose(s)}" for s in SIGNS]
        head += ["", "## Summary", "",
                 "| claim | where in the paper | verdict | scope | severity | methods | seconds |",
                 "|---|---|---|---|---|---|---|"]
        head += [f"| `{f.id}` | {_cell(f.location)} | {f.verdict.value} | {f.scope.value if f.scope else ''} | "
                 f"{severity(f)} | {', '.join(m.value for m in f.methods)} | {f.seconds:.2f} |" for f in findings]
        return "\n".join(head) + "\n\n" + "\n\n".join(self._print_claim(f) for f in findings) + "\n"

    def _print_claim(self, f: Finding) -> str:
        verdict = f"**Verdict:** {f.verdict.value}" + (f" (scope: {f.scope.value})" if f.scope else "")
        verdict += f"; {severity(f)}"
        if f.methods:
            verdict += f"; methods: {', '.join(m.value for m in f.methods)}"
        lines = [f"## `{f.id}`: {f.location}", "", f"**As printed.** {_prose(f.printed)}", ""]
        if f.statement:
            lines += ["**Formal statement.**", "", f"$${f.statement}$$", ""]
        lines += [verdict + f"; {f.seconds:.2f} s", ""]
        for deriv, checks in f.derivations:
            lines += [f"**Derivation: {_prose(deriv.title)}.**", ""]
            for i, c in enumerate(checks, 1):
                lines.append(f"{i}. `{c.step.name}` ({_STATUS[c.status]}): {_prose(c.step.rule)}")
                lines += [f"   $${self._print_line(line)}$$" for line in step_lines(c.step, _LINE)]
            lines.append("")
        lines += [f"**Evidence.** {_prose(f.evidence)}", ""]
        if f.conditions:
            lines += [f"**Conditions.** {_prose(f.conditions)}", ""]
        if f.counterexample:
            lines += self._print_counterexample(f.counterexample)
        if f.correction:
            lines += [f"**Corrected statement.** {_prose(f.correction)}", ""]
        for fig in self.figures.get(f.id, []):
            lines += [f"![{fig.name}]({fig.png})", "", f"*{_prose(fig.caption)}*", ""]
        return "\n".join(lines)

    @staticmethod
    def _print_line(line: Line) -> str:
        body = " ".join(_REL.get(x, x) if isinstance(x, str) else tex(x) for x in line.items)
        return (rf"\text{{{line.label}: }}" if line.label else "") + body

    @staticmethod
    def _print_counterexample(ce: Counterexample) -> list[str]:
        rows = [f"| ${ascii_latex(k.replace('_star', '*'))}$ | ${_value(v)}$ |" for k, v in ce.parameters.items()]
        return [f"**Counterexample ({ce.certified.value}).**", "", "| parameter | value |", "|---|---|", *rows, "",
                f"Claimed: {_prose(ce.claimed)}. Actual: {_prose(ce.actual)}.", ""]


def markdown_report(findings: list[Finding], cfg: AuditConfig, figures: dict[str, Sequence] | None = None) -> str:
    return MarkdownWriter(cfg, figures).doprint(findings)


def write_markdown(findings: list[Finding], cfg: AuditConfig, path: Path,
                   figures: dict[str, Sequence] | None = None) -> None:
    """Write ``path``; unless ``figures`` are given, draw them into ``figures/`` beside it."""
    if figures is None:
        from paper_checks.figures import write_figures

        figures = write_figures(path.parent / "figures", [f.id for f in findings])
    path.write_text(markdown_report(findings, cfg, figures))

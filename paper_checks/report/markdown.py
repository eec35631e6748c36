"""The Markdown report: the verdicts, the conventions, a table of claims, then one section per claim
with its figures (for a repository or a review; maths as ``$...$``, as GitHub renders it).

``write_markdown(findings, cfg, path)`` draws the figures into a ``figures/`` directory beside ``path``
and embeds them by relative path (``figures/<name>.png``), so the file and its directory travel together.
"""
from __future__ import annotations

from pathlib import Path
from collections.abc import Sequence

from derive.core import Status
import sympy as sp

from paper_checks.finding import AuditConfig, Ball, Counterexample, Finding, Item
from paper_checks.report.json_report import PAPER, VERSION
from paper_checks.report.layout import Line, statement_lines, step_lines, tex
from paper_checks.report.preamble import INTRO, SIGNS, VERDICTS, severity
from paper_checks.text import Text

__all__ = ["markdown_report", "write_markdown", "MarkdownWriter"]

_STATUS = {Status.OK: "proved", Status.NUMERIC: "numeric only", Status.FAILED: "FAILED"}
_REL = {"=": "=", "<=": r"\le", "<": "<", "+": "+", "-": "-"}
# LaTeX per displayed line: GitHub's MathJax has the same buffer as Jupyter's.
_LINE = 900


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _words(text: str) -> str:
    # Markdown reads "*", "_" and "|" as markup; a backslash keeps each literal.
    return "".join("\\" + ch if ch in "*_|<>$" else ch for ch in text)


def _text(t: Text | str) -> str:
    """Words as words, formulas as ``$...$`` (SymPy's LaTeX)."""
    return Text.of(t).render(_words, lambda e: f"${tex(e)}$")


def _ball(b: Ball) -> str:
    if b.mid is sp.nan:
        return b.text
    return f"${tex(b.mid)}" + (rf" \pm {tex(b.radius)}$" if b.radius is not None else "$")


def _item(i: Item) -> str:
    if i.result is None:
        return _text(i.text)
    return _text(i.text) + (f": {i.result}" if i.passed else f": **{i.result}**")


def _statement(statement) -> str:
    given = r",\ ".join(tex(x) for line in statement_lines(statement, 10**6) for x in line)
    return (rf"{statement.quantifier.latex}\, {given}:\quad " if given else "") + tex(statement.conclusion)


def _printed(text: str) -> str:
    """The paper's sentence: its LaTeX between dollars goes through as GitHub's maths."""
    parts = text.split("$")
    return "".join(f"${p}$" if i % 2 else _words(p) for i, p in enumerate(parts))


class MarkdownWriter:
    """Writes one Markdown document (SymPy's printer pattern: one ``_print_*`` per part)."""

    def __init__(self, cfg: AuditConfig, figures: dict[str, Sequence] | None = None) -> None:
        self.cfg = cfg
        self.figures = figures or {}

    def doprint(self, findings: list[Finding]) -> str:
        head = [f"# Audit of *{PAPER}*", "", f"alignment-tax {VERSION}, seed {self.cfg.seed}.", "", INTRO, "",
                "## Verdicts", ""]
        head += [f"- **{v.value}**: {text}" for v, text in VERDICTS.items()]
        head += ["", "## Conventions", ""] + [f"- {_text(s)}" for s in SIGNS]
        head += ["", "## Summary", "",
                 "| claim | where in the paper | verdict | scope | severity | methods | seconds |",
                 "|---|---|---|---|---|---|---|"]
        head += [f"| `{f.id}` | {_cell(f.location)} | {f.verdict.value} | {f.scope.value if f.scope else ''} | "
                 f"{severity(f)} | {', '.join(m.value for m in f.methods)} | {f.seconds:.2f} |" for f in findings]
        return "\n".join(head) + "\n\n" + "\n\n".join(self._print_claim(f) for f in findings) + "\n"

    def _print_claim(self, f: Finding) -> str:
        verdict = f"**Verdict:** {f.verdict.value}" + (f" (scope: {f.scope.value})" if f.scope else "")
        verdict += f"; {severity(f)}"
        if f.cause:
            verdict += f"; cause: {f.cause.value}"
        if f.reading:
            verdict += f"; reading: {_words(f.reading)}"
        if f.methods:
            verdict += f"; methods: {', '.join(m.value for m in f.methods)}"
        lines = [f"## `{f.id}`: {f.location}", "", f"**As printed.** {_printed(f.printed)}", ""]
        if f.statement is not None:
            lines += ["**Formal statement.**", "", f"$${_statement(f.statement)}$$", ""]
        lines += [verdict + f"; {f.seconds:.2f} s", ""]
        for deriv, checks in f.derivations:
            lines += [f"**Derivation: {_words(deriv.title)}.**", ""]
            for i, c in enumerate(checks, 1):
                lines.append(f"{i}. `{c.step.name}` ({_STATUS[c.status]}): {_words(c.step.rule)}")
                lines += [f"   $${self._print_line(line)}$$" for line in step_lines(c.step, _LINE)]
            lines.append("")
        lines += ["**Evidence.** " + "; ".join(_item(i) for i in f.evidence) + ".", ""]
        if f.conditions:
            lines += ["**Conditions.** " + ", ".join(f"${tex(c)}$" for c in f.conditions) + ".", ""]
        if f.counterexample:
            lines += self._print_counterexample(f.counterexample)
        for k, c in enumerate(f.correction or ()):
            title = "Corrected statement" + (f" {k + 1}" if len(f.correction) > 1 else "")
            lines += [f"**{title}.** " + (_words(c.words) + "." if c.words else ""), "",
                      f"$${_statement(c)}$$", ""]
        for fig in self.figures.get(f.id, []):
            lines += [f"![{fig.name}]({fig.png})", "", f"*{_words(fig.caption)}*", ""]
        return "\n".join(lines)

    @staticmethod
    def _print_line(line: Line) -> str:
        body = " ".join(_REL.get(x, x) if isinstance(x, str) else tex(x) for x in line.items)
        return (rf"\text{{{line.label}: }}" if line.label else "") + body

    @staticmethod
    def _print_counterexample(ce: Counterexample) -> list[str]:
        rows = [f"| ${tex(sp.Symbol(k))}$ | ${tex(v)}$ |" for k, v in ce.parameters.items()]
        return [f"**Counterexample ({ce.certified.value}).**", "", "| parameter | value |", "|---|---|", *rows, "",
                f"Claimed: ${tex(ce.claimed)}$. Actual: left side {_ball(ce.sides[0])}, right side "
                f"{_ball(ce.sides[1])} (margin at most {ce.margin_upper}).", ""]


def markdown_report(findings: list[Finding], cfg: AuditConfig, figures: dict[str, Sequence] | None = None) -> str:
    return MarkdownWriter(cfg, figures).doprint(findings)


def write_markdown(findings: list[Finding], cfg: AuditConfig, path: Path,
                   figures: dict[str, Sequence] | None = None) -> None:
    """Write ``path``; unless ``figures`` are given, draw them into ``figures/`` beside it."""
    if figures is None:
        from paper_checks.figures import write_figures

        figures = write_figures(path.parent / "figures", [f.id for f in findings])
    path.write_text(markdown_report(findings, cfg, figures))

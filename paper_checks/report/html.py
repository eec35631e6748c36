"""The HTML report: one static ``index.html`` (plus figure files), read with no server and no network.

Maths reaches the page as MathML only (Chromium renders MathML Core): every formula of a finding is a SymPy
object printed by ``paper_checks.printing.mathml``; the paper's own sentence (``printed``, LaTeX between dollars,
the one field that is source rather than data) goes through ``latex2mathml``.  No LaTeX source is left in the page.
The page opens with the claims' dependency graph (report/graph.py), then the verdict vocabulary, the sign
conventions and a summary table; then one section per claim.
"""
from __future__ import annotations

import html
import shutil
from pathlib import Path
from collections.abc import Callable, Sequence

from derive.core import Status
import sympy as sp

from paper_checks.finding import AuditConfig, Ball, Counterexample, Finding, Item, Verdict
from paper_checks.report import graph as G
from paper_checks.report.json_report import PAPER, VERSION
from paper_checks.printing import math_element, mathml
from paper_checks.report.layout import Line, statement_lines, step_lines, tex
from paper_checks.report.preamble import INTRO, SIGNS, VERDICTS, counts, severity
from paper_checks.text import Text

__all__ = ["html_report", "write_html", "build_html", "HtmlWriter"]

_STATUS = {Status.OK: ("proved symbolically", "ok"), Status.NUMERIC: ("numeric only (50 digits)", "numeric"),
           Status.FAILED: ("FAILED", "failed")}
_REL = {"=": "=", "<=": "\u2264", "<": "<", "+": "+", "-": "\u2212"}
# LaTeX source per displayed line: MathML does not break lines, so long steps are cut (layout.py).
_LINE = 300

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 1180px; margin: 0 auto; padding: 0 24px 48px;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6em 0; } th, td { padding: 4px 8px; vertical-align: top; }
table.summary th, table.summary td { border-bottom: 1px solid #e4e4e4; text-align: left; }
table.ce th, table.ce td { border: 1px solid #ddd; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 0.85em;
         font-weight: 600; white-space: nowrap; }
.verified { background: #2e7d32; } .conditional { background: #e08a00; } .refuted { background: #c62828; }
.not-checkable { background: #8a8a8a; } .undecided { background: #ad1457; }
.status-ok { color: #2e7d32; } .status-numeric { color: #b26a00; } .status-failed { color: #c62828; }
section.claim { margin-top: 2.2em; } .meta { color: #555; } dt { font-weight: 600; margin-top: 0.6em; }
dd { margin-left: 1.2em; }
.display { overflow-x: auto; overflow-y: hidden; padding: 2px 0; margin: 0.3em 0 0.3em 1em; }
.display .label { color: #666; font-size: 0.85em; margin-right: 0.6em; }
ol.steps li { margin-bottom: 0.8em; } .rule { color: #333; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #444; font-size: 0.92em; max-width: 900px; }
svg.graph { max-width: 100%; height: auto; } figure.graph { margin: 0.5em 0; } .legend span { margin-right: 1.2em; }
math { font-size: 1.08em; }
"""


def _text(s: str) -> str:
    return html.escape(s, quote=False)


def _math(e: sp.Basic, display: bool = False) -> str:
    return math_element(mathml(e), display)


def _printed(text: str) -> str:
    """The paper's sentence as printed: its words, and its LaTeX between dollars as MathML."""
    from latex2mathml.converter import convert
    parts = text.split("$")
    return "".join(convert(p) if i % 2 else _text(p) for i, p in enumerate(parts))


def _prose(t: Text | str) -> str:
    """Words escaped, formulas as MathML."""
    return Text.of(t).render(_text, _math)


def _ball(b: Ball) -> str:
    if b.mid is sp.nan:
        return _text(b.text)
    if b.radius is None:
        return _math(b.mid)
    return math_element(f"<mrow>{mathml(b.mid)}<mo>\u00B1</mo>{mathml(b.radius)}</mrow>")


def _item(i: Item) -> str:
    if i.result is None:
        return _prose(i.text)
    result = _text(i.result) if i.passed else f'<strong class="status-failed">{_text(i.result)}</strong>'
    return f"{_prose(i.text)}: {result}"


def _badge(v: Verdict) -> str:
    return f'<span class="badge {v.value}">{v.value}</span>'


class HtmlWriter:
    """Writes one page (SymPy's printer pattern: one ``_print_*`` per part)."""

    def __init__(self, cfg: AuditConfig, figures: dict[str, Sequence] | None = None, claims: Sequence = (),
                 paper_page: str | None = None) -> None:
        self.cfg = cfg
        self.figures = figures or {}
        self.claims = claims
        self.paper_page = paper_page   # the annotated paper beside this page (report/annotated.py), if written

    def doprint(self, findings: list[Finding]) -> str:
        body = "\n".join(self._print_claim(f) for f in findings)
        return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                f"<title>Audit of {_text(PAPER)}</title><style>{_CSS}</style></head><body>\n"
                f"{self._print_front(findings)}\n{body}\n</body></html>\n")

    def _print_front(self, findings: list[Finding]) -> str:
        verdicts = "".join(f"<dt>{_badge(v)}</dt><dd>{_text(t)}</dd>" for v, t in VERDICTS.items())
        signs = "".join(f"<li>{_prose(s)}</li>" for s in SIGNS)
        tally = ", ".join(f"{n} {v.value}" for v, n in counts(findings).items())
        rows = "".join(
            f'<tr><td><a href="#claim-{_text(f.id)}"><code>{_text(f.id)}</code></a></td>'
            f"<td>{_printed(f.printed)}</td><td>{_badge(f.verdict)}"
            f"{' (' + f.scope.value + ')' if f.scope else ''}</td><td>{_text(severity(f))}</td></tr>"
            for f in findings)
        return (f"<h1>Audit of <em>{_text(PAPER)}</em></h1>"
                f'<p class="sub">alignment-tax {VERSION}, seed {self.cfg.seed}: {len(findings)} claims ({tally}).</p>'
                f"<h2>Dependency graph</h2>{G.figure(findings, self.claims)}"
                f"<p>{_text(INTRO)}</p>"
                + (f'<p><a href="{_text(self.paper_page)}">The paper, annotated</a>: every sentence marked by the '
                   "claims that formalise it, coloured by their verdicts, or by why it is exempt.</p>"
                   if self.paper_page else "")
                + f"<h2>Verdicts</h2><dl>{verdicts}</dl>"
                "<p>A finding's severity is its kind crossed with where it fails: a refuted theorem is not a "
                "refuted gloss.</p>"
                f"<h2>Conventions</h2><ul>{signs}</ul>"
                f'<h2>Summary</h2><table class="summary"><tr><th>claim</th><th>paper says</th>'
                f"<th>audit says</th><th>severity</th></tr>{rows}</table>")

    def _print_claim(self, f: Finding) -> str:
        meta = [f"kind: {f.kind.value}", f"severity: {severity(f)}"]
        if f.cause:
            meta.append(f"cause: {f.cause.value}")
        if f.reading:
            meta.append(f"reading: {f.reading}")
        if f.scope:
            meta.append(f"scope: {f.scope.value}")
        if f.methods:
            meta.append("methods: " + ", ".join(m.value for m in f.methods))
        out = [f'<section class="claim" id="claim-{_text(f.id)}">',
               f"<h2><code>{_text(f.id)}</code>: {_text(f.location)} {_badge(f.verdict)}</h2>",
               f'<p class="meta">{_text("; ".join(meta))}</p><dl>',
               f"<dt>As printed</dt><dd>{_printed(f.printed)}</dd>"]
        if f.statement is not None:
            out.append(f"<dt>Formal statement</dt><dd>{self._print_statement(f.statement)}</dd>")
        if f.counterexample:
            out.append(self._print_counterexample(f.counterexample))
        if f.conditions:
            out.append("<dt>Conditions</dt><dd>" + ", ".join(_math(c) for c in f.conditions) + "</dd>")
        for k, c in enumerate(f.correction or ()):
            title = "Corrected statement" + (f" {k + 1}" if len(f.correction) > 1 else "")
            words = f"<p>{_text(c.words)}</p>" if c.words else ""
            out.append(f"<dt>{title}</dt><dd>{words}{self._print_statement(c)}</dd>")
        out.append("<dt>Evidence</dt><dd><ul>" + "".join(f"<li>{_item(i)}</li>" for i in f.evidence) + "</ul></dd>")
        for deriv, checks in f.derivations:
            out.append(f"<dt>Derivation: {_text(deriv.title)}</dt><dd>")
            if deriv.assumptions:
                out.append("<p>Assumptions: " + "; ".join(_text(a) for a in deriv.assumptions) + ".</p>")
            out.append('<ol class="steps">')
            for c in checks:
                label, cls = _STATUS[c.status]
                residual = f", residual {_text(c.residual)}" if c.residual else ""
                out.append(f"<li><strong>{_text(c.step.name)}</strong>: <span class=\"rule\">{_text(c.step.rule)}"
                           f'</span>. <em class="status-{cls}">{label}</em> ({_text(c.method)}{residual}).'
                           + "".join(self._print_line(line) for line in step_lines(c.step, _LINE)) + "</li>")
            out.append("</ol></dd>")
        out.append("</dl>")
        for fig in self.figures.get(f.id, []):
            out.append(f'<figure><img src="{_text(fig.png)}" alt="{html.escape(fig.caption)}">'
                       f"<figcaption>{_text(fig.caption)}</figcaption></figure>")
        out.append("</section>")
        return "\n".join(out)

    @staticmethod
    def _print_statement(statement) -> str:
        """The quantified domains and hypotheses, packed into lines (MathML does not break a long line), then the
        conclusion on a line of its own."""
        lines = statement_lines(statement, _LINE, tex)
        rows = []
        for k, line in enumerate(lines):
            inner = "<mo>,</mo>".join(mathml(x) for x in line)
            lead = f"<mo>{statement.quantifier.symbol}</mo>" if k == 0 else ""
            tail = "<mo>:</mo>" if k == len(lines) - 1 else "<mo>,</mo>"
            rows.append(math_element(f"<mrow>{lead}{inner}{tail}</mrow>", True))
        rows.append(_math(statement.conclusion, True))
        return "".join(f'<div class="display">{r}</div>' for r in rows)

    def _print_line(self, line: Line) -> str:
        items = "".join(f"<mo>{_text(_REL.get(x, x))}</mo>" if isinstance(x, str) else mathml(x)
                        for x in line.items)
        label = f'<span class="label">{_text(line.label)}</span>' if line.label else ""
        return f'<div class="display">{label}{math_element("<mrow>" + items + "</mrow>", True)}</div>'

    def _print_counterexample(self, ce: Counterexample) -> str:
        rows = "".join(f"<tr><td>{_math(sp.Symbol(k))}</td><td>{_math(v)}</td></tr>" for k, v in ce.parameters.items())
        return (f"<dt>Counterexample ({ce.certified.value})</dt><dd>"
                f'<table class="ce"><tr><th>parameter</th><th>value</th></tr>{rows}</table>'
                f'<table class="ce"><tr><th>claimed</th><td>{_math(ce.claimed)}</td></tr>'
                f"<tr><th>actual</th><td>left side {_ball(ce.sides[0])}, right side {_ball(ce.sides[1])} "
                f"(margin at most {_text(ce.margin_upper)})</td></tr></table></dd>")


def html_report(findings: list[Finding], cfg: AuditConfig, figures: dict[str, Sequence] | None = None,
                claims: Sequence = (), paper_page: str | None = None) -> str:
    return HtmlWriter(cfg, figures, claims, paper_page).doprint(findings)


def write_html(findings: list[Finding], cfg: AuditConfig, directory: Path,
               figures: dict[str, Sequence] | None = None, figures_from: Path | None = None,
               paper_page: str | None = None) -> Path:
    """Write ``directory/index.html``; figures already drawn in ``figures_from`` are copied beside it."""
    from paper_checks.registry import CLAIMS

    directory.mkdir(parents=True, exist_ok=True)
    if figures_from is not None and figures_from.resolve() != (directory / "figures").resolve():
        shutil.copytree(figures_from, directory / "figures", dirs_exist_ok=True)
    path = directory / "index.html"
    path.write_text(html_report(findings, cfg, figures, CLAIMS, paper_page))
    return path


def build_html(directory: Path, claims: Sequence, cfg: AuditConfig, audit: Callable[[], list[Finding]],
               paper_page: str | None = None) -> Path:
    """The command ``report --html DIR``: run ``audit`` while a second process draws the figures of
    ``claims`` into ``DIR/figures``, then write ``DIR/index.html``."""
    from paper_checks.figures import drawn_while

    directory.mkdir(parents=True, exist_ok=True)
    findings, figures = drawn_while(directory / "figures", [c.id for c in claims], audit)
    return write_html(findings, cfg, directory, figures, paper_page=paper_page)

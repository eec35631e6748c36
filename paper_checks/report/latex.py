"""The LaTeX document: a first page with the verdict vocabulary, the conventions and a summary table,
hyperlinked contents, then each claim's statement, verdict, step-by-step derivation, evidence,
counterexample, correction and figures.  ``write_pdf`` compiles it with pdflatex where one is installed.

Long formulas break across lines (breqn's ``dmath``, one line per matrix entry) instead of being
scaled.  Every formula of a finding is a SymPy object printed by ``paper_checks.printing``; the
paper's own sentence (``printed``) is LaTeX source and goes in as it is.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from collections.abc import Sequence

import sympy as sp

from derive.core import Status
from paper_checks.finding import AuditConfig, Ball, Counterexample, Finding, Item, Verdict
from paper_checks.report.json_report import PAPER, VERSION
from paper_checks.report.layout import Line, statement_lines, step_lines, tex
from paper_checks.report.preamble import INTRO, SIGNS, VERDICTS, severity
from paper_checks.text import Text

__all__ = ["escape", "latex_document", "write_latex", "write_pdf", "LatexWriter"]

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
_STATUS = {Status.OK: "proved symbolically", Status.NUMERIC: "numeric only (50 digits)", Status.FAILED: "FAILED"}
_COLOUR = {Verdict.VERIFIED: "green!40!black", Verdict.CONDITIONAL: "orange!80!black",
           Verdict.REFUTED: "red!70!black", Verdict.NOT_CHECKABLE: "gray", Verdict.UNDECIDED: "magenta"}
_REL = {"=": "=", "<=": r"\le", "<": "<"}
# The text width of the page (A4, 2 cm margins), in inches: a figure is shown at its natural size when it fits.
_TEXT_WIDTH_IN = 6.7
# A formula this short stays on one line without breqn (whose line breaking has nothing to do).
_SHORT = 160


def escape(text: str) -> str:
    """Plain text made safe for LaTeX."""
    return "".join(_SPECIAL.get(ch, ch) for ch in text)


def _statement(text: str) -> str:
    """A statement as printed: prose with $...$ mathematics (the registry's convention)."""
    parts = text.split("$")
    return "".join(escape(p) if i % 2 == 0 else f"${p}$" for i, p in enumerate(parts))


def _text(t: Text | str) -> str:
    """Words escaped, formulas typeset inline."""
    return Text.of(t).render(escape, lambda e: f"${tex(e)}$")


def _label(claim_id: str) -> str:
    return "claim:" + re.sub(r"[^A-Za-z0-9.-]", "-", claim_id)


def _ball(b: Ball) -> str:
    if b.mid is sp.nan:
        return escape(b.text)
    return f"${tex(b.mid)}" + (rf" \pm {tex(b.radius)}$" if b.radius is not None else "$")


def _item(i: Item) -> str:
    if i.result is None:
        return _text(i.text)
    return _text(i.text) + (f": {escape(i.result)}" if i.passed else rf": \textbf{{{escape(i.result)}}}")


class LatexWriter:
    """Writes one document (SymPy's printer pattern: one ``_print_*`` per part)."""

    def __init__(self, cfg: AuditConfig, figures: dict[str, Sequence] | None = None) -> None:
        self.cfg = cfg
        self.figures = figures or {}

    def doprint(self, findings: list[Finding]) -> str:
        body = "\n\n".join(self._print_claim(f) for f in findings)
        return "\n".join([self._print_head(), self._print_front(findings), r"\tableofcontents", r"\clearpage",
                          body, r"\end{document}", ""])

    def _print_head(self) -> str:
        return rf"""\documentclass[10pt,a4paper]{{article}}
\usepackage[margin=2cm]{{geometry}}
\usepackage{{amsmath,amssymb,graphicx,xcolor,longtable,array,booktabs,caption}}
\usepackage{{breqn}}
\usepackage[colorlinks=true,linkcolor=blue!50!black,urlcolor=blue!50!black]{{hyperref}}
\allowdisplaybreaks
\setlength{{\parindent}}{{0pt}}
\setlength{{\parskip}}{{3pt}}
\setlength{{\emergencystretch}}{{2em}}
\title{{Audit of \emph{{{escape(PAPER)}}}}}
\author{{alignment-tax {VERSION} (seed {self.cfg.seed})}}
\date{{}}
\begin{{document}}
\maketitle"""

    def _print_front(self, findings: list[Finding]) -> str:
        verdicts = "\n".join(rf"\item[\textcolor{{{_COLOUR[v]}}}{{{v.value}}}] {escape(text)}"
                             for v, text in VERDICTS.items())
        signs = "\n".join(rf"\item {_text(s)}" for s in SIGNS)
        rows = "\n".join(self._print_summary_row(f) for f in findings)
        return rf"""{escape(INTRO)}

\subsection*{{Verdicts}}
\begin{{description}}
{verdicts}
\end{{description}}
A finding's severity is its kind (theorem, corollary, gloss, ...) crossed with where it fails: a refuted
theorem is not a refuted gloss.

\subsection*{{Conventions}}
\begin{{itemize}}
{signs}
\end{{itemize}}

\subsection*{{Summary}}
{{\small
\begin{{longtable}}{{@{{}}>{{\raggedright}}p{{3.3cm}}>{{\raggedright}}p{{6.3cm}}>{{\raggedright}}p{{2.6cm}}%
>{{\raggedright\arraybackslash}}p{{3.5cm}}@{{}}}}
\toprule
claim & paper says & audit says & severity \\ \midrule
\endhead
{rows}
\bottomrule
\end{{longtable}}}}
\clearpage"""

    def _print_summary_row(self, f: Finding) -> str:
        audit = rf"\textcolor{{{_COLOUR[f.verdict]}}}{{{f.verdict.value}}}"
        if f.scope:
            audit += rf" ({escape(f.scope.value)})"
        # \mbox: an id never breaks at its hyphen ("rem-" / "4.2.orthogonal").
        return (rf"\hyperref[{_label(f.id)}]{{\mbox{{{escape(f.id)}}}}} & {_statement(f.printed)} & {audit} & "
                rf"{escape(severity(f))} \\")

    def _print_claim(self, f: Finding) -> str:
        toc = rf"{escape(f.id)}: {escape(f.location)} ({f.kind.value}) --- {f.verdict.value}"
        out = [rf"\section*{{{escape(f.id)}: {escape(f.location)}}}\label{{{_label(f.id)}}}",
               rf"\addcontentsline{{toc}}{{subsection}}{{{toc}}}",
               rf"\paragraph{{As printed.}} {_statement(f.printed)}"]
        if f.statement is not None:
            out.append(r"\paragraph{Formal statement.}" + self._print_statement(f.statement))
        verdict = rf"\paragraph{{Verdict.}} \textcolor{{{_COLOUR[f.verdict]}}}{{\textbf{{{f.verdict.value}}}}}"
        if f.scope:
            verdict += rf" (scope: {f.scope.value})"
        verdict += rf"; kind: {f.kind.value}; severity: {escape(severity(f))}"
        if f.cause:
            verdict += f"; cause: {escape(f.cause.value)}"
        if f.reading:
            verdict += f"; reading: {escape(f.reading)}"
        if f.methods:
            verdict += "; methods: " + escape(", ".join(m.value for m in f.methods))
        out.append(verdict + ".")
        for deriv, checks in f.derivations:
            out.append(rf"\paragraph{{Derivation: {escape(deriv.title)}.}}")
            if deriv.assumptions:
                out.append("Assumptions: " + "; ".join(escape(a) for a in deriv.assumptions) + ".")
            out.append(r"\begin{enumerate}")
            for c in checks:
                out.append(rf"\item \textbf{{{escape(c.step.name)}}}: {escape(c.step.rule)}. "
                           rf"\emph{{{_STATUS[c.status]}}} ({escape(c.method)}"
                           + (f", residual {escape(c.residual)}" if c.residual else "") + ")."
                           + self._print_step(c.step))
            out.append(r"\end{enumerate}")
        out.append(r"\paragraph{Evidence.} " + "; ".join(_item(i) for i in f.evidence) + ".")
        if f.conditions:
            out.append(r"\paragraph{Conditions.} " + ", ".join(f"${tex(c)}$" for c in f.conditions) + ".")
        if f.counterexample:
            out.append(self._print_counterexample(f.counterexample))
        for k, c in enumerate(f.correction or ()):
            title = "Corrected statement" + (f" {k + 1}" if len(f.correction) > 1 else "")
            out.append(rf"\paragraph{{{title}.}} " + (escape(c.words) + "." if c.words else "")
                       + self._print_statement(c))
        for fig in self.figures.get(f.id, []):
            out.append(self._print_figure(fig))
        return "\n".join(out)

    def _print_statement(self, statement) -> str:
        """'for all (domains, hypotheses): conclusion': the domains and hypotheses packed into lines of
        a display's width (a long hypothesis in a display of its own, which breqn breaks), then the
        conclusion (breqn breaks a relation, not a list of domains)."""
        lines = statement_lines(statement, _SHORT)
        heads = [r",\ ".join(tex(x) for x in line) for line in lines]
        if heads:
            heads[0] = statement.quantifier.latex + r"\, " + heads[0]
            heads[-1] += ":"
        # A packed line of several short items stays one line; only a single long item is left to breqn.
        shown = [rf"\[{h}\]" if len(line) > 1 else self._display(h) for h, line in zip(heads, lines, strict=True)]
        return "".join(shown) + self._display(tex(statement.conclusion))

    def _display(self, latex: str) -> str:
        if len(latex) <= _SHORT:
            return rf"\[{latex}\]"
        return rf"\begin{{dmath*}}{latex}\end{{dmath*}}"

    def _print_line(self, line: Line) -> str:
        parts = [_REL.get(x, x) if isinstance(x, str) else tex(x) for x in line.items]
        latex = " ".join(parts)
        if line.label:
            latex = rf"\text{{{line.label}:}}\quad " + latex
        return self._display(latex)

    def _print_step(self, step) -> str:
        # breqn breaks a long scalar line by itself; only matrices are cut, entry by entry.
        return "".join(self._print_line(line) for line in step_lines(step, limit=10**6, matrix_limit=400))

    def _print_counterexample(self, ce: Counterexample) -> str:
        rows = [rf"${tex(sp.Symbol(k))}$ & ${tex(v)}$ \\" for k, v in ce.parameters.items()]
        return (rf"\paragraph{{Counterexample ({ce.certified.value}).}}"
                "\n" r"\begin{center}\begin{tabular}{ll}\toprule parameter & value \\ \midrule" "\n"
                + "\n".join(rows) + "\n" r"\bottomrule\end{tabular}\end{center}" "\n"
                + "Claimed:" + self._display(tex(ce.claimed))
                + f"Actual: left side {_ball(ce.sides[0])}, right side {_ball(ce.sides[1])} "
                  f"(margin at most {escape(ce.margin_upper)}).")

    def _print_figure(self, fig) -> str:
        if isinstance(fig, str):       # a bare path, as older callers pass
            return rf"\begin{{center}}\includegraphics[width=0.8\linewidth]{{{fig}}}\end{{center}}"
        width = min(1.0, 0.8 * fig.width / _TEXT_WIDTH_IN)
        return (r"\par\noindent\begin{minipage}{\linewidth}\centering"
                rf"\includegraphics[width={width:.2f}\linewidth]{{{fig.pdf}}}"
                rf"\captionof{{figure}}{{{escape(fig.caption)}}}\end{{minipage}}\par")


def latex_document(findings: list[Finding], cfg: AuditConfig, figures: dict[str, Sequence] | None = None) -> str:
    return LatexWriter(cfg, figures).doprint(findings)


def write_latex(findings: list[Finding], cfg: AuditConfig, directory: Path,
                figures: dict[str, Sequence] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "alignment_tax_audit.tex"
    path.write_text(latex_document(findings, cfg, figures))
    return path


def write_pdf(tex_path: Path, passes: int = 4) -> Path | None:
    """Compile with pdflatex until the cross-references settle (the contents need two passes after the
    last change of a page number, hyperref's anchors one more); None when no TeX engine is installed.

    A pass is the last when the .toc it read is the .toc it wrote and LaTeX asks for no rerun: a fresh
    build takes three passes, a rebuild of an unchanged document in the same directory one."""
    engine = shutil.which("pdflatex")
    if engine is None:
        return None
    toc = tex_path.with_suffix(".toc")
    previous = toc.read_text() if toc.exists() else None   # left by an earlier build
    for _ in range(passes):
        run = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", tex_path.name],
                             cwd=tex_path.parent, capture_output=True, text=True, timeout=300)
        if run.returncode != 0:
            tail = "\n".join(run.stdout.splitlines()[-25:])
            raise RuntimeError(f"pdflatex failed on {tex_path}:\n{tail}")
        current = toc.read_text() if toc.exists() else ""
        # LaTeX says "Rerun" for labels but not for the contents: compare the .toc between passes.
        if current == previous and "Rerun to get" not in run.stdout:
            break
        previous = current
    return tex_path.with_suffix(".pdf")

"""The LaTeX document: a first page with the verdict vocabulary, the conventions and a summary table,
hyperlinked contents, then each claim's statement, verdict, step-by-step derivation, evidence,
counterexample, correction and figures.  ``write_pdf`` compiles it with pdflatex where one is installed.

Long formulas break across lines (breqn's ``dmath``, one line per matrix entry) instead of being
scaled; the checks' ASCII mathematics is typeset (``prose``).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Sequence

import sympy as sp

from derive.core import Status
from paper_checks.finding import AuditConfig, Counterexample, Finding, Verdict
from paper_checks.report.json_report import PAPER, VERSION
from paper_checks.report.layout import Line, statement_lines, step_lines, tex
from paper_checks.report.preamble import INTRO, SIGNS, VERDICTS, severity
from paper_checks.report.prose import ascii_latex, mixed

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


def _prose(text: str) -> str:
    return "".join(f"${piece}$" if is_math else escape(piece) for is_math, piece in mixed(text))


def _label(claim_id: str) -> str:
    return "claim:" + re.sub(r"[^A-Za-z0-9.-]", "-", claim_id)


def _param_name(name: str) -> str:
    return ascii_latex(name.replace("_star", "*"))


def _value(v: object) -> str:
    if isinstance(v, (list, tuple)):
        return "(" + ", ".join(_value(x) for x in v) + ")"
    if re.fullmatch(r"-?\d+(/\d+)?", str(v)):
        return sp.latex(sp.Rational(str(v)))
    return ascii_latex(str(v))


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
        signs = "\n".join(rf"\item {_prose(s)}" for s in SIGNS)
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
        if f.statement:
            out.append(r"\paragraph{Formal statement.}" + self._print_statement(f.statement))
        verdict = rf"\paragraph{{Verdict.}} \textcolor{{{_COLOUR[f.verdict]}}}{{\textbf{{{f.verdict.value}}}}}"
        if f.scope:
            verdict += rf" (scope: {f.scope.value})"
        verdict += rf"; kind: {f.kind.value}; severity: {escape(severity(f))}"
        if f.methods:
            verdict += "; methods: " + escape(", ".join(m.value for m in f.methods))
        out.append(verdict + ".")
        for deriv, checks in f.derivations:
            out.append(rf"\paragraph{{Derivation: {_prose(deriv.title)}.}}")
            if deriv.assumptions:
                out.append("Assumptions: " + "; ".join(_prose(a) for a in deriv.assumptions) + ".")
            out.append(r"\begin{enumerate}")
            for c in checks:
                out.append(rf"\item \textbf{{{escape(c.step.name)}}}: {_prose(c.step.rule)}. "
                           rf"\emph{{{_STATUS[c.status]}}} ({_prose(c.method)}"
                           + (f", residual ${ascii_latex(c.residual)}$" if c.residual else "") + ")."
                           + self._print_step(c.step))
            out.append(r"\end{enumerate}")
        out.append(rf"\paragraph{{Evidence.}} {_prose(f.evidence)}")
        if f.conditions:
            out.append(rf"\paragraph{{Conditions.}} {_prose(f.conditions)}")
        if f.counterexample:
            out.append(self._print_counterexample(f.counterexample))
        if f.correction:
            out.append(rf"\paragraph{{Corrected statement.}} {self._print_field(f.correction)}")
        for fig in self.figures.get(f.id, []):
            out.append(self._print_figure(fig))
        return "\n".join(out)

    def _print_statement(self, latex: str) -> str:
        """'for all (domains, hypotheses): conclusion': the domains and hypotheses packed into lines of
        a display's width (a long hypothesis in a display of its own, which breqn breaks), then the
        conclusion (breqn breaks a relation, not a list of domains)."""
        head, sep, conclusion = latex.partition(r":\quad ")
        if not sep:
            return self._display(latex)
        return "".join(self._display(line) for line in statement_lines(head + ":", _SHORT)) + self._display(conclusion)

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
        rows = [rf"${_param_name(k)}$ & ${_value(v)}$ \\" for k, v in ce.parameters.items()]
        return (rf"\paragraph{{Counterexample ({ce.certified.value}).}}"
                "\n" r"\begin{center}\begin{tabular}{ll}\toprule parameter & value \\ \midrule" "\n"
                + "\n".join(rows) + "\n" r"\bottomrule\end{tabular}\end{center}" "\n"
                rf"Claimed: {self._print_field(ce.claimed)} Actual: {self._print_field(ce.actual)}")

    def _print_field(self, text: str) -> str:
        """Prose inline; a formula rendered from a formal statement as a display (it can be long)."""
        parts = mixed(text)
        if len(parts) == 1 and parts[0][0] and len(parts[0][1]) > 60:
            return self._display(parts[0][1])
        return _prose(text) + "."

    def _print_figure(self, fig) -> str:
        if isinstance(fig, str):       # a bare path, as older callers pass
            return rf"\begin{{center}}\includegraphics[width=0.8\linewidth]{{{fig}}}\end{{center}}"
        width = min(1.0, 0.8 * fig.width / _TEXT_WIDTH_IN)
        return (r"\par\noindent\begin{minipage}{\linewidth}\centering"
                rf"\includegraphics[width={width:.2f}\linewidth]{{{fig.pdf}}}"
                rf"\captionof{{figure}}{{{_prose(fig.caption)}}}\end{{minipage}}\par")


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

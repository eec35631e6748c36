"""The LaTeX document: each claim's statement, verdict, step-by-step derivation, certified numbers,
counterexample, correction and figures.  ``write_pdf`` compiles it with pdflatex where one is installed."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from derive.core import Status
from paper_checks.finding import AuditConfig, Finding, Verdict
from paper_checks.report.json_report import PAPER, VERSION

__all__ = ["escape", "latex_document", "write_latex", "write_pdf"]

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
_STATUS = {Status.OK: "proved by SymPy", Status.NUMERIC: "numeric only (50 digits)", Status.FAILED: "FAILED"}
_COLOUR = {Verdict.VERIFIED: "green!40!black", Verdict.CONDITIONAL: "orange!80!black",
           Verdict.REFUTED: "red!70!black", Verdict.NOT_CHECKABLE: "gray", Verdict.UNDECIDED: "magenta"}
# A displayed formula longer than this (in LaTeX source characters) is scaled to the line width.
_WIDE = 160


def escape(text: str) -> str:
    """Plain text made safe for LaTeX."""
    return "".join(_SPECIAL.get(ch, ch) for ch in text)


def _statement(text: str) -> str:
    """A statement as printed: prose with $...$ mathematics (the registry's convention)."""
    parts = text.split("$")
    return "".join(escape(p) if i % 2 == 0 else f"${p}$" for i, p in enumerate(parts))


def _display(tex: str) -> str:
    if len(tex) > _WIDE:
        return f"\\[\\resizebox{{\\linewidth}}{{!}}{{$\\displaystyle {tex}$}}\\]"
    return f"\\[{tex}\\]"


def _claim(f: Finding, figures: dict[str, list[str]]) -> str:
    out = [f"\\section*{{{escape(f.id)}: {escape(f.location)}}}",
           f"\\addcontentsline{{toc}}{{section}}{{{escape(f.id)}}}",
           f"\\paragraph{{As printed.}} {_statement(f.printed)}",
           f"\\paragraph{{Verdict.}} \\textcolor{{{_COLOUR[f.verdict]}}}{{\\textbf{{{f.verdict.value}}}}}"
           + (f" (scope: {f.scope.value})" if f.scope else "")
           + f"; methods: {escape(', '.join(m.value for m in f.methods))}."]
    for deriv, checks in f.derivations:
        out.append(f"\\paragraph{{Derivation: {escape(deriv.title)}.}}")
        if deriv.assumptions:
            out.append("Assumptions: " + "; ".join(escape(a) for a in deriv.assumptions) + ".")
        out.append("\\begin{enumerate}")
        for c in checks:
            out.append(f"\\item \\textbf{{{escape(c.step.name)}}}: {escape(c.step.rule)}. "
                       f"\\emph{{{_STATUS[c.status]}}} ({escape(c.method)}"
                       + (f", residual {escape(c.residual)}" if c.residual else "") + ")."
                       + _display(c.step.latex()))
        out.append("\\end{enumerate}")
    out.append(f"\\paragraph{{Evidence.}} {escape(f.evidence)}")
    if f.conditions:
        out.append(f"\\paragraph{{Conditions.}} {escape(f.conditions)}")
    if f.counterexample:
        ce = f.counterexample
        params = ", ".join(f"{k} = {v}" for k, v in ce.parameters.items())
        out.append(f"\\paragraph{{Counterexample ({ce.certified.value}).}} {escape(params)}. "
                   f"Claimed: {escape(ce.claimed)}. Actual: {escape(ce.actual)}.")
    if f.correction:
        out.append(f"\\paragraph{{Corrected statement.}} {escape(f.correction)}")
    for path in figures.get(f.id, []):
        out.append(f"\\begin{{center}}\\includegraphics[width=0.8\\linewidth]{{{path}}}\\end{{center}}")
    return "\n".join(out)


def latex_document(findings: list[Finding], cfg: AuditConfig, figures: dict[str, list[str]] | None = None) -> str:
    figures = figures or {}
    summary = "\n".join(f"{escape(f.id)} & {escape(f.location)} & \\textcolor{{{_COLOUR[f.verdict]}}}"
                        f"{{{f.verdict.value}}} & {escape(f.scope.value) if f.scope else ''} \\\\"
                        for f in findings)
    body = "\n\n".join(_claim(f, figures) for f in findings)
    return rf"""\documentclass[10pt]{{article}}
\usepackage[margin=2cm]{{geometry}}
\usepackage{{amsmath,amssymb,graphicx,xcolor,longtable}}
\allowdisplaybreaks
\title{{Audit of \emph{{{escape(PAPER)}}}}}
\author{{alignment-tax {VERSION} (seed {cfg.seed})}}
\date{{}}
\begin{{document}}
\maketitle
Every verdict below was computed: each derivation step was checked by SymPy (or, where labelled, only
numerically at 50 digits), each optimum was enclosed by a certified interval, and each counterexample
was certified exactly or in interval arithmetic.
\begin{{longtable}}{{llll}}
claim & where in the paper & verdict & scope \\ \hline
{summary}
\end{{longtable}}
\tableofcontents
{body}
\end{{document}}
"""


def write_latex(findings: list[Finding], cfg: AuditConfig, directory: Path,
                figures: dict[str, list[str]] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "alignment_tax_audit.tex"
    path.write_text(latex_document(findings, cfg, figures))
    return path


def write_pdf(tex: Path) -> Path | None:
    """Compile with pdflatex (twice, for the contents); None when no TeX engine is installed."""
    engine = shutil.which("pdflatex")
    if engine is None:
        return None
    for _ in range(2):
        run = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tex.parent,
                             capture_output=True, text=True, timeout=300)
        if run.returncode != 0:
            tail = "\n".join(run.stdout.splitlines()[-25:])
            raise RuntimeError(f"pdflatex failed on {tex}:\n{tail}")
    return tex.with_suffix(".pdf")

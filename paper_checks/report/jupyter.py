"""How a finding displays itself in Jupyter: HTML with MathML (the page's own section, counterexample as
a table), and LaTeX cut into one small display per line so that no formula exceeds MathJax's buffer.

The data model imports no writer: ``register`` gives IPython these two functions as the formatters of
``paper_checks.finding.Finding``, by the class's name.  ``paper_checks.audit`` registers them when it is imported in
an IPython shell (a notebook), and ``%load_ext paper_checks.report.jupyter`` does it by hand.
"""
from __future__ import annotations

import html
import re
from typing import Any

from paper_checks.finding import AuditConfig, Finding
from paper_checks.report.layout import step_lines, tex

__all__ = ["finding_html", "finding_latex", "register", "load_ipython_extension", "MATHJAX_LIMIT"]

# MathJax 3 stops at 5 kB of TeX per expression ("MathJax internal buffer size exceeded"); a display
# stays well under it, macro expansion included.
MATHJAX_LIMIT = 3000
_LINE = 1200
_REL = {"=": "=", "<=": r"\le", "<": "<", "+": "+", "-": "-"}


def finding_html(f: Finding) -> str:
    """The finding's section of the HTML report (MathML maths, counterexample table, steps, no figure)."""
    from paper_checks.report.html import _CSS, HtmlWriter

    try:
        return (f"<div class=\"alignment-tax\"><style>{_scoped(_CSS)}</style>"
                f"{HtmlWriter(AuditConfig())._print_claim(f)}</div>")
    except Exception as exc:  # a notebook shows a message, never a traceback
        return f"<p>could not render {html.escape(f.id)}: {html.escape(type(exc).__name__)}</p>"


def _scoped(css: str) -> str:
    """The page's rules limited to the finding's block: a notebook's own body and headings keep their style."""
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    return " ".join(", ".join(f".alignment-tax {sel.strip()}" for sel in sels.split(",")) + f" {{{body}}}"
                    for sels, body in rules if sels.strip() not in ("body", "h1"))


def _text(s: str) -> str:
    # MathJax's \text{} takes braces, backslashes and dollars literally only when escaped.
    return s.replace("\\", "").replace("{", r"\{").replace("}", r"\}").replace("$", r"\$")


def finding_latex(f: Finding) -> str:
    """Several ``$$...$$`` displays: a header, then one per line of each derivation step."""
    try:
        out = [rf"$$\text{{{_text(f.id)}: {f.verdict.value}" + (f" ({f.scope.value})" if f.scope else "") + "}$$"]
        statement = f.statement.latex() if f.statement is not None else ""
        if statement and len(statement) < MATHJAX_LIMIT:
            out.append(f"$${statement}$$")
        for deriv, checks in f.derivations:
            out.append(rf"$$\text{{{_text(deriv.title)}}}$$")
            for c in checks:
                for k, line in enumerate(step_lines(c.step, _LINE)):
                    label = rf"\text{{{_text(c.step.name)}: {c.status.value}}}\quad " if k == 0 else r"\quad "
                    if line.label:
                        label += rf"\text{{{line.label}: }}"
                    body = " ".join(_REL.get(x, x) if isinstance(x, str) else tex(x) for x in line.items)
                    out.append(f"$${label}{body}$$" if len(body) < MATHJAX_LIMIT
                               else rf"$${label}\text{{(too long to display; see the HTML report)}}$$")
        return "\n".join(out)
    except Exception as exc:
        return rf"$\text{{could not render {_text(f.id)}: {type(exc).__name__}}}$"


def register(shell: Any) -> None:
    """Show every ``Finding`` in the IPython ``shell`` as ``finding_html`` and ``finding_latex``."""
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type_by_name("paper_checks.finding", "Finding", finding_html)
    formatters["text/latex"].for_type_by_name("paper_checks.finding", "Finding", finding_latex)


def load_ipython_extension(shell: Any) -> None:
    """``%load_ext paper_checks.report.jupyter``."""
    register(shell)

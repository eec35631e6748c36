"""Report writers: LaTeX that keeps the maths' structure, Markdown, figures, Jupyter display, the PDF path."""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.parsing.latex import parse_latex

from dataclasses import replace

from derive import capability_constraint as DK
from derive import frontier as DF
from derive import safety_pair as DS
from derive import whitening as DW
from derive.core import Status, StepCheck
from paper_checks.cli import main
from paper_checks.finding import AuditConfig
from paper_checks.registry import by_id
from paper_checks.figures import Figure
from paper_checks.report import jupyter as J
from paper_checks.report import latex as L
from paper_checks.report import markdown_report
from paper_checks.report import html as H
from paper_checks.text import Text
from proofs.findings import audited

CFG = AuditConfig()   # the findings are the run's own (proofs.findings), judged under it


# The closed forms of the paper as the package emits them, each built in the test that reads it (deriving them at
# collection costs every worker a second).
_PAPER_EXPRESSIONS = {
    "statement-rhs": lambda: by_id("thm-4.1").statement.conclusion.rhs,
    "frontier": DF.frontier_value, "conic": DF.conic,
    "projected-cos": lambda: DS.projected_cos(DS.rho, DS.a, DS.b), "max-at-target": DK.max_safety_at_target,
    "equal-gain": lambda: DS.s * sp.cos(DS.theta) + sp.sin(DS.theta) * sp.sqrt(1 - DS.s**2),
    "max-min": DS.max_min_value, "partial-correlation": lambda: (DS.rho - DS.a * DS.b) / (1 - DS.a * DS.b),
    "power": lambda: 1 / (1 - DS.a) ** 2 - DS.b ** 3,
    "nested-quotient": lambda: -(DS.a - DS.b) ** 3 / (DS.rho * (DS.a + DS.b)),
}


def _parse(tex: str) -> sp.Expr:
    """SymPy's LaTeX parser (ANTLR), reading 'z (x + y)' as the product it denotes, not a function call."""
    back = parse_latex(tex)
    return back.replace(lambda f: isinstance(f, AppliedUndef),
                        lambda f: sp.Symbol(f.func.__name__) * sp.Mul(*f.args))


@pytest.mark.parametrize("name", _PAPER_EXPRESSIONS)
def test_emitted_latex_round_trips(name: str) -> None:
    """Parse the emitted LaTeX back and compare numerically: a dropped parenthesis changes the value."""
    expr = _PAPER_EXPRESSIONS[name]()
    plain = {s: sp.Symbol(n) for s, n in zip(sorted(expr.free_symbols, key=str), "xyzuwpqt", strict=False)}
    e = expr.subs(plain)
    back = _parse(sp.latex(e))
    rng = random.Random(str(expr))
    for _ in range(5):
        point = {s: sp.Rational(rng.randint(1, 40), 97) for s in e.free_symbols}
        assert abs(complex(sp.N(e.subs(point) - back.subs(point), 30))) < 1e-20


def test_round_trip_would_catch_a_dropped_parenthesis() -> None:
    x, y = sp.symbols("x y")
    wrong = sp.latex(x / (1 + y)).replace(r"\frac{x}{y + 1}", r"x / y + 1")
    back = _parse(wrong)
    assert sp.simplify(back - x / (1 + y)) != 0


def test_escape_text() -> None:
    assert L.escape("a_b ^ {c} 10% #1 & ~|x|") == (r"a\_b \textasciicircum{} \{c\} 10\% \#1 \& "
                                                      r"\textasciitilde{}\textbar{}x\textbar{}")


def test_statement_keeps_math_and_escapes_prose() -> None:
    assert L._statement(r"tau_i is $\tau_i = x_1$ here") == r"tau\_i is $\tau_i = x_1$ here"


def test_latex_document_has_every_part() -> None:
    finding = audited("cor-6.6")
    fig = Figure("x", "Corollary 6.6: the bound (17) against the attained min gain 0.600.", 4.6)
    doc = L.latex_document([finding], CFG, {"cor-6.6": [fig]})
    for part in (r"\section*{cor-6.6", "Verdict.", "Derivation:", "Counterexample (", "Corrected statement",
                 r"\includegraphics[width=0.55\linewidth]{figures/x.pdf}", r"\captionof{figure}{Corollary 6.6",
                 r"\end{document}", "severity: corollary, fails on an open set"):
        assert part in doc, part


def test_long_formulas_break_across_lines_instead_of_scaling() -> None:
    """Def 3.3's steps are the longest: breqn breaks them; its 3x3 Fisher matrix goes entry by entry."""
    checks = tuple(StepCheck(s, Status.OK, "test") for s in (*DW.kl_expansion().steps, DW.kl_expansion().result))
    finding = replace(audited("def-3.4"), derivations=((DW.kl_expansion(), checks),))
    doc = L.latex_document([finding], CFG)
    assert r"\resizebox" not in doc
    assert doc.count(r"\begin{dmath*}") >= 5
    assert r"\text{entry (3, 3):}" in doc
    assert r"\begin{matrix}" not in doc


def test_first_page_and_contents() -> None:
    findings = [audited(i) for i in ("cor-6.6", "def-3.4", "pred-1")]
    doc = L.latex_document(findings, CFG)
    front = doc.split(r"\tableofcontents")[0]
    for part in ("Verdicts", "Conventions", "Summary", "paper says & audit says & severity",
                 r"\hyperref[claim:cor-6.6]{\mbox{cor-6.6}}", "corollary, fails on an open set",
                 "prediction, nothing to check",
                 r"a capability loss is $\Delta_{C} < 0$"):
        assert part in front, part
    assert r"\addcontentsline{toc}{subsection}{cor-6.6: Corollary 6.6, eq. (17) (corollary) --- refuted}" in doc
    assert "methods: ." not in doc and "methods:" not in doc.split(r"\section*{pred-1")[1]


def test_words_and_formulas_are_printed_by_each_writer() -> None:
    """A Text's words stay words (solver names included) and its formulas go through each writer's printer."""
    alpha, gamma_bar = sp.Symbol("alpha"), sp.Symbol("gamma_bar")
    t = Text.of("at ", sp.Eq(alpha, sp.pi / 2), " the bound needs ", sp.Le(gamma_bar, 1), " (z3 and cvc5 agree)")
    assert str(t) == "at alpha = pi/2 the bound needs gamma_bar <= 1 (z3 and cvc5 agree)"
    assert L._text(t) == r"at $\alpha = \frac{\pi}{2}$ the bound needs $\bar{\gamma} \leq 1$ (z3 and cvc5 agree)"
    page = H._prose(t)
    assert page.startswith("at <math") and "<mover" in page and page.endswith(" (z3 and cvc5 agree)")
    assert "\\" not in page and "$" not in page


@pytest.mark.skipif(shutil.which("pdflatex") is None or shutil.which("pdftotext") is None,
                    reason="needs TeX Live and poppler-utils")
def test_pdf_contents_give_the_right_pages(tmp_path: Path) -> None:
    """Each contents entry names the page its section starts on (two passes made them one too low)."""
    import subprocess

    findings = [audited(i) for i in ("cor-6.6", "def-3.4", "pred-1", "def-3.3")]
    pdf = L.write_pdf(L.write_latex(findings, CFG, tmp_path))
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    for f in findings:
        entry = re.search(rf"{re.escape(f.id)}: .*?(\d+)\s*$", next(p for p in pages if "Contents" in p), re.M)
        start = next(n for n, p in enumerate(pages, 1) if re.search(rf"^\s*{re.escape(f.id)}: ", p, re.M)
                     and "Contents" not in p)
        assert int(entry.group(1)) == start, (f.id, entry.group(0), start)


def test_markdown_report() -> None:
    finding = audited("thm-6.4.ii")
    text = markdown_report([finding], CFG)
    assert "| `thm-6.4.ii` | Theorem 6.4 (ii) | verified |" in text
    assert "## `thm-6.4.ii`: Theorem 6.4 (ii)" in text and "$$" in text
    assert "## Conventions" in text


def test_markdown_embeds_figures_drawn_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "audit.md"
    assert main(["audit", "--only", "cor-6.6", "--quiet", "--markdown", str(out)]) == 0
    text = out.read_text()
    assert "![counterexample_cor_6_6](figures/counterexample_cor_6_6.png)" in text
    assert (tmp_path / "figures" / "counterexample_cor_6_6.png").stat().st_size > 1000
    assert "| parameter | value |" in text


def test_jupyter_displays_fit_mathjax_and_tabulate_counterexamples() -> None:
    checks = tuple(StepCheck(s, Status.OK, "test") for s in (*DW.kl_expansion().steps, DW.kl_expansion().result))
    finding = replace(audited("cor-6.6"), derivations=((DW.kl_expansion(), checks),))
    latex = J.finding_latex(finding)
    displays = re.findall(r"\$\$(.*?)\$\$", latex, re.S)
    assert len(displays) > 5 and max(map(len, displays)) < J.MATHJAX_LIMIT
    assert "too long to display" not in latex
    html = J.finding_html(finding)
    assert '<table class="ce"><tr><th>parameter</th><th>value</th></tr>' in html and "<math" in html
    assert "\nbody {" not in html and ".alignment-tax table.ce th" in html   # the notebook's own style untouched
    derivation = DW.kl_expansion()._repr_latex_()
    assert max(map(len, re.findall(r"\$\$(.*?)\$\$", derivation, re.S))) < 5000


def test_markdown_cli(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    assert main(["audit", "--only", "rem-6.2", "--quiet", "--markdown", str(out)]) == 0
    assert out.read_text().startswith("# Audit of *What Is the Geometry of the Alignment Tax?*")


def test_latex_cli_without_tex_engine(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["derive", "rem-6.2", "--latex", str(tmp_path / "tex"), "--pdf"]) == 0
    out = capsys.readouterr().out
    assert "no TeX engine found (pdflatex): the .tex is written" in out
    assert (tmp_path / "tex" / "alignment_tax_audit.tex").exists()


@pytest.mark.slow     # draws every figure, auditing every pictured claim
def test_figures_are_written_with_captions(tmp_path: Path) -> None:
    from paper_checks.figures import CAPTIONS, PICTURED, write_figures

    drawn = write_figures(tmp_path / "fig")
    assert set(drawn) == PICTURED
    names = {fig.name for figs in drawn.values() for fig in figs}
    assert names == set(CAPTIONS)   # every figure has a caption, and every caption a figure
    for name in names:
        assert (tmp_path / "fig" / f"{name}.png").stat().st_size > 1000
        assert (tmp_path / "fig" / f"{name}.pdf").exists()


def test_every_certified_counterexample_has_a_picture() -> None:
    from paper_checks.figures import PICTURED
    from paper_checks.registry import IDS

    with_counterexample = {i for i in IDS if audited(i).counterexample is not None}
    assert with_counterexample <= PICTURED, with_counterexample - PICTURED


def test_a_sub_claims_figure_shows_under_its_audited_parent(tmp_path: Path) -> None:
    from paper_checks.figures import write_figures

    drawn = write_figures(tmp_path, ["rem-4.2"])     # its picture is keyed by the sub-claim rem-4.2.quarter
    assert [f.name for f in drawn["rem-4.2"]] == ["counterexample_rem_4_2"]

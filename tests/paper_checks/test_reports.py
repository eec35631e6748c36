"""Report writers: LaTeX that keeps the maths' structure, Markdown, figures, Jupyter display, the PDF path."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.parsing.latex import parse_latex

from derive import capability_constraint as DK
from derive import frontier as DF
from derive import safety_pair as DS
from paper_checks.audit import judge
from paper_checks.cli import main
from paper_checks.finding import AuditConfig
from paper_checks.registry import by_id
from paper_checks.report import latex as L
from paper_checks.report import markdown_report

CFG = AuditConfig(samples=6)


def _paper_expressions() -> list[sp.Expr]:
    """The closed forms of the paper as the package emits them."""
    return [DF.PRINTED, DF.frontier_value(), DF.conic(), DS.cos_theta_printed, DK.PRINTED_4,
            DS.s * sp.cos(DS.theta) + sp.sin(DS.theta) * sp.sqrt(1 - DS.s**2), DS.max_min_value(),
            (DS.rho - DS.a * DS.b) / (1 - DS.a * DS.b), 1 / (1 - DS.a) ** 2 - DS.b ** 3,
            -(DS.a - DS.b) ** 3 / (DS.rho * (DS.a + DS.b))]


def _parse(tex: str) -> sp.Expr:
    """SymPy's LaTeX parser (ANTLR), reading 'z (x + y)' as the product it denotes, not a function call."""
    back = parse_latex(tex)
    return back.replace(lambda f: isinstance(f, AppliedUndef),
                        lambda f: sp.Symbol(f.func.__name__) * sp.Mul(*f.args))


@pytest.mark.parametrize("expr", _paper_expressions(), ids=str)
def test_emitted_latex_round_trips(expr: sp.Expr) -> None:
    """Parse the emitted LaTeX back and compare numerically: a dropped parenthesis changes the value."""
    plain = {s: sp.Symbol(n) for s, n in zip(sorted(expr.free_symbols, key=str), "xyzuwpqt")}
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
    finding = judge(by_id("cor-6.6"), CFG)
    doc = L.latex_document([finding], CFG, {"cor-6.6": ["figures/x.pdf"]})
    for part in (r"\section*{cor-6.6", "Verdict.", "Derivation:", "Counterexample (interval)", "Corrected statement",
                 r"\includegraphics[width=0.8\linewidth]{figures/x.pdf}", r"\end{document}"):
        assert part in doc


def test_markdown_report() -> None:
    finding = judge(by_id("thm-6.4.ii"), CFG)
    text = markdown_report([finding], CFG)
    assert "| `thm-6.4.ii` | Theorem 6.4 (ii) | verified |" in text
    assert "## `thm-6.4.ii`: Theorem 6.4 (ii)" in text and "$$" in text


def test_jupyter_reprs() -> None:
    finding = judge(by_id("thm-6.4.iii"), CFG)
    assert finding._repr_latex_().startswith("$\\begin{aligned}")
    assert "<table>" in finding._repr_html_()
    assert DS.equal_gain()._repr_latex_().startswith("$")


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


def test_figures_are_written(tmp_path: Path) -> None:
    assert main(["figures", str(tmp_path / "fig")]) == 0
    for name in ("frontier", "safety_pair", "counterexample_pareto", "counterexample_cor_6_6",
                 "counterexample_thm_6_4_i", "counterexample_ellipse_sphere", "counterexample_rem_4_2",
                 "counterexample_sec_4_4", "counterexample_prop_5_5", "tau_vs_d", "coherence_vs_d"):
        assert (tmp_path / "fig" / f"{name}.png").stat().st_size > 1000
        assert (tmp_path / "fig" / f"{name}.pdf").exists()


def test_every_certified_counterexample_has_a_picture(tmp_path: Path) -> None:
    from paper_checks.audit import run
    from paper_checks.figures import write_figures
    from paper_checks.registry import CLAIMS

    pictured = write_figures(tmp_path / "fig")
    with_counterexample = {f.id for f in run(CLAIMS, AuditConfig(samples=6)) if f.counterexample is not None}
    assert with_counterexample <= set(pictured), with_counterexample - set(pictured)

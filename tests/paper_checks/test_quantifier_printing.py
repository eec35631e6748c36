"""Every writer prints a statement's own quantifier: an existential claim ("can be less") never reads "for all"."""
from __future__ import annotations

import dataclasses

import sympy as sp

from paper_checks.explain import statement_text
from paper_checks.finding import AuditConfig
from paper_checks.registry import by_id
from paper_checks.report.html import HtmlWriter
from paper_checks.report.latex import LatexWriter
from paper_checks.report.markdown import _statement
from paper_checks.statement import Quantifier


def _existential():
    s = by_id("rem-4.6.additivity").statement
    assert s.quantifier is Quantifier.EXISTENTIAL
    return s


def test_an_existential_statement_reads_there_exists_in_every_writer() -> None:
    s = _existential()
    assert statement_text(s).startswith("there exist") and "for all" not in statement_text(s)
    assert _statement(s).startswith(r"\exists") and r"\forall" not in _statement(s)
    assert "\u2203" in HtmlWriter._print_statement(s) and "\u2200" not in HtmlWriter._print_statement(s)
    tex = LatexWriter(AuditConfig())._print_statement(s)
    assert r"\exists" in tex and r"\forall" not in tex


def test_the_same_statement_made_universal_reads_for_all() -> None:
    s = dataclasses.replace(_existential(), quantifier=Quantifier.UNIVERSAL)
    assert statement_text(s).startswith("for all")
    assert _statement(s).startswith(r"\forall")
    assert "\u2200" in HtmlWriter._print_statement(s)
    assert isinstance(s.conclusion, sp.Basic)

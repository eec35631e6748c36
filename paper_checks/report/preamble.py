"""What every document states before the claims: the verdict vocabulary, the conventions (one table,
``paper_checks.conventions``), and the severity of each finding (its kind crossed with where it fails)."""
from __future__ import annotations

from paper_checks.conventions import CONVENTIONS, GLOSSES
from paper_checks.conventions import VERDICTS as MEANINGS
from paper_checks.finding import Failure, Finding, Verdict
from paper_checks.text import Text

__all__ = ["VERDICTS", "SIGNS", "severity", "counts", "INTRO"]

INTRO = ("Every verdict below was computed, never typed in: each derivation step was checked by SymPy (or, "
         "where labelled, only numerically at 50 digits), each optimum was enclosed by a certified interval, "
         "and each counterexample was certified exactly or in interval arithmetic.")

# What each verdict means, in a reader's words (paper_checks/conventions.py, the one definition).
VERDICTS: dict[Verdict, str] = {v: m.short for v, m in MEANINGS.items()}

# The audit's conventions, each as words and formulas: "Name: reading".
SIGNS: tuple[Text, ...] = tuple(Text.of(f"{name[0].upper()}{name[1:]}: ", text) for name, text in CONVENTIONS) + (
    GLOSSES,)


def severity(f: Finding) -> str:
    """The kind crossed with the failure set: 'theorem, fails on an open set'."""
    if f.failure is Failure.OPEN_SET:
        return f"{f.kind.value}, fails on an open set"
    if f.failure is Failure.MEASURE_ZERO:
        return f"{f.kind.value}, fails on a measure-zero set"
    if f.verdict is Verdict.NOT_CHECKABLE:
        return f"{f.kind.value}, nothing to check"
    if f.verdict is Verdict.UNDECIDED:
        return f"{f.kind.value}, undecided"
    return f"{f.kind.value}, holds"


def counts(findings: list[Finding]) -> dict[Verdict, int]:
    out = {v: 0 for v in Verdict}
    for f in findings:
        out[f.verdict] += 1
    return {v: n for v, n in out.items() if n}


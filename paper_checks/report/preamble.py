"""What every document states before the claims: the verdict vocabulary, the conventions (one table,
``paper_checks.conventions``), and the severity of each finding (its kind crossed with where it fails)."""
from __future__ import annotations

from paper_checks.conventions import CONVENTIONS, GLOSSES
from paper_checks.conventions import VERDICTS as MEANINGS
from paper_checks.finding import Cause, Failure, Finding, Kind, Verdict
from paper_checks.text import Text

__all__ = ["VERDICTS", "SIGNS", "severity", "severity_key", "counts", "INTRO"]

INTRO = ("Every verdict below was computed, never typed in: each derivation step was checked by SymPy (or, "
         "where labelled, only numerically at 50 digits), each optimum was enclosed by a certified interval, "
         "and each counterexample was certified exactly or in interval arithmetic.")

# What each verdict means, in a reader's words (paper_checks/conventions.py, the one definition).
VERDICTS: dict[Verdict, str] = {v: m.short for v, m in MEANINGS.items()}

# The audit's conventions, each as words and formulas: "Name: reading".
SIGNS: tuple[Text, ...] = tuple(Text.of(f"{name[0].upper()}{name[1:]}: ", text) for name, text in CONVENTIONS) + (
    GLOSSES,)


# How heavy a failure is, most first: where it fails, then what sort of text fails, then why (DESIGN.md: severity is
# kind x failure set x cause; an implied reading is the lightest kind).
_GROUP = {Verdict.REFUTED: 0, Verdict.CONDITIONAL: 1, Verdict.UNDECIDED: 2, Verdict.VERIFIED: 3,
          Verdict.NOT_CHECKABLE: 4}
_KIND = (Kind.THEOREM, Kind.PROPOSITION, Kind.COROLLARY, Kind.DEFINITION, Kind.REMARK, Kind.PREDICTION, Kind.GLOSS,
         Kind.IMPLIED)
_CAUSE = tuple(Cause)


def severity_key(f: Finding) -> tuple[int, int, int]:
    """Sorts findings most severe first: a refuted claim before a conditional one (an open set before a measure-zero
    set), an undecided one next, then what holds; within each, a theorem before a corollary before a gloss, and
    false mathematics before an overreaching name.  Ties keep their order (the paper's), as ``sorted`` is stable."""
    cause = _CAUSE.index(f.cause) if f.cause is not None else len(_CAUSE)
    return _GROUP[f.verdict], _KIND.index(f.kind), cause


def severity(f: Finding) -> str:
    """The kind crossed with the failure set, and the cause where there is one: 'theorem, fails on an open set
    (false mathematics)'."""
    why = f" ({f.cause.value})" if f.cause is not None else ""
    if f.failure is Failure.OPEN_SET:
        return f"{f.kind.value}, fails on an open set{why}"
    if f.failure is Failure.MEASURE_ZERO:
        return f"{f.kind.value}, fails on a measure-zero set{why}"
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


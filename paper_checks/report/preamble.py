"""What every document states before the claims: the verdict vocabulary, the conventions (one table,
``paper_checks.conventions``), and the severity of each finding (its kind crossed with where it fails)."""
from __future__ import annotations

from paper_checks.conventions import CONVENTIONS
from paper_checks.finding import Failure, Finding, Verdict

__all__ = ["VERDICTS", "SIGNS", "severity", "counts", "INTRO"]

INTRO = ("Every verdict below was computed, never typed in: each derivation step was checked by SymPy (or, "
         "where labelled, only numerically at 50 digits), each optimum was enclosed by a certified interval, "
         "and each counterexample was certified exactly or in interval arithmetic.")

# DESIGN.md's rule for each verdict, in a reader's words.
VERDICTS: dict[Verdict, str] = {
    Verdict.VERIFIED: "no counterexample in the stated domain; a symbolic route and an independent numeric "
                      "route agree (scope all-parameters: the derivation ends in the claim itself; sampled: "
                      "confirmed at sampled points).",
    Verdict.REFUTED: "a certified counterexample satisfies the stated hypotheses and the claim fails on an "
                     "open set of them.",
    Verdict.CONDITIONAL: "the claim fails only on a set of measure zero (boundary or equality cases, or "
                         "finitely many values of a discrete parameter); the correction excludes exactly that "
                         "set and is itself verified.",
    Verdict.NOT_CHECKABLE: "no mathematical content (an experiment on trained models); any mathematical part "
                           "is audited as a sub-claim.",
    Verdict.UNDECIDED: "the evidence settles nothing (CI fails if any appear).",
}

# The audit's conventions (paper_checks/conventions.py, also in the JSON report), each as "name: reading".
SIGNS: tuple[str, ...] = tuple(f"{name[0].upper()}{name[1:]}: {text}" for name, text in CONVENTIONS) + (
    "Every gloss (a sentence that reads a result in words) is audited under these same conventions.",)


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


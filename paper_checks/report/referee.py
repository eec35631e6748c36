"""The referee's report: one numbered item per problem, most severe first, ready to paste into a review.

Each item says where the claim is, the paper's words, what is wrong and its cause, the certified counterexample,
and the correction.  Severity is the claim's kind crossed with its failure set and its cause (``severity_key``):
a refuted theorem of false mathematics comes before a gloss whose name overreaches, and a sub-claim of what the
words only suggest (kind ``implied``) comes last.
"""
from __future__ import annotations

from collections.abc import Sequence

from paper_checks.finding import Cause, Failure, Finding, Kind, Verdict
from paper_checks.printing import plain

__all__ = ["severity_key", "problems", "referee_markdown"]

# Most severe first, in each factor.
_KIND = (Kind.THEOREM, Kind.PROPOSITION, Kind.COROLLARY, Kind.DEFINITION, Kind.REMARK, Kind.GLOSS, Kind.PREDICTION,
         Kind.IMPLIED)
_FAILURE = (Failure.OPEN_SET, Failure.MEASURE_ZERO)
_CAUSE = (Cause.FALSE_MATHEMATICS, Cause.OMITTED_HYPOTHESIS, Cause.DEFINITION_MISMATCH, Cause.OVERREACHING_NAME,
          Cause.IMPLICATION)

_WHAT = {Failure.OPEN_SET: "fails on an open set of its stated domain",
         Failure.MEASURE_ZERO: "fails only on a measure-zero set of its stated domain (boundary or equality cases)"}


def severity_key(f: Finding) -> tuple[int, int, int, int]:
    """Sort key, most severe first: kind, then failure set, then cause, then an implied claim after its words.
    An implied sub-claim is last whatever its failure: the words it reads are not the paper's."""
    implied = f.kind is Kind.IMPLIED
    return (int(implied), _KIND.index(f.kind),
            _FAILURE.index(f.failure) if f.failure in _FAILURE else len(_FAILURE),
            _CAUSE.index(f.cause) if f.cause in _CAUSE else len(_CAUSE))


def problems(findings: Sequence[Finding]) -> list[Finding]:
    """The refuted and conditional findings, most severe first (ties in the paper's order)."""
    failing = [f for f in findings if f.verdict in (Verdict.REFUTED, Verdict.CONDITIONAL)]
    order = {f.id: i for i, f in enumerate(findings)}
    return sorted(failing, key=lambda f: (severity_key(f), order[f.id]))


def _counterexample(f: Finding) -> str:
    c = f.counterexample
    if c is None:
        return "none shown"
    where = ", ".join(f"{k} = {v}" for k, v in c.parameters.items())
    return f"{where} (certified in {c.certified.value} arithmetic: {c.actual})"


def _step(f: Finding) -> str | None:
    """The failing step of the paper's proof, where the audit replayed it."""
    marker = "the paper's proof fails first at "
    evidence = f.evidence_text
    i = evidence.find(marker)
    if i < 0:
        return None
    rest = evidence[i + len(marker):]
    end = rest.find(": certified failure")
    return rest[:end] if end >= 0 else rest.split(";")[0]


def _item(n: int, f: Finding) -> str:
    cause = f.cause.value if f.cause is not None else "not stated"
    lines = [f"{n}. **{f.location}** (`{f.id}`, {f.kind.value}, {f.verdict.value}).",
             f"   - The paper: {f.printed}",
             f"   - What is wrong: the claim {_WHAT.get(f.failure, 'fails')}. Cause: {cause}."]
    step = _step(f)
    if step:
        lines.append(f"   - In the paper's proof: the first step that fails is {step}.")
    lines.append(f"   - Counterexample: {_counterexample(f)}.")
    if f.conditions:
        # The correction's added hypotheses; where the correction also changes the conclusion, the claim as printed
        # need not hold under them, so they are named as the correction's, not as where the claim holds.
        lines.append(f"   - The correction assumes: {', '.join(plain(c) for c in f.conditions)}.")
    for c in f.correction or ():
        lines.append(f"   - Correction (verified by the audit): {c.words or plain(c.conclusion)}.")
    if f.reading:
        lines.append(f"   - Reading: {f.reading}.")
    return "\n".join(lines)


def referee_markdown(findings: Sequence[Finding]) -> str:
    """The report: a short preamble, then one numbered item per refuted or conditional finding, most severe first."""
    items = problems(findings)
    implied = sum(f.kind is Kind.IMPLIED for f in items)
    stated = f"{len(items) - implied} of them fail as stated" + (
        f", and {implied} implied reading{'s' * (implied != 1)} of the words fail{'s' * (implied == 1)} too"
        if implied else "")
    head = ["# Referee report: *What Is the Geometry of the Alignment Tax?*", "",
            f"The audit re-derived and re-computed {len(findings)} claims; {stated}. "
            "Each problem below gives where it is, the paper's words, what is wrong and why, a certified "
            "counterexample, and a correction the audit verified. They are ordered by severity: the kind of claim "
            "(theorems first), then where it fails (on an open set before only on boundary cases), then the cause "
            "(false mathematics, an omitted hypothesis, a definition at odds with its use, a name that overreaches, "
            "an implication of the words). Sign convention: a capability change Delta_C = <c, delta> is signed; a "
            "loss is Delta_C < 0.", ""]
    if not items:
        head.append("No claim fails as stated.")
    return "\n".join(head + [_item(i + 1, f) for i, f in enumerate(items)]) + "\n"

"""The terminal table: what is wrong in full, ids never cut, counts by kind and verdict, a legend."""
from __future__ import annotations

import io

import sympy as sp
from rich.console import Console

from paper_checks.finding import (Ball, Certified, Counterexample, Failure, Finding, Item, Kind, Method, Scope,
                                  Verdict)
from paper_checks.report.table import LEGEND, print_table, what_is_wrong
from paper_checks.statement import Statement, Variable
from paper_checks.text import Text

d, tau = sp.Symbol("d", integer=True, positive=True), sp.Symbol("tau", nonnegative=True)


def _finding(id: str, verdict: Verdict, kind: Kind = Kind.THEOREM, **kw) -> Finding:
    fields = dict(id=id, location="Theorem 9.9, eq. (99) and a long location that has to wrap", kind=kind,
                  printed="$x$", statement=None, verdict=verdict, scope=None, failure=None,
                  methods=(Method.SYMBOLIC,), evidence=(Item(Text.of("a derivation: 3 steps")),), conditions=None,
                  counterexample=None, correction=None, seconds=0.5)
    fields.update(kw)
    return Finding(**fields)


FINDINGS = [
    _finding("sec-7.1.equivalence", Verdict.REFUTED, Kind.GLOSS, failure=Failure.OPEN_SET,
             correction=(Statement((Variable(tau, sp.Interval(0, 1)),), (), sp.Le(tau, 1),
                                   words="In the model, a perturbation confined to C^perp changes every capability by "
                                         "exactly 0, whatever tau; tau << 1 is what makes its safety gain close to "
                                         "the full budget."),)),
    _finding("thm-4.1", Verdict.CONDITIONAL, failure=Failure.MEASURE_ZERO, conditions=(sp.Le(2, d),),
             counterexample=Counterexample({"d": sp.Integer(1)}, sp.Eq(d, 2), (Ball("1"), Ball("2")), "-1",
                                           Certified.EXACT)),
    _finding("def-3.4", Verdict.VERIFIED, Kind.DEFINITION, scope=Scope.ALL_PARAMETERS),
    _finding("pred-1", Verdict.NOT_CHECKABLE, Kind.PREDICTION, methods=()),
]


def _render(width: int) -> str:
    console = Console(file=io.StringIO(), width=width, force_terminal=False)
    print_table(FINDINGS, console)
    return console.file.getvalue()


def test_what_is_wrong_is_the_condition_or_the_correction_in_full() -> None:
    refuted, conditional, verified, not_checkable = map(what_is_wrong, FINDINGS)
    assert refuted == ("correction: In the model, a perturbation confined to C^perp changes every capability by "
                       "exactly 0, whatever tau; tau << 1 is what makes its safety gain close to the full budget.")
    assert conditional == "needs: 2 <= d"
    assert verified == "" and not_checkable == ""


def test_what_is_wrong_falls_back_to_the_claimed_relation() -> None:
    f = _finding("x", Verdict.REFUTED, counterexample=Counterexample(
        {"d": sp.Integer(1)}, sp.Le(d**2, tau), (Ball("1"), Ball("0")), "-1", Certified.EXACT))
    assert what_is_wrong(f) == "fails: claimed d**2 <= tau"


def test_ids_are_never_cut_and_lines_fit() -> None:
    for width in (40, 60, 80, 120, 200):
        out = _render(width)
        assert max(map(len, out.splitlines())) <= width, width
        for f in FINDINGS:
            assert f"{f.id} " in out, (width, f.id)


def test_narrow_tables_drop_location_wide_ones_show_it() -> None:
    assert "location" not in _render(80)
    assert "location" in _render(120) and "methods" not in _render(120)
    assert "methods" in _render(160)


def test_counts_by_kind_and_verdict() -> None:
    out = _render(120)
    assert "4 claims by kind and verdict" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()
            if line.split() and line.split()[0] in ("theorem", "gloss", "definition", "prediction", "all")}
    # columns: verified, conditional, refuted, not-checkable, total
    assert rows["theorem"] == [".", "1", ".", ".", "1"]
    assert rows["gloss"] == [".", ".", "1", ".", "1"]
    assert rows["all"] == ["1", "1", "1", "1", "4"]


def test_verified_claims_are_counted_by_scope() -> None:
    out = " ".join(_render(200).split())
    assert "verified: 1 proved for every parameter (all-parameters), 0 checked on sampled points (sampled)" in out
    FINDINGS.append(_finding("cor-4.5", Verdict.VERIFIED, Kind.COROLLARY, scope=Scope.SAMPLED))
    try:
        out = " ".join(_render(200).split())
    finally:
        FINDINGS.pop()
    assert "verified: 1 proved for every parameter (all-parameters), 1 checked on sampled points (sampled)" in out


def test_legend_names_every_verdict() -> None:
    out = " ".join(_render(200).split())
    for verdict, meaning in LEGEND.items():
        assert f"{verdict.value} {meaning}" in out


LONG = ("the frontier is eq. (3) only where B cos(alpha) <= Delta_C <= B; below that the point is dominated by the "
        "point at the same safety gain and a larger capability change, and the paper's word 'frontier' overreaches")


def test_what_is_wrong_is_printed_in_full_at_any_width() -> None:
    long = _finding("thm-9.9.long-reading", Verdict.REFUTED, failure=Failure.OPEN_SET,
                    correction=(Statement((Variable(tau, sp.Interval(0, 1)),), (), sp.Le(tau, 1), words=LONG),))
    for width in (80, 100, 140, 200):
        console = Console(file=io.StringIO(), width=width, force_terminal=False)
        print_table([long, *FINDINGS], console)
        out = console.file.getvalue()
        assert max(map(len, out.splitlines())) <= width, width
        assert "\u2026" not in out
        lines = out.splitlines()
        head = next(line for line in lines if "what is wrong" in line)
        column = head.index("what is wrong")
        shown = " ".join(line[column:].strip() for line in lines[lines.index(head) + 2:] if len(line) > column)
        assert " ".join(("correction: " + LONG).split()) in " ".join(shown.split()), width


def _ids(out: str) -> list[str]:
    known = {f.id for f in FINDINGS}
    return [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0] in known]


def test_rows_go_most_severe_first_or_in_the_papers_order() -> None:
    console = Console(file=io.StringIO(), width=120, force_terminal=False)
    paper = [FINDINGS[2], FINDINGS[3], FINDINGS[1], FINDINGS[0]]    # verified, not-checkable, conditional, refuted
    print_table(paper, console)
    assert _ids(console.file.getvalue()) == ["sec-7.1.equivalence", "thm-4.1", "def-3.4", "pred-1"]
    console = Console(file=io.StringIO(), width=120, force_terminal=False)
    print_table(paper, console, sort="paper")
    assert _ids(console.file.getvalue()) == [f.id for f in paper]


def test_severity_orders_kind_then_cause() -> None:
    from paper_checks.finding import Cause
    from paper_checks.report.preamble import severity_key
    gloss = _finding("a", Verdict.REFUTED, Kind.GLOSS, failure=Failure.OPEN_SET)
    theorem = _finding("b", Verdict.REFUTED, Kind.THEOREM, failure=Failure.OPEN_SET)
    named = _finding("c", Verdict.REFUTED, Kind.THEOREM, failure=Failure.OPEN_SET, cause=Cause.OVERREACHING_NAME)
    false = _finding("d", Verdict.REFUTED, Kind.THEOREM, failure=Failure.OPEN_SET, cause=Cause.FALSE_MATHEMATICS)
    conditional = _finding("e", Verdict.CONDITIONAL, Kind.THEOREM, failure=Failure.MEASURE_ZERO)
    ranked = sorted([gloss, conditional, theorem, named, false], key=severity_key)
    assert [f.id for f in ranked] == ["d", "c", "b", "a", "e"]


def test_the_cause_is_shown() -> None:
    from paper_checks.conventions import CAUSES
    from paper_checks.finding import Cause
    f = _finding("x", Verdict.REFUTED, failure=Failure.OPEN_SET, cause=Cause.OMITTED_HYPOTHESIS)
    for width in (80, 140):
        console = Console(file=io.StringIO(), width=width, force_terminal=False)
        print_table([f], console)
        assert CAUSES[Cause.OMITTED_HYPOTHESIS] in console.file.getvalue(), width

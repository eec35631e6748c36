"""The terminal table: one row per claim saying what is wrong, the counts by verdict and kind, and a legend.

Ids are never cut (a reader copies them into ``alignment-tax explain ID``); the other columns wrap, and
the columns a narrow terminal cannot hold (location, scope, methods, seconds) are left to ``--json``,
``--markdown`` and ``explain``.
"""
from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from paper_checks.conventions import VERDICTS
from paper_checks.finding import Finding, Kind, Scope, Verdict
from paper_checks.terminal import emit

__all__ = ["print_table", "emit", "what_is_wrong", "LEGEND", "STYLE", "summary_table"]

STYLE = {Verdict.VERIFIED: "green", Verdict.CONDITIONAL: "yellow", Verdict.REFUTED: "bold red",
         Verdict.NOT_CHECKABLE: "dim", Verdict.UNDECIDED: "magenta"}

# What each verdict means (paper_checks/conventions.py; shown under the table and by `explain`).
LEGEND = {v: m.short for v, m in VERDICTS.items()}

# Widths (console columns) from which the optional columns are shown.
_WITH_LOCATION = 100
_WITH_DETAILS = 140


def what_is_wrong(f: Finding) -> str:
    """In full: the condition a conditional claim needs, the correction of a refuted one (its words, else its formal
    conclusion), or what a failing claim claimed; for an undecided claim, the evidence that failed."""
    from paper_checks.printing import plain
    if f.verdict is Verdict.CONDITIONAL and f.conditions:
        return "needs: " + f.conditions_text
    if f.verdict is Verdict.REFUTED and f.correction:
        return "correction: " + f.correction_text
    if f.verdict in (Verdict.REFUTED, Verdict.CONDITIONAL) and f.counterexample:
        return f"fails: claimed {plain(f.counterexample.claimed)}"
    if f.verdict is Verdict.UNDECIDED:
        failed = [str(i) for i in f.evidence if i.failed] or [str(i) for i in f.evidence]
        return "undecided: " + "; ".join(failed)
    return ""


def _claims_table(findings: list[Finding], width: int) -> Table:
    wide = width >= _WITH_LOCATION
    table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=max((len(f.id) for f in findings), default=2))
    if wide:
        table.add_column("where in the paper", ratio=1, min_width=12)
        table.add_column("kind", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
        table.add_column("scope", no_wrap=True)
    else:   # narrow: the kind goes under the verdict, so that "what is wrong" keeps room
        table.add_column("verdict, kind", no_wrap=True)
    if width >= _WITH_DETAILS:
        table.add_column("methods", max_width=24)
        table.add_column("s", justify="right", no_wrap=True)
    table.add_column("what is wrong", ratio=3, min_width=16)
    for f in findings:
        verdict = Text(f.verdict.value, style=STYLE[f.verdict])
        row = [Text(f.id)]
        if wide:
            row += [Text(f.location), Text(f.kind.value), verdict, Text(f.scope.value if f.scope else "")]
        else:
            row.append(verdict + Text("\n" + f.kind.value, style="dim"))
        if width >= _WITH_DETAILS:
            row += [Text(", ".join(m.value for m in f.methods)), Text(f"{f.seconds:.1f}")]
        row.append(Text(what_is_wrong(f)))
        table.add_row(*row)
    return table


def summary_table(findings: list[Finding]) -> Table:
    """Counts by kind (rows) and verdict (columns), with totals; empty rows and columns left out."""
    verdicts = [v for v in Verdict if any(f.verdict is v for f in findings)]
    kinds = [k for k in Kind if any(f.kind is k for f in findings)]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("kind")
    for v in verdicts:
        table.add_column(v.value, justify="right", header_style=STYLE[v])
    table.add_column("total", justify="right")
    for k in kinds:
        counts = [sum(f.kind is k and f.verdict is v for f in findings) for v in verdicts]
        table.add_row(k.value, *[str(n) if n else "." for n in counts], str(sum(counts)))
    table.add_row("all", *[str(sum(f.verdict is v for f in findings)) for v in verdicts], str(len(findings)),
                  style="bold", end_section=True)
    return table


def _legend() -> Group:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for v in Verdict:
        grid.add_row(Text(v.value, style=STYLE[v]), LEGEND[v])
    note = Text("The severity of a failure is its kind and its set: a refuted theorem is not a refuted gloss. "
                "`alignment-tax explain ID` tells one finding in full: counterexample, correction, evidence, "
                "derivation.")
    return Group(grid, Text(""), note)


def print_table(findings: list[Finding], console: Console | None = None) -> None:
    """Print the claims table, the counts by kind and verdict, and the legend."""
    console = console or Console()
    title = Text("What Is the Geometry of the Alignment Tax? - audit", style="bold")
    n = len(findings)
    counts = Text(f"{n} claim{'s' if n != 1 else ''} by kind and verdict", style="italic")
    emit(console, Group(title, _claims_table(findings, console.width), counts, summary_table(findings),
                        scope_line(findings), Text(""), _legend()))


def scope_line(findings: list[Finding]) -> Text:
    """How many verified claims are proved for every parameter and how many checked on sampled points."""
    verified = [f for f in findings if f.verdict is Verdict.VERIFIED]
    proved = sum(f.scope is Scope.ALL_PARAMETERS for f in verified)
    return Text(f"verified: {proved} proved for every parameter (all-parameters), {len(verified) - proved} "
                f"checked on sampled points (sampled)")

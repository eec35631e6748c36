"""The terminal table: one row per claim saying what is wrong, the counts by verdict and kind, and a legend.

Rows go most severe first (``preamble.severity_key``) or in the paper's order.  Ids are never cut (a reader copies
them into ``alignment-tax explain ID``) and "what is wrong" is printed in full, wrapped: the other columns take the
width they need first, and the optional ones (location, scope, methods, seconds) are left out where the terminal
is too narrow for them, to ``--json``, ``--markdown`` and ``explain``.
"""
from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from paper_checks.conventions import CAUSES, VERDICTS
from paper_checks.finding import Finding, Kind, Scope, Verdict
from paper_checks.report.preamble import severity_key
from paper_checks.terminal import emit

__all__ = ["print_table", "emit", "what_is_wrong", "LEGEND", "STYLE", "SORTS", "summary_table"]

STYLE = {Verdict.VERIFIED: "green", Verdict.CONDITIONAL: "yellow", Verdict.REFUTED: "bold red",
         Verdict.NOT_CHECKABLE: "dim", Verdict.UNDECIDED: "magenta"}

# What each verdict means (paper_checks/conventions.py; shown under the table and by `explain`).
LEGEND = {v: m.short for v, m in VERDICTS.items()}

# Widths (console columns) from which the optional columns are shown.
_WITH_LOCATION = 100
_WITH_DETAILS = 140
# Columns "what is wrong" keeps at least, before an optional column is left out for it.
_WRONG_MIN = 48
# Between two columns: rich's padding, one space each side, and the box's divider (a space in SIMPLE_HEAD); the box's
# two edges are a space each.
_GAP, _EDGES = 3, 2


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


def _columns(findings: list[Finding], width: int) -> dict[str, int]:
    """The columns shown and the width of their content: the fixed ones at the width their content needs (a location
    wraps at 16, the methods at 15), "what is wrong" the rest; optional columns are dropped (seconds, methods, scope,
    location) until it has ``_WRONG_MIN``."""
    def longest(texts, header: str, cap: int | None = None) -> int:
        n = max([len(header), *(len(t) for t in texts)])
        return n if cap is None else min(n, cap)

    causes = [CAUSES[f.cause] for f in findings if f.cause is not None]
    cols: dict[str, int] = {"id": longest((f.id for f in findings), "id")}
    if width >= _WITH_LOCATION:
        cols["location"] = longest((f.location for f in findings), "location", 16)
        cols["kind"] = longest((f.kind.value for f in findings), "kind")
        cols["verdict"] = longest((f.verdict.value for f in findings), "verdict")
        cols["scope"] = longest((f.scope.value for f in findings if f.scope), "scope")
        if causes:
            cols["cause"] = longest(causes, "cause")
    else:   # narrow: kind and cause go under the verdict, so that "what is wrong" keeps room
        cols["verdict, kind"] = longest([*(f.verdict.value for f in findings), *(f.kind.value for f in findings),
                                         *causes], "verdict, kind")
    if width >= _WITH_DETAILS:
        cols["methods"] = longest((", ".join(m.value for m in f.methods) for f in findings), "methods", 15)
        cols["s"] = longest((f"{f.seconds:.1f}" for f in findings), "s")

    def rest() -> int:
        return width - sum(cols.values()) - _GAP * len(cols) - _EDGES

    for optional in ("s", "methods", "scope", "location"):
        if rest() < _WRONG_MIN and optional in cols:
            del cols[optional]
    if rest() < 12 and "verdict, kind" in cols:     # a very narrow terminal: the verdict folds before an id is cut
        cols["verdict, kind"] = max(8, cols["verdict, kind"] - (12 - rest()))
    cols["what is wrong"] = max(rest(), 4)
    return cols


def _claims_table(findings: list[Finding], width: int) -> Table:
    cols = _columns(findings, width)
    table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
    for name, w in cols.items():
        table.add_column(name, width=w, no_wrap=name == "id", overflow="fold",
                         justify="right" if name == "s" else "left")
    for f in findings:
        cells = {"id": Text(f.id), "location": Text(f.location), "kind": Text(f.kind.value),
                 "verdict": Text(f.verdict.value, style=STYLE[f.verdict]),
                 "scope": Text(f.scope.value if f.scope else ""),
                 "cause": Text(CAUSES[f.cause] if f.cause else "", style="italic"),
                 "verdict, kind": Text(f.verdict.value, style=STYLE[f.verdict]) + Text("\n" + f.kind.value, style="dim")
                 + Text("\n" + CAUSES[f.cause] if f.cause else "", style="italic"),
                 "methods": Text(", ".join(m.value for m in f.methods)), "s": Text(f"{f.seconds:.1f}"),
                 "what is wrong": Text(what_is_wrong(f))}
        table.add_row(*(cells[name] for name in cols))
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
    note = Text("Rows go most severe first: where a claim fails (an open set before a measure-zero set), then its "
                "kind (a refuted theorem is not a refuted gloss), then its cause; `--sort paper` keeps the paper's "
                "order. "
                "`alignment-tax explain ID` tells one finding in full: counterexample, correction, evidence, "
                "derivation.")
    return Group(grid, Text(""), note)


SORTS = ("severity", "paper")


def print_table(findings: list[Finding], console: Console | None = None, sort: str = "severity") -> None:
    """Print the claims table (rows by ``sort``: "severity", most severe first, or "paper", as given), the counts by
    kind and verdict, and the legend."""
    if sort not in SORTS:
        raise ValueError(f"sort={sort!r} must be one of {', '.join(SORTS)}")
    console = console or Console()
    if sort == "severity":
        findings = sorted(findings, key=severity_key)
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

"""The terminal table: one row per claim (id, location, verdict, scope, methods, seconds)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from paper_checks.finding import Finding, Verdict

_STYLE = {Verdict.VERIFIED: "green", Verdict.CONDITIONAL: "yellow", Verdict.REFUTED: "red",
          Verdict.NOT_CHECKABLE: "dim", Verdict.UNDECIDED: "magenta"}


def print_table(findings: list[Finding], console: Console | None = None) -> None:
    table = Table(title="What Is the Geometry of the Alignment Tax? - audit")
    for col in ("id", "where in the paper", "verdict", "scope", "methods", "seconds"):
        table.add_column(col, justify="right" if col == "seconds" else "left")
    for f in findings:
        table.add_row(f.id, f.location, f"[{_STYLE[f.verdict]}]{f.verdict.value}[/]",
                      f.scope.value if f.scope else "", ", ".join(m.value for m in f.methods),
                      f"{f.seconds:.2f}")
    (console or Console()).print(table)

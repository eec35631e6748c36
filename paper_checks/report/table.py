"""The terminal table: one row per claim saying what is wrong, the counts by verdict and kind, and a legend.

Ids are never cut (a reader copies them into ``alignment-tax explain ID``); the other columns wrap, and
the columns a narrow terminal cannot hold (location, scope, methods, seconds) are left to ``--json``,
``--markdown`` and ``explain``.
"""
from __future__ import annotations

import re

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from paper_checks.finding import Finding, Kind, Scope, Verdict
from paper_checks.terminal import emit

__all__ = ["print_table", "emit", "terminal_text", "what_is_wrong", "LEGEND", "STYLE", "summary_table"]

STYLE = {Verdict.VERIFIED: "green", Verdict.CONDITIONAL: "yellow", Verdict.REFUTED: "bold red",
         Verdict.NOT_CHECKABLE: "dim", Verdict.UNDECIDED: "magenta"}

# What each verdict means, as DESIGN.md's rule computes it (shown under the table and by `explain`).
LEGEND = {
    Verdict.VERIFIED: "no counterexample in the stated domain; a symbolic and an independent numeric route agree"
                      " (scope all-parameters: proved for every parameter; sampled: checked on sampled points)",
    Verdict.CONDITIONAL: "fails only on a measure-zero set (boundary or equality cases, a few values of a discrete"
                         " parameter); the stated condition excludes exactly that set",
    Verdict.REFUTED: "a certified counterexample satisfies the stated hypotheses and the claim fails on an open set"
                     " around it; the correction is what holds",
    Verdict.NOT_CHECKABLE: "no mathematical content to check (an experiment on trained models)",
    Verdict.UNDECIDED: "the evidence settles nothing either way",
}

# Widths (console columns) from which the optional columns are shown.
_WITH_LOCATION = 100
_WITH_DETAILS = 140
_ONE_LINE = 110  # characters of the "what is wrong" summary before it is cut


_LATEX_WORDS = {
    r"\le": "<=", r"\leq": "<=", r"\ge": ">=", r"\geq": ">=", r"\ne": "!=", r"\neq": "!=", r"\implies": "=>",
    r"\Rightarrow": "=>", r"\to": "->", r"\in": "in", r"\cdot": "*", r"\infty": "oo", r"\pm": "+-",
    r"\langle": "<", r"\rangle": ">", r"\left": "", r"\right": "", r"\quad": " ", r"\qquad": " ", r"\mid": "|",
    r"\top": "^T", r"\perp": "perp", r"\sum": "sum", r"\lVert": "||", r"\rVert": "||", r"\|": "||",
}


def terminal_text(text: str) -> str:
    """LaTeX in a finding's text made readable in a terminal: ``\\tau \\le \\sqrt{1 - a}`` -> ``tau <= sqrt(1 - a)``.

    For display only; the reports keep the LaTeX.  Text without a backslash or ``$`` is returned as it is."""
    if "\\" not in text and "$" not in text:
        return text
    t = text.replace("$", "")
    t = re.sub(r"(?<=\w)\\(sqrt|frac)", r" \\\1", t)              # B\sqrt{x} -> B sqrt(x)
    t = re.sub(r"\\langle\s*", "<", re.sub(r"\s*\\rangle", ">", t))   # \langle v, c\rangle -> <v, c>
    inner = r"\{([^{}]*)\}"
    for _ in range(8):   # innermost braces first, a few levels deep
        before = t
        t = re.sub(r"\\(?:text|mathrm|operatorname|mathit|mathbf|textrm|mathcal|mathbb|mathsf)" + inner, r"\1", t)
        t = re.sub(r"\\sqrt" + inner, r"sqrt(\1)", t)
        t = re.sub(r"\\frac" + inner + inner, r"(\1)/(\2)", t)
        t = re.sub(r"([_^])" + inner, lambda m: m.group(1) + (m.group(2) if re.fullmatch(r"\w+", m.group(2))
                                                               else f"({m.group(2)})"), t)
        if t == before:
            break
    t = re.sub(r"\\[,;:! ]", " ", t)
    t = re.sub(r"\\[a-zA-Z]+|\\\|", lambda m: _LATEX_WORDS.get(m.group(0), m.group(0)[1:]), t)
    t = t.replace("{", "").replace("}", "")
    return " ".join(t.split())


def _first_clause(text: str, colon: bool = False) -> str:
    """The text up to its first clause break, without a trailing aside, cut to one line; `explain` has it all.

    ``colon``: a colon ends the clause too ("Delta_C in [B cos(alpha), B]: the rest ..." is a condition
    and its explanation); not for corrections, where "Under F: Delta_S = ..." needs what follows."""
    text = terminal_text(" ".join(text.split()))
    # A sentence ends at ". " before a capital ("eq. (3)" and "e.g. x" go on); a clause at "; ".
    for pattern, shortest in ((r"; ", 1), (r"\. (?=[A-Z])", 1)) + ((r": ", 12),) * colon:
        parts = re.split(pattern, text, maxsplit=1)
        if len(parts) == 2 and len(parts[0]) >= shortest:   # "Note: ..." is not a clause worth keeping alone
            text = parts[0]
    text = _without_final_aside(text)
    return text if len(text) <= _ONE_LINE else text[: _ONE_LINE - 1].rstrip() + "\u2026"


def _without_final_aside(text: str) -> str:
    """``"0 < alpha < pi (at alpha = 0 the ellipse degenerates)"`` -> ``"0 < alpha < pi"``; a final
    parenthesis that belongs to a formula (``sqrt(1 - tau)``: no space before it) stays."""
    if not text.endswith(")"):
        return text
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            head = text[:i].rstrip()
            # "f(x) (aside)" loses the aside; "delta -> (a, b)" keeps its operand.
            keep = not text[:i].endswith(" ") or len(head) < 6 or head[-1] in "=<>-+*/^,"
            return text if keep else head
    return text


def what_is_wrong(f: Finding) -> str:
    """One line: the condition a conditional claim needs, or the correction of a refuted one."""
    if f.verdict is Verdict.CONDITIONAL and f.conditions:
        return "needs: " + _first_clause(f.conditions, colon=True)
    if f.verdict is Verdict.REFUTED and f.correction:
        return "correction: " + _first_clause(f.correction)
    if f.verdict in (Verdict.REFUTED, Verdict.CONDITIONAL) and f.counterexample:
        return f"fails: claimed {_first_clause(f.counterexample.claimed)}"
    if f.verdict is Verdict.UNDECIDED:
        return "undecided: " + _first_clause(f.evidence)
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

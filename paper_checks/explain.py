"""One finding told in full for the terminal (``alignment-tax explain ID``): what the paper says, what the
audit computed, why, and what holds instead."""
from __future__ import annotations

from typing import Any, Sequence

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from paper_checks.finding import Failure, Finding, Verdict
from paper_checks.report.table import LEGEND, STYLE, terminal_text

__all__ = ["render", "statement_text", "evidence_lines", "FAILURE_MEANING"]

FAILURE_MEANING = {
    Failure.OPEN_SET: "open set: the claim fails on a box of positive volume around the counterexample, so a "
                      "reader meets the failure at generic parameters, not only at special ones",
    Failure.MEASURE_ZERO: "measure zero: the claim fails only on equalities or boundary values (or finitely many "
                          "values of a discrete parameter) and holds everywhere else in its stated domain",
}


def _fields(rows: Sequence[tuple[str, RenderableType | str | None]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True, min_width=len("failure set"))   # one width in every section
    grid.add_column()
    for key, value in rows:
        if value is not None and value != "":
            grid.add_row(key, Text(value) if isinstance(value, str) else value)
    return grid


def _section(title: str) -> Rule:
    return Rule(Text(title, style="bold"), align="left", style="dim")


def _counterexample(f: Finding) -> list[RenderableType]:
    ce = f.counterexample
    if ce is None:
        return []
    params = Table.grid(padding=(0, 1))
    params.add_column(justify="right", no_wrap=True)
    params.add_column()
    for name, value in ce.parameters.items():
        params.add_row(Text(f"{name} ="), Text(_value(value)))
    return [_section(f"Counterexample (certified: {ce.certified.value})"), params,
            _fields([("claimed", terminal_text(ce.claimed)), ("actual", terminal_text(ce.actual))])]


def _value(value: object) -> str:
    """Exact strings as the JSON has them; vectors and matrices in brackets."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value)


def evidence_lines(evidence: str) -> list[str]:
    """The evidence one check per line: checks.common.summary joins them with "; ", which also occurs
    inside parentheses of a single check, so split only outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(evidence):
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(ch, 0)
        if depth == 0 and evidence.startswith("; ", i):
            parts.append(evidence[start:i])
            start = i + 2
    parts.append(evidence[start:])
    return [p.strip().removesuffix(".") for p in parts if p.strip()]


def _evidence(f: Finding) -> list[RenderableType]:
    lines = evidence_lines(f.evidence)
    body = Table.grid(padding=(0, 1))
    body.add_column(no_wrap=True)
    body.add_column()
    for line in lines:
        style = "red" if "FAILED" in line else None
        body.add_row("-", Text(line, style=style))
    return [_section("Evidence"), body]


def _derivations(f: Finding) -> list[RenderableType]:
    from derive.core import Status
    mark = {Status.OK: ("proved", "green"), Status.NUMERIC: ("numeric only", "yellow"),
            Status.FAILED: ("FAILED", "bold red")}
    out: list[RenderableType] = []
    for deriv, checks in f.derivations:
        out.append(_section(f"Derivation: {deriv.title}"))
        for line in deriv.assumptions:
            out.append(Text(f"  assume {line}"))
        steps = Table.grid(padding=(0, 1))
        steps.add_column(justify="right", no_wrap=True)
        steps.add_column()
        for i, check in enumerate(checks, 1):
            word, style = mark[check.status]
            head = Text.assemble((check.step.name, "bold"), f"  {check.step.rule}  ", (f"[{word}", style),
                                 (f": {check.method}" + (f", residual {check.residual}" if check.residual else "")
                                  + "]", style))
            formula = Text(f"{check.step.lhs}  {check.step.op.value}  {check.step.rhs}", style="cyan")
            steps.add_row(f"{i}.", Group(head, formula))
        out.append(steps)
    if not f.derivations:
        out += [_section("Derivation"), Text("  none: this claim has no symbolic derivation"
                                             + (" (it is an experiment on trained models)."
                                                if f.verdict is Verdict.NOT_CHECKABLE else "."))]
    return out


def _figures(f: Finding, figures: Sequence[str] | None) -> list[RenderableType]:
    if figures:
        return [_section("Figures"), *(Text(f"  {p}") for p in figures)]
    from paper_checks.figures import FIGURES
    # Every certified counterexample has a picture (tests/paper_checks/test_reports.py), so these have one.
    if f.id in FIGURES or f.counterexample is not None:
        return [_section("Figures"),
                Text(f"  not drawn: `alignment-tax explain {f.id} --figures DIR` draws this claim's figures")]
    return []


_OPS = {"==": "=", "!=": "!=", "<=": "<=", "<": "<", ">=": ">=", ">": ">"}


def _formula(e: Any) -> str:
    """A relation, implication or expression in plain text (SymPy's ``str`` with ``=`` and ``=>``)."""
    import sympy as sp
    if isinstance(e, sp.Implies):
        return f"{_formula(e.args[0])}  =>  {_formula(e.args[1])}"
    if isinstance(e, sp.And):
        return " and ".join(_formula(a) for a in e.args)
    if isinstance(e, sp.core.relational.Relational):
        return f"{sp.sstr(e.lhs)} {_OPS.get(e.rel_op, e.rel_op)} {sp.sstr(e.rhs)}"
    return sp.sstr(e)


def _domain(v: Any) -> str:
    import sympy as sp
    d = v.domain
    if isinstance(d, sp.Interval):
        text = f"{'(' if d.left_open else '['}{sp.sstr(d.start)}, {sp.sstr(d.end)}{')' if d.right_open else ']'}"
    else:
        text = sp.sstr(d)
    return f"{v.symbol} integer in {text}" if getattr(v, "integer", False) else f"{v.symbol} in {text}"


def statement_text(statement: Any) -> str:
    """A formal ``Statement`` for the terminal: "for all <domains> with <hypotheses>: <conclusion>"."""
    head = "for all " + ", ".join(_domain(v) for v in statement.variables)
    if statement.hypotheses:
        head += " with " + " and ".join(_formula(h) for h in statement.hypotheses)
    return f"{head}:  {_formula(statement.conclusion)}"


def render(f: Finding, figures: Sequence[str] | None = None, statement: Any = None) -> Group:
    """Everything the audit knows about one finding, as a rich renderable (plain text when piped).

    ``statement`` is the claim's formal ``Statement`` when there is one, shown in plain text; otherwise
    the finding's LaTeX rendering of it is shown."""
    verdict = Text(f.verdict.value, style=STYLE[f.verdict])
    verdict.append(f" ({f.scope.value})" if f.scope else "")
    verdict.append(f": {LEGEND[f.verdict]}", style="default")
    severity = None
    if f.failure is not None:
        severity = f"a {f.verdict.value} {f.kind.value}, failing on " + (
            "an open set" if f.failure is Failure.OPEN_SET else "a set of measure zero")
    head = Text.assemble((f.id, "bold"), f"  {f.location}  ", (f"({f.kind.value})", "dim"))
    parts: list[RenderableType] = [
        head,
        # LaTeX made readable for the terminal (the reports keep it): the paper's words, then the formal reading.
        _fields([("as printed", terminal_text(f.printed)),
                 ("formalised", statement_text(statement) if statement is not None else terminal_text(f.statement)
                  if f.statement is not None else "(no formal statement in the registry yet)"),
                 ("verdict", verdict),
                 ("failure set", FAILURE_MEANING[f.failure] if f.failure else None),
                 ("severity", severity),
                 ("methods", ", ".join(m.value for m in f.methods) or None),
                 ("seconds", f"{f.seconds:.2f}")]),
    ]
    parts += _counterexample(f)
    if f.conditions or f.correction:
        parts += [_section("What holds"), _fields([("conditions", f.conditions and terminal_text(f.conditions)),
                                                   ("correction", f.correction and terminal_text(f.correction))])]
    parts += _evidence(f)
    parts += _derivations(f)
    parts += _figures(f, figures)
    return Group(*parts)

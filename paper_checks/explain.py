"""One finding told in full for the terminal (``alignment-tax explain ID``): what the paper says, what the
audit computed, why, and what holds instead.

Two steps, so that a stored finding prints without the audit.  ``explanation(finding, statement)`` turns a
finding into an ``Explanation``: plain data, every text as the terminal shows it and the style of each
(it imports SymPy and the audit's vocabularies, inside the function).  ``render`` lays an Explanation
out with rich and imports nothing else.  ``Explanation.as_json`` and ``from_json`` carry it through the
findings cache (paper_checks/cache.py) unchanged, so the stored and the computed one print the same bytes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from paper_checks.finding import Finding

__all__ = ["Explanation", "Step", "DerivationText", "CounterexampleText", "explanation", "render", "statement_text",
           "printed_text", "FAILURE_MEANING"]

# Keyed by paper_checks.finding.Failure's values (that module imports SymPy).
FAILURE_MEANING = {
    "open-set": "open set: the claim fails on a box of positive volume around the counterexample, so a "
                "reader meets the failure at generic parameters, not only at special ones",
    "measure-zero": "measure zero: the claim fails only on equalities or boundary values (or finitely many "
                    "values of a discrete parameter) and holds everywhere else in its stated domain",
}

NOT_CHECKABLE = "not-checkable"


# ---------------------------------------------------------------------------------------------
# The data: what explain prints, as text.  ``from_json`` accepts exactly what ``as_json`` writes and raises
# ValueError on anything else (a cache entry from another version, a damaged file).


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return value


def _opt(value: Any) -> str | None:
    return None if value is None else _str(value)


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    return tuple(_str(v) for v in value)


def _object(value: Any, keys: Sequence[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != set(keys):
        raise ValueError(f"expected an object with the keys {', '.join(keys)}")
    return value


@dataclass(frozen=True)
class Step:
    """One derivation step: its name, rule, status word (proved / numeric only / FAILED) and its style, how
    it was checked, and the relation checked."""

    name: str
    rule: str
    status: str
    style: str
    how: str
    formula: str

    @classmethod
    def from_json(cls, value: Any) -> Step:
        d = _object(value, [f for f in cls.__dataclass_fields__])
        return cls(*(_str(d[f]) for f in cls.__dataclass_fields__))


@dataclass(frozen=True)
class DerivationText:
    title: str
    assumptions: tuple[str, ...]
    steps: tuple[Step, ...]

    @classmethod
    def from_json(cls, value: Any) -> DerivationText:
        d = _object(value, ["title", "assumptions", "steps"])
        if not isinstance(d["steps"], list):
            raise ValueError("expected a list of steps")
        return cls(_str(d["title"]), _strs(d["assumptions"]), tuple(Step.from_json(s) for s in d["steps"]))


@dataclass(frozen=True)
class CounterexampleText:
    certified: str
    parameters: tuple[tuple[str, str], ...]   # (name, value) as the JSON report has them
    claimed: str
    actual: str

    @classmethod
    def from_json(cls, value: Any) -> CounterexampleText:
        d = _object(value, ["certified", "parameters", "claimed", "actual"])
        if not isinstance(d["parameters"], list) or not all(isinstance(p, list) and len(p) == 2
                                                            for p in d["parameters"]):
            raise ValueError("expected a list of (name, value) pairs")
        return cls(_str(d["certified"]), tuple((_str(n), _str(v)) for n, v in d["parameters"]), _str(d["claimed"]),
                   _str(d["actual"]))


@dataclass(frozen=True)
class Explanation:
    """Everything ``explain`` prints about one finding, as the terminal shows it (LaTeX made readable)."""

    id: str
    location: str
    kind: str
    printed: str                 # the paper's sentence
    formalised: str              # the formal statement
    verdict: str
    verdict_style: str
    scope: str | None
    meaning: str                 # what the verdict means (the table's legend)
    failure_set: str | None
    severity: str | None
    cause: str | None            # why it fails, as a referee would say it
    reading: str | None          # which reading of the sentence the claim formalises
    methods: str
    seconds: float
    counterexample: CounterexampleText | None
    conditions: str | None
    correction: str | None
    evidence: tuple[tuple[str, bool], ...]    # each item in words, and whether it failed
    derivations: tuple[DerivationText, ...]
    pictured: bool               # the claim has figures (``--figures DIR`` draws them)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: Any) -> Explanation:
        d = _object(value, list(cls.__dataclass_fields__))
        if isinstance(d["seconds"], bool) or not isinstance(d["seconds"], (int, float)):
            raise ValueError("seconds: expected a number")
        if not isinstance(d["pictured"], bool) or not isinstance(d["derivations"], list):
            raise ValueError("pictured: expected a boolean; derivations: a list")
        texts = {f: _str(d[f]) for f in ("id", "location", "kind", "printed", "formalised", "verdict", "verdict_style",
                                         "meaning", "methods")}
        optional = {f: _opt(d[f]) for f in ("scope", "failure_set", "severity", "cause", "reading", "conditions",
                                            "correction")}
        ce = None if d["counterexample"] is None else CounterexampleText.from_json(d["counterexample"])
        if not isinstance(d["evidence"], list) or not all(
                isinstance(x, list) and len(x) == 2 and isinstance(x[1], bool) for x in d["evidence"]):
            raise ValueError("evidence: expected a list of (text, failed) pairs")
        evidence = tuple((_str(text), failed) for text, failed in d["evidence"])
        return cls(**texts, **optional, seconds=float(d["seconds"]), counterexample=ce, evidence=evidence,
                   derivations=tuple(DerivationText.from_json(x) for x in d["derivations"]), pictured=d["pictured"])


# ---------------------------------------------------------------------------------------------
# From a finding (the audit's objects, SymPy) to an Explanation.


def _value(value: Any) -> str:
    from paper_checks.printing import plain
    return plain(value)


def _domain(v: Any) -> str:
    from paper_checks.printing import plain
    text = f"{plain(v.symbol)} in {plain(v.domain)}"
    return text.replace(" in ", " integer in ", 1) if getattr(v, "integer", False) else text


def statement_text(statement: Any) -> str:
    """A formal ``Statement`` for the terminal: "for all <domains> with <hypotheses>: <conclusion>", or "there exist"
    for an existential statement (its quantifier's words, read from the statement, never assumed)."""
    from paper_checks.printing import plain
    from paper_checks.statement import Quantifier
    words = "there exist" if getattr(statement, "quantifier", None) is Quantifier.EXISTENTIAL else "for all"
    head = f"{words} " + ", ".join(_domain(v) for v in statement.variables)
    if statement.hypotheses:
        head += " with " + " and ".join(plain(h) for h in statement.hypotheses)
    return f"{head}:  {plain(statement.conclusion)}"


def printed_text(printed: str) -> str:
    """The paper's sentence (LaTeX between dollars) as Unicode text for a terminal, by pylatexenc."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
    from pylatexenc.latexwalker import LatexWalker, get_default_latex_context_db as walker_db
    from pylatexenc.macrospec import MacroSpec
    parse = walker_db()
    parse.add_context_category("paper", prepend=True, macros=[MacroSpec("tfrac", "{{"), MacroSpec("bar", "{")])
    spaced = {"le": "\u2264", "leq": "\u2264", "ge": "\u2265", "geq": "\u2265", "ne": "\u2260", "neq": "\u2260",
              "ll": "\u226A", "approx": "\u2248", "Rightarrow": "\u21D2", "implies": "\u21D2", "to": "\u2192",
              "in": "\u2208", "sim": "\u223C", "propto": "\u221D"}
    text = get_default_latex_context_db()
    text.add_context_category("paper", prepend=True, macros=[
        MacroTextSpec("frac", "(%s)/(%s)"), MacroTextSpec("tfrac", "%s/%s"), MacroTextSpec("|", "\u2016"),
        MacroTextSpec("left", ""), MacroTextSpec("right", ""), MacroTextSpec(",", " "),
        MacroTextSpec("bar", "%s\u0304"), *(MacroTextSpec(k, f" {v} ") for k, v in spaced.items())])
    nodes = LatexWalker(printed, latex_context=parse, tolerant_parsing=True).get_latex_nodes()[0]
    return " ".join(LatexNodes2Text(latex_context=text, math_mode="text").nodelist_to_text(nodes).split())


def _derivations(f: Finding) -> tuple[DerivationText, ...]:
    from derive.core import Status
    from paper_checks.printing import plain
    mark = {Status.OK: ("proved", "green"), Status.NUMERIC: ("numeric only", "yellow"),
            Status.FAILED: ("FAILED", "bold red")}
    out = []
    for deriv, checks in f.derivations:
        steps = []
        for check in checks:
            word, style = mark[check.status]
            how = f"{check.method}" + (f", residual {check.residual}" if check.residual else "")
            steps.append(Step(f"{check.step.name}", f"{check.step.rule}", word, style, how,
                              f"{plain(check.step.lhs)}  {check.step.op.value}  {plain(check.step.rhs)}"))
        out.append(DerivationText(f"{deriv.title}", tuple(f"{line}" for line in deriv.assumptions), tuple(steps)))
    return tuple(out)


def explanation(f: Finding, statement: Any = None) -> Explanation:
    """What ``explain`` prints about ``f``: its statement (``statement``, else the finding's own) and every field
    printed with SymPy's plain-text printer."""
    from paper_checks.figures import FIGURES
    from paper_checks.finding import Failure
    from paper_checks.printing import plain
    from paper_checks.report.table import LEGEND, STYLE
    severity = None
    if f.failure is not None:
        severity = f"a {f.verdict.value} {f.kind.value}, failing on " + (
            "an open set" if f.failure is Failure.OPEN_SET else "a set of measure zero")
    statement = statement if statement is not None else f.statement
    formalised = statement_text(statement) if statement is not None else "(no formal statement)"
    ce = f.counterexample
    counterexample = None if ce is None else CounterexampleText(
        ce.certified.value, tuple((name, plain(value)) for name, value in ce.parameters.items()),
        plain(ce.claimed), ce.actual)
    correction = None if f.correction is None else "\n".join(
        (f"{c.words}\nformally: " if c.words else "") + statement_text(c) for c in f.correction)
    return Explanation(
        id=f.id, location=f.location, kind=f.kind.value, printed=printed_text(f.printed), formalised=formalised,
        verdict=f.verdict.value, verdict_style=STYLE[f.verdict], scope=f.scope.value if f.scope else None,
        meaning=LEGEND[f.verdict], failure_set=FAILURE_MEANING[f.failure.value] if f.failure else None,
        severity=severity, cause=f.cause.value if f.cause else None, reading=f.reading,
        methods=", ".join(m.value for m in f.methods), seconds=float(f.seconds),
        counterexample=counterexample, conditions=f.conditions_text, correction=correction,
        evidence=tuple((str(i), i.failed) for i in f.evidence), derivations=_derivations(f),
        # Every certified counterexample has a picture (tests/paper_checks/test_reports.py), so these have one.
        pictured=f.id in FIGURES or ce is not None)


# ---------------------------------------------------------------------------------------------
# Layout (rich only).


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


def _counterexample(ce: CounterexampleText | None) -> list[RenderableType]:
    if ce is None:
        return []
    params = Table.grid(padding=(0, 1))
    params.add_column(justify="right", no_wrap=True)
    params.add_column()
    for name, value in ce.parameters:
        params.add_row(Text(f"{name} ="), Text(value))
    return [_section(f"Counterexample (certified: {ce.certified})"), params,
            _fields([("claimed", ce.claimed), ("actual", ce.actual)])]


def _evidence(lines: Sequence[tuple[str, bool]]) -> list[RenderableType]:
    body = Table.grid(padding=(0, 1))
    body.add_column(no_wrap=True)
    body.add_column()
    for line, failed in lines:
        body.add_row("-", Text(line, style="red" if failed else None))
    return [_section("Evidence"), body]


def _derivation_steps(e: Explanation) -> list[RenderableType]:
    out: list[RenderableType] = []
    for deriv in e.derivations:
        out.append(_section(f"Derivation: {deriv.title}"))
        out += [Text(f"  assume {line}") for line in deriv.assumptions]
        steps = Table.grid(padding=(0, 1))
        steps.add_column(justify="right", no_wrap=True)
        steps.add_column()
        for i, s in enumerate(deriv.steps, 1):
            head = Text.assemble((s.name, "bold"), f"  {s.rule}  ", (f"[{s.status}", s.style), (f": {s.how}]", s.style))
            steps.add_row(f"{i}.", Group(head, Text(s.formula, style="cyan")))
        out.append(steps)
    if not e.derivations:
        out += [_section("Derivation"), Text("  none: this claim has no symbolic derivation"
                                             + (" (it is an experiment on trained models)."
                                                if e.verdict == NOT_CHECKABLE else "."))]
    return out


def _figures(e: Explanation, figures: Sequence[str] | None) -> list[RenderableType]:
    if figures:
        return [_section("Figures"), *(Text(f"  {p}") for p in figures)]
    if e.pictured:
        return [_section("Figures"),
                Text(f"  not drawn: `alignment-tax explain {e.id} --figures DIR` draws this claim's figures")]
    return []


def render(e: Explanation, figures: Sequence[str] | None = None) -> Group:
    """Everything the audit knows about one finding, as a rich renderable (plain text when piped)."""
    verdict = Text(e.verdict, style=e.verdict_style)
    verdict.append(f" ({e.scope})" if e.scope else "")
    verdict.append(f": {e.meaning}", style="default")
    head = Text.assemble((e.id, "bold"), f"  {e.location}  ", (f"({e.kind})", "dim"))
    parts: list[RenderableType] = [
        head,
        # LaTeX made readable for the terminal (the reports keep it): the paper's words, then the formal reading.
        _fields([("as printed", e.printed), ("formalised", e.formalised), ("verdict", verdict),
                 ("failure set", e.failure_set), ("severity", e.severity), ("cause", e.cause),
                 ("reading", e.reading), ("methods", e.methods or None),
                 ("seconds", f"{e.seconds:.2f}")]),
    ]
    parts += _counterexample(e.counterexample)
    if e.conditions or e.correction:
        parts += [_section("What holds"), _fields([("conditions", e.conditions), ("correction", e.correction)])]
    parts += _evidence(e.evidence)
    parts += _derivation_steps(e)
    parts += _figures(e, figures)
    return Group(*parts)

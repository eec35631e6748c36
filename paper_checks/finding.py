"""What an audit says about one claim: the vocabularies, the Finding record, and how a verdict is computed."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derive.core import Derivation, StepCheck
from paper_checks.claim import Cause, Claim, Kind
from paper_checks.text import Text

__all__ = ["Verdict", "Kind", "Cause", "Failure", "Scope", "Method", "Certified", "Counterexample", "Ball", "Item",
           "Evidence", "Finding", "Claim", "AuditConfig"]


class Verdict(enum.Enum):
    """DESIGN.md's verdicts, plus ``undecided`` for a check that could neither prove nor refute."""

    VERIFIED = "verified"
    CONDITIONAL = "conditional"
    REFUTED = "refuted"
    NOT_CHECKABLE = "not-checkable"
    UNDECIDED = "undecided"


class Failure(enum.Enum):
    """Where a failing claim fails: on an open set of its stated domain, or only on a measure-zero set."""

    OPEN_SET = "open-set"
    MEASURE_ZERO = "measure-zero"


class Scope(enum.Enum):
    ALL_PARAMETERS = "all-parameters"
    SAMPLED = "sampled"


class Method(enum.Enum):
    SYMBOLIC = "symbolic"
    SOCP = "socp"
    HIGH_PRECISION = "high-precision"
    INTERVAL = "interval"
    EXACT = "exact"


class Certified(enum.Enum):
    EXACT = "exact"
    INTERVAL = "interval"


@dataclass(frozen=True)
class Ball:
    """A certified value: an arb ball ``[mid +/- radius]`` as python-flint prints it (exact when it has no radius)."""

    text: str

    @property
    def mid(self) -> sp.Basic:
        m = re.fullmatch(r"\[?\s*([-+0-9.eE]+)(?:\s*\+/-\s*([-+0-9.eE]+))?\s*\]?", self.text)
        return sp.Float(m.group(1), 10) if m else sp.nan

    @property
    def radius(self) -> sp.Basic | None:
        m = re.fullmatch(r"\[\s*[-+0-9.eE]+\s*\+/-\s*([-+0-9.eE]+)\s*\]", self.text)
        return sp.Float(m.group(1), 3) if m else None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Counterexample:
    """A point of the stated domain where the claim as printed fails, with the relation claimed there and the two
    sides as certified there.  Parameters are the statement's variables by name (the paper's symbols), values exact
    SymPy numbers (rationals, multiples of pi)."""

    parameters: dict[str, sp.Basic]
    claimed: sp.Basic                # the relation that fails (the consequent of an implication)
    sides: tuple[Ball, Ball]         # its two sides at the point
    margin_upper: str                # certified upper bound of the margin there
    certified: Certified
    # Other failing points the search found, in its order: below 0 in double precision, not certified.
    others: tuple[dict[str, sp.Basic], ...] = ()

    @property
    def actual(self) -> str:
        """The certified sides in words, as the JSON report states them."""
        return f"left side {self.sides[0]}, right side {self.sides[1]} (margin <= {self.margin_upper})"

    def as_json(self) -> dict[str, Any]:
        from paper_checks.printing import latex
        return {"parameters": {k: str(v) for k, v in self.parameters.items()}, "claimed": latex(self.claimed),
                "actual": self.actual, "certified": self.certified.value,
                "others": [{k: str(v) for k, v in point.items()} for point in self.others]}


@dataclass(frozen=True)
class Item:
    """One line of evidence: what a route did, and for a confirmation whether it passed (None for a note).

    ``outcome`` says the result in words where "passed" and "FAILED" would blur it: a statement search that
    certified a failure says so, and says whether it found a failing box.  An item unpacks as ``(text, passed)``."""

    text: Text
    passed: bool | None = None
    outcome: str | None = None

    @property
    def failed(self) -> bool:
        return self.passed is False

    @property
    def result(self) -> str | None:
        """The outcome in words: ``outcome``, else "passed" or "FAILED"; None for a note."""
        if self.passed is None:
            return None
        return self.outcome or ("passed" if self.passed else "FAILED")

    def __iter__(self):
        return iter((self.text, self.passed))

    def __str__(self) -> str:
        return f"{self.text}" + ("" if self.result is None else f": {self.result}")


@dataclass
class Evidence:
    """What the checks of one claim gathered; ``decide`` turns it into a verdict."""

    derivations: list[tuple[Derivation, tuple[StepCheck, ...]]] = field(default_factory=list)
    numeric: list[Item] = field(default_factory=list)     # confirmations: (description, passed)
    methods: set[Method] = field(default_factory=set)
    notes: list[Text] = field(default_factory=list)
    counterexample: Counterexample | None = None
    conditions: tuple[sp.Basic, ...] | None = None
    correction: tuple[Any, ...] | None = None       # corrected Statements
    not_checkable: Text | str | None = None   # why a claim has no mathematical content to check
    sampled: bool = False              # part of the claim (e.g. a rate) is confirmed only on samples
    # The statement route (paper_checks.margin): the search of the claim's own formal statement, and of
    # each corrected statement; the verdict rule (paper_checks.rule) reads these, not the fields above.
    search: Any = None
    corrections: list[tuple[Any, Any]] = field(default_factory=list)
    # Whether the claim's checks confirmed the defined quantities its statement names (their closed forms against
    # the models that define them); a failure certified on a closed form a check contradicts is no failure of the
    # claim.  Set by the audit before the search lines join ``numeric``.
    checks_passed: bool = True

    def derive(self, deriv: Derivation) -> tuple[StepCheck, ...]:
        checks = deriv.check()
        self.derivations.append((deriv, checks))
        self.methods.add(Method.SYMBOLIC)
        return checks

    def confirm(self, description: Text | str, passed: bool, method: Method) -> bool:
        """Record a numeric confirmation: what was checked (words and formulas) and whether it held."""
        self.numeric.append(Item(Text.of(description), bool(passed)))
        self.methods.add(method)
        return bool(passed)

    def note(self, text: Text | str) -> None:
        self.notes.append(Text.of(text))


@dataclass(frozen=True)
class Finding:
    """What the audit says about one claim, as data: every writer prints these fields with its own printer.

    ``statement`` is the formal ``Statement`` judged (None: no mathematical content), ``evidence`` one ``Item`` per
    route or note, ``conditions`` the relations a conditional claim needs (SymPy), ``correction`` the corrected
    ``Statement``s the audit verified.  ``printed`` is the paper's own sentence (LaTeX between dollars), the one
    text field that is source rather than data, shown beside the formal statement."""

    id: str
    location: str
    kind: Kind
    printed: str
    statement: Any             # paper_checks.statement.Statement, or None
    verdict: Verdict
    scope: Scope | None
    failure: Failure | None
    methods: tuple[Method, ...]
    evidence: tuple[Item, ...]
    conditions: tuple[sp.Basic, ...] | None
    counterexample: Counterexample | None
    correction: tuple[Any, ...] | None
    seconds: float
    derivations: tuple[tuple[Derivation, tuple[StepCheck, ...]], ...] = ()
    cause: Cause | None = None
    reading: str | None = None

    @property
    def evidence_text(self) -> str:
        """The evidence in one line of plain text, the items joined by "; "."""
        return "; ".join(str(i) for i in self.evidence) + "."

    @property
    def conditions_text(self) -> str | None:
        from paper_checks.printing import plain
        return None if self.conditions is None else ", ".join(plain(c) for c in self.conditions)

    @property
    def correction_text(self) -> str | None:
        from paper_checks.printing import plain
        if self.correction is None:
            return None
        return "; ".join(c.words or plain(c.conclusion) for c in self.correction)

    def as_json(self) -> dict[str, Any]:
        from paper_checks.printing import plain
        statement = self.statement.latex() if self.statement is not None else None
        return {"id": self.id, "location": self.location, "kind": self.kind.value, "printed": self.printed,
                "statement": statement,
                "verdict": self.verdict.value, "scope": self.scope.value if self.scope else None,
                "failure": self.failure.value if self.failure else None,
                "cause": self.cause.value if self.cause else None, "reading": self.reading,
                "methods": [m.value for m in self.methods],
                "evidence": [{"text": str(i.text), "passed": i.passed, "outcome": i.result} for i in self.evidence],
                "conditions": None if self.conditions is None else [plain(c) for c in self.conditions],
                "counterexample": self.counterexample.as_json() if self.counterexample else None,
                "correction": None if self.correction is None else [
                    {"words": c.words or None, "statement": c.latex()} for c in self.correction],
                "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class AuditConfig:
    """Knobs of one audit run."""

    seed: int = 0
    samples: int = 24          # random geometries per numeric confirmation
    search_samples: int = 4000  # points of the stated domain searched per statement

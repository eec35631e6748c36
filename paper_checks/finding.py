"""What an audit says about one claim: the vocabularies, the Finding record, and how a verdict is computed."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from derive.core import Derivation, StepCheck
from paper_checks.claim import Cause, Claim, Kind

__all__ = ["Verdict", "Kind", "Cause", "Failure", "Scope", "Method", "Certified", "Counterexample", "Evidence", "Finding",
           "Claim", "AuditConfig"]


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
class Counterexample:
    """Parameters (paper's symbols, exact strings) at which the claim as printed fails."""

    parameters: dict[str, Any]
    claimed: str
    actual: str
    certified: Certified

    def as_json(self) -> dict[str, Any]:
        return {"parameters": self.parameters, "claimed": self.claimed, "actual": self.actual,
                "certified": self.certified.value}


@dataclass
class Evidence:
    """What the checks of one claim gathered; ``decide`` turns it into a verdict."""

    derivations: list[tuple[Derivation, tuple[StepCheck, ...]]] = field(default_factory=list)
    numeric: list[tuple[str, bool]] = field(default_factory=list)     # (description, passed)
    methods: set[Method] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    counterexample: Counterexample | None = None
    conditions: str | None = None
    correction: str | None = None
    not_checkable: str | None = None   # why a claim has no mathematical content to check
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

    def confirm(self, description: str, passed: bool, method: Method) -> bool:
        self.numeric.append((description, bool(passed)))
        self.methods.add(method)
        return bool(passed)

    def note(self, text: str) -> None:
        self.notes.append(text)


@dataclass(frozen=True)
class Finding:
    id: str
    location: str
    kind: Kind
    printed: str
    statement: str | None      # LaTeX rendered from the formal statement (None: no mathematical content)
    verdict: Verdict
    scope: Scope | None
    failure: Failure | None
    methods: tuple[Method, ...]
    evidence: str
    conditions: str | None
    counterexample: Counterexample | None
    correction: str | None
    seconds: float
    derivations: tuple[tuple[Derivation, tuple[StepCheck, ...]], ...] = ()
    cause: Cause | None = None
    reading: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "location": self.location, "kind": self.kind.value, "printed": self.printed,
                "statement": self.statement,
                "verdict": self.verdict.value, "scope": self.scope.value if self.scope else None,
                "failure": self.failure.value if self.failure else None,
                "methods": [m.value for m in self.methods], "evidence": self.evidence,
                "conditions": self.conditions,
                "counterexample": self.counterexample.as_json() if self.counterexample else None,
                "correction": self.correction, "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class AuditConfig:
    """Knobs of one audit run."""

    seed: int = 0
    samples: int = 24          # random geometries per numeric confirmation
    search_samples: int = 4000  # points of the stated domain searched per statement

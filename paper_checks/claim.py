"""What a claim of the paper is: its kind and the record the registry holds, importable without SymPy.

The registry's table is built from these alone, so that listing the claims (``alignment-tax claims``, ``--only``,
pytest's claim keywords) reads the table itself, not a parse of its source, and imports nothing heavy.
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from derive.core import Derivation
    from paper_checks.finding import AuditConfig, Evidence

__all__ = ["Kind", "Cause", "Claim"]


class Kind(enum.Enum):
    """What sort of text a claim is; with the failure set it gives the severity a reader is shown."""

    DEFINITION = "definition"
    THEOREM = "theorem"
    PROPOSITION = "proposition"
    COROLLARY = "corollary"
    REMARK = "remark"
    GLOSS = "gloss"            # a sentence that interprets a result in words; audited through formal readings
    PREDICTION = "prediction"
    IMPLIED = "implied"        # what literal words suggest beyond themselves; judged apart, lowest severity


class Cause(enum.Enum):
    """Why a conditional or refuted claim fails, as a referee would say it (the third factor of severity)."""

    FALSE_MATHEMATICS = "false mathematics"
    OMITTED_HYPOTHESIS = "a hypothesis the paper's own proof uses but the statement omits"
    DEFINITION_MISMATCH = "a definition at odds with its use"
    OVERREACHING_NAME = "a name or gloss that overreaches"
    IMPLICATION = "an implication the words suggest but do not state"


@dataclass(frozen=True)
class Claim:
    """A claim of the paper: where it is, its kind, what it says (LaTeX as printed), its derivations, and its check."""

    id: str
    kind: Kind
    location: str
    printed: str
    derivations: tuple[Callable[[], Derivation], ...]
    check: Callable[[AuditConfig], Evidence]
    statement: Any = None                  # paper_checks.statement.Statement; None: no mathematical content
    corrections: tuple[Any, ...] = ()      # corrected Statements the audit proposes
    cause: Cause | None = None             # why the claim fails, if it does (read only for conditional/refuted)
    reading: str | None = None             # which reading of the sentence this claim formalises, when it has several

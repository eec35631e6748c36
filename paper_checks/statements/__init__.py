"""The formal statements of the paper's claims, one module per family (the same names as derive/, verify/
and paper_checks/checks/); ``STATEMENTS`` maps a claim id to its statement and ``CORRECTIONS`` to the
corrected statements the audit proposes.

Building a family's statements costs a tenth of a second or more (SymPy derives the closed forms they
cite), so the two tables are built on first use, and ``from paper_checks.statements import frontier``
builds that family alone (``paper_checks.registry.by_id`` asks only for the family of its claim).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paper_checks.statement import Statement

    STATEMENTS: dict[str, Statement]
    CORRECTIONS: dict[str, tuple[Statement, ...]]

__all__ = ["STATEMENTS", "CORRECTIONS", "FAMILIES", "family"]

FAMILIES = ("whitening", "tax_rate", "frontier", "capability_constraint", "packing", "random_subspace",
            "safety_pair", "conflict")


def family(name: str) -> Any:
    """The module ``paper_checks.statements.<name>`` (its ``STATEMENTS`` and ``CORRECTIONS``)."""
    return importlib.import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> Any:
    # PEP 562: the merged tables, built from every family the first time one is asked for.
    if name not in ("STATEMENTS", "CORRECTIONS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    modules = [family(f) for f in FAMILIES]
    globals()["STATEMENTS"] = {k: v for m in modules for k, v in m.STATEMENTS.items()}
    globals()["CORRECTIONS"] = {k: v for m in modules for k, v in m.CORRECTIONS.items()}
    return globals()[name]

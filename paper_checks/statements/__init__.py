"""The formal statements of the paper's claims, one module per family (the same names as derive/, verify/
and paper_checks/checks/); ``STATEMENTS`` maps a claim id to its statement and ``CORRECTIONS`` to the
corrected statements the audit proposes."""
from __future__ import annotations

from paper_checks.statement import Statement
from paper_checks.statements import (capability_constraint, conflict, frontier, packing, random_subspace,
                                     safety_pair, tax_rate, whitening)

__all__ = ["STATEMENTS", "CORRECTIONS"]

_FAMILIES = (whitening, tax_rate, frontier, capability_constraint, packing, random_subspace, safety_pair,
             conflict)

STATEMENTS: dict[str, Statement] = {k: v for f in _FAMILIES for k, v in f.STATEMENTS.items()}
CORRECTIONS: dict[str, tuple[Statement, ...]] = {k: v for f in _FAMILIES for k, v in f.CORRECTIONS.items()}

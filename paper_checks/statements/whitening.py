"""Formal statements of the whitening family (see paper_checks/statements/frontier.py for the pattern)."""
from __future__ import annotations

from paper_checks.statement import Statement

STATEMENTS: dict[str, Statement] = {}

CORRECTIONS: dict[str, tuple[Statement, ...]] = {}

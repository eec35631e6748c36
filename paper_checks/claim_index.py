"""The claim index: each claim's id, kind and location, read from the registry's source without importing it.

Importing ``paper_checks.registry`` imports every derivation and check (SymPy, cvxpy, SciPy: about two
seconds); listing the claims, parsing ``--only`` and tagging pytest items only need the ids.  The registry
is one literal table of ``Claim(id, kind, location, ...)`` calls, so its abstract syntax tree gives them
in a few milliseconds.  Whenever the source is not such a table (a computed id, a claim built by a
helper), :func:`index` falls back to importing the registry, so the answer is always the registry's.
"""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Entry", "index", "parse_registry_source"]

_REGISTRY = Path(__file__).with_name("registry.py")
_FIELDS = ("id", "kind", "location")


@dataclass(frozen=True)
class Entry:
    """One claim as the index knows it: id, kind (the ``Kind`` value, e.g. ``"theorem"``) and location."""

    id: str
    kind: str
    location: str


def _field(call: ast.Call, position: int, name: str) -> ast.expr | None:
    if position < len(call.args):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    # Kind.THEOREM -> "theorem": the enum's values are its names in lower case with dashes.
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Kind":
        return node.attr.lower().replace("_", "-")
    return None


def parse_registry_source(source: str) -> tuple[Entry, ...] | None:
    """The entries of a registry source, in order; None when any ``Claim(...)`` call is not literal."""
    calls = sorted((node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name) and node.func.id == "Claim"),
                   key=lambda n: (n.lineno, n.col_offset))   # ast.walk is breadth-first, not source order
    entries = []
    for call in calls:
        values = [_literal(_field(call, i, name)) for i, name in enumerate(_FIELDS)]
        if any(v is None for v in values):
            return None
        entries.append(Entry(*values))
    return tuple(entries) or None


@functools.lru_cache(maxsize=1)
def index() -> tuple[Entry, ...]:
    """Every claim of the registry, in the registry's order."""
    entries = parse_registry_source(_REGISTRY.read_text(encoding="utf-8"))
    if entries is not None:
        return entries
    from paper_checks.registry import CLAIMS   # slow but always right
    return tuple(Entry(c.id, c.kind.value, c.location) for c in CLAIMS)

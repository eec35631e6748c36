"""Words and formulas: a sentence of evidence or a note as text parts and SymPy expressions, printed by each writer.

A check that says something with mathematics in it ("the maximum at alpha = pi/2 is 2") says it as
``Text.of("the maximum at ", Eq(alpha, pi/2), " is ", 2)``: the words stay words, the formulas stay SymPy objects,
and every writer prints the formulas with its own printer (``paper_checks.printing``).  Numbers are formulas too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

__all__ = ["Text", "Part"]

Part = str | sp.Basic


@dataclass(frozen=True)
class Text:
    """A sequence of words (``str``) and formulas (SymPy objects)."""

    parts: tuple[Part, ...]

    def __post_init__(self) -> None:
        for p in self.parts:
            if not isinstance(p, (str, sp.Basic)):
                raise TypeError(f"part={p!r} must be a str or a SymPy object (wrap numbers with Text.of)")

    @classmethod
    def of(cls, *parts: Any) -> Text:
        """Text from words, SymPy objects, ints and Fractions (made SymPy numbers), or other Texts (joined)."""
        out: list[Part] = []
        for p in parts:
            items = p.parts if isinstance(p, Text) else (p,)
            for q in items:
                if isinstance(q, str):
                    if q and out and isinstance(out[-1], str):
                        out[-1] += q
                    elif q:
                        out.append(q)
                elif isinstance(q, sp.Basic):
                    out.append(q)
                elif isinstance(q, bool):
                    raise TypeError(f"part={q!r}: a boolean is not a formula")
                else:
                    out.append(sp.sympify(q, rational=isinstance(q, str)))
        return cls(tuple(out))

    def __str__(self) -> str:
        from paper_checks.printing import plain
        return "".join(p if isinstance(p, str) else plain(p) for p in self.parts)

    def __add__(self, other: Any) -> Text:
        return Text.of(self, other)

    def __radd__(self, other: Any) -> Text:
        return Text.of(other, self)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def render(self, words: Any, formula: Any) -> str:
        """Each part through ``words`` (a str) or ``formula`` (a SymPy object), concatenated: how a writer prints."""
        return "".join(words(p) if isinstance(p, str) else formula(p) for p in self.parts)

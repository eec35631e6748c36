"""How a long derivation step is cut for display: one line per matrix entry, then per side, then per
group of terms, so that no single formula is wider than a page or longer than MathJax's buffer.

A line is a label (or "") and a list of items, each a SymPy expression or a relation/sign string
("=", "<=", "<", "+", "-"); every writer prints the items its own way.  The lines of one step, read
in order, state exactly the step (the groups of terms sum to the side they came from).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

import sympy as sp

from derive.core import Step

__all__ = ["Line", "step_lines", "statement_lines", "given", "tex", "LIMIT"]

# Characters of LaTeX source per line: a line this long still fits MathJax's 5 kB buffer after macro
# expansion, and breqn can break it across a page's width.
LIMIT = 900

Item = sp.Basic | str


@dataclass(frozen=True)
class Line:
    label: str
    items: tuple[Item, ...]


def tex(e: sp.Basic) -> str:
    """SymPy's LaTeX, with a long numerator over a short denominator printed as a coefficient: breqn can
    break "1/2 (a + b + ...)" across lines but never a fraction bar."""
    from paper_checks.printing import latex
    # A symbol named "B'" prints as B'^{2}, a double superscript to TeX: B^{\prime 2}.
    return re.sub(r"'\^\{", r"^{\\prime ", latex(e, long_frac_ratio=2))


def _terms(e: sp.Basic, limit: int) -> list[tuple[str, sp.Basic]]:
    """``e`` as (sign, group) pairs whose sum is ``e``, each group's LaTeX shorter than ``limit``."""
    if not isinstance(e, sp.Add) or len(tex(e)) <= limit:
        return [("", e)]
    groups: list[list[sp.Basic]] = [[]]
    size = 0
    for t in e.as_ordered_terms():
        n = len(tex(t))
        if groups[-1] and size + n > limit:
            groups.append([])
            size = 0
        groups[-1].append(t)
        size += n
    out: list[tuple[str, sp.Basic]] = []
    for k, g in enumerate(groups):
        total = sp.Add(*g, evaluate=False)
        if k and g[0].could_extract_minus_sign():
            out.append(("-", sp.Add(*[-t for t in g], evaluate=False)))
        else:
            out.append(("+" if k else "", total))
    return out


def _scalar(lhs: sp.Basic, rel: str, rhs: sp.Basic, label: str, limit: int) -> list[Line]:
    if len(tex(lhs)) + len(tex(rhs)) <= limit:
        return [Line(label, (lhs, rel, rhs))]
    lines: list[Line] = []
    for k, (sign, part) in enumerate(_terms(lhs, limit)):
        lines.append(Line(label if k == 0 else "", ((sign,) if sign else ()) + (part,)))
    for k, (sign, part) in enumerate(_terms(rhs, limit)):
        lines.append(Line("", ((rel,) if k == 0 else ()) + ((sign,) if sign else ()) + (part,)))
    return lines


def step_lines(step: Step, limit: int = LIMIT, matrix_limit: int | None = None) -> list[Line]:
    """The step as display lines (see the module docstring).  A matrix equation longer than
    ``matrix_limit`` (default ``limit``) goes entry by entry; a side longer than ``limit`` goes by terms."""
    lhs, rhs = step.lhs, step.rhs
    rel = step.op.value
    matrix_limit = limit if matrix_limit is None else matrix_limit
    if (isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase) and lhs.shape == rhs.shape
            and len(tex(lhs)) + len(tex(rhs)) > matrix_limit):
        lines: list[Line] = []
        for i in range(lhs.rows):
            for j in range(lhs.cols):
                lines += _scalar(lhs[i, j], rel, rhs[i, j], f"entry ({i + 1}, {j + 1})", limit)
        return lines
    return _scalar(lhs, rel, rhs, "", limit)


def given(statement: Any) -> list[sp.Basic]:
    """What a statement quantifies over and assumes, one SymPy object each: ``alpha in [0, pi]`` for a variable
    (``d in Z cap [1, oo)`` for an integer one), then each hypothesis."""
    out: list[sp.Basic] = []
    for v in statement.variables:
        dom = sp.Intersection(sp.Integers, v.domain, evaluate=False) if v.integer else v.domain
        out.append(sp.Contains(v.symbol, dom, evaluate=False))
    return out + list(statement.hypotheses)


def statement_lines(statement: Any, width: int, printer: Callable[[sp.Basic], str] = tex) -> list[list[sp.Basic]]:
    """A statement's quantifier part packed into lines whose printed length (by ``printer``) is at most ``width``:
    each line a list of the objects of ``given`` on it, splitting only between them."""
    lines: list[list[sp.Basic]] = []
    size = 0
    for item in given(statement):
        n = len(printer(item))
        if lines and size + n <= width:
            lines[-1].append(item)
            size += n
        else:
            lines.append([item])
            size = n
    return lines

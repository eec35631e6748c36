"""Chains from a defined quantity's definition to a formal statement's own conclusion.

A statement names a defined quantity ``F(x)`` (an optimum, an expectation, a projection norm) whose closed form
``X(x)`` was derived from its definition; the definition ``F(x) = X(x)`` is handed in (derive/ never reads
paper_checks/), and the chain starts by substituting it.  For ``F(x) = R(x)`` the chain is

    F(x) = X(x)      (substitute the definition)
         = R(x)      (polynomial identity modulo the side relations, when X and R differ as built)

so its conclusion is the statement's own relation, in the statement's own symbols.  A statement whose right
side is its definition's closed form as built is proved by the substitution alone: it says no more than the
definition, and the chain shows exactly that.
"""
from __future__ import annotations

import functools

import sympy as sp

from derive.core import Derivation, Rule, Start, Step

__all__ = ["equation_chain"]


@functools.lru_cache(maxsize=None)
def equation_chain(claim: str, title: str, conclusion: sp.Equality, definitions: tuple[sp.Equality, ...],
                   domain: tuple[sp.Basic, ...], assumptions: tuple[str, ...] = ()) -> Derivation:
    """``conclusion = Eq(lhs, rhs)``: one substitution per definition in ``lhs``, then algebra to ``rhs``."""
    if not isinstance(conclusion, sp.Equality):
        raise TypeError(f"conclusion={conclusion!r} must be an Eq; an inequality needs its own chain")
    current = conclusion.lhs
    steps: list[Step] = []
    for i, definition in enumerate(definitions):
        if not current.has(definition.lhs):
            raise ValueError(f"definition={definition!r} does not occur in the chain's expression {current!r}")
        new = current.subs(definition.lhs, definition.rhs)
        steps.append(Step(f"definition-{i + 1}" if len(definitions) > 1 else "definition", current, new,
                          f"{definition.lhs} by its definition's closed form", by=Rule.SUBSTITUTE, using=definition,
                          start=Start.DEFINITION if i == 0 else None))
        current = new
    if not steps:
        raise ValueError(f"conclusion={conclusion!r} names no defined quantity to start from")
    if current == conclusion.rhs:
        # The closed form is the right side as built: the last substitution already ends in it.
        *steps, result = steps
    else:
        result = Step("identity", current, conclusion.rhs, "the closed form and the stated right side agree as "
                      "rational functions, wherever the denominators are nonzero")
    return Derivation(claim, title, assumptions, tuple(steps), result, domain=(*definitions, *domain))

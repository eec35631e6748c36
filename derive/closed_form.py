"""Chains from a defined quantity's definition to a formal statement's own conclusion.

A statement names a defined quantity ``F(x)`` (an optimum, an expectation, a projection norm) whose closed form
``X(x)`` was derived from its definition; the definition ``F(x) = X(x)`` is handed in (derive/ never reads
paper_checks/), and the chain starts by substituting it.  For ``F(x) = R(x)`` the chain is

    F(x) = X(x)      (substitute the definition)
         = R(x)      (polynomial identity modulo the side relations, when X and R differ as built)

so its conclusion is the statement's own relation, in the statement's own symbols.  A bound ``L(x) <= F(x)``
(``<``) runs the other way round:

    L(x) <= X(x)     (the sign of X - L on the whole domain: SymPy, else z3 and cvc5)
         = F(x)      (the definition, read right to left)
  A statement whose right
side is its definition's closed form as built is proved by the substitution alone: it says no more than the
definition, and the chain shows exactly that.
"""
from __future__ import annotations

import functools

import sympy as sp

from derive.core import Derivation, Op, Rule, Start, Step

__all__ = ["equation_chain", "bound_chain"]


@functools.cache
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


@functools.cache
def bound_chain(claim: str, title: str, conclusion: sp.Basic, definitions: tuple[sp.Equality, ...],
                domain: tuple[sp.Basic, ...], assumptions: tuple[str, ...] = (),
                bound: tuple[sp.Symbol, ...] = ()) -> Derivation:
    """``conclusion = L <= F(x)`` (or ``<``) with ``F`` defined by ``F(x) = X``: ``L <= X`` by the sign of ``X - L``
    under the domain, then ``X = F(x)``.  ``bound``: the variables whose hypotheses the conclusion states as premises
    (a chain for a corrected statement names its extra hypothesis, so it never reads as a proof of the original)."""
    (definition,) = definitions
    app, closed = definition.lhs, definition.rhs
    if not (isinstance(conclusion, (sp.LessThan, sp.StrictLessThan)) and conclusion.rhs == app):
        raise ValueError(f"conclusion={conclusion!r} must be 'L <= {app}' or 'L < {app}'")
    op = Op.LT if isinstance(conclusion, sp.StrictLessThan) else Op.LE
    back = sp.Eq(closed, app, evaluate=False)
    steps = (Step("bound", conclusion.lhs, closed, "the closed form lies on the stated side: the difference has the "
                  "needed sign on the whole stated domain", op, start=Start.DEFINITION),)
    result = Step("definition", closed, app, f"{app} by its definition's closed form", by=Rule.SUBSTITUTE, using=back)
    return Derivation(claim, title, assumptions, steps, result, domain=(definition, back, *domain), bound=bound)

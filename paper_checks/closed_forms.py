"""Closed forms proved from their definitions: which defined quantities' closed forms a checked chain proves, and
under which hypotheses on their arguments.

A quantity defined by equations (``definitions.Equations``: the normal equations of a projection, the equation a
norm solves) names a derivation (``Definition.proof``) whose last step is ``F(x) = X(x)`` by Rule.SOLUTION.  It
proves the closed form when

* every step of it is proved (rule, proof and obligations, symbolically);
* that step solves the definition's own equations (``Equations`` at ``x``: the same unknowns, with the same
  assumptions, in order; the same equations, in order; the same value) and concludes ``F(x) = E`` with ``E`` the
  registered closed form ``X(x)`` (``E - X(x)`` cancels to zero) at distinct symbols ``x``;
* its hypotheses are on ``x`` alone (besides objects of its own: a dimension, a matrix): they, with the sign
  assumptions of ``x``, are what a use of ``F(y)`` owes at ``y`` (``hypotheses``); so ``x`` assumes nothing else
  (an integer ``x`` would prove the closed form at integers only, and no use owes that).

A quantity defined as a decay exponent (``definitions.Decay``: kappa of an RMS, the square root of a mean square)
names a derivation whose last step is ``F(x) = X(x)`` by Rule.ORDER; it proves the closed form on the same terms,
with the step's expression and root the definition's own (``Decay`` at ``x``, its dimension renamed).

Each proof is checked once per process (``proved``); the verdict rule (``paper_checks.rule``) reads the outcome.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.core import Order, Rule, Solution, Status
from paper_checks import definitions

__all__ = ["Proof", "proof", "proved", "hypotheses", "unproved", "derivations", "beyond_signs",
           "solves_definition", "from_definition"]

_SIGNS = (("positive", sp.Gt), ("nonnegative", sp.Ge), ("negative", sp.Lt), ("nonpositive", sp.Le),
          ("nonzero", sp.Ne))


@dataclass(frozen=True)
class Proof:
    """The outcome of checking one definition's proof: the derivation and its step checks (None when the definition
    names none), the symbols it is proved at, its hypotheses on them, and why it is no proof (None when it is)."""

    name: str
    derivation: Any
    checks: tuple[Any, ...]
    arguments: tuple[sp.Symbol, ...]
    hypotheses: tuple[sp.Basic, ...]
    why: str | None


@functools.cache
def proof(name: str) -> Proof:
    """Check the proof of ``name``'s closed form (once per process)."""
    if name not in definitions.DEFINITIONS:
        _load_all()
    d = definitions.DEFINITIONS[name]
    if d.proof is None or (d.equations is None and d.decay is None):
        return Proof(name, None, (), (), (), "no chain from its definition")
    deriv = d.proof(d.function)
    checks = tuple(deriv.check())
    return Proof(name, deriv, checks, *_judged(d, deriv, checks))


def _judged(d: definitions.Definition, deriv: Any, checks: tuple[Any, ...]
            ) -> tuple[tuple[sp.Symbol, ...], tuple[sp.Basic, ...], str | None]:
    """The arguments, the hypotheses on them and why the checked ``deriv`` does not prove ``d``'s closed form."""
    unproved = [c.step.name for c in checks if c.status is not Status.OK]
    if unproved:
        return (), (), f"step{'s' if len(unproved) > 1 else ''} {', '.join(unproved)} not proved"
    last = deriv.result
    quantity = last.lhs
    rule = Rule.SOLUTION if d.equations is not None else Rule.ORDER
    if last.by is not rule or getattr(quantity, "func", None) is not d.function:
        return (), (), ("its last step is not the quantity's value at the solution of its equations (rule SOLUTION)"
                        if rule is Rule.SOLUTION else "its last step is not the quantity's decay exponent (rule ORDER)")
    args = quantity.args
    if not all(isinstance(x, sp.Symbol) for x in args) or len(set(args)) != len(args):
        return (), (), "it is proved at arguments that are not distinct symbols"
    extra = [x for x in args if beyond_signs(x)]
    if extra:
        return args, (), (f"it assumes {', '.join(map(str, extra))} more than real with a sign "
                          f"({', '.join(sorted(beyond_signs(extra[0])))}), which no use owes")
    if not from_definition(last):
        return args, (), ("the equations it solves are not the quantity's definition" if rule is Rule.SOLUTION else
                          "the expression whose decay exponent it takes is not the quantity's definition")
    if sp.cancel(sp.sympify(last.rhs) - d.closed_form(*args)) != 0:
        return args, (), "it concludes another expression than the registered closed form"
    held = _hypotheses_on(deriv, set(args))
    if held is None:
        return args, (), "a hypothesis of it ties the arguments to objects of its own"
    signs = tuple(rel(x, 0, evaluate=False) for x in args for flag, rel in _SIGNS if getattr(x, f"is_{flag}"))
    return args, (*signs, *held), None


def beyond_signs(x: sp.Symbol, integer: bool = False) -> set[str]:
    """The assumptions of ``x`` that neither ``real`` (``integer`` too, when given) nor its sign assumptions imply
    (``integer``, ``rational``, ``integer=False``, ...): what a relation on ``x`` cannot state."""
    signs = {flag: True for flag, _ in _SIGNS if getattr(x, f"is_{flag}")}
    implied = sp.Symbol(x.name, real=True, integer=integer or None, **signs).assumptions0
    return {f"{k}={v}" if v is False else k for k, v in x.assumptions0.items() if implied.get(k) != v}


def _same_equations(mine: Any, theirs: definitions.Equations) -> bool:
    """The step's ``Solution`` solves ``theirs``: the same number of unknowns with the same assumptions (renamed in
    order), and, after the renaming, each equation and the value the same polynomial."""
    if len(mine.unknowns) != len(theirs.unknowns) or len(mine.equations) != len(theirs.equations):
        return False
    if any(a.assumptions0 != b.assumptions0 for a, b in zip(mine.unknowns, theirs.unknowns, strict=True)):
        return False
    ren = dict(zip(theirs.unknowns, mine.unknowns, strict=True))
    pairs = [*zip(theirs.equations, mine.equations, strict=True), (theirs.value, mine.value)]
    return all(sp.expand(sp.sympify(t).xreplace(ren) - m) == 0 for t, m in pairs)


def solves_definition(step: Any) -> bool:
    """The Rule.SOLUTION ``step`` (``F(y) = E``) solves the equations of ``F``'s definition at ``y``: what makes the
    value it finds ``F``'s, wherever in a chain it stands."""
    quantity = step.defined_sides[0]
    d = definitions.DEFINITIONS.get(getattr(quantity, "func", type(None)).__name__)
    return isinstance(step.using, Solution) and d is not None and d.equations is not None and \
        _same_equations(step.using, d.equations(*quantity.args))


def orders_definition(step: Any) -> bool:
    """The Rule.ORDER ``step`` (``F(y) = E``) takes the decay exponent of the expression and root of ``F``'s definition
    at ``y`` (``Decay``; its dimension renamed to the step's): what makes the exponent it finds ``F``'s."""
    quantity = step.defined_sides[0]
    d = definitions.DEFINITIONS.get(getattr(quantity, "func", type(None)).__name__)
    if not (isinstance(step.using, Order) and d is not None and d.decay is not None):
        return False
    theirs = d.decay(*quantity.args)
    mine = step.using
    return mine.root == theirs.root and \
        sp.expand(sp.sympify(theirs.expr).xreplace({theirs.dim: mine.dim}) - mine.expr) == 0


def from_definition(step: Any) -> bool:
    """A Rule.SOLUTION or Rule.ORDER ``step`` starts from its quantity's own definition (``solves_definition``,
    ``orders_definition``); any other step is not asked."""
    if step.by is Rule.SOLUTION:
        return solves_definition(step)
    if step.by is Rule.ORDER:
        return orders_definition(step)
    return True


def _hypotheses_on(deriv: Any, args: set[sp.Symbol]) -> tuple[sp.Basic, ...] | None:
    """The derivation's hypotheses on its arguments (those on its own objects alone are not owed); None when one
    mixes them, or a side relation or an angle speaks of them (nothing a use could be asked for)."""
    held = []
    for c in deriv.domain:
        free = sp.sympify(c).free_symbols
        if c is sp.true:
            continue
        if free <= args:
            held.append(c)
        elif free & args:
            return None
    if any(sp.sympify(r).free_symbols & args for r in deriv.relations) or \
            (set(deriv.angles) | set(deriv.closed_angles)) & args:
        return None
    return tuple(held)


def proved(name: str) -> bool:
    """``name``'s closed form is proved from its definition."""
    return proof(name).why is None


def hypotheses(application: sp.Basic) -> tuple[sp.Basic, ...] | None:
    """What the proved closed form of ``F(y)`` owes at ``y``: its proof's hypotheses at ``y``; None when ``F``'s closed
    form has no proof."""
    p = proof(application.func.__name__)
    if p.why is not None:
        return None
    sub = dict(zip(p.arguments, application.args, strict=True))
    return tuple(h.xreplace(sub) for h in p.hypotheses)


def unproved() -> list[str]:
    """The defined quantities whose closed form no chain proves from the definition, optima stated as problems
    aside (their values are proved by Rule.OPTIMUM, never read from a closed form)."""
    _load_all()
    return sorted(name for name, d in definitions.DEFINITIONS.items() if d.problem is None and not proved(name))


def derivations() -> list[tuple[str, tuple[Callable[[], Any], ...]]]:
    """Each definition's proof as ``(name, (factory,))``, in name order: what ``alignment-tax certificates`` writes
    beside the claims' derivations."""
    _load_all()
    return [(name, (functools.partial(d.proof, d.function),)) for name, d in sorted(definitions.DEFINITIONS.items())
            if d.proof is not None]


def _load_all() -> None:
    # The families register their definitions when they are built, each on first use.
    from paper_checks import statements
    for name in statements.FAMILIES:
        statements.family(name)

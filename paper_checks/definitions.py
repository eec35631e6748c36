"""The paper's defined quantities: each optimisation value, expectation or probability that a statement names
as an unevaluated function, defined once (what it maximises, under which constraints) with the closed form
that derive/ derived from that definition.

A statement writes ``MaxSafetyGain(alpha, B, Delta_C)``; the numeric route (``paper_checks.margin``)
replaces it by the derived closed form, the SOCP route (verify/) solves the definition itself, and
the checks confirm that the two agree.  A closed form here is never the paper's printed formula: it is
what the derivation produced from the definition, so a claim is compared with its definition, not
with itself.

A quantity defined by equations (a projection by its normal equations, a norm by Pythagoras) states them as data
(``Equations``), and names the derivation that proves its closed form from them (``proof``); the audit checks that
proof once (``paper_checks.closed_forms``).  A closed form without one is confirmed on samples only, and the README
lists it in the trust base.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

import sympy as sp

__all__ = ["Problem", "Equations", "Decay", "Definition", "DEFINITIONS", "define", "expand", "expand_except",
           "reductions_of", "on_the_lifted_line"]


@dataclass(frozen=True)
class Problem:
    """An optimum as data: ``max objective`` over ``variables`` subject to ``constraints`` (relations), at given
    arguments.  A derivation's Rule.OPTIMUM step proves its quantity's value only when the problem it
    maximises is this one (``paper_checks.rule.proves`` compares them)."""

    variables: tuple[sp.Symbol, ...]
    objective: sp.Expr
    constraints: tuple[sp.Basic, ...]


@dataclass(frozen=True)
class Equations:
    """A quantity defined as ``value`` at the ``unknowns`` that solve ``equations`` (each ``== 0``), at given arguments:
    the normal equations of a projection, the equation a norm solves.  The equations determine one value (linear
    equations with a nonzero determinant; an unknown's sign assumption picks a norm's root), which the checker of
    Rule.SOLUTION shows; a derivation's Rule.SOLUTION step proves the quantity's closed form only when the equations
    it solves are these (``paper_checks.closed_forms``)."""

    unknowns: tuple[sp.Symbol, ...]
    equations: tuple[sp.Expr, ...]
    value: sp.Expr


@dataclass(frozen=True)
class Decay:
    """A quantity defined as the decay exponent kappa(expr^(1/root)) = lim_{dim -> oo} -log expr^(1/root) / log dim,
    at given arguments (an RMS is the square root of a mean square: ``expr`` the mean square, ``root`` 2).  A
    derivation's Rule.ORDER step proves the quantity's closed form only when its expression and root are these
    (``paper_checks.closed_forms``)."""

    dim: sp.Symbol
    expr: sp.Expr
    root: int = 1


@dataclass(frozen=True, eq=False)      # compared and hashed by identity: a memo key of the table
class Definition:
    """An unevaluated function of a statement, what it means, and its derived closed form."""

    function: sp.FunctionClass
    meaning: str
    closed_form: Callable[..., sp.Expr]     # the derivation's result, as a function of the arguments
    derivation: str                         # where the closed form is derived (module.function)
    problem: Callable[..., Problem] | None = None   # an optimum's problem at the arguments, when stated formally
    equations: Callable[..., Equations] | None = None     # the defining equations at the arguments, when stated
    # The chain from the definition to the closed form: given the quantity's function, a derivation whose last step
    # is ``F(x) = X(x)`` by Rule.SOLUTION on ``equations(x)`` (by Rule.ORDER on ``decay(x)``).
    proof: Callable[[sp.FunctionClass], Any] | None = None
    # The derivation that the problem, stated in coordinates, has the value of the optimum the meaning describes (in
    # R^d, say): every feasible point of the meaning maps to a feasible point of the problem with no smaller objective,
    # and each point ``lifts`` accepts (the coordinates' values) lifts back with the same objective.  A chain that
    # takes the maximum by Rule.OPTIMUM rests on it, and its attaining point must lift (``paper_checks.rule``).
    reduction: Callable[[], Any] | None = None
    lifts: Callable[..., bool] | None = None
    decay: Callable[..., Decay] | None = None     # the expression whose decay exponent the quantity is, when stated


DEFINITIONS: dict[str, Definition] = {}


def define(name: str, meaning: str, derivation: str, nargs: int, problem: Callable[..., Problem] | None = None,
           equations: Callable[..., Equations] | None = None, proof: Callable[[sp.FunctionClass], Any] | None = None,
           reduction: Callable[[], Any] | None = None, lifts: Callable[..., bool] | None = None,
           decay: Callable[..., Decay] | None = None) -> Callable[[Callable[..., sp.Expr]], sp.FunctionClass]:
    """Register ``name`` as an unevaluated function whose closed form the decorated function returns (and, for an
    optimum, ``problem``: its objective and constraints at the arguments, with ``reduction``: the derivation that the
    problem has the value the meaning describes, when the problem is stated in coordinates, for an attaining point
    that ``lifts`` accepts; for a quantity defined by equations, ``equations`` at the arguments and ``proof``, the
    derivation of the closed form from them; for a decay exponent, ``decay`` at the arguments and ``proof``)."""
    if equations is not None and decay is not None:
        raise ValueError(f"name={name!r}: a quantity is defined by equations or as a decay exponent, not both")
    if (equations is None and decay is None) != (proof is None):
        raise ValueError(f"name={name!r}: a proof goes with the definition it starts from (equations or a decay "
                         "exponent); give both or neither")
    func = sp.Function(name, real=True, nargs=nargs)

    def register(closed_form: Callable[..., sp.Expr]) -> sp.FunctionClass:
        if name in DEFINITIONS:
            raise ValueError(f"name={name!r} is defined twice; a quantity is defined once")
        DEFINITIONS[name] = Definition(func, meaning, functools.lru_cache(maxsize=None)(closed_form), derivation,
                                       problem, equations, proof, reduction, lifts, decay)
        return func
    return register


def on_the_lifted_line(first: sp.Expr, rest: sp.Expr) -> bool:
    """The ``lifts`` of a reduction to two coordinates that lifts the points (t, 0): target + t e_1, e_1 the free part's
    direction along the objective (a point with ``rest`` != 0 would need a second free direction, which the smallest
    dimension the meaning allows lacks)."""
    return sp.sympify(rest) == 0


def reductions_of(statement: Any) -> tuple[Callable[[], Any], ...]:
    """The reductions (``Definition.reduction``) of the optima ``statement`` names: derivations its chains rest on
    besides their own, which a certificate or a listing of its derivations includes."""
    _load()
    if statement is None:
        return ()
    names = {f.func.__name__ for f in sp.sympify(statement.conclusion).atoms(sp.core.function.AppliedUndef)}
    return tuple(d.reduction for name, d in DEFINITIONS.items() if name in names and d.reduction is not None)


def expand(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every defined function replaced by its derived closed form at its arguments."""
    _load()
    # Memoised per table of definitions (a test may swap one in): the search asks again for the same
    # statement's sides at every candidate point.  The key holds the entries themselves, not their ids, which
    # a collected entry could pass on to a new one.
    return _expand(expr, tuple(DEFINITIONS.values()))


@functools.lru_cache(maxsize=4096)
def _expand(expr: sp.Basic, table: tuple[Definition, ...]) -> sp.Basic:
    for d in table:
        if expr.has(d.function):
            expr = expr.replace(d.function, lambda *args, _d=d: _d.closed_form(*args))
    return expr


def expand_except(expr: sp.Basic, keep: set[str]) -> sp.Basic:
    """``expr`` with every defined function replaced by its closed form except those named in ``keep``."""
    _load()
    for name, d in DEFINITIONS.items():
        if name not in keep and expr.has(d.function):
            expr = expr.replace(d.function, lambda *args, _d=d: _d.closed_form(*args))
    return expr


def _load() -> None:
    # The families register their definitions on import; importing them here keeps one entry point.
    from paper_checks import statements  # noqa: F401

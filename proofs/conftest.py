"""Shared fixtures of the proof checker: every derivation of the registry, checked once per session."""
from __future__ import annotations

import functools
import random

import mpmath
import sympy as sp

from derive.core import Derivation, Step, StepCheck
from paper_checks.registry import bare, by_id
from proofs.findings import audited


@functools.cache
def checked(claim_id: str) -> tuple[tuple[Derivation, tuple[StepCheck, ...]], ...]:
    """The claim's derivations with their step checks: those of its finding (``proofs.findings``: judged once per
    run), which checks every derivation of a registry claim with a statement; else checked here."""
    claim = by_id(claim_id)
    found = audited(claim_id).derivations
    if len(found) == len(claim.derivations):
        return tuple(found)
    return tuple((d, d.check()) for d in (make() for make in claim.derivations))


def derived_ids() -> list[str]:
    """The ids of the registry's claims that have derivations, read from the table (nothing is built)."""
    return [c.id for c in bare() if c.derivations]


# Where the sides of a failed step differ: sampled at random admissible points, as a reader would check by hand.
_POINTS = 200
_DPS = 30


def _draw(s: sp.Symbol, deriv: Derivation, rng: random.Random) -> sp.Float:
    # The domains derive.core states: angles in (0, pi), positive and nonnegative symbols, else [-1, 1].
    if s in deriv.angles:
        return sp.Float(rng.uniform(0.02, 3.12), _DPS)
    if s.is_positive:
        return sp.Float(rng.uniform(0.05, 3.0), _DPS)
    if s.is_nonnegative:
        return sp.Float(rng.uniform(0.0, 3.0), _DPS)
    return sp.Float(rng.uniform(-1.0, 1.0), _DPS)


def _number(e: sp.Basic) -> mpmath.mpf | None:
    try:
        z = mpmath.mpmathify(sp.N(e, _DPS))
    except (TypeError, ValueError):
        return None
    if isinstance(z, mpmath.mpc):
        return None if abs(z.imag) > mpmath.mpf(10) ** (-_DPS // 2) else z.real
    return z


def differing_point(deriv: Derivation, step: Step) -> str:
    """A point where ``step.lhs op step.rhs`` fails, with both sides' values; or why none was shown."""
    lhs, rhs = (e.doit() if hasattr(e, "doit") else e for e in (step.lhs, step.rhs))
    pairs = (list(zip(sp.Matrix(lhs), sp.Matrix(rhs), strict=False))
             if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase)
             else [(lhs, rhs)])
    symbols = sorted(set().union(*(sp.sympify(a - b).free_symbols for a, b in pairs)), key=str)
    tied = set().union(*(r.free_symbols for r in deriv.relations)) & set(symbols)
    if tied:
        return f"no random point: the symbols {sorted(map(str, tied))} obey side relations"
    rng = random.Random(f"{deriv.claim}/{step.name}/differ")
    tol = mpmath.mpf(10) ** (-_DPS // 2)
    with mpmath.workdps(_DPS):
        for _ in range(_POINTS):
            point = {s: _draw(s, deriv, rng) for s in symbols}
            if any(c.free_symbols <= set(point) and c.subs(point) not in (sp.true, True) for c in deriv.domain):
                continue
            for k, (a, b) in enumerate(pairs):
                va, vb = _number(a.subs(point)), _number(b.subs(point))
                if va is None or vb is None:
                    break
                differs = {"=": abs(va - vb) > tol * max(1, abs(va), abs(vb)), "<=": va > vb + tol, "<": va >= vb}
                if differs[step.op.value]:
                    where = ", ".join(f"{s} = {mpmath.nstr(mpmath.mpf(point[s]), 6)}" for s in symbols)
                    entry = f" (entry {k})" if len(pairs) > 1 else ""
                    return (f"at {where}: lhs{entry} = {mpmath.nstr(va, 10)}, rhs{entry} = {mpmath.nstr(vb, 10)}, "
                            f"lhs - rhs = {mpmath.nstr(va - vb, 4)}")
    return f"no sampled point separates the sides ({_POINTS} random points, {_DPS} digits)"


def step_failure(claim_id: str, deriv: Derivation, check: StepCheck) -> str:
    """The message of a failed step: the claim, the step, how it was checked, and a point where it fails."""
    how = check.method + (f"; largest residual {check.residual}" if check.residual is not None else "")
    return (f"{claim_id}: step {check.step.name!r} of {deriv.claim} ({check.step.rule}) does not follow ({how}); "
            f"{differing_point(deriv, check.step)}")

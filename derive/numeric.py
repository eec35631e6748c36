"""The numeric fallback: a step not proved symbolically is tested at random points over its whole domain, at 50 digits.

Points are drawn on the side relations' variety (each relation solved for a symbol it holds linearly) and kept
when every sampled hypothesis holds there.  A value that is undefined, NaN or not real at a point of the domain
fails the step; a failure is certified in arb ball arithmetic where the ball lies entirely on the failing side.
"""
from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from derive import intervals
from derive.algebra import as_fact
from derive.core import Derivation, Obligation, Op, Status, Step, StepCheck

__all__ = ["numeric_check"]

_NUMERIC_POINTS = 24
_NUMERIC_DPS = 50
# A residual below 10**-40 at 50 significant digits is rounding noise, not a failure.
_NUMERIC_TOL = mpmath.mpf(10) ** -40


def _eliminations(deriv: Derivation, symbols: set[sp.Symbol]) -> list[tuple[sp.Symbol, sp.Expr]] | None:
    """Solve each side relation for a symbol it contains linearly, so that points can be drawn on
    the relations' variety; ``None`` if some relation cannot be solved that way."""
    out: list[tuple[sp.Symbol, sp.Expr]] = []
    done: set[sp.Symbol] = set()
    rels = [sp.expand(r) for r in deriv.relations]
    if not any(r.free_symbols & symbols for r in rels):
        return []
    for r in rels:
        for s in sorted(r.free_symbols - done, key=lambda s: (not (s.is_positive or s.is_nonnegative), str(s))):
            if r.is_polynomial(s) and sp.Poly(r, s).degree() == 1 and \
                    not any(s in v.free_symbols for _, v in out):
                value = sp.solve(r, s)[0]
                out = [(t, v.subs(s, value)) for t, v in out]
                out.append((s, value))
                done.add(s)
                break
        else:
            return None
    return out


def numeric_check(step: Step, entries: list[sp.Expr], deriv: Derivation, obligations: list[Obligation]) -> StepCheck:
    """Test ``entries`` (each ``rhs - lhs``: zero for an equation, nonnegative or positive for an inequality) and
    ``obligations`` at random admissible points of ``deriv``'s domain; the step is numeric-only if all hold."""
    sampler = _sampler(entries, deriv, obligations)
    if sampler is None:
        return StepCheck(step, Status.FAILED, "its symbols obey side relations that cannot be sampled, so no "
                         "random test")
    rng = random.Random(f"{deriv.claim}/{step.name}")
    tally = _Tally()
    with mpmath.workdps(_NUMERIC_DPS):
        for _ in range(_NUMERIC_POINTS * 60):
            point = sampler.draw(rng)
            if point is None:
                continue
            got = sampler.values(point)
            if got is None:
                continue
            tally.record(step.op, entries, obligations, point, *got)
            if tally.found == _NUMERIC_POINTS:
                break
    return _verdict(step, entries, tally)


@dataclass(frozen=True)
class _Sampler:
    """How to draw points of a derivation's domain and evaluate a step there: the free symbols are drawn, the
    dependent ones solved for, and the expressions compiled to mpmath where SymPy can print them."""

    deriv: Derivation
    entries: list[sp.Expr]
    obligations: list[Obligation]
    free: list[sp.Symbol]
    allsyms: list[sp.Symbol]
    elim: list[tuple[sp.Symbol, sp.Expr]]
    fast_elim: list[Callable | None]
    facts: list[tuple[sp.Expr, str]]
    fast_domain: Callable | None
    fast: Callable | None

    def draw(self, rng: random.Random) -> dict[sp.Symbol, sp.Expr] | None:
        """A random point on the relations' variety, or ``None`` when it is not admissible (a hypothesis or a
        declared sign fails there, or a hypothesis cannot be evaluated)."""
        point = {s: _draw(s, self.deriv, rng) for s in self.free}
        for (s, v), f in zip(self.elim, self.fast_elim, strict=False):
            try:
                point[s] = sp.Float(f(*[point[t] for t in sorted(v.free_symbols, key=str)])[0], _NUMERIC_DPS) \
                    if f is not None else sp.N(v.subs(point), _NUMERIC_DPS)
            except ZeroDivisionError:     # a dependent symbol's value divides by zero there: no point of the variety
                return None
        if self.fast_domain is None:
            return point if _admissible(point, self.deriv) else None
        # The hypotheses as margins, evaluated fast (a strict one must be positive).
        try:
            margins = self.fast_domain(*[point[s] for s in self.allsyms])
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        if not all(_holds(m, f[1]) for m, f in zip(margins, self.facts, strict=False)):
            return None
        if not all((not s.is_positive or v > 0) and (not s.is_nonnegative or v >= 0) for s, v in point.items()):
            return None
        return point

    def values(self, point: dict[sp.Symbol, sp.Expr]) -> tuple[list, list, bool] | None:
        """The entries and the obligations' expressions at ``point``, and whether one is undefined (0/0, a pole,
        NaN, not real); ``None`` when a value is no number SymPy or mpmath can print (no test at this point)."""
        try:
            if self.fast is not None:
                got = self.fast(*[point[s] for s in self.allsyms])
                vals, obs = list(got[:len(self.entries)]), list(got[len(self.entries):])
            else:
                vals = [mpmath.mpmathify(sp.N(sp.sympify(x).subs(point), _NUMERIC_DPS)) for x in self.entries]
                obs = [mpmath.mpmathify(sp.N(sp.sympify(ob.expr).subs(point), _NUMERIC_DPS))
                       for ob in self.obligations]
            return vals, obs, not all(_real_value(v) for v in vals + obs)
        except (ValueError, ZeroDivisionError):
            return [], [], True
        except TypeError:
            return None


def _sampler(entries: list[sp.Expr], deriv: Derivation, obligations: list[Obligation]) -> _Sampler | None:
    """The sampler of the symbols of ``entries`` and ``obligations``; ``None`` when the side relations cannot be
    solved for some of them."""
    exprs = list(entries) + [ob.expr for ob in obligations]
    symbols = set().union(*(sp.sympify(x).free_symbols for x in exprs))
    elim = _eliminations(deriv, symbols)
    if elim is None:
        return None
    dependent = {s for s, _ in elim}
    free = sorted((symbols | set().union(*(v.free_symbols for _, v in elim))) - dependent, key=str)
    allsyms = sorted(set(free) | dependent, key=str)
    fast = _compile([sp.sympify(x) for x in entries] + [sp.sympify(ob.expr) for ob in obligations], allsyms)
    fast_elim = [_compile([v], sorted(v.free_symbols, key=str)) for _, v in elim]
    facts = [as_fact(c) for c in _sampled_domain(deriv)]
    fast_domain = _compile([f[0] for f in facts if f is not None], allsyms) \
        if all(f is not None and f[0].free_symbols <= set(allsyms) for f in facts) else None
    return _Sampler(deriv, list(entries), list(obligations), free, allsyms, elim, fast_elim, facts, fast_domain, fast)


@dataclass
class _Tally:
    """What the points tested so far have shown: the worst violation, how many points were tested and how many
    certified, and the first failing point."""

    worst: mpmath.mpf = mpmath.mpf(0)
    found: int = 0
    certified: int = 0
    bad_point: tuple[tuple[str, str], ...] | None = None
    bad_certified: bool = False
    undefined_at: bool = False

    def record(self, op: Op, entries: list[sp.Expr], obligations: list[Obligation], point: dict[sp.Symbol, sp.Expr],
               vals: list, obs: list, undefined: bool) -> None:
        """Add one tested point."""
        before = self.worst
        if undefined and self.bad_point is None:
            self.undefined_at = True
        if undefined:
            # A value that is undefined (0/0, a pole), NaN or not real at a point of the domain: the step
            # does not hold there (max(worst, nan) would keep worst and read it as agreement).
            self.worst = mpmath.inf
            vals, obs = [mpmath.mpf(0)] * len(entries), []
        self.worst = _worse(self.worst, op, [mpmath.re(v) for v in vals], obligations, obs)
        if self.worst > _NUMERIC_TOL and before <= _NUMERIC_TOL and self.bad_point is None:
            self.bad_point = tuple(sorted((str(s), mpmath.nstr(mpmath.mpmathify(v), 12)) for s, v in point.items()))
            self.bad_certified = _certified_failure(op, entries, point)
        elif entries and op is not Op.EQ and all(intervals.certified_positive(x, point) for x in entries):
            self.certified += 1
        self.found += 1


def _worse(worst: mpmath.mpf, op: Op, vals: list, obligations: list[Obligation], obs: list) -> mpmath.mpf:
    """``worst`` raised by this point's violations: ``|rhs - lhs|`` of an equation, ``lhs - rhs`` of an inequality
    (at least twice the tolerance when a strict one is not strict), twice the tolerance for a failed obligation."""
    if not vals:
        pass            # obligations only (a cited step): the step itself is the lemma's
    elif op is Op.EQ:
        worst = max(worst, *(abs(v) for v in vals))
    else:
        worst = max(worst, -min(vals))
        if op is Op.LT and min(vals) <= 0:
            worst = max(worst, _NUMERIC_TOL * 2)
    for ob, v in zip(obligations, obs, strict=False):
        v = mpmath.re(v)
        if (ob.rel == ">" and v <= 0) or (ob.rel == ">=" and v < -_NUMERIC_TOL) or \
                (ob.rel == "!=" and abs(v) <= _NUMERIC_TOL):
            worst = max(worst, _NUMERIC_TOL * 2)
    return worst


def _certified_failure(op: Op, entries: list[sp.Expr], point: dict[sp.Symbol, sp.Expr]) -> bool:
    """The failure at ``point`` certified in arb balls: some entry's ball lies entirely on the failing side."""
    balls = [intervals.arb_value(x, point) for x in entries]
    return any(v is not None and ((op is Op.EQ and (v.lower() > 0 or v.upper() < 0))
                                  or (op is not Op.EQ and v.upper() < 0)) for v in balls)


def _verdict(step: Step, entries: list[sp.Expr], tally: _Tally) -> StepCheck:
    """Numeric-only when enough points were tested and none failed; failed otherwise, with the first failing
    point."""
    found = tally.found
    if found < _NUMERIC_POINTS:
        return StepCheck(step, Status.FAILED, f"only {found} admissible random points found to test it numerically")
    status = Status.NUMERIC if tally.worst <= _NUMERIC_TOL else Status.FAILED
    where = ""
    if tally.bad_point is not None:
        where = (f"; a value is undefined or not real at {dict(tally.bad_point)}" if tally.undefined_at
                 else f"; the sides differ at {dict(tally.bad_point)}"
                 + (" (certified in arb ball arithmetic)" if tally.bad_certified else ""))
    cert = f"; {tally.certified} of {found} points certified in arb ball arithmetic" \
        if step.op is not Op.EQ and entries else ""
    return StepCheck(step, status, f"numeric at {found} random points over the domain, {_NUMERIC_DPS} digits"
                     f"{cert}{where}", mpmath.nstr(tally.worst, 5), counterexample=tally.bad_point)


def _real_value(v) -> bool:
    """``v`` is a finite real number (an imaginary part below the noise floor is rounding)."""
    try:
        v = mpmath.mpmathify(v)
    except (TypeError, ValueError):
        return False
    if isinstance(v, mpmath.mpc):
        if not (mpmath.isfinite(v.imag) and abs(v.imag) <= _NUMERIC_TOL):
            return False
        v = v.real
    return bool(mpmath.isfinite(v))


def _compile(exprs: list[sp.Expr], symbols: list[sp.Symbol]):
    """The expressions as one mpmath function of ``symbols`` (``None`` if SymPy cannot print them)."""
    try:
        f = sp.lambdify(symbols, exprs, modules="mpmath")
    except Exception:      # lambdify raises many kinds of errors on unprintable expressions
        return None

    def call(*args):
        return [mpmath.mpmathify(v) for v in f(*[mpmath.mpf(str(a)) if isinstance(a, sp.Float) else
                                                 mpmath.mpmathify(a) for a in args])]
    return call


def _holds(margin, rel: str) -> bool:
    """A hypothesis's margin ``e`` satisfies ``e rel 0`` (an imaginary part above the noise floor fails it)."""
    if isinstance(margin, mpmath.mpc):
        if abs(margin.imag) > _NUMERIC_TOL:
            return False
        margin = margin.real
    return {">": margin > 0, ">=": margin >= 0, "=": abs(margin) <= _NUMERIC_TOL,
            "!=": abs(margin) > _NUMERIC_TOL}[rel]


def _draw(s: sp.Symbol, deriv: Derivation, rng: random.Random) -> sp.Expr:
    """A point of the symbol's whole domain: angles in (0, pi); other magnitudes on a log scale from
    1e-6 to 1e6 half of the time, in (0, 3) otherwise; integers from 1 to 60."""
    if s in deriv.angles:
        return sp.Float(rng.uniform(1e-3, math.pi - 1e-3), _NUMERIC_DPS)
    if s in deriv.closed_angles:
        return sp.Float(rng.choice((0.0, math.pi)) if rng.random() < 0.1 else rng.uniform(0, math.pi), _NUMERIC_DPS)
    if s.is_integer:
        return sp.Integer(rng.randint(0 if s.is_nonnegative and not s.is_positive else 1, 60)) \
            * (1 if (s.is_nonnegative or rng.random() < 0.5) else -1)
    mag = 10 ** rng.uniform(-6, 6) if rng.random() < 0.5 else rng.uniform(0.0, 3.0)
    if s.is_positive:
        return sp.Float(max(mag, 1e-12), _NUMERIC_DPS)
    if s.is_nonnegative:
        return sp.Float(mag, _NUMERIC_DPS)
    return sp.Float(mag if rng.random() < 0.5 else -mag, _NUMERIC_DPS)


def _sampled_domain(deriv: Derivation) -> list[sp.Basic]:
    """The hypotheses a random point is tested against: all but those about an undefined function.  A
    definition ``F(x) = X`` (derive/closed_form.py keeps one in the domain) holds for a suitable F whatever
    the drawn values are, and F has no value to compute (lambdify would name an unknown function)."""
    return [c for c in deriv.domain if not c.has(AppliedUndef)]


def _admissible(point: dict[sp.Symbol, sp.Expr], deriv: Derivation) -> bool:
    """Every declared sign, sampled hypothesis and side relation holds at ``point``, evaluated by SymPy."""
    for s, v in point.items():
        if (s.is_positive and not v > 0) or (s.is_nonnegative and not v >= 0):
            return False
    for cond in _sampled_domain(deriv):
        if not cond.free_symbols <= set(point):
            continue
        v = cond.subs(point)
        if v is not sp.true and v is not True:
            return False
    return all(not (rel.free_symbols <= set(point) and abs(sp.N(rel.subs(point))) > 1e-30) for rel in deriv.relations)

"""Certified failures of a margin in ball arithmetic (arb): at an exact rational point, and on an open set around it.

At a point, the ball of the margin lies below 0 (at or below 0 for a strict relation; an exact 0 is decided by
SymPy).  On a box of positive volume in the free variables, inside the domain and the hypotheses, the ball of the
margin lies below 0 throughout.  Only a positive test certifies: ``upper() < 0``, never a tolerance.  Where no
continuous variable is free, an open set is an unbounded ray of integer points (``solveset``, exact).
"""
from __future__ import annotations

import functools
from fractions import Fraction
from typing import Any

import sympy as sp

from derive.intervals import flint_module, set_precision, shown_nonzero, to_arb
from paper_checks.margin.compiler import Margin
from paper_checks.statement import Statement

__all__ = ["RAY_TESTS", "admissible_box", "certify_box", "certify_point"]

# Box half-widths tried, 10^-3 down to 10^-8: the widest box certified is shown.
_BOX_EXPONENTS = (3, 4, 5, 6, 7, 8)


def certify_point(s: Statement, m: Margin, point: dict[sp.Symbol, Fraction]) -> str | None:
    """The upper bound of the margin's ball at an exact point, if the failure is certain there."""
    set_precision()
    arb = flint_module().arb
    env = {sym: arb(v.numerator) / v.denominator for sym, v in point.items()}
    if not admissible_box(s, m, env):
        return None
    try:
        val = to_arb(m.expr, env)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not val.is_finite():
        return None
    if val < 0:
        return val.upper().str(8, radius=False)
    if m.strict and val <= 0 or (m.strict and 0 in val):
        # A strict claim failing with margin exactly 0: decided exactly by SymPy, not by a tolerance.
        exact = sp.nsimplify(m.expr.xreplace({k: sp.Rational(v.numerator, v.denominator) for k, v in point.items()}))
        if sp.simplify(exact) == 0:
            return "0"
    return None


def admissible_box(s: Statement, m: Margin, env: dict[sp.Symbol, Any]) -> bool:
    """Every point of the balls in ``env`` lies in the stated domain and satisfies every condition."""
    for sym, ball in env.items():
        var = next(v for v in s.variables if v.symbol == sym)
        lo, hi = var.domain.inf, var.domain.sup
        if lo.is_finite:
            lo_b = to_arb(lo, {})
            if not (ball > lo_b if var.domain.left_open else ball >= lo_b):
                return False
        if hi.is_finite:
            hi_b = to_arb(hi, {})
            if not (ball < hi_b if var.domain.right_open else ball <= hi_b):
                return False
    for c in m.conditions:
        try:
            if to_arb(c, env) is not True:
                return False
        except (TypeError, ValueError, ZeroDivisionError):
            return False
    return True


@functools.lru_cache(maxsize=256)   # asked at every box size of every candidate of one margin
def _small(e: sp.Expr) -> bool:
    """At most 20 operations: small enough for SymPy to decide it vanishes on a box."""
    return sp.count_ops(e) <= 20


def _may_vanish(m: Margin, point: dict[sp.Symbol, Fraction]) -> bool:
    """False when the margin's ball at the exact ``point`` excludes 0: then it is not identically 0, and the
    symbolic test (expand, cancel: seconds on a large margin) is not needed."""
    arb = flint_module().arb
    try:
        val = to_arb(m.expr, {sym: arb(v.numerator) / v.denominator for sym, v in point.items()})
    except (TypeError, ValueError, ZeroDivisionError):
        return True
    return not (val.is_finite() and not val.contains(0))


@functools.lru_cache(maxsize=256)   # asked for every candidate box of one margin: decided once
def _identically_zero(e: sp.Expr) -> bool:
    """``e`` is 0 as an expression: after ``expand``, or as a rational function of its radicals once each
    radicand is put in one canonical form (``cancel``, ``factor``).  Sound: every rewrite keeps the value
    wherever ``e`` is defined, and a rational function that cancels to 0 is 0 for any values of its
    generators.  Two spellings of one closed form (e.g. ``a^T G^{-1} b`` with G inverted entrywise, and
    the same from the normal equations) differ only in such forms.

    Asked first: a point where ``e``'s ball excludes 0 shows it is not 0 (``shown_nonzero``), which spares
    expanding a margin of hundreds of terms that merely vanishes at the candidate (seconds a search)."""
    if shown_nonzero(e):
        return False
    if sp.expand(e) == 0:
        return True
    canon = e.replace(lambda n: n.is_Pow and n.exp.is_Rational and not n.exp.is_Integer,
                      lambda n: sp.Pow(sp.factor(sp.cancel(n.base)), n.exp))
    try:
        return sp.cancel(sp.together(canon)) == 0
    except (sp.PolynomialError, TypeError, ValueError):
        return False


def certify_box(s: Statement, m: Margin, point: dict[sp.Symbol, Fraction], rays: list[int]) -> str | None:
    """Half-width of a box around ``point`` (free continuous variables only) on which the margin is
    certainly negative; the box is shifted inward at a closed end so that it stays in the domain.
    ``rays`` is the number of integer-ray tests still allowed in this search (each is an exact, slow
    ``solveset``; the candidates of one search mostly share their integer stratum).

    Instead of a half-width: "inf" for a strict relation whose margin is identically 0 (it fails at every point
    of the domain), "point" when every variable is fixed by an equality hypothesis, "ray" from ``_integer_ray``."""
    set_precision()
    if m.strict and _may_vanish(m, point) and _identically_zero(m.expr):
        return "inf"
    if not m.symbols:
        # Every variable is fixed by an equality hypothesis: the stated domain is this one point (open in
        # itself), so the certified failure there is a failure on the whole domain.
        return "point"
    free = [v for v in s.variables if v.symbol in point and not v.integer]
    if not free:
        return _integer_ray(s, m, point, rays)
    evaluated = False
    for exp10 in _BOX_EXPONENTS:
        r = Fraction(1, 10**exp10)
        env, bounds = _box(s, point, free, r)
        if not admissible_box(s, m, env):
            continue
        evaluated = True
        if _fails_on_box(m, point, env, bounds):
            return f"1e-{exp10}"
    if not evaluated:
        # The hypotheses pin the point's continuous variables: a stratum where only integers vary.
        return _integer_ray(s, m, point, rays)
    return None


def _box(s: Statement, point: dict[sp.Symbol, Fraction], free: list[Any], r: Fraction
         ) -> tuple[dict[sp.Symbol, Any], dict[sp.Symbol, tuple[Fraction, Fraction]]]:
    """The balls of the box of half-width ``r`` around ``point`` (exact balls for the variables not in ``free``),
    and each free variable's exact interval ``(centre - r, centre + r)``."""
    arb = flint_module().arb
    env, bounds = {}, {}
    for sym, val in point.items():
        var = next(v for v in s.variables if v.symbol == sym)
        if var not in free:
            env[sym] = arb(val.numerator) / val.denominator
            continue
        centre = _inward(var.domain, val, r)
        env[sym] = arb(arb(centre.numerator) / centre.denominator, arb(r.numerator) / r.denominator)
        bounds[sym] = (centre - r, centre + r)
    return env, bounds


def _inward(domain: sp.Interval, val: Fraction, r: Fraction) -> Fraction:
    """The centre of the box around ``val``: moved to ``2 r`` inside a finite end that ``val -+ r`` reaches, so
    that the box keeps positive volume inside the domain."""
    centre = val
    lo, hi = domain.inf, domain.sup
    if lo.is_finite and float(val - r) <= float(lo):
        centre = Fraction(float(lo)) + 2 * r
    if hi.is_finite and float(val + r) >= float(hi):
        centre = Fraction(float(hi)) - 2 * r
    return centre


def _fails_on_box(m: Margin, point: dict[sp.Symbol, Fraction], env: dict[sp.Symbol, Any],
                  bounds: dict[sp.Symbol, tuple[Fraction, Fraction]]) -> bool:
    """The margin fails at every point of the (admissible) box ``env``: its ball lies below 0 (at or below 0 for a
    strict relation), or, for a strict relation, it is 0 on the box as an expression."""
    try:
        val = to_arb(m.expr, env)
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    # A strict relation fails where the margin is <= 0; arb's ``<=`` is certain (True only when the whole
    # ball is <= 0), so a margin that is exactly 0 on the box certifies the failure too.
    if val.is_finite() and (val < 0 or (m.strict and val <= 0)):
        return True
    # A margin that is 0 on the box as an expression (x - x) is a ball around 0 in arb: decided by SymPy.
    return bool(m.strict and val.is_finite() and val.contains(0) and _small(m.expr)
                and _zero_on_box(m, point, bounds))


def _integer_ray(s: Statement, m: Margin, point: dict[sp.Symbol, Fraction], rays: list[int]) -> str | None:
    """With no continuous variable to vary, "open" means infinitely many failing integer points: certified
    when, along one integer variable from ``point`` to an unbounded end of its domain, the set of ``t >= 0``
    where the conditions hold has infinite measure and the set where the margin holds is empty (SymPy's
    ``solveset``, exact).  Not tried once ``rays[0]`` tests have failed in this search."""
    if rays[0] <= 0:
        return None
    rays[0] -= 1
    t = sp.Symbol("t_ray", nonnegative=True)
    exact = {k: sp.Rational(v.numerator, v.denominator) for k, v in point.items()}
    for sym in point:
        var = next(v for v in s.variables if v.symbol == sym)
        if not var.integer:
            continue
        for sign in (1, -1):
            end = var.domain.sup if sign == 1 else var.domain.inf
            if end.is_finite:
                continue
            env = {**exact, sym: exact[sym] + sign * t}
            try:
                expr = sp.simplify(m.expr.xreplace(env))
                conds = [sp.simplify(c.xreplace(env)) for c in m.conditions]
                if any(c is sp.false for c in conds) or not all(c is sp.true or c.free_symbols <= {t} for c in conds):
                    continue
                ok = sp.solveset(sp.Gt(expr, 0) if m.strict else sp.Ge(expr, 0), t, sp.Interval(0, sp.oo))
                hold = sp.Interval(0, sp.oo)
                for c in conds:
                    if c is not sp.true:
                        hold = hold.intersect(sp.solveset(c, t, sp.Interval(0, sp.oo)))
                if hold.measure is sp.oo and ok.intersect(hold) is sp.S.EmptySet:
                    return "ray"
            except (TypeError, ValueError, NotImplementedError, AttributeError):
                continue
    return None


def _zero_on_box(m: Margin, point: dict[sp.Symbol, Fraction],
                 bounds: dict[sp.Symbol, tuple[Fraction, Fraction]]) -> bool:
    """The margin is exactly 0 on the open box: each free variable written ``lo + (hi - lo) u/(1 + u)``,
    ``u > 0``, and the result simplified to 0 by SymPy.

    ``simplify`` costs seconds to minutes on a margin that is not 0 (a root of the margin through the point, not
    a box of them), so a cheaper disproof comes first: a ball that excludes 0 at one exact interior point of the
    box shows that the margin is not 0 on the box."""
    if nonzero_inside(m, point, bounds):
        return False
    subs = {}
    for sym, val in point.items():
        if sym in bounds:
            lo, hi = (sp.Rational(b.numerator, b.denominator) for b in bounds[sym])
            u = sp.Symbol(f"u_{sym.name}", positive=True)
            subs[sym] = lo + (hi - lo) * u / (1 + u)
        else:
            subs[sym] = sp.Rational(val.numerator, val.denominator)
    try:
        return sp.simplify(m.expr.xreplace(subs)) == 0
    except (TypeError, ValueError, NotImplementedError):
        return False


# Fractions of each side of the box at which nonzero_inside evaluates: interior, unequal across variables and
# draws, so that the points avoid the diagonals and midplanes where a margin vanishes by symmetry.
_INTERIOR = ((Fraction(1, 3), Fraction(3, 7), Fraction(5, 11), Fraction(7, 13)),
             (Fraction(5, 7), Fraction(2, 9), Fraction(8, 13), Fraction(3, 11)))


def nonzero_inside(m: Margin, point: dict[sp.Symbol, Fraction],
                   bounds: dict[sp.Symbol, tuple[Fraction, Fraction]]) -> bool:
    """At some exact interior point of the box the margin's arb ball excludes 0: it is not 0 on the box."""
    arb = flint_module().arb
    for fractions in _INTERIOR:
        env = {}
        for i, (sym, val) in enumerate(point.items()):
            if sym in bounds:
                lo, hi = bounds[sym]
                val = lo + (hi - lo) * fractions[i % len(fractions)]
            env[sym] = arb(val.numerator) / val.denominator
        try:
            ball = to_arb(m.expr, env)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if ball is not None and ball.is_finite() and not ball.contains(0):
            return True
    return False


# Integer-ray tests per search: a failing stratum is met again by most candidates, and each test costs
# ~0.4 s of solveset; every ray certified in the audit and its mutants was certified at the first test.
RAY_TESTS = 4

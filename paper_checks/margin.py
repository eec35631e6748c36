"""A statement's numeric route: its conclusion as a margin, searched over the stated domain, with failures
certified at an exact point and on an open box in ball arithmetic (python-flint's arb).

The margin ``m`` of a conclusion is >= 0 (> 0 for a strict relation) exactly where it holds:
``a <= b`` gives ``b - a``, ``a = b`` gives ``-|a - b|``, and ``P => R`` the margin of ``R`` on
points where ``P`` holds.  Unevaluated functions are first replaced by their derived closed forms
(``paper_checks.definitions``), so the margin is built from the statement alone: a mutant or a
reviewer's ``replace(claim, statement=S)`` is searched with no code of its own.

A failure counts only when certified: at an exact rational point the ball of ``m`` lies below 0
(at or below 0 for a strict relation; an exact 0 is decided by SymPy), and for the open-set rule on
a box of positive volume in the free variables, inside the domain and the hypotheses, on which the
ball of ``m`` lies below 0 throughout.  Only a positive test certifies: ``upper() < 0``, never a
tolerance.
"""
from __future__ import annotations

import functools
import math
import zlib
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

from paper_checks.statement import Statement

__all__ = ["Margin", "Failure", "SearchResult", "compile_margin", "search", "genericity", "genericity_at"]


@dataclass(frozen=True)
class Margin:
    """A statement reduced to a scalar margin over named variables, plus the admissibility test."""

    symbols: tuple[sp.Symbol, ...]
    expr: sp.Expr                    # the margin, >= 0 (> 0 when strict) where the conclusion holds
    strict: bool
    conditions: tuple[sp.Basic, ...]  # hypotheses and premise, equalities substituted away
    fixed: dict[sp.Symbol, sp.Expr]  # variables fixed by equality hypotheses
    sides: tuple[sp.Expr, ...] = ()  # an equation's two sides, closed forms in: real wherever it is claimed


@dataclass(frozen=True)
class Failure:
    """A certified failure: an exact point, the ball of the margin there, and the open box if one was found."""

    point: dict[str, str]            # exact rationals (variables fixed by equalities included)
    sides: tuple[str, str]           # the conclusion's two sides at the point, as certified balls
    margin_upper: str                # certified upper bound of the margin at the point
    box_radius: str | None           # half-width of a certified failing box around the point, if any


@dataclass(frozen=True)
class SearchResult:
    points: int                      # admissible points at which the margin was evaluated
    smallest: float                  # smallest float margin seen
    failure: Failure | None
    # A point of the stated domain, the hypotheses holding, where a side of the conclusion is undefined or not
    # real (at 30 digits, at an exact rational point): there the claim says nothing, so the domain is wrong.
    undefined: dict[str, str] | None = None

    def describe(self) -> str:
        text = (f"margin evaluated at {self.points} admissible points of the stated domain "
                f"(smallest {self.smallest:.3g})")
        if self.undefined is not None:
            text += ("; the conclusion is undefined or not real at "
                     + ", ".join(f"{k} = {v}" for k, v in self.undefined.items()) + ", a point of the stated domain")
        if self.failure is None:
            return text + "; no certified failure"
        f = self.failure
        where = ", ".join(f"{k} = {v}" for k, v in f.point.items())
        text += f"; certified failure at {where} (margin <= {f.margin_upper})"
        if f.box_radius == "inf":
            text += ", and the margin is identically 0 where a strict relation is claimed (fails on the whole domain)"
        elif f.box_radius == "ray":
            text += (", and at every integer point of an unbounded ray of the domain from it (infinitely many "
                     "values of a discrete parameter: not a measure-zero exception)")
        elif f.box_radius == "point":
            text += ", the only point of the stated domain (every variable is fixed by an equality)"
        elif f.box_radius:
            text += f", and on the whole box of half-width {f.box_radius} around it (open set)"
        else:
            text += "; no failing box of positive volume certified (measure-zero candidate)"
        return text


# ---------------------------------------------------------------------------------------------
# From a statement to a margin


def _relation_margin(rel: sp.Basic) -> tuple[sp.Expr, bool]:
    if isinstance(rel, (sp.Ge, sp.Gt)):
        rel = rel.reversed
    if isinstance(rel, sp.Le):
        return rel.rhs - rel.lhs, False
    if isinstance(rel, sp.Lt):
        return rel.rhs - rel.lhs, True
    if isinstance(rel, sp.Eq):
        return -sp.Abs(rel.lhs - rel.rhs), False
    raise TypeError(f"relation={rel!r} is not one of Eq, Le, Lt, Ge, Gt")


def compile_margin(s: Statement, expand: Callable[[sp.Basic], sp.Basic]) -> Margin:
    """The margin of ``s`` after ``expand`` has replaced every defined function by its closed form."""
    fixed = {h.lhs: h.rhs for h in s.hypotheses if isinstance(h, sp.Eq) and isinstance(h.lhs, sp.Symbol)}
    conds = [h for h in s.hypotheses if not (isinstance(h, sp.Eq) and h.lhs in fixed)]
    rel = s.conclusion
    if isinstance(rel, sp.Implies):
        conds.append(rel.args[0])
        rel = rel.args[1]
    # The margin is formed before the closed forms go in, so a true identity becomes a zero margin
    # rather than SymPy's evaluated ``True``.
    expr, strict = _relation_margin(rel)
    subs = lambda e: expand(e).xreplace(fixed) if fixed else expand(e)   # noqa: E731
    symbols = tuple(v.symbol for v in s.variables if v.symbol not in fixed)
    # An equation's margin -|lhs - rhs| is real even where its sides are not: their values are tested on their own.
    # An inequality's margin rhs - lhs is not real where a side is not (the search sees it in the margin itself).
    sides = (subs(rel.lhs), subs(rel.rhs)) if isinstance(rel, sp.Eq) else ()
    return Margin(symbols, subs(expr), strict, tuple(subs(c) for c in conds), fixed, sides)


# ---------------------------------------------------------------------------------------------
# Ball arithmetic (arb) evaluation of a SymPy expression tree


def _arb():
    import flint
    return flint


def to_arb(expr: sp.Basic, env: dict[sp.Symbol, Any]) -> Any:
    """Evaluate ``expr`` in arb balls; rationals enter exactly, so the ball encloses the true value.

    A relation evaluates to True only when it holds for every point of the balls (arb's comparisons
    are certain), so hypotheses are certified, never assumed.  ``env`` maps symbols to balls.
    """
    return _compiled(expr)(env)


_UNARY = {sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.acos: "acos", sp.asin: "asin", sp.atan: "atan",
          sp.exp: "exp", sp.log: "log"}
_COMPARE = {sp.Lt: lambda a, b: a < b, sp.Le: lambda a, b: a <= b, sp.Gt: lambda a, b: a > b,
            sp.Ge: lambda a, b: a >= b, sp.Eq: lambda a, b: a == b, sp.Ne: lambda a, b: a != b}


@functools.lru_cache(maxsize=4096)
def _compiled(e: sp.Basic) -> Callable[[dict[sp.Symbol, Any]], Any]:
    """``e`` as a function of the balls of its symbols: the tree is read once, not at every box and point the
    search certifies.  Constants are made at call time, at the working precision then in force."""
    flint = _arb()
    arb = flint.arb
    if e is sp.true or e is sp.false:
        value = bool(e)           # a relation SymPy already decided from the symbols' assumptions
        return lambda env: value
    if e.is_Symbol:
        def symbol(env: dict) -> Any:
            try:
                return env[e]
            except KeyError:
                raise TypeError(f"no ball for the symbol {e}") from None
        return symbol
    if e.is_Integer:
        n = int(e)
        return lambda env: arb(n)
    if e.is_Rational:
        p, q = int(e.p), int(e.q)
        return lambda env: arb(p) / arb(q)
    if e is sp.pi:
        return lambda env: arb.pi()
    if e is sp.E:
        return lambda env: arb(1).exp()
    if e.is_Float:
        text = str(e)
        return lambda env: arb(text)
    if isinstance(e, (sp.And, sp.Or)):
        # Arguments compiled when reached, as the tree walk did: And stops at its first False, Or at its first
        # True, and an argument after it that has no ball evaluator is then never asked for.
        parts, every = e.args, isinstance(e, sp.And)
        return lambda env: (all if every else any)(_compiled(a)(env) is True for a in parts)
    args = [_compiled(a) for a in e.args] if not isinstance(e, sp.Pow) else None
    if e.is_Add:
        def add(env: dict) -> Any:
            out = arb(0)
            for a in args:
                out += a(env)
            return out
        return add
    if e.is_Mul:
        def mul(env: dict) -> Any:
            out = arb(1)
            for a in args:
                out *= a(env)
            return out
        return mul
    if e.is_Pow:
        base, ex = _compiled(e.base), e.exp
        if ex.is_Integer:
            k = int(ex)
            return lambda env: _ipow(base(env), k)
        if ex == sp.Rational(1, 2):
            return lambda env: base(env).sqrt()
        if ex == -sp.Rational(1, 2):
            return lambda env: 1 / base(env).sqrt()
        power = _compiled(ex)
        return lambda env: base(env) ** power(env)
    if isinstance(e, sp.Abs):
        return lambda env: abs(args[0](env))
    if isinstance(e, (sp.Min, sp.Max)):
        pick = "min" if isinstance(e, sp.Min) else "max"

        def extreme(env: dict) -> Any:
            vals = [a(env) for a in args]
            out = vals[0]
            for v in vals[1:]:
                out = getattr(out, pick)(v)
            return out
        return extreme
    if e.func in _UNARY:
        name = _UNARY[e.func]
        return lambda env: getattr(args[0](env), name)()
    if isinstance(e, sp.betainc_regularized):
        # I_{x2}(a, b) - I_{x1}(a, b), the regularised incomplete beta function (exact laws of projections).
        def betainc(env: dict) -> Any:
            a, b, x1, x2 = (f(env) for f in args)
            return _betainc_ball(a, b, x2) - _betainc_ball(a, b, x1)
        return betainc
    if isinstance(e, sp.sign):
        def sign(env: dict) -> Any:
            v = args[0](env)
            if v > 0:
                return arb(1)
            if v < 0:
                return arb(-1)
            if v == 0:
                return arb(0)
            return arb(0, 1)
        return sign
    if isinstance(e, sp.core.relational.Relational):
        compare = _COMPARE[type(e)]
        return lambda env: compare(args[0](env), args[1](env))
    if isinstance(e, sp.Not) and isinstance(e.args[0], sp.core.relational.Relational):
        return _compiled(e.args[0].negated)
    raise TypeError(f"cannot evaluate {type(e).__name__} ({e}) in ball arithmetic")


def _betainc_ball(a: Any, b: Any, x: Any) -> Any:
    """I_x(a, b) on balls, from its monotonicity (increasing in x and b, decreasing in a, for x in [0, 1] and
    a, b > 0): the union of its values at the two extreme corners, each evaluated at exact endpoints.  arb's own
    propagation through a ball of x is far wider than the function's variation."""
    arb = type(x)

    def at(xe: Any, ae: Any, be: Any) -> Any:
        if xe <= 0:
            return arb(0)
        if xe >= 1:
            return arb(1)
        return xe.beta_lower(ae, be, 1)

    if x.rad() == 0 and a.rad() == 0 and b.rad() == 0:
        return at(x, a, b)
    low = at(x.lower(), a.upper(), b.lower())
    high = at(x.upper(), a.lower(), b.upper())
    return low.union(high)


def _ipow(x: Any, n: int) -> Any:
    # arb's real power is nan on a ball that contains 0; an even power of |x| by repeated products is
    # sound and keeps its sign.
    if n < 0:
        return 1 / _ipow(x, -n)
    if n % 2 == 0:
        lo, hi = x.abs_lower(), x.abs_upper()       # exact endpoints of |x| on the ball
        if x.contains(0):
            lo = lo * 0
        lo_n, hi_n = _ipow(lo, n - 1) * lo, _ipow(hi, n - 1) * hi
        return type(x)((lo_n + hi_n) / 2, (hi_n - lo_n) / 2)
    out = x * 0 + 1
    for _ in range(n):
        out = out * x
    return out


def _set_precision() -> None:
    _arb().ctx.prec = 200


# ---------------------------------------------------------------------------------------------
# The search


def _bounds(iv: sp.Interval) -> tuple[float, float]:
    return float(iv.inf), float(iv.sup)


def _sample(s: Statement, symbols: tuple[sp.Symbol, ...], rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` points of the domain: uniform on bounded domains, log-uniform on unbounded ones, and a share
    at each closed end, so boundary values the statement admits are visited."""
    cols = []
    for sym in symbols:
        var = next(v for v in s.variables if v.symbol == sym)
        lo, hi = _bounds(var.domain)
        if math.isinf(lo) and math.isinf(hi):
            col = rng.standard_normal(n) * 10 ** rng.uniform(-2, 2, n)
        elif math.isinf(hi):
            col = lo + 10 ** rng.uniform(-3, 2, n)
        elif math.isinf(lo):
            col = hi - 10 ** rng.uniform(-3, 2, n)
        else:
            col = rng.uniform(lo, hi, n)
            # a few points near each end, closed or open: edges are where papers fail
            k = max(1, n // 20)
            col[:k] = lo + (hi - lo) * 10 ** rng.uniform(-9, -2, k)
            col[k:2 * k] = hi - (hi - lo) * 10 ** rng.uniform(-9, -2, k)
            if not var.domain.left_open:
                col[2 * k:3 * k] = lo
            if not var.domain.right_open:
                col[3 * k:4 * k] = hi
        if var.integer:
            col = np.round(col)
        cols.append(col)
    pts = np.stack(cols, axis=1) if cols else np.zeros((n, 0))
    # Shuffle each column independently so edge values meet every value of the other variables.
    for j in range(pts.shape[1]):
        pts[:, j] = rng.permutation(pts[:, j])
    return pts


class _Domain:
    """Membership of float points in the product of the variables' intervals; the bounds are read from SymPy
    once, since the minimiser asks for one point at a time, thousands of times."""

    def __init__(self, s: Statement, symbols) -> None:
        doms = [next(v for v in s.variables if v.symbol == sym).domain for sym in symbols]
        self.lo = np.array([float(d.inf) for d in doms])
        self.hi = np.array([float(d.sup) for d in doms])
        self.left_open = np.array([bool(d.left_open) for d in doms])
        self.right_open = np.array([bool(d.right_open) for d in doms])
        self.bounds = list(zip(self.lo.tolist(), self.hi.tolist(), self.left_open.tolist(), self.right_open.tolist(), strict=False))

    def contains(self, z: Sequence[float]) -> bool:
        """``self(z[None])[0]`` for one point, in plain floats."""
        return all((lo < v if lo_open else lo <= v) and (v < hi if hi_open else v <= hi)
                   for v, (lo, hi, lo_open, hi_open) in zip(z, self.bounds, strict=False))

    def on_end(self, x: np.ndarray) -> np.ndarray:
        """Which points have a coordinate at an end of its interval."""
        return np.any((x == self.lo) | (x == self.hi), axis=1)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        above = np.where(self.left_open, x > self.lo, x >= self.lo)
        below = np.where(self.right_open, x < self.hi, x <= self.hi)
        return np.all(above & below, axis=1)


def _betainc_regularized(a, b, x1, x2):
    """I_{x2}(a, b) - I_{x1}(a, b) in floats (SciPy's regularised incomplete beta), imported when a margin needs it."""
    from scipy.special import betainc
    return betainc(a, b, x2) - betainc(a, b, x1)


# numpy, plus the functions of exact laws numpy lacks (a name numpy does not define is printed by SymPy as is).
_FLOAT_MODULES = [{"betainc_regularized": _betainc_regularized}, "numpy"]


class _Floats:
    """The margin and the conditions as vectorised float functions (numpy), for the search stage."""

    def __init__(self, m: Margin) -> None:
        self.f = sp.lambdify(m.symbols, m.expr, modules=_FLOAT_MODULES)
        self.conds = [sp.lambdify(m.symbols, c, modules=_FLOAT_MODULES) for c in m.conditions]
        # The minimiser asks for one point at a time: plain floats (the math module) cost a tenth of numpy's
        # per-call overhead.  Margins with functions math lacks keep the vectorised path.
        self._margin = m
        self._scalar: tuple[Callable, list[Callable]] | None = None

    def one(self, z: Sequence[float]) -> float:
        """The margin at one point, as ``self(z[None])[0]`` computes it: a value outside the reals (beyond
        1e-12 relative), undefined or not finite, or a point failing a condition, gives +inf."""
        m = self._margin
        if self._scalar is None:      # built on first use: only the minimiser asks
            scalar = not (m.expr.has(sp.betainc_regularized) or any(c.has(sp.betainc_regularized) for c in m.conditions))
            self._scalar = (sp.lambdify(m.symbols, m.expr, modules="math"),
                            [sp.lambdify(m.symbols, c, modules="math") for c in m.conditions]) if scalar else ()
        if not self._scalar:
            return float(self(np.asarray([z], dtype=float))[0])
        f, conds = self._scalar
        try:
            v = f(*z)
            if all(c(*z) for c in conds):
                if isinstance(v, complex):
                    v = v.real if abs(v.imag) <= 1e-12 * (1 + abs(v.real)) else math.inf
                v = float(v)
                return v if math.isfinite(v) else math.inf
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            pass
        return math.inf

    def held(self, x: np.ndarray) -> np.ndarray:
        """Which points satisfy every condition (the margin not evaluated)."""
        args = [x[:, j] for j in range(x.shape[1])]
        ok = np.ones(len(x), dtype=bool)
        with np.errstate(all="ignore"):
            for c in self.conds:
                ok &= np.asarray(c(*args), dtype=bool) * np.ones(len(x), dtype=bool)
        return ok

    def real_sides(self, x: np.ndarray) -> np.ndarray:
        """Which points give both sides of the conclusion a finite real value (beyond 1e-12 relative)."""
        m = self._margin
        args = [x[:, j] for j in range(x.shape[1])]
        ok = np.ones(len(x), dtype=bool)
        with np.errstate(all="ignore"):
            for side in m.sides:
                try:
                    val = np.asarray(sp.lambdify(m.symbols, side, modules=_FLOAT_MODULES)(*args),
                                     dtype=complex) * np.ones(len(x))
                except (TypeError, ValueError, ZeroDivisionError, NameError):
                    continue          # not evaluable in floats: decided by the margin alone
                ok &= np.isfinite(val) & (np.abs(val.imag) <= 1e-12 * (1 + np.abs(val.real)))
        return ok

    def __call__(self, x: np.ndarray) -> np.ndarray:
        args = [x[:, j] for j in range(x.shape[1])]
        with np.errstate(all="ignore"):
            val = np.asarray(self.f(*args), dtype=complex) * np.ones(len(x))
            real = np.where(np.abs(val.imag) <= 1e-12 * (1 + np.abs(val.real)), val.real, np.nan)
            ok = np.isfinite(real)
            for c in self.conds:
                ok &= np.asarray(c(*args), dtype=bool) * np.ones(len(x), dtype=bool)
        return np.where(ok, real, np.inf)


def _scale(m: Margin, fl: _Floats, x: np.ndarray) -> float:
    """The margin's typical size, so that the noise floor is relative to it, not absolute."""
    vals = np.abs(fl(x))
    vals = vals[np.isfinite(vals)]
    return float(np.median(vals)) if len(vals) else 1.0


def _certify_point(s: Statement, m: Margin, point: dict[sp.Symbol, Fraction]) -> str | None:
    """The upper bound of the margin's ball at an exact point, if the failure is certain there."""
    flint = _arb()
    _set_precision()
    env = {sym: flint.arb(v.numerator) / v.denominator for sym, v in point.items()}
    if not _admissible_box(s, m, env):
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


def _admissible_box(s: Statement, m: Margin, env: dict[sp.Symbol, Any]) -> bool:
    """Every point of the balls in ``env`` lies in the stated domain and satisfies every condition."""
    flint = _arb()
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
    del flint
    return True


@functools.lru_cache(maxsize=256)   # asked at every box size of every candidate of one margin
def _small(e: sp.Expr) -> bool:
    """At most 20 operations: small enough for SymPy to decide it vanishes on a box."""
    return sp.count_ops(e) <= 20


def _may_vanish(m: Margin, point: dict[sp.Symbol, Fraction]) -> bool:
    """False when the margin's ball at the exact ``point`` excludes 0: then it is not identically 0, and the
    symbolic test (expand, cancel: seconds on a large margin) is not needed."""
    arb = _arb().arb
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
    the same from the normal equations) differ only in such forms."""
    if sp.expand(e) == 0:
        return True
    canon = e.replace(lambda n: n.is_Pow and n.exp.is_Rational and not n.exp.is_Integer,
                      lambda n: sp.Pow(sp.factor(sp.cancel(n.base)), n.exp))
    try:
        return sp.cancel(sp.together(canon)) == 0
    except (sp.PolynomialError, TypeError, ValueError):
        return False


def _certify_box(s: Statement, m: Margin, point: dict[sp.Symbol, Fraction], rays: list[int]) -> str | None:
    """Half-width of a box around ``point`` (free continuous variables only) on which the margin is
    certainly negative; the box is shifted inward at a closed end so that it stays in the domain.
    ``rays`` is the number of integer-ray tests still allowed in this search (each is an exact, slow
    ``solveset``; the candidates of one search mostly share their integer stratum)."""
    flint = _arb()
    _set_precision()
    arb = flint.arb
    if m.strict and _may_vanish(m, point) and _identically_zero(m.expr):
        # A strict relation whose margin is identically 0 fails at every point of the domain.
        return "inf"
    if not m.symbols:
        # Every variable is fixed by an equality hypothesis: the stated domain is this one point (open in
        # itself), so the certified failure there is a failure on the whole domain.
        return "point"
    free = [v for v in s.variables if v.symbol in point and not v.integer]
    if not free:
        return _integer_ray(s, m, point, rays)
    evaluated = False
    for exp10 in (3, 4, 5, 6, 7, 8):
        r = Fraction(1, 10**exp10)
        env, bounds = {}, {}
        for sym, val in point.items():
            var = next(v for v in s.variables if v.symbol == sym)
            if var not in free:
                env[sym] = arb(val.numerator) / val.denominator
                continue
            centre = val
            # Shift the box inward at a domain end so that it keeps positive volume inside the domain.
            lo, hi = var.domain.inf, var.domain.sup
            if lo.is_finite and float(val - r) <= float(lo):
                centre = Fraction(float(lo)) + 2 * r
            if hi.is_finite and float(val + r) >= float(hi):
                centre = Fraction(float(hi)) - 2 * r
            env[sym] = arb(arb(centre.numerator) / centre.denominator, arb(r.numerator) / r.denominator)
            bounds[sym] = (centre - r, centre + r)
        if not _admissible_box(s, m, env):
            continue
        evaluated = True
        try:
            val = to_arb(m.expr, env)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        # A strict relation fails where the margin is <= 0; arb's ``<=`` is certain (True only when the whole
        # ball is <= 0), so a margin that is exactly 0 on the box certifies the failure too.
        if val.is_finite() and (val < 0 or (m.strict and val <= 0)):
            return f"1e-{exp10}"
        # A margin that is 0 on the box as an expression (x - x) is a ball around 0 in arb: decided by SymPy.
        if m.strict and val.is_finite() and val.contains(0) and _small(m.expr) and _zero_on_box(m, point, bounds):
            return f"1e-{exp10}"
    if not evaluated:
        # The hypotheses pin the point's continuous variables: a stratum where only integers vary.
        return _integer_ray(s, m, point, rays)
    return None


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
    if _nonzero_inside(m, point, bounds):
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


# Fractions of each side of the box at which _nonzero_inside evaluates: interior, unequal across variables and
# draws, so that the points avoid the diagonals and midplanes where a margin vanishes by symmetry.
_INTERIOR = ((Fraction(1, 3), Fraction(3, 7), Fraction(5, 11), Fraction(7, 13)),
             (Fraction(5, 7), Fraction(2, 9), Fraction(8, 13), Fraction(3, 11)))


def _nonzero_inside(m: Margin, point: dict[sp.Symbol, Fraction],
                    bounds: dict[sp.Symbol, tuple[Fraction, Fraction]]) -> bool:
    """At some exact interior point of the box the margin's arb ball excludes 0: it is not 0 on the box."""
    flint = _arb()
    for fractions in _INTERIOR:
        env = {}
        for i, (sym, val) in enumerate(point.items()):
            if sym in bounds:
                lo, hi = bounds[sym]
                val = lo + (hi - lo) * fractions[i % len(fractions)]
            env[sym] = flint.arb(val.numerator) / val.denominator
        try:
            ball = to_arb(m.expr, env)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if ball.is_finite() and not ball.contains(0):
            return True
    return False


def _rationals(x: np.ndarray, symbols, s: Statement, m: Margin, fl: _Floats) -> list[dict[sp.Symbol, Fraction]]:
    """Simple rationals near ``x`` (small denominators first), the shrinking stage of the search."""
    out = []
    for limit in (1, 2, 3, 4, 5, 8, 10, 12, 16, 20, 50, 100, 1000, 10**4, 10**6, 10**9):
        q = [Fraction(float(v)).limit_denominator(limit) for v in x]
        if fl(np.array([[float(v) for v in q]]))[0] < 0 or m.strict:
            out.append(dict(zip(symbols, q, strict=False)))
    out.append(dict(zip(symbols, (Fraction(float(v)) for v in x), strict=False)))
    return out


def _sides(s: Statement, expand, m: Margin, point: dict[sp.Symbol, Fraction]) -> tuple[str, str]:
    """The two sides of the conclusion at an exact point, each as a certified ball."""
    flint = _arb()
    rel = s.conclusion.args[1] if isinstance(s.conclusion, sp.Implies) else s.conclusion
    env = {sym: flint.arb(v.numerator) / v.denominator for sym, v in point.items()}
    for sym, expr in m.fixed.items():
        env[sym] = to_arb(expr, env)
    exact = {sym: sp.Rational(v.numerator, v.denominator) for sym, v in point.items()}
    for sym, expr in m.fixed.items():
        exact[sym] = expr.xreplace(exact)
    out = []
    for side in (rel.lhs, rel.rhs):
        try:
            ball = to_arb(expand(side), env)
            if not ball.is_finite():
                # A ball straddling the edge of a function's domain (acos of a ball around -1) is nan, where the
                # exact value is a number: substituted exactly first, SymPy evaluates acos(-1) to pi.
                ball = to_arb(expand(side).xreplace(exact), env)
            out.append(ball.str(10))
        except (TypeError, ValueError, ZeroDivisionError):
            out.append(str(side))
    return out[0], out[1]


def _full_point(m: Margin, point: dict[sp.Symbol, Fraction]) -> dict[str, str]:
    out = {str(k): str(v) for k, v in point.items()}
    for sym, expr in m.fixed.items():
        val = expr.xreplace({k: sp.Rational(v.numerator, v.denominator) for k, v in point.items()})
        out[str(sym)] = str(sp.nsimplify(val))
    return out


# Integer-ray tests per search: a failing stratum is met again by most candidates, and each test costs
# ~0.4 s of solveset; every ray certified in the audit and its mutants was certified at the first test.
_RAY_TESTS = 4


def search(s: Statement, expand: Callable[[sp.Basic], sp.Basic], seed: int, key: str,
           samples: int = 4000) -> SearchResult:
    """Search the stated domain of ``s`` for a certified failure; see the module docstring."""
    m = compile_margin(s, expand)
    rng = np.random.default_rng([seed, zlib.crc32(key.encode())])
    fl = _Floats(m)
    x = _sample(s, m.symbols, rng, samples)
    inside = _Domain(s, m.symbols)
    x = x[inside(x)]
    vals = fl(x)
    undefined = _undefined(s, m, fl, x, vals)
    admissible = np.isfinite(vals)
    x, vals = x[admissible], vals[admissible]
    if len(x) == 0:
        return SearchResult(0, math.inf, None, undefined)
    noise = 1e-9 * max(_scale(m, fl, x), 1e-300)
    order = np.argsort(vals)
    candidates = [x[i] for i in order[:4]]
    if vals[order[0]] > -noise and m.symbols:
        # No float failure yet: minimise the margin from the best points (Nelder-Mead, capped).
        from scipy.optimize import minimize

        def f(z: np.ndarray) -> float:
            point = z.tolist()
            return fl.one(point) if inside.contains(point) else math.inf
        for x0 in list(candidates):
            res = minimize(f, x0, method="Nelder-Mead", options={"maxfev": 400, "xatol": 1e-10, "fatol": 1e-14})
            candidates.append(res.x)
    smallest = float(min(vals[order[0]], *(fl(np.array([c]))[0] for c in candidates)))
    candidates = sorted(candidates, key=lambda c: float(fl(np.array([c]))[0]))
    # The smallest margins often sit on the boundary of the domain or of a hypothesis (a closed end, a
    # Gram determinant = 0), where no box of positive volume fits; failing points away from every closed
    # end are tried too, so that an open set of failures is not reported as a measure-zero one.
    on_end = inside.on_end(x)
    interior = [i for i in order if vals[i] < -noise and not on_end[i]]
    candidates += [x[i] for i in interior[:: max(1, len(interior) // _SPREAD)][:_SPREAD]]
    # Every candidate is rounded to simple rationals; these are certified, at the point and then on a box, in the
    # stated order (``genericity``): off degenerate configurations first, then the smallest numbers.  The first
    # with a box is shown, so the counterexample is the simplest generic one found.
    tried: set[tuple] = set()     # nearby candidates often round to the same rational point: ordered once
    points: list[tuple[tuple, int, dict[sp.Symbol, Fraction]]] = []
    for cand in candidates:
        mv = float(fl(np.array([cand]))[0])
        if not (mv < -noise or (m.strict and mv <= noise)):
            continue
        for q in _rationals(cand, m.symbols, s, m, fl):
            exact = tuple(q.items())
            if exact not in tried:
                tried.add(exact)
                points.append((genericity(s, m, q), len(points), q))
    points.sort(key=lambda c: c[:2])
    rays = [_RAY_TESTS]
    fallback, boxes = None, 0
    for _, _, q in points:
        upper = _certify_point(s, m, q)
        if upper is None:
            continue
        box = _certify_box(s, m, q, rays)
        boxes += 1
        if box or fallback is None:
            found = SearchResult(len(x), smallest, Failure(_full_point(m, q), _sides(s, expand, m, q), upper, box),
                                 undefined)
            if box:
                return found
            fallback = found
        if boxes >= _BOX_TRIES:
            break
    return fallback or SearchResult(len(x), smallest, None, undefined)


def _not_real(e: sp.Expr) -> bool:
    """``e`` (no free symbols) is undefined (a pole, 0/0) or has an imaginary part beyond 1e-20 at 30 digits."""
    try:
        v = sp.N(e, 30)
    except (TypeError, ValueError, ZeroDivisionError):
        return True
    if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return True
    if v.free_symbols or v.has(sp.core.function.AppliedUndef):
        return False
    im_ = v.as_real_imag()[1]
    try:
        return bool(abs(sp.N(im_, 30)) > sp.Float("1e-20"))
    except TypeError:
        return False





def _undefined(s: Statement, m: Margin, fl: _Floats, x: np.ndarray, vals: np.ndarray) -> dict[str, str] | None:
    """A point of the stated domain where the hypotheses hold and a side of the conclusion is undefined or not real:
    found in floats, then confirmed at a simple rational point, its admissibility certified in arb and the side
    evaluated at 30 digits by SymPy (a float artefact near a branch point is no evidence).  ``vals`` are the margin's
    values at ``x`` (+inf where it is undefined or a condition fails); an equation's sides are evaluated themselves,
    since its margin -|lhs - rhs| is real even where they are not."""
    if not len(x):
        return None
    real = fl.real_sides(x) if m.sides else np.isfinite(vals)
    bad = np.flatnonzero(fl.held(x) & ~real)
    arb = _arb().arb
    _set_precision()
    for i in bad[:4]:
        for limit in (1, 2, 4, 10, 100, 10**4, 10**6):
            q = {sym: Fraction(float(v)).limit_denominator(limit) for sym, v in zip(m.symbols, x[i], strict=False)}
            env = {sym: arb(v.numerator) / v.denominator for sym, v in q.items()}
            if not _admissible_box(s, m, env):
                continue
            exact = {sym: sp.Rational(v.numerator, v.denominator) for sym, v in q.items()}
            if any(_not_real(e.xreplace(exact)) for e in (m.sides or (m.expr,))):
                return _full_point(m, q)
    return None


# Failing samples away from every closed end taken as candidates, spread over the order of their margins: generic
# failures are found where the most negative margins sit on a degenerate configuration.
_SPREAD = 16
# Certified points tried for a box, in the stated order, before the search settles for a point without one.
_BOX_TRIES = 24
# A value this close (relative to its interval) to an end the domain leaves open sits at a limit allowed only in
# closure (beta = 923163317/923163318 in [0, 1)).
_NEAR_OPEN_END = Fraction(1, 1000)


@functools.lru_cache(maxsize=256)   # asked at every certified point of one search
def _ends(variables: tuple[Any, ...]) -> dict[sp.Symbol, list[tuple[Fraction | None, Fraction, bool, Fraction]]]:
    """Each variable's finite ends: (the end as an exact Fraction, or None when irrational, such as pi; the end in
    floats as a Fraction; whether the domain leaves it open; the interval's width, 1 when unbounded)."""
    out: dict[sp.Symbol, list[tuple[Fraction | None, Fraction, bool, Fraction]]] = {}
    for var in variables:
        lo, hi = var.domain.inf, var.domain.sup
        width = Fraction(float(hi - lo)) if lo.is_finite and hi.is_finite else Fraction(1)
        out[var.symbol] = [(Fraction(int(e.p), int(e.q)) if e.is_Rational else None, Fraction(float(e)), bool(is_open),
                            width)
                           for e, is_open in ((lo, var.domain.left_open), (hi, var.domain.right_open)) if e.is_finite]
    return out


@functools.lru_cache(maxsize=256)   # asked at every certified point of one search
def _gaps(conditions: tuple[sp.Basic, ...]) -> tuple[sp.Expr, ...]:
    """``lhs - rhs`` of every inequality among the conditions (and their conjunctions): 0 where one is active."""
    return tuple(rel.lhs - rel.rhs for c in conditions for rel in (c.args if isinstance(c, sp.And) else (c,))
                 if isinstance(rel, (sp.Le, sp.Lt, sp.Ge, sp.Gt)))


def genericity(s: Statement, m: Margin, point: dict[sp.Symbol, Fraction]) -> tuple[int, int, int]:
    """The stated order of counterexamples, smallest first: (degenerate features, largest denominator, total size).

    A degenerate feature is a continuous variable at a closed end of its domain (alpha = 0; a variable an equality
    hypothesis ties to the others included, mu = max |<f_i, f_j>| = 0, not one it fixes to a constant), a variable within 1/1000 of its interval's width of an end the domain leaves open (a
    limit allowed only in closure), or an inequality
    hypothesis or premise that holds with equality at the point (m' + |I| = d, a Gram determinant 0: an identity
    that may make a quantity constant).  Then small denominators, then small numbers (sum of numerator and
    denominator sizes in bits)."""
    flint = _arb()
    arb = flint.arb
    ends = _ends(s.variables)
    integers = {v.symbol: v.integer for v in s.variables}
    degenerate = 0
    for sym, val in point.items():
        # A discrete parameter takes its end values as ordinary values (sigma = +-1 where tau = 1): only continuous
        # variables count at an end.
        for end, approx, is_open, width in ends[sym] if not integers[sym] else ():
            at_closed = end is not None and not is_open and val == end
            if at_closed or (is_open and abs(val - approx) <= _NEAR_OPEN_END * width):
                degenerate += 1
    env = {sym: arb(v.numerator) / v.denominator for sym, v in point.items()}
    for sym, expr in m.fixed.items():
        try:
            env[sym] = to_arb(expr, env)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        # A variable an equality fixes (mu = max |<f_i, f_j>|) at a closed end of its domain counts too; arb's ``==``
        # holds only for two exact, equal balls, so an inexact value is never taken for an end.
        if not expr.free_symbols:
            continue          # fixed to a constant by the statement itself (alpha = 0 is its subject): no choice
        degenerate += sum(1 for end, _, is_open, _ in ends[sym]
                          if end is not None and not is_open and env[sym] == arb(end.numerator) / end.denominator)
    for expr in _gaps(m.conditions):
        try:
            gap = to_arb(expr, env)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if gap.is_finite() and gap.contains(0):
            degenerate += 1
    denominators = max((v.denominator for v in point.values()), default=1)
    size = sum(abs(v.numerator).bit_length() + v.denominator.bit_length() for v in point.values())
    return degenerate, denominators, size




def genericity_at(s: Statement, expand: Callable[[sp.Basic], sp.Basic], parameters: dict[str, Any]
                  ) -> tuple[int, int, int]:
    """``genericity`` of a displayed counterexample (its parameters exact: SymPy rationals or their strings)."""
    m = compile_margin(s, expand)
    point = {sym: Fraction(str(parameters[sym.name])) for sym in m.symbols}
    return genericity(s, m, point)

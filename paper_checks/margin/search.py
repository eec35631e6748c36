"""The margin search: the stated domain sampled in floats, the smallest margins minimised, every candidate rounded
to simple rationals, and the first certified in the stated order (``genericity``) reported, on an open box when
one is certified (``certify``)."""
from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from derive.intervals import flint_module, set_precision, to_arb
from paper_checks.margin.certify import RAY_TESTS, admissible_box, certify_box, certify_point
from paper_checks.margin.compiler import Margin, compile_margin
from paper_checks.margin.floats import Domain, Floats, sample, scale
from paper_checks.margin.genericity import genericity
from paper_checks.statement import Statement

__all__ = ["Failure", "SearchResult", "search"]

# Failing samples away from every closed end taken as candidates, spread over the order of their margins: generic
# failures are found where the most negative margins sit on a degenerate configuration.
_SPREAD = 16
# Certified points tried for a box, in the stated order, before the search settles for a point without one.
_BOX_TRIES = 24
# Failing points kept beside the one shown (``Failure.others``).
_OTHERS = 5


@dataclass(frozen=True)
class Failure:
    """A certified failure: an exact point, the ball of the margin there, and the open box if one was found."""

    point: dict[str, str]            # exact rationals (variables fixed by equalities included)
    sides: tuple[str, str]           # the conclusion's two sides at the point, as certified balls
    margin_upper: str                # certified upper bound of the margin at the point
    box_radius: str | None           # half-width of a certified failing box around the point, if any
    # The next failing points the search found, in the same order: the margin below 0 in double precision at each,
    # not certified (the point above is the one shown and certified).
    others: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """What a search of the stated domain found: how much it saw, and the certified failure if any."""

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


# The largest denominators of the rationals tried near a float candidate, smallest first.
_DENOMINATORS = (1, 2, 3, 4, 5, 8, 10, 12, 16, 20, 50, 100, 1000, 10**4, 10**6, 10**9)


def _rationals(x: np.ndarray, symbols, s: Statement, m: Margin, fl: Floats) -> list[dict[sp.Symbol, Fraction]]:
    """Simple rationals near ``x`` (small denominators first), the shrinking stage of the search: those where the
    float margin fails (every one for a strict relation), then ``x`` itself as an exact rational."""
    exact = [Fraction(float(v)) for v in x]
    qs = [[v.limit_denominator(limit) for v in exact] for limit in _DENOMINATORS]
    # One vectorised evaluation of every rounding: numpy's elementwise functions give each row the value it has alone.
    failing = [True] * len(qs) if m.strict else (fl(np.array([[float(v) for v in q] for q in qs])) < 0).tolist()
    out = [dict(zip(symbols, q, strict=False)) for q, fails in zip(qs, failing, strict=True) if fails]
    out.append(dict(zip(symbols, exact, strict=False)))
    return out


def _sides(s: Statement, expand, m: Margin, point: dict[sp.Symbol, Fraction]) -> tuple[str, str]:
    """The two sides of the conclusion at an exact point, each as a certified ball."""
    flint = flint_module()
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


def search(s: Statement, expand: Callable[[sp.Basic], sp.Basic], seed: int, key: str,
           samples: int = 4000) -> SearchResult:
    """Search the stated domain of ``s`` for a certified failure; see the package docstring."""
    m = compile_margin(s, expand)
    rng = np.random.default_rng([seed, zlib.crc32(key.encode())])
    fl = Floats(m)
    x = sample(s, m.symbols, rng, samples)
    inside = Domain(s, m.symbols)
    x = x[inside(x)]
    vals = fl(x)
    undefined = _undefined(s, m, fl, x, vals)
    admissible = np.isfinite(vals)
    x, vals = x[admissible], vals[admissible]
    if len(x) == 0:
        return SearchResult(0, math.inf, None, undefined)
    noise = 1e-9 * max(scale(m, fl, x), 1e-300)
    candidates, smallest = _candidates(m, fl, inside, x, vals, noise)
    failure = _first_failure(s, expand, m, _ordered_points(s, m, fl, candidates, noise))
    return SearchResult(len(x), smallest, failure, undefined)


def _candidates(m: Margin, fl: Floats, inside: Domain, x: np.ndarray, vals: np.ndarray, noise: float
                ) -> tuple[list[tuple[np.ndarray, float]], float]:
    """The float points to certify with their margins, and the smallest margin seen: the four smallest samples, the
    minima Nelder-Mead reaches from them when no sample fails, and failing samples away from every closed end."""
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
    # The candidates' margins in one vectorised evaluation (each row's value is the one it has alone).
    margins = fl(np.array(candidates)).tolist()
    smallest = float(min(vals[order[0]], *margins))
    scored = sorted(zip(candidates, margins, strict=True), key=lambda c: c[1])
    # The smallest margins often sit on the boundary of the domain or of a hypothesis (a closed end, a
    # Gram determinant = 0), where no box of positive volume fits; failing points away from every closed
    # end are tried too, so that an open set of failures is not reported as a measure-zero one.
    on_end = inside.on_end(x)
    interior = [i for i in order if vals[i] < -noise and not on_end[i]]
    scored += [(x[i], float(vals[i])) for i in interior[:: max(1, len(interior) // _SPREAD)][:_SPREAD]]
    return scored, smallest


def _ordered_points(s: Statement, m: Margin, fl: Floats, candidates: list[tuple[np.ndarray, float]],
                    noise: float) -> list[dict[sp.Symbol, Fraction]]:
    """Every failing candidate (a point and its float margin) rounded to simple rationals, each rational point once,
    in the stated order (``genericity``: off degenerate configurations first, then the smallest numbers; ties in the
    order found)."""
    tried: set[tuple] = set()     # nearby candidates often round to the same rational point: ordered once
    points: list[tuple[tuple, int, dict[sp.Symbol, Fraction]]] = []
    for cand, mv in candidates:
        if not (mv < -noise or (m.strict and mv <= noise)):
            continue
        for q in _rationals(cand, m.symbols, s, m, fl):
            exact = tuple(q.items())
            if exact not in tried:
                tried.add(exact)
                points.append((genericity(s, m, q), len(points), q))
    points.sort(key=lambda c: c[:2])
    return [q for _, _, q in points]


def _first_failure(s: Statement, expand: Callable[[sp.Basic], sp.Basic], m: Margin,
                   points: list[dict[sp.Symbol, Fraction]]) -> Failure | None:
    """The first of ``points`` certified at the point and on a box, so that the counterexample shown is the simplest
    generic one found; failing that (after ``_BOX_TRIES`` certified points), the first certified at the point."""
    rays = [RAY_TESTS]
    fallback, boxes = None, 0
    for i, q in enumerate(points):
        upper = certify_point(s, m, q)
        if upper is None:
            continue
        box = certify_box(s, m, q, rays)
        boxes += 1
        if box or fallback is None:
            others = tuple(_full_point(m, p) for p in (points[:i] + points[i + 1:])[:_OTHERS])
            found = Failure(_full_point(m, q), _sides(s, expand, m, q), upper, box, others)
            if box:
                return found
            fallback = found
        if boxes >= _BOX_TRIES:
            break
    return fallback


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


def _undefined(s: Statement, m: Margin, fl: Floats, x: np.ndarray, vals: np.ndarray) -> dict[str, str] | None:
    """A point of the stated domain where the hypotheses hold and a side of the conclusion is undefined or not real:
    found in floats, then confirmed at a simple rational point, its admissibility certified in arb and the side
    evaluated at 30 digits by SymPy (a float artefact near a branch point is no evidence).  ``vals`` are the margin's
    values at ``x`` (+inf where it is undefined or a condition fails); an equation's sides are evaluated themselves,
    since its margin -|lhs - rhs| is real even where they are not."""
    if not len(x):
        return None
    real = fl.real_sides(x) if m.sides else np.isfinite(vals)
    bad = np.flatnonzero(fl.held(x) & ~real)
    arb = flint_module().arb
    set_precision()
    for i in bad[:4]:
        for limit in (1, 2, 4, 10, 100, 10**4, 10**6):
            q = {sym: Fraction(float(v)).limit_denominator(limit) for sym, v in zip(m.symbols, x[i], strict=False)}
            env = {sym: arb(v.numerator) / v.denominator for sym, v in q.items()}
            if not admissible_box(s, m, env):
                continue
            exact = {sym: sp.Rational(v.numerator, v.denominator) for sym, v in q.items()}
            if any(_not_real(e.xreplace(exact)) for e in (m.sides or (m.expr,))):
                return _full_point(m, q)
    return None

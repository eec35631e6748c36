"""Counterexample search: random admissible points, a margin-minimising optimiser, z3, shrinking to
small rationals, and certification in interval arithmetic.

A claim is given as a *margin*: a function of the parameters that is > 0 (or >= 0) exactly where the
claim holds.  The same function is evaluated with floats (search) and with ``mpmath.iv`` intervals
over exact rational parameters (certification): one definition, two number systems.  A point is
reported only if the interval of its margin lies entirely below zero.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

import mpmath
import numpy as np

__all__ = ["Space", "Found", "Report", "search", "z3_decide", "FloatMath", "IntervalMath"]


class FloatMath:
    """Float operations for margins (the search stage)."""

    sqrt = staticmethod(lambda x: math.sqrt(x) if x >= 0 else math.nan)
    min = staticmethod(min)
    max = staticmethod(max)
    abs = staticmethod(abs)
    cos = staticmethod(math.cos)
    sin = staticmethod(math.sin)

    @staticmethod
    def num(x: Fraction | float) -> float:
        return float(x)


class IntervalMath:
    """Outward-rounded interval operations for margins (the certification stage)."""

    sqrt = staticmethod(lambda x: mpmath.iv.sqrt(x))
    # Exact hulls of min and max of two intervals.
    min = staticmethod(lambda x, y: mpmath.iv.mpf([min(x.a, y.a), min(x.b, y.b)]))
    max = staticmethod(lambda x, y: mpmath.iv.mpf([max(x.a, y.a), max(x.b, y.b)]))
    abs = staticmethod(abs)
    cos = staticmethod(lambda x: mpmath.iv.cos(x))
    sin = staticmethod(lambda x: mpmath.iv.sin(x))

    @staticmethod
    def num(x: Fraction | float) -> Any:
        f = Fraction(x)
        return mpmath.iv.mpf(f.numerator) / mpmath.iv.mpf(f.denominator)


@dataclass(frozen=True)
class Space:
    """A claim's admissible domain and margin.

    ``sample(rng)`` draws an admissible point (it should cover every sign, unequal norms and the
    boundary); ``admissible(p, M)`` and ``margin(p, M)`` take a parameter tuple and a math backend
    (``FloatMath`` or ``IntervalMath``); ``admissible`` must be certain (True) for intervals.
    """

    names: tuple[str, ...]
    sample: Callable[[np.random.Generator], Sequence[float]]
    admissible: Callable[[Sequence[Any], Any], bool]
    margin: Callable[[Sequence[Any], Any], Any]
    strict: bool = True          # the claim says margin > 0 (else margin >= 0)
    # Float margins within this of zero are rounding, not candidates: an identity evaluates to -1e-15
    # everywhere, and only a margin clearly below zero is worth certifying.
    noise: float = 0.0


@dataclass(frozen=True)
class Found:
    parameters: dict[str, str]
    margin_upper: str            # a certified upper bound of the margin (< 0, or <= 0 for strict claims)


@dataclass
class Report:
    samples: int = 0
    optimiser_runs: int = 0
    smallest_margin: float = math.inf
    z3: str | None = None
    found: Found | None = None
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = (f"searched {self.samples} random admissible points and {self.optimiser_runs} optimiser runs "
                f"(smallest float margin {self.smallest_margin:.3g}; a point counts only once certified in interval "
                f"arithmetic)")
        if self.z3:
            text += f"; z3: {self.z3}"
        return text


def _fmargin(space: Space, x: Sequence[float]) -> float:
    try:
        if not space.admissible(x, FloatMath):
            return math.inf
        m = float(space.margin(x, FloatMath))
    except (ValueError, ZeroDivisionError, OverflowError):
        return math.inf
    return m if math.isfinite(m) else math.inf


def certify(space: Space, point: Sequence[Fraction]) -> Found | None:
    """An exact rational point whose margin interval is certainly below 0 (<= 0 for strict claims)."""
    saved, mpmath.iv.dps = mpmath.iv.dps, 50
    try:
        iv_point = [IntervalMath.num(x) for x in point]
        if not space.admissible(iv_point, IntervalMath):
            return None
        m = space.margin(iv_point, IntervalMath)
        ok = m.b <= 0 if space.strict else m.b < 0
        if not ok:
            return None
        return Found({n: str(x) for n, x in zip(space.names, point)}, mpmath.nstr(mpmath.mpf(m.b), 8))
    except (ValueError, ZeroDivisionError):
        return None
    finally:
        mpmath.iv.dps = saved


def shrink(space: Space, x: Sequence[float]) -> Found | None:
    """The simplest rationals near ``x`` (denominators 2, 3, ..., 10^6) that are still certified."""
    for limit in (2, 3, 4, 5, 8, 10, 16, 20, 50, 100, 1000, 10**4, 10**6):
        q = [Fraction(v).limit_denominator(limit) for v in x]
        found = certify(space, q)
        if found:
            return found
    return None


def search(space: Space, rng: np.random.Generator, samples: int = 2000, starts: int = 6,
           z3_negation: Callable[[Any], Any] | None = None) -> Report:
    """Random search, then Nelder-Mead on the margin from the best points, then z3 on the negation."""
    from scipy.optimize import minimize

    rep = Report()
    pts = [np.asarray(space.sample(rng), dtype=float) for _ in range(samples)]
    margins = np.array([_fmargin(space, p) for p in pts])
    rep.samples = samples
    order = np.argsort(margins)
    candidates = [pts[i] for i in order[:starts]]
    for x0 in list(candidates):
        res = minimize(lambda x: _fmargin(space, x), x0, method="Nelder-Mead",
                       options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 1000, "maxfev": 1500})
        rep.optimiser_runs += 1
        candidates.append(res.x)
    for x in candidates:
        m = _fmargin(space, x)
        rep.smallest_margin = min(rep.smallest_margin, m)
        if rep.found is None and (m <= -space.noise if space.strict else m < -space.noise):
            rep.found = shrink(space, x)
    if z3_negation is not None:
        verdict, model = z3_decide(z3_negation, space.names)
        rep.z3 = {"unsat": "the negation is unsatisfiable (no counterexample exists)",
                  "sat": "the negation is satisfiable", "unknown": "undecided"}[verdict]
        if verdict == "sat" and rep.found is None and model is not None:
            rep.found = certify(space, model) or shrink(space, [float(v) for v in model])
    return rep


def z3_decide(build: Callable[[Any], Any], names: Sequence[str], timeout_ms: int = 20000
              ) -> tuple[str, list[Fraction] | None]:
    """Decide ``build(z3)`` (a formula over Reals named ``names``) with z3's nonlinear real arithmetic."""
    import z3

    solver = z3.SolverFor("QF_NRA")
    solver.set("timeout", timeout_ms)
    solver.add(build(z3))
    result = solver.check()
    if result == z3.unsat:
        return "unsat", None
    if result != z3.sat:
        return "unknown", None
    model = solver.model()
    values = []
    for n in names:
        v = model.eval(z3.Real(n), model_completion=True)
        if z3.is_rational_value(v):
            values.append(Fraction(v.numerator_as_long(), v.denominator_as_long()))
        else:   # an algebraic number: its decimal approximation, to be shrunk and certified
            values.append(Fraction(v.approx(30).as_decimal(30).rstrip("?")))
    return "sat", values

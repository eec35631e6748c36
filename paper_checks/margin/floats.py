"""The float stage of the margin search: points of the stated domain, and the margin and the conditions as vectorised
float functions (numpy), which find candidates cheaply and certify nothing."""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

from paper_checks.margin.compiler import Margin
from paper_checks.statement import Statement

__all__ = ["Domain", "Floats", "sample", "scale"]


def _bounds(iv: sp.Interval) -> tuple[float, float]:
    return float(iv.inf), float(iv.sup)


def sample(s: Statement, symbols: tuple[sp.Symbol, ...], rng: np.random.Generator, n: int) -> np.ndarray:
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


class Domain:
    """Membership of float points in the product of the variables' intervals; the bounds are read from SymPy
    once, since the minimiser asks for one point at a time, thousands of times."""

    def __init__(self, s: Statement, symbols) -> None:
        doms = [next(v for v in s.variables if v.symbol == sym).domain for sym in symbols]
        self.lo = np.array([float(d.inf) for d in doms])
        self.hi = np.array([float(d.sup) for d in doms])
        self.left_open = np.array([bool(d.left_open) for d in doms])
        self.right_open = np.array([bool(d.right_open) for d in doms])
        self.bounds = list(zip(self.lo.tolist(), self.hi.tolist(), self.left_open.tolist(), self.right_open.tolist(),
                               strict=False))

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


# Memoised: a statement's hypotheses recur in its corrections and in the steps of its printed proof, and printing
# an expression as Python costs milliseconds; the function printed depends on the symbols and the expression alone.
@functools.lru_cache(maxsize=1024)
def _compiled(symbols: tuple[sp.Symbol, ...], expr: sp.Basic, scalar: bool = False) -> Callable:
    """``expr`` as a float function of ``symbols``: vectorised (numpy), or for one point (``scalar``: the math
    module)."""
    return sp.lambdify(symbols, expr, modules="math" if scalar else _FLOAT_MODULES)


class Floats:
    """The margin and the conditions as vectorised float functions (numpy), for the search stage."""

    def __init__(self, m: Margin) -> None:
        self.f = _compiled(m.symbols, m.expr)
        self.conds = [_compiled(m.symbols, c) for c in m.conditions]
        # The minimiser asks for one point at a time: plain floats (the math module) cost a tenth of numpy's
        # per-call overhead.  Margins with functions math lacks keep the vectorised path.
        self._margin = m
        self._scalar: tuple[Callable, list[Callable]] | None = None

    def one(self, z: Sequence[float]) -> float:
        """The margin at one point, as ``self(z[None])[0]`` computes it: a value outside the reals (beyond
        1e-12 relative), undefined or not finite, or a point failing a condition, gives +inf."""
        m = self._margin
        if self._scalar is None:      # built on first use: only the minimiser asks
            scalar = not any(e.has(sp.betainc_regularized) for e in (m.expr, *m.conditions))
            self._scalar = (_compiled(m.symbols, m.expr, scalar=True),
                            [_compiled(m.symbols, c, scalar=True) for c in m.conditions]) if scalar else ()
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
                    val = np.asarray(_compiled(m.symbols, side)(*args),
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


def scale(m: Margin, fl: Floats, x: np.ndarray) -> float:
    """The margin's typical size, so that the noise floor is relative to it, not absolute."""
    vals = np.abs(fl(x))
    vals = vals[np.isfinite(vals)]
    return float(np.median(vals)) if len(vals) else 1.0

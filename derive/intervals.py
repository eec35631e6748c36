"""Certified evaluation of SymPy expressions in arb ball arithmetic (python-flint).

``to_arb(e, env)`` encloses the value of ``e`` when its symbols range over the balls of ``env``: rationals enter
exactly, every operation rounds outward, so the true value lies in the ball.  A value that is undefined or not
real somewhere on the balls (a pole, ``sqrt`` or ``log`` of a ball reaching below 0, ``acos`` beyond 1) is arb's
``nan`` ball, which is not finite and satisfies no comparison; an expression the evaluator cannot read raises
``TypeError``.  A relation evaluates to True only when it holds at every point of the balls (arb's comparisons are
certain), so a hypothesis is certified, never assumed.

Only a positive test certifies anything (``lower() > 0``, ``upper() < 0``), never a tolerance.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import sympy as sp

__all__ = ["PRECISION", "arb_value", "certified_positive", "flint_module", "set_precision", "shown_nonzero",
           "to_arb"]

PRECISION = 200   # bits of the balls' midpoints

Env = dict[sp.Symbol, Any]
Evaluator = Callable[[Env], Any]


def flint_module() -> Any:
    """The python-flint module, imported when a ball is first needed (it is not needed to load this module)."""
    import flint as module
    return module


def set_precision() -> None:
    """Work at ``PRECISION`` bits from now on (arb's precision is a global of python-flint's context)."""
    flint_module().ctx.prec = PRECISION


def to_arb(expr: sp.Basic, env: Env) -> Any:
    """``expr`` in arb balls, ``env`` mapping its symbols to balls; see the module docstring."""
    return _compiled(expr)(env)


def arb_value(expr: sp.Basic, point: dict[sp.Symbol, object]) -> Any:
    """``expr`` at ``point`` (numbers given as SymPy numbers or decimal strings) as a finite arb ball at
    ``PRECISION`` bits, or ``None`` when the evaluator cannot read it or its value is undefined or not real at
    the point (no certificate either way)."""
    ctx = flint_module().ctx
    old = ctx.prec
    ctx.prec = PRECISION
    try:
        value = to_arb(sp.sympify(expr), {s: _ball(v) for s, v in point.items()})
    except (ValueError, TypeError, ZeroDivisionError):
        return None
    finally:
        ctx.prec = old
    return value if value.is_finite() else None


def certified_positive(expr: sp.Basic, point: dict[sp.Symbol, object]) -> bool:
    """``expr > 0`` at ``point``, certified: the ball's lower end is positive."""
    v = arb_value(expr, point)
    return v is not None and v.lower() > 0


# Numerators of the generic values ``shown_nonzero`` gives the i-th variable, (a + b i) / 10007, one pair per draw.
_DRAWS = ((7331, 977), (4111, 1231))


def shown_nonzero(e: sp.Expr) -> bool:
    """``e`` is certainly not identically 0: at an exact point its symbols' assumptions allow, its ball excludes 0.

    Each variable takes a generic rational (an integer for an integer symbol; negated for a negative or nonpositive
    one); each application of a defined quantity (an undefined function to SymPy) is a variable of its own, as
    opaque as it is to ``simplify``.  A False says nothing (every ball met 0, or ``e`` is undefined or not real at
    the points): the caller decides by a symbolic test, which this one spares where it would cost seconds."""
    applied = sorted(e.atoms(sp.core.function.AppliedUndef), key=sp.default_sort_key)
    e = e.xreplace({f: sp.Dummy(f"f{i}", real=True) for i, f in enumerate(applied)})
    symbols = sorted(e.free_symbols, key=sp.default_sort_key)
    for a, b in _DRAWS:
        point = {}
        for i, x in enumerate(symbols):
            v = sp.Integer(3 + 2 * i) if x.is_integer else sp.Rational(a + b * i, 10007)
            point[x] = -v if (x.is_negative or x.is_nonpositive) else v
        ball = arb_value(e, point)
        if ball is not None and not ball.contains(0):
            return True
    return False


def _ball(v: object) -> Any:
    """A point's coordinate as a ball: a rational exactly, a SymPy number (sqrt(2), pi) enclosed, a decimal taken as
    exact (the point is where the claim is evaluated, not an approximation of one)."""
    arb = flint_module().arb
    if isinstance(v, sp.Rational):
        return arb(flint_module().fmpq(int(v.p), int(v.q)))
    if isinstance(v, sp.Basic) and v.is_number and not v.is_Float:
        return to_arb(v, {})
    return arb(str(sp.Float(v, 60)))


# ---------------------------------------------------------------------------------------------
# The expression tree read once into nested closures: the search certifies one margin at many points and boxes.

_UNARY = {sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.acos: "acos", sp.asin: "asin", sp.atan: "atan",
          sp.exp: "exp", sp.log: "log"}
_COMPARE = {sp.Lt: lambda a, b: a < b, sp.Le: lambda a, b: a <= b, sp.Gt: lambda a, b: a > b,
            sp.Ge: lambda a, b: a >= b, sp.Eq: lambda a, b: a == b, sp.Ne: lambda a, b: a != b}


@functools.lru_cache(maxsize=4096)
def _compiled(e: sp.Basic) -> Evaluator:
    """``e`` as a function of the balls of its symbols: the tree is read once, not at every box and point the
    search certifies.  Constants are made at call time, at the working precision then in force."""
    leaf = _leaf(e)
    if leaf is not None:
        return leaf
    if isinstance(e, (sp.And, sp.Or)):
        return _connective(e)
    if e.is_Pow:
        return _power(e)
    args = tuple(_compiled(a) for a in e.args)
    for test, build in _NODES:
        if test(e):
            return build(e, args)
    if isinstance(e, sp.Not) and isinstance(e.args[0], sp.core.relational.Relational):
        return _compiled(e.args[0].negated)
    raise TypeError(f"cannot evaluate {type(e).__name__} ({e}) in ball arithmetic")


def _leaf(e: sp.Basic) -> Evaluator | None:
    """A truth value, a symbol or a number as an evaluator; None when ``e`` has arguments to evaluate."""
    arb = flint_module().arb
    if e is sp.true or e is sp.false:
        value = bool(e)           # a relation SymPy already decided from the symbols' assumptions
        return lambda env: value
    if e.is_Symbol:
        return _symbol(e)
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
    return None


def _symbol(e: sp.Symbol) -> Evaluator:
    """The ball ``env`` gives ``e``; a symbol without one cannot be evaluated (TypeError)."""
    def symbol(env: Env) -> Any:
        try:
            return env[e]
        except KeyError:
            raise TypeError(f"no ball for the symbol {e}") from None
    return symbol


def _connective(e: sp.Basic) -> Evaluator:
    """And, Or: True only when certified.  Arguments are compiled when reached, as a tree walk would: And stops at
    its first argument not certified True, Or at its first certified True, and an argument after it that has no
    ball evaluator is then never asked for."""
    parts, every = e.args, isinstance(e, sp.And)
    return lambda env: (all if every else any)(_compiled(a)(env) is True for a in parts)


def _power(e: sp.Pow) -> Evaluator:
    """``base^exp``: integer powers by ``_ipow`` (sound on a ball around 0), square roots by arb's ``sqrt`` (nan on a
    ball reaching below 0), any other power by arb's real power."""
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


def _add(e: sp.Basic, args: tuple[Evaluator, ...]) -> Evaluator:
    arb = flint_module().arb

    def add(env: Env) -> Any:
        out = arb(0)
        for a in args:
            out += a(env)
        return out
    return add


def _mul(e: sp.Basic, args: tuple[Evaluator, ...]) -> Evaluator:
    arb = flint_module().arb

    def mul(env: Env) -> Any:
        out = arb(1)
        for a in args:
            out *= a(env)
        return out
    return mul


def _abs(e: sp.Basic, args: tuple[Evaluator, ...]) -> Evaluator:
    return lambda env: abs(args[0](env))


def _extreme(e: sp.Basic, args: tuple[Evaluator, ...]) -> Evaluator:
    """Min, Max of balls: arb's ``min``/``max`` enclose the extreme of any choice of points in the balls."""
    pick = "min" if isinstance(e, sp.Min) else "max"

    def extreme(env: Env) -> Any:
        vals = [a(env) for a in args]
        out = vals[0]
        for v in vals[1:]:
            out = getattr(out, pick)(v)
        return out
    return extreme


def _unary(e: sp.Basic, args: tuple[Evaluator, ...]) -> Evaluator:
    name = _UNARY[e.func]
    return lambda env: getattr(args[0](env), name)()


def _betainc(e: sp.Basic, args: tuple[Evaluator, ...]) -> Evaluator:
    """I_{x2}(a, b) - I_{x1}(a, b), the regularised incomplete beta function (exact laws of projections)."""
    def betainc(env: Env) -> Any:
        a, b, x1, x2 = (f(env) for f in args)
        return _betainc_ball(a, b, x2) - _betainc_ball(a, b, x1)
    return betainc


def _sign(e: sp.Basic, args: tuple[Evaluator, ...]) -> Evaluator:
    """sign(x): -1, 0 or 1 where the ball decides it, the ball [-1, 1] otherwise."""
    arb = flint_module().arb

    def sign(env: Env) -> Any:
        v = args[0](env)
        if v > 0:
            return arb(1)
        if v < 0:
            return arb(-1)
        if v == 0:
            return arb(0)
        return arb(0, 1)
    return sign


def _relation(e: sp.Basic, args: tuple[Evaluator, ...]) -> Evaluator:
    compare = _COMPARE[type(e)]
    return lambda env: compare(args[0](env), args[1](env))


# The nodes with arguments, tried in this order once their arguments are compiled.
_NODES: tuple[tuple[Callable[[sp.Basic], bool], Callable[[sp.Basic, tuple[Evaluator, ...]], Evaluator]], ...] = (
    (lambda e: e.is_Add, _add),
    (lambda e: e.is_Mul, _mul),
    (lambda e: isinstance(e, sp.Abs), _abs),
    (lambda e: isinstance(e, (sp.Min, sp.Max)), _extreme),
    (lambda e: e.func in _UNARY, _unary),
    (lambda e: isinstance(e, sp.betainc_regularized), _betainc),
    (lambda e: isinstance(e, sp.sign), _sign),
    (lambda e: isinstance(e, sp.core.relational.Relational), _relation),
)


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
    """``x^n`` on a ball.  arb's real power is nan on a ball that contains 0; an even power is computed from the
    exact endpoints of ``|x|`` (so it keeps its sign), an odd one by repeated products, both sound."""
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

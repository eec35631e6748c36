"""Certified evaluation of SymPy expressions in arb ball arithmetic (python-flint).

A ball that excludes zero certifies a sign; only a positive test (``lower() > 0``) certifies
anything, and an expression the evaluator does not know gives ``None`` (no certificate).
"""
from __future__ import annotations

import sympy as sp

__all__ = ["arb_value", "certified_positive"]

_PREC = 200   # bits


def arb_value(expr: sp.Basic, point: dict[sp.Symbol, object]):
    """``expr`` at ``point`` (numbers given as SymPy numbers or decimal strings) as an arb ball, or ``None``."""
    import flint
    ctx = flint.ctx
    old = ctx.prec
    ctx.prec = _PREC
    try:
        return _ev(sp.sympify(expr), {s: _ball(v) for s, v in point.items()})
    except (ValueError, TypeError, ZeroDivisionError, _Unsupported):
        return None
    finally:
        ctx.prec = old


class _Unsupported(Exception):
    pass


def _ball(v):
    import flint
    if isinstance(v, sp.Rational):
        return flint.arb(flint.fmpq(int(v.p), int(v.q)))
    if isinstance(v, sp.Basic) and v.is_number and not v.is_Float:
        return _ev(v, {})
    # A decimal input is taken as exact: the point is where we evaluate, not an approximation of one.
    return flint.arb(str(sp.Float(v, 60)))


def _ev(e: sp.Basic, env: dict):
    import flint
    if e.is_Symbol:
        if e not in env:
            raise _Unsupported(str(e))
        return env[e]
    if e.is_Rational:
        return flint.arb(flint.fmpq(int(e.p), int(e.q)))
    if e.is_Float:
        return flint.arb(str(e))
    if e is sp.pi:
        return flint.arb.pi()
    if e is sp.E:
        return flint.arb(1).exp()
    if e.is_Add:
        out = flint.arb(0)
        for a in e.args:
            out += _ev(a, env)
        return out
    if e.is_Mul:
        out = flint.arb(1)
        for a in e.args:
            out *= _ev(a, env)
        return out
    if e.is_Pow:
        base = _ev(e.base, env)
        if e.exp.is_Integer:
            k = int(e.exp)
            if k < 0:
                if base.contains(0):
                    raise ZeroDivisionError
                return 1 / base ** (-k)
            return base**k
        if e.exp.is_Rational and e.exp.q == 2:
            if not base > 0:           # a radicand not certified positive: no certificate
                raise _Unsupported("radicand")
            r = base.sqrt()
            k = int(e.exp.p)
            return r**k if k > 0 else 1 / r ** (-k)
        return (_ev(e.exp, env) * base.log()).exp()
    funcs = {sp.sin: "sin", sp.cos: "cos", sp.exp: "exp", sp.log: "log", sp.tan: "tan", sp.atan: "atan"}
    for f, name in funcs.items():
        if isinstance(e, f):
            x = _ev(e.args[0], env)
            if name == "log" and not x > 0:
                raise _Unsupported("log")
            return getattr(x, name)()
    if isinstance(e, sp.Abs):
        return abs(_ev(e.args[0], env))
    raise _Unsupported(type(e).__name__)


def certified_positive(expr: sp.Basic, point: dict[sp.Symbol, object]) -> bool:
    """``expr > 0`` at ``point``, certified: the ball's lower end is positive."""
    v = arb_value(expr, point)
    return v is not None and v.lower() > 0

"""Derivations as data: ordered steps, each a relation and the rule that gives it, checked by SymPy.

A step ``lhs op rhs`` is checked in three ways, strongest first:

* an equality is reduced to a polynomial identity: sines and cosines of the declared angles become
  symbols ``S, C`` with ``S**2 + C**2 = 1``, every square root ``sqrt(X)`` becomes a nonnegative
  symbol ``R`` with ``R**2 = X``, and the numerator of ``lhs - rhs`` must reduce to zero modulo a
  Groebner basis of these relations (and the derivation's own side relations).  Ideal membership
  is a proof: it is much faster than ``simplify`` and never answers "zero" by accident;
* an inequality ``lhs <= rhs`` carries a *witness* ``w``: the identity ``rhs - lhs = w`` is checked
  as above and ``w`` must be nonnegative (positive for ``<``) by SymPy's assumptions on the
  symbols (squares, products and sums of nonnegative symbols);
* failing both, the step is evaluated at random admissible points at 50 digits with mpmath and
  reported as ``numeric-only`` with the largest residual, never as proved.
"""
from __future__ import annotations

import enum
import functools
import random
from dataclasses import dataclass, field

import mpmath
import sympy as sp

__all__ = ["Op", "Status", "Step", "StepCheck", "Derivation", "check_step"]

_NUMERIC_POINTS = 24
_NUMERIC_DPS = 50
# A residual below 10**-40 at 50 significant digits is rounding noise, not a failure.
_NUMERIC_TOL = mpmath.mpf(10) ** -40


class Op(enum.Enum):
    """The relation a step asserts between its two sides."""

    EQ = "="
    LE = "<="
    LT = "<"

    @property
    def latex(self) -> str:
        return {"=": "=", "<=": r"\le", "<": "<"}[self.value]


class Status(enum.Enum):
    """Outcome of checking one step."""

    OK = "ok"
    NUMERIC = "numeric-only"
    FAILED = "failed"


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``lhs op rhs``, the rule that gives it, and an optional witness.

    ``lhs`` and ``rhs`` may hold unevaluated operations (``Limit``, ``Derivative``, matrix products):
    the checker evaluates them, so the derivation shows what is computed, not its outcome.
    """

    name: str
    lhs: sp.Basic
    rhs: sp.Basic
    rule: str
    op: Op = Op.EQ
    witness: sp.Expr | None = None

    def latex(self) -> str:
        return f"{sp.latex(self.lhs)} {self.op.latex} {sp.latex(self.rhs)}"


@dataclass(frozen=True)
class StepCheck:
    """What checking a step gave: its status, how it was decided, and the residual if numeric."""

    step: Step
    status: Status
    method: str
    residual: str | None = None


@dataclass(frozen=True)
class Derivation:
    """A derivation: assumptions in words, ordered steps, the result, and the symbols' domains.

    ``angles`` are symbols ranging over the open interval (0, pi), so their sines (and the sines
    and cosines of their halves) are positive.  ``relations`` are polynomial side conditions
    (each ``== 0``) that hold throughout, e.g. the definition of a slack variable.
    """

    claim: str
    title: str
    assumptions: tuple[str, ...]
    steps: tuple[Step, ...]
    result: Step
    angles: tuple[sp.Symbol, ...] = ()
    relations: tuple[sp.Expr, ...] = ()
    domain: tuple[sp.Basic, ...] = field(default=())

    def check(self) -> tuple[StepCheck, ...]:
        """Check every step (and the result) under this derivation's assumptions."""
        return tuple(check_step(s, self) for s in (*self.steps, self.result))

    def step(self, name: str) -> Step:
        for s in (*self.steps, self.result):
            if s.name == name:
                return s
        raise KeyError(f"name={name!r} is not a step of derivation {self.claim!r}; "
                       f"steps are {[s.name for s in self.steps]}.")

    def _repr_latex_(self) -> str:
        # One display per step: a single array of every step overflows MathJax's 5 kB buffer (Def 3.3).
        try:
            lines = [rf"$$\text{{{self.title}}}$$"]
            lines += [rf"$${s.latex()} \quad \text{{({s.name})}}$$" for s in (*self.steps, self.result)]
            return "\n".join(lines)
        except Exception as exc:  # a notebook shows a message, never a traceback
            return rf"$\text{{could not render {self.claim}: {type(exc).__name__}}}$"


# ---------------------------------------------------------------------------------------------
# Algebraisation: trigonometric and radical expressions become polynomials in new symbols.


@dataclass
class _Algebra:
    """Symbols introduced for sines, cosines and square roots, and the relations they obey."""

    replace: dict[sp.Basic, sp.Symbol] = field(default_factory=dict)
    relations: list[sp.Expr] = field(default_factory=list)
    trig: dict[sp.Basic, sp.Expr] | None = None


def _trig_symbols(angles: tuple[sp.Symbol, ...], alg: _Algebra) -> dict[sp.Basic, sp.Expr]:
    """Map sin/cos of each angle and of its half to polynomials in positive half-angle symbols.

    With ``h = a/2 in (0, pi/2)``: ``sin a = 2 sh ch``, ``cos a = ch**2 - sh**2``, ``sh, ch > 0`` and
    ``sh**2 + ch**2 = 1``; this makes sign questions about ``1 - cos a`` or ``sin a`` decidable.
    """
    out: dict[sp.Basic, sp.Expr] = {}
    for a in angles:
        sh = sp.Symbol(f"sh_{a.name}", positive=True)
        ch = sp.Symbol(f"ch_{a.name}", positive=True)
        alg.relations.append(sh**2 + ch**2 - 1)
        out[sp.sin(a)] = 2 * sh * ch
        out[sp.cos(a)] = ch**2 - sh**2
        out[sp.sin(a / 2)] = sh
        out[sp.cos(a / 2)] = ch
    return out


def _algebraize(expr: sp.Expr, deriv: Derivation, alg: _Algebra) -> sp.Expr:
    if alg.trig is None:
        alg.trig = _trig_symbols(deriv.angles, alg)
        alg.relations += [sp.expand(sp.expand_trig(r).subs(alg.trig)) for r in deriv.relations]
    expr = sp.expand_trig(expr).subs(alg.trig) if deriv.angles else expr
    basis = alg.relations

    def radical(base: sp.Expr) -> sp.Symbol:
        base = sp.factor(base)
        if base not in alg.replace:
            # Positive, not just nonnegative: derivations state open domains, whose radicands are > 0.
            r = sp.Symbol(f"R{len(alg.replace)}", positive=True)
            alg.replace[base] = r
            alg.relations.append(r**2 - base)
        return alg.replace[base]

    def root(base: sp.Expr, p: int) -> sp.Expr:
        # sqrt(n/d) = sqrt(n)/sqrt(d); each radicand is first reduced modulo the relations so that,
        # e.g., sqrt(ch**2) is recognised as ch, and SymPy pulls out squares of positive factors.
        num, den = sp.fraction(sp.together(base))
        out = sp.Integer(1)
        for part, sign in ((num, 1), (den, -1)):
            coeff, factors = sp.factor_list(_normal_form(sp.expand(part), basis))
            # A positive rational content comes out of the root; a negative one stays inside.
            rest = sp.Integer(-1) if coeff < 0 else sp.Integer(1)
            out *= sp.sqrt(abs(coeff)) ** (sign * p)
            for g, k in factors:
                if k % 2 == 0 and g.is_positive:
                    out *= g ** (sign * p * (k // 2))   # sqrt(g^(2j)) = g^j for positive g
                else:
                    rest *= g**k
            if rest != 1:
                out *= (_known_square(rest) or radical(rest)) ** (sign * p)
        return out

    def _known_square(base: sp.Expr) -> sp.Symbol | None:
        # A radicand equal to the square of a positive half-angle sine or cosine, e.g. 1 - sh**2 = ch**2.
        for t in alg.trig.values():
            if t.is_Symbol and sp.expand(_normal_form(base - t**2, basis)) == 0:
                return t
        return None

    def rewrite(e: sp.Basic) -> sp.Basic:
        if e.is_Pow and e.exp.is_Rational and e.exp.q == 2:
            return root(rewrite(e.base), int(e.exp.p))
        if e.is_Mul:
            # sqrt(X) sqrt(Y) -> sqrt(XY) (radicands are nonnegative on the domain), so that one
            # radicand has one canonical normal form however SymPy happened to split it.
            up = [f.base for f in e.args if f.is_Pow and f.exp == sp.Rational(1, 2)]
            down = [f.base for f in e.args if f.is_Pow and f.exp == sp.Rational(-1, 2)]
            if len(up) > 1 or len(down) > 1:
                rest = [rewrite(f) for f in e.args
                        if not (f.is_Pow and f.exp in (sp.Rational(1, 2), sp.Rational(-1, 2)))]
                return (sp.Mul(*rest) * root(rewrite(sp.Mul(*up)), 1)
                        * root(rewrite(sp.Mul(*down)), -1))
        if e.args:
            return e.func(*[rewrite(a) for a in e.args])
        return e

    return rewrite(expr)


def _normal_form(expr: sp.Expr, basis: list[sp.Expr]) -> sp.Expr:
    """Reduce ``expr`` modulo ``basis`` in lex order with radicals first, then half-angle cosines:
    every ``R**2`` and ``ch**2`` is rewritten away, so squares of sines show up as factors."""
    if not basis:
        return expr
    num, den = sp.fraction(sp.together(expr))
    symbols = set().union(*(b.free_symbols for b in basis), num.free_symbols)
    if not symbols:
        return expr
    gens = tuple(sorted(symbols, key=_elimination_rank))
    G = _groebner(tuple(sp.expand(b) for b in basis), gens)
    _, r = sp.reduced(sp.expand(num), list(G), *gens, order="lex")
    return r / den


def _elimination_rank(s: sp.Symbol) -> tuple[int, str]:
    name = s.name
    return (0 if name.startswith("R") and name[1:].isdigit() else 1 if name.startswith("ch_") else 2, name)


@functools.lru_cache(maxsize=256)
def _groebner(basis: tuple[sp.Expr, ...], gens: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, ...]:
    return tuple(sp.groebner(list(basis), *gens, order="lex").exprs)


def _is_zero(expr: sp.Expr, deriv: Derivation, alg: _Algebra) -> bool:
    e = _algebraize(expr, deriv, alg)
    num, _ = sp.fraction(sp.together(sp.expand(e)))
    num = sp.expand(num)
    if num == 0:
        return True
    return sp.expand(_normal_form(num, alg.relations)) == 0


def _evaluate(e: sp.Basic) -> sp.Basic:
    return e.doit() if hasattr(e, "doit") else e


def _difference(step: Step) -> sp.Basic:
    lhs, rhs = _evaluate(step.lhs), _evaluate(step.rhs)
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        return sp.Matrix(lhs) - sp.Matrix(rhs)
    return rhs - lhs


def check_step(step: Step, deriv: Derivation) -> StepCheck:
    """Check one step of ``deriv``; see the module docstring for the three methods."""
    diff = _difference(step)
    if isinstance(diff, sp.MatrixExpr) and not isinstance(diff, sp.MatrixBase):
        # Matrix-symbol identities (dimension-free): SymPy's matrix simplifier decides them.
        ok = step.op is Op.EQ and sp.simplify(sp.expand(diff)).is_ZeroMatrix
        if ok:
            return StepCheck(step, Status.OK, "matrix-expression simplification")
        return StepCheck(step, Status.FAILED, "matrix-expression simplification", str(sp.simplify(diff)))
    entries = list(diff) if isinstance(diff, sp.MatrixBase) else [diff]
    try:
        proved = _prove(step, entries, deriv)
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        proved = None  # not polynomial after algebraisation: SymPy cannot decide it this way
    return proved or _numeric_check(step, entries, deriv)


def _prove(step: Step, entries: list[sp.Expr], deriv: Derivation) -> StepCheck | None:
    # Gamma-function ratios (Beta moments) reduce to rational functions; d^(x - 1/2) splits into
    # d^x d^(-1/2) so that the radical is seen.
    entries = [sp.expand_power_exp(sp.gammasimp(e) if e.has(sp.gamma) else e) for e in entries]
    alg = _Algebra()
    if step.op is Op.EQ:
        if all(_is_zero(x, deriv, alg) for x in entries):
            return StepCheck(step, Status.OK, "polynomial identity modulo the side relations")
    elif step.witness is not None:
        w = _algebraize(step.witness, deriv, alg)
        sign_ok = _has_sign(w, step.op) or _has_sign(sp.factor(_normal_form(w, alg.relations)), step.op)
        if sign_ok and _is_zero(entries[0] - step.witness, deriv, alg):
            return StepCheck(step, Status.OK, "identity with a witness of known sign")
    else:
        w = _algebraize(entries[0], deriv, alg)
        if _has_sign(w, step.op) or _has_sign(sp.factor(_normal_form(w, alg.relations)), step.op):
            return StepCheck(step, Status.OK, "sign from SymPy's assumptions")
    return None


def _has_sign(w: sp.Expr, op: Op) -> bool:
    return bool(w.is_positive if op is Op.LT else w.is_nonnegative)


def _numeric_check(step: Step, entries: list[sp.Expr], deriv: Derivation) -> StepCheck:
    symbols = sorted(set().union(*(sp.sympify(x).free_symbols for x in entries)), key=str)
    constrained = set().union(*(r.free_symbols for r in deriv.relations)) & set(symbols)
    if constrained:
        return StepCheck(step, Status.FAILED, "not proved by SymPy; its symbols "
                         f"{sorted(map(str, constrained))} obey side relations, so no random test")
    rng = random.Random(f"{deriv.claim}/{step.name}")
    worst = mpmath.mpf(0)
    found = 0
    with mpmath.workdps(_NUMERIC_DPS):
        for _ in range(_NUMERIC_POINTS * 40):
            point = {s: _draw(s, deriv, rng) for s in symbols}
            if not _admissible(point, deriv):
                continue
            try:
                vals = [mpmath.mpmathify(sp.N(sp.sympify(x).subs(point), _NUMERIC_DPS)) for x in entries]
            except (TypeError, ValueError):
                continue
            if any(isinstance(v, mpmath.mpc) and abs(v.imag) > _NUMERIC_TOL for v in vals):
                continue
            vals = [mpmath.re(v) for v in vals]
            if step.op is Op.EQ:
                worst = max(worst, *(abs(v) for v in vals))
            else:
                worst = max(worst, -min(vals))
                if step.op is Op.LT and min(vals) <= 0:
                    worst = max(worst, _NUMERIC_TOL * 2)
            found += 1
            if found == _NUMERIC_POINTS:
                break
    if found < _NUMERIC_POINTS:
        return StepCheck(step, Status.FAILED, f"not proved by SymPy, and only {found} admissible"
                         " random points found to test it numerically")
    status = Status.NUMERIC if worst <= _NUMERIC_TOL else Status.FAILED
    return StepCheck(step, status, f"numeric at {found} random points, {_NUMERIC_DPS} digits",
                     mpmath.nstr(worst, 5))


def _draw(s: sp.Symbol, deriv: Derivation, rng: random.Random) -> sp.Expr:
    if s in deriv.angles:
        return sp.Float(rng.uniform(0.02, 3.12), _NUMERIC_DPS)
    if s.is_positive:
        return sp.Float(rng.uniform(0.05, 3.0), _NUMERIC_DPS)
    if s.is_nonnegative:
        return sp.Float(rng.uniform(0.0, 3.0), _NUMERIC_DPS)
    return sp.Float(rng.uniform(-1.0, 1.0), _NUMERIC_DPS)


def _admissible(point: dict[sp.Symbol, sp.Expr], deriv: Derivation) -> bool:
    for cond in deriv.domain:
        if not cond.free_symbols <= set(point):
            continue
        v = cond.subs(point)
        if v is not sp.true and v is not True:
            return False
    for rel in deriv.relations:
        if rel.free_symbols <= set(point) and abs(sp.N(rel.subs(point))) > 1e-30:
            return False
    return True

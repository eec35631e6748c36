"""Algebraisation: trigonometric and radical expressions become polynomials in new symbols, reduced modulo relations.

Sines and cosines of the declared angles become half-angle symbols ``sh, ch`` with ``sh**2 + ch**2 = 1``; a square
root ``sqrt(X)`` becomes a symbol ``R`` with ``R**2 = X`` and ``R >= 0`` (``R > 0`` when ``X > 0`` is proved);
``|g|``, ``Max``, ``Min`` and ``acos(cos u)`` become the argument their proved signs select.  An identity is then
ideal membership: the numerator of ``lhs - rhs`` reduces to zero modulo a Groebner basis of the relations, and the
cofactors over the relations themselves are kept as a certificate.

Deciding a radicand's sign while algebraising needs the sign decision of :mod:`derive.signs`, which itself
algebraises: the two are mutually recursive, and this module reaches the other through one late import.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from derive.core import Cofactors, Derivation, Discharge, Obligation
from derive.division import divide
from derive.expressions import UNEVALUATED
from derive.together import together

__all__ = ["Algebra", "as_fact", "as_relation", "raw_obligations", "normal_form", "elimination_rank", "groebner",
           "factored", "factor_list_of", "identity", "prepare"]


def raw_obligations(e: sp.Basic, origin: str) -> list[Obligation]:
    """Radicands >= 0 and denominators != 0 of an expression as built (and as evaluated)."""
    out: list[Obligation] = []
    exprs = list(e) if isinstance(e, sp.MatrixBase) else [e]
    def pows(e: sp.Basic):
        # Not inside an unevaluated operation: its bound variables are not the step's (the evaluated
        # form is scanned separately).
        if isinstance(e, UNEVALUATED):
            return
        if isinstance(e, sp.Pow) and not e.has(*UNEVALUATED):
            yield e
        for a in e.args:
            yield from pows(a)

    for x in exprs:
        if not isinstance(x, sp.Basic):
            continue
        # In SymPy's canonical order, not a set's: the order of the obligations, and with it which solver
        # discharges each (the sign queries share memoised reductions), must not depend on the hash seed.
        for p in sorted(set(pows(x)), key=sp.default_sort_key):
            if p.exp.is_Rational and not p.exp.is_Integer and p.exp.q % 2 == 0:
                out.append(Obligation("radicand", p.base, ">=", origin))
            if p.exp.is_negative:
                out.append(Obligation("denominator", p.base, "!=", origin))
    return out


@dataclass
class Algebra:
    """Symbols introduced for sines, cosines and square roots, the relations they obey, and the
    obligations their introduction creates (each radicand must be nonnegative)."""

    deriv: Derivation
    replace: dict[sp.Basic, sp.Symbol] = field(default_factory=dict)
    relations: list[sp.Expr] = field(default_factory=list)
    trig: dict[sp.Basic, sp.Expr] = field(default_factory=dict)
    obligations: list[Obligation] = field(default_factory=list)
    facts: list[tuple[sp.Expr, str]] = field(default_factory=list)
    complete: bool = True
    half: dict[sp.Symbol, tuple[sp.Symbol, sp.Symbol]] = field(default_factory=dict)
    structural: list[sp.Expr] = field(default_factory=list)   # trig and radical relations only
    full: bool = False       # put radicands in normal form modulo every relation (second attempt)
    radicals: list[sp.Expr] = field(default_factory=list)   # R^2 - X of each radical, in the order they were made
    given: int = 0           # how many the hypotheses made (their radicands are presumed by the hypotheses)
    upto: int | None = None  # while radicand k is discharged: the relations of radicals k, k + 1, ... are no facts

    def __post_init__(self) -> None:
        for a in (*self.deriv.angles, *self.deriv.closed_angles):
            # In (0, pi) the half angle lies in (0, pi/2): its sine and cosine are positive; in [0, pi], nonnegative.
            sign = {"positive": True} if a in self.deriv.angles else {"nonnegative": True}
            sh = sp.Symbol(f"sh_{a.name}", **sign)
            ch = sp.Symbol(f"ch_{a.name}", **sign)
            self.half[a] = (sh, ch)
            self.relations.append(sh**2 + ch**2 - 1)
            self.structural.append(sh**2 + ch**2 - 1)
            self.trig[sp.sin(a)] = 2 * sh * ch
            self.trig[sp.cos(a)] = ch**2 - sh**2
            self.trig[sp.sin(a / 2)] = sh
            self.trig[sp.cos(a / 2)] = ch
        self.relations += [sp.expand(self.trigsub(r)) for r in self.deriv.relations]
        # The domain's hypotheses as facts for the solvers (a fact that is not polynomial after
        # algebraisation is dropped, and then a solver's model is no counterexample).
        # Appended one by one: a radical made while algebraising a fact has its sign decided from those before it.
        self.complete = self.add_facts(self.deriv.domain, self.facts)
        self.given = len(self.radicals)

    def add_facts(self, domain: Sequence[sp.Basic], facts: list[tuple[sp.Expr, str]]) -> bool:
        """Append ``domain``'s hypotheses to ``facts`` as algebraised solver facts; whether none was left out."""
        complete = True
        for cond in domain:
            if cond is sp.true:      # a bound SymPy already decided from the symbol's assumptions: no fact
                continue
            fact = as_fact(cond)
            if fact is None:
                complete = False
                continue
            facts.append((self.algebraize(fact[0]), fact[1]))
        return complete

    def usable(self) -> list[sp.Expr]:
        """The relations a sign may be decided from.  R^2 = X with R real presumes X >= 0: proving X >= 0 from it is
        circular (and with X < 0 the facts are inconsistent, so anything follows).  Radicand k is decided from the
        radicals made before it (inner ones) only, each proved the same way, so by induction all are real."""
        if self.upto is None:
            return self.relations
        own = {id(r) for r in self.radicals[max(self.upto, self.given):]}
        return [r for r in self.relations if id(r) not in own]

    def trigsub(self, e: sp.Expr) -> sp.Expr:
        """``e`` with the sines and cosines of the angles (and of their halves) in half-angle symbols."""
        # xreplace, not subs: the keys are function atoms, which xreplace finds as they stand (subs gave the same on
        # every call of the audit, at 30 times the cost); one it missed would stay non-polynomial, and fail.  Unlike
        # subs it also rewrites a bound variable named like the angle (an integral over alpha): such a side is
        # evaluated before it gets here, and a leftover integral's sign is undecided, so that fails too.
        return sp.expand_trig(e).xreplace(self.trig) if self.half else e

    def algebraize(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` as a rational function of this algebra's symbols (see :func:`_algebraize`)."""
        return _algebraize(sp.sympify(expr), self)

    def all_facts(self) -> list[tuple[sp.Expr, str]]:
        """The usable relations (each ``= 0``) and the hypotheses, as solver facts."""
        return [(r, "=") for r in self.usable()] + self.facts


def as_fact(cond: sp.Basic) -> tuple[sp.Expr, str] | None:
    """``cond`` as ``(e, rel)`` with ``e rel 0``, for the solvers' facts: None for a relation they cannot state."""
    parts = as_relation(cond)
    if parts is None or parts[0].has(sp.Abs, sp.log, sp.exp, sp.Min, sp.Max):
        return None
    return parts


def as_relation(cond: sp.Basic) -> tuple[sp.Expr, str] | None:
    """``cond`` as ``(e, rel)`` with ``e rel 0`` (rel one of ``> >= = !=``); None when it is no relation.  As an
    obligation, any such relation can be owed: its sign is decided as far as the checker can."""
    if isinstance(cond, (sp.StrictLessThan, sp.StrictGreaterThan, sp.LessThan, sp.GreaterThan,
                         sp.Equality, sp.Unequality)):
        big, small = (cond.rhs, cond.lhs) if isinstance(cond, (sp.StrictLessThan, sp.LessThan)) \
            else (cond.lhs, cond.rhs)
        rel = {sp.StrictLessThan: ">", sp.StrictGreaterThan: ">", sp.LessThan: ">=", sp.GreaterThan: ">=",
               sp.Equality: "=", sp.Unequality: "!="}[type(cond)]
        return big - small, rel
    return None


def _proved(e: sp.Expr, rel: str, alg: Algebra, depth: int = 0) -> bool:
    """``e rel 0`` (``e`` algebraised) is proved, by SymPy or by the solvers, under the hypotheses of ``alg``."""
    from derive.signs import decide_sign     # mutually recursive: a sign decision algebraises its goal

    return decide_sign(e, rel, alg, depth) in (Discharge.SYMPY, Discharge.SMT)


def _decided(e: sp.Expr, rel: str, alg: Algebra) -> bool:
    """``e rel 0`` is proved, ``e`` algebraised first (one level deep: no logarithm is decided inside)."""
    return _proved(alg.algebraize(e), rel, alg, depth=1)


# An inverse function, the function it inverts, and the interval (closed unless strict) where it does.
_INVERSES = ((sp.acos, sp.cos, 0, sp.pi, False), (sp.asin, sp.sin, -sp.pi / 2, sp.pi / 2, False),
             (sp.atan, sp.tan, -sp.pi / 2, sp.pi / 2, True))


def _piecewise_atoms(expr: sp.Expr, alg: Algebra) -> sp.Expr:
    """``acos(cos u) = u`` where ``0 <= u <= pi`` is proved (``asin(sin u) = u`` for ``|u| <= pi/2``, ``atan(tan u)``
    for ``|u| < pi/2``); ``Max``/``Min`` the argument proved largest (smallest); ``|g|`` as ``g`` or ``-g`` where
    its sign is proved, else (g linear) the nonnegative square root of ``g^2``.  Each rewrite keeps the value."""
    def rewrite(node: sp.Basic) -> sp.Basic:
        if not node.args:
            return node
        node = node.func(*[rewrite(a) for a in node.args])
        for f, g, lo, hi, strict in _INVERSES:
            if isinstance(node, f) and isinstance(node.args[0], g):
                u = node.args[0].args[0]
                rel = ">" if strict else ">="
                if _decided(u - lo, rel, alg) and _decided(hi - u, rel, alg):
                    return u
        if isinstance(node, (sp.Max, sp.Min)):
            big = isinstance(node, sp.Max)
            for a in node.args:
                if all(b is a or _decided(a - b if big else b - a, ">=", alg) for b in node.args):
                    return a
        if isinstance(node, sp.Abs):
            g = node.args[0]
            if _decided(g, ">=", alg):
                return g
            if _decided(-g, ">=", alg):
                return -g
            # |g| = sqrt(g^2), a radical the solvers reason with; only for g linear in its symbols (x <= |x|), since
            # the square of a larger g makes queries the solvers spend their whole time on (measured: 8 s, unknown).
            if g.is_polynomial(*g.free_symbols) and sp.Poly(g, *g.free_symbols).total_degree() <= 1:
                return sp.sqrt(g**2, evaluate=False)
        return node

    if not expr.has(sp.acos, sp.asin, sp.atan, sp.Max, sp.Min, sp.Abs):
        return expr
    return rewrite(expr)


def _algebraize(expr: sp.Expr, alg: Algebra) -> sp.Expr:
    """``expr`` as a rational function of the symbols of ``alg``: trigonometry in half-angle symbols, each square
    root a radical symbol (made, with its relation and radicand obligation, on first use)."""
    # Before the half-angle substitution (acos(cos u) must still read cos u) and after it (expanding the trigonometry
    # evaluates a root sqrt(g^2) of a real g back into |g|).
    expr = _piecewise_atoms(alg.trigsub(_piecewise_atoms(expr, alg)), alg)
    # Radicands are put in normal form modulo the trigonometric and radical relations only: the
    # derivation's own side relations would rewrite sqrt(B^2 - Delta_C^2) in terms of unrelated
    # variables and hide its sign.
    basis = alg.relations if alg.full else alg.structural

    def radical(base: sp.Expr) -> sp.Symbol:
        base = factored(base)
        if base not in alg.replace:
            # R >= 0 always (it is a square root); R > 0 only when the radicand is proved positive,
            # and R's existence as a real number is an obligation: radicand >= 0.
            positive = _proved(base, ">", alg, depth=1)
            r = sp.Symbol(f"R{len(alg.replace)}", **({"positive": True} if positive else {"nonnegative": True}))
            alg.replace[base] = r
            alg.radicals.append(r**2 - base)
            alg.relations.append(alg.radicals[-1])
            alg.structural.append(r**2 - base)
            alg.obligations.append(Obligation("radicand", base, ">" if positive else ">=", "a square root"))
        return alg.replace[base]

    def root(base: sp.Expr, p: int) -> sp.Expr:
        # sqrt(n/d) = sqrt(n)/sqrt(d): sound because n >= 0 and d >= 0 are both obligations (each
        # becomes its own radical) and d != 0 is one too (R_d is a denominator).
        num, den = sp.fraction(together(base))
        parts = [factor_list_of(normal_form(sp.expand(part), basis)) for part in (num, den)]
        if parts[0][0] < 0 and parts[1][0] < 0 and (_proved(-num, ">=", alg) or _proved(-den, ">", alg)):
            # n/d = (-n)/(-d): with both contents negative and -n >= 0 (or -d > 0) proved, both signs flip before
            # the split, so the radicands owed are the ones that hold (sqrt(-1/(-x^2 - 2)) = sqrt(1)/sqrt(x^2 + 2),
            # not sqrt(-1)/sqrt(-x^2 - 2)).  A negative content alone says nothing of the sign: (1 - x)/(1 - y)
            # has both, and on x, y < 1 it splits as sqrt(1 - x)/sqrt(1 - y).
            parts = [(-c, f) for c, f in parts]
        out = sp.Integer(1)
        for (coeff, factors), sign in zip(parts, (1, -1), strict=False):
            # A positive rational content comes out of the root; a negative one stays inside.
            rest = sp.Integer(-1) if coeff < 0 else sp.Integer(1)
            out *= sp.sqrt(abs(coeff)) ** (sign * p)
            for g, k in factors:
                if k % 2 == 0 and (g.is_nonnegative or _proved(g, ">=", alg)):
                    out *= g ** (sign * p * (k // 2))   # sqrt(g^(2j)) = g^j for g >= 0 (proved)
                elif k % 2 == 0 and _proved(-g, ">=", alg):
                    out *= (-g) ** (sign * p * (k // 2))
                else:
                    rest *= g**k
            if rest != 1:
                out *= (_known_square(rest) or radical(rest)) ** (sign * p)
        return out

    def _known_square(base: sp.Expr) -> sp.Symbol | None:
        # A radicand equal to the square of a positive half-angle sine or cosine, e.g. 1 - sh**2 = ch**2.
        for t in alg.trig.values():
            if t.is_Symbol and sp.expand(normal_form(base - t**2, basis)) == 0:
                return t
        return None

    def rewrite(e: sp.Basic) -> sp.Basic:
        if e.is_Pow and e.exp.is_Rational and e.exp.q == 2:
            return root(rewrite(e.base), int(e.exp.p))
        if e.is_Mul:
            # sqrt(X) sqrt(Y) -> sqrt(XY): valid because X >= 0 and Y >= 0 are obligations of the step
            # (every radicand as built is one), so one radicand has one canonical normal form.
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


def normal_form(expr: sp.Expr, basis: list[sp.Expr]) -> sp.Expr:
    """Reduce ``expr`` modulo ``basis`` in lex order with radicals first, then half-angle cosines:
    every ``R**2`` and ``ch**2`` is rewritten away, so squares of sines show up as factors."""
    if not basis:
        return expr
    return _normal_form_of(expr, tuple(basis))


# Memoised: a step's radicands, signs and sides ask for the same reductions again (measured: 704 calls,
# 234 distinct, nearly half the time in repeats).  A pure function of its arguments; symbols with different
# assumptions are different keys.
@functools.lru_cache(maxsize=2048)
def _normal_form_of(expr: sp.Expr, basis: tuple[sp.Expr, ...]) -> sp.Expr:
    """The numerator of ``expr`` reduced modulo the lex Groebner basis of ``basis``, over its denominator."""
    num, den = sp.fraction(together(expr))
    own = set().union(*(b.free_symbols for b in basis))
    symbols = own | num.free_symbols
    if not symbols:
        return expr
    gens = tuple(sorted(symbols, key=elimination_rank))
    # The basis is computed over its own symbols: Buchberger's algorithm never brings in a variable the
    # relations lack, and the order restricted to theirs is the same, so the reduced basis is the one over all
    # of ``gens``; computed once per set of relations, not once per expression reduced by them.  Their order is
    # read off ``gens``, not sorted again: symbols of one name tie in ``elimination_rank`` and a second sort of
    # another set may order them the other way, leaving a basis that is not one for the reduction's order.
    G = groebner(tuple(sp.expand(b) for b in basis), tuple(s for s in gens if s in own) or gens)
    _, r = divide(sp.expand(num), G, gens)
    return r / den


# Memoised: every step checks its sides in a fresh algebra, which factors the same radicands again, and the steps'
# obligations ask the signs of the same normal forms (measured: nine in ten factorisations of an audit repeat one).
# Pure functions of the expression (its symbols' assumptions included); each answer is SymPy's.
@functools.lru_cache(maxsize=4096)
def factored(e: sp.Expr) -> sp.Expr:
    """``sympy.factor(e)``."""
    return sp.factor(e)


@functools.lru_cache(maxsize=4096)
def factor_list_of(e: sp.Expr) -> tuple[sp.Expr, tuple[tuple[sp.Expr, int], ...]]:
    """``sympy.factor_list(e)``: the content and the irreducible factors with their multiplicities."""
    content, factors = sp.factor_list(e)
    return content, tuple(factors)


def elimination_rank(s: sp.Symbol) -> tuple[int, str]:
    """The lex order of elimination: radicals ``R<k>`` first, then half-angle cosines, then the rest, by name."""
    name = s.name
    return (0 if name.startswith("R") and name[1:].isdigit() else 1 if name.startswith("ch_") else 2, name)


@functools.lru_cache(maxsize=512)
def groebner(basis: tuple[sp.Expr, ...], gens: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, ...]:
    """The reduced lex Groebner basis of ``basis`` in the order of ``gens`` (memoised).

    A relation ``c x - p`` with c a nonzero number and ``x`` above every variable of ``p`` is solved for ``x`` first
    and ``x = p / c`` substituted into the others: with the Groebner basis G' of what is left (free of the solved
    variables) and each ``p / c`` reduced modulo G', the solved relations and G' form a Groebner basis (their leading
    terms, the single variables x and those of G', are pairwise coprime, so every S-pair reduces to zero) and a
    reduced one, which is unique: the one Buchberger's algorithm gives for the whole, at a fraction of its cost when
    most relations name an inner product's value."""
    rank = {x: k for k, x in enumerate(gens)}          # the first of ``gens`` is the greatest
    polys = [sp.expand(b) for b in basis]
    if any(not p.is_polynomial(*gens) or not p.free_symbols <= rank.keys() for p in polys):
        # A parameter outside ``gens`` (a coefficient to SymPy) or a non-polynomial relation: SymPy's own answer.
        return tuple(sp.groebner(polys, *gens, order="lex").exprs)
    solved: dict[sp.Symbol, sp.Expr] = {}
    while (found := _solvable(polys, rank)) is not None:
        k, x, value = found
        polys = [sp.expand(f.xreplace({x: value})) for i, f in enumerate(polys) if i != k]
        solved = {y: sp.expand(p.xreplace({x: value})) for y, p in solved.items()}
        solved[x] = value
    rest = [f for f in polys if f != 0]
    if any(f.is_number for f in rest):       # a nonzero constant: the relations have no common zero
        return (sp.Integer(1),)
    left = tuple(x for x in gens if x not in solved)
    reduced = tuple(sp.groebner(rest, *left, order="lex").exprs) if rest else ()
    if reduced == (1,):
        return reduced
    return (*(x - (divide(p, reduced, left)[1] if reduced else p) for x, p in sorted(solved.items(),
                                                                                   key=lambda xp: rank[xp[0]])),
            *reduced)


def _solvable(polys: list[sp.Expr], rank: dict[sp.Symbol, int]) -> tuple[int, sp.Symbol, sp.Expr] | None:
    """The first relation ``c x - p`` of ``polys`` whose greatest variable ``x`` occurs once, linearly, times a
    number: its index, ``x`` and ``p / c``; None when there is none."""
    for k, f in enumerate(polys):
        symbols = [x for x in f.free_symbols if x in rank]
        if not symbols or len(symbols) != len(f.free_symbols):
            continue
        x = min(symbols, key=rank.__getitem__)
        c = f.coeff(x, 1)
        if c.is_number and c != 0 and not (f - c * x).has(x):
            return k, x, sp.expand((c * x - f) / c)
    return None


def _cofactors(num: sp.Expr, alg: Algebra) -> Cofactors | None:
    """Cofactors of ``num`` over the relations themselves (not the Groebner basis), by division in
    the elimination order; ``None`` when plain division does not reach zero."""
    # A relation that expands to zero (a proved fact that is an identity) divides nothing.
    gens_rel = [g for g in (sp.expand(r) for r in alg.relations) if g != 0]
    if not gens_rel:
        return None
    symbols = set().union(*(g.free_symbols for g in gens_rel), num.free_symbols)
    gens = sorted(symbols, key=elimination_rank)
    try:
        q, r = divide(num, tuple(gens_rel), tuple(gens))
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        return None
    if sp.expand(r) != 0:
        return None
    cert = Cofactors(num, tuple(gens_rel), tuple(q))
    return cert if cert.verify() else None


def identity(entries: list[sp.Expr], alg: Algebra) -> tuple[bool, list[Cofactors]]:
    """Each entry is zero modulo the relations (numerators only; denominators are obligations)."""
    certs: list[Cofactors] = []
    for x in entries:
        e = alg.algebraize(x)
        num, _ = sp.fraction(together(sp.expand(e)))
        num = sp.expand(num)
        if num == 0:
            continue
        # Cofactors over the relations themselves, verified by expansion, prove membership in their ideal;
        # only when plain division does not reach zero is the Groebner normal form (slower) needed.
        c = _cofactors(num, alg)
        if c is not None:
            certs.append(c)
        elif sp.expand(normal_form(num, alg.relations)) != 0:
            return False, certs
    return True, certs


def prepare(entries: list[sp.Expr]) -> list[sp.Expr]:
    """The entries with Gamma ratios simplified and powers split, ready to algebraise."""
    # Gamma-function ratios (Beta moments) reduce to rational functions; d^(x - 1/2) splits into
    # d^x d^(-1/2) so that the radical is seen.
    return [sp.expand_power_exp(sp.gammasimp(e) if e.has(sp.gamma) else e) for e in entries]


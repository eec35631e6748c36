"""Signs and obligations: ``e rel 0`` decided by SymPy first, then by z3 and cvc5 on a generated SMT-LIB query.

A step's obligations (radicands >= 0, denominators != 0, declared signs) are discharged here under the hypotheses
of an :class:`~derive.algebra.Algebra`.  A solver's ``sat`` is a counterexample only when the query states every
hypothesis exactly: no fact left out, no pi, exponential or logarithm relaxed to a symbol, no integer read as a
real.
"""
from __future__ import annotations

import functools
import math

from dataclasses import dataclass
from typing import NamedTuple

import sympy as sp

from derive import smt
from derive.algebra import Algebra, factored, normal_form
from derive.core import Discharge, Obligation, ObligationCheck
from derive.together import together

__all__ = ["decide_sign", "discharge", "discharge_all"]


def _memoised(fn):
    """``fn`` memoised on its arguments, when they are hashable (a mutable matrix is not: then it is just called)."""
    cached = functools.lru_cache(maxsize=4096)(fn)

    @functools.wraps(fn)
    def call(*args):
        try:
            hash(args)
        except TypeError:
            return fn(*args)
        return cached(*args)
    return call


def _sympy_sign(e: sp.Expr, rel: str, alg: Algebra) -> Discharge | None:
    """``e rel 0`` decided by SymPy's assumptions, on ``e`` and on its factored normal form modulo the usable
    relations; ``None`` when neither decides it."""
    return _sympy_sign_under(e, rel, tuple(alg.usable()))


# Memoised: the obligations of a chain's steps ask the same signs under the same relations again (measured: a third
# of the calls of an audit).  A pure function of its arguments: the expression (its symbols' assumptions included,
# which SymPy's assumptions read), the relation and the relations the normal form is taken modulo.
@_memoised
def _sympy_sign_under(e: sp.Expr, rel: str, relations: tuple[sp.Expr, ...]) -> Discharge | None:
    """:func:`_sympy_sign` under ``relations``, the usable relations of the algebra."""
    def decide(x: sp.Expr) -> Discharge | None:
        if rel == ">":
            return Discharge.SYMPY if x.is_positive else Discharge.REFUTED if x.is_nonpositive else None
        if rel == ">=":
            return Discharge.SYMPY if x.is_nonnegative else Discharge.REFUTED if x.is_negative else None
        if rel == "!=":
            return Discharge.SYMPY if x.is_nonzero else Discharge.REFUTED if x.is_zero else None
        return Discharge.SYMPY if x.is_zero else Discharge.REFUTED if x.is_nonzero else None

    got = decide(e)
    if got is not None:
        return got
    try:
        nf = normal_form(e, list(relations))
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        return None
    if nf == 0:
        return Discharge.SYMPY if rel in (">=", "=") else Discharge.REFUTED
    return decide(factored(nf))


def _point(q: smt.Query, model: dict, hyp: _Hypotheses) -> tuple[tuple[str, str], ...]:
    """A solver's model under the derivation's own symbols (angles from their half-angle sines)."""
    out = {str(s): str(v) for s, v in model.items() if s is not None and not s.name.startswith(("R", "sh_", "ch_"))}
    for a, (sh, ch) in hyp.half:
        if sh in model and ch in model:
            out[str(a)] = repr(2 * math.atan2(float(model[sh]), float(model[ch])))
    return tuple(sorted(out.items()))


class Outcome(NamedTuple):
    """How a sign was decided: the verdict, the solvers' words, the query sent, a counterexample point, and the
    queries of the parts it was decided from, each with what it decides (a quotient's denominator and numerator, or
    the numerator's factors; none for a direct decision)."""

    how: Discharge
    detail: str
    query: smt.Query | None
    point: tuple[tuple[str, str], ...] | None
    parts: tuple[tuple[str, smt.Query], ...] = ()


_PROVED = (Discharge.SYMPY, Discharge.SMT)


def decide_sign(e: sp.Expr, rel: str, alg: Algebra, depth: int = 0, record: list | None = None) -> Discharge:
    """Decide ``e rel 0`` under the hypotheses of ``alg`` (``e`` already algebraised); ``record`` receives the
    :class:`Outcome`.

    Exponentials are replaced by positive symbols first: a sign that holds for every positive value
    of each exponential holds for its actual value.  Then SymPy decides, else (at depth 0) a quotient or product by
    its parts, else the solvers (see :func:`_decided`)."""
    e, relaxed = _relax_exponentials(e)
    if depth < 2:
        e = _relax_logarithms(e, alg, depth)
    outcome = _decided(e, rel, alg, relaxed, depth)
    if record is not None:
        record.append(outcome)
    return outcome.how


def _decided(e: sp.Expr, rel: str, alg: Algebra, relaxed: bool, depth: int) -> Outcome:
    """``e rel 0`` by SymPy; then, for a quotient or a product (:func:`_composite`), by :func:`_quotient_sign`
    before the solvers see the whole: nonlinear arithmetic on the whole can spend a solver's full time where the
    parts take a fraction of a second (measured: 8 s against 0.3 s for Prop 6.5's 1 - cos^2(theta) >= 0, as a
    quotient and as a product); then by the solvers, and a polynomial left open by its factors."""
    got = _sympy_sign(e, rel, alg)
    if got is not None:
        return Outcome(got, "", None, None)
    parts_first = depth == 0 and _composite(e)
    if parts_first and (quotient := _quotient_sign(e, rel, alg, relaxed)):
        return quotient
    outcome = _solver_sign(e, rel, alg, relaxed)
    if outcome.how is Discharge.OPEN and depth == 0 and not parts_first:   # the parts were not tried yet
        return _quotient_sign(e, rel, alg, relaxed) or outcome
    return outcome


def _composite(e: sp.Expr) -> bool:
    """Whether ``e`` is, as written, a quotient by a non-constant denominator or a product of two or more
    non-constant factors: the forms :func:`_quotient_sign` decomposes."""
    n, d = sp.fraction(together(e))
    return bool(sp.sympify(d).free_symbols) or sum(1 for f in sp.Mul.make_args(n) if f.free_symbols) >= 2


def _direct_sign(e: sp.Expr, rel: str, alg: Algebra, relaxed: bool) -> Outcome:
    """``e rel 0`` by SymPy, else by the solvers."""
    got = _sympy_sign(e, rel, alg)
    return Outcome(got, "", None, None) if got is not None else _solver_sign(e, rel, alg, relaxed)


def _quotient_sign(e: sp.Expr, rel: str, alg: Algebra, relaxed: bool) -> Outcome | None:
    """``e rel 0`` for ``e = n/d`` (brought together) from decisions under the same hypotheses: ``d > 0`` proved,
    then ``e rel 0`` iff ``n rel 0`` (with ``d < 0`` proved, iff ``-n rel 0``: ``-n/-d`` is the same quotient).  A
    proof of both is a proof of ``e rel 0``; a refutation of the numerator's sign is one of ``e``'s, under the usual
    rule (a solver's model counts only when its query stated every hypothesis exactly), for ``d`` has its proved
    sign at every point of the hypotheses.  The numerator's sign is tried by its factors first
    (:func:`_factor_signs`), then as a whole; with ``d`` a constant, ``e`` is a product decided by its factors.
    ``None`` when neither sign of ``d`` is proved or when the numerator's sign stays open.

    The solvers may leave the quotient open where each part is decided: clearing the denominator, or seeing the
    numerator as a product of factors of known sign, is then theirs to find, and nonlinear arithmetic does not find
    it reliably."""
    n, d = sp.fraction(together(e))
    if not sp.sympify(d).free_symbols:
        return _product_sign(n / d, rel, alg, relaxed)
    signed = next(((num, den, side, got) for num, den, side in ((n, d, ">"), (-n, -d, "<"))
                   if (got := _direct_sign(den, ">", alg, relaxed)).how in _PROVED), None)
    if signed is None:
        return None
    num, den, side, den_sign = signed
    decided = [("the denominator", den_sign, den, ">")]
    # The factors first: each is a small query, where the whole numerator may cost the solvers their full time.
    factors = _factor_signs(num, rel, alg, relaxed)
    if factors is not None:
        num_sign = Outcome(Discharge.SMT, "", None, None)
        decided += [(f"factor {i + 1} of the numerator", *f) for i, f in enumerate(factors)]
    else:
        num_sign = _direct_sign(num, rel, alg, relaxed)
        if num_sign.how is Discharge.OPEN:
            return None
        decided.append(("the numerator", num_sign, num, rel))
    queries = tuple((label, _query_of(got, x, r, alg)) for label, got, x, r in decided)
    parts = queries if all(q is not None for _, q in queries) else ()
    words = f"quotient: denominator {side} 0 ({den_sign.detail or 'SymPy'})"
    if num_sign.how is Discharge.REFUTED:
        return Outcome(Discharge.REFUTED, f"{words}, numerator's sign refuted ({num_sign.detail or 'SymPy'})",
                       num_sign.query, num_sign.point, parts)
    hows = {got.how for _, got, _, _ in decided}
    how = Discharge.SMT if Discharge.SMT in hows else Discharge.SYMPY
    # No part decided: every factor of the numerator is an even power, nonnegative whatever its sign.
    why = ", ".join(got.detail or "SymPy" for _, got, _, _ in decided[1:]) or "every factor an even power"
    return Outcome(how, f"{words}, numerator's sign ({why})", None, None, parts)


def _product_sign(n: sp.Expr, rel: str, alg: Algebra, relaxed: bool) -> Outcome | None:
    """``n rel 0`` for a polynomial ``n`` from its factors' signs (:func:`_factor_signs`); ``None`` when they do
    not decide it."""
    factors = _factor_signs(n, rel, alg, relaxed)
    if factors is None:
        return None
    parts = tuple((f"factor {i + 1}", _query_of(got, x, r, alg)) for i, (got, x, r) in enumerate(factors))
    how = Discharge.SMT if any(got.how is Discharge.SMT for got, _, _ in factors) else Discharge.SYMPY
    why = ", ".join(got.detail or "SymPy" for got, _, _ in factors) or "every factor an even power"
    return Outcome(how, f"product: each factor's sign ({why})", None, None,
                   parts if all(q is not None for _, q in parts) else ())


def _factor_signs(n: sp.Expr, rel: str, alg: Algebra, relaxed: bool
                  ) -> list[tuple[Outcome, sp.Expr, str]] | None:
    """``n rel 0`` (``rel`` one of ``>``, ``>=``) from the signs of the factors of ``n = c prod f_i^k_i``: each
    odd-power factor with ``s_i f_i rel 0`` proved for a sign ``s_i``, each even-power one nonzero (for ``>``; for
    ``>=`` an even power is nonnegative anyway), and ``c prod s_i > 0``.  The decisions made, or ``None`` when a
    factor's sign stays open or the signs multiply to the wrong one (no refutation either: a factor may vanish)."""
    if rel not in (">", ">="):
        return None
    try:
        c, factors = sp.factor_list(n)
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        return None
    if sum(k for _, k in factors) < 2 or not c.is_number:
        return None
    sign, decided = sp.sign(c), []
    for f, k in factors:
        if k % 2 == 0 and rel == ">=":
            continue
        tries = ((f, "!="),) if k % 2 == 0 else ((f, rel), (-f, rel))
        got = next(((x, r, o) for x, r in tries if (o := _direct_sign(x, r, alg, relaxed)).how in _PROVED), None)
        if got is None:
            return None
        x, r, outcome = got
        sign *= -1 if x is not f and k % 2 else 1
        decided.append((outcome, x, r))
    return decided if sign > 0 else None


def _query_of(outcome: Outcome, e: sp.Expr, rel: str, alg: Algebra) -> smt.Query | None:
    """The query of a decided part: the solvers' own, or (decided by SymPy) ``e rel 0`` under every fact, so that
    each part of a quotient's decision can be certified; ``None`` when ``e`` is no polynomial the solvers read."""
    if outcome.query is not None or outcome.how is not Discharge.SYMPY:
        return outcome.query
    try:
        return smt.build_query((e, rel), alg.all_facts())
    except (smt.NotPolynomial, sp.PolynomialError, TypeError):
        return None


def _relax_exponentials(e: sp.Expr) -> tuple[sp.Expr, bool]:
    """``e`` with each exponential a positive symbol, and whether the goal was relaxed (an exponential or a
    logarithm in it: the solvers then see a symbol in its place)."""
    exps = sorted(sp.sympify(e).atoms(sp.exp), key=str)
    relaxed = bool(exps) or bool(sp.sympify(e).atoms(sp.log))
    if exps:
        e = sp.sympify(e).xreplace({x: sp.Dummy(f"E{i}", positive=True) for i, x in enumerate(exps)})
    return e, relaxed


def _relax_logarithms(e: sp.Expr, alg: Algebra, depth: int) -> sp.Expr:
    """``log(u)`` as a positive symbol where ``u > 1`` is proved, a nonnegative one where ``u >= 1``; otherwise it
    stays, an unknown real to the solvers."""
    logs = sorted(sp.sympify(e).atoms(sp.log), key=str)
    if not logs:
        return e
    rep = {}
    for i, x in enumerate(logs):
        u = alg.algebraize(x.args[0])
        if decide_sign(u - 1, ">", alg, depth + 1) in (Discharge.SYMPY, Discharge.SMT):
            rep[x] = sp.Dummy(f"L{i}", positive=True)
        elif decide_sign(u - 1, ">=", alg, depth + 1) in (Discharge.SYMPY, Discharge.SMT):
            rep[x] = sp.Dummy(f"L{i}", nonnegative=True)
    return sp.sympify(e).xreplace(rep)


@dataclass(frozen=True)
class _Hypotheses:
    """All that a solver query reads of an algebra besides its goal: the facts (the usable relations and the
    hypotheses), whether none was left out, the angles (in (0, pi) and in [0, pi]) and their half-angle symbols."""

    facts: tuple[tuple[sp.Expr, str], ...]
    complete: bool
    angles: tuple[sp.Symbol, ...]
    closed_angles: tuple[sp.Symbol, ...]
    half: tuple[tuple[sp.Symbol, tuple[sp.Symbol, sp.Symbol]], ...]

    @classmethod
    def of(cls, alg: Algebra) -> _Hypotheses:
        return cls(tuple(alg.all_facts()), alg.complete, tuple(alg.deriv.angles), tuple(alg.deriv.closed_angles),
                   tuple(alg.half.items()))


def _solver_sign(e: sp.Expr, rel: str, alg: Algebra, relaxed: bool) -> Outcome:
    """``e rel 0`` by z3 and cvc5: unsat of its negation proves it; sat refutes it only when the query is exact."""
    return _solver_sign_under(e, rel, _Hypotheses.of(alg), relaxed)


# Memoised: a chain's steps owe the same signs under the same hypotheses again (measured: a third of the solver
# calls of an audit).  A pure function of its arguments, as the solvers' answers on one query text are (memoised in
# derive.smt).
@_memoised
def _solver_sign_under(e: sp.Expr, rel: str, hyp: _Hypotheses, relaxed: bool) -> Outcome:
    """:func:`_solver_sign` under ``hyp``."""
    try:
        q, answer, model = _ask_solvers(e, rel, hyp, relaxed)
    except smt.NotPolynomial:
        return Outcome(Discharge.OPEN, "not polynomial", None, None)
    if answer is smt.Answer.UNSAT:
        return Outcome(Discharge.SMT, "z3 and cvc5: unsat", q, None)
    if answer is smt.Answer.SAT and q.complete and model is not None:
        return Outcome(Discharge.REFUTED, "z3 and cvc5: sat", q, _point(q, model, hyp))
    return Outcome(Discharge.OPEN, f"solvers: {answer.value}", None, None)


def _ask_solvers(e: sp.Expr, rel: str, hyp: _Hypotheses, relaxed: bool
                 ) -> tuple[smt.Query, smt.Answer, dict | None]:
    """The query sent last, the solvers' answer and their model.  First only the facts about the goal's own
    symbols (a smaller query the solvers decide fast; unsat there is unsat with more facts), then every fact
    (only then is sat a refutation)."""
    facts = list(hyp.facts)
    e, facts, exact = _without_pi(sp.sympify(e), facts, hyp)
    # An exponential or logarithm made a free symbol relaxes the goal: a model of the relaxed query need not
    # be a point (E0 = 1/2 for exp(-x/2000) is one, exp(x^2) = 1/2 would not be).
    complete = hyp.complete and exact and not relaxed
    integer_facts = _integer_facts(e, facts)
    if integer_facts:
        facts = facts + integer_facts
        complete = False
    goal_symbols = sp.sympify(e).free_symbols
    local = [f for f in facts if sp.sympify(f[0]).free_symbols <= goal_symbols]
    # With every fact local, the local query is the full one: its sat is a counterexample as much as the
    # full query's would be (x - y != 0 with no hypothesis at all is refuted by x = y).
    q = smt.build_query((e, rel), local, complete=complete and len(local) == len(facts))
    answer, model = smt.decide(q)
    if answer is smt.Answer.SAT and len(local) < len(facts):
        q = smt.build_query((e, rel), facts, complete=complete)
        answer, model = smt.decide(q)
    return q, answer, model


def _integer_facts(e: sp.Expr, facts: list[tuple[sp.Expr, str]]) -> list[tuple[sp.Expr, str]]:
    """``k (k - 1) >= 0`` for each integer symbol ``k`` of the query.  The solvers reason over the reals: an integer
    symbol's model may be 1/2; no integer lies strictly between 0 and 1, so these hold, and a model of a query
    with them is then no counterexample."""
    integers = sorted({t for t in sp.sympify(e).free_symbols.union(*(sp.sympify(f).free_symbols for f, _ in facts))
                       if t.is_integer}, key=str)
    return [(t * (t - 1), ">=") for t in integers]


# pi lies strictly between these rationals; in a query pi is a symbol confined to them.
_PI_BOUNDS = (sp.Rational(314159265, 10**8), sp.Rational(314159266, 10**8))


def _without_pi(e: sp.Expr, facts: list[tuple[sp.Expr, str]],
                hyp: _Hypotheses) -> tuple[sp.Expr, list[tuple[sp.Expr, str]], bool]:
    """``e`` and ``facts`` with pi a symbol ``P`` in ``_PI_BOUNDS``, and each angle's range ``0 < a < P`` a fact
    when the goal holds ``pi`` or an angle itself (not its sine or cosine).  What holds for every such ``P`` holds
    for pi; a model is no counterexample (its ``P`` is not pi), so the third value says whether none was made."""
    angles = set(hyp.angles) | set(hyp.closed_angles)
    if not (e.has(sp.pi) or e.free_symbols & angles or any(sp.sympify(f).has(sp.pi) for f, _ in facts)):
        return e, facts, True
    P = sp.Dummy("P", positive=True)
    lo, hi = _PI_BOUNDS
    fix = [(sp.sympify(f).xreplace({sp.pi: P}), r) for f, r in facts]
    fix += [(P - lo, ">"), (hi - P, ">")]
    fix += [f for a in hyp.angles for f in ((a, ">"), (P - a, ">"))]
    fix += [f for a in hyp.closed_angles for f in ((a, ">="), (P - a, ">="))]
    return e.xreplace({sp.pi: P}), fix, False


def discharge(ob: Obligation, alg: Algebra) -> ObligationCheck:
    """Decide one obligation.  A radicand is decided from the radicals made before it only (see
    :meth:`Algebra.usable`)."""
    try:
        e = alg.algebraize(ob.expr)
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        return ObligationCheck(ob, Discharge.OPEN, "not algebraic")
    record: list = []
    prev = alg.upto
    if ob.kind == "radicand" and ob.expr in alg.replace:
        alg.upto = list(alg.replace).index(ob.expr)
    try:
        decide_sign(e, ob.rel, alg, record=record)
    finally:
        alg.upto = prev
    got = record[-1]
    return ObligationCheck(ob, got.how, got.detail, got.query, got.point, got.parts)


def discharge_all(obligations: list[Obligation], alg: Algebra) -> list[ObligationCheck]:
    """Discharge every obligation; algebraising one may introduce radicals, whose radicands are new ones."""
    out: list[ObligationCheck] = []
    seen: set[tuple[str, str]] = set()
    # The radicands of the radicals already introduced (by the hypotheses as facts, by the step's proof) too:
    # a relation R^2 = X with X < 0 makes the solvers' facts inconsistent, and then every sign "follows".
    queue = list(obligations) + list(alg.obligations)
    while queue:
        ob = queue.pop(0)
        key = (sp.srepr(ob.expr), ob.rel)
        if key in seen:
            continue
        seen.add(key)
        n = len(alg.obligations)
        out.append(discharge(ob, alg))
        queue += alg.obligations[n:]
    return out


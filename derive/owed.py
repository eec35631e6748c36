"""What a step that reaches beyond its own two sides owes, besides its identity: a cited lemma's hypotheses, angle
ranges and the declared signs of the symbols it substitutes; an optimum's bound over exactly its problem's feasible
set and its attaining point's feasibility; a solution's definedness, declared signs and uniqueness; an order of
decay's positive factor, vanishing small terms and positive finite limit.

Each function returns obligations (or why the step is no instance of its rule) for :mod:`derive.rules`'s checkers,
which discharge them; nothing here decides a step.
"""
from __future__ import annotations

import sympy as sp

from derive.algebra import Algebra, as_fact, as_relation, identity, raw_obligations
from derive.core import Derivation, Obligation, Optimum, Order, Solution

__all__ = ["solution_obligations", "uniqueness", "split_implication", "substituted_signs", "angle_obligations",
           "lemma_hypotheses", "bound_misfit", "bound_mismatch", "attainment_obligations",
           "order_obligations"]


def solution_obligations(sol: Solution, value: sp.Basic) -> list[Obligation]:
    """What a SOLUTION step owes besides the identities and uniqueness: the radicands and denominators of ``E``
    (``value``), of the point, and of the equations and the value at the point; each unknown's declared sign there."""
    obligations = raw_obligations(sp.sympify(value), "the value")
    for p in sol.point:
        obligations += raw_obligations(sp.sympify(p), "the solving point")
    # The equations and the value are defined at the point: where a denominator of an equation vanishes (g - 1 in
    # u - (g^2 - 1)/(g - 1) = 0), nothing defines the quantity, whatever E is.
    owed = {(o.expr, o.rel) for o in obligations}
    for e in (*sol.equations, sol.value):
        for o in raw_obligations(sol.at_point(e), "the equations and value at the point"):
            if (o.expr, o.rel) not in owed:
                owed.add((o.expr, o.rel))
                obligations.append(o)
    # Every sign declared, the negative ones too: a nonpositive unknown is the other root of a norm's equation.
    obligations += [Obligation("sign of the unknown", side * sp.sympify(p), rel, f"{u} at the point")
                    for u, p in zip(sol.unknowns, sol.point, strict=True)
                    for flag, side, rel in (("positive", 1, ">"), ("nonnegative", 1, ">="), ("negative", -1, ">"),
                                            ("nonpositive", -1, ">="), ("nonzero", 1, "!="))
                    if getattr(u, f"is_{flag}")]
    return obligations


def uniqueness(sol: Solution) -> list[Obligation] | None:
    """What makes the equations' solution unique (so the value at the point is the quantity's): for equations linear
    in the unknowns, a nonzero Jacobian determinant (an obligation); for one unknown ``u`` and one equation
    ``c u^2 + e = 0``, ``u``'s declared sign (a nonnegative or positive ``u`` is the one root ``sqrt(-e/c)``, a
    nonpositive or negative one ``-sqrt(-e/c)``) with ``c != 0``.  None when neither applies.  Both are read from the
    equations as polynomials in the unknowns: a derivative free of the unknowns does not make an equation linear
    (``arg(u)`` and a step function of ``u`` have derivative 0, and ``u + arg(u) = 1`` has two solutions)."""
    polys = _polynomials(sol.equations, sol.unknowns)
    if polys is None:
        return None
    if len(polys) == len(sol.unknowns) and all(p.total_degree() <= 1 for p in polys):
        jac = sp.Matrix(sol.equations).jacobian(sp.Matrix(sol.unknowns))
        return [Obligation("unique solution", jac.det(), "!=", "the defining equations have one solution")]
    if len(sol.unknowns) == 1 and len(polys) == 1:
        (u,), (poly,) = sol.unknowns, polys
        signed = any(getattr(u, f"is_{flag}") for flag in ("nonnegative", "positive", "nonpositive", "negative"))
        if poly.degree() == 2 and poly.coeff_monomial(u) == 0 and signed:
            return [Obligation("unique solution", poly.coeff_monomial(u**2), "!=", f"{u}^2 has a coefficient")]
    return None


def _polynomials(equations: tuple[sp.Expr, ...], unknowns: tuple[sp.Symbol, ...]) -> list[sp.Poly] | None:
    """The equations as polynomials in the unknowns (coefficients free of them); None when one is not."""
    try:
        return [sp.Poly(e, *unknowns) for e in equations]
    except sp.PolynomialError:
        return None


def split_implication(conclusion: sp.Basic) -> tuple[tuple[sp.Basic, ...], sp.Basic]:
    """A lemma's conclusion ``premises => relation`` as its premises and its relation (no premises when it is a
    plain relation)."""
    if isinstance(conclusion, sp.Implies):
        return sp.And.make_args(conclusion.args[0]), conclusion.args[1]
    return (), conclusion


def substituted_signs(lemma: Derivation, sub: dict) -> list[Obligation]:
    """The declared sign of each of the lemma's symbols that ``sub`` replaces, owed by its value unless SymPy
    already knows the value has it."""
    out = []
    for k, v in sub.items():
        for flag, rel in (("positive", ">"), ("nonnegative", ">="), ("nonzero", "!=")):
            if getattr(k, f"is_{flag}") and not getattr(sp.sympify(v), f"is_{flag}"):
                out.append(Obligation("substituted symbol", sp.sympify(v), rel, f"{lemma.claim}: {k} {flag}"))
        for flag, rel in (("negative", ">"), ("nonpositive", ">=")):
            if getattr(k, f"is_{flag}") and not getattr(sp.sympify(v), f"is_{flag}"):
                out.append(Obligation("substituted symbol", -sp.sympify(v), rel, f"{lemma.claim}: {k} {flag}"))
    return out


def angle_obligations(lemma: Derivation, sub: dict, deriv: Derivation) -> list[Obligation]:
    """``0 < a < pi`` for each angle ``a`` of ``lemma`` under ``sub`` (``0 <= a <= pi`` for a closed one); nothing for
    an angle that stays an angle of ``deriv`` with a range inside the lemma's."""
    out = []
    for a in (*lemma.angles, *lemma.closed_angles):
        v = sp.sympify(sub.get(a, a))
        closed = a in lemma.closed_angles
        if v in deriv.angles or (closed and v in deriv.closed_angles):
            continue
        rel, where = (">=", "[0, pi]") if closed else (">", "(0, pi)")
        out += [Obligation("lemma angle", v, rel, f"{lemma.claim}: {a} in {where}"),
                Obligation("lemma angle", sp.pi - v, rel, f"{lemma.claim}: {a} in {where}")]
    return out


def lemma_hypotheses(lemma: Derivation, bound: set, sub: dict) -> list[Obligation]:
    """The cited lemma's hypotheses that are not about its bound variables, under ``sub``: obligations here."""
    obligations = []
    for cond in lemma.domain:
        fact = as_relation(cond)
        if fact is None:
            continue
        e = sp.sympify(fact[0]).subs(sub, simultaneous=True)
        if not (e.free_symbols & bound) and not (set(fact[0].free_symbols) & bound):
            obligations.append(Obligation("lemma hypothesis", e, fact[1], f"{lemma.claim}: {cond}"))
    return obligations


def bound_misfit(lemma: Derivation, deriv: Derivation, opt: Optimum, named: set[sp.Symbol]) -> str | None:
    """Why the cited lemma is no upper bound over exactly the problem's feasible set (``named``: the symbols of
    ``F(args)`` and of its value); ``None`` when it is one."""
    if lemma.angles:
        return f"{lemma.claim} takes its angles in (0, pi), a range the problem does not state"
    # An angle the bound takes in [0, pi] is a parameter's range: this chain must take it there too (and its scope
    # then asks the statement for it).
    loose = [a for a in lemma.closed_angles if a not in deriv.closed_angles and a not in deriv.angles]
    if loose:
        return f"{lemma.claim} takes {loose[0]} in [0, pi], which this chain does not"
    # The lemma's side relations may only define objects of its own (a slack u = E): a relation among the
    # problem's variables or parameters would be an assumption the problem does not make.
    mine = set(opt.variables) | named
    for rel in lemma.relations:
        rel = sp.sympify(rel)
        own = [u for u in rel.free_symbols - mine
               if not rel.diff(u).free_symbols and rel.diff(u) != 0 and u not in (rel - rel.diff(u) * u).free_symbols]
        if not own:
            return f"the relation {rel} = 0 of {lemma.claim} restricts the problem"
    premises, conclusion = split_implication(lemma.conclusion)
    if not isinstance(conclusion, sp.LessThan) or set(lemma.bound) != set(opt.variables):
        return (f"{lemma.claim} must prove objective <= E for every value of {opt.variables} (it proves "
                f"{conclusion} for every {lemma.bound})")
    extra = [p for p in premises if p not in opt.constraints]
    if extra:
        return f"the bound of {lemma.claim} assumes {extra[0]}, not a constraint"
    return None


def bound_mismatch(lemma: Derivation, opt: Optimum, value: sp.Expr, alg: Algebra) -> str | None:
    """Why the lemma's ``lhs <= rhs`` is not ``objective <= value`` (each side an identity); ``None`` when it is."""
    _, conclusion = split_implication(lemma.conclusion)
    if not identity([sp.sympify(conclusion.lhs) - opt.objective], alg)[0]:
        return f"{lemma.claim} bounds {conclusion.lhs}, not the objective"
    if not identity([sp.sympify(conclusion.rhs) - value], alg)[0]:
        return f"{lemma.claim} bounds the objective by {conclusion.rhs}, not {value}"
    return None


def attainment_obligations(opt: Optimum, value: sp.Expr) -> list[Obligation] | None:
    """What the value and the attaining point owe: their radicands and denominators (a maximum sqrt(b) exists only
    where b >= 0), and each constraint at the point; ``None`` when a constraint is no relation the checker can
    state.  The feasibility witness is each constraint at the point as built, not as SymPy evaluates it:
    sqrt(b)^2 <= b would become b <= b, true for every b, its radicand gone."""
    obligations = raw_obligations(value, "the maximum's value")
    for p in opt.point:
        obligations += raw_obligations(sp.sympify(p), "the attaining point")
    feasible = [Obligation("feasible point", _unevaluated_at(opt, fact[0]), fact[1], f"constraint {c}")
                for c in opt.constraints if (fact := as_fact(c)) is not None]
    if len(feasible) != len(opt.constraints):
        return None
    obligations += feasible
    for f in feasible:
        obligations += raw_obligations(f.expr, "the constraint at the point")
    return obligations


def _unevaluated_at(opt: Optimum, e: sp.Expr) -> sp.Expr:
    """``e`` at ``opt.point`` as built: no automatic evaluation merges a point's root with a power of it."""
    with sp.evaluate(False):
        return sp.sympify(e).xreplace(dict(zip(opt.variables, opt.point, strict=False)))


def order_obligations(order: Order) -> list[Obligation] | str:
    """What ``expr = c d^(-a) h(1/d, d^(-e_1), ...)`` owes for kappa(expr) = a (``order``; the identity aside):
    ``c > 0`` and each ``e_i > 0`` (so each ``u_i = d^(-e_i) -> 0``), and ``h = P/Q`` (polynomials in ``x = 1/d`` and
    the ``u_i``) continuous at 0 with a positive value there: ``Q(0) != 0`` and ``P(0) Q(0) > 0``; then
    ``h -> P(0)/Q(0)`` in (0, oo) and ``log(c h) / log d -> 0``.  The radicands and denominators of ``c``, ``a``, the
    ``e_i`` and the coefficients of ``P`` and ``Q`` are owed too.  Why the data is no instance of the rule (a string)
    when ``c``, ``a`` or an ``e_i`` depends on ``d``, the symbols ``d``, ``x``, ``u_i`` are not distinct, or ``h`` is
    not rational in ``x`` and the ``u_i``."""
    dim, x, small = order.dim, order.x, tuple(order.small)
    us = tuple(u for u, _ in small)
    local = {dim, x, *us}
    if not (isinstance(dim, sp.Symbol) and dim.is_positive) or len(local) != 2 + len(us) or \
            not all(isinstance(s, sp.Symbol) for s in local) or not (isinstance(order.root, int) and order.root >= 1):
        return "the dimension must be a positive symbol, x and the u_i distinct symbols, the root a positive integer"
    for what, e in (("the factor", order.factor), ("the exponent", order.exponent), *(("a small exponent", e)
                                                                                      for _, e in small)):
        if sp.sympify(e).free_symbols & local:
            return f"{what} {e} depends on {dim}, x or a u_i"
    if dim in sp.sympify(order.rest).free_symbols:
        return f"the rest {order.rest} must be written in x = 1/{dim} and the u_i, not in {dim}"
    num, den = sp.fraction(sp.together(sp.sympify(order.rest)))
    try:
        P, Q = sp.Poly(num, x, *us), sp.Poly(den, x, *us)
    except sp.PolynomialError:
        return f"the rest {order.rest} is not a rational function of x and the u_i"
    at_zero = {s: 0 for s in (x, *us)}
    p0, q0 = P.as_expr().xreplace(at_zero), Q.as_expr().xreplace(at_zero)
    obligations = raw_obligations(sp.sympify(order.factor), "the factor")
    obligations += raw_obligations(sp.sympify(order.exponent), "the exponent")
    obligations.append(Obligation("order factor", sp.sympify(order.factor), ">", "c > 0"))
    for u, e in small:
        obligations += raw_obligations(sp.sympify(e), f"the exponent of {u}")
        obligations.append(Obligation("order small term", sp.sympify(e), ">", f"{u} = {dim}^(-({e})) -> 0"))
    # Each coefficient is defined (a root of a parameter that can go negative leaves h complex at every d).
    for coeff in (*P.coeffs(), *Q.coeffs()):
        obligations += raw_obligations(sp.sympify(coeff), "a coefficient of the rest")
    obligations.append(Obligation("order limit", q0, "!=", "the rest is continuous at x = u = 0"))
    obligations.append(Obligation("order limit", sp.expand(p0 * q0), ">", "the rest's limit is positive"))
    return obligations

"""Checking a chain: each step's rule has one checker, registered in :data:`CHECKERS`.

Before its rule is checked a step must be a link of its chain: its left side the previous right side, or a
declared restart (a squared step squares the previous relation), and the hypotheses must be consistent.  Each
checker then checks its rule's side conditions (that the step is an instance of the rule), proves the step, and
discharges the step's obligations; what is not proved symbolically is tested numerically
(:func:`derive.numeric.numeric_check`) and is at most numeric-only.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import sympy as sp

from derive.algebra import Algebra, as_relation, identity, normal_form, prepare, raw_obligations
from derive.consistency import consistency, slack_checks
from derive.core import (Cofactors, Derivation, Discharge, Obligation, ObligationCheck, Op, Optimum, Order, Rule,
                         Solution, Start, Status, Step, StepCheck, per_derivation, segment_start)
from derive.expressions import differences, evaluate, has_unevaluated, is_matrix_expr, same
from derive.inner_products import table_of
from derive import owed
from derive.numeric import numeric_check
from derive.signs import decide_sign, discharge_all

__all__ = ["CHECKERS", "Case", "check_all", "check_step", "checked_under"]

# What the checker cannot process (a non-polynomial generator, an unsupported operation) fails the step.
_UNPROCESSABLE = (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed,
                  NotImplementedError, TypeError)


@dataclass(frozen=True)
class Case:
    """A step to check as the ``index``-th link of ``deriv``'s chain, where its segment starts, and the
    consistency of the hypotheses (every step owes it)."""

    step: Step
    deriv: Derivation
    index: int
    link: Start
    consistency: ObligationCheck

    @property
    def previous(self) -> Step | None:
        """The step before this one in the chain (``None`` for the first)."""
        return self.deriv.chain[self.index - 1] if self.index > 0 else None


@per_derivation
def _check_all_cached(deriv_id: int, deriv: Derivation) -> tuple[tuple[StepCheck, ...], tuple[Derivation, ...]]:
    """Every step checked in order; a step proved for one instance of a parameter only is numeric-only.  With named
    inner products, a scalar step is checked under the facts the steps before it proved: the relations of the matrix
    steps and the inequalities of the scalar ones (a scalar identity follows from the relations and hypotheses it was
    proved from, and adds nothing)."""
    out: list[StepCheck] = []
    under: list[Derivation] = []
    facts: list[sp.Basic] = []
    informed, used = deriv, 0
    for i, step in enumerate(deriv.chain):
        scalar = step.checked_rule not in (Rule.MATRIX, Rule.SQUARED_NORM)
        if len(facts) != used:
            # One derivation per set of facts (the consistency of its hypotheses is decided once for it).
            informed, used = replace(deriv, relations=(*deriv.relations, *(f for f in facts if not f.is_Relational)),
                                     domain=(*deriv.domain, *(f for f in facts if f.is_Relational))), len(facts)
        under.append(informed if scalar else deriv)
        check = _check_in_chain(step, under[-1], i)
        if deriv.names and check.status is Status.OK and step.instance is None and not (scalar and step.op is Op.EQ):
            facts += _named_fact(step, deriv)
        if step.instance is not None and check.status is Status.OK:
            # Proved exactly, but for one instance of a quantified parameter: not a proof for all values.
            check = StepCheck(step, Status.NUMERIC, f"proved exactly for {step.instance} only, an instance of a"
                              f" parameter the claim quantifies over ({check.method})", "0", check.obligations,
                              check.cofactors, None, check.link)
        out.append(check)
    return tuple(out), tuple(under)


def _named_fact(step: Step, deriv: Derivation) -> list[sp.Basic]:
    """The relation a proved step states between named inner products, as a fact for the later steps: an equation as
    a side relation ``lhs - rhs``, an inequality as a hypothesis; none for a step between matrices or about no name."""
    if isinstance(step.lhs, sp.MatrixExpr) or isinstance(step.rhs, sp.MatrixExpr) or not _names_in(step, deriv):
        return []
    if step.op is Op.EQ:
        gap = sp.expand(step.lhs - step.rhs)
        # A side relation is a polynomial, in the sines and cosines of the derivation's angles too (the algebra writes
        # them in half-angle symbols); an equation with a radical is a hypothesis (algebraised where it is used).
        angles = {*deriv.angles, *deriv.closed_angles}
        trig = {f: sp.Dummy() for f in gap.atoms(sp.sin, sp.cos) if f.args[0] in angles}
        return [gap] if gap.xreplace(trig).is_polynomial() else [sp.Eq(step.lhs, step.rhs, evaluate=False)]
    # Unevaluated: 0 <= tau proved from the matrices is a fact even where tau is declared nonnegative (a slack's
    # declared sign is owed by the facts, not by itself).
    return [(sp.Le if step.op is Op.LE else sp.Lt)(step.lhs, step.rhs, evaluate=False)]


def check_all(deriv: Derivation) -> tuple[StepCheck, ...]:
    """Check every step (and the result) of ``deriv`` in order, as links of its chain; memoised per derivation."""
    return _check_all_cached(id(deriv), deriv)[0]


def checked_under(deriv: Derivation) -> tuple[Derivation, ...]:
    """For each step of ``deriv``'s chain, the derivation it was checked under: ``deriv`` itself, or with named inner
    products ``deriv`` with the facts the steps before it proved (what a certificate of the step must state)."""
    return _check_all_cached(id(deriv), deriv)[1]


def check_step(step: Step, deriv: Derivation) -> StepCheck:
    """Check one step of ``deriv`` as a link of its chain (the earlier steps are checked too)."""
    for i, s in enumerate(deriv.chain):
        if s is step:
            return check_all(deriv)[i]
    return _check_in_chain(step, deriv, 0)


def _failed(step: Step, why: str, link: Start, obligations=(), point=None) -> StepCheck:
    """A failed step, with why, the obligations checked so far and the point where it fails (if known)."""
    return StepCheck(step, Status.FAILED, why, None, tuple(obligations), (), point, link)


def _check_in_chain(step: Step, deriv: Derivation, i: int) -> StepCheck:
    """The ``i``-th step checked as a link of the chain, then by its rule's checker."""
    link = segment_start(step, i)
    why = _broken_link(step, deriv.chain, i, link)
    if why is not None:
        return _failed(step, why, link)
    cons = consistency(deriv)
    if cons.how is Discharge.REFUTED:
        return _failed(step, f"the hypotheses are inconsistent ({cons.detail}): nothing follows", link, [cons])
    rule = step.checked_rule
    try:
        return CHECKERS[rule](Case(step, deriv, i, link, cons))
    except _UNPROCESSABLE as exc:
        return _failed(step, f"the checker could not process the step ({type(exc).__name__})", link)


def _broken_link(step: Step, chain: tuple[Step, ...], i: int, link: Start) -> str | None:
    """Why the step is no link of the chain (no proof, a broken chain, a restart without its lemma); ``None``
    when it is one."""
    if same(step.lhs, step.rhs):
        return "rejected: both sides are the same expression as built, so the step proves nothing"
    if step.by in (Rule.CITE, Rule.OPTIMUM) and step.cites is None:
        return f"rejected: rule {step.by.name} names no lemma"
    if step.by is Rule.SQUARE:
        prev = chain[i - 1] if i > 0 else None
        if prev is None or not (same(step.lhs, sp.Pow(prev.lhs, 2)) and same(step.rhs, sp.Pow(prev.rhs, 2))
                                and (prev.op is step.op)):
            return "rule SQUARE: the step must be the previous relation with both sides squared"
    elif link is Start.CONTINUE and not same(step.lhs, chain[i - 1].rhs):
        return (f"chain broken: the left side is not the right side of step {chain[i - 1].name!r},"
                " and the step declares no restart")
    if link is Start.LEMMA and step.cites is None:
        return "chain restarts from a lemma but cites none"
    return None


# ---------------------------------------------------------------------------------------------
# Scalar rules: side conditions, then an identity or a sign, then the obligations


@dataclass(frozen=True)
class _Sides:
    """A scalar step's sides as evaluated, the algebra its proof works in, and its obligations so far (the
    radicands and denominators of its sides as built and as evaluated, and of its witness)."""

    alg: Algebra
    obligations: tuple[Obligation, ...]
    lhs: sp.Basic
    rhs: sp.Basic


def _scalar_sides(case: Case) -> _Sides:
    """The step's sides evaluated, a fresh algebra, and the radicands and denominators its sides owe."""
    step = case.step
    alg = Algebra(case.deriv)
    obligations = raw_obligations(step.lhs, "left side") + raw_obligations(step.rhs, "right side")
    lhs_e, rhs_e = evaluate(step.lhs), evaluate(step.rhs)
    obligations += raw_obligations(lhs_e, "left side, evaluated") + raw_obligations(rhs_e, "right side, evaluated")
    if step.witness is not None:
        obligations += raw_obligations(step.witness, "witness")
    return _Sides(alg, tuple(obligations), lhs_e, rhs_e)


def _not_an_identity(case: Case) -> StepCheck | None:
    """An identity rule (ALGEBRA, EVALUATE, SUBSTITUTE, MERGE_ROOTS) proves no inequality."""
    if case.step.op is not Op.EQ:
        return _failed(case.step, f"rule {case.step.checked_rule.name} proves an identity, and the step is an "
                       "inequality", case.link)
    return None


def _not_an_inequality(case: Case) -> StepCheck | None:
    """A sign rule (WITNESS, SIGN) proves no equation."""
    if case.step.op is Op.EQ:
        return _failed(case.step, f"rule {case.step.checked_rule.name} proves an inequality, and the step is an "
                       "equation", case.link)
    return None


def _check_algebra(case: Case) -> StepCheck:
    """``lhs = rhs`` as a polynomial identity modulo the side relations."""
    sides = _scalar_sides(case)
    return _not_an_identity(case) or _prove_scalar(case, sides)


def _check_evaluate(case: Case) -> StepCheck:
    """As ALGEBRA, after evaluating an unevaluated operation a side must hold."""
    sides = _scalar_sides(case)
    step = case.step
    if not (has_unevaluated(step.lhs) or has_unevaluated(step.rhs)):
        return _failed(step, "rule EVALUATE, but neither side holds an operation to evaluate", case.link)
    return _not_an_identity(case) or _prove_scalar(case, sides)


def _check_substitute(case: Case) -> StepCheck:
    """``rhs`` is ``lhs`` with an equation in scope applied (the substitution done here), then an identity."""
    sides = _scalar_sides(case)
    step = case.step
    eq = _scope(step, case.deriv, case.index, sides.alg)
    if eq is None:
        return _failed(step, f"rule SUBSTITUTE: the equation {step.using} is not in scope", case.link)
    substituted = sp.sympify(step.lhs).subs(eq[0], eq[1])
    if same(substituted, step.lhs):
        return _failed(step, f"rule SUBSTITUTE: {eq[0]} does not occur in the left side, so the step is no "
                       "instance of the rule", case.link)
    return _not_an_identity(case) or _prove_scalar(case, replace(sides, lhs=evaluate(substituted)))


def _check_solution(case: Case) -> StepCheck:
    """``F(args) = E``: the point solves the defining equations and the value there is ``E`` (identities modulo the
    side relations); the radicands and denominators of ``E``, of the point and of the equations and the value there,
    and each unknown's declared sign at the point, are obligations.  Nothing else about ``F`` is assumed here."""
    step, link = case.step, case.link
    sol = step.using
    if step.op is not Op.EQ or not isinstance(sol, Solution) or len(sol.point) != len(sol.unknowns):
        return _failed(step, "rule SOLUTION needs F(args) = E and a Solution with one value per unknown", link)
    quantity, value = step.defined_sides
    if not isinstance(quantity, sp.core.function.AppliedUndef):
        return _failed(step, "rule SOLUTION: one side must be a defined quantity F(args)", link)
    if not sol.equations:
        return _failed(step, "rule SOLUTION: no equation defines the unknowns", link)
    # The unknowns are bound by the equations: one that is also an argument (or in E) would solve another system
    # than the one the equations state at the arguments (u - x = 0, x - 1 = 0 "solved" for x gives F(x) = 2).
    if len(set(sol.unknowns)) != len(sol.unknowns) or \
            set(sol.unknowns) & (quantity.free_symbols | sp.sympify(value).free_symbols):
        return _failed(step, "rule SOLUTION: the unknowns must be distinct symbols that occur in neither side", link)
    obligations = owed.solution_obligations(sol, value)
    unique = owed.uniqueness(sol)
    if unique is None:
        return _failed(step, "rule SOLUTION: the equations are neither linear in the unknowns nor one unknown's "
                       "c u^2 + e = 0 with its sign declared, so nothing shows they determine one value", link)
    obligations += unique
    # Each equation at the point is zero, and the value there is E: one identity per entry.
    solved = sp.Matrix([*(sol.at_point(e) for e in sol.equations), sol.at_point(sol.value)])
    target = sp.Matrix([*(0 for _ in sol.equations), value])
    sides = _Sides(Algebra(case.deriv), tuple(obligations), solved, target)
    got = _prove_scalar(case, sides)
    if got.status is Status.OK:
        return replace(got, method=f"solves the defining equations at {dict(zip(sol.unknowns, sol.point, strict=True))}"
                       ", where the value is the right side")
    return got


def _check_order(case: Case) -> StepCheck:
    """``F(args) = E``: ``F(args)`` is kappa(G^(1/k)) for the :class:`Order`'s ``G`` and root ``k``, ``G = c d^(-a) h``
    and ``E = a/k`` are identities (a power of ``d`` with a symbolic exponent is a generator of its own: an identity
    that holds with it free holds at its value), and ``c > 0``, ``e_i > 0``, ``h``'s limit in (0, oo) are obligations
    (``owed.order_obligations``).  Nothing else about ``F`` is assumed here."""
    step, link = case.step, case.link
    order = step.using
    if step.op is not Op.EQ or not isinstance(order, Order):
        return _failed(step, "rule ORDER needs F(args) = E and an Order", link)
    quantity, value = step.defined_sides
    if not isinstance(quantity, sp.core.function.AppliedUndef):
        return _failed(step, "rule ORDER: one side must be a defined quantity F(args)", link)
    if order.dim in quantity.free_symbols | sp.sympify(value).free_symbols:
        return _failed(step, f"rule ORDER: {order.dim} is bound by the limit and occurs in neither side", link)
    obligations = owed.order_obligations(order)
    if isinstance(obligations, str):
        return _failed(step, f"rule ORDER: {obligations}", link)
    factored = order.factor * order.dim ** (-order.exponent) * order.rest_in_dim()
    sides = _Sides(Algebra(case.deriv), tuple(obligations), sp.Matrix([order.expr, value]),
                   sp.Matrix([factored, order.exponent / order.root]))
    got = _prove_scalar(case, sides)
    if got.status is Status.OK:
        return replace(got, method=f"{order.expr} = c {order.dim}^(-a) h with c = {order.factor} > 0, a = "
                       f"{order.exponent} and h -> L in (0, oo): kappa = a" + (f"/{order.root}" if order.root > 1
                                                                                 else ""))
    return got


def _check_witness(case: Case) -> StepCheck:
    """``lhs <= rhs`` (``<``) with ``rhs - lhs = w`` and ``w >= 0`` (``> 0``) proved."""
    sides = _scalar_sides(case)
    failure = _not_an_inequality(case)
    if failure is None and case.step.witness is None:
        failure = _failed(case.step, "rule WITNESS names no witness", case.link)
    return failure or _prove_scalar(case, sides)


def _check_sign(case: Case) -> StepCheck:
    """``lhs <= rhs`` (``<``) with the sign of ``rhs - lhs`` proved."""
    sides = _scalar_sides(case)
    return _not_an_inequality(case) or _prove_scalar(case, sides)


def _check_merge_roots(case: Case) -> StepCheck:
    """``sqrt(X) sqrt(Y) = sqrt(XY)``: an identity whose radicands ``X, Y >= 0`` are obligations."""
    sides = _scalar_sides(case)
    step = case.step
    failure = _not_an_identity(case)
    if failure is None and not (_roots_product(step.lhs) or _roots_product(step.rhs)):
        failure = _failed(step, "rule MERGE_ROOTS: neither side holds a product of square roots to merge", case.link)
    return failure or _prove_scalar(case, sides)


def _check_divide(case: Case) -> StepCheck:
    """A factor ``d`` of a side's numerator and denominator cancelled, ``d != 0`` an obligation."""
    sides = _scalar_sides(case)
    step = case.step
    # Cancelling a common factor d is valid only where d != 0; and the step must cancel it: a side holds d as a
    # factor of both its numerator and its denominator (an unchanged expression is no division).
    if step.using is None:
        return _failed(step, "rule DIVIDE names no divisor", case.link)
    d = sp.sympify(step.using)
    if not (_cancels(step.lhs, d) or _cancels(step.rhs, d)):
        return _failed(step, f"rule DIVIDE: neither side holds a factor {d} of its numerator and denominator to "
                       "cancel, so the step is no instance of the rule", case.link)
    owed = Obligation("divisor", d, "!=", "divide by it")
    return _prove_scalar(case, replace(sides, obligations=(*sides.obligations, owed)))


def _check_square(case: Case) -> StepCheck:
    """The previous relation squared (its shape is checked as a link of the chain); from ``A op B`` to
    ``A^2 op B^2`` for an inequality both sides must be nonnegative."""
    sides = _scalar_sides(case)
    prev = case.previous
    if case.step.op is not Op.EQ:
        owed = (Obligation("square", evaluate(prev.lhs), ">=", "square both sides"),
                Obligation("square", evaluate(prev.rhs), ">=", "square both sides"))
        sides = replace(sides, obligations=sides.obligations + owed)
    return _prove_scalar(case, sides)


def _prove_scalar(case: Case, sides: _Sides) -> StepCheck:
    """Prove the step (an identity, or a sign) and discharge its obligations."""
    entries = prepare(differences(sides.lhs, sides.rhs))
    got = _prove_identity(case, sides, entries) if case.step.op is Op.EQ else _prove_inequality(case, sides, entries)
    if isinstance(got, StepCheck):
        return got
    return _conclude(case, sides, entries, *got)


def _prove_identity(case: Case, sides: _Sides, entries: list[sp.Expr]) -> tuple[bool, list[Cofactors], str]:
    """Each entry is zero modulo the relations: whether proved, the cofactor certificates, the method."""
    proved, certs = identity(entries, sides.alg)
    if not proved and case.deriv.relations:
        # Radicands equal only modulo the side relations need the full normal form.
        proved, certs = identity(entries, Algebra(case.deriv, full=True))
    method = {Rule.SUBSTITUTE: "substitution, then identity modulo the side relations",
              Rule.EVALUATE: "evaluated, then identity modulo the side relations"}.get(
        case.step.checked_rule, "polynomial identity modulo the side relations")
    return proved, certs, method


def _prove_inequality(case: Case, sides: _Sides,
                      entries: list[sp.Expr]) -> tuple[bool, list[Cofactors], str] | StepCheck:
    """``rhs - lhs`` equals a witness of known sign, or has a known sign itself; a refuted sign fails the step."""
    step, alg = case.step, sides.alg
    rel = ">" if step.op is Op.LT else ">="
    proves = (Discharge.SYMPY, Discharge.SMT)
    if step.witness is not None:
        sign = decide_sign(alg.algebraize(step.witness), rel, alg)
        ident, certs = identity([entries[0] - step.witness], alg) if sign in proves else (False, [])
        return ident and sign in proves, certs, f"identity with a witness of known sign ({sign.value})"
    record: list = []
    sign = decide_sign(alg.algebraize(entries[0]), rel, alg, record=record)
    if sign is Discharge.REFUTED:
        point = record[-1][3]
        where = f" at {dict(point)}" if point else ""
        return _failed(step, f"refuted: rhs - lhs has the wrong sign{where} ({record[-1][1] or 'SymPy'})",
                       case.link, (), point)
    return sign in proves, [], f"sign of rhs - lhs ({sign.value})"


def _conclude(case: Case, sides: _Sides, entries: list[sp.Expr], proved: bool, certs: list[Cofactors],
              method: str) -> StepCheck:
    """The step's verdict from its proof and its obligations: ok when proved and every obligation is discharged
    symbolically, else the numeric test decides."""
    step, deriv, link = case.step, case.deriv, case.link
    # Every slack's declared sign may be used by any proof of the derivation (normal forms modulo the
    # relations bring slacks in), so every step carries every slack obligation.
    slacks = slack_checks(deriv)
    checks = discharge_all(list(sides.obligations), sides.alg) + slacks
    if deriv.relations or deriv.domain:
        checks = [case.consistency, *checks]
    refuted = [c for c in checks if c.how is Discharge.REFUTED]
    if refuted:
        c = refuted[0]
        return _failed(step, f"obligation refuted: {c.obligation} ({c.detail})", link, checks, c.counterexample)
    open_ = [c for c in checks if c.how is Discharge.OPEN]
    if proved and not open_:
        return StepCheck(step, Status.OK, method, None, tuple(checks), tuple(certs), None, link)
    num = numeric_check(step, entries, deriv, [c.obligation for c in open_])
    why = ("proved symbolically but obligations are numeric-only: " + "; ".join(str(c.obligation) for c in open_)
           if proved else "not proved symbolically")
    if num.status is Status.NUMERIC:
        checks = [ObligationCheck(c.obligation, Discharge.NUMERIC, num.method) if c.how is Discharge.OPEN else c
                  for c in checks]
    return StepCheck(step, num.status, f"{why}; {num.method}", num.residual, tuple(checks), tuple(certs),
                     num.counterexample, link)


def _scope(step: Step, deriv: Derivation, i: int, alg: Algebra) -> tuple[sp.Expr, sp.Expr] | None:
    """The equation ``step.using`` if it is in scope: a side relation, an equality hypothesis or an
    earlier equality step of the chain."""
    eq = step.using
    if not isinstance(eq, sp.Equality):
        return None
    old, new = eq.lhs, eq.rhs
    if any(isinstance(c, sp.Equality) and same(c.lhs, old) and same(c.rhs, new) for c in deriv.domain):
        return old, new
    for s in deriv.chain[:i]:
        if s.op is Op.EQ and same(s.lhs, old) and same(s.rhs, new):
            return old, new
    try:
        if sp.expand(normal_form(sp.expand(alg.algebraize(old - new)), alg.relations)) == 0:
            return old, new
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsError, sp.polys.polyerrors.CoercionFailed):
        pass
    return None


def _cancels(side: sp.Basic, d: sp.Expr) -> bool:
    """``side`` holds ``d`` as a factor of its numerator and of its denominator, as built or brought together."""
    if not isinstance(side, sp.Expr) or not d.free_symbols:
        return False
    for num, den in (sp.fraction(side), sp.fraction(sp.together(side))):
        try:
            if all(not sp.fraction(sp.cancel(part / d))[1].free_symbols & d.free_symbols
                   and sp.cancel(part / d).is_polynomial(*d.free_symbols) for part in (num, den)):
                return True
        except (sp.PolynomialError, TypeError):
            continue
    return False


def _roots_product(e: sp.Basic) -> bool:
    """A product of at least two square roots (or inverse square roots) in ``e``."""
    if not isinstance(e, sp.Basic):
        return False
    return any(sum(1 for f in m.args if f.is_Pow and f.exp in (sp.Rational(1, 2), sp.Rational(-1, 2))) > 1
               for m in e.atoms(sp.Mul))


# ---------------------------------------------------------------------------------------------
# Matrix rules


def _matrix_inverses(e: sp.Basic) -> set[sp.Basic]:
    """The matrices ``X`` whose inverse ``X^-1`` occurs in ``e``."""
    return {x.arg for x in e.atoms(sp.Inverse)} if isinstance(e, sp.Basic) else set()


def _inverse_obligations(step: Step, deriv: Derivation) -> list[ObligationCheck]:
    """Each inverse ``X^-1`` in the step exists by a hypothesis: ``X`` is declared invertible (the derivation assumes
    a rank condition), ``X`` is a Gram matrix ``A^T A`` (``A A^T``), for which that is full column (row) rank of
    ``A``, and the hypotheses give the dimensions the rank needs (columns <= rows): ``(C C^T)^-1`` for a d x m
    matrix ``C`` with nothing saying d <= m is singular whenever m < d, declared or not."""
    out = []
    # The inverses in the step, in its witness and in the inner products it names.
    named = dict(deriv.names)
    parts = [step.lhs, step.rhs, step.witness] + [named[x] for x in sorted(
        set().union(*(sp.sympify(e).free_symbols for e in (step.lhs, step.rhs) if not isinstance(e, sp.MatrixExpr)),
                    *(e.atoms(sp.Symbol) for e in (step.lhs, step.rhs, step.witness) if isinstance(e, sp.MatrixExpr)))
        & set(named), key=str)]
    for X in sorted(set().union(*(_matrix_inverses(e) for e in parts)), key=str):
        ob = Obligation("inverse", X, "!=", f"{X} is invertible")
        if not any(same(X, Y) for Y in deriv.invertible):
            out.append(ObligationCheck(ob, Discharge.OPEN, "no hypothesis makes it invertible"))
            continue
        need = _gram_dimensions(X)
        if need is None:
            out.append(ObligationCheck(ob, Discharge.OPEN, "declared invertible, but not a Gram matrix A^T A or A A^T,"
                                       " whose invertibility a rank hypothesis on A gives"))
            continue
        small, big = need
        sign = decide_sign(sp.sympify(big - small), ">=", Algebra(deriv))
        if sign is Discharge.REFUTED:
            out.append(ObligationCheck(ob, Discharge.REFUTED, f"rank: needs {small} <= {big}, which fails at a point "
                                       "the hypotheses allow"))
        elif sign in (Discharge.SYMPY, Discharge.SMT):
            out.append(ObligationCheck(ob, Discharge.HYPOTHESIS, f"full rank, a stated hypothesis; the hypotheses give "
                                       f"{small} <= {big}, the dimensions it needs"))
        else:
            out.append(ObligationCheck(ob, Discharge.OPEN, f"rank: needs {small} <= {big}, which the hypotheses do "
                                       "not give"))
    return out


def _gram_dimensions(X: sp.Basic) -> tuple[sp.Expr, sp.Expr] | None:
    """For ``X = A^T A`` (p x q ``A``): ``(q, p)``, full column rank needing q <= p; for ``A A^T``: ``(p, q)``."""
    if not (isinstance(X, sp.MatMul) and len(X.args) == 2):
        return None
    A, Bm = X.args
    if isinstance(A, sp.Transpose) and A.arg == Bm:
        return Bm.shape[1], Bm.shape[0]
    if isinstance(Bm, sp.Transpose) and Bm.arg == A:
        return A.shape[0], A.shape[1]
    return None


def _uninvertible(step: Step, invs: list[ObligationCheck], link: Start) -> StepCheck | None:
    """The step fails when an inverse in it is not shown to exist."""
    bad = [o for o in invs if o.how in (Discharge.OPEN, Discharge.REFUTED)]
    if bad:
        return _failed(step, f"inverse not shown to exist: {bad[0].obligation.expr} ({bad[0].detail})", link, invs)
    return None


def _check_matrix(case: Case) -> StepCheck:
    """A dimension-free matrix identity, every inverse in it shown to exist, by matrix-expression simplification."""
    step, link = case.step, case.link
    named = _names_in(step, case.deriv)
    if not (is_matrix_expr(step.lhs) or is_matrix_expr(step.rhs) or named):
        return _failed(step, "rule MATRIX: neither side is a matrix expression", link)
    invs = _inverse_obligations(step, case.deriv)
    failure = _uninvertible(step, invs, link)
    if failure is not None:
        return failure
    if step.op is not Op.EQ:
        return _failed(step, "matrix steps are identities; an inequality needs SQUARED_NORM", link, invs)
    inner = _inner_product_gap(step.lhs, step.rhs, None, case.deriv)
    if inner is not None:
        if inner == 0:
            return StepCheck(step, Status.OK, "identity of inner products (1 x 1 matrices are scalars)", None,
                             tuple(invs), (), None, link)
        return _failed(step, f"as inner products the sides differ by {inner}", link, invs)
    if named:
        return _failed(step, "rule MATRIX: the named inner products could not be read as scalars", link, invs)
    diff = step.rhs - step.lhs
    if isinstance(diff, sp.MatrixBase):
        return _failed(step, "explicit matrices are checked entrywise; use rule ALGEBRA", link, invs)
    ok = sp.simplify(sp.expand(diff.doit())).is_ZeroMatrix
    if ok:
        return StepCheck(step, Status.OK, "matrix-expression simplification", None, tuple(invs), (), None, link)
    return _failed(step, f"matrix-expression simplification leaves {sp.simplify(diff)}", link, invs)


def _names_in(step: Step, deriv: Derivation) -> bool:
    """A scalar side of the step holds a name of an inner product."""
    named = {x for x, _ in deriv.names}
    return any(sp.sympify(e).free_symbols & named for e in (step.lhs, step.rhs) if not isinstance(e, sp.MatrixExpr))


def _inner_product_gap(lhs: sp.Basic, rhs: sp.Basic, witness: sp.MatrixExpr | None, deriv: Derivation
                       ) -> sp.Expr | None:
    """``rhs - lhs`` (minus ``witness^T witness``) as a polynomial in inner products, when the derivation names inner
    products and the step is between 1 x 1 expressions or their names; ``None`` otherwise (not read so)."""
    if not deriv.names or any(isinstance(e, sp.MatrixExpr) and e.shape != (1, 1) for e in (lhs, rhs)):
        return None
    table = table_of(deriv.names)
    forms = [table.form(e) for e in (lhs, rhs, *(() if witness is None else (witness.T * witness,)))]
    if any(f is None for f in forms):
        return None
    return sp.expand(forms[1] - forms[0] - (forms[2] if witness is not None else 0))


def _check_squared_norm(case: Case) -> StepCheck:
    """``lhs <= rhs`` where ``rhs - lhs`` is ``u^T u`` for the column vector ``u = step.witness``, every inverse
    in the step shown to exist."""
    step, link = case.step, case.link
    failure = _uninvertible(step, _inverse_obligations(step, case.deriv), link)
    if failure is not None:
        return failure
    u = step.witness
    if step.op is not Op.LE or u is None or not isinstance(u, sp.MatrixExpr) or u.shape[1] != 1:
        return _failed(step, "rule SQUARED_NORM needs lhs <= rhs and a column vector u with rhs - lhs = u^T u", link)
    inner = _inner_product_gap(step.lhs, step.rhs, u, case.deriv)
    if inner is not None:
        if inner == 0:
            return StepCheck(step, Status.OK, "rhs - lhs = u^T u as inner products (1 x 1 matrices are scalars), a "
                             "squared norm, is nonnegative", link=link)
        return _failed(step, f"as inner products rhs - lhs - u^T u is {inner}, not 0", link)
    if _names_in(step, case.deriv):
        return _failed(step, "rule SQUARED_NORM: the named inner products could not be read as scalars", link)
    gap = step.rhs - step.lhs - sp.MatMul(sp.Transpose(u), u)
    if sp.simplify(sp.expand(gap.doit())).is_ZeroMatrix or gap.doit() == sp.ZeroMatrix(*gap.shape):
        return StepCheck(step, Status.OK, "rhs - lhs = u^T u, a squared norm, is nonnegative", link=link)
    return _failed(step, f"rhs - lhs is not u^T u for u = {u}", link)


# ---------------------------------------------------------------------------------------------
# Cited lemmas: CITE and OPTIMUM


def _check_cite(case: Case) -> StepCheck:
    """The step is another derivation's conclusion under a substitution, and owes that lemma's hypotheses,
    premises, relations and angle ranges under it, and its own sides' radicands and denominators."""
    step, deriv, link = case.step, case.deriv, case.link
    lemma = step.cites()
    # Its premises are about the lemma's bound variables: obligations here, under this chain's hypotheses.
    premises, conclusion = owed.split_implication(lemma.conclusion)
    sub = step.using or {}
    strength = {sp.Equality: Op.EQ, sp.LessThan: Op.LE, sp.StrictLessThan: Op.LT}[type(conclusion)]
    if not (strength is step.op or step.op is Op.LE):
        return _failed(step, f"the lemma {lemma.claim} proves {strength.value}, not {step.op.value}", link)
    alg = Algebra(deriv)
    for mine, theirs in ((step.lhs, conclusion.lhs), (step.rhs, conclusion.rhs)):
        d = sp.sympify(mine) - sp.sympify(theirs).subs(sub, simultaneous=True)
        if not identity([d], alg)[0]:
            return _failed(step, f"the step is not the conclusion of {lemma.claim} under {sub}", link)
    # The lemma's hypotheses, under the substitution, are obligations here (a hypothesis about the
    # lemma's own bound variables, e.g. its feasible delta, is not).
    bound = (set().union(*(sp.sympify(r).free_symbols for r in lemma.relations)) - set(sub)) | set(lemma.bound)
    obligations = owed.lemma_hypotheses(lemma, bound, sub)
    for cond in premises:
        fact = as_relation(cond)
        if fact is None:
            return _failed(step, f"the premise {cond} of {lemma.claim} is not a relation the checker can state", link)
        obligations.append(Obligation("lemma premise", sp.sympify(fact[0]).subs(sub, simultaneous=True), fact[1],
                                      f"{lemma.claim}: {cond}"))
    for rel in lemma.relations:
        obligations.append(Obligation("lemma relation", sp.sympify(rel).subs(sub, simultaneous=True), "=",
                                      f"{lemma.claim}: {rel} = 0"))
    obligations += owed.substituted_signs(lemma, sub)
    # The lemma holds for its angles in (0, pi) only: each angle, under the substitution, must lie there.
    obligations += owed.angle_obligations(lemma, sub, deriv)
    # The step's own sides are expressions of this chain: their radicands and denominators are owed here (the
    # matching above merges sqrt(a) sqrt(b) into sqrt(ab), which is real for a, b < 0 too).
    # First: a duplicate of one of them (a substituted symbol's sign) is then checked under its name.
    obligations = raw_obligations(step.lhs, "left side") + raw_obligations(step.rhs, "right side") + obligations
    checks = discharge_all(obligations, alg)
    fatal = ("lemma hypothesis", "lemma angle", "radicand", "denominator")
    refuted = [c for c in checks if c.how is Discharge.REFUTED and c.obligation.kind in fatal]
    if refuted:
        return _failed(step, f"an obligation of citing {lemma.claim} fails here: {refuted[0].obligation} "
                       f"({refuted[0].detail})", link, checks, refuted[0].counterexample)
    return _cited_check(step, deriv, link, lemma, checks, f"cites {lemma.claim}")


def _cited_check(step: Step, deriv: Derivation, link: Start, lemma: Derivation, checks: list[ObligationCheck],
                 what: str, certs: Sequence[Cofactors] = ()) -> StepCheck:
    """The check of a step that rests on ``lemma``: no stronger than the lemma's weakest step; an obligation left
    open is tested at random points of the domain (it fails if one fails there), and the step is then
    numeric-only."""
    status = _cited_status(lemma, checks)
    open_ = [c for c in checks if c.how is Discharge.OPEN]
    refuted = next((c for c in checks if c.how is Discharge.REFUTED), None)
    if refuted is not None and status is not Status.FAILED and not open_:
        # Not numeric-only: nothing was evaluated.  An obligation that fails somewhere leaves the lemma silent
        # there, so the step is not proved (not false: the claim may hold there for another reason).
        return StepCheck(step, status, f"{what}: not proved, an obligation fails at some point: {refuted.obligation} "
                         f"({refuted.detail})", None, tuple(checks), tuple(certs), link=link)
    if not open_:
        return StepCheck(step, status, f"{what} ({status.value})", None, tuple(checks), tuple(certs), link=link)
    num = numeric_check(step, [], deriv, [c.obligation for c in open_])
    if num.status is Status.FAILED:
        return _failed(step, f"{what}, but an obligation left open fails numerically: {num.method}", link, checks,
                       num.counterexample)
    checks = [ObligationCheck(c.obligation, Discharge.NUMERIC, num.method) if c.how is Discharge.OPEN else c
              for c in checks]
    status = Status.FAILED if status is Status.FAILED else Status.NUMERIC
    return StepCheck(step, status, f"{what} ({status.value}); obligations numeric-only: {num.method}", num.residual,
                     tuple(checks), tuple(certs), link=link)


def _cited_status(lemma: Derivation, checks: list[ObligationCheck]) -> Status:
    """A step that cites ``lemma`` is no stronger than the lemma's weakest step, nor than its own obligations: one
    this chain does not establish (a premise on the lemma's bound variables, a relation, a substituted symbol's
    sign) leaves the step unproved, not false: the claim may still hold, and the scope says sampled."""
    statuses = {c.status for c in lemma.check()}
    if any(c.how in (Discharge.OPEN, Discharge.REFUTED) for c in checks):
        statuses.add(Status.NUMERIC)
    return Status.FAILED if Status.FAILED in statuses else Status.NUMERIC if Status.NUMERIC in statuses \
        else Status.OK



def _check_optimum(case: Case) -> StepCheck:
    """``F(args) = E``: the cited lemma bounds the objective by ``E`` on the feasible set, the point is
    feasible and attains ``E``.  Nothing else about ``F`` is assumed here."""
    step, deriv, link = case.step, case.deriv, case.link
    opt = step.using
    if step.op is not Op.EQ or not isinstance(opt, Optimum) or len(opt.point) != len(opt.variables):
        return _failed(step, "rule OPTIMUM needs F(args) = E and an Optimum with one value per variable", link)
    quantity, value = step.defined_sides
    if not isinstance(quantity, sp.core.function.AppliedUndef):
        return _failed(step, "rule OPTIMUM: one side must be a defined quantity F(args)", link)
    lemma = step.cites()
    why = owed.bound_misfit(lemma, deriv, opt, quantity.free_symbols | sp.sympify(value).free_symbols)
    if why is not None:
        return _failed(step, f"rule OPTIMUM: {why}", link)
    alg = Algebra(deriv)
    why = owed.bound_mismatch(lemma, opt, value, alg)
    if why is not None:
        return _failed(step, f"rule OPTIMUM: {why}", link)
    attained, certs = identity([opt.at_point(opt.objective) - value], alg)
    if not attained:
        return _failed(step, "rule OPTIMUM: the point does not attain the value", link)
    obligations = owed.attainment_obligations(opt, value)
    if obligations is None:
        return _failed(step, "rule OPTIMUM: a constraint is not a relation the checker can state", link)
    obligations += owed.lemma_hypotheses(lemma, set(lemma.bound), {})
    checks = discharge_all(obligations, alg)
    refuted = [c for c in checks if c.how is Discharge.REFUTED]
    if refuted:
        return _failed(step, f"rule OPTIMUM: {refuted[0].obligation} fails ({refuted[0].detail})", link, checks,
                       refuted[0].counterexample)
    return _cited_check(step, deriv, link, lemma, checks, f"maximum: {lemma.claim} bounds it, attained at "
                        f"{dict(zip(opt.variables, opt.point, strict=False))}", certs)


CHECKERS: dict[Rule, Callable[[Case], StepCheck]] = {
    Rule.ALGEBRA: _check_algebra,
    Rule.EVALUATE: _check_evaluate,
    Rule.SUBSTITUTE: _check_substitute,
    Rule.WITNESS: _check_witness,
    Rule.SIGN: _check_sign,
    Rule.DIVIDE: _check_divide,
    Rule.SQUARE: _check_square,
    Rule.MERGE_ROOTS: _check_merge_roots,
    Rule.CITE: _check_cite,
    Rule.OPTIMUM: _check_optimum,
    Rule.SOLUTION: _check_solution,
    Rule.ORDER: _check_order,
    Rule.MATRIX: _check_matrix,
    Rule.SQUARED_NORM: _check_squared_norm,
}

"""The verdict rule: DESIGN.md's table, computed from the evidence and the formal statements, never chosen by a check.

What each verdict means is written once, in ``paper_checks.conventions.VERDICTS`` (``rule`` is the condition this
module computes, ``short`` the line a reader's legend shows); ``rule`` below implements it.

Scope of ``verified``: ``all-parameters`` only when a derivation's conclusion is the claim's own conclusion
(structurally, after ``statement.canonical``, its defined quantities unfolded into closed forms: proved from their
definitions where ``paper_checks.closed_forms`` holds a proof, taken as given otherwise) and every step of it is
proved; otherwise ``sampled``, with what each
derivation lacks (``shortfall``) in ``Ruling.why_sampled``, which the finding's evidence states.
Correction verification fails closed: no correction, or one not shown, is not verified.

Quantifiers as printed.  An existential statement ("can", "may", "there exists") is ``verified`` by a certified
witness (a certified failure of its universal negation, ``statement.negation``: exact arithmetic at a rational
point, so a proof), ``refuted`` only by a derivation that proves the universal negation, and ``undecided``
otherwise: no search that finds no witness refutes it.  A rate (``statement.Rate``) is judged by ``rate_rule`` from
the limit of its ratio, an O-claim refuted by a certified unbounded ratio; a statement in probability
(``statement.InProbability``) by ``probability_rule``, through the exact law's quantile.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any
from collections.abc import Iterator, Sequence

import sympy as sp

from derive.core import Status
from derive.intervals import shown_nonzero
from paper_checks.finding import Evidence, Failure, Scope, Verdict
from paper_checks.printing import plain
from paper_checks.statement import InProbability, Order, Quantifier, Rate, Statement, canonical, negation

if TYPE_CHECKING:
    from paper_checks.margin import Failure as Found

__all__ = ["Ruling", "rule", "proves", "shortfall", "rate_rule", "probability_rule"]


@dataclass(frozen=True)
class Ruling:
    verdict: Verdict
    scope: Scope | None
    failure: Failure | None
    reason: str
    why_sampled: str | None = None     # a verified claim's scope is sampled: what a proof for every parameter lacks


def proves(derivation: Any, checks: Sequence[Any], statement: Statement) -> bool:
    """A derivation proves ``statement`` when every step is proved, every maximum it takes (Rule.OPTIMUM) is of
    its quantity's own definition, and its conclusion is the statement's own."""
    return shortfall(derivation, checks, statement) is None


def shortfall(derivation: Any, checks: Sequence[Any], statement: Statement) -> str | None:
    """Why ``derivation`` does not prove ``statement`` for every parameter, in words; None when it does
    (``proves``)."""
    unproved = [c for c in checks if c.status is not Status.OK]
    if unproved:
        # NUMERIC: checked at 50 digits only, or proved exactly for one instance of a quantified parameter.
        how = {Status.NUMERIC: "numeric only or for one instance", Status.FAILED: "failed"}
        groups = [[c.step.name for c in unproved if c.status is status] for status in how]
        # The rest is not examined (it costs up to half a second a claim): said so, since a step named alone reads
        # as the one thing missing, where the statement may be its closed forms or the chain may end elsewhere.
        return "; ".join(f"step{'s' if len(names) > 1 else ''} {', '.join(names)}: {how[status]}"
                         for status, names in zip(how, groups, strict=False) if names) + \
            " (its conclusion and hypotheses not compared with the statement's)"
    conclusion = getattr(derivation, "conclusion", None)
    if conclusion is None:
        return "it states no conclusion to compare with the statement's"
    conclusion = conclusion() if callable(conclusion) else conclusion
    try:
        declared = _declared_beyond_domain(statement)
        if declared is not None:
            return declared
        shown = _tautology_by(statement)
        if shown is not None:
            return _unproved_closed_forms(statement, shown)
        if not _optima_defined(derivation):
            return "a maximum it takes is not of its quantity's own definition"
        if not _solutions_defined(derivation):
            return "a value it solves for is not its quantity's: the equations it solves are not the definition's"
        unreduced = _unreduced(derivation)
        if unreduced is not None:
            return unreduced
        # Both of these are said (an extra hypothesis named alone reads as the one thing missing).
        why = [u] if (u := _uncovered(derivation, conclusion, statement)) is not None else []
        if canonical(conclusion) != canonical(statement.conclusion):
            # A defined quantity with a derived closed form may be unfolded into it, except an optimum stated as
            # a problem: its value is proved in the chain (Rule.OPTIMUM), never read from its closed form, which
            # would make the statement an identity X = X.  A quantity the chain keeps is kept in the statement.
            kept = {f.func.__name__ for f in conclusion.atoms(sp.core.function.AppliedUndef)} | _optima()
            if canonical(conclusion) != canonical(_expanded(statement.conclusion, kept)):
                why.append("its conclusion is not the statement's")
        return "; ".join(why) or None
    except (TypeError, AttributeError, ValueError, NotImplementedError, sp.PolynomialError) as exc:
        return f"its conclusion could not be compared with the statement's ({type(exc).__name__})"


def _declared_beyond_domain(statement: Statement) -> str | None:
    """Why a variable's symbol says more than its domain (``a`` declared positive with ``a`` in [-1, 1], an integer
    ``a`` the statement does not take integer), in words; None when none does.  SymPy simplifies the statement under
    the declaration as it is built (``a |a|`` is ``a^2``), so no comparison of its sides speaks of the domain."""
    from paper_checks import closed_forms
    domains = {v.symbol.name: v.domain for v in statement.variables}
    for v in statement.variables:
        x = v.symbol
        beyond = closed_forms.beyond_signs(x, v.integer)
        sign = next((r for r in _signs(x, sp.Symbol(x.name)) if not _follows(r, [], domains)), None)
        if beyond or sign is not None:
            said = plain(sign) if sign is not None else ", ".join(sorted(beyond))
            return (f"its variable {x} is declared {said}, which its domain {v.text()} does not imply (SymPy "
                    "simplifies the statement under the declaration)")
    return None


def _tautology(statement: Statement) -> bool:
    """With its defined quantities unfolded into their derived closed forms (optima stated as problems kept), the
    statement's relation has the same two sides: its whole content is a closed form (TaxRate1(a) = a^2 is
    a^2 = a^2), so the chain proves it for every parameter only if the closed forms are proved (``shortfall``)."""
    return _tautology_by(statement) is not None


def _tautology_by(statement: Statement) -> str | None:
    """How the unfolded statement's two sides are shown the same: ``"expansion"`` (exact arithmetic), or
    ``"simplification"`` (SymPy's ``simplify`` at values fixed by equality hypotheses: no checked proof); None when
    they are not (``_tautology``)."""
    rel = _expanded(statement.conclusion, _optima())
    if isinstance(rel, sp.Implies):
        rel = rel.args[1]
    if not isinstance(rel, (sp.Eq, sp.Le, sp.Ge)):
        return None
    # The sides' difference is tested at exact points before anything is expanded: a ball that excludes 0 shows
    # the statement is no identity, which spares expanding closed forms of hundreds of terms (seconds a claim).
    # Only when no point shows it is the difference expanded, so the answer is the expansion's either way.
    gap = _plain(rel.lhs) - _plain(rel.rhs)
    if not shown_nonzero(gap):
        c = canonical(rel)
        if sp.expand(c[1] - c[2]) == 0:
            return "expansion"
    # An equality hypothesis fixing a variable (alpha = 0) makes the statement the closed form at that point: as
    # much a closed form taken as given as the statement for every alpha is.
    fixed = {_plain(h.lhs): _plain(h.rhs) for h in statement.hypotheses
             if isinstance(h, sp.Eq) and isinstance(h.lhs, sp.Symbol)}
    if not fixed or shown_nonzero(gap.xreplace(fixed)):
        return None
    gap = sp.expand(gap.xreplace(fixed))
    if gap == 0:
        return "expansion"
    return "simplification" if sp.simplify(gap) == 0 else None


def _optima() -> set[str]:
    from paper_checks.definitions import DEFINITIONS, expand
    expand(sp.Integer(0))        # loads the families, which register the definitions
    return {name for name, d in DEFINITIONS.items() if d.problem is not None}


def _plain(e: sp.Basic) -> sp.Basic:
    return e.xreplace({x: sp.Symbol(x.name) for x in e.free_symbols})


def _uncovered(derivation: Any, conclusion: sp.Basic, statement: Statement) -> str | None:
    """What the derivation assumes about the statement's variables and the statement does not give, in words; None
    when all of it follows from what the statement assumes: each
    hypothesis of its ``domain`` (those about its bound variables are premises of its conclusion, compared with
    the statement's), each side relation among the conclusion's symbols, each angle's range (0, pi) and each sign
    assumption of a symbol of the conclusion.  A derivation checked under an extra hypothesis (tau_0 < 1, r > 0 for
    a statement that allows r = 0, alpha in (0, pi) for one that allows alpha = 0) proves less than the statement.

    Symbols are matched by name, as in ``canonical``.  A requirement on one variable holds when that variable's
    domain lies in the set the requirement allows; any other holds when it is a hypothesis of the statement (or
    the premise of its implication) or z3 and cvc5 both prove it from them.  Not required: a hypothesis about the
    derivation's own objects alone (a symbol that is not a variable of the statement: a dimension m, a slack), and
    a defined quantity's registered closed form (``F(x) = X``, what ``definitions.expand`` substitutes).  A closed
    form it uses that is proved from its definition owes that proof's hypotheses at ``x`` instead, and one whose
    proof fails is not used (``_owed_by_closed_forms``)."""
    domains = {v.symbol.name: v.domain for v in statement.variables}
    facts = _statement_facts(statement, domains)
    variables = {v.symbol.name: v for v in statement.variables}
    assumed, why = _variable_assumptions(derivation, conclusion, variables)
    if why is not None:
        return why
    hypotheses, why = _hypotheses_on_variables(derivation, variables)
    if why is not None:
        return why
    equations, pending = _side_relations(derivation, variables)
    why = _undefinable_object(pending, variables, facts, domains)
    if why is not None:
        return why
    required = [r for r in (*assumed, *hypotheses, *equations) if not _defining(r)]
    missing = next((r for r in required if not _follows(r, facts, domains)), None)
    if missing is not None:
        return f"it assumes {plain(missing)}, which the statement does not imply"
    # The closed forms it uses: those it assumes, and those of the statement's quantities that it does not keep (the
    # comparison of conclusions unfolds them).
    kept = {f.func.__name__ for f in _applications(conclusion)} | _optima()
    used = {f for r in hypotheses if _defining(r) for f in _applications(r)} | {
        f for f in _applications(statement.conclusion) if f.func.__name__ not in kept} | _in_problems(derivation)
    return _owed_by_closed_forms(used, facts, domains)


def _in_problems(derivation: Any) -> set[sp.Basic]:
    """The defined quantities in the problems of the derivation's Rule.OPTIMUM steps, at the maximum's arguments
    (``MaxSafetyAtTarget``'s objective holds ``PerpLength(tau)``): comparing a problem with its definition unfolds
    them (``_optima_defined``)."""
    from derive.core import Rule
    from paper_checks.definitions import DEFINITIONS
    out: set[sp.Basic] = set()
    for step in getattr(derivation, "chain", ()):
        quantity = step.defined_sides[0]
        d = DEFINITIONS.get(getattr(quantity, "func", type(None)).__name__) if step.by is Rule.OPTIMUM else None
        if d is not None and d.problem is not None:
            problem = d.problem(*quantity.args)
            out |= {f for e in (problem.objective, *problem.constraints) for f in _applications(sp.sympify(e))}
    return {_plain(f) for f in out}


def _statement_facts(statement: Statement, domains: dict[str, sp.Set]) -> list[sp.Basic]:
    """What the statement assumes, symbols by name: its hypotheses and its implication's premise (``|e| <= b``
    rewritten without the absolute value), and each variable's domain as bounds."""
    given = [_plain(h) for h in statement.hypotheses]
    if isinstance(statement.conclusion, sp.Implies):
        given += list(sp.And.make_args(_plain(statement.conclusion.args[0])))
    facts = [f for h in given if isinstance(h, sp.core.relational.Relational) for f in _without_abs(h)]
    for name, dom in domains.items():
        x = sp.Symbol(name)
        if dom.inf.is_finite:
            facts.append(sp.Gt(x, dom.inf) if dom.left_open else sp.Ge(x, dom.inf))
        if dom.sup.is_finite:
            facts.append(sp.Lt(x, dom.sup) if dom.right_open else sp.Le(x, dom.sup))
    return facts


def _variable_assumptions(derivation: Any, conclusion: sp.Basic, variables: dict[str, Any]
                          ) -> tuple[list[sp.Basic], str | None]:
    """What the derivation assumes of a statement's variable: its sign assumptions (bound variables included) and,
    for an angle, the range (0, pi) ([0, pi] for a closed angle); or, as the second item, why it does not apply
    (it takes integer a variable the statement does not)."""
    required: list[sp.Basic] = []
    symbols = set(conclusion.free_symbols).union(*(sp.sympify(c).free_symbols for c in derivation.domain),
                                                 *(sp.sympify(r).free_symbols for r in derivation.relations))
    for x in symbols:
        if x.name not in variables:
            continue
        if x.is_integer and not variables[x.name].integer:
            return [], f"it takes {x.name} integer, the statement does not"
        required += _signs(x, sp.Symbol(x.name))
    required += [c for a in getattr(derivation, "angles", ()) if a.name in variables
                 for c in (sp.Gt(sp.Symbol(a.name), 0), sp.Lt(sp.Symbol(a.name), sp.pi))]
    required += [c for a in getattr(derivation, "closed_angles", ()) if a.name in variables
                 for c in (sp.Ge(sp.Symbol(a.name), 0), sp.Le(sp.Symbol(a.name), sp.pi))]
    return required, None


def _hypotheses_on_variables(derivation: Any, variables: dict[str, Any]) -> tuple[list[sp.Basic], str | None]:
    """The derivation's hypotheses on the statement's variables alone (those on its bound variables are its
    conclusion's premises, compared with the statement's; those on its own objects alone are not required); or, as
    the second item, why it does not apply (a hypothesis tying a variable to its own objects: fail closed)."""
    bound = {x.name for x in getattr(derivation, "bound", ())}
    required: list[sp.Basic] = []
    for c in getattr(derivation, "domain", ()):
        names = {x.name for x in c.free_symbols}
        if names & bound:
            continue
        if names <= set(variables):
            required.append(_plain(c))
        elif names & set(variables):
            return [], f"its hypothesis {plain(c)} ties the statement's variables to objects of its own"
    return required, None


def _side_relations(derivation: Any, variables: dict[str, Any]) -> tuple[list[sp.Basic], list[sp.Expr]]:
    """The derivation's side relations ``r`` (meaning ``r = 0``): those among the statement's variables alone,
    required as equations; and those that mix the variables with objects of its own, which must define them
    (``_undefinable_object``).  Relations about its own objects alone need no point of the statement."""
    relations = [sp.sympify(r) for r in getattr(derivation, "relations", ())]
    names = [{x.name for x in r.free_symbols} for r in relations]
    equations = [sp.Eq(_plain(r), 0) for r, n in zip(relations, names, strict=True) if n <= set(variables)]
    pending = [r for r, n in zip(relations, names, strict=True) if not n <= set(variables) and n & set(variables)]
    return equations, pending


def _undefinable_object(pending: list[sp.Expr], variables: dict[str, Any], facts: list[sp.Basic],
                        domains: dict[str, sp.Set]) -> str | None:
    """The side relations that define objects of the derivation's own (a norm n with n^2 = 1 - a^2, a cosine c with
    c n_1 n_2 = rho - a b, a slack), taken one at a time: each must define one new symbol u, linearly (c u = e,
    c != 0) or as a square (c u^2 = e), and such a u must exist with its sign assumptions at every point the
    statement allows, given the objects defined before it.  None when they all do; else the first that does not,
    in words."""
    pending = list(pending)
    defined: set[str] = set(variables)
    own_facts: list[sp.Basic] = []
    while pending:
        for r in pending:
            new = [u for u in r.free_symbols if u.name not in defined]
            if len(new) == 1 and _existence(r, new[0], facts + own_facts, domains):
                break
        else:                         # a relation that restricts the variables, or that the checker cannot read
            return (f"its side relation {plain(pending[0])} = 0 does not define an object of its own at every "
                    "point the statement allows")
        pending.remove(r)
        u = new[0]
        defined.add(u.name)
        own_facts += [sp.Eq(_plain(r), 0), *_signs(u, sp.Symbol(u.name))]
    return None


def _existence(r: sp.Expr, u: sp.Symbol, facts: list[sp.Basic], domains: dict[str, sp.Set]) -> bool:
    """``r = 0`` has a solution ``u`` with ``u``'s sign assumptions wherever ``facts`` hold: ``r`` is ``c u + e`` with
    ``c != 0`` (then ``u = -e/c``, whose sign is that of ``-e c``), or ``c u^2 + e`` with ``-e c >= 0`` (``> 0`` for a
    positive or nonzero ``u``; a nonpositive or negative ``u`` takes the other root)."""
    try:
        poly = sp.Poly(_plain(r), sp.Symbol(u.name))
    except sp.PolynomialError:
        return False
    coeffs = dict(zip(poly.monoms(), poly.coeffs(), strict=False))
    if poly.degree() == 1:
        c, e = coeffs.get((1,), 0), coeffs.get((0,), 0)
        needs = [sp.Ne(c, 0)] + _signs(u, -e * c)
    elif poly.degree() == 2 and (1,) not in coeffs:
        c, e = coeffs.get((2,), 0), coeffs.get((0,), 0)
        strict = any(getattr(u, f"is_{flag}") for flag in ("positive", "negative", "nonzero"))
        needs = [sp.Ne(c, 0), (sp.Gt if strict else sp.Ge)(-e * c, 0)]
    else:
        return False
    return all(_follows(n, facts, domains) for n in needs)


def _signs(x: sp.Symbol, value: sp.Expr) -> list[sp.Basic]:
    """The sign assumptions of ``x`` as relations on ``value``."""
    return [rel(value, 0) for flag, rel in (("positive", sp.Gt), ("nonnegative", sp.Ge), ("negative", sp.Lt),
                                            ("nonpositive", sp.Le), ("nonzero", sp.Ne))
            if getattr(x, f"is_{flag}")]


def _without_abs(h: sp.Basic) -> list[sp.Basic]:
    """``|e| <= b`` as ``e^2 <= b^2`` and ``b >= 0`` (``<``: ``e^2 < b^2``, ``b > 0``), which it is equivalent to."""
    if isinstance(h, (sp.Ge, sp.Gt)):
        h = h.reversed
    if isinstance(h, (sp.Le, sp.Lt)) and isinstance(h.lhs, sp.Abs):
        e, b = h.lhs.args[0], h.rhs
        return [type(h)(e**2, b**2), (sp.Ge if isinstance(h, sp.Le) else sp.Gt)(b, 0)]
    return [h]


def _applications(e: sp.Basic) -> set[sp.Basic]:
    """The applications ``F(args)`` of unevaluated functions (defined quantities) in ``e``."""
    return set(e.atoms(sp.core.function.AppliedUndef))


def _optima_applied(e: sp.Basic) -> set[sp.Basic]:
    return {f for f in _applications(e) if f.func.__name__ in _optima()}


def _owed_by_closed_forms(used: set[sp.Basic], facts: list[sp.Basic], domains: dict[str, sp.Set]) -> str | None:
    """What the closed forms used at ``used`` lack, in words; None when nothing.  A closed form proved from its
    definition (``paper_checks.closed_forms``) owes its proof's hypotheses at the arguments; one whose proof fails
    is not used; one with no proof proves nothing for every parameter: a closed form that SymPy computed and the checks
    confirm on samples is evidence, not a step of a proof (the README's trust base names those still without one)."""
    from paper_checks import closed_forms
    for f in sorted(used, key=sp.default_sort_key):
        p = closed_forms.proof(f.func.__name__)
        if p.derivation is None:
            return (f"the closed form of {f.func.__name__} has no chain from its definition (the checks confirm it on "
                    "samples)")
        if p.why is not None:
            return f"the closed form of {f.func.__name__} fails its proof from the definition ({p.why})"
        owed = next((h for h in closed_forms.hypotheses(f) if not _follows(_plain(h), facts, domains)), None)
        if owed is not None:
            return f"the closed form of {plain(f)} is proved where {plain(owed)}, which the statement does not imply"
    return None


def _unproved_closed_forms(statement: Statement, shown: str) -> str | None:
    """For a statement whose content is its closed forms (its sides agree once they are unfolded, ``shown`` how:
    ``_tautology_by``): why they do not prove it, in words; None when each is proved from its definition wherever
    the statement's variables range and the sides agree by exact expansion (``simplify``'s say-so proves nothing)."""
    from paper_checks import closed_forms
    used = _applications(statement.conclusion) - _optima_applied(statement.conclusion) if shown == "expansion" \
        else set()
    unproved = sorted({f.func.__name__ for f in used if not closed_forms.proved(f.func.__name__)})
    if unproved or not used:
        none = f"; no chain proves {', '.join(unproved)} from its definition" if unproved else ""
        return (f"the statement is its defined quantities' closed forms, which the chain takes as given (the checks "
                f"confirm them on samples{none})")
    domains = {v.symbol.name: v.domain for v in statement.variables}
    return _owed_by_closed_forms(used, _statement_facts(statement, domains), domains)


def _defining(r: sp.Basic) -> bool:
    """``r`` is ``F(args) = X`` with ``X`` the registered closed form of the defined quantity ``F`` (never an optimum
    stated as a problem: its value is proved, not assumed)."""
    from paper_checks.definitions import expand
    if not isinstance(r, sp.Eq):
        return False
    for f, x in ((r.lhs, r.rhs), (r.rhs, r.lhs)):
        if isinstance(f, sp.core.function.AppliedUndef) and f.func.__name__ not in _optima():
            unfolded = expand(f)
            return unfolded != f and sp.simplify(unfolded - x) == 0
    return False


def _follows(req: sp.Basic, facts: list[sp.Basic], domains: dict[str, sp.Set]) -> bool:
    """``req`` holds wherever ``facts`` hold and each named variable lies in its domain: it is one of the facts, a
    one-variable requirement whose solution set holds the variable's domain, or z3 and cvc5 both prove it."""
    if req is sp.true or req in facts:
        return True
    return _follows_memo(req, tuple(facts), tuple(domains.items()))


# Memoised on everything the answer depends on (the requirement, the facts in order, the domains): a statement's
# derivations ask for the same sign assumptions and closed-form hypotheses, and each answer may cost a solver call.
@functools.lru_cache(maxsize=4096)
def _follows_memo(req: sp.Basic, facts: tuple[sp.Basic, ...], domain_items: tuple[tuple[str, sp.Set], ...]) -> bool:
    domains = dict(domain_items)
    if not isinstance(req, sp.core.relational.Relational):
        return False
    names = {x.name for x in req.free_symbols}
    if len(names) == 1 and next(iter(names)) in domains:
        (x,) = req.free_symbols
        try:
            if domains[x.name].is_subset(_solution_set(req, x)):
                return True
        except (NotImplementedError, TypeError, ValueError):
            pass
    from derive import smt
    from derive.algebra import as_fact as _as_fact
    goal = _as_fact(req)
    given = [f for f in (_as_fact(h) for h in facts) if f is not None]
    if goal is None:
        return False
    try:
        answer, _ = smt.decide(smt.build_query(goal, given))
    except (smt.NotPolynomial, TypeError, ValueError):
        return False
    return answer is smt.Answer.UNSAT


# A bound of one variable by a real number, as the interval ``solveset`` gives for it (ends at infinity open).
_BOUND_SETS = {sp.Lt: lambda c: sp.Interval(-sp.oo, c, True, True), sp.Le: lambda c: sp.Interval(-sp.oo, c),
               sp.Gt: lambda c: sp.Interval(c, sp.oo, True, True), sp.Ge: lambda c: sp.Interval(c, sp.oo)}


# Memoised: the same bounds (-1 <= rho, 1 - g^2 > 0) are asked under each statement's facts.
@functools.lru_cache(maxsize=1024)
def _solution_set(req: sp.Basic, x: sp.Symbol) -> sp.Set:
    """The real ``x`` where the relation ``req`` in ``x`` alone holds (SymPy's ``solveset``, which ignores ``x``'s
    assumptions); a bound ``x < c``, ``c <= x``, ... by a real number ``c`` is read off as the interval ``solveset``
    returns for it, without solving (a solve costs tens of milliseconds)."""
    for rel in (req, req.reversed):
        make = _BOUND_SETS.get(type(rel))
        if make is not None and rel.lhs == x and rel.rhs.is_number and rel.rhs.is_real:
            return make(rel.rhs)
    return sp.solveset(req, x, sp.S.Reals)


def _with_lemmas(derivation: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every step of ``derivation``'s chain, each followed by the steps of the lemma it cites (each lemma once, depth
    first): what a rule that reaches outside its step must be asked about wherever the proof uses it."""
    seen = set() if seen is None else seen
    if id(derivation) in seen:
        return
    seen.add(id(derivation))
    for step in getattr(derivation, "chain", ()):
        yield step
        if step.cites is not None:
            yield from _with_lemmas(step.cites(), seen)


def _optima_defined(derivation: Any) -> bool:
    """Every Rule.OPTIMUM step of ``derivation`` and of the lemmas it cites maximises the problem that its
    quantity's definition states (same objective and constraints, the variables renamed in order)."""
    from derive.core import Rule
    return all(_maximises_definition(step) for step in _with_lemmas(derivation) if step.by is Rule.OPTIMUM)


def _maximises_definition(step: Any) -> bool:
    from paper_checks.definitions import DEFINITIONS, expand
    quantity = step.defined_sides[0]
    d = DEFINITIONS.get(getattr(quantity, "func", type(None)).__name__)
    if d is None or d.problem is None:
        return False
    mine, theirs = step.using, d.problem(*quantity.args)
    if len(mine.variables) != len(theirs.variables) or any(
            a.assumptions0 != b.assumptions0 for a, b in zip(mine.variables, theirs.variables, strict=False)):
        return False
    ren = dict(zip(theirs.variables, mine.variables, strict=False))
    if sp.expand(expand(theirs.objective.xreplace(ren)) - mine.objective) != 0:
        return False
    return _relations(c.xreplace(ren) for c in theirs.constraints) == _relations(mine.constraints)


def _solutions_defined(derivation: Any) -> bool:
    """Every Rule.SOLUTION step of ``derivation`` and of the lemmas it cites solves the equations that its quantity's
    definition states, and every Rule.ORDER step takes the decay exponent of the expression it states
    (``closed_forms.from_definition``): the checker of a rule shows only that the value solves the equations, or is
    the exponent of the expression, the step names."""
    from paper_checks import closed_forms
    return all(closed_forms.from_definition(step) for step in _with_lemmas(derivation))


def _unreduced(derivation: Any) -> str | None:
    """Why a maximum that ``derivation`` (or a lemma it cites) takes by Rule.OPTIMUM does not rest on a proved
    reduction: its quantity's problem is stated in coordinates, and the derivation that it has the value of the optimum
    the meaning describes (``Definition.reduction``) has a step not proved, or the maximum's attaining point is not
    one it lifts back (``Definition.lifts``); None when every such reduction is proved and applies."""
    from derive.core import Rule
    from paper_checks.definitions import DEFINITIONS
    for step in _with_lemmas(derivation):
        if step.by is not Rule.OPTIMUM:
            continue
        quantity = step.defined_sides[0]
        d = DEFINITIONS.get(quantity.func.__name__)
        if d is None or d.reduction is None:
            continue
        open_ = [c.step.name for c in d.reduction().check() if c.status is not Status.OK]
        if open_:
            return (f"the reduction of {quantity.func.__name__}'s problem to its coordinates is not proved "
                    f"(step{'s' if len(open_) > 1 else ''} {', '.join(open_)})")
        if d.lifts is not None and not d.lifts(*step.using.point):
            return (f"the point attaining {quantity.func.__name__}'s maximum is not one its reduction lifts back to "
                    "the problem it reduces")
    return None


def _relations(rels: Any) -> set[tuple[str, sp.Expr]]:
    """Relations as (kind, expanded greater side minus smaller side), so that ``a <= b`` and ``b >= a`` agree."""
    out = set()
    for rel in rels:
        if isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
            rel = rel.reversed
        out.add((type(rel).__name__, sp.expand(rel.lhs - rel.rhs)))
    return out


def _expanded(rel: sp.Basic, keep: set[str] | None = None) -> sp.Basic:
    from paper_checks.definitions import expand, expand_except
    unfold = expand if keep is None else (lambda e: expand_except(e, keep))
    if isinstance(rel, sp.Implies):
        return sp.Implies(_expanded(rel.args[0], keep), _expanded(rel.args[1], keep), evaluate=False)
    if isinstance(rel, sp.core.relational.Relational):
        return type(rel)(unfold(rel.lhs), unfold(rel.rhs), evaluate=False)
    return unfold(rel)


def _steps_hold(ev: Evidence) -> bool:
    return all(c.status is not Status.FAILED for _, checks in ev.derivations for c in checks)


def rule(statement: Statement | None, ev: Evidence) -> Ruling:
    """The verdict of ``statement`` from ``ev``; see the module docstring.  A universal statement, case by case
    (the first row that applies decides):

    | evidence                                                              | verdict                        |
    |-----------------------------------------------------------------------|--------------------------------|
    | no statement                                                          | not-checkable                  |
    | an existential statement                                              | ``_existential``               |
    | not searched, or no admissible point searched                         | undecided                      |
    | a certified failure                                                   | ``_certified_failure``         |
    | a point of the stated domain where the conclusion is undefined        | undecided                      |
    | no failure                                                            | ``_no_failure``                |
    """
    if statement is None:
        return Ruling(Verdict.NOT_CHECKABLE, None, None, ev.not_checkable or "no mathematical content")
    if statement.quantifier is Quantifier.EXISTENTIAL:
        return _existential(statement, ev)
    if ev.search is None:
        return Ruling(Verdict.UNDECIDED, None, None, "the statement was not searched")
    if ev.search.points == 0:
        # A domain the search never entered (an equation no float sample meets) proves nothing either way.
        return Ruling(Verdict.UNDECIDED, None, None, "no admissible point of the stated domain was searched")
    if ev.search.failure is not None:
        return _certified_failure(ev, ev.search.failure)
    if ev.search.undefined is not None:
        # No failure where the claim is defined, but points of its stated domain where it says nothing: the stated
        # domain is wrong, and neither verdict fits it.
        where = ", ".join(f"{k} = {v}" for k, v in ev.search.undefined.items())
        return Ruling(Verdict.UNDECIDED, None, None, f"the conclusion is undefined or not real at {where}, a point "
                      "of the stated domain: the domain the statement gives is wrong")
    return _no_failure(statement, ev)


def _certified_failure(ev: Evidence, found: Found) -> Ruling:
    """A universal statement with a certified failure ``found`` (the first row that applies decides):

    | evidence                                                                    | verdict                  |
    |-----------------------------------------------------------------------------|--------------------------|
    | a check of the closed forms' definitions failed                             | undecided                |
    | the failure is certified on an open set                                     | refuted (open set)       |
    | no corrected statement                                                      | undecided                |
    | a corrected statement fails, is undefined somewhere, or was not searched    | undecided                |
    | no derivation, or a derivation step failed                                  | undecided                |
    | otherwise: failures on a measure-zero set only, the correction verified     | conditional              |
    """
    if not ev.checks_passed:
        # The failure is certified on the closed forms; a check found a closed form wrong.
        return Ruling(Verdict.UNDECIDED, None, None,
                      "a failure certified on closed forms that a check of their definitions contradicts")
    if found.box_radius:
        return Ruling(Verdict.REFUTED, None, Failure.OPEN_SET, "certified failure on an open set")
    if not ev.corrections:
        return Ruling(Verdict.UNDECIDED, None, None,
                      "certified failure on no certified open set, and no corrected statement to verify")
    for _corr, res in ev.corrections:
        if res is None or res.failure is not None or res.undefined is not None:
            return Ruling(Verdict.UNDECIDED, None, None, "a corrected statement fails or was not searched")
    if not (ev.derivations and _steps_hold(ev)):
        return Ruling(Verdict.UNDECIDED, None, None, "the correction has no derivation backing it")
    return Ruling(Verdict.CONDITIONAL, None, Failure.MEASURE_ZERO,
                  "failures only on a measure-zero set, which the verified correction excludes")


def _no_failure(statement: Statement, ev: Evidence) -> Ruling:
    """A universal statement searched with no certified failure and defined on its whole stated domain:

    | evidence                                                                    | verdict                  |
    |-----------------------------------------------------------------------------|--------------------------|
    | no derivation                                                               | undecided                |
    | a derivation step or a numeric confirmation failed                          | undecided                |
    | a derivation proves it (``shortfall`` None) and no check is sampled-only    | verified, all-parameters |
    | otherwise                                                                   | verified, sampled        |
    """
    if not ev.derivations:
        return Ruling(Verdict.UNDECIDED, None, None, "no symbolic route to agree with the numeric one")
    if not _steps_hold(ev) or not all(ok for _, ok in ev.numeric):
        return Ruling(Verdict.UNDECIDED, None, None, "a derivation step or a numeric confirmation failed")
    reason = "no certified failure; symbolic and numeric routes agree"
    short = []
    for d, checks in ev.derivations:
        why = shortfall(d, checks, statement)
        if why is None and not ev.sampled:
            # One proof suffices; the others' shortfalls are words for a sampled finding's reader only, and
            # comparing a derivation's hypotheses with the statement's costs solver calls.
            return Ruling(Verdict.VERIFIED, Scope.ALL_PARAMETERS, None, reason)
        if why is not None:
            short.append(f"{d.claim} derivation: {why}")
    # Sampled, and why: what a proof for every parameter lacks, for the reader of the finding.
    if ev.sampled:
        short = ["a check confirms part of the claim on samples only"] + short
    return Ruling(Verdict.VERIFIED, Scope.SAMPLED, None, reason, "; ".join(short) or "no derivation")


def _existential(statement: Statement, ev: Evidence) -> Ruling:
    """``exists x: R(x)``: ``ev.search`` is the search of its universal negation, whose certified failure is a
    certified witness; only a derivation proving the negation refutes it."""
    if ev.search is None:
        return Ruling(Verdict.UNDECIDED, None, None, "the statement's negation was not searched for a witness")
    found = ev.search.failure
    if found is not None:
        if not ev.checks_passed:
            return Ruling(Verdict.UNDECIDED, None, None,
                          "a witness certified on closed forms that a check of their definitions contradicts")
        where = ", ".join(f"{k} = {v}" for k, v in found.point.items())
        return Ruling(Verdict.VERIFIED, Scope.ALL_PARAMETERS, None, f"a certified witness at {where}")
    neg = negation(statement)
    if any(proves(d, checks, neg) for d, checks in ev.derivations):
        return Ruling(Verdict.REFUTED, None, Failure.OPEN_SET,
                      "a derivation proves the universal negation: no point of the stated domain is a witness")
    return Ruling(Verdict.UNDECIDED, None, None,
                  "no certified witness, and no proof that none exists (a search that finds none refutes nothing)")


# Ratios certified above each of these at an exact point: the evidence that an unbounded limit is no artefact.
_UNBOUNDED_LEVELS = (10, 100, 1000)


def _ratio(rate: Rate) -> sp.Expr:
    return sp.Abs(rate.quantity) / rate.bound


def _certified_above(ratio: sp.Expr, d: sp.Symbol, level: int) -> int | None:
    """The least ``j`` among 1, 2, 4, ..., 2^62 at which the ratio's ball at ``d = 2^j`` lies above ``level``, in arb
    (a ratio growing like sqrt(log d) passes 1000 only near d = 2^(2^21)); None if none."""
    from derive.intervals import flint_module, to_arb
    flint = flint_module()
    for k in range(63):
        try:
            ball = to_arb(ratio, {d: flint.arb(2) ** (2**k)})
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        if ball.lower() > level:
            return 2**k
    return None


def rate_rule(rate: Rate) -> Ruling:
    """The verdict of a rate claim from the limit ``L`` of ``|f| / g`` as ``d -> oo`` (SymPy's ``limit``):

    | order | verified      | refuted                                                            |
    |-------|---------------|--------------------------------------------------------------------|
    | O     | L finite      | L = oo, the ratio certified above 10, 100, 1000 at exact points     |
    | Theta | 0 < L < oo    | L = oo as for O, or L = 0 (no positive lower constant)             |
    | o     | L = 0         | L > 0: the ratio stays above L/2 for every d past a threshold      |

    An unbounded ratio with symbols besides ``d`` is undecided until they are fixed (then it is certified).

    A finite limit gives the constants: for O and Theta, C = L + 1 (and c = L/2), with a threshold d0 past which the
    ratio is within 1 (L/2) of L, which the limit guarantees.  No limit (an oscillating ratio) is undecided.  A
    ratio with symbols besides ``d`` is judged for each fixed value of them (the limit is taken symbolically)."""
    d = rate.variable
    ratio = _ratio(rate)
    try:
        limit = sp.limit(ratio, d, sp.oo)
    except (NotImplementedError, ValueError, TypeError) as exc:
        return Ruling(Verdict.UNDECIDED, None, None, f"the ratio's limit could not be taken ({type(exc).__name__})")
    name = f"|{plain(rate.quantity)}| / ({plain(rate.bound)})"
    if limit is sp.oo:
        if not ratio.free_symbols <= {d}:
            # Certified at exact points only once every other symbol has a value: refuted at a fixed value of them.
            return Ruling(Verdict.UNDECIDED, None, None, f"{name} -> oo for symbolic parameters; fix them to certify")
        where = [_certified_above(ratio, d, level) for level in _UNBOUNDED_LEVELS]
        if any(w is None for w in where):
            return Ruling(Verdict.UNDECIDED, None, None, f"{name} -> oo by SymPy's limit, not certified at any point")
        shown = ", ".join(f"> {lv} at {d} = 2^{w}" for lv, w in zip(_UNBOUNDED_LEVELS, where, strict=False))
        return Ruling(Verdict.REFUTED, None, Failure.OPEN_SET, f"a certified unbounded ratio: {name} -> oo ({shown})")
    if not limit.is_extended_real or limit.has(sp.AccumBounds) or limit.is_nonnegative is False:
        return Ruling(Verdict.UNDECIDED, None, None, f"{name} has no limit ({plain(limit)})")
    zero = limit.is_zero
    if zero is None:
        return Ruling(Verdict.UNDECIDED, None, None, f"{name} -> {plain(limit)}, whose sign SymPy cannot decide")
    if rate.order is Order.BIG_O:
        return Ruling(Verdict.VERIFIED, Scope.ALL_PARAMETERS, None,
                      f"{name} -> {plain(limit)}: bounded by C = {plain(limit + 1)} past a threshold d0")
    if rate.order is Order.LITTLE_O:
        if zero:
            return Ruling(Verdict.VERIFIED, Scope.ALL_PARAMETERS, None, f"{name} -> 0")
        return Ruling(Verdict.REFUTED, None, Failure.OPEN_SET,
                      f"{name} -> {plain(limit)} > 0: above {plain(limit / 2)} past a threshold, not o(.)")
    if zero:
        return Ruling(Verdict.REFUTED, None, Failure.OPEN_SET, f"{name} -> 0: no positive lower constant, not Theta(.)")
    return Ruling(Verdict.VERIFIED, Scope.ALL_PARAMETERS, None,
                  f"{name} -> {plain(limit)}: between c = {plain(limit / 2)} and C = {plain(limit + 1)} past a "
                  "threshold d0")


# Levels at which a statement in probability is tried when its rate is not settled for a symbolic level.
_LEVELS = (Fraction(1, 10), Fraction(1, 2), Fraction(9, 10), Fraction(99, 100))


def probability_rule(statement: InProbability) -> Ruling:
    """At a stated confidence: the rate of the quantile at that confidence (``rate_rule``).  In probability: the rate
    at a symbolic level ``p`` in (0, 1), which settles every level at once; failing that, one level at which the
    rate is refuted refutes the statement, while levels that all hold prove nothing for the others (undecided)."""
    if statement.confidence is not None:
        r = rate_rule(statement.rate())
        return Ruling(r.verdict, r.scope, r.failure, f"at confidence {plain(statement.confidence)}: {r.reason}")
    # p = 1/(1 + q), q > 0, ranges over (0, 1) exactly: SymPy's assumptions then know 0 < p < 1.
    q = sp.Symbol("q_level", positive=True)
    symbolic = rate_rule(Rate(statement.quantile.xreplace({statement.level: 1 / (1 + q)}), statement.bound,
                              statement.order, statement.variable))
    if symbolic.verdict is Verdict.VERIFIED:
        return Ruling(symbolic.verdict, symbolic.scope, symbolic.failure,
                      f"for every level p in (0, 1): {symbolic.reason}")
    for level in _LEVELS:
        r = rate_rule(statement.rate(sp.Rational(level.numerator, level.denominator)))
        if r.verdict is Verdict.REFUTED:
            return Ruling(r.verdict, None, r.failure, f"at level p = {level}: {r.reason}")
    return Ruling(Verdict.UNDECIDED, None, None, "the rate holds at the levels tried, not shown for every level")

"""The verdict rule (paper_checks.rule), one test per row of DESIGN.md's table, on hand-made evidence."""
from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Op, Step
from paper_checks.finding import Evidence, Failure, Scope, Verdict
from paper_checks.margin import Failure as Found
from paper_checks.margin import SearchResult
from paper_checks.rule import rule
from paper_checks.statement import Statement, Variable

x = sp.Symbol("x", real=True)
X = Variable(x, sp.Interval(0, 1))
CLAIM = Statement((X,), (), sp.Le(x**2, x))
CORRECTION = Statement((Variable(x, sp.Interval.open(0, 1)),), (), sp.Le(x**2, x))

_NONE = SearchResult(100, 0.0, None)
_POINT = SearchResult(100, -1.0, Found({"x": "0"}, ("0", "0"), "0", None))
_BOX = SearchResult(100, -1.0, Found({"x": "1/2"}, ("1", "0"), "-1/4", "1e-3"))


def _derivation(conclusion: sp.Basic | None = None, good: bool = True) -> Derivation:
    step = Step("expand", (x + 1)**2, x**2 + 2 * x + 1 if good else x**2 + 1, "binomial expansion")
    d = Derivation("toy", "toy", ("0 <= x <= 1",), (), step, domain=(sp.Le(0, x), sp.Le(x, 1)))
    if conclusion is not None:
        object.__setattr__(d, "conclusion", conclusion)
    return d


def _evidence(search: SearchResult, corrections=(), derivations=True, conclusion=None) -> Evidence:
    ev = Evidence(search=search)
    ev.corrections = list(corrections)
    if derivations:
        ev.derive(_derivation(conclusion))
    return ev


def test_no_statement_is_not_checkable() -> None:
    assert rule(None, Evidence()).verdict is Verdict.NOT_CHECKABLE


def test_verified_needs_both_routes_and_scope_follows_the_conclusion() -> None:
    r = rule(CLAIM, _evidence(_NONE))
    assert (r.verdict, r.scope) == (Verdict.VERIFIED, Scope.SAMPLED)     # derivation without a matching conclusion
    r = rule(CLAIM, _evidence(_NONE, conclusion=sp.Le(x**2, x)))
    assert (r.verdict, r.scope) == (Verdict.VERIFIED, Scope.ALL_PARAMETERS)
    r = rule(CLAIM, _evidence(_NONE, conclusion=sp.Le(x**3, x)))       # proves something else
    assert r.scope is Scope.SAMPLED
    assert rule(CLAIM, _evidence(_NONE, derivations=False)).verdict is Verdict.UNDECIDED


def test_a_sampled_scope_says_what_a_proof_for_every_parameter_lacks() -> None:
    assert rule(CLAIM, _evidence(_NONE, conclusion=sp.Le(x**2, x))).why_sampled is None
    other = rule(CLAIM, _evidence(_NONE, conclusion=sp.Le(x**3, x)))
    assert other.why_sampled == "toy derivation: its conclusion is not the statement's"
    ev = _evidence(_NONE, conclusion=sp.Le(x**2, x))
    ev.sampled = True                                  # a check confirmed part of the claim on samples only
    r = rule(CLAIM, ev)
    assert r.scope is Scope.SAMPLED and r.why_sampled.startswith("a check confirms part of the claim on samples")
    # An extra hypothesis of the derivation is named: x > 0 where the statement allows x = 0.
    from paper_checks.rule import shortfall
    step = Step("s", x, x + 1, "x <= x + 1", Op.LE)
    d = Derivation("toy", "toy", (), (), step, domain=(sp.Lt(0, x),))
    object.__setattr__(d, "conclusion", sp.Le(x, x + 1, evaluate=False))
    assert shortfall(d, d.check(), Statement((X,), (), sp.Le(x, x + 1, evaluate=False))) == \
        "it assumes 0 < x, which the statement does not imply"


def test_a_failed_confirmation_is_not_verified() -> None:
    ev = _evidence(_NONE)
    ev.confirm("a numeric route", False, next(iter(ev.methods)))
    assert rule(CLAIM, ev).verdict is Verdict.UNDECIDED


def test_open_set_failure_is_refuted_whatever_the_corrections() -> None:
    r = rule(CLAIM, _evidence(_BOX, corrections=[(CORRECTION, _NONE)]))
    assert (r.verdict, r.failure) == (Verdict.REFUTED, Failure.OPEN_SET)


def test_a_failure_certified_on_closed_forms_a_check_contradicts_is_undecided() -> None:
    ev = _evidence(_BOX, corrections=[(CORRECTION, _NONE)])
    ev.checks_passed = False
    assert rule(CLAIM, ev).verdict is Verdict.UNDECIDED


def test_measure_zero_failure_with_verified_correction_is_conditional() -> None:
    r = rule(CLAIM, _evidence(_POINT, corrections=[(CORRECTION, _NONE)]))
    assert (r.verdict, r.failure) == (Verdict.CONDITIONAL, Failure.MEASURE_ZERO)


def test_correction_verification_fails_closed() -> None:
    assert rule(CLAIM, _evidence(_POINT)).verdict is Verdict.UNDECIDED                         # no correction
    assert rule(CLAIM, _evidence(_POINT, corrections=[(CORRECTION, None)])).verdict is Verdict.UNDECIDED
    assert rule(CLAIM, _evidence(_POINT, corrections=[(CORRECTION, _POINT)])).verdict is Verdict.UNDECIDED
    assert rule(CLAIM, _evidence(_POINT, corrections=[(CORRECTION, _NONE)], derivations=False)
                ).verdict is Verdict.UNDECIDED


def test_unsearched_statement_is_undecided() -> None:
    assert rule(CLAIM, Evidence()).verdict is Verdict.UNDECIDED


def test_canonical_forms_compare_structure_not_truth() -> None:
    from paper_checks.statement import canonical
    y = sp.Symbol("y")
    assert canonical(sp.Eq(sp.Symbol("x", positive=True), y)) == canonical(sp.Eq(y, sp.Symbol("x")))
    assert canonical(sp.Ge(x, y)) == canonical(sp.Le(y, x))
    assert canonical(sp.Gt(x, y)) != canonical(sp.Le(y, x))
    # two different true identities are different statements
    assert canonical(sp.Eq(x**2, x * x, evaluate=False)) != canonical(sp.Eq(y + 1, 1 + y, evaluate=False))


def _proves(domain: tuple, variables: tuple, hypotheses: tuple = (), symbol: sp.Symbol = x) -> bool:
    from paper_checks.rule import proves
    step = Step("square", 2 * symbol, (symbol + 1)**2, "the gap x^2 + 1 is positive", Op.LE)
    d = Derivation("toy", "toy", (), (), step, domain=domain)
    concl = sp.Le(2 * x, (x + 1)**2, evaluate=False)
    return proves(d, d.check(), Statement(variables, hypotheses, concl))


def test_a_derivation_under_an_extra_hypothesis_does_not_prove_the_statement() -> None:
    assert _proves((sp.Le(0, x), sp.Le(x, 1)), (X,))               # the statement's own domain
    assert not _proves((sp.Lt(0, x), sp.Le(x, 1)), (X,))           # x > 0: the statement allows x = 0
    assert not _proves((sp.Le(x, sp.Rational(1, 2)),), (X,))       # a smaller range
    y = sp.Symbol("y", real=True)
    both = (X, Variable(y, sp.Interval(0, 1)))
    assert _proves((sp.Le(x, y),), both, (sp.Le(x, y),))            # a hypothesis of the statement
    assert _proves((sp.Le(x**2, y),), both, (sp.Le(x, y),))         # follows from x <= y and the domains (z3, cvc5)
    assert not _proves((sp.Le(y, x),), both, (sp.Le(x, y),))        # does not follow
    # A sign assumption of a symbol of the derivation is a hypothesis too.
    assert not _proves((), (X,), symbol=sp.Symbol("x", positive=True))
    assert _proves((), (X,), symbol=sp.Symbol("x", nonnegative=True))


def test_a_statement_that_is_its_closed_form_is_not_proved_for_every_parameter() -> None:
    """TaxRate1(a) = a^2 is a^2 = a^2 once its closed form is in: its content is the closed form, taken as given."""
    from paper_checks.registry import by_id
    from paper_checks.rule import _tautology
    assert _tautology(by_id("cor-4.5").statement) and _tautology(by_id("sec-7.2").statement)
    assert not _tautology(by_id("thm-6.4.ii").statement) and not _tautology(by_id("thm-4.3").statement)


def test_a_bound_by_a_number_is_the_interval_solveset_gives() -> None:
    # The rule reads ``y < c`` off as an interval instead of solving; it must be the set solveset returns.
    from paper_checks.rule import _solution_set
    y, p = sp.Symbol("y"), sp.Symbol("p", positive=True)
    for rel in (sp.Lt(-1, y), sp.Gt(y, -1), sp.Le(y, sp.pi), sp.Ge(y, sp.sqrt(2) / 2), sp.Lt(y, 0),
                sp.Ge(-sp.Rational(1, 3), y), sp.Lt(p, 2), sp.Ne(y, 0), sp.Gt(1 - y**2, 0)):
        (z,) = rel.free_symbols
        assert _solution_set(rel, z) == sp.solveset(rel, z, sp.S.Reals), rel

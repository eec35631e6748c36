"""The checker: false steps that must not be accepted, true points that must not be dropped."""
from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Discharge, Op, Status, Step, check_step

x = sp.Symbol("x", real=True)


def _deriv(*steps: Step, **kw) -> Derivation:
    return Derivation("test", "test", (), steps[:-1], steps[-1], **kw)


def test_radical_split_with_negative_parts_is_no_proof() -> None:
    # sqrt(-1/(-x^2 - 2)) sqrt(x^2 + 1) = sqrt((x^2 + 1)/(x^2 + 2)) < 1, so "1 <= it" is false.  Algebraisation
    # splits sqrt(n/d) into sqrt(n)/sqrt(d) with n = -1: the relation R^2 = -1 makes the solvers' fact set
    # inconsistent, and any inequality follows unless the radicand -1 >= 0 is itself an obligation.
    value = sp.sqrt(-1 / (-x**2 - 2)) * sp.sqrt(x**2 + 1)
    step = Step("s", sp.Integer(1), value, "false: the value is below 1", Op.LE)
    check = check_step(step, _deriv(step))
    assert check.status is not Status.OK
    assert check.status is Status.FAILED


def test_radical_split_of_a_quotient_of_two_negatives_owes_the_radicands_that_hold() -> None:
    # The true direction of the step above: -1/(-x^2 - 2) = 1/(x^2 + 2), so the split must owe x^2 + 2 > 0, not
    # -1 >= 0 and -x^2 - 2 >= 0 (which fail, and used to make a true step fail).
    value = sp.sqrt(-1 / (-x**2 - 2)) * sp.sqrt(x**2 + 1)
    step = Step("s", value, sp.Integer(1), "true: (x^2 + 1)/(x^2 + 2) < 1", Op.LE)
    assert check_step(step, _deriv(step)).status is Status.OK
    # One negative part alone is not flipped: sqrt(-1/(x^2 + 2)) is not real, and the step owes -1 >= 0.
    bad = Step("s", sp.sqrt(-1 / (x**2 + 2)) * sp.sqrt(x**2 + 1), sp.Integer(1), "not real", Op.LE)
    assert check_step(bad, _deriv(bad)).status is not Status.OK


def test_hypotheses_the_solvers_cannot_state_are_not_consistent_by_default() -> None:
    # x > 1 and log(x) < 0 have no common solution.  The solvers see only x > 1 (log is not polynomial): their
    # "sat" is about a subset of the hypotheses and says nothing of all of them.
    step = Step("s", x, x + 1, "true anyway", Op.LE)
    deriv = _deriv(step, domain=(sp.Gt(x, 1), sp.Lt(sp.log(x), 0)))
    assert deriv.consistency().how is not Discharge.SMT
    assert check_step(step, deriv).status is not Status.OK


def test_a_definition_of_an_undefined_function_is_consistent_and_two_contradictory_ones_are_not() -> None:
    F = sp.Function("F")
    step = Step("s", x, x + 1, "true anyway", Op.LE)
    one = _deriv(step, domain=(sp.Eq(F(x), x**2), sp.Ge(x, 0)))
    assert one.consistency().how is Discharge.SMT
    two = _deriv(step, domain=(sp.Eq(F(x), x**2), sp.Eq(F(x), x**2 + 1)))
    assert two.consistency().how is Discharge.REFUTED
    # F at two argument tuples could coincide (x = y): no claim of consistency from the unknowns then.
    y = sp.Symbol("y", real=True)
    aliased = _deriv(step, domain=(sp.Eq(F(x), 1), sp.Eq(F(y), 2), sp.Eq(x, y)))
    assert aliased.consistency().how is not Discharge.SMT


def test_a_hypothesis_that_holds_exactly_is_not_decided_when_30_digits_cannot_resolve_it() -> None:
    # x - y >= 1 holds with equality at x = e^1000 + 1, y = e^1000.  At 30 digits the cancellation of two
    # 435-digit numbers leaves no correct digit and SymPy returns -1 with precision 1 ("-0.e+0"): the filter
    # must read that as undecided (the exact test says True), neither as a failure nor as a success.
    from derive.consistency import clear_sign
    y = sp.Symbol("y", real=True)
    point = {x: sp.exp(1000) + 1, y: sp.exp(1000)}
    cond = sp.Ge(x - y, 1)
    assert bool(cond.subs(point)) is True
    assert clear_sign(cond, point) is None
    assert clear_sign(sp.Ge(x - y, 1), {x: sp.exp(1000) + 1, y: sp.exp(1000) + 1}) is None   # 0 >= 1 unresolved too
    assert clear_sign(sp.Ge(x - y, 3), {x: sp.Integer(3), y: sp.Integer(1)}) is False   # a clear failure still is one
    assert clear_sign(sp.Gt(x - y, 1), {x: sp.sqrt(2) + 2, y: sp.Integer(1)}) is True    # a clear success too
    assert clear_sign(sp.Lt(x, 1), {x: sp.Integer(1)}) is None                          # a boundary: exactly


def test_a_radicand_is_not_proved_nonnegative_from_its_own_square_root() -> None:
    # For x < 2, sqrt((x - 2)/(x - 3)) = sqrt((2 - x)/(3 - x)) < 1, so "1 <= it" is false.  Split into
    # sqrt(x - 2)/sqrt(x - 3), the radicand obligation x - 2 >= 0 was "proved" by the solvers from the facts
    # R0^2 = x - 2, R0 >= 0 (the radical's own relation, which presumes it): a circular proof.
    step = Step("s", sp.Integer(1), sp.sqrt((x - 2) / (x - 3)), "false for x < 2", Op.LE)
    check = check_step(step, _deriv(step, domain=(sp.Lt(x, 2),)))
    assert check.status is not Status.OK


def test_a_float_is_not_decided_by_its_binary_digits() -> None:
    # 0.1 is stored as 0.1000000000000000055...; at 30 digits x < 0.1 at x = 1/10 "holds" by 5.5e-18 > 1e-20,
    # while SymPy's exact comparison (and the hypothesis as written) says it does not: a Float leaves it undecided.
    from derive.consistency import clear_sign
    assert clear_sign(sp.Lt(x, 0.1), {x: sp.Rational(1, 10)}) is None
    assert clear_sign(sp.Gt(x, sp.Rational(1, 10)), {x: sp.Float(0.1)}) is None
    assert clear_sign(sp.Ge(x, 0.1), {x: sp.Rational(1, 10)}) is None


def test_a_hypothesis_sympy_cannot_compare_drops_the_point() -> None:
    # At x = sqrt(3 + 2 sqrt(2)) = 1 + sqrt(2) the Max's argument is an exact 0 SymPy cannot compare: ValueError.
    # The candidate point is dropped (no exact model from it), not a crash of the consistency check.
    from derive.consistency import satisfies
    from derive.core import Derivation, Step
    step = Step("s", x, x, "anything")
    deriv = Derivation("test", "test", (), (), step,
                       domain=(sp.Gt(10**40 * sp.Max(0, x - sp.sqrt(2) - 1), sp.Rational(1, 4)),))
    assert satisfies({x: sp.sqrt(3 + 2 * sp.sqrt(2))}, deriv, []) is False

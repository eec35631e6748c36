"""Rule CITE owes the cited lemma's angle ranges under the substitution and its own sides' well-definedness."""
from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Op, Rule, Start, Status, Step, check_step
from tests.derive._chains import deriv, status

alpha = sp.Symbol("alpha", real=True)
a, b = sp.symbols("a b", real=True)
u, v = sp.symbols("u v", nonnegative=True)
x = sp.Symbol("x", real=True)


def sine_positive() -> Derivation:
    """0 < sin(alpha) for alpha in (0, pi), the lemma's angle range."""
    return deriv(Step("sine", sp.Integer(0), sp.sin(alpha), "sin > 0 on (0, pi)", Op.LT), angles=(alpha,))


def roots_positive() -> Derivation:
    """0 < sqrt(u) sqrt(v) + 1 for u, v >= 0."""
    return deriv(Step("roots", sp.Integer(0), sp.sqrt(u) * sp.sqrt(v) + 1, "a root is >= 0", Op.LT))


def log_premise() -> Derivation:
    """0 < x log(x) for every x with log(x) > 0 (x > 1 by the premise)."""
    return deriv(Step("log", sp.Integer(0), x * sp.log(x), "x > 1 and log x > 0", Op.LT),
                 domain=(sp.Gt(x, 1), sp.Gt(sp.log(x), 0)), bound=(x,))


def _cite(lhs, rhs, lemma, using=None, op=Op.LT) -> Step:
    return Step("cite", lhs, rhs, "cited", op, by=Rule.CITE, cites=lemma, using=using, start=Start.LEMMA)


def test_the_lemmas_are_proved() -> None:
    assert sine_positive().check()[0].status is Status.OK
    assert roots_positive().check()[0].status is Status.OK


def test_an_angle_substituted_outside_the_lemmas_range_fails() -> None:
    # sin(4) < 0: the lemma holds on (0, pi) only.
    step = _cite(0, sp.sin(4), sine_positive, {alpha: 4})
    check = check_step(step, deriv(step))
    assert check.status is Status.FAILED and "lemma angle" in check.method


def test_an_angle_substituted_inside_the_lemmas_range_is_proved() -> None:
    assert status(_cite(0, sp.sin(1), sine_positive, {alpha: 1})) is Status.OK
    # alpha/2 for an angle alpha of the citing chain lies in (0, pi/2): proved with pi between two rationals.
    assert status(_cite(0, sp.sin(alpha / 2), sine_positive, {alpha: alpha / 2}), angles=(alpha,)) is Status.OK


def test_an_angle_the_hypotheses_leave_beyond_pi_is_not_proved() -> None:
    # 0 < sin(alpha) on (0, pi] and on (0, 4) fails at alpha = pi (and beyond): never proved for every parameter.
    for top in (sp.Le(alpha, sp.pi), sp.Lt(alpha, 4)):
        assert status(_cite(0, sp.sin(alpha), sine_positive), domain=(sp.Gt(alpha, 0), top)) is not Status.OK


def test_an_angle_the_hypotheses_keep_in_range_is_proved() -> None:
    assert status(_cite(0, sp.sin(alpha), sine_positive), domain=(sp.Gt(alpha, 0), sp.Lt(alpha, 3))) is Status.OK
    assert status(_cite(0, sp.sin(alpha), sine_positive), domain=(sp.Gt(alpha, 0), sp.Lt(alpha, sp.pi))) \
        is Status.OK


def test_the_citing_sides_owe_their_radicands() -> None:
    # sqrt(a) sqrt(b) is not real for a, b <= -2, though the matching merges it into the real sqrt(ab).
    step = _cite(0, sp.sqrt(a) * sp.sqrt(b) + 1, roots_positive, {u: a, v: b})
    check = check_step(step, deriv(step, domain=(sp.Le(a, -2), sp.Le(b, -2))))
    assert check.status is Status.FAILED and "radicand" in check.method
    assert status(step, domain=(sp.Ge(a, 2), sp.Ge(b, 2))) is Status.OK


def test_a_lemma_with_a_logarithmic_premise_is_cited() -> None:
    lemma = log_premise()
    assert lemma.check()[0].status is Status.OK
    y = sp.Symbol("y", real=True)
    step = _cite(0, y * sp.log(y), log_premise, {x: y})
    assert status(step, domain=(sp.Gt(y, 2), sp.Gt(sp.log(y), 0))) is Status.OK


def sine_squared_positive() -> Derivation:
    """0 < sin(alpha)^2 for alpha in (0, pi)."""
    return deriv(Step("sine-squared", sp.Integer(0), sp.sin(alpha)**2, "a positive sine squared", Op.LT),
                 angles=(alpha,))


def _judged(top: sp.Basic) -> bool:
    """Whether a chain citing the lemma proves 0 < sin(alpha)^2 for every alpha in (0, top)."""
    from paper_checks.rule import proves
    from paper_checks.statement import Statement, Variable
    statement = Statement((Variable(alpha, sp.Interval.open(0, top)),), (), sp.Lt(0, sp.sin(alpha)**2))
    step = _cite(0, sp.sin(alpha)**2, sine_squared_positive)
    chain = deriv(step, domain=(sp.Gt(alpha, 0), sp.Lt(alpha, top)))
    return proves(chain, chain.check(), statement)


def test_a_statement_past_the_lemmas_angle_range_is_not_proved_for_every_parameter() -> None:
    # 0 < sin(alpha)^2 fails at alpha = pi, inside (0, 4): the citation proves it on (0, pi) only.
    assert not _judged(sp.Integer(4))
    assert _judged(sp.pi)


def exp_above_two() -> Derivation:
    """0 < exp(x) for every x with exp(x) > 2 (the hypothesis is the lemma's, about its free x)."""
    return deriv(Step("exp", sp.Integer(0), sp.exp(x), "an exponential is positive", Op.LT),
                 domain=(sp.Gt(sp.exp(x), 2),))


def test_an_open_obligation_of_a_citation_is_tested_at_random_points() -> None:
    y = sp.Symbol("y", real=True)
    step = _cite(0, sp.exp(y), exp_above_two, {x: y})
    # exp(y) > 2 is owed; the solvers cannot state it, so random points decide: it fails for y < log 2.
    failed = check_step(step, deriv(step))
    assert failed.status is Status.FAILED and "fails numerically" in failed.method
    # Where it holds, the step is numeric-only, and says at how many points it was tested.
    tested = check_step(step, deriv(step, domain=(sp.Gt(y, 1),)))
    assert tested.status is Status.NUMERIC and "numeric at 24 random points" in tested.method


def nonnegative_symbol() -> Derivation:
    """0 <= u for u declared nonnegative: the lemma rests on its symbol's sign."""
    return deriv(Step("sign", sp.Integer(0), u, "u is declared nonnegative", Op.LE))


def test_a_substituted_sign_that_fails_somewhere_leaves_the_step_unproved_and_says_why() -> None:
    # a in [-2, 2] for u >= 0: the lemma is silent at a < 0, so the step is not proved; nothing was evaluated
    # numerically, and the check says which obligation fails instead of "numeric-only".
    step = _cite(0, a, nonnegative_symbol, {u: a}, op=Op.LE)
    got = check_step(step, deriv(step, domain=(sp.Le(-2, a), sp.Le(a, 2))))
    assert got.status is Status.NUMERIC
    assert "not proved, an obligation fails at some point" in got.method and "substituted symbol" in got.method
    # Its true twin, a in [0, 2], is proved.
    assert check_step(step, deriv(step, domain=(sp.Le(0, a), sp.Le(a, 2)))).status is Status.OK

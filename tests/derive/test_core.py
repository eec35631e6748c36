"""The step checker proves true steps and rejects false ones (it can come out either way)."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.core import Derivation, Discharge, Op, Rule, Status, Step, check_step

x = sp.Symbol("x", real=True)
B = sp.Symbol("B", positive=True)
alpha = sp.Symbol("alpha", real=True)


def _deriv(*steps: Step, angles=(), relations=(), domain=()) -> Derivation:
    return Derivation("test", "test", (), steps[:-1], steps[-1], angles=angles, relations=relations,
                      domain=domain)


def _status(step: Step, **kw) -> Status:
    return check_step(step, _deriv(step, **kw)).status


def test_true_identity_is_proved() -> None:
    assert _status(Step("s", (x + 1)**2, x**2 + 2 * x + 1, "expand")) is Status.OK


def test_false_identity_fails() -> None:
    assert _status(Step("s", (x + 1)**2, x**2 + 1, "wrong expansion")) is Status.FAILED


def test_trig_identity_modulo_pythagoras() -> None:
    step = Step("s", sp.sin(alpha)**2, 1 - sp.cos(alpha)**2, "Pythagoras")
    assert _status(step, angles=(alpha,)) is Status.OK


def test_wrong_trig_identity_fails() -> None:
    step = Step("s", sp.sin(alpha)**2, 1 - sp.cos(alpha), "not an identity")
    assert _status(step, angles=(alpha,)) is Status.FAILED


def test_radical_identity() -> None:
    # (sqrt(X)^2 + x^2 = B^2 would be auto-evaluated by SymPy into identical sides, which proves nothing.)
    step = Step("s", sp.sqrt((B - x) * (B + x)) * sp.sqrt(B**2 - x**2) + x**2, B**2, "square of a root")
    assert _status(step, domain=(sp.Lt(x**2, B**2),)) is Status.OK


def test_inequality_needs_a_witness_of_the_right_sign() -> None:
    good = Step("s", x**2 - 2 * x, x**2 - 2 * x + 1 + x**2, "witness", Op.LE, witness=1 + x**2)
    assert _status(good) is Status.OK
    wrong = Step("s", x, x - 1, "false", Op.LE, witness=-sp.Integer(1))
    assert _status(wrong) is Status.FAILED


def test_undecided_step_is_numeric_only_and_labelled() -> None:
    # |x| <= 1 + x^2 holds but SymPy's sign rules do not decide it: numeric-only, never "ok".
    check = check_step(Step("s", sp.Abs(x), 1 + x**2, "numeric", Op.LE),
                       _deriv(Step("s", sp.Abs(x), 1 + x**2, "numeric", Op.LE)))
    assert check.status is Status.NUMERIC and float(check.residual) == 0.0


def test_unknown_step_name_is_a_clear_error() -> None:
    d = _deriv(Step("only", x, x, "trivial"))
    with pytest.raises(KeyError, match=r"name='nope' is not a step of derivation 'test'"):
        d.step("nope")


def test_repr_latex_never_raises() -> None:
    d = _deriv(Step("only", x, x, "trivial"))
    assert d._repr_latex_().startswith("$")


# ---------------------------------------------------------------------------------------------
# Unsound steps: each was "ok" under the old checker and must now be rejected.


def test_radical_of_a_negative_quantity_is_not_positive_by_fiat() -> None:
    step = Step("s", 0, sp.sqrt(-x**2 - 1), "a root is positive", Op.LT)
    check = check_step(step, _deriv(step))
    assert check.status is Status.FAILED
    assert any(o.obligation.kind == "radicand" and o.how is Discharge.REFUTED for o in check.obligations)


def test_roots_do_not_merge_at_unknown_sign() -> None:
    step = Step("s", sp.sqrt(x - 2) * sp.sqrt(x - 3), sp.sqrt((x - 2) * (x - 3)), "merge roots",
                by=Rule.MERGE_ROOTS)
    check = check_step(step, _deriv(step))
    assert check.status is Status.FAILED, check.method
    # The solvers' model is read back under the right name: x < 2 makes the first radicand negative.
    assert check.counterexample is not None and dict(check.counterexample)


def test_roots_merge_when_the_radicands_are_nonnegative() -> None:
    step = Step("s", sp.sqrt(x - 2) * sp.sqrt(x - 3), sp.sqrt((x - 2) * (x - 3)), "merge roots",
                by=Rule.MERGE_ROOTS)
    assert _status(step, domain=(sp.Gt(x, 3),)) is Status.OK


def test_division_by_a_quantity_the_relations_make_zero_is_rejected() -> None:
    step = Step("s", (x**2 - 1) / (x - 1), x + 1, "cancel x - 1")
    check = check_step(step, _deriv(step, relations=(x - 1,)))
    assert check.status is Status.FAILED
    assert any(o.obligation.kind == "denominator" and o.how is Discharge.REFUTED for o in check.obligations)


def test_the_same_division_is_proved_where_the_divisor_is_nonzero() -> None:
    step = Step("s", (x**2 - 1) / (x - 1), x + 1, "cancel x - 1", by=Rule.DIVIDE, using=x - 1)
    assert _status(step, domain=(sp.Gt(x, 1),)) is Status.OK
    assert _status(step) is not Status.OK                          # x = 1 is allowed without the hypothesis


def test_inconsistent_side_relations_prove_nothing() -> None:
    step = Step("s", sp.Integer(0), sp.Integer(1), "0 = 1 modulo x - 1, x - 2")
    check = check_step(step, _deriv(step, relations=(x - 1, x - 2)))
    assert check.status is Status.FAILED and "inconsistent" in check.method


def test_real_inconsistency_of_the_hypotheses_is_found() -> None:
    y = sp.Symbol("y", real=True)
    step = Step("s", y, y + 1, "anything", Op.LE, witness=sp.Integer(1))
    check = check_step(step, _deriv(step, relations=(x**2 + y**2 + 1,)))   # no real point
    assert check.status is Status.FAILED and "inconsistent" in check.method


def test_consistency_is_not_shown_by_a_model_of_only_some_hypotheses() -> None:
    # |x| < -1 cannot be said to the solvers (not polynomial): a model of x > 0 alone is no model of the domain.
    step = Step("s", (x + 1)**2, x**2 + 2 * x + 1, "expand")
    check = check_step(step, _deriv(step, domain=(sp.Gt(x, 0), sp.Lt(sp.Abs(x), -1))))
    consistency = next(c for c in check.obligations if c.obligation.kind == "consistency")
    assert consistency.how not in (Discharge.SMT, Discharge.SYMPY) and check.status is not Status.OK


def test_an_inverse_needs_a_hypothesis() -> None:
    d, m = sp.Symbol("d", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
    C = sp.MatrixSymbol("C", d, m)
    # Built unevaluated: SymPy would otherwise cancel X^{-1} X at construction, assuming X invertible.
    step = Step("s", sp.MatMul((C * C.T).I, C, C.T, evaluate=False), sp.Identity(d), "inverse")
    check = check_step(step, _deriv(step, domain=(sp.Lt(m, d),)))
    assert check.status is Status.FAILED and "inverse not shown to exist" in check.method
    # Declaring C C^T invertible does not help when m < d: a d x d matrix of rank m cannot be.
    deriv = Derivation("test", "test", (), (), step, domain=(sp.Lt(m, d),), invertible=(C * C.T,))
    check = check_step(step, deriv)
    assert check.status is Status.FAILED and "rank" in check.method
    good = Step("s", sp.MatMul((C.T * C).I, C.T, C, evaluate=False), sp.Identity(m), "inverse")
    deriv = Derivation("test", "test", (), (), good, domain=(sp.Lt(m, d),), invertible=(C.T * C,))
    assert check_step(good, deriv).status is Status.OK


def test_identical_sides_are_rejected() -> None:
    step = Step("s", x + 1, x + 1, "by Fermat's Last Theorem")
    check = check_step(step, _deriv(step))
    assert check.status is Status.FAILED and "same expression" in check.method


def test_a_rule_must_match_what_the_step_does() -> None:
    # EVALUATE with nothing to evaluate, SUBSTITUTE with an equation out of scope.
    assert _status(Step("s", (x + 1)**2, x**2 + 2 * x + 1, "evaluate", by=Rule.EVALUATE)) is Status.FAILED
    y = sp.Symbol("y", real=True)
    sub = Step("s", x + y, 2 * y, "substitute x = y", by=Rule.SUBSTITUTE, using=sp.Eq(x, y))
    assert _status(sub) is Status.FAILED
    assert _status(sub, relations=(x - y,)) is Status.OK


def test_chain_links_are_checked() -> None:
    s1 = Step("a", (x + 1)**2, x**2 + 2 * x + 1, "expand")
    s2 = Step("b", x**2 + 2 * x + 2, (x + 1)**2 + 1, "not the previous right side")
    d = Derivation("test", "test", (), (s1,), s2)
    checks = d.check()
    assert checks[0].status is Status.OK and checks[1].status is Status.FAILED
    assert "chain broken" in checks[1].method
    s2 = Step("b", x**2 + 2 * x + 1, (x + 1)**2 - 1 + 1 + x - x, "factor back")
    d = Derivation("test", "test", (), (s1,), Step("b", x**2 + 2 * x + 1, x * (x + 2) + 1, "factor"))
    assert [c.status for c in d.check()] == [Status.OK, Status.OK]
    assert d.conclusion == sp.Eq((x + 1)**2, x * (x + 2) + 1, evaluate=False)


def test_conclusion_is_as_strong_as_the_weakest_link() -> None:
    s1 = Step("a", x**2, x**2 + 1, "add one", Op.LT, witness=sp.Integer(1))
    s2 = Step("b", x**2 + 1, (x + 1)**2 - 2 * x, "rewrite")
    d = Derivation("test", "test", (), (s1,), s2)
    assert isinstance(d.conclusion, sp.StrictLessThan)
    assert all(c.status is Status.OK for c in d.check())


def test_a_declared_slack_sign_must_follow_from_the_domain() -> None:
    t = sp.Symbol("t", real=True)
    slack = sp.Symbol("s_t", nonnegative=True)                 # declares 1 - t >= 0 by fiat
    step = Step("s", t, sp.Integer(1), "t <= 1", Op.LE, witness=slack)
    assert _status(step, relations=(slack - (1 - t),)) is not Status.OK
    assert _status(step, relations=(slack - (1 - t),), domain=(sp.Le(t, 1),)) is Status.OK


def test_a_slack_declared_positive_with_a_negative_number_for_its_value_proves_nothing() -> None:
    """B = -1 with B declared positive: the declaration is false, decided without the hypotheses; B = 1 is fine."""
    t = sp.Symbol("t", real=True)
    budget = sp.Symbol("B", positive=True)
    step = Step("s", t**2, t**2 + budget, "t^2 <= t^2 + B", Op.LE)
    assert _status(step, relations=(budget + 1,)) is not Status.OK
    assert _status(step, relations=(budget - 1,)) is Status.OK


def test_square_both_sides_needs_nonnegative_sides() -> None:
    first = Step("a", x, x + 1, "one more", Op.LT, witness=sp.Integer(1))
    sq = Step("b", x**2, (x + 1)**2, "square", Op.LT, by=Rule.SQUARE)
    d = Derivation("test", "test", (), (first,), sq)
    assert d.check()[1].status is Status.FAILED                 # x = -1 gives 1 < 0
    d = Derivation("test", "test", (), (first,), sq, domain=(sp.Gt(x, 0),))
    assert d.check()[1].status is Status.OK


def test_numeric_fallback_samples_the_whole_domain() -> None:
    # 1/(1 + 1000 x) > 1/2 holds on (0, 1e-3) only: draws confined to (0.05, 3) would never see that
    # it is false, draws over the whole positive axis do.
    xp = sp.Symbol("x", positive=True)
    step = Step("s", sp.Rational(1, 2), 1 / (1 + xp / 1000), "false for x > 1000", Op.LT)
    check = check_step(step, _deriv(step))
    assert check.status is Status.FAILED and check.counterexample      # the solvers' model, under "x"
    assert float(dict(check.counterexample)["x"]) >= 1000
    # Without the solvers (a transcendental side), the random points must still reach x > 1000.
    step = Step("s", sp.Rational(1, 2), sp.exp(-xp / 2000), "false for x > 1386", Op.LT)
    check = check_step(step, _deriv(step))
    assert check.status is Status.FAILED and "certified in arb" in check.method
    assert float(dict(check.counterexample)["x"]) > 1386


def test_numeric_only_inequality_counts_certified_points() -> None:
    step = Step("s", sp.Abs(x), 2 + x**2, "numeric", Op.LT)
    check = check_step(step, _deriv(step))
    assert check.status is Status.NUMERIC and "24 of 24 points certified" in check.method


def test_cite_must_match_the_lemma_and_inherits_its_status() -> None:
    lemma = Derivation("lemma", "lemma", (), (), Step("l", x**2, x**2 + 1, "one more", Op.LT,
                                                        witness=sp.Integer(1)))
    y = sp.Symbol("y", real=True)
    good = Step("c", y**2, y**2 + 1, "cite", Op.LE, by=Rule.CITE, cites=lambda: lemma, using={x: y})
    assert _status(good) is Status.OK
    wrong = Step("c", y**2, y**2 + 2, "cite", Op.LE, by=Rule.CITE, cites=lambda: lemma, using={x: y})
    assert _status(wrong) is Status.FAILED
    stronger = Step("c", y**2, y**2 + 1, "cite", Op.EQ, by=Rule.CITE, cites=lambda: lemma, using={x: y})
    assert _status(stronger) is Status.FAILED
    false_lemma = Derivation("bad", "bad", (), (), Step("l", x**2 + 1, x**2, "false", Op.LT,
                                                         witness=sp.Integer(-1)))
    relies = Step("c", y**2 + 1, y**2, "cite", Op.LT, by=Rule.CITE, cites=lambda: false_lemma, using={x: y})
    assert _status(relies) is not Status.OK


def test_lemma_hypotheses_are_obligations_of_the_citing_step() -> None:
    t = sp.Symbol("t", real=True)
    lemma = Derivation("lemma", "lemma", (), (), Step("l", sp.Integer(0), sp.sqrt(t), "root", Op.LE,
                                                        witness=sp.sqrt(t)), domain=(sp.Ge(t, 0),))
    y = sp.Symbol("y", real=True)
    cite = Step("c", sp.Integer(0), sp.sqrt(y - 5), "cite", Op.LE, by=Rule.CITE, cites=lambda: lemma,
                using={t: y - 5})
    assert _status(cite) is not Status.OK                    # y - 5 >= 0 is not known here
    assert _status(cite, domain=(sp.Gt(y, 5),)) is Status.OK


def test_numeric_fallback_leaves_a_definition_of_an_undefined_function_out_of_the_sampled_domain() -> None:
    # A chain from a definition keeps F(x) = X in its domain (derive/closed_form.py).  F is unknown to the
    # sampler: the definition says nothing about the symbols drawn, so it neither compiles (NameError) nor
    # rejects every point; the other hypotheses still confine the points.
    X = sp.Symbol("X", positive=True)
    F = sp.Function("F")
    for extra in ((), (sp.Ne(sp.Abs(x), 5),)):          # the fast (compiled) path and the slow (subs) path
        domain = (sp.Eq(F(x), X), sp.Lt(X, 1), *extra)
        true = Step("s", sp.Abs(x), X + 1 + x**2, "numeric", Op.LE)
        assert check_step(true, _deriv(true, domain=domain)).status is Status.NUMERIC
        false = Step("s", sp.Abs(x) + 1, X + x**2, "false for x = 1/2, X < 1", Op.LE)
        assert check_step(false, _deriv(false, domain=domain)).status is Status.FAILED


def test_a_relation_that_is_an_identity_divides_nothing() -> None:
    """(x + 1)^2 - x^2 - 2x - 1 expands to zero: the cofactors are taken over the other relations, and the step
    x^3 = x follows from x^2 = 1 as it would without it."""
    step = Step("s", x**3, x, "x^2 = 1")
    assert _status(step, relations=(x**2 - 1, (x + 1)**2 - x**2 - 2 * x - 1)) is Status.OK
    assert _status(Step("s", x**3, 2 * x, "x^2 = 2"), relations=(x**2 - 1, (x + 1)**2 - x**2 - 2 * x - 1)) \
        is not Status.OK

"""Derivations of FALSE statements that ``proves`` must not accept: each exploits one way a chain could assume more
than its statement.  ``all-parameters`` rests on these."""
from __future__ import annotations

import pytest
import sympy as sp

from derive import capability_constraint as K
from derive.core import Derivation, Op, Optimum, Rule, Start, Step
from paper_checks.rule import proves
from paper_checks.statement import Statement, Variable
from paper_checks.statements import capability_constraint as SC

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
REAL = Variable(x, sp.Interval(-sp.oo, sp.oo))
NONNEGATIVE_EVERYWHERE = Statement((REAL,), (), sp.Le(0, x))     # false at x = -1


def _proves(d: Derivation, statement: Statement = NONNEGATIVE_EVERYWHERE) -> bool:
    return proves(d, d.check(), statement)


def _sign_step(lhs, rhs) -> Step:
    return Step("sign", lhs, rhs, "claimed", Op.LE)


@pytest.mark.parametrize("name,derivation", [
    # an object of the chain's own, t^2 = x, forces x >= 0
    ("internal square", Derivation("t", "t", (), (), _sign_step(0, x), relations=(sp.Symbol("t", real=True)**2 - x,))),
    # a slack 2u = x with u >= 0
    ("scaled slack", Derivation("t", "t", (), (), _sign_step(0, x),
                                relations=(2 * sp.Symbol("u", nonnegative=True) - x,))),
    # a hypothesis tying x to an object of the chain's own
    ("internal hypothesis", Derivation("t", "t", (), (), _sign_step(0, x),
                                       domain=(sp.Ge(sp.Symbol("t", real=True), 0),
                                               sp.Eq(sp.Symbol("t", real=True), x)))),
    # the variable declared positive and bound
    ("bound sign", Derivation("t", "t", (), (), _sign_step(0, sp.Symbol("x", positive=True)),
                              bound=(sp.Symbol("x", positive=True),))),
])
def test_a_chain_that_assumes_more_than_the_statement_does_not_prove_it(name: str, derivation: Derivation) -> None:
    assert not _proves(derivation), name


def test_an_integer_assumption_the_statement_does_not_make_is_not_proof() -> None:
    xi = sp.Symbol("x", positive=True, integer=True)
    d = Derivation("t", "t", (), (), _sign_step(1, xi))
    assert not _proves(d, Statement((Variable(x, sp.Interval.open(0, sp.oo)),), (), sp.Le(1, x)))   # x = 1/2


def test_a_cited_lemmas_premise_is_owed_by_the_citing_chain() -> None:
    def lemma() -> Derivation:          # for every x <= 0: x <= 0
        return Derivation("lemma", "lemma", (), (), Step("le", x, 0, "premise", Op.LE), domain=(sp.Le(x, 0),),
                          bound=(x,))
    d = Derivation("t", "t", (), (), Step("cite", x, 0, "cites", Op.LE, by=Rule.CITE, cites=lemma, start=Start.LEMMA))
    assert not _proves(d, Statement((REAL,), (), sp.Le(x, 0)))


def test_a_cited_lemmas_relations_and_signs_are_owed_by_the_citing_chain() -> None:
    def lemma() -> Derivation:          # 0 <= x where x = 1
        return Derivation("lemma", "lemma", (), (), _sign_step(0, x), relations=(x - 1,))
    d = Derivation("t", "t", (), (), Step("cite", 0, x, "cites", Op.LE, by=Rule.CITE, cites=lemma, start=Start.LEMMA))
    assert not _proves(d)
    xp = sp.Symbol("x", positive=True)

    def positive() -> Derivation:
        return Derivation("lemma2", "lemma2", (), (), _sign_step(0, xp))
    d = Derivation("t", "t", (), (), Step("cite", 0, x, "cites", Op.LE, by=Rule.CITE, cites=positive, using={xp: x},
                                          start=Start.LEMMA))
    assert not _proves(d)


@pytest.mark.claim("thm-4.3")
@pytest.mark.parametrize("y1,relations", [
    (sp.Symbol("y_1", nonpositive=True), ()),                          # the bound holds only for y1 <= 0
    (sp.Symbol("y_1", real=True), (sp.Symbol("y_1", real=True),)),    # a relation y1 = 0 narrows the feasible set
    (sp.Symbol("y_1", real=True), (K.tau - 1,)),                       # a relation tau = 1 narrows the parameters
], ids=["bound-variable-sign", "relation-on-variable", "relation-on-parameter"])
def test_thm_4_3_an_optimum_from_a_narrower_bound_is_not_proof(y1: sp.Symbol, relations: tuple) -> None:
    s, r, tau, B = K.s, K.r, K.tau, K.B
    R = sp.Symbol("y_rest", real=True)
    feasible = sp.Le(r**2 + y1**2 + R**2, B**2)
    thm = SC.STATEMENTS["thm-4.3"]
    false = Statement(thm.variables, thm.hypotheses, sp.Eq(SC.MaxSafetyAtTarget(s, r, tau, B), s))

    def lemma() -> Derivation:          # "for every feasible (y1, R): s + n y1 <= s": true only for y1 <= 0
        return Derivation("bad", "bad", (), (), Step("ub", s + K.perp_norm() * y1, s, "n >= 0, y1 <= 0", Op.LE,
                                                     start=Start.HYPOTHESIS),
                          relations=relations, domain=(sp.Le(tau, 1), sp.Le(r, B), feasible), bound=(y1, R))
    opt = Optimum((y1, R), s + K.perp_norm() * y1, (feasible,), (sp.Integer(0), sp.Integer(0)))
    d = Derivation("t", "t", (), (), Step("maximum", SC.MaxSafetyAtTarget(s, r, tau, B), s, "optimum",
                                          by=Rule.OPTIMUM, cites=lemma, using=opt, start=Start.DEFINITION),
                   domain=(sp.Le(tau, 1), sp.Le(r, B)))
    assert not _proves(d, false)


@pytest.mark.claim("thm-4.3")
def test_thm_4_3_an_optimum_is_not_read_from_its_closed_form() -> None:
    """Unfolded to its closed form, thm-4.3 is X = X: a detour X = X (1 + B)/(1 + B) = X must not prove it."""
    s, r, tau, B = K.s, K.r, K.tau, K.B
    value = K.max_safety_at_target()
    detour = sp.Mul(value + B, sp.Pow(1 + B, -1), 1 + B, evaluate=False) - B
    d = Derivation("t", "t", (), (Step("out", value, detour, "times 1", start=Start.DEFINITION),),
                   Step("back", detour, value, "cancel"), domain=(sp.Le(tau, 1), sp.Le(r, B)))
    assert all(c.status.value == "ok" for c in d.check())        # a valid chain, of a tautology
    assert not _proves(d, SC.STATEMENTS["thm-4.3"])
    # ... nor a hypothesis that states its value
    d = Derivation("t", "t", (), (), Step("assumed", SC.MaxSafetyAtTarget(s, r, tau, B), value, "assumed",
                                          by=Rule.SUBSTITUTE, using=sp.Eq(SC.MaxSafetyAtTarget(s, r, tau, B), value),
                                          start=Start.HYPOTHESIS),
                   domain=(sp.Le(tau, 1), sp.Le(r, B), sp.Eq(SC.MaxSafetyAtTarget(s, r, tau, B), value)))
    assert not _proves(d, SC.STATEMENTS["thm-4.3"])

"""A closed form proved from its definition makes a statement all-parameters only when the proof is of that
definition, at arguments a use can owe, and the statement's sides are the same over its whole domain.

Each test pairs what must not come out all-parameters (a proof at integer arguments, a value solved from equations
that are not the definition's, a norm's other root, a domain wider than the proof's, a variable declared more than
its domain says) with its true twin, which must.
"""
from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
import sympy as sp

from derive import capability_constraint as K
from derive import tax_rate as T
from derive.core import Derivation, Op, Rule, Solution, Start, Step
from paper_checks import closed_forms, definitions
from paper_checks.audit import judge
from paper_checks.finding import AuditConfig, Scope
from paper_checks.registry import by_id
from paper_checks.rule import shortfall
from paper_checks.statement import Statement, Variable
from paper_checks.statements import tax_rate as TS
from paper_checks.statements.capability_constraint import PerpLength
from tests._closed_forms import redefined

pytestmark = [pytest.mark.claim("cor-4.5", "rem-4.6", "thm-4.3"),
              pytest.mark.usefixtures("fresh_proofs")]


def _of_statement(statement: Statement) -> str | None:
    """``shortfall`` of a statement that is its closed forms (no chain of its own is read)."""
    return shortfall(SimpleNamespace(conclusion=statement.conclusion), (), statement)


def _scope(claim_id: str, statement: Statement):
    f = judge(dataclasses.replace(by_id(claim_id), statement=statement), AuditConfig())
    return f.verdict.value, f.scope


# --------------------------------------------------------------------------------------------- the proof's arguments


def _toy(monkeypatch, x: sp.Symbol, det) -> sp.FunctionClass:
    """Toy(x): the value of lam solving det(x) lam - det(x) = 0, proved to be 1 at the point lam = 1 (unique where
    det(x) != 0)."""
    toy = sp.Function("Toy", real=True, nargs=1)
    lam = sp.Symbol("lam", real=True)

    def equations(x_: sp.Expr) -> definitions.Equations:
        return definitions.Equations((lam,), (det(x_) * lam - det(x_),), lam)

    def proof(f: sp.FunctionClass) -> Derivation:
        eq = equations(x)
        result = Step("closed-form", f(x), sp.Integer(1), "the equation solved", by=Rule.SOLUTION,
                      using=Solution(eq.unknowns, eq.equations, eq.value, (sp.Integer(1),)), start=Start.DEFINITION)
        return Derivation("Toy", "Toy from its definition", (), (), result)
    monkeypatch.setitem(definitions.DEFINITIONS, "Toy", definitions.Definition(
        toy, "toy", lambda x_: sp.Integer(1), "toy", equations=equations, proof=proof))
    closed_forms.proof.cache_clear()
    return toy


def test_a_proof_at_an_integer_argument_proves_nothing_for_a_real_one(monkeypatch) -> None:
    """2x - 1 != 0 for every integer x, so the proof at an integer x is checked; at y = 1/2 every lam solves the
    equation, and no use owes integrality: the statement Toy(y) = 1 on [-1, 1] is not all-parameters."""
    y = sp.Symbol("y", real=True)
    toy = _toy(monkeypatch, sp.Symbol("x", integer=True), lambda x: 2 * x - 1)
    assert all(c.status.value == "ok" for c in closed_forms.proof("Toy").checks)
    assert "more than real with a sign" in closed_forms.proof("Toy").why
    statement = Statement((Variable(y, sp.Interval(-1, 1)),), (), sp.Eq(toy(y), 1))
    assert _of_statement(statement) is not None


def test_a_proof_at_a_signed_argument_owes_the_sign(monkeypatch) -> None:
    """The true twin: x + 1 != 0 for x > 0, proved at a positive x, which a use owes."""
    y = sp.Symbol("y", real=True)
    toy = _toy(monkeypatch, sp.Symbol("x", positive=True), lambda x: x + 1)
    assert closed_forms.proof("Toy").why is None
    assert _of_statement(Statement((Variable(y, sp.Interval.Lopen(0, 1)),), (), sp.Eq(toy(y), 1))) is None
    assert "proved where" in _of_statement(Statement((Variable(y, sp.Interval(-1, 1)),), (), sp.Eq(toy(y), 1)))


# ------------------------------------------------------------------------------------- the definition's equations


def test_equations_with_one_more_or_one_fewer_than_the_definition_prove_nothing(monkeypatch) -> None:
    d = definitions.DEFINITIONS["TaxRate2"]
    assert closed_forms.proof("TaxRate2").why is None

    def more(*args):
        e = d.equations(*args)
        return dataclasses.replace(e, equations=(*e.equations, e.unknowns[0] - e.unknowns[1]))

    def fewer(*args):
        e = d.equations(*args)
        return dataclasses.replace(e, equations=e.equations[:1])
    for other in (more, fewer):
        redefined(monkeypatch, "TaxRate2", equations=other)
        assert "not the quantity's definition" in closed_forms.proof("TaxRate2").why


def test_a_norm_declared_nonpositive_is_not_the_norm(monkeypatch) -> None:
    """The nonpositive root of n^2 + tau - 1 = 0 is a true step (``tests/derive/test_rule_solution.py``), but the
    definition's unknown is a norm, nonnegative: a proof through the other root proves nothing."""
    assert closed_forms.proof("PerpLength").why is None

    def other_root(f):
        good = K.perp_norm_from_definition(f)
        neg = sp.Symbol("n_perp", nonpositive=True)
        sol = Solution((neg,), (neg**2 + K.tau - 1,), neg, (-sp.sqrt(1 - K.tau),))
        return dataclasses.replace(good, result=dataclasses.replace(good.result, rhs=-sp.sqrt(1 - K.tau), using=sol))
    redefined(monkeypatch, "PerpLength", proof=other_root)
    p = closed_forms.proof("PerpLength")
    assert all(c.status.value == "ok" for c in p.checks)
    assert "not the quantity's definition" in p.why


@pytest.mark.parametrize("change", ["argument not a symbol", "another quantity", "another closed form"])
def test_a_proof_that_ends_elsewhere_proves_nothing(monkeypatch, change: str) -> None:
    """The proof's conclusion must be F(x) = X(x), X the registered closed form, at distinct symbols x."""
    d = definitions.DEFINITIONS["TaxRate1"]
    if change == "another closed form":
        redefined(monkeypatch, "TaxRate1", closed_form=lambda a_: 2 * a_**2)
        assert "another expression" in closed_forms.proof("TaxRate1").why
        return

    def ends_elsewhere(f):
        good = T.tax_rate_one_from_definition(f)
        lhs = f(2 * T.a1) if change == "argument not a symbol" else sp.Function("G", real=True, nargs=1)(T.a1)
        return dataclasses.replace(good, result=dataclasses.replace(good.result, lhs=lhs))
    redefined(monkeypatch, "TaxRate1", proof=ends_elsewhere)
    assert closed_forms.proof("TaxRate1").why is not None
    assert d.proof is T.tax_rate_one_from_definition


def _bound_by_solving(equations: bool) -> tuple[Derivation, Statement]:
    """TaxRate1(a) <= 1 on [-1, 1] by a chain TaxRate1(a) = E (rule SOLUTION), E <= 1: E = a^2 from the definition's
    normal equation, or E = a^4 from u^2 - a^8 = 0 (u >= 0), which is not TaxRate1's definition."""
    a = TS.a
    if equations:
        lam = sp.Symbol("lambda_1", real=True)
        sol, value = Solution((lam,), (a - lam,), lam**2, (a,)), a**2
    else:
        u = sp.Symbol("u", nonnegative=True)
        sol, value = Solution((u,), (u**2 - a**8,), u, (a**4,)), a**4
    solved = Step("solved", TS.TaxRate1(a), value, "the value at the solution", by=Rule.SOLUTION, using=sol)
    bound = Step("bound", value, sp.Integer(1), "at most 1 on [-1, 1]", Op.LE, witness=1 - value)
    deriv = Derivation("toy", "TaxRate1 at most 1", (), (solved,), bound, domain=(sp.Le(-1, a), sp.Le(a, 1)))
    return deriv, Statement((TS.A,), (), sp.Le(TS.TaxRate1(a), 1))


def test_a_chain_that_solves_other_equations_for_a_quantity_proves_nothing() -> None:
    """Rule SOLUTION shows the value solves the equations the step names; in a claim's chain they must be the
    quantity's definition too, as a maximum must be its definition's (TaxRate1(a) = a^4 is false)."""
    true, statement = _bound_by_solving(True)
    checks = true.check()
    assert all(c.status.value == "ok" for c in checks)
    assert shortfall(true, checks, statement) is None
    false, statement = _bound_by_solving(False)
    checks = false.check()
    assert all(c.status.value == "ok" for c in checks)
    assert "not the definition's" in shortfall(false, checks, statement)


# --------------------------------------------------------------------------------------------- the use's domain


@pytest.mark.parametrize(("domain", "strict", "all_parameters"), [
    (sp.Interval.open(-1, 1), False, True),
    (sp.Interval(-1, 1), False, False),
    (sp.Interval(-2, 2), False, False),
    (sp.Interval(-2, 2), True, True),        # a strictly realisable (a1, a2, g) has |g| < 1
])
def test_rem_4_6_is_all_parameters_only_where_the_gram_matrix_is_invertible(domain, strict, all_parameters) -> None:
    """TaxRate2's closed form is proved for |g| < 1: rem-4.6 with g = +-1 admitted is not all-parameters, end to end."""
    st = by_id("rem-4.6").statement
    variables = tuple(dataclasses.replace(v, domain=domain) if v.symbol.name == "g" else v for v in st.variables)
    hypotheses = (sp.Gt(TS.REALISABLE_2.lhs, 0),) if strict else st.hypotheses
    verdict, scope = _scope("rem-4.6", dataclasses.replace(st, variables=variables, hypotheses=hypotheses))
    assert (scope is Scope.ALL_PARAMETERS) is all_parameters, (verdict, scope)


def test_perp_length_is_all_parameters_only_for_tau_in_its_range() -> None:
    tau = sp.Symbol("tau", real=True)
    for hi, proved in ((1, True), (2, False)):
        statement = Statement((Variable(tau, sp.Interval(0, hi)),), (), sp.Eq(PerpLength(tau) ** 2, 1 - tau))
        assert (_of_statement(statement) is None) is proved


# --------------------------------------------------------------------------------------------- the statement's symbols


def test_a_variable_declared_more_than_its_domain_is_not_all_parameters() -> None:
    """With a declared positive, a |a| is built as a^2 and TaxRate1(a) = a |a| reads as its closed form; on [-1, 1] it
    is false (a = -1/2).  The true twin, a real and |a|^2, is all-parameters; sqrt(TaxRate1(a)) = a is no closed form
    (sqrt(a^2) is |a|) and is refuted."""
    a, positive = sp.Symbol("a", real=True), sp.Symbol("a", positive=True)
    assert _scope("cor-4.5", Statement((Variable(positive, sp.Interval(-1, 1)),), (),
                                       sp.Eq(TS.TaxRate1(positive), positive * sp.Abs(positive))))[1] is not \
        Scope.ALL_PARAMETERS
    assert _of_statement(Statement((Variable(positive, sp.Interval(-1, 1)),), (),
                                   sp.Eq(TS.TaxRate1(positive), positive * sp.Abs(positive)))) is not None
    assert _of_statement(Statement((Variable(positive, sp.Interval.Lopen(0, 1)),), (),
                                   sp.Eq(TS.TaxRate1(positive), positive * sp.Abs(positive)))) is None
    assert _scope("cor-4.5", Statement((Variable(a, sp.Interval(-1, 1)),), (),
                                       sp.Eq(TS.TaxRate1(a), sp.Abs(a) ** 2))) == ("verified", Scope.ALL_PARAMETERS)
    assert _scope("cor-4.5", Statement((Variable(a, sp.Interval(-1, 1)),), (),
                                       sp.Eq(sp.sqrt(TS.TaxRate1(a)), a)))[0] == "refuted"

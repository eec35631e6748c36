"""The tax rate's and the perpendicular norm's closed forms are proved from their definitions, for every argument.

TaxRate1 and TaxRate2 (and TauOne, TauTwo, PackingTax: the same quantity in other symbols, proved by the same chain)
are ||P_C v*||^2 at the solution of the normal equations; PerpLength is the nonnegative solution of Pythagoras'
equation.  Each proof step is shown to be one that can fail: with a coefficient or a sign changed it fails, while
its true twin passes.  A proof whose equations are not the definition's, or whose chain fails, proves nothing, and a
use of a proved closed form owes the proof's hypotheses.
"""
from __future__ import annotations

import dataclasses
import json

import pytest
import sympy as sp

from derive import capability_constraint as K
from derive import tax_rate as T
from derive.core import Rule, Solution, Status
from paper_checks import closed_forms, definitions
from paper_checks.registry import by_id
from paper_checks.rule import shortfall
from tests.derive._chains import step_status, with_step
from tests._closed_forms import redefined

pytestmark = [pytest.mark.claim("cor-4.5", "rem-4.6", "def-3.4", "thm-4.3"),
              pytest.mark.usefixtures("fresh_proofs")]

F1 = sp.Function("F1", real=True, nargs=1)
F3 = sp.Function("F3", real=True, nargs=3)
TENTH = sp.Rational(1001, 1000)
PROVED = ("TaxRate1", "TaxRate2", "PerpLength", "TauOne", "TauTwo", "PackingTax", "ProjectedCos",
          "PartialCorrelation", "ProjectedCosTwo")


def _with_solution(d, **changes):
    return with_step(d, "closed-form", using=dataclasses.replace(d.result.using, **changes))


@pytest.mark.parametrize("name", PROVED)
def test_the_closed_form_is_proved_from_the_definition(name: str) -> None:
    p = closed_forms.proof(name)
    assert p.why is None, p.why
    assert all(c.status is Status.OK for c in p.checks), [(c.step.name, c.method) for c in p.checks]
    assert p.derivation.result.by is Rule.SOLUTION and p.derivation.result.lhs.func is \
        definitions.DEFINITIONS[name].function


def test_the_same_quantity_has_one_proof() -> None:
    """TauTwo and PackingTax are TaxRate2 in other symbols: the same chain, for their own function."""
    chains = [closed_forms.proof(n).derivation for n in ("TaxRate2", "TauTwo", "PackingTax")]
    assert len({tuple(s.name for s in d.chain) for d in chains}) == 1
    assert len({d.result.rhs for d in chains}) == 1
    assert len({d.result.lhs.func for d in chains}) == 3


def test_a_false_normal_equation_fails_and_its_true_twin_passes() -> None:
    d = T.tax_rate_two_from_definition(F3)
    assert step_status(d, "normal-equations") is Status.OK
    C, v = sp.MatrixSymbol("C", T._d, 2), sp.MatrixSymbol("v", T._d, 1)
    assert d.step("normal-equations").lhs == C.T * (v - C * (C.T * C).I * C.T * v)
    false = with_step(d, "normal-equations", lhs=C.T * (v - 2 * C * (C.T * C).I * C.T * v))
    assert step_status(false, "normal-equations") is Status.FAILED


def test_a_false_projection_norm_fails_and_its_true_twin_passes() -> None:
    for d in (T.tax_rate_one_from_definition(F1), T.tax_rate_two_from_definition(F3)):
        assert step_status(d, "projection-norm") is Status.OK
        false = with_step(d, "projection-norm", rhs=2 * d.step("projection-norm").rhs)
        assert step_status(false, "projection-norm") is Status.FAILED


def test_a_false_pythagoras_fails_and_its_true_twin_passes() -> None:
    d = K.perp_norm_from_definition(F1)
    assert step_status(d, "pythagoras") is Status.OK
    inside, outside = d.step("pythagoras").rhs.args
    assert step_status(with_step(d, "pythagoras", rhs=inside - outside), "pythagoras") is Status.FAILED


@pytest.mark.parametrize("make", [T.tax_rate_one_from_definition, T.tax_rate_two_from_definition],
                         ids=["TaxRate1", "TaxRate2"])
def test_a_false_tax_rate_closed_form_fails_and_its_true_twin_passes(make) -> None:
    d = make(F1 if make is T.tax_rate_one_from_definition else F3)
    assert step_status(d, "closed-form") is Status.OK
    sol = d.result.using
    # The value, a point off the solution, an equation with a coefficient changed: each fails.
    assert step_status(with_step(d, "closed-form", rhs=d.result.rhs * TENTH), "closed-form") is Status.FAILED
    assert step_status(_with_solution(d, point=(sol.point[0] * TENTH, *sol.point[1:])), "closed-form") is Status.FAILED
    changed = (sol.equations[0] - sol.unknowns[0],) + sol.equations[1:]
    assert step_status(_with_solution(d, equations=changed), "closed-form") is Status.FAILED


def test_a_false_perp_norm_fails_and_its_true_twin_passes() -> None:
    d = K.perp_norm_from_definition(F1)
    assert step_status(d, "closed-form") is Status.OK
    sol = d.result.using
    assert step_status(with_step(d, "closed-form", rhs=d.result.rhs * TENTH), "closed-form") is Status.FAILED
    # The negative root solves the equation too, but a norm is nonnegative: its sign obligation is refuted.
    negative = with_step(d, "closed-form", rhs=-d.result.rhs, using=dataclasses.replace(sol, point=(-sol.point[0],)))
    assert step_status(negative, "closed-form") is Status.FAILED
    changed = (sol.equations[0] + 2 * K.tau,)
    assert step_status(_with_solution(d, equations=changed), "closed-form") is Status.FAILED


def test_a_solution_step_needs_a_defined_quantity_and_one_value_per_unknown() -> None:
    d = T.tax_rate_one_from_definition(F1)
    sol = d.result.using
    assert step_status(with_step(d, "closed-form", lhs=T.a1**2 + 1), "closed-form") is Status.FAILED
    short = Solution(sol.unknowns, sol.equations, sol.value, ())
    assert step_status(with_step(d, "closed-form", using=short), "closed-form") is Status.FAILED


def test_equations_that_leave_the_value_open_prove_nothing() -> None:
    """The value at one solution is the quantity's only when the solution is unique: a linear system with a singular
    Jacobian, or a norm's equation without the norm's sign, fails (the true twins pass above)."""
    d = T.tax_rate_two_from_definition(F3)
    sol = d.result.using
    twice = (sol.equations[0], 2 * sol.equations[0])          # one equation twice: a line of solutions
    assert step_status(_with_solution(d, equations=twice), "closed-form") is Status.FAILED
    p = K.perp_norm_from_definition(F1)
    psol = p.result.using
    unsigned = sp.Symbol("n_perp", real=True)
    free = Solution((unsigned,), (psol.equations[0].xreplace({psol.unknowns[0]: unsigned}),), unsigned, psol.point)
    assert step_status(with_step(p, "closed-form", using=free), "closed-form") is Status.FAILED


def test_equations_that_are_not_the_definition_prove_nothing(monkeypatch) -> None:
    """The chain solves the normal equations; a definition stating others (a coefficient changed) is not proved."""
    closed_forms.proof("TaxRate2")
    d = definitions.DEFINITIONS["TaxRate2"]
    lam = d.equations(T.a1, T.a2, T.g).unknowns

    def other(a1_, a2_, g_):
        true = d.equations(a1_, a2_, g_)
        return dataclasses.replace(true, equations=(true.equations[0] - g_ * lam[1], true.equations[1]))
    redefined(monkeypatch, "TaxRate2", equations=other)
    assert "not the quantity's definition" in closed_forms.proof("TaxRate2").why


def test_a_failing_proof_is_not_used_and_a_statement_of_it_is_not_proved(monkeypatch) -> None:
    claim = by_id("cor-4.5")
    d = claim.derivations[0]()
    checks = d.check()
    assert shortfall(d, checks, claim.statement) is None

    def broken(f):
        good = T.tax_rate_one_from_definition(f)
        return with_step(good, "projection-norm", rhs=2 * good.step("projection-norm").rhs)
    redefined(monkeypatch, "TaxRate1", proof=broken)
    assert "not proved" in closed_forms.proof("TaxRate1").why
    assert "TaxRate1" in shortfall(d, checks, claim.statement)


def test_a_use_owes_the_proofs_hypotheses() -> None:
    """TaxRate2's closed form is proved for |g| < 1 (C of full rank): a statement allowing g = 1 is not proved by it."""
    claim = by_id("rem-4.6")
    d = claim.derivations[0]()
    checks = d.check()
    assert shortfall(d, checks, claim.statement) is None
    g = claim.statement.variables[2]
    assert g.symbol.name == "g"
    closed = dataclasses.replace(g, domain=sp.Interval(-1, 1))
    wider = dataclasses.replace(claim.statement, variables=(*claim.statement.variables[:2], closed))
    assert "proved where" in shortfall(d, checks, wider)


def test_the_proofs_certificates_recheck(tmp_path) -> None:
    """``alignment-tax certificates`` writes each proof's solver-decided obligations; z3 and cvc5 re-check them."""
    from derive.certificates import recheck_cofactors, recheck_smt, write
    entries = closed_forms.derivations()
    # AngleDecayExponent is proved by rule ORDER (tests/derive/test_rule_order.py).
    assert {name for name, _ in entries} == {*PROVED, "AngleDecayExponent"}
    # TauOne, TauTwo and PackingTax are the same chains in other symbols.
    distinct = [e for e in entries if e[0] in ("TaxRate1", "TaxRate2", "PerpLength", "ProjectedCos",
                                               "ProjectedCosTwo", "AngleDecayExponent")]
    manifest = json.loads(write(tmp_path, distinct).read_text())
    assert {e["claim"] for e in manifest} >= {"TaxRate2", "PerpLength", "ProjectedCos", "ProjectedCosTwo",
                                              "AngleDecayExponent"}
    for entry in manifest:
        text = (tmp_path / entry["file"]).read_text()
        if entry["expected"] == "zero":
            assert recheck_cofactors(text), entry
            continue
        for solver in ("z3", "cvc5"):
            assert recheck_smt(text, solver) == entry["expected"], (entry, solver)


def test_the_readme_names_the_closed_forms_without_a_chain() -> None:
    """The README's trust base lists exactly the defined quantities whose closed form no chain proves."""
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = readme.index("against its definition on samples by the checks:")
    sentence = readme[start:readme.index(". ", start)]
    listed = {w.strip(",;:()`") for w in sentence.split() if w.startswith("`")}
    assert listed == set(closed_forms.unproved())

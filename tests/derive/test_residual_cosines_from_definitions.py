"""The cosine between two directions' residuals after projecting out a capability is proved from its definition.

ProjectedCos(rho, a, b) is <r1, r2> / (||r1|| ||r2||) for the residuals r_i = v_i* - lambda_i c, the coefficients
solving the normal equations; the chain proves its closed form (rho - ab) / sqrt((1 - a^2)(1 - b^2)) for every
|a|, |b| < 1.  PartialCorrelation is the same cosine with covariances for inner products (least squares solves the
same normal equations), proved by the same steps.  Each proof step is shown to be one that can fail: with a
coefficient, a sign or a point changed it fails, while its true twin passes.  A use of the proved closed form owes
|a|, |b| < 1.
"""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive import safety_pair as DS
from derive.core import Rule, Solution, Status
from paper_checks import closed_forms, definitions
from paper_checks.registry import by_id
from paper_checks.rule import shortfall
from tests.derive._chains import step_status, with_step

pytestmark = [pytest.mark.claim("thm-6.1", "thm-6.4.ii", "thm-6.4.iii", "rem-6.2", "prop-6.5"),
              pytest.mark.usefixtures("fresh_proofs")]

F3 = sp.Function("F3", real=True, nargs=3)
TENTH = sp.Rational(1001, 1000)


def _with_solution(d, **changes):
    return with_step(d, "closed-form", using=dataclasses.replace(d.result.using, **changes))


PROOFS = {"ProjectedCos": DS.projected_cos_from_definition,
          "PartialCorrelation": DS.partial_correlation_from_definition}


@pytest.mark.parametrize("name", PROOFS)
def test_the_cosine_is_proved_from_its_definition_where_the_residuals_are_nonzero(name: str) -> None:
    p = closed_forms.proof(name)
    assert p.why is None, p.why
    assert p.derivation.result.by is Rule.SOLUTION
    rho, a, b = p.arguments
    assert set(p.hypotheses) == {sp.Lt(-1, a), sp.Lt(a, 1), sp.Lt(-1, b), sp.Lt(b, 1)}
    assert name not in closed_forms.unproved()


def test_the_partial_correlation_is_the_projected_cosine_in_covariances() -> None:
    """One definition in Gram entries, one chain of steps; only the quantity and its reading differ."""
    projected, partial = (definitions.DEFINITIONS[n] for n in PROOFS)
    assert projected.equations(DS.rho, DS.a, DS.b) == partial.equations(DS.rho, DS.a, DS.b)
    first, second = ([(s.name, s.lhs, s.rhs, s.using) for s in make(F3).chain] for make in PROOFS.values())
    assert first == second


def test_a_false_normal_equation_fails_and_its_true_twin_passes() -> None:
    d = DS.projected_cos_from_definition(F3)
    assert step_status(d, "normal-equations") is Status.OK
    C, V = sorted(d.step("normal-equations").lhs.atoms(sp.MatrixSymbol), key=str)
    lam = (C.T * C).I * C.T * V
    false = with_step(d, "normal-equations", lhs=C.T * (V - 2 * C * lam))
    assert step_status(false, "normal-equations") is Status.FAILED


def test_a_false_residual_gram_matrix_fails_and_its_true_twin_passes() -> None:
    d = DS.projected_cos_from_definition(F3)
    assert step_status(d, "residual-gram") is Status.OK
    C, V = sorted(d.step("residual-gram").lhs.atoms(sp.MatrixSymbol), key=str)
    lam = (C.T * C).I * C.T * V
    # The cross terms' sign flipped: the Gram matrix of V + C Lambda, not of the residuals V - C Lambda.
    false = V.T * V + lam.T * (C.T * V) + (C.T * V).T * lam + lam.T * (C.T * C) * lam
    assert step_status(with_step(d, "residual-gram", rhs=false), "residual-gram") is Status.FAILED


@pytest.mark.parametrize("name", PROOFS)
def test_a_false_closed_form_fails_and_its_true_twin_passes(name: str) -> None:
    d = PROOFS[name](F3)
    assert step_status(d, "closed-form") is Status.OK
    sol = d.result.using
    # The value scaled, its sign flipped, a point off the solution, an equation with a coefficient changed.
    assert step_status(with_step(d, "closed-form", rhs=d.result.rhs * TENTH), "closed-form") is Status.FAILED
    assert step_status(with_step(d, "closed-form", rhs=-d.result.rhs), "closed-form") is Status.FAILED
    assert step_status(_with_solution(d, point=(sol.point[0] * TENTH, sol.point[1])), "closed-form") is Status.FAILED
    changed = (sol.equations[0] - sol.unknowns[0], sol.equations[1])
    assert step_status(_with_solution(d, equations=changed), "closed-form") is Status.FAILED


def test_a_false_residual_inner_product_in_the_value_fails_and_its_true_twin_passes() -> None:
    """The value must be the residuals' cosine: with the cross term's sign of <r1, r2> changed it is not the closed
    form at the solution."""
    d = DS.projected_cos_from_definition(F3)
    sol = d.result.using
    l1, l2 = sol.unknowns
    inner, denominator = sol.value.as_numer_denom()
    false = Solution(sol.unknowns, sol.equations, (inner - 2 * l1 * l2) / denominator, sol.point)
    assert step_status(with_step(d, "closed-form", using=false), "closed-form") is Status.FAILED


def test_the_proof_solves_the_definitions_own_equations(monkeypatch) -> None:
    """The chain's equations are the definition's; a definition whose normal equation has another coefficient (the
    capability not of unit norm) is not proved by it."""
    d = definitions.DEFINITIONS["ProjectedCos"]
    true = d.equations(DS.rho, DS.a, DS.b)
    assert closed_forms.proof("ProjectedCos").why is None

    def other(r, x, y):
        eqs = d.equations(r, x, y)
        return dataclasses.replace(eqs, equations=(eqs.equations[0] - eqs.unknowns[0], eqs.equations[1]))
    assert other(DS.rho, DS.a, DS.b).equations != true.equations
    monkeypatch.setitem(definitions.DEFINITIONS, "ProjectedCos", dataclasses.replace(d, equations=other))
    closed_forms.proof.cache_clear()
    assert "not the quantity's definition" in closed_forms.proof("ProjectedCos").why


@pytest.mark.parametrize("claim_id", ["thm-6.4.ii", "thm-6.4.iii", "rem-6.2"])
def test_the_claims_rest_on_the_proof(claim_id: str) -> None:
    claim = by_id(claim_id)
    d = claim.derivations[0]()
    assert shortfall(d, d.check(), claim.statement) is None


def test_a_use_owes_the_proofs_hypotheses() -> None:
    """ProjectedCos's closed form is proved for |a|, |b| < 1: a use of it at (r, x, y) owes |x|, |y| < 1, and
    thm-6.4.ii's chain does not prove a statement that allows a = b = 1 (residuals of norm zero; b = a is its
    hypothesis, so both are widened)."""
    r, x, y = sp.symbols("r x y", real=True)
    function = definitions.DEFINITIONS["ProjectedCos"].function
    assert set(closed_forms.hypotheses(function(r, x, y))) == {sp.Lt(-1, x), sp.Lt(x, 1), sp.Lt(-1, y), sp.Lt(y, 1)}
    claim = by_id("thm-6.4.ii")
    d = claim.derivations[0]()
    rho, a, b = claim.statement.variables
    assert (a.symbol.name, b.symbol.name) == ("a", "b")
    closed = [dataclasses.replace(v, domain=sp.Interval(-1, 1)) for v in (a, b)]
    wider = dataclasses.replace(claim.statement, variables=(rho, *closed))
    assert shortfall(d, d.check(), wider) is not None


# ---------------------------------------------------------------------------------------------
# Two capabilities: ProjectedCosTwo, the same cosine after projecting out C = [c1 | c2] with unit columns and
# <c1, c2> = g.  Its proof is the same chain on the Gram matrix of (v1*, v2*, c1, c2); |g| < 1 makes the normal
# equations uniquely solvable, and the positive Gram determinants of (v_i*, c1, c2) keep the residuals nonzero.

F6 = sp.Function("F6", real=True, nargs=6)


def _two() -> tuple:
    d = DS.projected_cos_two_from_definition(F6)
    return d, d.result.lhs.args


def test_the_cosine_after_two_capabilities_is_proved_from_its_definition() -> None:
    p = closed_forms.proof("ProjectedCosTwo")
    assert p.why is None, p.why
    assert p.derivation.result.by is Rule.SOLUTION
    rho, a1, a2, b1, b2, g = p.arguments
    gram = DS.gram_two(rho, a1, a2, b1, b2, g)
    outside = {sp.Gt(gram.extract([i, 2, 3], [i, 2, 3]).det(), 0) for i in (0, 1)}
    assert set(p.hypotheses) == {sp.Lt(-1, g), sp.Lt(g, 1), *outside}
    assert "ProjectedCosTwo" not in closed_forms.unproved()


@pytest.mark.slow
def test_a_false_closed_form_after_two_capabilities_fails_and_its_true_twin_passes() -> None:
    d, _ = _two()
    assert step_status(d, "closed-form") is Status.OK
    sol = d.result.using
    assert step_status(with_step(d, "closed-form", rhs=d.result.rhs * TENTH), "closed-form") is Status.FAILED
    # A coefficient of one normal equation changed: <v1*, c1> - lambda_11 - 2 g lambda_12 = 0, as if <c1, c2> = 2g.
    l12 = sol.unknowns[1]
    changed = (sol.equations[0] - l12 * sp.diff(sol.equations[0], l12), *sol.equations[1:])
    assert step_status(_with_solution(d, equations=changed), "closed-form") is Status.FAILED


@pytest.mark.parametrize("dropped", [pytest.param("full column rank", marks=pytest.mark.slow), "outside span(C)"])
def test_the_proof_after_two_capabilities_needs_each_hypothesis(dropped: str) -> None:
    """Without |g| < 1 the normal equations may have no unique solution (g = 1), and without the positive Gram
    determinants a residual may vanish (v1* in span(C)): the closed-form step is then not proved."""
    d, (rho, a1, a2, b1, b2, g) = _two()
    assert step_status(d, "closed-form") is Status.OK
    gram = DS.gram_two(rho, a1, a2, b1, b2, g)
    gone = {"full column rank": {sp.Lt(-1, g), sp.Lt(g, 1)},
            "outside span(C)": {sp.Gt(gram.extract([i, 2, 3], [i, 2, 3]).det(), 0) for i in (0, 1)}}[dropped]
    assert gone <= set(d.domain)
    weaker = dataclasses.replace(d, domain=tuple(c for c in d.domain if c not in gone))
    assert step_status(weaker, "closed-form") is not Status.OK


def test_the_proof_after_two_capabilities_solves_the_definitions_own_equations(monkeypatch) -> None:
    """A definition whose normal equation has another coefficient (c1 not of unit norm) is not proved by the chain."""
    d = definitions.DEFINITIONS["ProjectedCosTwo"]
    assert closed_forms.proof("ProjectedCosTwo").why is None

    def other(*args):
        eqs = d.equations(*args)
        return dataclasses.replace(eqs, equations=(eqs.equations[0] - eqs.unknowns[0], *eqs.equations[1:]))
    monkeypatch.setitem(definitions.DEFINITIONS, "ProjectedCosTwo", dataclasses.replace(d, equations=other))
    closed_forms.proof.cache_clear()
    assert "not the quantity's definition" in closed_forms.proof("ProjectedCosTwo").why

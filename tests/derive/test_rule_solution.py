"""Rule SOLUTION refuses what does not determine the quantity's value, and accepts its true twins.

``F(x) = E`` by Rule SOLUTION holds when the point solves the equations, gives ``E``, and the equations have that one
solution at every point of the hypotheses.  Each test pairs a false step (a Jacobian that vanishes inside the domain,
a radicand the domain lets go negative, hypotheses with no common point, a system with several solutions, a point
that is no value) with the true step it is built from.
"""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive import capability_constraint as K
from derive import tax_rate as T
from derive.core import Derivation, Rule, Solution, Start, Status, Step

pytestmark = pytest.mark.claim("cor-4.5", "rem-4.6", "thm-4.3")

F1 = sp.Function("F1", real=True, nargs=1)
F3 = sp.Function("F3", real=True, nargs=3)


def _status(d) -> Status:
    """The status of the derivation's last step (the SOLUTION step)."""
    return d.check()[-1].status


def _result(d, **changes):
    return dataclasses.replace(d, result=dataclasses.replace(d.result, **changes))


def _without(d, x: sp.Symbol) -> tuple[sp.Basic, ...]:
    return tuple(h for h in d.domain if x not in h.free_symbols)


def test_a_jacobian_that_vanishes_inside_the_domain_is_refused() -> None:
    """det = 1 - g^2 is nonzero for |g| < 1 only: proved under -1 < g < 1, refused under -2 < g < 2 (g = 1 inside)."""
    d = T.tax_rate_two_from_definition(F3)
    assert _status(d) is Status.OK
    wider = dataclasses.replace(d, domain=(*_without(d, T.g), sp.Lt(-2, T.g), sp.Lt(T.g, 2)))
    assert _status(wider) is Status.FAILED
    assert _status(dataclasses.replace(d, domain=_without(d, T.g))) is Status.FAILED


def test_a_root_whose_radicand_the_domain_lets_go_negative_is_refused() -> None:
    """sqrt(1 - tau) solves n^2 + tau - 1 = 0 only where tau <= 1."""
    p = K.perp_norm_from_definition(F1)
    assert _status(p) is Status.OK
    assert _status(dataclasses.replace(p, domain=(*_without(p, K.tau), sp.Le(K.tau, 2)))) is Status.FAILED


def test_hypotheses_without_a_common_point_prove_no_solution() -> None:
    """An empty domain would discharge any Jacobian; hypotheses on objects of its own alone are checked consistent."""
    d = T.tax_rate_two_from_definition(F3)
    k = sp.Symbol("k", real=True)
    empty = dataclasses.replace(d, domain=(*_without(d, T.g), sp.Gt(k, 0), sp.Lt(k, 0)))
    assert _status(empty) is Status.FAILED


@pytest.mark.parametrize("case", ["product", "linear term", "cubic", "root of the unknown", "overdetermined",
                                  "underdetermined"])
def test_systems_with_several_solutions_or_none_read_are_refused(case: str) -> None:
    """Only linear systems (square, with a nonzero Jacobian) and one signed unknown's c u^2 + e = 0 determine the
    value; every other shape is refused even when the point solves it."""
    p = K.perp_norm_from_definition(F1)
    a = T.a1
    x, y = sp.symbols("x y", real=True)
    u = sp.Symbol("u", nonnegative=True)
    lam = sp.symbols("lambda_1:3", real=True)
    d2 = T.tax_rate_two_from_definition(F3)
    two = d2.result.using
    steps = {
        "product": (p, sp.sqrt(a), Solution((x, y), (x * y - a, x - y), x, (sp.sqrt(a), sp.sqrt(a)))),
        "linear term": (p, (sp.sqrt(4 * a + 1) - 1) / 2,
                        Solution((u,), (u**2 + u - a,), u, ((sp.sqrt(4 * a + 1) - 1) / 2,))),
        "cubic": (p, sp.cbrt(a), Solution((u,), (u**3 - a,), u, (sp.cbrt(a),))),
        "root of the unknown": (p, sp.Integer(1), Solution((u,), (u**2 + sp.sqrt(u) - 2,), u, (sp.Integer(1),))),
        "overdetermined": (d2, d2.result.rhs, dataclasses.replace(two, equations=(*two.equations, lam[0] - lam[1]))),
        "underdetermined": (d2, d2.result.rhs, dataclasses.replace(two, equations=two.equations[:1])),
    }
    d, rhs, sol = steps[case]
    lhs = F1(a) if d is p else d.result.lhs
    assert _status(_result(d, lhs=lhs, rhs=rhs, using=sol)) is Status.FAILED


def test_a_point_that_is_the_unknown_itself_is_refused() -> None:
    p = K.perp_norm_from_definition(F1)
    n = p.result.using.unknowns[0]
    assert _status(_result(p, rhs=n, using=dataclasses.replace(p.result.using, point=(n,)))) is Status.FAILED


def test_a_nonpositive_unknown_takes_the_other_root() -> None:
    """For an unknown declared nonpositive the step to -sqrt(1 - tau) is true, and passes; to
    +sqrt(1 - tau), the root of the other sign, it is refused, as -sqrt(1 - tau) is for the nonnegative unknown (that
    a nonpositive one is not PerpLength's definition is refused in ``paper_checks.closed_forms``)."""
    p = K.perp_norm_from_definition(F1)
    root = sp.sqrt(1 - K.tau)
    for flag in ("nonpositive", "negative"):
        neg = sp.Symbol("n_perp", **{flag: True})
        other = Solution((neg,), (neg**2 + K.tau - 1,), neg, (-root,))
        # A negative unknown is not -sqrt(1 - tau) at tau = 1, where that is 0: not proved.
        assert (_status(_result(p, rhs=-root, using=other)) is Status.OK) is (flag == "nonpositive")
        assert _status(_result(p, rhs=root, using=dataclasses.replace(other, point=(root,)))) is not Status.OK
    wrong_sign = dataclasses.replace(p.result.using, point=(-root,))
    assert _status(_result(p, rhs=-root, using=wrong_sign)) is Status.FAILED


@pytest.mark.parametrize("jump", ["none", "arg", "step"])
def test_an_equation_whose_derivative_is_constant_is_linear_only_as_a_polynomial(jump: str) -> None:
    """u + arg(u) = a has SymPy derivative 1 in u, yet two solutions for 0 < a < pi (u = a and u = a - pi), as has
    u + pi [u < 0] = a: each is refused; u = a, its true twin, passes."""
    a = sp.Symbol("a", positive=True)
    u = sp.Symbol("u", real=True)
    extra = {"none": sp.Integer(0), "arg": sp.arg(u), "step": sp.Piecewise((sp.pi, u < 0), (0, True))}[jump]
    assert sp.diff(extra, u) == 0
    sol = Solution((u,), (u + extra - a,), u, (a,))
    result = Step("closed-form", F1(a), a, "the equation solved", by=Rule.SOLUTION, using=sol, start=Start.DEFINITION)
    status = _status(Derivation("F1", "F1 from its equation", (), (), result))
    assert status is (Status.OK if jump == "none" else Status.FAILED)


@pytest.mark.parametrize("collide", [False, True])
def test_an_unknown_that_is_an_argument_solves_another_system(collide: bool) -> None:
    """F(x) = u + v at u - x = 0, v - 1 = 0 is x + 1.  Named x, the unknown v turns the equations into u - x = 0,
    x - 1 = 0, whose solution u = x = 1 "gives" F(x) = 2: refused; the true twin passes."""
    x, u, v = sp.symbols("x u v", real=True)
    if collide:
        sol, rhs = Solution((u, x), (u - x, x - 1), u + x, (sp.Integer(1), sp.Integer(1))), sp.Integer(2)
    else:
        sol, rhs = Solution((u, v), (u - x, v - 1), u + v, (x, sp.Integer(1))), x + 1
    result = Step("closed-form", F1(x), rhs, "the equations solved", by=Rule.SOLUTION, using=sol,
                  start=Start.DEFINITION)
    status = _status(Derivation("F1", "F1 from its equations", (), (), result))
    assert status is (Status.FAILED if collide else Status.OK)


@pytest.mark.parametrize("defined", [False, True])
def test_equations_undefined_inside_the_domain_define_nothing_there(defined: bool) -> None:
    """u - (g^2 - 1)/(g - 1) = 0 says nothing at g = 1, so F(g) = g + 1 is not proved on [0, 2]; on [0, 1) it is."""
    g, u = sp.Symbol("g", real=True), sp.Symbol("u", real=True)
    sol = Solution((u,), (u - (g**2 - 1) / (g - 1),), u, (g + 1,))
    result = Step("closed-form", F1(g), g + 1, "the equation solved", by=Rule.SOLUTION, using=sol,
                  start=Start.DEFINITION)
    domain = (sp.Le(0, g), sp.Lt(g, 1) if defined else sp.Le(g, 2))
    status = _status(Derivation("F1", "F1 from its equation", (), (), result, domain=domain))
    assert status is (Status.OK if defined else Status.FAILED)

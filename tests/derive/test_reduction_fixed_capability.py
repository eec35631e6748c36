"""MaxSafetyAtTarget's reduction from R^d to two coordinates (derive/capability_constraint.py, ``reduction``): every
step is proved, and each step's false twin (a coefficient, a sign or a side changed) fails.

A scalar step's twin is checked in the whole chain, whose matrix steps give it its facts: several seconds each, so
those tests are marked ``slow`` (CI runs them; ``python -m pytest -m slow tests/derive``).  A matrix step's twin is
checked alone, in the default run."""
from __future__ import annotations

import dataclasses
import functools

import pytest
import sympy as sp

from derive import capability_constraint as DK
from derive.core import Derivation, Status, Step
from paper_checks.statements.capability_constraint import _fixed_capability_reduction
from tests.derive._chains import step_status, with_step

IP = DK.IP
P = DK._C * (DK._C.T * DK._C).I * DK._C.T
u, w, e1 = DK._v - P * DK._v, DK._x - P * DK._x, DK._e - P * DK._e
target = DK._C * DK._a


@functools.cache
def _reduction() -> Derivation:
    return _fixed_capability_reduction()


@pytest.mark.claim("thm-4.3")
def test_every_step_of_the_reduction_is_proved() -> None:
    deriv = _reduction()
    checks = deriv.check()
    assert {c.status for c in checks} == {Status.OK}, [(c.step.name, c.method) for c in checks]
    # the final segment: <v*, delta> is at most the two-variable objective at (||w||, 0)
    assert deriv.conclusion == sp.LessThan(IP["gain"], DK.s + sp.sqrt(1 - DK.tau) * sp.sqrt(IP["ww"]))


@pytest.mark.slow
@pytest.mark.claim("thm-4.3")
def test_the_reduction_is_of_the_problem_it_is_handed() -> None:
    """A problem with another objective (a halved free part) is not the one the lifted point reaches."""
    y1, y_rest = sp.symbols("y_1 y_rest", real=True)
    halved = DK.reduction((y1, y_rest), DK.s + DK.perp_norm() * y1 / 2,
                          sp.Le(DK.r**2 + y1**2 + y_rest**2, DK.B**2))
    assert step_status(halved, "lift-objective") is not Status.OK


# Each matrix step and a false twin of it: (name, changed fields).
_MATRIX_TWINS = {
    "feasible-set": {"rhs": 2 * target},
    "split": {"rhs": sp.MatAdd(P * DK._x, 2 * w, evaluate=False)},
    "gain": {"rhs": DK.s - IP["g"]},
    "pythagoras": {"rhs": IP["rr"] + 2 * IP["ww"]},
    "unit": {"rhs": IP["pp"] - IP["nn"]},
    "tau-nonnegative": {"witness": 2 * P * DK._v},
    "nn-nonnegative": {"lhs": sp.Integer(1)},
    "ww-nonnegative": {"witness": u},
    "cs-along-v": {"witness": IP["nn"] * w + IP["g"] * u},
    "cs-along-w": {"witness": IP["ww"] * u + IP["g"] * w},
    "cs-sum": {"witness": u - w},
    "cs-difference": {"lhs": 3 * IP["g"]},
    "lift-feasible": {"rhs": target + DK._t * e1},
    "lift-gain": {"rhs": DK.s + 2 * DK._t * IP["h"]},
    "lift-norm": {"rhs": IP["rr"] + DK._t**2 * IP["ee"] + DK._t},
}


@pytest.mark.claim("thm-4.3")
@pytest.mark.parametrize("name", sorted(_MATRIX_TWINS))
def test_a_matrix_step_is_proved_and_its_false_twin_fails(name: str) -> None:
    deriv = _reduction()
    step = deriv.step(name)
    alone = dataclasses.replace(deriv, steps=(), result=step)
    assert step_status(alone, name) is Status.OK
    twin = dataclasses.replace(alone, result=dataclasses.replace(step, **_MATRIX_TWINS[name]))
    assert step_status(twin, name) is Status.FAILED


def _scalar_twins() -> dict[str, dict]:
    deriv = _reduction()
    ww, s, tau, t = IP["ww"], DK.s, DK.tau, DK._t
    return {
        "cauchy-schwarz": {"rhs": IP["nn"] * ww / 2},
        "lift-objective": {"rhs": s + 2 * sp.sqrt(1 - tau) * t},
        "lift-budget": {"rhs": DK.r**2 + t**2 + 1},
        "image-feasible": {"rhs": deriv.step("image-feasible").rhs / 2},
        "upper-bound": {"rhs": s + sp.sqrt(1 - tau) * sp.sqrt(ww) / 2},
    }


@pytest.mark.slow
@pytest.mark.claim("thm-4.3")
@pytest.mark.parametrize("name", ["cauchy-schwarz", "lift-objective", "lift-budget", "image-feasible", "upper-bound"])
def test_a_scalar_step_s_false_twin_fails(name: str) -> None:
    """The scalar steps use the facts the matrix steps proved; with a side changed they fail (the true ones are
    proved in ``test_every_step_of_the_reduction_is_proved``)."""
    twin = with_step(_reduction(), name, **_scalar_twins()[name])
    assert step_status(twin, name) is Status.FAILED


@pytest.mark.slow
@pytest.mark.claim("thm-4.3")
def test_a_scalar_step_needs_the_matrix_facts() -> None:
    """Without the Cauchy-Schwarz squared norms, g^2 <= nn ww no longer follows: the facts come from proved steps."""
    deriv = _reduction()
    kept = tuple(s for s in deriv.steps if not s.name.startswith("cs-"))
    assert step_status(dataclasses.replace(deriv, steps=kept), "cauchy-schwarz") is not Status.OK


@pytest.mark.slow
def test_a_failed_matrix_step_gives_no_fact() -> None:
    """A false twin of Pythagoras proves nothing, so the image's feasibility, which needs it, is not proved."""
    twin = with_step(_reduction(), "pythagoras", rhs=IP["rr"] + 2 * IP["ww"])
    assert step_status(twin, "pythagoras") is Status.FAILED
    assert step_status(twin, "image-feasible") is not Status.OK


def test_steps_are_named_uniquely() -> None:
    names = [s.name for s in _reduction().chain]
    assert len(names) == len(set(names))
    assert isinstance(_reduction().result, Step)


@pytest.mark.claim("thm-4.3")
def test_a_scalar_step_is_checked_and_certified_under_the_facts_before_it(tmp_path) -> None:
    """upper-bound is checked under Cauchy-Schwarz, which a step before it proved; its certificate states that fact,
    and z3 and cvc5 each answer unsat on it (without the fact the query would be sat)."""
    from derive.certificates import collect, recheck_smt
    from derive.rules import checked_under
    deriv = _reduction()
    under = dict(zip((s.name for s in deriv.chain), checked_under(deriv), strict=True))
    cs = sp.LessThan(IP["g"]**2, IP["nn"] * IP["ww"], evaluate=False)
    assert cs in under["upper-bound"].domain and cs not in under["cauchy-schwarz"].domain
    assert under["gain"] is deriv                       # a matrix step needs no facts
    certs = {c.step: c for c in collect([("thm-4.3", (_fixed_capability_reduction,))]) if c.kind == "step"}
    for name in ("cauchy-schwarz", "upper-bound"):
        for solver in ("z3", "cvc5"):
            assert recheck_smt(certs[name].text, solver) == "unsat", (name, solver)

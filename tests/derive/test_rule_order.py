"""Rule ORDER refuses a decay exponent that its factoring does not give, and accepts its true twins.

``kappa(G^(1/k)) = a/k`` holds when ``G = c d^(-a) h`` with ``c > 0`` free of ``d`` and ``h -> L`` in (0, oo): ``h``
rational in ``x = 1/d`` and in ``u = d^(-e)`` (``e > 0``), continuous at 0 with a positive value there.  Each test
pairs a false step (a wrong exponent, a factor that can be zero or negative, a rest whose limit is 0 or oo or whose
small term does not vanish, a root whose exponent is not divided) with the true step it is built from:
AngleDecayExponent's proof from its definition, the RMS of the angle's first-order fluctuation.
"""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive import random_subspace as R
from derive.core import Status
from paper_checks import closed_forms, definitions
from tests._closed_forms import redefined

pytestmark = pytest.mark.claim("prop-6.7")

F2 = sp.Function("F2", real=True, nargs=2)


def _proof():
    return R.angle_decay_order(F2)


def _status(d) -> Status:
    """The status of the derivation's last step (the ORDER step)."""
    return d.check()[-1].status


def _order(d, value=None, **changes):
    """``d`` with its Order changed (and the step's value, when given)."""
    using = dataclasses.replace(d.result.using, **changes)
    result = dataclasses.replace(d.result, using=using, rhs=d.result.rhs if value is None else value)
    return dataclasses.replace(d, result=result)


def _symbols(d):
    o = d.result.using
    rho, beta = d.result.lhs.args
    (u, _), = o.small
    return o, rho, beta, o.x, u


def test_the_angle_rms_decays_as_one_minus_half_beta() -> None:
    assert _status(_proof()) is Status.OK


def test_a_wrong_exponent_is_refused() -> None:
    """G = (1 - rho^2) d^(-(2 - beta)) h: the exponent 1 - beta with the same rest is no factoring of G."""
    d = _proof()
    _, _, beta, _, _ = _symbols(d)
    assert _status(_order(d, (1 - beta) / 2, exponent=1 - beta)) is Status.FAILED
    assert _status(_order(d, 1 - beta / 3)) is Status.FAILED


def test_a_factor_that_can_vanish_or_be_negative_is_refused() -> None:
    """c = 1 - rho^2 is positive for rho^2 < 1 only; -G = -(1 - rho^2) d^(-a) h is a true factoring with c < 0."""
    d = _proof()
    o, rho, beta, _, _ = _symbols(d)
    wider = dataclasses.replace(d, domain=(sp.Lt(beta, 1), sp.Lt(rho**2, 4)))
    assert _status(wider) is Status.FAILED
    negated = _order(d, expr=-o.expr, factor=-o.factor)
    assert _status(negated) is Status.FAILED
    assert _status(_order(d, expr=2 * o.expr, factor=2 * o.factor)) is Status.OK


def test_a_rest_whose_limit_is_zero_or_infinite_is_refused() -> None:
    """h x (limit 0) with the exponent one less, h / x (limit oo) with it one more: true identities, wrong orders."""
    d = _proof()
    o, _, beta, x, _ = _symbols(d)
    assert _status(_order(d, (1 - beta) / 2, exponent=1 - beta, rest=o.rest * x)) is Status.FAILED
    assert _status(_order(d, (3 - beta) / 2, exponent=3 - beta, rest=o.rest / x)) is Status.FAILED
    assert _status(_order(d, 1 - beta / 2, rest=o.rest * (1 + x))) is Status.FAILED   # not G's factoring


def test_a_small_term_that_does_not_vanish_is_refused() -> None:
    """u = d^(beta - 1) -> 0 for beta < 1 only: for 1 < beta < 2 it grows and G decays as d^(-1), not d^(-(2-beta))."""
    d = _proof()
    _, rho, beta, _, _ = _symbols(d)
    assert _status(dataclasses.replace(d, domain=(sp.Lt(beta, 2), sp.Lt(rho**2, 1)))) is Status.FAILED
    assert _status(dataclasses.replace(d, domain=(sp.Lt(beta, sp.Rational(1, 2)), sp.Lt(rho**2, 1)))) is Status.OK


def test_a_rest_not_rational_in_x_and_the_small_terms_is_refused() -> None:
    """A rest written in d, or with sqrt(1 + x) (a true factoring of sqrt(1 + 1/d) G), is no instance of the rule."""
    d = _proof()
    o, _, _, x, _ = _symbols(d)
    assert _status(_order(d, rest=o.rest.xreplace({x: 1 / o.dim}))) is Status.FAILED
    assert _status(_order(d, rest=o.rest * sp.sqrt(1 + x), expr=o.expr * sp.sqrt(1 + 1 / o.dim))) is Status.FAILED


def test_a_root_must_divide_the_exponent() -> None:
    """kappa(sqrt(G)) = kappa(G)/2: with root 2 the value 2 - beta is refused, and with root 1 the value 1 - beta/2."""
    d = _proof()
    _, _, beta, _, _ = _symbols(d)
    assert _status(_order(d, 2 - beta)) is Status.FAILED
    assert _status(_order(d, root=1)) is Status.FAILED
    assert _status(_order(d, 2 - beta, root=1)) is Status.OK


@pytest.mark.usefixtures("fresh_proofs")
def test_the_closed_form_is_proved_from_the_definition_and_owes_its_hypotheses() -> None:
    """AngleDecayExponent(rho, beta) = 1 - beta/2 is proved where beta < 1 and rho^2 < 1 (prop-6.7's domain)."""
    p = closed_forms.proof("AngleDecayExponent")
    assert p.why is None
    rho, beta = p.arguments
    assert set(p.hypotheses) == {sp.Lt(beta, 1), sp.Lt(rho**2, 1)}


@pytest.mark.usefixtures("fresh_proofs")
def test_an_order_of_another_expression_proves_nothing_of_the_definition(monkeypatch) -> None:
    """A proved order of 2 G (or of G with root 1) is not the order of the definition's sqrt(G)."""
    d = definitions.DEFINITIONS["AngleDecayExponent"]
    twice = lambda f: _order(d.proof(f), expr=2 * d.proof(f).result.using.expr,       # noqa: E731
                              factor=2 * d.proof(f).result.using.factor)
    assert _status(twice(d.function)) is Status.OK
    redefined(monkeypatch, "AngleDecayExponent", proof=twice)
    assert "not the quantity's definition" in closed_forms.proof("AngleDecayExponent").why
    redefined(monkeypatch, "AngleDecayExponent", proof=d.proof,
               decay=lambda rh, b: dataclasses.replace(d.decay(rh, b), root=1))
    assert "not the quantity's definition" in closed_forms.proof("AngleDecayExponent").why


def test_a_definition_is_by_equations_or_a_decay_exponent_not_both() -> None:
    with pytest.raises(ValueError, match="not both"):
        definitions.define("Both", "", "", 1, equations=lambda x: None, decay=lambda x: None, proof=lambda f: None)
    with pytest.raises(ValueError, match="give both or neither"):
        definitions.define("DecayAlone", "", "", 1, decay=lambda x: None)


def test_a_rest_with_a_coefficient_undefined_in_the_domain_is_refused() -> None:
    """sqrt(rho) in a coefficient of h is not real for rho < 0, inside rho^2 < 1; sqrt(rho^2) is."""
    d = _proof()
    o, rho, _, x, _ = _symbols(d)
    for root, status in ((sp.sqrt(rho), Status.FAILED), (sp.sqrt(rho**2), Status.OK)):
        twisted = _order(d, rest=o.rest * (1 + root * x), expr=o.expr * (1 + root / o.dim))
        assert _status(twisted) is status

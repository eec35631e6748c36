"""The radical split of a quotient by the signs that hold, and the probes that confirm decay_exponent."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.core import Derivation, Op, Status, Step, check_step
from derive.random_subspace import confirm_decay, decay_exponent

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)


def _deriv(*steps: Step, **kw) -> Derivation:
    return Derivation("test", "test", (), steps[:-1], steps[-1], **kw)


# --------------------------------------------------------------------------------- sqrt(n/d), both contents negative
def test_a_quotient_with_two_negative_contents_is_split_by_the_signs_that_hold() -> None:
    # 1 - x and 1 - y both have content -1 (factor_list(1 - x) = (-1, [(x - 1, 1)])), yet on x, y < 1 they are
    # positive: sqrt((1 - x)/(1 - y)) = sqrt(1 - x)/sqrt(1 - y) is true.  Flipping on the contents alone owed
    # x - 1 >= 0 and y - 1 > 0 and refuted the true step (it was proved before b8f694f).
    step = Step("s", sp.sqrt((1 - x) / (1 - y)), sp.sqrt(1 - x) / sp.sqrt(1 - y), "split", Op.EQ)
    assert check_step(step, _deriv(step, domain=(sp.Lt(x, 1), sp.Lt(y, 1)))).status is Status.OK
    # Both negative: the flip owes x - 1 >= 0 and y - 1 > 0, which hold there.
    flipped = Step("s", sp.sqrt((1 - x) / (1 - y)), sp.sqrt(x - 1) / sp.sqrt(y - 1), "split", Op.EQ)
    assert check_step(flipped, _deriv(flipped, domain=(sp.Gt(x, 1), sp.Gt(y, 1)))).status is Status.OK
    # And neither direction proves a false sign.
    wrong = Step("s", sp.sqrt((1 - x) / (1 - y)), -sp.sqrt(x - 1) / sp.sqrt(y - 1), "wrong sign", Op.EQ)
    assert check_step(wrong, _deriv(wrong, domain=(sp.Gt(x, 1), sp.Gt(y, 1)))).status is not Status.OK
    wrong = Step("s", sp.sqrt((1 - x) / (1 - y)), -sp.sqrt(1 - x) / sp.sqrt(1 - y), "wrong sign", Op.EQ)
    assert check_step(wrong, _deriv(wrong, domain=(sp.Lt(x, 1), sp.Lt(y, 1)))).status is not Status.OK


# ------------------------------------------------------------------------------------------------ decay_exponent
_d = sp.Symbol("d", positive=True)


def test_a_kappa_complex_at_a_probe_point_is_contradicted_not_skipped() -> None:
    # kappa(d^-b) = b for every real b.  This kappa is b for b > 0 and complex for b < 0 (real part b - sqrt|b|):
    # the complex value raised TypeError in mpmath.mpf, and the probes b = -2, -1/3 were skipped as if g had no
    # order there, so the wrong kappa was confirmed on b > 0 alone.
    b = sp.Symbol("b", real=True)
    with pytest.raises(ArithmeticError, match="contradicted"):
        confirm_decay(_d**-b, _d, b + sp.sqrt(b) - sp.sqrt(sp.Abs(b)), {})
    # A kappa undefined where g has an order is no agreement either.
    with pytest.raises(ArithmeticError, match="contradicted"):
        confirm_decay(_d**-b, _d, b + sp.log(b) - sp.log(sp.Abs(b)), {})
    confirm_decay(_d**-b, _d, b, {})     # the right one still passes


@pytest.mark.xfail(strict=True, reason="a sample: a branch change above 63/64 of a right-open interval is unseen")
def test_a_wrong_branch_between_the_last_probe_and_an_open_end_is_refused() -> None:
    # kappa((d^(99/100) + d^b)/d^2) = 2 - max(99/100, b).  SymPy says 101/100 for every b in [0, 1); wrong on
    # (99/100, 1), where no probe lies (the last is 63/64 < 99/100, and 1 is not in the interval).
    b = sp.Symbol("b", nonnegative=True)
    with pytest.raises(ArithmeticError):
        decay_exponent((_d**sp.Rational(99, 100) + _d**b) / _d**2, _d, ((b, sp.Interval.Ropen(0, 1)),))


def test_a_finite_order_above_twenty_is_not_confirmed_as_infinite() -> None:
    # Found when an infinite order was told by slope > 20 on one window; the slope must now also steepen.
    with pytest.raises(ArithmeticError):
        confirm_decay(_d**-30, _d, sp.oo, {})


@pytest.mark.xfail(strict=True, reason="slow infinite or zero orders have slopes outside the window's tolerance")
@pytest.mark.parametrize("expr, kappa", [(sp.exp(-_d**sp.Rational(1, 100)), sp.oo),
                                         (sp.exp(-sp.log(_d)**sp.Rational(4, 5)), 0)])
def test_a_right_order_with_a_slowly_converging_slope_is_accepted(expr: sp.Expr, kappa: sp.Expr) -> None:
    # SymPy's limits are right here (oo and 0); the slopes over d = 1e100..1e200 are 0.39 and 0.25.
    assert decay_exponent(expr, _d) == kappa

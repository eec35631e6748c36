"""Inner products read as scalars (derive/inner_products.py) in rules MATRIX and SQUARED_NORM: a 1 x 1 matrix equals
its transpose and commutes, a named inner product stands for what it names; a changed coefficient, sign or side is
not proved."""
from __future__ import annotations

import sympy as sp

from derive.core import Op, Rule, Status, Step
from derive.inner_products import scalar_form
from tests.derive._chains import status

d = sp.Symbol("d", integer=True, positive=True)
u, w = sp.MatrixSymbol("u", d, 1), sp.MatrixSymbol("w", d, 1)
g, nn, ww = sp.symbols("g nn ww", real=True)
NAMES = ((g, u.T * w), (nn, u.T * u), (ww, w.T * w))


def test_a_transposed_inner_product_is_the_same_number() -> None:
    assert scalar_form(u.T * w - w.T * u) == 0
    assert scalar_form(u.T * w - 2 * w.T * u) != 0


def test_inner_products_commute() -> None:
    assert scalar_form((u.T * u) * (w.T * w) - (w.T * w) * (u.T * u)) == 0
    assert scalar_form((u.T * u) * (w.T * w) - (u.T * w) * (w.T * w)) != 0


def test_a_non_square_matrix_expression_is_not_read() -> None:
    assert scalar_form(u * w.T) is None


def test_a_named_identity_is_proved_and_its_false_twin_is_not() -> None:
    true = Step("expand", (u + w).T * (u + w), nn + 2 * g + ww, "||u + w||^2", by=Rule.MATRIX)
    false = Step("expand", (u + w).T * (u + w), nn - 2 * g + ww, "||u + w||^2, sign changed", by=Rule.MATRIX)
    assert status(true, names=NAMES) is Status.OK
    assert status(false, names=NAMES) is Status.FAILED


def test_without_names_a_scalar_step_labelled_matrix_still_fails() -> None:
    step = Step("named", g, g + 0 * nn + 1, "no names declared", by=Rule.MATRIX)
    assert status(step) is Status.FAILED


def test_cauchy_schwarz_as_a_named_squared_norm_and_its_false_twins() -> None:
    """nn (nn ww - g^2) = ||nn w - g u||^2; with the witness's sign or a coefficient changed it is not."""
    lhs, rhs = g**2 * nn, nn**2 * ww

    def cs(witness, left=lhs) -> Step:
        return Step("cs", left, rhs, "Cauchy-Schwarz", Op.LE, witness=witness, by=Rule.SQUARED_NORM)
    assert status(cs(nn * w - g * u), names=NAMES) is Status.OK
    assert status(cs(nn * w + g * u), names=NAMES) is Status.FAILED
    assert status(cs(nn * w - g * u, left=2 * g**2 * nn), names=NAMES) is Status.FAILED

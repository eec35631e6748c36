"""Rule MATRIX: an inverse exists only where a stated hypothesis gives it (a Gram matrix of a matrix of full rank,
with the dimensions that rank needs)."""
from __future__ import annotations

import sympy as sp

from derive.core import Discharge, Rule, Status, Step, check_step
from tests.derive._chains import deriv

d, m = sp.symbols("d m", integer=True, positive=True)
C = sp.MatrixSymbol("C", d, m)


def test_an_inverse_the_dimensions_forbid_fails_though_declared() -> None:
    # C C^T (d x d) has rank at most m: singular whenever m < d, which nothing excludes.
    step = Step("s", sp.MatMul((C * C.T).I, C * C.T, C), C, "cancel (C C^T)^-1 C C^T")
    check = check_step(step, deriv(step, invertible=(C * C.T,)))
    assert check.status is Status.FAILED and "inverse" in check.method


def test_an_inverse_the_hypotheses_give_is_used() -> None:
    step = Step("s", sp.MatMul((C.T * C).I, C.T * C), sp.Identity(m), "(C^T C)^-1 C^T C = I")
    assert check_step(step, deriv(step, invertible=(C.T * C,), domain=(sp.Le(m, d),))).status is Status.OK
    assert check_step(step, deriv(step, invertible=(C * C.T,), domain=(sp.Le(m, d),))).status is Status.FAILED


def test_an_inverse_without_dimensions_or_declaration_fails() -> None:
    step = Step("s", sp.MatMul((C.T * C).I, C.T * C), sp.Identity(m), "(C^T C)^-1 C^T C = I")
    check = check_step(step, deriv(step, invertible=(C.T * C,)))
    assert check.status is Status.FAILED
    assert any(o.how in (Discharge.OPEN, Discharge.REFUTED) for o in check.obligations)
    assert check_step(step, deriv(step, domain=(sp.Le(m, d),))).status is Status.FAILED


def test_a_scalar_step_labelled_matrix_fails() -> None:
    x = sp.Symbol("x", real=True)
    step = Step("s", (x + 1)**2, x**2 + 2 * x + 1, "expand", by=Rule.MATRIX)
    assert check_step(step, deriv(step)).status is Status.FAILED

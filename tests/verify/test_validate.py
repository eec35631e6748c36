"""Bad input gets a clear error naming the argument, its value and the requirement."""
from __future__ import annotations

import re

import numpy as np
import pytest

from verify import frontier as VF
from verify import safety_pair as VP
from verify.validate import InputError

E1, E2, E3 = np.eye(3)


def test_zero_vector() -> None:
    with pytest.raises(InputError,
                       match=re.escape("v=array([0., 0., 0.]) must be a unit vector; it is the zero vector.")):
        VF.max_safety_gain(np.zeros(3), E1, 0.0, 1.0)


def test_not_unit() -> None:
    with pytest.raises(InputError, match=re.escape("c=[2, 0, 0] must be a unit vector; its norm is 2.0. "
                                                   "Divide it by its norm first.")):
        VF.max_safety_gain(E1, [2, 0, 0], 0.0, 1.0)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf(bad: float) -> None:
    with pytest.raises(InputError, match=r"^v=.* must be finite \(no NaN or inf\)\.$"):
        VF.max_safety_gain([bad, 0, 0], E1, 0.0, 1.0)


def test_mismatched_dimensions() -> None:
    with pytest.raises(InputError, match=re.escape("dimensions must agree; got {'v': 3, 'c': 2}.")):
        VF.max_safety_gain(E1, [1.0, 0.0], 0.0, 1.0)


def test_capability_change_beyond_budget() -> None:
    with pytest.raises(InputError, match=re.escape("Delta_C=1.5 must satisfy |Delta_C| <= B=1.0")):
        VF.max_safety_gain(E1, E2, 1.5, 1.0)


@pytest.mark.parametrize("B", [0.0, -1.0, float("nan")])
def test_budget_must_be_positive(B: float) -> None:
    with pytest.raises(InputError, match=re.escape(f"B={B!r} must be finite and > 0.")):
        VF.max_safety_gain(E1, E2, 0.0, B)


def test_unrealisable_triple() -> None:
    msg = ("(rho, a, b)=(-0.9, 0.9, 0.9) is not realised by unit vectors: the Gram matrix "
           "[[1, rho, a], [rho, 1, b], [a, b, 1]] has determinant -2.888 < 0. "
           "Choose rho within ab +- sqrt((1-a^2)(1-b^2)).")
    with pytest.raises(InputError, match=re.escape(msg)):
        VP.realise(-0.9, 0.9, 0.9)


def test_inner_product_out_of_range() -> None:
    with pytest.raises(InputError, match=re.escape("a=1.2 must be an inner product of unit vectors, in [-1, 1].")):
        VP.realise(0.0, 1.2, 0.0)


def test_dependent_capabilities() -> None:
    C = np.column_stack([E3, 2 * E3])
    with pytest.raises(InputError, match=re.escape("C has linearly dependent columns (rank 1 < m=2)")):
        VP.effective_cos(E1, E2, C)


def test_capability_rows_must_match() -> None:
    with pytest.raises(InputError, match=re.escape("C has 2 rows; the other vectors have dimension d=3.")):
        VP.effective_cos(E1, E2, np.ones((2, 1)))


def test_safety_direction_inside_capabilities() -> None:
    with pytest.raises(InputError, match=re.escape("v1 lies in the capability subspace")):
        VP.effective_cos(E1, E2, E1[:, None])


def test_normalised_gain_out_of_range() -> None:
    with pytest.raises(InputError, match=re.escape("s2=1.5 must lie in [-1, 1]")):
        VP.pair_frontier(E1, E2, E3[:, None], [1.5], 1.0)


def test_angle_out_of_range() -> None:
    with pytest.raises(ValueError, match=re.escape("alpha=4.0 must lie in [0, pi].")):
        VF.plane_geometry(4.0)

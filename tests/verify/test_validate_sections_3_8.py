"""Bad input to the section 3-8 numeric functions: clear errors naming the argument."""
from __future__ import annotations

import re

import numpy as np
import pytest

from verify import safety_pair as VP
from verify import whitening as VW
from verify.capability_constraint import max_safety_at_target
from verify.validate import InputError

E1, E2, E3 = np.eye(3)


def test_target_outside_capability_subspace() -> None:
    with pytest.raises(InputError, match=re.escape("delta_C must lie in the capability subspace C")):
        max_safety_at_target(E1, E2[:, None], 0.5 * E3, 1.0)


def test_target_beyond_budget() -> None:
    with pytest.raises(InputError, match=re.escape("delta_C has norm 2.0 > B=1.0")):
        max_safety_at_target(E1, E2[:, None], 2.0 * E2, 1.0)


def test_target_dimension() -> None:
    with pytest.raises(InputError, match=re.escape("delta_C has dimension 2; v has dimension 3.")):
        max_safety_at_target(E1, E2[:, None], [0.0, 1.0], 1.0)


def test_fisher_not_positive_definite() -> None:
    with pytest.raises(InputError, match=re.escape("F must be positive definite; its smallest eigenvalue is -1.")):
        VW.fisher_sqrt(np.diag([1.0, -1.0]))


def test_fisher_not_symmetric() -> None:
    with pytest.raises(InputError, match=re.escape("F must be symmetric (a Fisher information matrix).")):
        VW.fisher_sqrt(np.array([[1.0, 0.5], [0.0, 1.0]]))


def test_fisher_shape() -> None:
    with pytest.raises(InputError, match=re.escape("F is 2 x 2; v and c have dimension d=3.")):
        VW.max_safety_ellipsoid(E1, E2, np.eye(2), 0.0, 1.0)


def test_ellipsoid_reach() -> None:
    with pytest.raises(InputError, match=re.escape("Delta_C=0.9 must satisfy |Delta_C| <= B sqrt(c^T F^-1 c) = 0.5.")):
        VW.max_safety_ellipsoid(E1, E2, 4 * np.eye(3), 0.9, 1.0)


def test_kl_dimensions() -> None:
    with pytest.raises(InputError, match=re.escape("dimensions must agree; got {'z': 3, 'u': 2}.")):
        VW.kl_softmax(np.zeros(3), np.zeros(2), 0.1)


def test_partial_correlation_singular() -> None:
    with pytest.raises(InputError, match=re.escape("gram is singular: the directions are linearly dependent.")):
        VP.partial_correlation(np.ones((3, 3)))


def test_partial_correlation_shape() -> None:
    with pytest.raises(InputError, match=re.escape("gram must be a square matrix of size >= 3; got shape (2, 2).")):
        VP.partial_correlation(np.eye(2))

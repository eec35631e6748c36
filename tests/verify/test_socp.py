"""The generic SOCP and its certificate: enclosures are rigorous, re-solving reuses the built problem."""
from __future__ import annotations

import mpmath
import numpy as np
import pytest

from verify import socp
from verify.validate import InputError


def test_enclosure_contains_a_known_optimum() -> None:
    # max <e1, delta> s.t. ||delta|| <= 2: optimum exactly 2.
    W = np.array([[[1.0, 0.0, 0.0]]])
    sol = socp.solve(W, np.zeros((1, 0, 3)), np.zeros((1, 0)), np.array([2.0]))[0]
    enc = socp.certify(sol, W[0], np.zeros((0, 3)), np.zeros(0), 2.0)
    assert enc.lower <= 2 <= enc.upper and enc.width < 1e-8


def test_enclosure_rejects_a_wrong_value() -> None:
    W = np.array([[[1.0, 0.0, 0.0]]])
    sol = socp.solve(W, np.zeros((1, 0, 3)), np.zeros((1, 0)), np.array([2.0]))[0]
    enc = socp.certify(sol, W[0], np.zeros((0, 3)), np.zeros(0), 2.0)
    assert not enc.contains(mpmath.mpf(2) + mpmath.mpf(10) ** -6)


def test_problem_is_built_once_per_shape() -> None:
    assert socp.problem(5, 1, 1, 1) is socp.problem(5, 1, 1, 1)


def test_infeasible_equality_within_budget_is_a_clear_error() -> None:
    W, A = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    sol = socp.Solution(np.zeros(2), 0.0, np.array([1.0]), np.array([0.0]))
    with pytest.raises(InputError, match="the equality constraints cannot be met within the budget B"):
        socp.certify(sol, W, A, np.array([3.0]), 1.0)

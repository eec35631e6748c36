"""socp.certify (exact dual residual): the upper bound is weak duality for mu in the simplex."""
from __future__ import annotations

import math

import mpmath
import numpy as np

from verify import socp


def _opt_1d() -> tuple[np.ndarray, float]:
    # max_{|delta| <= 1} min(delta, 2 delta) = 1 at delta = 1 (d = 1, k = 2, no equality constraint: p = 0)
    return np.array([[1.0], [2.0]]), 1.0


def test_a_negative_solver_multiplier_does_not_push_the_upper_bound_below_the_optimum() -> None:
    # Weak duality, min_j <w_j, delta> <= sum_j mu_j <w_j, delta>, needs mu >= 0.  With mu = (1.1, -0.1) (a solver's
    # sign noise, magnified) sum_j mu_j w_j = 0.9 and the "bound" 0.9 is below the optimum 1.
    W, opt = _opt_1d()
    sol = socp.Solution(np.array([1.0]), opt, np.array([1.1, -0.1]), np.zeros(0))
    for certify in (socp.certify, socp.certify_in_span):
        enc = certify(sol, W, np.zeros((0, 1)), np.zeros(0), 1.0)
        assert enc.lower <= opt <= enc.upper, (certify.__name__, enc)


def test_the_exact_residual_encloses_a_known_optimum_for_one_gain_and_no_equality() -> None:
    # k = 1, p = 0: OPT = B |w|, irrational here; the enclosure holds it and is tight (60 digits).
    w = np.array([[0.1, 0.7, -0.3]])
    B = 2.5
    sol = socp.Solution(w[0] / np.linalg.norm(w[0]) * B * (1 - 1e-12), B * float(np.linalg.norm(w[0])), np.array([1.0]),
                        np.zeros(0))
    enc = socp.certify(sol, w, np.zeros((0, 3)), np.zeros(0), B)
    with mpmath.workdps(80):
        exact = mpmath.mpf(B) * mpmath.sqrt(sum(mpmath.mpf(float(v)) ** 2 for v in w[0]))
        assert enc.lower <= exact <= enc.upper
        assert enc.upper - exact < mpmath.mpf(10) ** -50
    assert math.isclose(float(enc.lower), float(exact), rel_tol=1e-9)

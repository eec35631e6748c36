"""The paper's symbols for what the checks say in words: ``Text.of("at ", Eq(nt.tau, 1), ...)`` prints them typeset.

Display symbols only (no assumptions): the routes' own symbols live in ``derive/`` and ``paper_checks.statements``.
"""
from __future__ import annotations

import sympy as sp

from paper_checks.printing import Inner, Norm

__all__ = ["Inner", "Norm", "v", "v1", "v2", "c", "c1", "c2", "c_i", "C", "delta", "delta_C", "delta_perp", "P_perp",
           "B", "B2", "tau", "tau_i", "tau0", "alpha", "alpha_w", "d", "m", "mp", "N", "mu", "gamma", "gamma_bar",
           "size_I", "theta", "theta0", "F", "a", "a1", "a2", "g", "e1", "C_perp", "R", "Q", "Dev", "Chebyshev"]

v, v1, v2 = sp.Symbol("v_star"), sp.Symbol("v_1_star"), sp.Symbol("v_2_star")
c, c1, c2, c_i, C = sp.Symbol("c"), sp.Symbol("c_1"), sp.Symbol("c_2"), sp.Symbol("c_i"), sp.Symbol("C")
delta, delta_C, delta_perp = sp.Symbol("delta"), sp.Symbol("delta_C_star"), sp.Symbol("delta_perp")
P_perp, C_perp = sp.Symbol("P_Cperp"), sp.Symbol("Cperp")
B, B2 = sp.Symbol("B"), sp.Symbol("B'")
tau, tau_i, tau0 = sp.Symbol("tau"), sp.Symbol("tau_i"), sp.Symbol("tau_0")
alpha, alpha_w = sp.Symbol("alpha"), sp.Symbol("alpha~")
d, m, mp, N = sp.Symbol("d"), sp.Symbol("m"), sp.Symbol("m'"), sp.Symbol("N")
mu, gamma, gamma_bar, size_I = sp.Symbol("mu"), sp.Symbol("gamma"), sp.Symbol("gamma_bar"), sp.Symbol("|I|")
theta, theta0 = sp.Symbol("theta"), sp.Symbol("theta_0")
F, a, a1, a2 = sp.Symbol("F"), sp.Symbol("a"), sp.Symbol("a_1"), sp.Symbol("a_2")
g, e1 = sp.Symbol("g"), sp.Symbol("e_1")
R, Q = sp.Symbol("R"), sp.Symbol("Q")
Dev = sp.Function("DeviationTail")
Chebyshev = sp.Symbol("C")

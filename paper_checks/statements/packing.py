"""Formal statements of the packing family: Section 5.1 (the Welch bound), Thm 5.4 (the scaling bound (9)), Rem 5.8.

Vector claims are reduced to scalar parameters that lose no generality:

* Section 5.1: the Welch bound is searched on the smallest frame where it is attained (an equiangular tight
  frame exists): N = 3 unit vectors in R^2, written f_1 = (1, 0), f_2 = (cos t_2, sin t_2),
  f_3 = (cos t_3, sin t_3) (any three unit vectors of R^2, up to a rotation, which keeps every inner product).
  The general case N > d is the derivation's (``derive.packing.welch``: frame potential), and the checks
  confirm it on random packings with d up to 39.
* Thm 5.4: the smallest packing with every term of (9): v*, one intrinsic capability c_1 (|I| = 1, declared
  overlap gamma_1 = g != 0) and one incidental c_2 (m' = 1), so m = 2.  Every quantity in (9) is a function of
  the Gram entries x = <v*, c_1>, y = <v*, c_2>, z = <c_1, c_2> (any d >= 3 realises a positive semidefinite
  Gram matrix), so (x, y, z, g) loses no generality for this packing.  mu is Definition 5.3's coherence,
  taken literally: the largest |<f_i, f_j>| over the pairs with gamma_ij = 0, here (v*, c_2) and (c_1, c_2).
* Rem 5.8: "d^beta sqrt(log d / d) -> 0, which holds for beta < 1/2" is read as an explicit vanishing majorant
  (``derive.packing.near_orthogonality_majorant``), so the engine evaluates the limit claim at every d.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from derive import packing as DP
from paper_checks.definitions import Equations, define
from paper_checks.statement import Statement, Variable

# --------------------------------------------------------------------------------------------- Section 5.1

t2, t3 = sp.symbols("t_2 t_3", real=True)
N = sp.Symbol("N", integer=True, positive=True)
d = sp.Symbol("d", integer=True, positive=True)

_coherence = sp.Max(*(sp.Abs(p) for p in DP.frame_inner_products((t2, t3))))   # Def 5.3 with every gamma = 0

SEC_5_1 = Statement(
    (Variable(t2, sp.Interval(0, 2 * sp.pi), note="angle of f_2 = (cos t_2, sin t_2); f_1 = (1, 0) by rotation"),
     Variable(t3, sp.Interval(0, 2 * sp.pi), note="angle of f_3"),
     Variable(N, sp.Interval(1, sp.oo), integer=True, note="number of unit vectors"),
     Variable(d, sp.Interval(1, sp.oo), integer=True, note="dimension")),
    (sp.Eq(N, 3), sp.Eq(d, 2)),
    sp.Ge(_coherence, sp.sqrt((N - d) / (d * (N - 1)))),
    words="the coherence max_{i<j} |<f_i, f_j>| of any three unit vectors in R^2 is at least the Welch bound "
          "sqrt((N - d)/(d (N - 1))) = 1/2 (attained by the equiangular tight frame at 120 degrees)")

# "Standard bounds give mu = O(sqrt(log N / d)) for random packings": the standard bound is a union bound over the
# N(N - 1)/2 pairs of a concentration bound for one pair, P(|<f_i, f_j>| >= t) <= exp(-d t^2/2); at
# t = sqrt(6 log N / d) it gives P(mu >= t) <= N^2 exp(-3 log N) / 2 < 1/N (derive.packing.welch, step
# random-union-bound).  The union bound is elementary; the pair bound is what can fail, and it is tight at t = 0.

t = sp.Symbol("t", real=True)


@define("PairTail", "P(|<f, g>| >= t) for f, g independent and uniform on the unit sphere of R^d",
        "derive.packing.pair_tail", 2)
def _pair_tail(dim_: sp.Expr, t_: sp.Expr) -> sp.Expr:
    return DP.pair_tail(dim_, t_)


PairTail = _pair_tail

SEC_5_1_RANDOM = Statement(
    (Variable(d, sp.Interval(2, sp.oo), integer=True, note="dimension"),
     Variable(t, sp.Interval.open(0, 1),
              note="threshold on |<f_i, f_j>| (at t = 0 and t = 1 the bound is 1 <= 1 and 0 <= e^(-d/2))")),
    (),
    sp.Le(PairTail(d, t), sp.exp(-d * t**2 / 2)),
    words="for one pair of a random packing, P(|<f_i, f_j>| >= t) <= exp(-d t^2/2); with a union bound over the "
          "N(N-1)/2 pairs, mu < sqrt(6 log N / d) with probability at least 1 - 1/N: mu = O(sqrt(log N / d))")

# --------------------------------------------------------------------------------------------- Thm 5.4

x, y, z = sp.symbols("x y z", real=True)
g = sp.Symbol("gamma_1", real=True)
tau_0, mu, gamma_bar = sp.symbols("tau_0 mu gamma_bar", real=True)
m, m_p, n_I = sp.symbols("m m' |I|", integer=True, nonnegative=True)


def _packing_tax_equations(a: sp.Expr, b: sp.Expr, c: sp.Expr) -> Equations:
    from paper_checks.statements import tax_rate as T    # the tax rate's definition, written once there
    return T.projection_equations((a, b), ((1, c), (c, 1)))


def _packing_tax_proof(quantity: sp.FunctionClass) -> Any:
    # TaxRate2's quantity in other symbols: its one proof, for this function.
    from derive import tax_rate as DT
    return DT.tax_rate_two_from_definition(quantity)


@define("PackingTax", "tau = ||P_C v*||^2 (Def 3.4) for C = [c_1 c_2], unit c_i, <v*, c_1> = x, <v*, c_2> = y, "
        "<c_1, c_2> = z", "derive.packing.packing_tax", 3, equations=_packing_tax_equations, proof=_packing_tax_proof)
def _packing_tax(a: sp.Expr, b: sp.Expr, c: sp.Expr) -> sp.Expr:
    return DP.packing_tax(a, b, c)


PackingTax = _packing_tax

_GRAM = [Variable(x, sp.Interval(-1, 1), note="<v*, c_1>: c_1 the intrinsic capability"),
         Variable(y, sp.Interval(-1, 1), note="<v*, c_2>: c_2 the incidental capability"),
         Variable(z, sp.Interval(-1, 1), note="<c_1, c_2>"),
         Variable(g, sp.Interval(-1, 1), note="gamma_1: the declared intrinsic overlap of (v*, c_1), Def 5.1")]
_DERIVED = [Variable(tau_0, sp.Interval(0, 1), note="irreducible tax sum_{i in I} gamma_i^2"),
            Variable(gamma_bar, sp.Interval(0, 1), note="max_{i in I} |gamma_i|"),
            Variable(mu, sp.Interval(0, 1), note="coherence (Def 5.3)"),
            Variable(m, sp.Interval(0, sp.oo), integer=True, note="number of capabilities"),
            Variable(m_p, sp.Interval(0, sp.oo), integer=True, note="m' = m - |I|"),
            Variable(n_I, sp.Interval(0, sp.oo), integer=True, note="|I|")]


def _scaling_statement(coherence: sp.Expr, words: str) -> Statement:
    return Statement(
        tuple(_GRAM + _DERIVED),
        (sp.Eq(m, 2), sp.Eq(m_p, 1), sp.Eq(n_I, 1), sp.Eq(tau_0, g**2), sp.Eq(gamma_bar, sp.Abs(g)),
         sp.Eq(mu, coherence),
         sp.Ge(1 - x**2 - y**2 - z**2 + 2 * x * y * z, 0),       # (v*, c_1, c_2) realisable: Gram matrix PSD
         sp.Ne(g, 0),                                              # i in I means gamma_i != 0
         sp.Lt(m * mu, 1)),                                        # near-orthogonality, as the theorem assumes
        sp.Le(sp.Abs(PackingTax(x, y, z) - tau_0),
              (tau_0 * m * mu + m_p * mu**2 + 2 * gamma_bar * n_I * mu + n_I * mu**2) / (1 - m * mu)),
        words=words)


THM_5_4 = _scaling_statement(
    sp.Max(sp.Abs(y), sp.Abs(z)),
    "|R(d)| = |tau - tau_0| <= eq. (9), with mu the coherence of Def 5.3 (pairs with gamma_ij = 0 only)")

# The proof bounds every residual, intrinsic pairs included, by mu ("bound each term using |eps_i| <= mu"):
# with mu over every pair's residual, (9) is the derivation's (derive.packing.scaling_bound).
THM_5_4_CORRECTED = _scaling_statement(
    sp.Max(sp.Abs(x - g), sp.Abs(y), sp.Abs(z)),
    "eq. (9) with mu the largest packing residual |eps_ij| = |<f_i, f_j> - gamma_ij| over every pair (intrinsic "
    "pairs included), capabilities with no intrinsic overlap between them")

# --------------------------------------------------------------------------------------------- Rem 5.8

beta = sp.Symbol("beta", real=True)
dim = sp.Symbol("d", integer=True, positive=True)

REM_5_8 = Statement(
    (Variable(beta, sp.Interval.Ropen(0, sp.Rational(1, 2)), note="m = d^beta capabilities, beta < 1/2"),
     Variable(dim, sp.Interval(2, sp.oo), integer=True, note="model dimension")),
    (),
    sp.Le(dim**beta * sp.sqrt(sp.log(dim) / dim), DP.near_orthogonality_majorant(beta, dim)),
    words="for beta < 1/2, m mu = d^beta sqrt(log d / d) is at most d^(-(1/2 - beta)/2) / sqrt(e (1/2 - beta)), "
          "which tends to 0: near-orthogonality m mu < 1 holds for all large d")

STATEMENTS: dict[str, Statement] = {"sec-5.1": SEC_5_1, "sec-5.1.random": SEC_5_1_RANDOM, "thm-5.4": THM_5_4,
                                    "rem-5.8": REM_5_8}

CORRECTIONS: dict[str, tuple[Statement, ...]] = {"thm-5.4": (THM_5_4_CORRECTED,)}

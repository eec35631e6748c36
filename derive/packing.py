"""The packing model: the Welch bound and equiangular tight frames (Section 5.1), and the algebra of the
scaling bound (9) and its Gershgorin step (Thm 5.4)."""
from __future__ import annotations

import functools

import sympy as sp

from derive.core import Derivation, Op, Rule, Start, Step

NEW = Start.DEFINITION

__all__ = ["welch", "welch_bound", "scaling_bound", "bound_9"]

N = sp.Symbol("N", positive=True)
d = sp.Symbol("d", positive=True)
mu = sp.Symbol("mu", positive=True)
S_off = sp.Symbol("S", nonnegative=True)        # sum of squared off-diagonal Gram entries
s_gap = sp.Symbol("s_gap", nonnegative=True)    # N(N-1) mu^2 - S >= 0, as mu is the largest |entry|
_t = sp.Symbol("t", positive=True)              # the union bound's threshold


def welch_bound(n: sp.Expr, dim: sp.Expr) -> sp.Expr:
    """Welch (1974): max_{i != j} |<f_i, f_j>| >= sqrt((N - d)/(d (N - 1))) for N unit vectors in R^d."""
    n, dim = sp.sympify(n), sp.sympify(dim)
    return sp.sqrt((n - dim) / (dim * (n - 1)))


def bound_9(tau0: sp.Expr, m: sp.Expr, m_prime: sp.Expr, gamma_bar: sp.Expr, n_intrinsic: sp.Expr,
            mu_: sp.Expr) -> sp.Expr:
    """Right side of eq. (9)."""
    return ((tau0 * m * mu_ + m_prime * mu_**2 + 2 * gamma_bar * n_intrinsic * mu_ + n_intrinsic * mu_**2)
            / (1 - m * mu_))


@functools.cache
def welch() -> Derivation:
    """The Welch bound from the frame potential, and two frames that meet it."""
    r = sp.Symbol("r", integer=True, positive=True)                # rank of the Gram matrix G
    lam = sp.MatrixSymbol("lambda", r, 1)                          # its nonzero eigenvalues
    ones = sp.MatrixSymbol("e", r, 1)                              # the all-ones vector: e^T e = r
    ee = ones.T * ones
    steps = (
        Step("rank-cauchy-schwarz", lam.T * ones * ee.I * ones.T * lam, lam.T * lam,
             "Cauchy-Schwarz in R^r, r the rank of G, any r: (e^T lambda)^2 / (e^T e) <= lambda^T lambda, the gap being"
             " ||lambda - e (e^T e)^{-1} e^T lambda||^2; with e the all-ones vector, (tr G)^2 / rank G <= ||G||_F^2",
             Op.LE, witness=lam - ones * ee.I * ones.T * lam, by=Rule.SQUARED_NORM, start=NEW),
        Step("frame-potential", N + S_off, N + N * (N - 1) * mu**2,
             "||G||_F^2 = N + sum_{i != j} <f_i, f_j>^2 <= N + N(N-1) mu^2 (S <= N(N-1) mu^2)", Op.LE,
             witness=s_gap, start=NEW),
        Step("rearrange", N + N * (N - 1) * mu**2 - N**2 / d,
             N * (N - 1) * (mu**2 - (N - d) / (d * (N - 1))),
             "N + N(N-1) mu^2 >= ||G||_F^2 >= (tr G)^2 / rank G >= N^2 / d gives mu^2 >= (N-d)/(d(N-1))", start=NEW),
        Step("random-union-bound", sp.Subs(N**2 * 2 * sp.exp(-d * _t**2 / 2), _t, sp.sqrt(6 * sp.log(N) / d)), 2 / N,
             "random packings: with P(|<f_i, f_j>| >= t) <= 2 exp(-d t^2 / 2) (concentration on the sphere) and a"
             " union bound over N^2 pairs, t = sqrt(6 log N / d) fails with probability <= 2/N:"
             " mu = O(sqrt(log N / d))", start=NEW),
        Step("simplex-etf", sp.Subs(welch_bound(N, d), N, d + 1), 1 / d,
             "N = d + 1 (the regular simplex, Gram entries -1/d) meets the bound: coherence 1/d", start=NEW),
    )
    result = Step("mercedes-benz", sp.Subs(welch_bound(N, d), (N, d), (3, 2)), sp.Rational(1, 2),
                  "three unit vectors at 120 degrees in R^2 (|<f_i, f_j>| = 1/2) meet the bound", start=NEW)
    return Derivation("sec-5.1", "Section 5.1: the Welch bound and equiangular tight frames", (
        "N unit vectors in R^d, N > d", "S = sum_{i != j} <f_i, f_j>^2 <= N(N-1) mu^2"), steps, result,
        relations=(S_off - N * (N - 1) * mu**2 + s_gap,), invertible=(ee,),
        domain=(sp.Gt(N, d), sp.Ge(d, 1), sp.Le(S_off, N * (N - 1) * mu**2)))


@functools.cache
def scaling_bound() -> Derivation:
    """Thm 5.4 corrected: eq. (9) holds when mu bounds every residual |eps| (intrinsic pairs included) and the
    capabilities have no intrinsic overlap with each other."""
    tau0, X = sp.symbols("tau_0 X", nonnegative=True)
    m = sp.Symbol("m", positive=True)
    t = sp.Symbol("t", nonnegative=True)
    kk = sp.Symbol("k", nonnegative=True)                 # (m - 1) mu
    one_k, one_m, one_t = sp.symbols("q_k q_m q_t", positive=True)
    gap_kt = sp.Symbol("g_kt", nonnegative=True)          # k - t >= 0
    gam, eps = sp.MatrixSymbol("gamma", m, 1), sp.MatrixSymbol("epsilon", m, 1)     # intrinsic overlaps, residuals
    a_vec = gam + eps
    steps = (
        Step("residual-expansion", sp.MatMul(a_vec.T, a_vec, evaluate=False) - gam.T * gam,
             gam.T * eps + eps.T * gam + eps.T * eps,
             "a = C^T v* = gamma + eps (gamma_i = 0 off I, ||gamma||^2 = tau_0), any m and I: ||C^T v*||^2 - tau_0 ="
             " 2 gamma^T eps + eps^T eps = sum_I (2 gamma_i eps_i + eps_i^2) + sum_{not I} eps_i^2; with |eps_i| <= mu"
             " this is at most X = 2 gamma_bar |I| mu + |I| mu^2 + m' mu^2", start=NEW),
        Step("gershgorin-low", t / (1 - t), kk / (1 - kk),
             "Gershgorin: the eigenvalues of C^T C lie in [1 - k, 1 + k], k = (m-1) mu; for lambda = 1 - t, t <= k:"
             " |1/lambda - 1| = t/(1-t) <= k/(1-k)", Op.LE, witness=gap_kt / (one_t * one_k), start=NEW),
        Step("gershgorin-high", t / (1 + t), kk / (1 - kk), "for lambda = 1 + t: |1/lambda - 1| = t/(1+t) <= k/(1-k)",
             Op.LE, witness=(gap_kt + 2 * kk * t) / ((1 + t) * one_k), start=NEW),
        Step("combine", (tau0 + X) * kk / (1 - kk) + X, (tau0 * kk + X) / (1 - kk),
             "|R| <= ||a||^2 k/(1-k) + X with ||a||^2 <= tau_0 + X, i.e. (tau_0 k + X)/(1 - k)", start=NEW),
    )
    result = Step("eq-9", (tau0 * kk + X) / one_k, (tau0 * m * mu + X) / one_m,
                  "k = (m-1) mu <= m mu < 1 turns it into eq. (9)", Op.LE,
                  witness=(tau0 + X) * mu / (one_k * one_m), start=NEW)
    return Derivation("thm-5.4", "Theorem 5.4 (corrected hypotheses): the scaling bound (9)", (
        "mu >= |eps| for every pair among v*, c_1..c_m, intrinsic pairs included",
        "no intrinsic overlap between capabilities; m mu < 1"), steps, result,
        relations=(kk - (m - 1) * mu, one_k - (1 - kk), one_m - (1 - m * mu), one_t - (1 - t), gap_kt - (kk - t)),
        domain=(sp.Lt(m * mu, 1), sp.Le(t, (m - 1) * mu)))


# ---------------------------------------------------------------------------------------------
# Closed forms for the formal statements of the packing family.
# Each is computed here from the definition it names, never typed from the paper's printed formula.

def packing_tax(x: sp.Expr, y: sp.Expr, z: sp.Expr) -> sp.Expr:
    """tau = ||P_C v*||^2 for C = [c1 c2] with unit c1, c2, <v*, c1> = x, <v*, c2> = y, <c1, c2> = z.

    From Def 3.4: P_C = C (C^T C)^{-1} C^T, so ||P_C v*||^2 = a^T G^{-1} a with a = C^T v* = (x, y) and
    G = C^T C = [[1, z], [z, 1]] (invertible for |z| < 1).  The Gram entries are all that tau depends on, so
    (x, y, z) with a positive semidefinite 3x3 Gram matrix of (v*, c1, c2) loses no generality (d >= 3)."""
    a = sp.Matrix([x, y])
    G = sp.Matrix([[1, z], [z, 1]])
    return sp.simplify((a.T * G.inv() * a)[0, 0])


def frame_inner_products(angles: tuple[sp.Expr, ...]) -> tuple[sp.Expr, ...]:
    """The pairwise inner products of the unit vectors (1, 0), (cos t, sin t) for t in ``angles`` in R^2.

    Any frame of unit vectors in R^2 is, up to a rotation (which keeps every inner product), of this form."""
    vecs = [sp.Matrix([1, 0])] + [sp.Matrix([sp.cos(t), sp.sin(t)]) for t in angles]
    return tuple(sp.trigsimp((vecs[i].T * vecs[j])[0, 0]) for i in range(len(vecs)) for j in range(i + 1, len(vecs)))


def near_orthogonality_majorant(beta: sp.Expr, dim: sp.Expr) -> sp.Expr:
    """A vanishing majorant of d^beta sqrt(log d / d) for beta < 1/2 and d > 1 (Rem 5.8).

    With s = 1/2 - beta > 0: log d = (1/s) log(d^s) <= d^s / (e s), by log y <= y/e for y > 0 (the tangent of
    log at y = e; equality there).  Hence d^beta sqrt(log d / d) = d^(-s) sqrt(log d) <= d^(-s/2) / sqrt(e s),
    which tends to 0 as d -> oo; equality holds where d^s = e."""
    s = sp.Rational(1, 2) - beta
    y = sp.Symbol("y", positive=True)
    tangent = y / sp.E                       # the tangent line of log y at y = e
    assert sp.simplify(tangent.subs(y, sp.E) - sp.log(sp.E)) == 0 and sp.diff(tangent - sp.log(y), y).subs(y, sp.E) == 0
    log_bound = tangent.subs(y, dim**s) / s  # log d <= d^s / (e s)
    # d^(-s) sqrt(d^s / (e s)) = d^(-s/2) (e s)^(-1/2), with the powers of d gathered into one
    return sp.powsimp(sp.powdenest(dim ** (-s) * sp.sqrt(log_bound), force=True), force=True)


def pair_tail(dim: sp.Expr, t: sp.Expr) -> sp.Expr:
    """P(|<f, g>| >= t) for independent uniform unit vectors f, g of R^d and 0 <= t <= 1.

    By rotation invariance <f, g>^2 has the law of ||P_U f||^2 for a fixed line U, Beta(1/2, (d - 1)/2) (the exact law
    of derive/random_subspace.py with m = 1); the tail is 1 - I_{t^2}(1/2, (d - 1)/2), I the regularised incomplete
    beta function (the law is continuous, so >= and > give the same)."""
    return 1 - sp.betainc_regularized(sp.Rational(1, 2), (sp.sympify(dim) - 1) / 2, 0, sp.sympify(t) ** 2)

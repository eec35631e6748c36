"""One second-order cone program covers every optimisation of the paper, with a certified enclosure.

    maximise   t
    subject to t <= <w_j, delta>   (j = 1..k)      the gains to be maximised (k = 2: max-min)
               A delta = b                          capabilities / other gains held fixed
               ||delta|| <= B                       the perturbation budget

Built once per shape as a DPP problem (W, A, b, B are parameters) and re-solved.  A batch of n
independent instances is one block-separable problem, solved in one call.  Each instance is posed in
the span of its data, so the built problem does not grow with d.

Certificate.  Lower bound: the solver's delta is made exactly feasible in rational arithmetic
(projected onto ``A delta = b``, then pulled toward the minimum-norm solution until the budget
holds) and its objective is enclosed.  Upper bound: for every ``mu`` in the simplex and every ``y``,
weak duality gives ``OPT <= y.b + B ||sum_j mu_j w_j - A^T y||``, evaluated in ``mpmath.iv``.
"""
from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np

from verify.validate import InputError, SolverError

__all__ = ["Enclosure", "MaxMinSOCP", "Solution", "problem", "solve", "certify", "certify_in_span", "certify_batch",
           "exact_gram", "inverse_exact", "SOLVER_OPTS"]

# Clarabel at tight tolerances: the certificate, not the tolerance, is what we trust.
SOLVER_OPTS = {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "tol_ktratio": 1e-8}
_IV_DPS = 60


@dataclass(frozen=True)
class Enclosure:
    """A certified interval ``lower <= OPT <= upper`` (both rigorous) and the solver's value."""

    lower: mpmath.mpf
    upper: mpmath.mpf
    solver_value: float

    @property
    def width(self) -> mpmath.mpf:
        with mpmath.workdps(_IV_DPS):
            return self.upper - self.lower

    def contains(self, x: mpmath.mpf, slack: mpmath.mpf | float = 0) -> bool:
        """Whether ``x`` (a high-precision number) lies in ``[lower - slack, upper + slack]``.

        Compared at 60 digits: the endpoints are exact binary numbers and must not be rounded."""
        with mpmath.workdps(_IV_DPS):
            return self.lower - slack <= x <= self.upper + slack


class MaxMinSOCP:
    """The problem above for ``n`` instances of dimension ``d``, ``k`` gains and ``p`` equalities."""

    def __init__(self, d: int, k: int, p: int, n: int = 1) -> None:
        import cvxpy as cp   # lazily: importing cvxpy costs about a second, and only solving needs it
        self.shape = (d, k, p, n)
        self.W = [cp.Parameter((n, d), name=f"W{j}") for j in range(k)]
        self.A = [cp.Parameter((n, d), name=f"A{i}") for i in range(p)]
        self.b = [cp.Parameter(n, name=f"b{i}") for i in range(p)]
        self.B = cp.Parameter(n, nonneg=True, name="B")
        self.delta = cp.Variable((n, d), name="delta")
        self.t = cp.Variable(n, name="t")
        self.gain_cons = [self.t <= cp.sum(cp.multiply(W, self.delta), axis=1) for W in self.W]
        self.eq_cons = [cp.sum(cp.multiply(A, self.delta), axis=1) == b for A, b in zip(self.A, self.b, strict=False)]
        budget = [cp.norm(self.delta, 2, axis=1) <= self.B]
        self.problem = cp.Problem(cp.Maximize(cp.sum(self.t)), self.gain_cons + self.eq_cons + budget)
        assert self.problem.is_dcp(dpp=True)

    def set(self, W: np.ndarray, A: np.ndarray, b: np.ndarray, B: np.ndarray) -> None:
        """W: (n, k, d); A: (n, p, d); b: (n, p); B: (n,)."""
        for j, par in enumerate(self.W):
            par.value = W[:, j, :]
        for i, (pa, pb) in enumerate(zip(self.A, self.b, strict=False)):
            pa.value = A[:, i, :]
            pb.value = b[:, i]
        self.B.value = B

    def solve(self) -> None:
        import cvxpy as cp   # lazily: importing cvxpy costs about a second, and only solving needs it
        with warnings.catch_warnings():
            # "inaccurate" is judged by the certificate, not by the solver's own tolerance flag.
            warnings.filterwarnings("ignore", message="Solution may be inaccurate")
            self.problem.solve(solver=cp.CLARABEL, **SOLVER_OPTS)
        if self.problem.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
            raise SolverError(f"Clarabel returned status {self.problem.status!r} for a problem of shape "
                              f"(d, k, p, n)={self.shape}.")


@functools.lru_cache(maxsize=32)
def problem(d: int, k: int, p: int, n: int = 1) -> MaxMinSOCP:
    """The DPP problem of this shape, built once per process and re-solved."""
    return MaxMinSOCP(d, k, p, n)


@dataclass(frozen=True)
class Solution:
    """Solver output for one instance: primal delta, value, dual weights mu and multipliers y."""

    delta: np.ndarray
    value: float
    mu: np.ndarray
    y: np.ndarray


def solve(W: np.ndarray, A: np.ndarray, b: np.ndarray, B: np.ndarray) -> list[Solution]:
    """Solve a batch: W (n, k, d), A (n, p, d), b (n, p), B (n,).  Returns one Solution per instance.

    Each instance is solved in the span of its own data, as the paper's proofs do ("components
    orthogonal to both contribute to neither objective"): with Q an orthonormal basis of the span of
    the rows of W and A, any delta = Q z + delta_perp, and delta_perp only spends budget.  The
    problem's size is then independent of d; the solution is mapped back, delta = Q z, and certified
    against the original data.
    """
    n, k, d = W.shape
    p = A.shape[1]
    Q, _ = np.linalg.qr(np.concatenate([W, A], axis=1).transpose(0, 2, 1))   # (n, d, r)
    r = Q.shape[2]
    prob = problem(r, k, p, n)
    prob.set(W @ Q, A @ Q, b, B)
    prob.solve()
    mus = np.column_stack([np.abs(c.dual_value) for c in prob.gain_cons]) if k else np.zeros((n, 0))
    ys = np.column_stack([c.dual_value for c in prob.eq_cons]) if p else np.zeros((n, 0))
    deltas = np.einsum("ndr,nr->nd", Q, prob.delta.value)
    return [Solution(deltas[i], float(prob.t.value[i]), mus[i], ys[i]) for i in range(n)]


def _q(x: Fraction | float) -> Fraction:
    """Data entries as exact rationals: a Fraction stays exact, a float is the binary rational it is."""
    return x if isinstance(x, Fraction) else Fraction(float(x))


def _iv(x: Fraction | float) -> mpmath.iv.mpf:
    f = _q(x)
    return mpmath.iv.mpf(f.numerator) / mpmath.iv.mpf(f.denominator)


def _feasible_point(delta: np.ndarray, A: np.ndarray, b: np.ndarray, B: float) -> list[Fraction]:
    """An exactly feasible point near ``delta`` (rational arithmetic)."""
    d = delta.size
    x = [Fraction(float(v)) for v in delta]
    Aq = [[_q(v) for v in row] for row in A]
    bq = [_q(v) for v in b]
    Bq = _q(B)
    p = len(Aq)
    if p:
        M = [[sum(Aq[i][t] * Aq[j][t] for t in range(d)) for j in range(p)] for i in range(p)]
        Minv = inverse_exact(M)

        def lift(r: list[Fraction]) -> list[Fraction]:   # A^T (A A^T)^{-1} r
            z = [sum(Minv[i][j] * r[j] for j in range(p)) for i in range(p)]
            return [sum(Aq[i][t] * z[i] for i in range(p)) for t in range(d)]

        resid = [sum(Aq[i][t] * x[t] for t in range(d)) - bq[i] for i in range(p)]
        corr = lift(resid)
        x = [x[t] - corr[t] for t in range(d)]
        x0 = lift(bq)                       # minimum-norm solution of A delta = b
    else:
        x0 = [Fraction(0)] * d
    return _into_budget(_dot, x, x0, Bq)


def inverse_exact(M: list[list[Fraction]]) -> list[list[Fraction]]:
    n = len(M)
    aug = [row[:] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(M)]
    for col in range(n):
        piv = next(r for r in range(col, n) if aug[r][col] != 0)
        aug[col], aug[piv] = aug[piv], aug[col]
        pv = aug[col][col]
        aug[col] = [v / pv for v in aug[col]]
        for r in range(n):
            if r != col and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [vr - f * vc for vr, vc in zip(aug[r], aug[col], strict=False)]
    return [row[n:] for row in aug]


def _gain_weights(sol: Solution, k: int) -> list[Fraction]:
    """The solver's multipliers of the k gain constraints (negative ones as 0) as exact weights summing to 1
    (uniform if all are 0): any such weights give a valid weak-duality bound, the solver's only make it tight."""
    mu = [max(Fraction(float(m)), Fraction(0)) for m in sol.mu]     # a negative weight would void weak duality
    total = sum(mu)
    return [m / total for m in mu] if total > 0 else [Fraction(1, k)] * k


def certify(sol: Solution, W: np.ndarray, A: np.ndarray, b: np.ndarray, B: float) -> Enclosure:
    """Certified ``[L, U]`` for one instance (W (k, d), A (p, d), b (p,))."""
    k, d = W.shape
    x = _feasible_point(sol.delta, A, b, B)
    lower = min(sum(_q(W[j, t]) * x[t] for t in range(d)) for j in range(k))
    mu = _gain_weights(sol, k)
    ivmp = mpmath.iv
    saved, ivmp.dps = ivmp.dps, _IV_DPS
    try:
        bounds = []
        # sum_j mu_j w_j - A^T y and y.b are computed exactly (the data are binary rationals); only the square
        # root is enclosed, as in ``certify_in_span``.
        Wq = [[_q(v) for v in row] for row in W]
        Aq = [[_q(v) for v in row] for row in A]
        for sign in (1, -1):    # weak duality holds for every y: take the better sign
            y = [Fraction(sign * float(v)) for v in sol.y]
            g = [sum((mu[j] * Wq[j][t] for j in range(k)), Fraction(0))
                 - sum((y[i] * Aq[i][t] for i in range(len(y))), Fraction(0)) for t in range(d)]
            g2 = sum((gl * gl for gl in g), Fraction(0))
            ub = (_iv(sum((yi * _q(bi) for yi, bi in zip(y, b, strict=False)), Fraction(0)))
                  + _iv(B) * ivmp.sqrt(_iv(g2)))
            with mpmath.workdps(_IV_DPS):       # keep the interval endpoints unrounded
                bounds.append(mpmath.mpf(ub.b))
        with mpmath.workdps(_IV_DPS):
            lo = mpmath.mpf(_iv(lower).a)
    finally:
        ivmp.dps = saved
    return Enclosure(lo, min(bounds), sol.value)


# --- Certificate in the span of the data (exact Gram matrix): the same bounds, independent of d ---
#
# Every quantity the certificate needs is an inner product of data rows and the point: with
# X = [W; A] (r x d) and delta = X^T z, <w_j, delta> = (G z)_j, A delta = (G z)_A, ||delta||^2 = z^T G z
# and ||sum mu_j w_j - A^T y||^2 = u^T G u for u = [mu; -y], where G = X X^T.  Computing G exactly
# once (integer arithmetic on the doubles' mantissas) leaves an r-dimensional rational problem, so a
# batch of frontier points at d = 4096 certifies in milliseconds instead of seconds, and the
# enclosure is as rigorous as ``certify``'s: it bounds the optimum of the stored double data.

def _integer_rows(X: np.ndarray) -> tuple[list[np.ndarray], list[int]]:
    """Each row of X as integers n_l with X[i, l] = n_l 2^e_i exactly (object arrays of Python ints)."""
    mant, expo = np.frexp(np.asarray(X, dtype=np.float64))
    ints = (mant * 2.0**53).astype(np.int64)                  # exact: a double has 53 significant bits
    expo = expo.astype(np.int64) - 53
    rows, shifts = [], []
    for i in range(X.shape[0]):
        nz = ints[i] != 0
        e0 = int(expo[i][nz].min()) if nz.any() else 0
        shift = np.where(nz, expo[i] - e0, 0)
        rows.append(np.array([int(n) << int(s) for n, s in zip(ints[i], shift, strict=False)], dtype=object))
        shifts.append(e0)
    return rows, shifts


def exact_gram(X: np.ndarray) -> list[list[Fraction]]:
    """``X X^T`` of a float64 matrix (r x d), every entry the exact rational value."""
    rows, e = _integer_rows(X)
    r = len(rows)
    G = [[Fraction(0)] * r for _ in range(r)]
    for i in range(r):
        for j in range(i, r):
            s = int(np.dot(rows[i], rows[j])) if rows[i].size else 0
            k = e[i] + e[j]
            G[i][j] = G[j][i] = Fraction(s * 2**k) if k >= 0 else Fraction(s, 2**-k)
    return G


def _mat_vec(G: list[list[Fraction]], z: list[Fraction], rows: range | list[int]) -> list[Fraction]:
    return [sum(G[i][j] * z[j] for j in range(len(z))) for i in rows]


def _quad(G: list[list[Fraction]], u: list[Fraction], w: list[Fraction] | None = None) -> Fraction:
    w = u if w is None else w
    return sum(u[i] * sum(G[i][j] * w[j] for j in range(len(w))) for i in range(len(u)))


def _span_start(sol: Solution, X: np.ndarray, G: list[list[Fraction]], k: int, p: int,
                bq: list[Fraction]) -> tuple[list[Fraction], list[Fraction]]:
    """The solver's point as coordinates z in the rows of X = [W; A] (least squares: any z gives a point of the
    span), corrected so that ``A X^T z = b`` holds exactly, and the coordinates z0 of the minimum-norm
    solution of ``A delta = b``: ``z0 = [0; (A A^T)^{-1} b]``, both with the Gram matrix's A block."""
    r = k + p
    Ai = list(range(k, r))
    z = [Fraction(float(t)) for t in np.linalg.lstsq(X.T, sol.delta, rcond=None)[0]]
    z0 = [Fraction(0)] * r
    if p:
        Minv = inverse_exact([[G[i][j] for j in Ai] for i in Ai])          # (A A^T)^{-1}
        resid = [g - bi for g, bi in zip(_mat_vec(G, z, Ai), bq, strict=False)]
        corr = [sum(Minv[i][j] * resid[j] for j in range(p)) for i in range(p)]
        z = z[:k] + [z[k + i] - corr[i] for i in range(p)]                 # now A X^T z = b exactly
        z0 = [Fraction(0)] * k + [sum(Minv[i][j] * bq[j] for j in range(p)) for i in range(p)]
    return z, z0


def _dot(u: list[Fraction], w: list[Fraction] | None = None) -> Fraction:
    """The Euclidean inner product u.w (u.u without w), exactly."""
    return sum((a * b for a, b in zip(u, u if w is None else w, strict=True)), Fraction(0))


def _into_budget(quad: Callable[..., Fraction], z: list[Fraction], z0: list[Fraction], Bq: Fraction
                 ) -> list[Fraction]:
    """A point ``z0 + kappa (z - z0)`` with ``quad(point) <= B^2`` exactly (z itself when it is inside), ``quad(u, w)``
    the inner product of the coordinates (``_dot`` for points of R^d, ``_quad`` with a Gram matrix for coordinates
    in a span): kappa is the largest root of ``|x0 + kappa u|^2 = B^2`` at 50 digits, nudged inward, then verified
    exactly; halving is the fallback.  The equalities hold all along, since z and z0 both meet them."""
    xx = quad(z0)
    if xx > Bq * Bq:
        raise InputError("the equality constraints cannot be met within the budget B "
                         "(the minimum-norm solution is longer than B).")
    u = [zi - z0i for zi, z0i in zip(z, z0, strict=False)]
    uu, xu = quad(u), quad(z0, u)
    if uu == 0 or xx + 2 * xu + uu <= Bq * Bq:
        return z
    with mpmath.workdps(50):
        U, Xm, XX, BB = (mpmath.mpf(v.numerator) / v.denominator for v in (uu, xu, xx, Bq * Bq))
        k_star = (-Xm + mpmath.sqrt(Xm * Xm - U * (XX - BB))) / U * (1 - mpmath.mpf(10) ** -30)
    kappa = Fraction(str(mpmath.nstr(k_star, 40)))
    for _ in range(60):
        point = [a + kappa * c for a, c in zip(z0, u, strict=False)]
        if quad(point) <= Bq * Bq:
            return point
        kappa /= 2
    raise SolverError("could not construct an exactly feasible point from the solver's solution.")


def _dual_bound(G: list[list[Fraction]], mu: list[Fraction], y: list[Fraction], bq: list[Fraction],
                Bq: Fraction) -> mpmath.mpf:
    """Weak duality's bound ``y.b + B ||sum_j mu_j w_j - A^T y||``, its squared norm ``u^T G u`` (u = [mu; -y])
    exact and only the square root enclosed: the upper end of the enclosure (in ``mpmath.iv`` at the
    caller's precision), unrounded."""
    g2 = _quad(G, mu + [-t for t in y])                          # ||sum mu_j w_j - A^T y||^2, exact
    ub = _iv(sum((yi * bi for yi, bi in zip(y, bq, strict=False)), Fraction(0))) + _iv(Bq) * mpmath.iv.sqrt(_iv(g2))
    with mpmath.workdps(_IV_DPS):
        return mpmath.mpf(ub.b)


def certify_in_span(sol: Solution, W: np.ndarray, A: np.ndarray, b: np.ndarray, B: float,
                    gram: list[list[Fraction]] | None = None) -> Enclosure:
    """Certified ``[L, U]`` for one instance (W (k, d), A (p, d), b (p,)), computed in the span of the data.

    The same certificate as ``certify`` (an exactly feasible point for L, weak duality for U), with
    every inner product taken from the exact Gram matrix of ``[W; A]`` (pass ``gram`` to reuse it
    across instances that share the data).  The feasible point is ``X^T z`` with rational ``z``:
    its equalities hold exactly, and it is pulled toward the minimum-norm solution until
    ``z^T G z <= B^2`` holds exactly.
    """
    k, p = W.shape[0], A.shape[0]
    X = np.concatenate([W, A], axis=0).astype(np.float64)
    G = exact_gram(X) if gram is None else gram
    bq, Bq = [_q(v) for v in b], _q(B)
    point = _into_budget(functools.partial(_quad, G), *_span_start(sol, X, G, k, p, bq), Bq)
    lower = min(_mat_vec(G, point, range(k)))
    mu = _gain_weights(sol, k)
    ivmp = mpmath.iv
    saved, ivmp.dps = ivmp.dps, _IV_DPS
    try:
        # Weak duality holds for every y: take the better sign of the solver's multipliers.
        bounds = [_dual_bound(G, mu, [Fraction(sign * float(v)) for v in sol.y], bq, Bq) for sign in (1, -1)]
        with mpmath.workdps(_IV_DPS):
            lo = mpmath.mpf(_iv(lower).a)
    finally:
        ivmp.dps = saved
    return Enclosure(lo, min(bounds), sol.value)


def certify_batch(sols: list[Solution], W: np.ndarray, A: np.ndarray, b: np.ndarray,
                  B: np.ndarray) -> list[Enclosure]:
    """``certify_in_span`` for a batch (W (n, k, d), A (n, p, d), b (n, p), B (n,)); the exact Gram
    matrix is computed once for consecutive instances with the same W and A."""
    out: list[Enclosure] = []
    gram, last = None, None
    for i, sol in enumerate(sols):
        if last is None or not (np.array_equal(W[i], W[last]) and np.array_equal(A[i], A[last])):
            gram, last = exact_gram(np.concatenate([W[i], A[i]], axis=0)), i
        out.append(certify_in_span(sol, W[i], A[i], b[i], float(B[i]), gram))
    return out

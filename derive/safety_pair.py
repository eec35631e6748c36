"""Two safety objectives under capability preservation: Thm 6.1, Rem 6.2, Prop 6.5, Cor 6.3.

Unit ``v1*, v2*, c`` with ``rho = <v1*, v2*>``, ``a = <c, v1*>``, ``b = <c, v2*>``.  Preserving the
capability (``<c, delta> = 0``) leaves the projections ``v~_i = P_{c^perp} v_i*``; the effective
angle ``theta`` is the angle between them, and the frontier of the normalised gains
``s_i = Delta_{S_i} / (B' ||v~_i||)`` is Thm 4.1's with ``alpha -> theta``.
"""
from __future__ import annotations

import functools

import sympy as sp

from derive import frontier
from derive.core import Derivation, Op, Rule, Start, Step

NEW = Start.DEFINITION

__all__ = ["rho", "a", "b", "theta", "s", "cos_theta_printed", "effective_angle", "partial_correlation",
           "multi_capability", "equal_gain"]

rho, a, b = sp.symbols("rho a b", real=True)
theta = sp.Symbol("theta", real=True)
s, s2 = sp.symbols("s s_2", real=True)
B_res = sp.Symbol("B'", positive=True)

#: Eq. (12) as printed.
cos_theta_printed = (rho - a * b) / sp.sqrt((1 - a**2) * (1 - b**2))

_GRAM_DET = 1 + 2 * rho * a * b - rho**2 - a**2 - b**2
_ASSUMPTIONS = ("v1*, v2*, c unit vectors with Gram matrix [[1, rho, a], [rho, 1, b], [a, b, 1]]",
                "|a| < 1, |b| < 1 (else a projected direction vanishes and theta is undefined)",
                "the Gram matrix is positive definite (the three directions are independent)",
                "capability preserved: <c, delta> = 0, budget ||delta|| <= B'")
_DOMAIN = (sp.Lt(a**2, 1), sp.Lt(b**2, 1), sp.Gt(_GRAM_DET, 0))


_U = sp.symbols("u1:4", real=True)
_W = sp.symbols("w1:4", real=True)
_G = sp.Matrix(3, 3, sp.symbols("g1:10", real=True))


def _dot(u: sp.Matrix, w: sp.Matrix) -> sp.Subs:
    """<u, w> as the definition sum_i u_i w_i at the given coordinates, left for the checker to evaluate."""
    return sp.Subs(sum(x * y for x, y in zip(_U, _W)), (*_U, *_W), (*u, *w))


def _bilinear(u: sp.Matrix, M: sp.Matrix, w: sp.Matrix) -> sp.Subs:
    """u^T M w as the definition sum_ij u_i M_ij w_j at the given entries, left for the checker to evaluate."""
    generic = (u.T * _G * w)[0, 0]
    return sp.Subs(generic, tuple(_G), tuple(M))


@functools.lru_cache(maxsize=None)
def effective_angle() -> Derivation:
    """Thm 6.1: eq. (12) from the projections, and eq. (13) as Thm 4.1 in ``c^perp``."""
    # Three vectors span at most three dimensions, and a rotation puts c on e3: these coordinates
    # lose no generality.  rho, a, b are the inner products, so a and b are coordinates.
    p1, p2, q1, q2, d1, d2 = sp.symbols("p1 p2 q1 q2 d1 d2", real=True)
    v1, v2, c = sp.Matrix([p1, p2, a]), sp.Matrix([q1, q2, b]), sp.Matrix([0, 0, 1])
    d = sp.Matrix([d1, d2, 0])                    # <c, delta> = 0
    t1, t2 = v1 - c.dot(v1) * c, v2 - c.dot(v2) * c
    relations = (v1.dot(v1) - 1, v2.dot(v2) - 1, rho - v1.dot(v2))
    thm41 = frontier.frontier_value().subs({frontier.alpha: theta, frontier.Delta_C: B_res * s2,
                                            frontier.B: B_res}) / B_res
    steps = (
        Step("projection-orthogonal", _dot(c, t1), 0, "v~_1 = v1* - <c, v1*> c lies in c^perp (|c| = 1)", start=NEW),
        Step("gain-unchanged", _dot(v1, d), _dot(t1, d),
             "under preservation <c, delta> = 0 the gain <v1*, delta> equals <v~_1, delta>", start=NEW),
        Step("inner-product", t1.dot(t2), rho - a * b, "<v~_1, v~_2> = rho - ab", start=NEW),
        Step("norms", sp.Matrix([t1.dot(t1), t2.dot(t2)]), sp.Matrix([1 - a**2, 1 - b**2]),
             "||v~_i||^2 = 1 - <c, v_i*>^2", start=NEW),
        Step("cauchy-schwarz", (1 - a**2) * (1 - b**2) - (rho - a * b)**2, _GRAM_DET,
             "1 - cos^2 theta is det(Gram)/((1-a^2)(1-b^2)): |cos theta| <= 1 exactly when the Gram"
             " matrix is PSD, so (rho, a, b) must be realisable", start=NEW),
        Step("frontier-13", thm41, s2 * sp.cos(theta) + sp.sin(theta) * sp.sqrt(1 - s2**2),
             "Thm 4.1 with (v*, c, Delta_C, B) -> (v~_1/|v~_1|, v~_2/|v~_2|, B' s_2, B'), divided by B'", start=NEW),
        Step("reduction-to-thm-4.1", B_res * s, B_res * s2 * sp.cos(theta) + sp.sqrt(B_res**2 - B_res**2 * s2**2)
             * sp.sin(theta), "Thm 4.1 (cited, its whole chain) in c^perp with v* -> v~_1/|v~_1|, c -> v~_2/|v~_2|,"
             " alpha -> theta, B -> B', Delta_C -> B' s_2: every preserving delta has B' s_1 <= this",
             Op.LE, by=Rule.CITE, cites=frontier.single_capability, start=Start.LEMMA,
             using={frontier.x: B_res * s, frontier.alpha: theta, frontier.Delta_C: B_res * s2, frontier.B: B_res}),
    )
    result = Step("eq-12", _dot(t1, t2) / sp.sqrt(_dot(t1, t1) * _dot(t2, t2)), cos_theta_printed,
                  "cos theta = <v~_1, v~_2>/(|v~_1||v~_2|) equals eq. (12) as printed", start=NEW)
    return Derivation("thm-6.1", "Theorem 6.1: effective angle and the safety-safety frontier",
                      _ASSUMPTIONS, steps, result, angles=(theta,), relations=relations,
                      domain=(*_DOMAIN, sp.Lt(s2**2, 1)))


@functools.lru_cache(maxsize=None)
def partial_correlation() -> Derivation:
    """Rem 6.2: the partial correlation of X_i = <v_i*, x> given Z = <c, x>, x isotropic, two ways."""
    R = sp.Matrix([[1, rho, a], [rho, 1, b], [a, b, 1]])
    w1, w2, ez = sp.Matrix([1, 0, -a]), sp.Matrix([0, 1, -b]), sp.Matrix([0, 0, 1])

    def cov(u: sp.Matrix, w: sp.Matrix) -> sp.Expr:
        return _bilinear(u, R, w)

    P = R.inv()
    steps = (
        Step("regression-coefficient", cov(sp.Matrix([1, 0, 0]), ez) / cov(ez, ez), a,
             "least squares: X_1 on Z has coefficient Cov(X_1, Z)/Var(Z) = a (Var Z = |c|^2 = 1)", start=NEW),
        Step("residual-uncorrelated", sp.Matrix([cov(w1, ez), cov(w2, ez)]), sp.zeros(2, 1),
             "the residuals e_1 = X_1 - aZ, e_2 = X_2 - bZ are uncorrelated with Z", start=NEW),
        Step("residual-covariance", cov(w1, w2), rho - a * b, "Cov(e_1, e_2) = rho - ab", start=NEW),
        Step("residual-variances", sp.Matrix([cov(w1, w1), cov(w2, w2)]), sp.Matrix([1 - a**2, 1 - b**2]),
             "Var(e_i) = 1 - a_i^2", start=NEW),
        Step("precision-square", P[0, 1]**2 / (P[0, 0] * P[1, 1]),
             (rho - a * b)**2 / ((1 - a**2) * (1 - b**2)),
             "from the precision matrix P = R^{-1}: P_12^2/(P_11 P_22) = (rho - ab)^2/((1-a^2)(1-b^2))", start=NEW),
        Step("precision-sign", -P[0, 1] * R.det(), rho - a * b,
             "-P_12 det R = rho - ab and det R > 0, so -P_12/sqrt(P_11 P_22) has the sign of rho - ab", start=NEW),
    )
    result = Step("eq-12-is-partial-correlation",
                  cov(w1, w2) / sp.sqrt(cov(w1, w1) * cov(w2, w2)), cos_theta_printed,
                  "the residual correlation (the partial correlation) equals eq. (12)", start=NEW)
    return Derivation("rem-6.2", "Remark 6.2: cos theta is the partial correlation", _ASSUMPTIONS,
                      steps, result, domain=_DOMAIN)


@functools.lru_cache(maxsize=None)
def multi_capability() -> Derivation:
    """Prop 6.5: eq. (15)-(16) for ``P_C = C (C^T C)^{-1} C^T``, dimension-free (matrix symbols)."""
    d, m = sp.Symbol("d", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
    C = sp.MatrixSymbol("C", d, m)
    v1, v2 = sp.MatrixSymbol("v_1", d, 1), sp.MatrixSymbol("v_2", d, 1)
    G = C.T * C
    P = C * G.I * C.T
    av, bv = C.T * v1, C.T * v2
    steps = (
        Step("idempotent", sp.MatMul(C, G.I, C.T, C, G.I, C.T), P, "P_C^2 = P_C", start=NEW),
        Step("self-adjoint", sp.Transpose(P), P, "P_C^T = P_C", start=NEW),
        Step("eq-16", (v1 - P * v1).T * (v2 - P * v2), v1.T * v2 - (P * v1).T * (P * v2),
             "<v1 - P v1, v2 - P v2> = rho - <P v1, P v2> by idempotence and self-adjointness", start=NEW),
        Step("norms", (v1 - P * v1).T * (v1 - P * v1), v1.T * v1 - (P * v1).T * (P * v1),
             "||P_{C^perp} v_i||^2 = 1 - tau_i with tau_i = ||P_C v_i||^2", start=NEW),
        Step("frontier-13", B_res * s, B_res * s2 * sp.cos(theta) + sp.sqrt(B_res**2 - B_res**2 * s2**2)
             * sp.sin(theta), "the frontier clause: Thm 4.1 (cited) in C^perp with v* -> v~_1/|v~_1|, c -> v~_2/|v~_2|,"
             " alpha -> theta of eq. (15), B -> B', Delta_C -> B' s_2: the same form as eq. (13)",
             Op.LE, by=Rule.CITE, cites=frontier.single_capability, start=Start.LEMMA,
             using={frontier.x: B_res * s, frontier.alpha: theta, frontier.Delta_C: B_res * s2, frontier.B: B_res}),
    )
    result = Step("gram-form", sp.MatMul(sp.Transpose(sp.MatMul(P, v1, evaluate=False)), sp.MatMul(P, v2, evaluate=False),
                                         evaluate=False), av.T * G.I * bv,
                  "<P_C v1, P_C v2> = a^T (C^T C)^{-1} b with a = C^T v1, b = C^T v2", start=NEW)
    return Derivation("prop-6.5", "Proposition 6.5: multi-capability partial correlation",
                      ("C has full column rank m (C^T C invertible)", "v1*, v2* unit vectors",
                       "theta in (0, pi) the angle of eq. (15); |s_2| < 1"), steps, result, invertible=(G,),
                      angles=(theta,), domain=(sp.Lt(s2**2, 1),))


@functools.lru_cache(maxsize=None)
def equal_gain_maximal() -> Derivation:
    """Cor 6.3's maximality: an attainable equal-gain point (s, s), i.e. s <= s cos theta + sin theta
    sqrt(1 - s^2) (on or under the frontier (13)), has s <= cos(theta/2)."""
    attainable = s * sp.cos(theta) + sp.sin(theta) * sp.sqrt(1 - s**2) - s
    result = Step("maximal", s, sp.cos(theta / 2),
                  "on or under the frontier, s (1 - cos theta) <= sin theta sqrt(1 - s^2): with half angles"
                  " sin(theta/2) (cos(theta/2) sqrt(1 - s^2) - s sin(theta/2)) >= 0, which forces s <= cos(theta/2)",
                  Op.LE, start=Start.HYPOTHESIS)
    return Derivation("cor-6.3.maximal", "Corollary 6.3: no attainable equal gain exceeds cos(theta/2)", (
        "theta in (0, pi)", "s in [-1, 1]", "(s, s) attainable: s <= s cos theta + sin theta sqrt(1 - s^2)"),
        (), result, angles=(theta,), domain=(sp.Le(s**2, 1), sp.Ge(attainable, 0)),
        example=((theta, sp.pi / 2), (s, sp.Integer(0))), bound=(s,))


@functools.lru_cache(maxsize=None)
def equal_gain() -> Derivation:
    """Cor 6.3: the equal-gain point of (13) is s = cos(theta/2); SymPy's negative root is spurious."""
    frontier13 = s * sp.cos(theta) + sp.sin(theta) * sp.sqrt(1 - s**2)
    unsquared = s * (1 - sp.cos(theta)) - sp.sin(theta) * sp.sqrt(1 - s**2)
    squared = sp.expand(s**2 * (1 - sp.cos(theta))**2 - sp.sin(theta)**2 * (1 - s**2))
    # Solve the squared equation as a polynomial in s (sin^2 = 1 - cos^2 to keep it polynomial).
    roots = sp.solve(squared.subs(sp.sin(theta)**2, 1 - sp.cos(theta)**2), s)
    plus = [r for r in roots if sp.N(r.subs(theta, 1)) > 0]
    minus = [r for r in roots if sp.N(r.subs(theta, 1)) < 0]
    if len(plus) != 1 or len(minus) != 1:
        raise RuntimeError(f"expected one root of each sign, SymPy gave {roots}")
    steps = (
        Step("set-equal", s - frontier13, unsquared, "set s_1 = s_2 = s in (13) and rearrange", start=NEW),
        Step("square", (s * (1 - sp.cos(theta)))**2 - (sp.sin(theta) * sp.sqrt(1 - s**2))**2, squared,
             "square both sides (may add roots)", start=NEW),
        Step("root-plus-solves", unsquared.subs(s, plus[0]), 0,
             "SymPy's positive root satisfies the unsquared equation", start=NEW),
        Step("root-minus-spurious", unsquared.subs(s, minus[0]), 0,
             "SymPy's negative root does not: the left side is s(1 - cos theta) < 0 <= sin theta sqrt(1-s^2)",
             Op.LT, witness=-unsquared.subs(s, minus[0]), start=NEW),
        Step("decreasing", sp.Derivative(sp.cos(theta / 2), theta), -sp.sin(theta / 2) / 2,
             "d/dtheta cos(theta/2) = -sin(theta/2)/2 < 0: joint improvement degrades as theta grows", start=NEW),
        Step("maximal", s, sp.cos(theta / 2), "no attainable equal gain exceeds cos(theta/2) (cited lemma): the"
             " admissible root below is the maximum equal improvement", Op.LE, by=Rule.CITE, cites=equal_gain_maximal,
             start=Start.LEMMA),
    )
    # result.lhs is the admissible root (paper_checks' MaxEqualGain reads it).
    result = Step("eq-14", plus[0], sp.cos(theta / 2), "the admissible root is cos(theta/2), eq. (14)", start=NEW)
    return Derivation("cor-6.3", "Corollary 6.3: maximum equal improvement", (
        "theta in (0, pi); theta = 0 and pi are limits", "s in [-1, 1]"), steps, result,
        angles=(theta,), domain=(sp.Lt(s**2, 1),))


n1, n2 = sp.symbols("n_1 n_2", positive=True)     # ||P_{C^perp} v_i*|| = sqrt(1 - tau_i)
lam = sp.Symbol("lambda", real=True)
_gap = sp.Symbol("g", nonnegative=True)           # n1 - n2 >= 0 (label the longer projection 1)
_foot = sp.Symbol("f", nonnegative=True)          # n2 - n1 cos(theta) >= 0 (foot inside the segment)
_dist2 = sp.Symbol("L", positive=True)            # |v~_1 - v~_2|^2 > 0 for theta in (0, pi)


def max_min_value() -> sp.Expr:
    """max over ||delta|| <= 1 in C^perp of min(<v~_1, delta>, <v~_2, delta>), interior case:
    the distance from 0 to the segment [v~_1, v~_2]."""
    return n1 * n2 * sp.sin(theta) / sp.sqrt(n1**2 + n2**2 - 2 * n1 * n2 * sp.cos(theta))


@functools.lru_cache(maxsize=None)
def max_min_absolute() -> Derivation:
    """Cor 6.6 corrected: max min(Delta_S1, Delta_S2) = B' dist(0, [v~_1, v~_2]) >= eq. (17)'s right side."""
    sq = lam**2 * n1**2 + 2 * lam * (1 - lam) * n1 * n2 * sp.cos(theta) + (1 - lam)**2 * n2**2
    den = n1**2 + n2**2 - 2 * n1 * n2 * sp.cos(theta)
    lam_star = (n2**2 - n1 * n2 * sp.cos(theta)) / den
    paper = n2 * sp.cos(theta / 2)                       # eq. (17) right side / B' with n2 = min
    diff = max_min_value()**2 - paper**2
    steps = (
        Step("minimax", sq, (lam * n1 * sp.cos(theta) + (1 - lam) * n2)**2 + (lam * n1 * sp.sin(theta))**2,
             "max_{|delta|<=1} min_i <v~_i, delta> = min_{lambda in [0,1]} |lambda v~_1 + (1-lambda) v~_2|"
             " (minimax for a bilinear function on convex compact sets); its square in coordinates", start=NEW),
        Step("stationary", sp.Subs(sp.Derivative(sq, lam), lam, lam_star), 0,
             "the minimising lambda* = (n2^2 - n1 n2 cos theta)/|v~_1 - v~_2|^2, in [0, 1] when the foot"
             " of the perpendicular lies on the segment", start=NEW),
        Step("value", sq.subs(lam, lam_star), max_min_value()**2,
             "distance^2 = n1^2 n2^2 sin^2 theta / (n1^2 + n2^2 - 2 n1 n2 cos theta)", start=NEW),
        Step("equal-norms", max_min_value().subs(n2, n1), n1 * sp.cos(theta / 2),
             "with n1 = n2 it is n cos(theta/2): eq. (17) holds with equality for equal norms", start=NEW),
        Step("gap", diff, n2**2 * (1 + sp.cos(theta)) * _gap * (_foot + n1 * (1 - sp.cos(theta))) / (2 * den),
             "value^2 - (n2 cos(theta/2))^2 = n2^2 (1 + cos theta)(n1 - n2)(n1 + n2 - 2 n1 cos theta) / (2|v~_1 - v~_2|^2)", start=NEW),
    )
    result = Step("exceeds-17", paper**2, max_min_value()**2,
                  "for n1 > n2 (unequal tax rates) and theta in (0, pi) the true max-min exceeds eq. (17)'s bound",
                  Op.LE, witness=n2**2 * 2 * sp.cos(theta / 2)**2 * _gap
                  * (_foot + 2 * n1 * sp.sin(theta / 2)**2) / (2 * _dist2), start=NEW)
    return Derivation("cor-6.6", "Corollary 6.6 corrected: the max-min of two absolute safety gains", (
        "capability preserved, budget 1 (scale by B')", "n_i = ||P_{C^perp} v_i*||, n1 >= n2",
        "theta in (0, pi); the foot of the perpendicular from 0 lies on [v~_1, v~_2]"), steps, result,
        angles=(theta,), relations=(_gap - (n1 - n2), _foot - (n2 - n1 * sp.cos(theta)), _dist2 - den),
        domain=(sp.Ge(n1, n2), sp.Ge(n2 - n1 * sp.cos(theta), 0)))


# ---------------------------------------------------------------------------------------------
# Closed forms for the formal statements (paper_checks/statements/safety_pair.py, conflict.py), derived from
# the definitions: least-squares residuals from their normal equations, and the max-min of two gains from
# the minimax identity.  Appended for issue 8; nothing above is changed.


def residual_gram(gram: sp.Matrix, m: int) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """``(<r1, r2>, ||r1||^2, ||r2||^2)`` for ``r_i = v_i - P_C v_i``, from the Gram matrix of ``(v1, v2, c_1..c_m)``.

    ``P_C v_i = sum_k lambda_ik c_k`` with the normal equations ``<v_i - sum_k lambda_ik c_k, c_l> = 0``
    (solved by SymPy); the inner products of the residuals are then expanded bilinearly in the Gram
    entries.  Nothing of eq. (12), (15) or (16) is used: only the definition of the projection.
    """
    if gram.shape != (m + 2, m + 2):
        raise ValueError(f"gram of shape {gram.shape} must be (m + 2) x (m + 2) = {(m + 2, m + 2)}")
    lam_ = [[sp.Symbol(f"lambda_{i}{k}") for k in range(m)] for i in range(2)]
    coef = []
    for i in range(2):
        eqs = [gram[i, 2 + l_] - sum(lam_[i][k] * gram[2 + k, 2 + l_] for k in range(m)) for l_ in range(m)]
        sol = sp.solve(eqs, lam_[i], dict=True)
        if len(sol) != 1:
            raise RuntimeError(f"the normal equations of v{i + 1} have {len(sol)} solutions, expected one")
        coef.append([sp.cancel(sol[0][x]) for x in lam_[i]])

    def inner(i: int, j: int) -> sp.Expr:
        # <v_i - sum_k l_ik c_k, v_j - sum_l l_jl c_l>, expanded with the Gram entries
        out = gram[i, j]
        out -= sum(coef[j][l_] * gram[i, 2 + l_] for l_ in range(m))
        out -= sum(coef[i][k] * gram[2 + k, j] for k in range(m))
        out += sum(coef[i][k] * coef[j][l_] * gram[2 + k, 2 + l_] for k in range(m) for l_ in range(m))
        return sp.cancel(out)

    return inner(0, 1), inner(0, 0), inner(1, 1)


def segment_distance(n1_sq: sp.Expr, n2_sq: sp.Expr, ip: sp.Expr) -> sp.Expr:
    """``max_{||delta|| <= 1} min(<w1, delta>, <w2, delta>) = dist(0, [w1, w2])`` for ``||w_i||^2 = n_i^2`` and
    ``<w1, w2> = ip``.

    By the minimax theorem (bilinear function, convex compact sets) the max-min equals
    ``min_{lambda in [0, 1]} ||lambda w1 + (1 - lambda) w2||``; the squared norm is a convex quadratic
    in ``lambda`` whose stationary point SymPy solves for, clipped to [0, 1] (undefined when w1 = w2).
    """
    q = lam**2 * n1_sq + 2 * lam * (1 - lam) * ip + (1 - lam)**2 * n2_sq
    (stationary,) = sp.solve(sp.diff(q, lam), lam)
    clipped = sp.Min(1, sp.Max(0, stationary))
    return sp.sqrt(q.subs(lam, clipped))


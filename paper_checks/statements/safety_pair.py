"""Formal statements of the safety-pair results: Thm 6.1, Rem 6.2, Cor 6.3, Prop 6.5, Cor 6.6.

Parametrisation (no generality lost).  Two safety directions ``v1*, v2*`` and one capability ``c``, all unit
vectors of R^d, enter every quantity of Section 6.1 only through their Gram matrix
``[[1, rho, a], [rho, 1, b], [a, b, 1]]`` (``rho = <v1*, v2*>``, ``a = <c, v1*>``, ``b = <c, v2*>``): the
problems are invariant under rotations, and three vectors span at most three dimensions.  So the
statements range over the realisable triples: ``|a|, |b| < 1`` (else a projection ``P_{c^perp} v_i*``
vanishes and theta is undefined, as eq. (12) divides by it) and the Gram determinant
``(1 - a^2)(1 - b^2) - (rho - ab)^2 >= 0``.  Prop 6.5's several capabilities are parametrised with
``m = 2`` unit, non-orthonormal columns ``c1, c2`` (``g = <c1, c2>``, ``|g| < 1``: full column rank), the
smallest case in which ``(C^T C)^{-1}`` is not the identity; the Gram matrix of ``(v1*, v2*, c1, c2)``
is positive semidefinite (all principal minors >= 0) with ``tau_i < 1``.  Rescaling a column of ``C``
changes neither ``P_C`` nor ``a^T (C^T C)^{-1} b``, so unit columns lose nothing.  Budgets: the
normalised frontier is budget-free; Cor 6.6 keeps ``B'`` as a variable.

Each optimisation value is an unevaluated function whose closed form comes from derive/ (the normal
equations of the projection, the bound in the plane of the projections (Thm 4.1's problem in ``c^perp``, for
every angle), the admissible root of the equal-gain equation, the minimax identity for a
max-min), never from the printed formula.
"""
from __future__ import annotations

import itertools
from typing import Any

import sympy as sp

from paper_checks.definitions import Equations, Problem, define, on_the_lifted_line
from paper_checks.statement import Statement, Variable

__all__ = ["rho", "a", "b", "s2", "theta", "B_res", "a1", "a2", "b1", "b2", "g", "REALISABLE", "PAIR_VARIABLES",
           "residual_cos_equations", "ProjectedCos", "PartialCorrelation", "MaxNormalisedPairGain", "MaxEqualGain",
           "TauOne", "TauTwo", "ProjectedCosTwo", "MaxNormalisedPairGainTwo", "MaxMinPairGain", "STATEMENTS",
           "CORRECTIONS"]

rho = sp.Symbol("rho", real=True)
a = sp.Symbol("a", real=True)
b = sp.Symbol("b", real=True)
s2 = sp.Symbol("s_2", real=True)
theta = sp.Symbol("theta", real=True)
theta_1, theta_2 = sp.symbols("theta_1 theta_2", real=True)
B_res = sp.Symbol("B'", positive=True)
a1, a2, b1, b2, g = sp.symbols("a_1 a_2 b_1 b_2 g", real=True)

RHO = Variable(rho, sp.Interval(-1, 1), note="rho = <v1*, v2*>")
A = Variable(a, sp.Interval.open(-1, 1), note="a = <c, v1*>; |a| = 1 would leave no projection of v1* in c^perp")
B_ = Variable(b, sp.Interval.open(-1, 1), note="b = <c, v2*>; |b| < 1 likewise")
S2 = Variable(s2, sp.Interval(-1, 1), note="normalised gain s_2 = Delta_S2 / (B' ||v~_2||)")
THETA = Variable(theta, sp.Interval(0, sp.pi), note="effective angle between the projections v~_1, v~_2")
BUDGET = Variable(B_res, sp.Interval.open(0, sp.oo), note="residual budget B' = sqrt(B^2 - ||delta_C*||^2)")

#: (rho, a, b) is the Gram matrix of three unit vectors: its determinant is >= 0 (its 2x2 minors are, by the domains).
REALISABLE = (sp.Ge((1 - a**2) * (1 - b**2) - (rho - a * b)**2, 0),)
PAIR_VARIABLES = (RHO, A, B_)


def _gram_one(r: sp.Expr, x: sp.Expr, y: sp.Expr) -> sp.Matrix:
    from derive import safety_pair as S
    return S.gram_one(r, x, y)


def _gram_two(r, x1, x2, y1, y2, gg) -> sp.Matrix:
    from derive import safety_pair as S
    return S.gram_two(r, x1, x2, y1, y2, gg)


# ---------------------------------------------------------------------------------------------
# Defined quantities (closed forms from derive.safety_pair).  A closed form that needs
# another defined quantity calls the plain helper, not the registered function: ``definitions.expand``
# substitutes each function once.


def _cos_one(r: sp.Expr, x: sp.Expr, y: sp.Expr) -> sp.Expr:
    """<v~_1, v~_2> / (||v~_1|| ||v~_2||) from the normal equations of the projection onto c (m = 1)."""
    from derive import safety_pair as S
    return S.projected_cos(r, x, y)


def _cos_two(r, x1, x2, y1, y2, gg) -> sp.Expr:
    """The same for C = [c1 | c2] (m = 2)."""
    from derive import safety_pair as S
    return S.projected_cos_two(r, x1, x2, y1, y2, gg)


#: lambda_ik: the coefficient of c_k in P_C v_i*.
_LAMBDA = tuple(tuple(sp.Symbol(f"lambda_{i}{k}", real=True) for k in (1, 2)) for i in (1, 2))


def residual_cos_equations(gram: sp.Matrix) -> Equations:
    """The cosine of the angle between P_{C^perp} v1* and P_{C^perp} v2* as its definition states it in the Gram
    matrix ``gram`` of ``(v1*, v2*, c_1, ..., c_m)``: P_C v_i* = sum_k lambda_ik c_k with the residual r_i = v_i* -
    P_C v_i* orthogonal to each c_l (the normal equations <v_i*, c_l> - sum_k lambda_ik <c_k, c_l> = 0), and the
    value <r1, r2> / sqrt(||r1||^2 ||r2||^2), each <r_i, r_j> = <v_i*, v_j*> - sum_k lambda_jk <v_i*, c_k> -
    sum_k lambda_ik <v_j*, c_k> + sum_kl lambda_ik lambda_jl <c_k, c_l>."""
    m = gram.shape[0] - 2
    ks = range(m)

    def inner(i: int, j: int) -> sp.Expr:
        lam_i, lam_j = _LAMBDA[i], _LAMBDA[j]
        return sp.expand(gram[i, j] - sum(lam_j[k] * gram[i, 2 + k] for k in ks)
                         - sum(lam_i[k] * gram[j, 2 + k] for k in ks)
                         + sum(lam_i[k] * lam_j[l_] * gram[2 + k, 2 + l_] for k in ks for l_ in ks))

    return Equations(tuple(_LAMBDA[i][k] for i in range(2) for k in ks),
                     tuple(gram[i, 2 + l_] - sum(_LAMBDA[i][k] * gram[2 + k, 2 + l_] for k in ks)
                           for i in range(2) for l_ in ks),
                     inner(0, 1) / sp.sqrt(inner(0, 0) * inner(1, 1)))


def _residual_cos_one_equations(r: sp.Expr, x: sp.Expr, y: sp.Expr) -> Equations:
    return residual_cos_equations(_gram_one(r, x, y))


def _projected_cos_proof(quantity: sp.FunctionClass) -> Any:
    from derive import safety_pair as S
    return S.projected_cos_from_definition(quantity)


@define("ProjectedCos", "cos of the angle between P_{c^perp} v1* and P_{c^perp} v2*, for unit v1*, v2*, c with "
        "<v1*, v2*> = rho, <c, v1*> = a, <c, v2*> = b (the effective angle theta of Thm 6.1)",
        "derive.safety_pair.residual_gram", 3, equations=_residual_cos_one_equations, proof=_projected_cos_proof)
def _projected_cos(r: sp.Expr, x: sp.Expr, y: sp.Expr) -> sp.Expr:
    return _cos_one(r, x, y)


ProjectedCos = _projected_cos


def _partial_correlation_proof(quantity: sp.FunctionClass) -> Any:
    from derive import safety_pair as S
    return S.partial_correlation_from_definition(quantity)


# The covariance matrix of (X1, X2, Z) in the place of the Gram matrix: least squares solves the same normal
# equations Cov(X_i - lambda_i Z, Z) = 0, and the residuals' correlation is their cosine in the covariance.
@define("PartialCorrelation", "correlation of the residuals of X1, X2 after least-squares regression on Z, for "
        "(X1, X2, Z) with correlation matrix [[1, rho, a], [rho, 1, b], [a, b, 1]]",
        "derive.safety_pair.partial_correlation_value", 3, equations=_residual_cos_one_equations,
        proof=_partial_correlation_proof)
def _partial_correlation(r: sp.Expr, x: sp.Expr, y: sp.Expr) -> sp.Expr:
    from derive import safety_pair as S
    return S.partial_correlation_value(r, x, y)


PartialCorrelation = _partial_correlation


_Q, _Z = sp.symbols("q z", real=True)


def _pair_gain_problem(r: sp.Expr, x: sp.Expr, y: sp.Expr, t: sp.Expr) -> Problem:
    """Thm 6.1's problem in coordinates (budget B' = 1, which scales out of normalised gains): in c^perp, u2 is the
    unit projection of v2*, w the unit vector orthogonal to u2 in the plane of the projections on the side of v~_1
    (any unit vector of c^perp orthogonal to u2 when the projections are parallel) and e a unit vector orthogonal to
    both; a delta preserving c with normalised gain s_2 on v2* is s_2 u2 + q w + z e, its normalised gain on v1* is
    s_2 cos(theta) + q sin(theta) and its squared norm s_2^2 + q^2 + z^2, theta in [0, pi] the angle between the
    projections, whose cosine is ProjectedCos: Thm 4.1's problem with alpha replaced by theta."""
    cos_ = ProjectedCos(r, x, y)
    return Problem((_Q, _Z), t * cos_ + _Q * sp.sqrt(1 - cos_**2), (sp.Le(t**2 + _Q**2 + _Z**2, 1),))


def _pair_gain_reduction() -> Any:
    """The derivation that ``_pair_gain_problem`` (its ProjectedCos unfolded) has the value of the problem in R^d,
    d >= 3: every feasible delta maps to the feasible (q, z) = (||w||, 0) with no smaller objective, and (q, 0) lifts
    to s_2 u2 + q w, which preserves c, with the same objective (derive/pair_reduction.py, ``reduction``: the single
    capability's reduction in c^perp)."""
    from derive import pair_reduction as PR
    from paper_checks.definitions import expand
    problem = _pair_gain_problem(rho, a, b, s2)
    (constraint,) = problem.constraints
    return PR.reduction(problem.variables, expand(problem.objective), constraint)


@define("MaxNormalisedPairGain", "max s_1 = <v1*, delta> / (B' ||P_{c^perp} v1*||) subject to <c, delta> = 0, "
        "||delta|| <= B' and <v2*, delta> / (B' ||P_{c^perp} v2*||) = s_2, for unit v1*, v2*, c with Gram entries "
        "(rho, a, b), |a|, |b| < 1, in any dimension d >= 3", "derive.safety_pair.pair_frontier_value (the bound in "
        "the plane of the projections, attained; derive.safety_pair.effective_angle)", 4, problem=_pair_gain_problem,
        reduction=_pair_gain_reduction, lifts=on_the_lifted_line)
def _max_normalised_pair_gain(r: sp.Expr, x: sp.Expr, y: sp.Expr, t: sp.Expr) -> sp.Expr:
    from derive import safety_pair as S
    return S.pair_frontier_value(S.projected_cos(r, x, y), t)


MaxNormalisedPairGain = _max_normalised_pair_gain


_X, _Y = sp.symbols("x y", real=True)


def _max_equal_gain_problem(t: sp.Expr) -> Problem:
    """Cor 6.3's problem in coordinates (budget 1): the unit projections are u1 = e1 and u2 = cos(t) e1 + sin(t) e2
    (t in [0, pi] the angle between them), and delta = x e1 + y e2 + z e3 (z for the rest of c^perp, which only
    spends budget) has normalised gains s_1 = x and s_2 = x cos(t) + y sin(t): maximise s_1 over the deltas within
    the budget whose two gains are equal."""
    return Problem((_X, _Y, _Z), _X, (sp.Eq(_X * sp.cos(t) + _Y * sp.sin(t), _X), sp.Le(_X**2 + _Y**2 + _Z**2, 1)))


def _equal_gain_reduction() -> Any:
    """The derivation that ``_max_equal_gain_problem`` has the value of the problem in R^d, d >= 2: a delta with equal
    gains within the budget maps to (<u1, delta>, <e2, delta>, ||w||), feasible with the same objective, and (p, q, 0)
    lifts to p u1 + q e2 (derive/pair_reduction.py, ``equal_gain_reduction``)."""
    from derive import pair_reduction as PR
    from derive.safety_pair import theta
    problem = _max_equal_gain_problem(theta)
    return PR.equal_gain_reduction(theta, problem.variables, problem.objective, tuple(problem.constraints))


def _in_the_plane(x: sp.Expr, y: sp.Expr, z: sp.Expr) -> bool:
    """The ``lifts`` of the equal-gain reduction: the points (p, q, 0), lifted to p u1 + q e2 (a point with z != 0
    would need a third direction)."""
    return sp.sympify(z) == 0


@define("MaxEqualGain", "max s such that (s_1, s_2) = (s, s) is an attainable pair of normalised gains, for "
        "projected directions at angle theta in [0, pi], in any dimension d >= 2", "derive.safety_pair.equal_gain", 1,
        problem=_max_equal_gain_problem, reduction=_equal_gain_reduction, lifts=_in_the_plane)
def _max_equal_gain(t: sp.Expr) -> sp.Expr:
    # The derivation's admissible root of the equal-gain equation (its spurious root is discarded there).
    from derive import safety_pair as S
    return S.equal_gain_value(t)


MaxEqualGain = _max_equal_gain


def _tau_one_equations(x: sp.Expr) -> Equations:
    from paper_checks.statements import tax_rate as T    # the tax rate's definition, written once there
    return T.projection_equations((x,), ((1,),))


def _tau_one_proof(quantity: sp.FunctionClass) -> Any:
    # TaxRate1's quantity in other symbols: its one proof, for this function.
    from derive import tax_rate as DT
    return DT.tax_rate_one_from_definition(quantity)


@define("TauOne", "tau = ||P_c v*||^2 for unit c, v* with <c, v*> = x (one capability)",
        "derive.safety_pair.residual_gram (tau = 1 - ||P_{c^perp} v*||^2)", 1, equations=_tau_one_equations,
        proof=_tau_one_proof)
def _tau_one(x: sp.Expr) -> sp.Expr:
    from derive import safety_pair as S
    return 1 - S.residual_gram(_gram_one(0, x, 0), 1)[1]


TauOne = _tau_one


def _tau_two_equations(x1: sp.Expr, x2: sp.Expr, gg: sp.Expr) -> Equations:
    from paper_checks.statements import tax_rate as T
    return T.projection_equations((x1, x2), ((1, gg), (gg, 1)))


def _tau_two_proof(quantity: sp.FunctionClass) -> Any:
    # TaxRate2's quantity in other symbols: its one proof, for this function.
    from derive import tax_rate as DT
    return DT.tax_rate_two_from_definition(quantity)


@define("TauTwo", "tau = ||P_C v*||^2 for unit v* and C = [c1 | c2] with unit columns, <c1, v*> = x1, "
        "<c2, v*> = x2, <c1, c2> = g", "derive.safety_pair.residual_gram (tau = 1 - ||P_{C^perp} v*||^2)", 3,
        equations=_tau_two_equations, proof=_tau_two_proof)
def _tau_two(x1: sp.Expr, x2: sp.Expr, gg: sp.Expr) -> sp.Expr:
    from derive import safety_pair as S
    return sp.cancel(1 - S.residual_gram(_gram_two(0, x1, x2, 0, 0, gg), 2)[1])


TauTwo = _tau_two


def _residual_cos_two_equations(r, x1, x2, y1, y2, gg) -> Equations:
    return residual_cos_equations(_gram_two(r, x1, x2, y1, y2, gg))


def _projected_cos_two_proof(quantity: sp.FunctionClass) -> Any:
    from derive import safety_pair as S
    return S.projected_cos_two_from_definition(quantity)


@define("ProjectedCosTwo", "cos of the angle between P_{C^perp} v1* and P_{C^perp} v2*, C = [c1 | c2] with unit "
        "columns, <v1*, v2*> = rho, C^T v1* = (a1, a2), C^T v2* = (b1, b2), <c1, c2> = g",
        "derive.safety_pair.residual_gram", 6, equations=_residual_cos_two_equations, proof=_projected_cos_two_proof)
def _projected_cos_two(r, x1, x2, y1, y2, gg) -> sp.Expr:
    return _cos_two(r, x1, x2, y1, y2, gg)


ProjectedCosTwo = _projected_cos_two


def _pair_gain_two_problem(r, x1, x2, y1, y2, gg, t) -> Problem:
    """Prop 6.5's problem in coordinates, as Thm 6.1's (``_pair_gain_problem``) in C^perp: u2 the unit projection of
    v2*, w the unit vector orthogonal to u2 in the plane of the projections on the side of v~_1 and e a unit vector
    of C^perp orthogonal to both; a delta preserving c1 and c2 with normalised gain s_2 on v2* is s_2 u2 + q w + z e,
    its normalised gain on v1* s_2 cos(theta) + q sin(theta) and its squared norm s_2^2 + q^2 + z^2, with cos(theta)
    = ProjectedCosTwo."""
    cos_ = ProjectedCosTwo(r, x1, x2, y1, y2, gg)
    return Problem((_Q, _Z), t * cos_ + _Q * sp.sqrt(1 - cos_**2), (sp.Le(t**2 + _Q**2 + _Z**2, 1),))


@define("MaxNormalisedPairGainTwo", "max s_1 = <v1*, delta> / (B' ||P_{C^perp} v1*||) subject to C^T delta = 0, "
        "||delta|| <= B' and <v2*, delta> / (B' ||P_{C^perp} v2*||) = s_2, C = [c1 | c2] as in ProjectedCosTwo",
        "derive.safety_pair.pair_frontier_value (the bound in the plane of the projections, attained: "
        "derive.safety_pair.multi_capability)", 7, problem=_pair_gain_two_problem)
def _max_normalised_pair_gain_two(r, x1, x2, y1, y2, gg, t) -> sp.Expr:
    from derive import safety_pair as S
    return S.pair_frontier_value(S.projected_cos_two(r, x1, x2, y1, y2, gg), t)


MaxNormalisedPairGainTwo = _max_normalised_pair_gain_two


@define("MaxMinPairGain", "max over <c, delta> = 0, ||delta|| <= B' of min(<v1*, delta>, <v2*, delta>), for unit "
        "v1*, v2*, c with Gram entries (rho, a, b)", "derive.safety_pair.segment_distance (minimax)", 4)
def _max_min_pair_gain(r: sp.Expr, x: sp.Expr, y: sp.Expr, budget: sp.Expr) -> sp.Expr:
    from derive import safety_pair as S
    ip, n1, n2 = S.residual_gram(_gram_one(r, x, y), 1)
    return budget * S.segment_distance(n1, n2, ip)


MaxMinPairGain = _max_min_pair_gain


# ---------------------------------------------------------------------------------------------
# The statements


def _eq12(r: sp.Expr, x: sp.Expr, y: sp.Expr) -> sp.Expr:
    """Eq. (12) as printed: cos(theta) = (rho - ab) / sqrt((1 - a^2)(1 - b^2))."""
    return (r - x * y) / sp.sqrt((1 - x**2) * (1 - y**2))


def _eq13(th: sp.Expr, t: sp.Expr) -> sp.Expr:
    """Eq. (13) as printed: s_1 = s_2 cos(theta) + sin(theta) sqrt(1 - s_2^2)."""
    return t * sp.cos(th) + sp.sin(th) * sp.sqrt(1 - t**2)


def _eq15() -> sp.Expr:
    """Eq. (15) as printed, m = 2: (rho - a^T (C^T C)^{-1} b) / sqrt((1 - tau_1)(1 - tau_2))."""
    av, bv, G = sp.Matrix([a1, a2]), sp.Matrix([b1, b2]), sp.Matrix([[1, g], [g, 1]])
    return (rho - (av.T * G.inv() * bv)[0, 0]) / sp.sqrt((1 - TauTwo(a1, a2, g)) * (1 - TauTwo(b1, b2, g)))


def _principal_minors_nonnegative(G: sp.Matrix) -> tuple[sp.Basic, ...]:
    """PSD as all principal minors >= 0 (Sylvester's criterion for semidefinite matrices); the 1x1 minors are 1
    and the 2x2 ones are 1 - x^2 >= 0, which the variables' domains [-1, 1] already state."""
    n = G.shape[0]
    out = []
    for k in range(3, n + 1):
        for idx in itertools.combinations(range(n), k):
            out.append(sp.Ge(G.extract(list(idx), list(idx)).det(), 0))
    return tuple(out)


_G2 = _gram_two(rho, a1, a2, b1, b2, g)
#: tau_i < 1: v_i* is not in span(c1, c2), i.e. the Gram determinant of (v_i*, c1, c2) is positive.
_OUTSIDE_C = (sp.Gt(_G2.extract([0, 2, 3], [0, 2, 3]).det(), 0), sp.Gt(_G2.extract([1, 2, 3], [1, 2, 3]).det(), 0))
_TWO_CAPS = (RHO, Variable(a1, sp.Interval(-1, 1), note="a_1 = <c1, v1*>"),
             Variable(a2, sp.Interval(-1, 1), note="a_2 = <c2, v1*>"),
             Variable(b1, sp.Interval(-1, 1), note="b_1 = <c1, v2*>"),
             Variable(b2, sp.Interval(-1, 1), note="b_2 = <c2, v2*>"),
             Variable(g, sp.Interval.open(-1, 1), note="g = <c1, c2>; |g| < 1: C has full column rank"))

STATEMENTS = {
    # Eq. (12) and (13) in one relation: the frontier of the normalised gains is (13) with theta from (12).
    "thm-6.1": Statement(
        (*PAIR_VARIABLES, S2), REALISABLE,
        sp.Eq(MaxNormalisedPairGain(rho, a, b, s2), _eq13(sp.acos(_eq12(rho, a, b)), s2)),
        words="the largest s_1 attainable with s_2 given is eq. (13) with cos(theta) from eq. (12)"),
    "rem-6.2": Statement(PAIR_VARIABLES, REALISABLE, sp.Eq(PartialCorrelation(rho, a, b), _eq12(rho, a, b))),
    "cor-6.3": Statement((THETA,), (), sp.Eq(MaxEqualGain(theta), sp.cos(theta / 2))),
    # Cor 6.3's sentence "Joint improvement degrades continuously as theta increases from 0 to pi", read on the
    # defined quantity: strictly decreasing on [0, pi] (continuity is the closed form's).  A sub-claim; its
    # registry row is proposed to the lead (kind gloss).
    "cor-6.3.decreasing": Statement(
        (Variable(theta_1, sp.Interval(0, sp.pi), note="a smaller effective angle"),
         Variable(theta_2, sp.Interval(0, sp.pi), note="a larger effective angle")), (),
        sp.Implies(sp.Lt(theta_1, theta_2), sp.Lt(MaxEqualGain(theta_2), MaxEqualGain(theta_1))),
        words="the maximum equal normalised gain is strictly smaller at a larger effective angle"),
    # Eq. (15) and the frontier clause in one relation, as for Thm 6.1.
    "prop-6.5": Statement(
        (*_TWO_CAPS, S2), (*_principal_minors_nonnegative(_G2), *_OUTSIDE_C),
        sp.Eq(MaxNormalisedPairGainTwo(rho, a1, a2, b1, b2, g, s2), _eq13(sp.acos(_eq15()), s2)),
        words="with two non-orthonormal capabilities, the largest s_1 attainable with s_2 given is eq. (13) with "
              "cos(theta) from eq. (15)"),
    # Eq. (17) read literally: every feasible delta (so the best one) has min(Delta_S1, Delta_S2) below the bound;
    # theta is the capability-mediated angle (its definition), tau_i the individual tax rates.
    "cor-6.6": Statement(
        (*PAIR_VARIABLES, BUDGET), REALISABLE,
        sp.Le(MaxMinPairGain(rho, a, b, B_res),
              B_res * sp.cos(sp.acos(ProjectedCos(rho, a, b)) / 2)
              * sp.Min(sp.sqrt(1 - TauOne(a)), sp.sqrt(1 - TauOne(b))))),
}

CORRECTIONS: dict[str, tuple[Statement, ...]] = {
    # Eq. (17)'s right side is attained (the equal normalised point), so it bounds the max-min from below.
    "cor-6.6": (Statement(
        (*PAIR_VARIABLES, BUDGET), REALISABLE,
        sp.Ge(MaxMinPairGain(rho, a, b, B_res),
              B_res * sp.cos(sp.acos(ProjectedCos(rho, a, b)) / 2)
              * sp.Min(sp.sqrt(1 - TauOne(a)), sp.sqrt(1 - TauOne(b)))),
        words="max min(Delta_S1, Delta_S2) = B' dist(0, [v~_1, v~_2]) >= B' cos(theta/2) min(sqrt(1 - tau_1), "
              "sqrt(1 - tau_2)): eq. (17) is a lower bound, attained iff tau_1 = tau_2 or theta in {0, pi}"),),
}

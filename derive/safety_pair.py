"""Two safety objectives under capability preservation: Thm 6.1, Rem 6.2, Prop 6.5, Cor 6.3, Cor 6.6, derived.

Unit ``v1*, v2*, c`` with ``rho = <v1*, v2*>``, ``a = <c, v1*>``, ``b = <c, v2*>``.  Preserving the capability
(``<c, delta> = 0``) leaves the projections ``v~_i = P_{c^perp} v_i*`` of norms ``n_i = sqrt(1 - a_i^2)``; the
effective angle ``theta`` is the angle between them, and the largest normalised gain ``s_1 = <v1*, delta> /
(B' n_1)`` at a given ``s_2`` is the bound of ``plane_bound`` in their plane.

A derivation that proves a claim reads the claim's formal statement (``paper_checks.registry`` hands it in; this
module never imports ``paper_checks``): the statement's variable domains and hypotheses are the derivation's
domain, and the statement's printed side is the last right side of the chain.  The chain's first left side is the
closed form the definitions use (``projected_cos``, ``pair_frontier_value``, ...), built here from the
definition, so a chain runs from the definition to the claim's own conclusion.

Named quantities (``n_1, n_2 > 0``, ``c_theta``, ``s_theta >= 0``, ``t_2 >= 0``) stand for the radicals through
their defining polynomial relations; their names sort after the statement's symbols, so that the checker's
normal forms eliminate ``a, b, rho, s_2`` in their favour and each radical of the statement collapses to a
product of named quantities (no solver is needed for its sign).
"""
from __future__ import annotations

import functools
from typing import Any
from collections.abc import Callable

import sympy as sp

from derive.core import Derivation, Op, Optimum, Rule, Solution, Start, Step

NEW = Start.DEFINITION

__all__ = ["rho", "a", "b", "s2", "theta", "s", "domain_of", "residual_gram", "gram_one", "gram_two", "projected_cos",
           "projected_cos_two", "projected_cos_two_from_definition", "residual_products", "residual_cos_proof",
           "projected_cos_from_definition", "partial_correlation_from_definition", "plane_bound", "pair_bound",
           "pair_frontier_value", "effective_angle", "partial_correlation_value", "partial_correlation",
           "multi_capability_bound", "multi_capability", "multi_capability_frontier",
           "equal_gain_value", "equal_gain_bound", "equal_gain", "equal_gain_decreasing", "max_min_value",
           "max_min_absolute", "segment_distance"]

rho, a, b = sp.symbols("rho a b", real=True)
s2 = sp.Symbol("s_2", real=True)
theta = sp.Symbol("theta", real=True)
s = sp.Symbol("s", real=True)
B_res = sp.Symbol("B'", positive=True)

# Named quantities (see the module docstring for why their names sort after a, b, rho, s_2).
n1, n2 = sp.symbols("n_1 n_2", positive=True)     # ||P_{c^perp} v_i*|| = sqrt(1 - a_i^2) > 0 for |a_i| < 1
cth = sp.Symbol("c_theta", real=True)             # cos(theta) = <v~_1, v~_2> / (n_1 n_2)
sth = sp.Symbol("s_theta", nonnegative=True)      # sin(theta) >= 0: theta in [0, pi]
t2 = sp.Symbol("t_2", nonnegative=True)           # sqrt(1 - s_2^2)
q, z = sp.symbols("q z", real=True)               # coordinates of a feasible delta off the direction of v~_2


def _variables(statement: Any, expected: tuple[sp.Symbol, ...]) -> None:
    """The statement's variables are this module's symbols (a mismatch would leave the chain ending elsewhere)."""
    got = tuple(v.symbol for v in statement.variables)
    if got != expected:
        raise ValueError(f"statement variables {got!r} must be {expected!r}, the symbols this derivation uses")


def domain_of(statement: Any) -> tuple[sp.Basic, ...]:
    """A formal statement's variable domains and hypotheses as relations: the domain a derivation of it is checked
    under (``statement`` is read, not imported: anything with ``variables`` (each a ``symbol`` and an Interval
    ``domain``) and ``hypotheses``)."""
    out: list[sp.Basic] = []
    for v in statement.variables:
        d = v.domain
        if d.inf.is_finite:
            out.append((sp.Lt if d.left_open else sp.Le)(d.inf, v.symbol))
        if d.sup.is_finite:
            out.append((sp.Lt if d.right_open else sp.Le)(v.symbol, d.sup))
    return (*out, *statement.hypotheses)


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


def gram_one(r: sp.Expr, x: sp.Expr, y: sp.Expr) -> sp.Matrix:
    """The Gram matrix of ``(v1*, v2*, c)``."""
    return sp.Matrix([[1, r, x], [r, 1, y], [x, y, 1]])


def projected_cos(r: sp.Expr, x: sp.Expr, y: sp.Expr) -> sp.Expr:
    """``<v~_1, v~_2> / (||v~_1|| ||v~_2||)`` from the normal equations of the projection onto ``c``."""
    ip, m1, m2 = residual_gram(gram_one(r, x, y), 1)
    return ip / sp.sqrt(m1 * m2)


# ---------------------------------------------------------------------------------------------
# ProjectedCos from its definition.  The residual r_i = v_i* - sum_k lambda_ik c_k of the projection onto
# C = span(c_1, ..., c_m) is the combination of (v1*, v2*, c_1, ..., c_m) with weights (e_i, -lambda_i); its inner
# products are those weights' bilinear form in the Gram matrix, and the coefficients solve the normal equations
# <r_i, c_l> = 0.  Dimension-free matrix steps first, then rule SOLUTION on the same equations in the Gram entries.

#: lambda_ik: the coefficient of c_k in P_C v_i* (i = 1, 2; k = 1, 2).
_LAMBDA = tuple(tuple(sp.Symbol(f"lambda_{i}{k}", real=True) for k in (1, 2)) for i in (1, 2))


def residual_products(gram: sp.Matrix) -> tuple[tuple[sp.Symbol, ...], tuple[sp.Expr, ...], sp.Expr, sp.Expr,
                                                 sp.Expr]:
    """For the Gram matrix of ``(v1, v2, c_1, ..., c_m)``: the coefficients ``lambda_ik`` (``lambda_1k`` first), the
    normal equations ``<r_i, c_l> = <v_i, c_l> - sum_k lambda_ik <c_k, c_l>`` (each ``== 0``), and ``<r1, r2>``,
    ``||r1||^2``, ``||r2||^2`` for ``r_i = v_i - sum_k lambda_ik c_k``, as the bilinear form ``w_i^T G w_j`` of the
    weights ``w_i = (e_i, -lambda_i)``, expanded."""
    m = gram.shape[0] - 2
    lam = tuple(_LAMBDA[i][k] for i in range(2) for k in range(m))
    w = [sp.Matrix([1 - i, i, *(-x for x in _LAMBDA[i][:m])]) for i in range(2)]

    def form(u: sp.Matrix, v: sp.Matrix) -> sp.Expr:
        return sp.expand((u.T * gram * v)[0, 0])

    normal = tuple(form(w[i], sp.eye(m + 2)[:, 2 + l_]) for i in range(2) for l_ in range(m))
    return lam, normal, form(w[0], w[1]), form(w[0], w[0]), form(w[1], w[1])


@functools.cache
def _residual_steps(m: int) -> tuple[tuple[Step, ...], sp.Basic]:
    """Dimension-free, for C (d x m) of full column rank and V = [v1* | v2*]: Lambda = (C^T C)^{-1} C^T V solves the
    normal equations C^T (V - C Lambda) = 0, so V - C Lambda holds the residuals, and their Gram matrix is
    V^T V - Lambda^T C^T V - V^T C Lambda + Lambda^T (C^T C) Lambda, in the Gram entries; and the matrix whose
    inverse the steps take."""
    d = sp.Symbol("d", integer=True, positive=True)
    C, V = sp.MatrixSymbol("C", d, m), sp.MatrixSymbol("V", d, 2)
    gram = C.T * C
    lam = gram.I * C.T * V
    residuals = V - C * lam
    steps = (
        Step("normal-equations", C.T * residuals, sp.ZeroMatrix(m, 2),
             "Lambda = (C^T C)^{-1} C^T V solves the normal equations C^T (V - C Lambda) = 0: column i of V - C Lambda "
             "is the residual r_i = v_i* - P_C v_i*", start=Start.DEFINITION),
        Step("residual-gram", residuals.T * residuals,
             V.T * V - lam.T * (C.T * V) - (C.T * V).T * lam + lam.T * gram * lam,
             "the residuals' Gram matrix (<r_i, r_j>) in the Gram entries of v1*, v2*, C and the coefficients",
             start=Start.DEFINITION),
    )
    return steps, gram


def residual_cos_proof(quantity: sp.Expr, gram: sp.Matrix, closed: sp.Expr, domain: tuple[sp.Basic, ...],
                       title: str, reading: str = "v1*, v2* unit") -> Derivation:
    """``quantity = closed`` for ``quantity`` the cosine of the angle between the residuals of v1*, v2* after the
    projection onto C, with ``gram`` the Gram matrix of ``(v1*, v2*, c_1, ..., c_m)``: the dimension-free steps,
    then rule SOLUTION on the normal equations in those entries, the value <r1, r2> / sqrt(||r1||^2 ||r2||^2) at
    the point SymPy solves them to (the checker verifies it; it trusts no solve)."""
    m = gram.shape[0] - 2
    steps, gram_matrix = _residual_steps(m)
    lam, equations, inner, norm1, norm2 = residual_products(gram)
    (sol,) = sp.solve(equations, lam, dict=True)
    point = tuple(sp.factor(sol[x]) for x in lam)
    value = inner / sp.sqrt(norm1 * norm2)
    result = Step("closed-form", quantity, closed,
                  "the normal equations in the Gram entries, solved: the cosine <r1, r2> / (||r1|| ||r2||) of the "
                  "residuals there is the closed form", by=Rule.SOLUTION,
                  using=Solution(lam, equations, value, point), start=Start.DEFINITION)
    d = sp.Symbol("d", integer=True, positive=True)
    return Derivation(str(quantity.func), title, (
        f"C = [c_1 | ... | c_m] of full column rank with unit columns; {reading}",
        "r_i = v_i* - P_C v_i* = v_i* - C lambda_i, lambda_i solving the normal equations"), steps, result,
        invertible=(gram_matrix,), domain=(sp.Le(m, d), *domain))


@functools.cache
def projected_cos_from_definition(quantity: sp.FunctionClass) -> Derivation:
    """``quantity(rho, a, b) = projected_cos(rho, a, b)``: the cosine of the angle between P_{c^perp} v1* and
    P_{c^perp} v2* for unit v1*, v2*, c with Gram entries (rho, a, b), from the normal equations
    a - lambda_11 = 0, b - lambda_21 = 0; |a|, |b| < 1 keep the residuals nonzero."""
    return residual_cos_proof(quantity(rho, a, b), gram_one(rho, a, b), projected_cos(rho, a, b),
                              (sp.Lt(-1, a), sp.Lt(a, 1), sp.Lt(-1, b), sp.Lt(b, 1)),
                              "ProjectedCos from its definition: the residuals of the projection onto c")


@functools.cache
def partial_correlation_from_definition(quantity: sp.FunctionClass) -> Derivation:
    """``quantity(rho, a, b) = partial_correlation_value(rho, a, b)``: the correlation of the residuals e_i = X_i -
    lambda_i Z of the least-squares regressions of X_1, X_2 on Z, for the correlation matrix ``gram_one(rho, a, b)``
    of (X_1, X_2, Z), from the normal equations Cov(X_i - lambda_i Z, Z) = 0.  Covariance is an inner product (X_i =
    <v_i*, x>, Z = <c, x> for an isotropic x realise every correlation matrix), so the steps are those of
    ProjectedCos with Cov(e_1, e_2) / sqrt(Var e_1 Var e_2) the residuals' cosine; |a|, |b| < 1 keep the residual
    variances positive."""
    return residual_cos_proof(quantity(rho, a, b), gram_one(rho, a, b), partial_correlation_value(rho, a, b),
                              (sp.Lt(-1, a), sp.Lt(a, 1), sp.Lt(-1, b), sp.Lt(b, 1)),
                              "PartialCorrelation from its definition: the residuals of the least-squares regressions "
                              "on Z", "covariances of X_i = <v_i*, x>, Z = <c, x> (x isotropic) are inner products")


def _dot(u: sp.Matrix, w: sp.Matrix) -> sp.Subs:
    """<u, w> as the definition sum_i u_i w_i at the given coordinates, left for the checker to evaluate."""
    us = sp.symbols(f"u1:{len(u) + 1}", real=True)
    ws = sp.symbols(f"w1:{len(w) + 1}", real=True)
    return sp.Subs(sum(x * y for x, y in zip(us, ws, strict=False)), (*us, *ws), (*u, *w))


@functools.cache
def plane_bound() -> Derivation:
    """Thm 4.1's bound in the plane of two unit directions, for every angle in [0, pi] and every |s_2| <= 1.

    ``u1 = e1``, ``u2 = (c, s)`` with ``c^2 + s^2 = 1``, ``s >= 0``; ``w = (-s, c)`` completes ``u2`` to an
    orthonormal basis and ``e`` is a unit vector off the plane.  Every ``x`` with ``<u2, x> = s_2`` is
    ``s_2 u2 + q w + z e``, with ``||x||^2 = s_2^2 + q^2 + z^2``; within the budget ``q^2 <= 1 - s_2^2 = t^2``, so
    ``-q <= t`` and ``<u1, x> = c s_2 - s q <= c s_2 + s t``.  (Thm 4.1's own derivation, by KKT, covers the open
    angles and ``|Delta_C| < B``; the closed ones are what Section 6's statements range over.)
    """
    u1, u2, w, e = (sp.Matrix(v) for v in ([1, 0, 0], [cth, sth, 0], [-sth, cth, 0], [0, 0, 1]))
    x = s2 * u2 + q * w + z * e
    steps = (
        Step("constraint", _dot(u2, x), s2, "x = s_2 u2 + q w + z e meets <u2, x> = s_2", start=NEW),
        Step("budget", _dot(x, x), s2**2 + q**2 + z**2, "(u2, w, e) is orthonormal", start=NEW),
        Step("gain", _dot(u1, x), cth * s2 - sth * q, "<u1, x> in these coordinates", start=NEW),
    )
    result = Step("bound", cth * s2 - sth * q, cth * s2 + sth * t2,
                  "for every x within the budget, q^2 <= 1 - s_2^2 = t^2 with t >= 0 gives t + q >= 0, and s >= 0",
                  Op.LE, witness=sth * (t2 + q), start=Start.HYPOTHESIS)
    return Derivation("thm-6.1.plane", "The bound in the plane of two unit directions (every angle, |s_2| <= 1)", (
        "u1 = e1, u2 = (c, s), c^2 + s^2 = 1, s >= 0 (theta in [0, pi])", "t = sqrt(1 - s_2^2)",
        "x = s_2 u2 + q w + z e with ||x|| <= 1"), steps, result,
        relations=(cth**2 + sth**2 - 1, t2**2 + s2**2 - 1),
        domain=(sp.Le(s2**2, 1), sp.Le(s2**2 + q**2 + z**2, 1)), bound=(q, z),
        example=((cth, sp.Integer(0)), (sth, sp.Integer(1)), (s2, sp.Integer(0)), (t2, sp.Integer(1)),
                 (q, sp.Integer(0)), (z, sp.Integer(0))))


def _plane_value(c_: sp.Expr, s_: sp.Expr, t_: sp.Expr, gain2: sp.Expr) -> sp.Expr:
    """The maximum ``plane_bound`` derives, ``c s_2 + s t``, at the given cosine, sine, ``t`` and ``s_2``."""
    return plane_bound().result.rhs.subs({cth: c_, sth: s_, t2: t_, s2: gain2}, simultaneous=True)


def pair_frontier_value(cos_: sp.Expr, gain2: sp.Expr) -> sp.Expr:
    """The largest normalised gain ``s_1`` at ``s_2 = gain2`` under preservation, for projections at the angle whose
    cosine is ``cos_``: ``plane_bound``'s maximum with sin = sqrt(1 - cos^2) (theta in [0, pi]) and
    ``t = sqrt(1 - s_2^2)`` (``effective_angle`` proves that it is the maximum for one capability,
    ``multi_capability`` the bound for two)."""
    return _plane_value(cos_, sp.sqrt(1 - cos_**2), sp.sqrt(1 - gain2**2), gain2)


def _pair_objective(cos_: sp.Expr, gain2: sp.Expr) -> tuple[sp.Expr, tuple[sp.Basic, ...]]:
    """The objective s_2 cos(theta) + q sin(theta) of MaxNormalisedPairGain's problem (MaxNormalisedPairGainTwo's),
    at ``s_2 = gain2`` with cos(theta) = ``cos_`` the closed form of ProjectedCos (ProjectedCosTwo) and sin(theta) =
    sqrt(1 - cos^2(theta)) >= 0 (theta in [0, pi]), and its constraint, the budget."""
    return gain2 * cos_ + q * sp.sqrt(1 - cos_**2), (sp.Le(gain2**2 + q**2 + z**2, 1),)


@functools.cache
def pair_bound(statement: Any) -> Derivation:
    """Thm 6.1's bound: every delta = s_2 u2 + q w + z e within the budget has normalised gain on v1*
    s_2 cos(theta) + q sin(theta) <= s_2 cos(theta) + sin(theta) sqrt(1 - s_2^2), for every admissible (rho, a, b)
    (theta in [0, pi] included at its ends): ``plane_bound`` at cos(theta) = ProjectedCos's closed form, whose sine
    sqrt(1 - cos^2(theta)) is real by the realisability of (rho, a, b)."""
    _variables(statement, (rho, a, b, s2))
    cos_ = projected_cos(rho, a, b)
    objective, (within,) = _pair_objective(cos_, s2)
    # plane_bound's w is -w here: its q is this one's -q.
    plane = {cth: cos_, sth: sp.sqrt(1 - cos_**2), t2: sp.sqrt(1 - s2**2), q: -q}
    result = Step("pair-bound", objective, pair_frontier_value(cos_, s2),
                  "for every (q, z) within the budget: the bound in the plane of two unit directions (cited) at the "
                  "cosine of theta, its sine sqrt(1 - cos^2) >= 0 and t = sqrt(1 - s_2^2)", Op.LE, by=Rule.CITE,
                  cites=plane_bound, using=plane, start=Start.LEMMA)
    zero = sp.Integer(0)
    return Derivation("thm-6.1.bound", "Theorem 6.1: the frontier bounds the normalised gain of every feasible delta",
                      ("v1*, v2*, c unit vectors with Gram entries (rho, a, b), |a|, |b| < 1, realisable",
                       "delta = s_2 u2 + q w + z e, ||delta||^2 = s_2^2 + q^2 + z^2 <= 1"), (), result,
                      domain=(*domain_of(statement), within), bound=(q, z),
                      example=((rho, zero), (a, zero), (b, zero), (s2, zero), (q, zero), (z, zero)))


@functools.cache
def effective_angle(statement: Any) -> Derivation:
    """Thm 6.1 from the definitions of ProjectedCos and MaxNormalisedPairGain to eq. (12)-(13) as the statement
    prints them.

    ProjectedCos: the least-squares coefficient of v_i* on c solves the normal equation <v_i* - lambda c, c> = 0,
    which in the Gram form is a_i - lambda = 0; the residuals r_i = v_i* - a_i c then have the Gram-form inner
    products <r1, r2> = rho - ab and ||r_i||^2 = 1 - a_i^2, and the cosine of their angle is the closed form.

    The coordinates of MaxNormalisedPairGain's problem: three unit vectors span at most three dimensions; a
    rotation puts ``c`` on ``e3``, ``v~_1`` on ``e1`` and ``v~_2`` in the half-plane of ``e1, e2`` with a nonnegative
    ``e2`` part, and a fourth axis ``e4`` carries the part of ``delta`` off their span; these realise every
    admissible (rho, a, b), and a ``delta`` preserving ``c`` with normalised gain ``s_2`` and budget 1 (``B'``
    scales out) is ``s_2 u2 + q w + z e4`` with normalised gain s_2 cos(theta) + q sin(theta) on v1*.

    The maximum: Rule.OPTIMUM, ``pair_bound`` bounding every feasible (q, z) and q = sqrt(1 - s_2^2), z = 0
    attaining the bound; no case split, theta = 0 and pi (sin(theta) = 0) are points of the closed range.
    """
    _variables(statement, (rho, a, b, s2))
    quantity, printed = statement.conclusion.lhs, statement.conclusion.rhs
    R = gram_one(rho, a, b)
    w1, w2, ec = _residual_weights(R)
    lam1, lam2 = sp.symbols("lambda_1 lambda_2", real=True)
    v1 = sp.Matrix([n1, 0, a, 0])
    v2 = sp.Matrix([n2 * cth, n2 * sth, b, 0])
    c = sp.Matrix([0, 0, 1, 0])
    u2, w, e4 = sp.Matrix([cth, sth, 0, 0]), sp.Matrix([sth, -cth, 0, 0]), sp.Matrix([0, 0, 0, 1])
    delta = s2 * u2 + q * w + z * e4
    p1, p2 = v1 - a * c, v2 - b * c                # v~_i = v_i* - <c, v_i*> c
    residual_cos = _bilinear(w1, R, w2) / sp.sqrt(_bilinear(w1, R, w1) * _bilinear(w2, R, w2))
    objective, constraints = _pair_objective(projected_cos(rho, a, b), s2)
    value = pair_frontier_value(projected_cos(rho, a, b), s2)
    steps = (
        Step("normal-equations",
             sp.Matrix([_bilinear(sp.Matrix([1, 0, -lam1]), R, ec), _bilinear(sp.Matrix([0, 1, -lam2]), R, ec)]),
             sp.Matrix([a - lam1, b - lam2]),
             "<v_i* - lambda c, c> in the Gram form: the least-squares coefficient of v_i* on c is lambda = a_i",
             start=NEW),
        Step("residuals", sp.Matrix([_bilinear(w1, R, w2), _bilinear(w1, R, w1), _bilinear(w2, R, w2)]),
             sp.Matrix([rho - a * b, 1 - a**2, 1 - b**2]),
             "r_i = v_i* - a_i c: <r1, r2> = rho - ab, ||r_i||^2 = 1 - a_i^2 in the Gram form", start=NEW),
        Step("projected-cos", projected_cos(rho, a, b), residual_cos,
             "the closed form of ProjectedCos is the cosine of the angle between the residuals", start=NEW),
        Step("unit-vectors", sp.Matrix([_dot(v1, v1), _dot(v2, v2), _dot(c, c)]), sp.ones(3, 1),
             "coordinates: v1*, v2*, c are unit vectors", start=NEW),
        Step("gram-entries", sp.Matrix([_dot(v1, v2), _dot(c, v1), _dot(c, v2)]), sp.Matrix([rho, a, b]),
             "their Gram entries are (rho, a, b): the coordinates realise every admissible triple", start=NEW),
        Step("projections", sp.Matrix([_dot(c, p1), _dot(c, p2), _dot(p1, p1), _dot(p2, p2)]),
             sp.Matrix([0, 0, n1**2, n2**2]),
             "v~_i = v_i* - <c, v_i*> c lies in c^perp, with ||v~_i||^2 = 1 - <c, v_i*>^2 = n_i^2", start=NEW),
        Step("effective-angle", _dot(p1, p2) / sp.sqrt(_dot(p1, p1) * _dot(p2, p2)), cth,
             "cos theta = <v~_1, v~_2> / (||v~_1|| ||v~_2||) = c_theta", start=NEW),
        Step("eq-12", projected_cos(rho, a, b), cth,
             "the closed form of ProjectedCos is cos theta in these coordinates", start=NEW),
        Step("preserves", _dot(c, delta), 0, "delta = s_2 u2 + q w + z e4 preserves c: <c, delta> = 0", start=NEW),
        Step("constraint", _dot(v2, delta) / n2, s2, "its normalised gain on v2* is s_2", start=NEW),
        Step("budget", _dot(delta, delta), s2**2 + q**2 + z**2, "its squared norm", start=NEW),
        Step("gain", _dot(v1, delta) / n1, cth * s2 + sth * q,
             "its normalised gain on v1*: s_1 = c s_2 + s q, the objective of MaxNormalisedPairGain's problem",
             start=NEW),
    )
    problem = Optimum((q, z), objective, constraints, (sp.sqrt(1 - s2**2), sp.Integer(0)))
    maximum = functools.partial(Step, "maximum", quantity, value, "the maximum: thm-6.1.bound bounds the gain of "
                                "every feasible (q, z), and q = sqrt(1 - s_2^2), z = 0 is feasible and attains it",
                                by=Rule.OPTIMUM, using=problem, cites=functools.partial(pair_bound, statement),
                                start=Start.DEFINITION)
    if value == printed:
        result = maximum()
    else:
        steps += (maximum(),)
        result = Step("eq-13", value, printed,
                      "which is eq. (13) with theta from eq. (12), as the statement prints them")
    zero, one = sp.Integer(0), sp.Integer(1)
    return Derivation("thm-6.1", "Theorem 6.1: effective angle and the safety-safety frontier, from the definitions", (
        "v1*, v2*, c unit vectors with Gram entries (rho, a, b), |a|, |b| < 1, realisable",
        "capability preserved: <c, delta> = 0; budget 1 (B' scales out of normalised gains)",
        "coordinates: c = e3, v~_1 = n_1 e1, v~_2 = n_2 (cos theta e1 + sin theta e2), sin theta >= 0"),
        steps, result,
        relations=(n1**2 + a**2 - 1, n2**2 + b**2 - 1, n1 * n2 * cth + a * b - rho, cth**2 + sth**2 - 1),
        domain=domain_of(statement),
        example=((rho, zero), (a, zero), (b, zero), (s2, zero), (n1, one), (n2, one), (cth, zero), (sth, one)))


_G = sp.Matrix(3, 3, sp.symbols("g1:10", real=True))


def _bilinear(u: sp.Matrix, M: sp.Matrix, w: sp.Matrix) -> sp.Subs:
    """u^T M w as the definition sum_ij u_i M_ij w_j at the given entries, left for the checker to evaluate."""
    return sp.Subs((u.T * _G * w)[0, 0], tuple(_G), tuple(M))


def _residual_weights(R: sp.Matrix) -> tuple[sp.Matrix, sp.Matrix, sp.Matrix]:
    """Least squares of X_i on Z: the coefficient is Cov(X_i, Z)/Var(Z), so the residual e_i = X_i - coef Z is
    the combination ``w_i`` of (X_1, X_2, Z); with ``e_z`` the weights of Z itself."""
    ez = sp.Matrix([0, 0, 1])
    ws = tuple(sp.Matrix([1 - i, i, 0]) - (R[i, 2] / R[2, 2]) * ez for i in range(2))
    return ws[0], ws[1], ez


def partial_correlation_value(r: sp.Expr, x: sp.Expr, y: sp.Expr) -> sp.Expr:
    """The correlation of the residuals of X_1, X_2 after least-squares regression on Z, for the correlation matrix
    ``gram_one(r, x, y)`` of (X_1, X_2, Z): Cov(e_1, e_2) / sqrt(Var e_1 Var e_2), evaluated."""
    R = gram_one(r, x, y)
    w1, w2, _ = _residual_weights(R)
    return sp.cancel((w1.T * R * w2)[0, 0]) / sp.sqrt(sp.cancel((w1.T * R * w1)[0, 0])
                                                      * sp.cancel((w2.T * R * w2)[0, 0]))


@functools.cache
def partial_correlation(statement: Any) -> Derivation:
    """Rem 6.2: the partial correlation of X_i = <v_i*, x> given Z = <c, x> (x isotropic) is eq. (12) as printed.

    The residual correlation is the definition; the precision-matrix form -P_12 / sqrt(P_11 P_22) agrees with it
    (P = adj(R) / det R when R is invertible; the positive factor 1/det R cancels, so the adjugate is used and
    nothing divides by det R, which the statement allows to vanish)."""
    _variables(statement, (rho, a, b))
    R = gram_one(rho, a, b)
    w1, w2, ez = _residual_weights(R)
    adj = R.adjugate()

    def cov(u: sp.Matrix, w: sp.Matrix) -> sp.Expr:
        return _bilinear(u, R, w)

    residual_corr = cov(w1, w2) / sp.sqrt(cov(w1, w1) * cov(w2, w2))
    steps = (
        Step("regression-coefficient", cov(sp.Matrix([1, 0, 0]), ez) / cov(ez, ez), a,
             "least squares: X_1 on Z has coefficient Cov(X_1, Z)/Var(Z) = a (Var Z = |c|^2 = 1)", start=NEW),
        Step("residual-uncorrelated", sp.Matrix([cov(w1, ez), cov(w2, ez)]), sp.zeros(2, 1),
             "the residuals e_1 = X_1 - aZ, e_2 = X_2 - bZ are uncorrelated with Z", start=NEW),
        Step("residual-covariance", cov(w1, w2), n1 * n2 * cth, "Cov(e_1, e_2) = rho - ab", start=NEW),
        Step("residual-variances", sp.Matrix([cov(w1, w1), cov(w2, w2)]), sp.Matrix([n1**2, n2**2]),
             "Var(e_i) = 1 - a_i^2 = n_i^2", start=NEW),
        Step("precision-square", adj[0, 1]**2 / (adj[0, 0] * adj[1, 1]), cth**2,
             "with P proportional to adj(R): P_12^2/(P_11 P_22) = (rho - ab)^2/((1 - a^2)(1 - b^2))", start=NEW),
        Step("precision-sign", -adj[0, 1], n1 * n2 * cth,
             "-adj(R)_12 = rho - ab: -P_12 / sqrt(P_11 P_22) has the sign of rho - ab", start=NEW),
        Step("residual-correlation", partial_correlation_value(rho, a, b), residual_corr,
             "the closed form of PartialCorrelation is the residual correlation, its definition", start=NEW),
        Step("cos-theta", residual_corr, cth, "which is (rho - ab)/(n_1 n_2)"),
    )
    result = Step("eq-12", cth, statement.conclusion.rhs, "which is eq. (12) as the statement prints it")
    return Derivation("rem-6.2", "Remark 6.2: cos theta is the partial correlation", (
        "(X_1, X_2, Z) with correlation matrix R = [[1, rho, a], [rho, 1, b], [a, b, 1]], realisable, |a|, |b| < 1",
        "n_i = sqrt(1 - a_i^2) > 0, n_1 n_2 c_theta = rho - ab"), steps, result,
        relations=(n1**2 + a**2 - 1, n2**2 + b**2 - 1, n1 * n2 * cth + a * b - rho), domain=domain_of(statement),
        example=((rho, sp.Integer(0)), (a, sp.Integer(0)), (b, sp.Integer(0)), (n1, sp.Integer(1)),
                 (n2, sp.Integer(1)), (cth, sp.Integer(0))))


def gram_two(r: sp.Expr, x1: sp.Expr, x2: sp.Expr, y1: sp.Expr, y2: sp.Expr, gg: sp.Expr) -> sp.Matrix:
    """The Gram matrix of ``(v1*, v2*, c1, c2)``."""
    return sp.Matrix([[1, r, x1, x2], [r, 1, y1, y2], [x1, y1, 1, gg], [x2, y2, gg, 1]])


def projected_cos_two(r: sp.Expr, x1: sp.Expr, x2: sp.Expr, y1: sp.Expr, y2: sp.Expr, gg: sp.Expr) -> sp.Expr:
    """``projected_cos`` for ``C = [c1 | c2]`` (m = 2), from the normal equations of the projection onto span(C)."""
    ip, m1, m2 = residual_gram(gram_two(r, x1, x2, y1, y2, gg), 2)
    return ip / sp.sqrt(m1 * m2)


def _outside_span(gram: sp.Matrix) -> tuple[sp.Basic, sp.Basic]:
    """v1*, v2* outside span(c1, c2), for ``gram`` the Gram matrix of (v1*, v2*, c1, c2): the Gram determinants of
    (v_i*, c1, c2) are positive.  Each is (1 - g^2) ||P_{C^perp} v_i*||^2, so the residuals are nonzero."""
    return tuple(sp.Gt(gram.extract([i, 2, 3], [i, 2, 3]).det(), 0) for i in (0, 1))


@functools.cache
def projected_cos_two_from_definition(quantity: sp.FunctionClass) -> Derivation:
    """``quantity(rho, a1, a2, b1, b2, g) = projected_cos_two(rho, a1, a2, b1, b2, g)``: the cosine of the angle
    between P_{C^perp} v1* and P_{C^perp} v2* for unit v1*, v2* and C = [c1 | c2] with unit columns, from the normal
    equations <v_i*, c_l> - sum_k lambda_ik <c_k, c_l> = 0.  |g| < 1 (full column rank) makes their Jacobian
    (1 - g^2)^2 nonzero, and the positive Gram determinants of (v_i*, c1, c2) keep the residuals nonzero."""
    r, x1, x2, y1, y2, gg = sp.symbols("rho a_1 a_2 b_1 b_2 g", real=True)
    gram = gram_two(r, x1, x2, y1, y2, gg)
    return residual_cos_proof(quantity(r, x1, x2, y1, y2, gg), gram, projected_cos_two(r, x1, x2, y1, y2, gg),
                              (sp.Lt(-1, gg), sp.Lt(gg, 1), *_outside_span(gram)),
                              "ProjectedCosTwo from its definition: the residuals of the projection onto span(c1, c2)")


@functools.cache
def multi_capability_bound(statement: Any) -> Derivation:
    """Prop 6.5's bound: every delta = s_2 u2 + q w + z e within the budget has normalised gain on v1*
    s_2 cos(theta) + q sin(theta) <= s_2 cos(theta) + sin(theta) sqrt(1 - s_2^2): ``plane_bound`` at cos(theta) =
    ProjectedCosTwo's closed form, for every point of the statement where that closed form is a cosine
    (``1 - cos^2(theta) >= 0``, a hypothesis here, owed by its citer: ``multi_capability_frontier`` proves it
    as the quotient (1 - g^2) det G / (N_1 N_2) of the Gram determinants)."""
    rho_, a1, a2, b1, b2, g, gain2 = (v.symbol for v in statement.variables)
    cos_ = projected_cos_two(rho_, a1, a2, b1, b2, g)
    objective, (within,) = _pair_objective(cos_, gain2)
    # plane_bound's w is -w here: its q is this one's -q.
    plane = {cth: cos_, sth: sp.sqrt(1 - cos_**2), t2: sp.sqrt(1 - gain2**2), q: -q, s2: gain2}
    result = Step("pair-bound", objective, pair_frontier_value(cos_, gain2),
                  "for every (q, z) within the budget: the bound in the plane of two unit directions (cited) at the "
                  "cosine of theta, its sine sqrt(1 - cos^2) >= 0 and t = sqrt(1 - s_2^2)", Op.LE, by=Rule.CITE,
                  cites=plane_bound, using=plane, start=Start.LEMMA)
    zero = sp.Integer(0)
    return Derivation("prop-6.5.bound", "Proposition 6.5: the frontier bounds the normalised gain of every feasible "
                      "delta", ("C = [c1 | c2] with unit columns, <c1, c2> = g, |g| < 1; v1*, v2* unit outside span(C)",
                                "the closed form of ProjectedCosTwo lies in [-1, 1]",
                                "delta = s_2 u2 + q w + z e, ||delta||^2 = s_2^2 + q^2 + z^2 <= 1"), (), result,
                      domain=(*domain_of(statement), sp.Ge(1 - cos_**2, 0), within), bound=(q, z),
                      example=((rho_, zero), (a1, zero), (a2, zero), (b1, zero), (b2, zero), (g, zero),
                               (gain2, zero), (q, zero), (z, zero)))


@functools.cache
def multi_capability(statement: Any) -> Derivation:
    """Prop 6.5: eq. (15)-(16), and the problem MaxNormalisedPairGainTwo maximises, from the definitions (m = 2).

    Dimension-free, for any m: P_C = C (C^T C)^{-1} C^T is an orthogonal projection and eq. (16) holds (matrix
    steps).  For the statement's two unit, non-orthonormal capabilities: a rotation puts ``c1 = e3``,
    ``c2 = g e3 + gamma e4`` (``gamma = sqrt(1 - g^2) > 0``), ``v~_1 = n_1 e1``, ``v~_2 = n_2 (cos e1 + sin e2)``
    and the components of ``v_i*`` in span(C) on ``e3, e4``.  There the closed form of ProjectedCosTwo is
    c_theta, the cosine of the residuals, and a delta preserving both capabilities with normalised gain s_2 on
    v2* is s_2 u2 + q w + z e5, with squared norm s_2^2 + q^2 + z^2 and normalised gain s_2 c + q s on v1*: the
    objective and constraint of MaxNormalisedPairGainTwo's problem, whose maximum ``multi_capability_frontier``
    proves."""
    rho_, a1, a2, b1, b2, g, gain2 = (v.symbol for v in statement.variables)
    gam = sp.Symbol("gamma", positive=True)
    al2, be2 = sp.symbols("alpha_2 beta_2", real=True)       # e4-components of v1*, v2*
    d, m = sp.Symbol("d", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
    C = sp.MatrixSymbol("C", d, m)
    V1, V2 = sp.MatrixSymbol("v_1", d, 1), sp.MatrixSymbol("v_2", d, 1)
    G = C.T * C
    P = C * G.I * C.T
    c1, c2 = sp.Matrix([0, 0, 1, 0, 0]), sp.Matrix([0, 0, g, gam, 0])
    v1, v2 = sp.Matrix([n1, 0, a1, al2, 0]), sp.Matrix([n2 * cth, n2 * sth, b1, be2, 0])
    u2, w, e5 = sp.Matrix([cth, sth, 0, 0, 0]), sp.Matrix([sth, -cth, 0, 0, 0]), sp.Matrix([0, 0, 0, 0, 1])
    delta = gain2 * u2 + q * w + z * e5
    p1, p2 = sp.Matrix([n1, 0, 0, 0, 0]), sp.Matrix([n2 * cth, n2 * sth, 0, 0, 0])   # v_i* minus its part in span(C)
    steps = (
        Step("idempotent", sp.MatMul(C, G.I, C.T, C, G.I, C.T), P, "P_C^2 = P_C (any m)", start=NEW),
        Step("self-adjoint", sp.Transpose(P), P, "P_C^T = P_C", start=NEW),
        Step("eq-16", (V1 - P * V1).T * (V2 - P * V2), V1.T * V2 - (P * V1).T * (P * V2),
             "<v1 - P v1, v2 - P v2> = rho - <P v1, P v2> by idempotence and self-adjointness", start=NEW),
        Step("norms", (V1 - P * V1).T * (V1 - P * V1), V1.T * V1 - (P * V1).T * (P * V1),
             "||P_{C^perp} v_i||^2 = 1 - tau_i with tau_i = ||P_C v_i||^2", start=NEW),
        Step("gram-form", sp.MatMul(sp.Transpose(sp.MatMul(P, V1, evaluate=False)), sp.MatMul(P, V2, evaluate=False),
                                    evaluate=False), (C.T * V1).T * G.I * (C.T * V2),
             "<P_C v1, P_C v2> = a^T (C^T C)^{-1} b with a = C^T v1, b = C^T v2", start=NEW),
        Step("unit-vectors", sp.Matrix([_dot(x, x) for x in (v1, v2, c1, c2)]), sp.ones(4, 1),
             "v1*, v2*, c1, c2 are unit vectors in these coordinates", start=NEW),
        Step("gram-entries", sp.Matrix([_dot(v1, v2), _dot(c1, c2), _dot(c1, v1), _dot(c2, v1), _dot(c1, v2),
                                        _dot(c2, v2)]), sp.Matrix([rho_, g, a1, a2, b1, b2]),
             "their Gram entries are the statement's: the coordinates realise every admissible point", start=NEW),
        Step("projections", sp.Matrix([_dot(c1, p1), _dot(c2, p1), _dot(c1, p2), _dot(c2, p2), _dot(v1 - p1, p2),
                                       _dot(v2 - p2, p1)]), sp.zeros(6, 1),
             "v~_i lies in C^perp and v_i* - v~_i in span(C) = span(e3, e4): v~_i = P_{C^perp} v_i*", start=NEW),
        Step("effective-angle", _dot(p1, p2) / sp.sqrt(_dot(p1, p1) * _dot(p2, p2)), cth,
             "cos theta = <v~_1, v~_2> / (||v~_1|| ||v~_2||) = c_theta", start=NEW),
        Step("eq-15", projected_cos_two(rho_, a1, a2, b1, b2, g), cth,
             "the closed form of ProjectedCosTwo (the normal equations of the projection) is cos theta", start=NEW),
        Step("preserves", sp.Matrix([_dot(c1, delta), _dot(c2, delta)]), sp.zeros(2, 1),
             "delta = s_2 u2 + q w + z e5 preserves both capabilities: C^T delta = 0", start=NEW),
        Step("constraint", _dot(v2, delta) / n2, gain2, "its normalised gain on v2* is s_2", start=NEW),
        Step("budget", _dot(delta, delta), gain2**2 + q**2 + z**2, "its squared norm", start=NEW),
    )
    result = Step("gain", _dot(v1, delta) / n1, cth * gain2 + sth * q,
                  "its normalised gain on v1*: s_1 = c s_2 + s q, the objective of MaxNormalisedPairGainTwo's "
                  "problem", start=NEW)
    zero, one = sp.Integer(0), sp.Integer(1)
    return Derivation("prop-6.5.coordinates", "Proposition 6.5: multi-capability partial correlation and the "
                      "problem in coordinates", (
        "C has full column rank m (C^T C invertible); the statement's m = 2: unit c1, c2 with <c1, c2> = g, |g| < 1",
        "v1*, v2* unit vectors outside span(C), realisable Gram matrix",
        "capability preserved: C^T delta = 0; budget 1 (B' scales out of normalised gains)",
        "coordinates: c1 = e3, c2 = g e3 + gamma e4, v~_1 = n_1 e1, v~_2 = n_2 (cos theta e1 + sin theta e2)"),
        steps, result, invertible=(G,),
        relations=(gam**2 + g**2 - 1, gam * al2 - (a2 - g * a1), gam * be2 - (b2 - g * b1),
                   n1**2 + a1**2 + al2**2 - 1, n2**2 + b1**2 + be2**2 - 1,
                   n1 * n2 * cth + a1 * b1 + al2 * be2 - rho_, cth**2 + sth**2 - 1),
        domain=(*domain_of(statement), sp.Le(m, d)),
        example=((rho_, zero), (a1, zero), (a2, zero), (b1, zero), (b2, zero), (g, zero), (gain2, zero),
                 (gam, one), (al2, zero), (be2, zero), (n1, one), (n2, one), (cth, zero), (sth, one),
                 (m, sp.Integer(2)), (d, sp.Integer(5))))


@functools.cache
def multi_capability_frontier(statement: Any, expand: Callable[[sp.Basic], sp.Basic]) -> Derivation:
    """Prop 6.5's frontier clause, from the definition to the statement: the maximum of MaxNormalisedPairGainTwo's
    problem by Rule.OPTIMUM, ``multi_capability_bound`` bounding every feasible (q, z) and q = sqrt(1 - s_2^2),
    z = 0 attaining the bound; then eq. (13) with theta from eq. (15), the statement's printed side read with its
    defined quantities unfolded (``expand``: TauTwo's closed form).

    In the statement's own variables, without ``multi_capability``'s coordinates: the bound's hypothesis
    1 - cos^2(theta) >= 0 is then owed as ``(1 - g^2) det G / (N_1 N_2) >= 0`` (G the Gram matrix of
    (v1*, v2*, c1, c2), N_i the Gram determinants of (v_i*, c1, c2)), which the quotient rule proves; reduced
    modulo the coordinates' relations the printed side's radicands grow past what a sign check can afford."""
    rho_, a1, a2, b1, b2, g, gain2 = (v.symbol for v in statement.variables)
    quantity, printed = statement.conclusion.lhs, expand(statement.conclusion.rhs)
    cos_ = projected_cos_two(rho_, a1, a2, b1, b2, g)
    objective, constraints = _pair_objective(cos_, gain2)
    value = pair_frontier_value(cos_, gain2)
    problem = Optimum((q, z), objective, constraints, (sp.sqrt(1 - gain2**2), sp.Integer(0)))
    maximum = functools.partial(Step, "maximum", quantity, value, "the maximum: prop-6.5.bound bounds the gain of "
                                "every feasible (q, z), and q = sqrt(1 - s_2^2), z = 0 is feasible and attains it",
                                by=Rule.OPTIMUM, using=problem, cites=functools.partial(multi_capability_bound,
                                                                                        statement),
                                start=Start.DEFINITION)
    steps: tuple[Step, ...] = ()
    if value == printed:
        result = maximum()
    else:
        steps = (maximum(),)
        result = Step("eq-13", value, printed, "which is eq. (13) with theta from eq. (15), as the statement prints "
                      "them")
    zero = sp.Integer(0)
    return Derivation("prop-6.5", "Proposition 6.5: the frontier under preservation of both capabilities", (
        "C = [c1 | c2] with unit columns, <c1, c2> = g, |g| < 1; v1*, v2* unit outside span(C)",
        "capability preserved: C^T delta = 0; budget 1 (B' scales out of normalised gains)"),
        steps, result, domain=domain_of(statement),
        example=((rho_, zero), (a1, zero), (a2, zero), (b1, zero), (b2, zero), (g, zero), (gain2, zero)))


def _frontier_at(angle: sp.Expr, gain: sp.Expr) -> sp.Expr:
    """``plane_bound``'s maximum at the angle ``angle`` (in [0, pi], so sin >= 0) and ``s_2 = gain``."""
    return _plane_value(sp.cos(angle), sp.sin(angle), sp.sqrt(1 - gain**2), gain)


@functools.cache
def _equal_gain_roots() -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Expr]:
    """The equal-gain equation s = frontier(s) at angle theta, squared, and its two roots (admissible first)."""
    frontier_s = _frontier_at(theta, s)
    slope = frontier_s.coeff(s)                       # cos(theta): the frontier is slope s + (a term in sqrt(1 - s^2))
    unsquared = s * (1 - slope) - (frontier_s - slope * s)
    # s (1 - cos) = sin sqrt(1 - s^2), squared; sin^2 = 1 - cos^2 keeps it a polynomial in s.
    squared = sp.expand((s * (1 - slope))**2 - (frontier_s - slope * s)**2)
    roots = sp.solve(squared.subs(sp.sin(theta)**2, 1 - sp.cos(theta)**2), s)
    plus = [r for r in roots if sp.N(r.subs(theta, 1)) > 0]
    minus = [r for r in roots if sp.N(r.subs(theta, 1)) < 0]
    if len(plus) != 1 or len(minus) != 1:
        raise RuntimeError(f"expected one root of each sign, SymPy gave {roots}")
    return unsquared, squared, plus[0], minus[0]


def equal_gain_value(angle: sp.Expr) -> sp.Expr:
    """The largest attainable equal gain at ``angle``: the admissible root of the equal-gain equation, read in the
    half angle (cos(theta) = 2 h^2 - 1 with h = cos(theta/2) >= 0 on [0, pi], simplified by SymPy).  ``equal_gain``
    proves the root attained and maximal, and checks this reading of it as its step ``closed-form``."""
    half = sp.Symbol("h", nonnegative=True)
    tidy = sp.simplify(_equal_gain_roots()[2].subs(sp.cos(theta), 2 * half**2 - 1))
    return tidy.subs(half, sp.cos(angle / 2))


xe, ye = sp.symbols("x y", real=True)            # delta = x e1 + y e2 + z e3 in the plane of the unit projections
#: Cor 6.3's constraints in those coordinates: equal normalised gains x = x cos(theta) + y sin(theta), the budget.
_EQUAL = sp.Eq(xe * sp.cos(theta) + ye * sp.sin(theta), xe)
_WITHIN = sp.Le(xe**2 + ye**2 + z**2, 1)


@functools.cache
def equal_gain_bound() -> Derivation:
    """Every delta = x e1 + y e2 + z e3 within the budget whose normalised gains s_1 = x and s_2 = x cos(theta) +
    y sin(theta) are equal has x <= cos(theta/2), for every theta in [0, pi], its ends included.

    With half angles h = theta/2 the equal gains say 2 sin h (cos h y - sin h x) = 0, so x^2 = x^2 cos^2 h +
    (sin h x)^2 <= cos^2 h (x^2 + y^2) <= cos^2 h where sin h != 0 (where sin h = 0, cos h = 1 and x^2 <= 1): |x| <=
    cos h.  z3 and cvc5 decide the sign of cos(theta/2) - x from these facts."""
    result = Step("equal-gain-bound", xe, sp.cos(theta / 2),
                  "equal gains x (1 - cos theta) = y sin theta, i.e. sin(theta/2) (cos(theta/2) y - sin(theta/2) x)"
                  " = 0, and x^2 + y^2 <= 1 give x^2 <= cos^2(theta/2), so x <= cos(theta/2) >= 0", Op.LE,
                  start=Start.HYPOTHESIS)
    return Derivation("cor-6.3.bound", "Corollary 6.3: no equal normalised gain exceeds cos(theta/2), theta in [0, pi]",
                      ("theta in [0, pi]: u1 = e1, u2 = cos(theta) e1 + sin(theta) e2",
                       "delta = x e1 + y e2 + z e3 within the budget 1, with equal normalised gains"),
                      (), result, closed_angles=(theta,), domain=(_EQUAL, _WITHIN), bound=(xe, ye, z),
                      example=((theta, sp.Integer(0)), (xe, sp.Integer(1)), (ye, sp.Integer(0)), (z, sp.Integer(0))))


@functools.cache
def equal_gain(statement: Any) -> Derivation:
    """Cor 6.3 from the definition of ``MaxEqualGain``, for every theta in [0, pi] (its ends 0 and pi included): its
    problem in the coordinates of ``equal_gain_bound`` (maximise s_1 = x over the deltas within the budget whose two
    normalised gains are equal) has the value ``equal_gain_value`` (the admissible root of the equal-gain equation)
    by Rule.OPTIMUM: ``equal_gain_bound`` bounds every feasible point by cos(theta/2), and (x, y, z) =
    (cos(theta/2), sin(theta/2), 0) is feasible (cos(theta/2) cos(theta) + sin(theta/2) sin(theta) = cos(theta/2),
    unit norm) and attains it.  The statement's printed side is then eq. (14)."""
    quantity, printed = statement.conclusion.lhs, statement.conclusion.rhs
    value = equal_gain_value(theta)
    problem = Optimum((xe, ye, z), xe, (_EQUAL, _WITHIN), (sp.cos(theta / 2), sp.sin(theta / 2), sp.Integer(0)))
    why = ("the maximum: cor-6.3.bound bounds the gain of every feasible delta with equal gains by cos(theta/2), and"
           " (x, y, z) = (cos(theta/2), sin(theta/2), 0) is feasible and attains it")
    maximum = functools.partial(Step, "maximum", quantity, value, why, by=Rule.OPTIMUM, using=problem,
                                cites=equal_gain_bound, start=Start.DEFINITION)
    if value == printed:
        steps, result = (), maximum()
    else:
        steps = (maximum(),)
        result = Step("eq-14", value, printed, "the maximum is eq. (14) as the statement prints it")
    return Derivation("cor-6.3", "Corollary 6.3: maximum equal improvement, from the definition, theta in [0, pi]", (
        "theta in [0, pi] (its ends included)", "budget 1: normalised gains"), steps, result,
        closed_angles=(theta,), example=((theta, sp.Integer(0)),))


@functools.cache
def equal_gain_decreasing(statement: Any) -> Derivation:
    """Cor 6.3's reading "joint improvement degrades as theta increases": theta_1 < theta_2 gives a smaller largest
    equal gain at theta_2.

    ``phi = theta_2 - theta_1`` is an angle in (0, pi) tied to the two by the half-angle addition formulas
    (cos(theta_2/2) = cos(theta_1/2 + phi/2), likewise the sine), which is exactly theta_1 < theta_2 for angles in
    (0, pi); the ends 0 and pi of the stated interval are separate steps."""
    th1, th2 = (v.symbol for v in statement.variables)
    phi = sp.Symbol("phi", real=True)
    g1, g2 = equal_gain_value(th1), equal_gain_value(th2)
    at0, atpi = sp.Subs(equal_gain_value(theta), theta, 0), sp.Subs(equal_gain_value(theta), theta, sp.pi)
    steps = (
        Step("first-at-0", g2, at0, "theta_1 = 0 < theta_2: the value at theta_2 is below the value 1 at 0", Op.LT,
             witness=1 - sp.cos(th2 / 2), start=NEW),
        Step("second-at-pi", atpi, g1, "theta_2 = pi > theta_1: the value 0 at pi is below the value at theta_1",
             Op.LT, witness=sp.cos(th1 / 2), start=NEW),
        Step("both-ends", atpi, at0, "theta_1 = 0, theta_2 = pi: 0 < 1", Op.LT, start=NEW),
    )
    result = Step("decreasing", g2, g1, "the values are the half-angle cosines, and cos(theta_1/2) - cos(theta_2/2)"
                  " = cos(theta_1/2)(1 - cos(phi/2)) + sin(theta_1/2) sin(phi/2) > 0", Op.LT,
                  witness=sp.cos(th1 / 2) * (1 - sp.cos(phi / 2)) + sp.sin(th1 / 2) * sp.sin(phi / 2),
                  start=Start.HYPOTHESIS)
    return Derivation("cor-6.3.decreasing", "Corollary 6.3: the largest equal gain decreases with theta", (
        "theta_1, theta_2 in (0, pi) (the ends 0 and pi by separate steps)",
        "theta_1 < theta_2, i.e. phi = theta_2 - theta_1 in (0, pi)"), steps, result,
        angles=(th1, th2, phi),
        relations=(sp.cos(th2 / 2) - (sp.cos(th1 / 2) * sp.cos(phi / 2) - sp.sin(th1 / 2) * sp.sin(phi / 2)),
                   sp.sin(th2 / 2) - (sp.sin(th1 / 2) * sp.cos(phi / 2) + sp.cos(th1 / 2) * sp.sin(phi / 2))),
        domain=(statement.conclusion.args[0],), bound=(th1, th2),
        example=((th1, sp.pi / 3), (th2, 2 * sp.pi / 3), (phi, sp.pi / 3)))


lam = sp.Symbol("lambda", real=True)
_gap = sp.Symbol("g", nonnegative=True)           # n1 - n2 >= 0 (label the longer projection 1)
_foot = sp.Symbol("f", nonnegative=True)          # n2 - n1 cos(theta) >= 0 (foot inside the segment)
_dist2 = sp.Symbol("L", positive=True)            # |v~_1 - v~_2|^2 > 0 for theta in (0, pi)


def max_min_value() -> sp.Expr:
    """max over ||delta|| <= 1 in C^perp of min(<v~_1, delta>, <v~_2, delta>), interior case:
    the distance from 0 to the segment [v~_1, v~_2]."""
    return n1 * n2 * sp.sin(theta) / sp.sqrt(n1**2 + n2**2 - 2 * n1 * n2 * sp.cos(theta))


def _in_coordinates(bound: sp.Expr, budget: sp.Symbol) -> sp.Expr:
    """A bound written in (rho, a, b, B') (defined quantities expanded), per unit budget, in the coordinates of
    ``max_min_absolute``: n_i = sqrt(1 - a_i^2), rho = ab + n_1 n_2 cos(theta).  Two rewrites hold on that
    derivation's domain only, and are made there: acos(cos theta) = theta for theta in [0, pi], and
    min(n_1, n_2) = n_2 for n_1 >= n_2 (the longer projection labelled 1)."""
    e = (bound / budget).subs(rho, a * b + n1 * n2 * sp.cos(theta))
    e = e.subs({a: sp.sqrt(1 - n1**2), b: sp.sqrt(1 - n2**2)}, simultaneous=True)
    return e.replace(sp.acos(sp.cos(theta)), theta).subs(sp.Min(n1, n2), n2)


@functools.cache
def max_min_absolute(statement: Any, expand: Callable[[sp.Basic], sp.Basic]) -> Derivation:
    """Cor 6.6 corrected: max min(Delta_S1, Delta_S2) = B' dist(0, [v~_1, v~_2]) >= eq. (17)'s right side.

    Eq. (17)'s right side is read from the statement (``expand`` gives its defined quantities' closed forms) and
    put in this derivation's coordinates by ``_in_coordinates``."""
    sq = lam**2 * n1**2 + 2 * lam * (1 - lam) * n1 * n2 * sp.cos(theta) + (1 - lam)**2 * n2**2
    den = n1**2 + n2**2 - 2 * n1 * n2 * sp.cos(theta)
    lam_star = (n2**2 - n1 * n2 * sp.cos(theta)) / den
    paper = _in_coordinates(expand(statement.conclusion.rhs), statement.variables[3].symbol)
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
        Step("equal-norms", max_min_value().subs(n2, n1), paper.subs(n2, n1),
             "with n1 = n2 it is n cos(theta/2): eq. (17) holds with equality for equal norms", start=NEW),
        Step("gap", diff, n2**2 * (1 + sp.cos(theta)) * _gap * (_foot + n1 * (1 - sp.cos(theta))) / (2 * den),
             "value^2 - (n2 cos(theta/2))^2 = n2^2 (1 + cos theta)(n1 - n2)(n1 + n2 - 2 n1 cos theta)"
             " / (2|v~_1 - v~_2|^2)", start=NEW),
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


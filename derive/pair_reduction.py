"""The pair optima's problems in R^d against their coordinates': Thm 6.1's (q, z), the single capability's reduction
in c^perp (``reduction``), and Cor 6.3's (x, y, z), in the plane of the unit projections (``equal_gain_reduction``).

Problem (MaxNormalisedPairGain, budget B' = 1): maximise <v1*, delta> / n_1 subject to <c, delta> = 0,
<v2*, delta> / n_2 = s_2 and ||delta|| <= 1, for unit v1*, v2*, c with <v1*, v2*> = rho, <c, v1*> = a, <c, v2*> = b,
|a|, |b| < 1 and n_i = ||P_{c^perp} v_i*|| = sqrt(1 - a_i^2) > 0.

Setting.  With p_2 = v2* - b c (the projection of v2* on c^perp; v2* is written p_2 + b c) and u_1 = (v1* - a c) / n_1,
it is MaxSafetyAtTarget's problem with the single capability p_2 (C = p_2, P_C = P_{u_2}), the target
delta_C* = (s_2 / n_2) p_2 = s_2 u_2 and the direction v* = u_1 (``reduce_to_coordinates`` of
derive/capability_constraint.py):

* a delta preserving c has <v1*, delta> = n_1 <u_1, delta> and <v2*, delta> = <p_2, delta>, and P_{u_2} delta =
  <p_2, delta> p_2 / ||p_2||^2, so the feasible deltas are those with P_{u_2} delta = s_2 u_2 that preserve c;
* <p_2, c> = 0, ||p_2||^2 = n_2^2 and <v1*, p_2> = rho - ab follow from v2*'s Gram entries; so s = <u_1, s_2 u_2> =
  s_2 (rho - ab) / (n_1 n_2) = s_2 cos(theta), ||delta_C*||^2 = s_2^2, ||u_1||^2 = 1 and ||P_{u_2} u_1||^2 =
  cos^2(theta) (cos(theta) = (rho - ab) / sqrt((1 - a^2)(1 - b^2)), the closed form of ProjectedCos);
* the lifted direction e_1, unit and orthogonal to u_2 and c, has <u_1, e_1> = sin(theta) >= 0 (u_1 - cos(theta) u_2
  normalised, or any unit vector orthogonal to c and u_2 when sin(theta) = 0, d >= 3).

So every feasible delta maps to the feasible (q, z) = (||w||, 0), w its part orthogonal to u_2, with no smaller
objective (Cauchy-Schwarz), and (q, 0) lifts to s_2 u_2 + q e_1, which preserves c, is feasible exactly when (q, 0)
is and has the objective s_2 cos(theta) + q sin(theta).

The bound <u_1, delta> = s + g <= s + sqrt(nn) ||w|| is proved in the names (g^2 <= nn ||w||^2), then s = s_2
cos(theta) and nn = 1 - cos^2(theta), each proved from the facts, are substituted in turn (``Capabilities.through``):
asked at once in the Gram entries and the radicals of cos(theta), the solvers leave the bound open.
"""
from __future__ import annotations

import functools

import sympy as sp

from derive import capability_constraint as K
from derive.core import Derivation, Op, Start, Step
from derive.expressions import same
from derive.safety_pair import a, b, n1, n2, projected_cos, rho, s2

__all__ = ["EQ", "IP", "equal_gain_reduction", "pair_setting", "reduction"]

IP_K = K.IP          # the inner products every reduction to two coordinates names
_c, _v1 = sp.MatrixSymbol("c", K._d, 1), sp.MatrixSymbol("v_1", K._d, 1)
_p2 = sp.MatrixSymbol("p_2", K._d, 1)         # v2* - b c: v2*'s part in c^perp
_v2 = _p2 + b * _c
#: The setting's named inner products: the Gram entries of v1*, v2*, c, those of p_2, the inverse (p_2^T p_2)^{-1},
#: <c, .>, <v1*, .>, <v2*, .> at the family's delta and at the lifted point, and <c, .>, <v2*, .>, <p_2, .> at x, a
#: delta of the meaning (preserving c, normalised gain s_2 on v2*).
#: Upper case: the checker's lex order eliminates them before a, b, rho, so that sqrt((1 - a^2)(1 - b^2)) reduces to
#: n_1 n_2.
IP = {k: sp.Symbol(k.upper(), real=True) for k in ("v11", "v22", "v12", "cv1", "cv2", "cc", "p2p2", "p2c", "v1p2",
                                                   "ipp", "cd", "v1d", "v2d", "ce", "cd_t", "v1d_t", "v2d_t", "cx",
                                                   "v2x", "p2x")}


@functools.cache
def pair_setting() -> K.Capabilities:
    """MaxNormalisedPairGain's setting as MaxSafetyAtTarget's with the capability p_2 = v2* - b c, the target
    (s_2 / n_2) p_2 and the direction u_1 = (v1* - a c) / n_1; its facts tie the objective and the constraints to
    those of the meaning and s, ||delta_C*||^2, ||u_1||^2, ||P_{u_2} u_1||^2 to s_2 cos(theta), s_2^2, 1 and
    cos^2(theta)."""
    x_, e, t_ = K._x, K._e, K._t
    P = _p2 * (_p2.T * _p2).I * _p2.T
    target, u1 = s2 / n2 * _p2, (_v1 - a * _c) / n1
    delta, lifted = target + (x_ - P * x_), target + t_ * (e - P * e)
    ip = IP
    facts = tuple(K.matrix_fact(*f) for f in (
        ("v2-unit", ip["v22"], ip["p2p2"] + 2 * b * ip["p2c"] + b**2 * ip["cc"],
         "||v2*||^2 = ||p_2||^2 + 2b <p_2, c> + b^2 ||c||^2"),
        ("v2-capability", ip["cv2"], ip["p2c"] + b * ip["cc"], "<c, v2*> = <c, p_2> + b ||c||^2"),
        ("v1-v2", ip["v12"], ip["v1p2"] + b * ip["cv1"], "<v1*, v2*> = <v1*, p_2> + b <v1*, c>"),
        ("objective", ip["v1d"], n1 * IP_K["gain"] + a * ip["cd"],
         "<v1*, delta> = n_1 <u_1, delta> + a <c, delta>: the normalised gain on v1* of a delta preserving c is "
         "<u_1, delta>"),
        ("constraint", n2 * ip["v2d"], s2 * ip["p2p2"] + n2 * b * ip["cd"],
         "<v2*, delta> = <p_2, delta> + b <c, delta> = (s_2 / n_2) ||p_2||^2 + b <c, delta> (w orthogonal to p_2)"),
        ("lift-preserves", n2 * ip["cd_t"], s2 * ip["p2c"] + n2 * t_ * ip["ce"],
         "<c, s_2 u_2 + t e_1> = (s_2 / n_2) <c, p_2> + t <c, e_1>"),
        ("lift-objective-v1", ip["v1d_t"], n1 * IP_K["gain_t"] + a * ip["cd_t"],
         "<v1*, s_2 u_2 + t e_1> = n_1 <u_1, s_2 u_2 + t e_1> + a <c, s_2 u_2 + t e_1>"),
        ("direction-unit", n1**2 * IP_K["vv"], ip["v11"] - 2 * a * ip["cv1"] + a**2 * ip["cc"],
         "||u_1||^2 = (||v1*||^2 - 2a <c, v1*> + a^2 ||c||^2) / n_1^2"),
        ("target-gain", n1 * n2 * K.s, s2 * (ip["v1p2"] - a * ip["p2c"]),
         "s = <u_1, (s_2 / n_2) p_2> = s_2 (<v1*, p_2> - a <c, p_2>) / (n_1 n_2)"),
        ("target-norm", n2**2 * IP_K["rr"], s2**2 * ip["p2p2"], "||(s_2 / n_2) p_2||^2 = s_2^2 ||p_2||^2 / n_2^2"),
        ("tax-rate", n1**2 * IP_K["pp"], (ip["v1p2"] - a * ip["p2c"])**2 * ip["ipp"],
         "||P_{u_2} u_1||^2 = <u_1, p_2>^2 (p_2^T p_2)^{-1}"),
        ("lift-constraint", n2 * ip["v2d_t"], s2 * ip["p2p2"] + n2 * b * ip["cd_t"],
         "<v2*, s_2 u_2 + t e_1> = (s_2 / n_2) ||p_2||^2 + b <c, s_2 u_2 + t e_1> (e_1 orthogonal to p_2)"),
        ("meaning-v2", ip["v2x"], ip["p2x"] + b * ip["cx"], "<v2*, x> = <p_2, x> + b <c, x>")))
    links = (
        Step("meaning-objective", ip["v1d"], n1 * IP_K["gain"],
             "<v1*, delta> = n_1 <u_1, delta> for a delta preserving c: the meaning's normalised gain on v1* is the "
             "objective <u_1, delta>", start=Start.HYPOTHESIS),
        Step("meaning-constraint", ip["v2d"], n2 * s2,
             "<v2*, delta> = n_2 s_2: every delta of the family has normalised gain s_2 on v2*",
             start=Start.HYPOTHESIS),
        Step("meaning-in-family", n2 * ip["ipp"] * ip["p2x"], s2,
             "a delta x of the meaning has <p_2, x> = <v2*, x> - b <c, x> = n_2 s_2, so P_{u_2} x = "
             "p_2 (p_2^T p_2)^{-1} <p_2, x> = s_2 u_2 = delta_C*: x is the family's delta at x",
             start=Start.HYPOTHESIS),
        Step("lift-preserves-c", ip["cd_t"], sp.Integer(0), "<c, s_2 u_2 + t e_1> = 0: the lifted point preserves c",
             start=Start.HYPOTHESIS),
        Step("lift-meaning-objective", ip["v1d_t"], n1 * IP_K["gain_t"],
             "<v1*, s_2 u_2 + t e_1> = n_1 <u_1, s_2 u_2 + t e_1>", start=Start.HYPOTHESIS),
        Step("lift-meaning-constraint", ip["v2d_t"], n2 * s2,
             "<v2*, s_2 u_2 + t e_1> = n_2 s_2: the lifted point has normalised gain s_2 on v2*",
             start=Start.HYPOTHESIS))
    names = ((ip["v11"], _v1.T * _v1), (ip["v22"], _v2.T * _v2), (ip["v12"], _v1.T * _v2), (ip["cv1"], _c.T * _v1),
             (ip["cv2"], _c.T * _v2), (ip["cc"], _c.T * _c), (ip["p2p2"], _p2.T * _p2), (ip["p2c"], _p2.T * _c),
             (ip["v1p2"], _v1.T * _p2), (ip["ipp"], (_p2.T * _p2).I), (ip["cd"], _c.T * delta),
             (ip["v1d"], _v1.T * delta), (ip["v2d"], _v2.T * delta), (ip["ce"], _c.T * (e - P * e)),
             (ip["cd_t"], _c.T * lifted), (ip["v1d_t"], _v1.T * lifted), (ip["v2d_t"], _v2.T * lifted),
             (ip["cx"], _c.T * x_), (ip["v2x"], _v2.T * x_), (ip["p2x"], _p2.T * x_))
    cos_ = projected_cos(rho, a, b)
    relations = (ip["v11"] - 1, ip["v22"] - 1, ip["cc"] - 1, ip["v12"] - rho, ip["cv1"] - a, ip["cv2"] - b,
                 n1**2 + a**2 - 1, n2**2 + b**2 - 1, ip["ipp"] * n2**2 - 1, IP_K["vv"] - 1, ip["cd"], ip["ce"],
                 IP_K["ee"] - 1, K.B - 1, ip["cx"], ip["v2x"] - n2 * s2)
    zero, one = sp.Integer(0), sp.Integer(1)
    example = ((K._d, sp.Integer(3)), (rho, zero), (a, zero), (b, zero), (s2, zero), (n1, one), (n2, one), (K.B, one),
               (t_, zero), (K.s, zero),
               *((ip[k], one) for k in ("v11", "v22", "cc", "p2p2", "ipp")),
               *((ip[k], zero) for k in ("v12", "cv1", "cv2", "p2c", "v1p2", "cd", "v1d", "v2d", "ce", "cd_t",
                                         "v1d_t", "v2d_t", "cx", "v2x", "p2x")),
               *((IP_K[k], one) for k in ("vv", "nn", "ee", "h")),
               *((IP_K[k], zero) for k in ("pp", "rr", "g", "ww", "gain", "dd", "gain_t", "dd_t")))
    return K.Capabilities(
        claim="thm-6.1.reduction", title="Theorem 6.1: the problem in R^d has the value of its coordinates' (q, z)",
        assumptions=("v1*, v2*, c unit in R^d, d >= 3, with <v1*, v2*> = rho, <c, v1*> = a, <c, v2*> = b, |a|, |b| < 1,"
                     " realisable; n_i = sqrt(1 - a_i^2); v2* = p_2 + b c",
                     "(p_2^T p_2)^{-1} = 1 / n_2^2 (derived by hand)",
                     "u_1 = (v1* - a c) / n_1, unit (derived by hand: the fact direction-unit gives n_1^2 ||u_1||^2 = "
                     "n_1^2, n_1 > 0)",
                     "x a delta of the meaning: <c, x> = 0, <v2*, x> / n_2 = s_2; delta = delta_C* + (x - P_{u_2} x), "
                     "which is x (meaning-in-family), with <c, delta> = 0 and ||delta||^2 <= 1 (budget B' = 1)",
                     "e_1 orthogonal to p_2 and c, unit, <u_1, e_1> = sin(theta) = sqrt(1 - cos^2(theta))"),
        C=_p2, target=target, facts=facts, names=names, relations=relations, links=links,
        domain=(sp.Lt(2, K._d), sp.Lt(-1, a), sp.Lt(a, 1), sp.Lt(-1, b), sp.Lt(b, 1),
                sp.Ge((1 - a**2) * (1 - b**2) - (rho - a * b)**2, 0)),
        lifted=sp.sqrt(1 - cos_**2), example=example, direction=u1,
        through=(sp.Eq(K.s, s2 * cos_), sp.Eq(IP_K["nn"], 1 - cos_**2)))


@functools.cache
def reduction(variables: tuple[sp.Symbol, sp.Symbol], objective: sp.Expr, constraint: sp.Basic) -> Derivation:
    """MaxNormalisedPairGain's problem in R^d, d >= 3, has the value of its problem in the coordinates (q, z):
    ``objective`` over ``constraint`` (handed in by paper_checks, the problem as its definition states it, ProjectedCos
    unfolded).  It is the single capability's reduction in c^perp (``pair_setting``): every feasible delta maps to the
    feasible (||w||, 0) with no smaller objective, and (q, 0) lifts to s_2 u_2 + q e_1 with the same objective; the
    maximum is attained at z = 0 (``derive.safety_pair.effective_angle``), so the d-dimensional maximum reaches it."""
    return K.reduce_to_coordinates(pair_setting(), variables, objective, constraint)


# Cor 6.3's setting: the unit projections u1 = e1 and u2 = cos(theta) e1 + sin(theta) e2, e2 a unit vector orthogonal
# to u1 (u2 - cos(theta) u1 normalised, or any such vector when sin(theta) = 0, in dimension d >= 2).
_u1, _e2 = sp.MatrixSymbol("u_1", K._d, 1), sp.MatrixSymbol("e_2", K._d, 1)
_p, _q = sp.symbols("p q", real=True)          # the lifted point p e1 + q e2 of the coordinates' point (p, q, 0)
#: The equal-gain setting's named inner products: the Gram entries of u1, e2; <u1, .>, <e2, .>, <u2, .> and the
#: squared norm at the feasible delta; the squared norm of its part w orthogonal to u1 and e2; and <u1, .>, <u2, .>
#: and the squared norm at the lifted point.
EQ = {k: sp.Symbol(k.upper(), real=True) for k in ("uu", "ee", "ue", "gx", "gy", "g2", "dd", "ww", "gx_t", "g2_t",
                                                   "dd_t")}


@functools.cache
def equal_gain_reduction(theta: sp.Symbol, variables: tuple[sp.Symbol, sp.Symbol, sp.Symbol], objective: sp.Expr,
                         constraints: tuple[sp.Basic, sp.Basic]) -> Derivation:
    """MaxEqualGain's problem in R^d, d >= 2, has the value of its problem in the coordinates (x, y, z): ``objective``
    over ``constraints`` (the equal gains, then the budget; handed in by paper_checks, the problem as its definition
    states it).

    A delta with equal normalised gains <u1, delta> = <u2, delta> within the budget maps to (x, y, z) = (<u1, delta>,
    <e2, delta>, ||w||), w = delta - x u1 - y e2: its gain on u2 is x cos(theta) + y sin(theta), so the point has equal
    gains, and ||delta||^2 = x^2 + y^2 + ||w||^2, so it is within the budget, with the objective x = <u1, delta> (at
    most the objective there, were it written otherwise).  The point (p, q, 0) lifts to p u1 + q e2, with gains p and
    p cos(theta) + q sin(theta) and squared norm p^2 + q^2: feasible exactly when (p, q, 0) is, with objective p."""
    x_, y_, z_ = variables
    equal, budget = constraints
    d, ww = K._x, EQ["ww"]
    u2 = sp.cos(theta) * _u1 + sp.sin(theta) * _e2
    w = d - _u1 * (_u1.T * d) - _e2 * (_e2.T * d)
    lifted = _p * _u1 + _q * _e2
    ip = EQ
    image, lift = {x_: ip["gx"], y_: ip["gy"], z_: sp.sqrt(ww)}, {x_: _p, y_: _q, z_: 0}
    at, fact = K.at_point, K.matrix_fact
    steps = [
        fact("gain-2", ip["g2"], sp.cos(theta) * ip["gx"] + sp.sin(theta) * ip["gy"],
             "<u2, delta> = cos(theta) <u1, delta> + sin(theta) <e2, delta>"),
        fact("pythagoras", ww, ip["dd"] - 2 * ip["gx"]**2 - 2 * ip["gy"]**2 + ip["gx"]**2 * ip["uu"]
             + ip["gy"]**2 * ip["ee"] + 2 * ip["gx"] * ip["gy"] * ip["ue"],
             "||w||^2 = ||delta||^2 - 2x^2 - 2y^2 + x^2 ||u1||^2 + y^2 ||e2||^2 + 2xy <u1, e2>"),
        fact("ww-nonnegative", sp.Integer(0), ww, "||w||^2 >= 0", Op.LE, w),
        fact("lift-gain", ip["gx_t"], _p * ip["uu"] + _q * ip["ue"], "<u1, p u1 + q e2> = p ||u1||^2 + q <u1, e2>"),
        fact("lift-gain-2", ip["g2_t"], sp.cos(theta) * (_p * ip["uu"] + _q * ip["ue"])
             + sp.sin(theta) * (_p * ip["ue"] + _q * ip["ee"]),
             "<u2, p u1 + q e2> = cos(theta) <u1, p u1 + q e2> + sin(theta) <e2, p u1 + q e2>"),
        fact("lift-norm", ip["dd_t"], _p**2 * ip["uu"] + 2 * _p * _q * ip["ue"] + _q**2 * ip["ee"],
             "||p u1 + q e2||^2 = p^2 ||u1||^2 + 2pq <u1, e2> + q^2 ||e2||^2"),
        Step("lift-objective", ip["gx_t"], at(objective, lift), "<u1, p u1 + q e2> = p is the objective at (p, q, 0)",
             start=Start.HYPOTHESIS),
        Step("lift-equal-gains", ip["g2_t"] - ip["gx_t"], at(equal.lhs - equal.rhs, lift),
             "<u2, .> - <u1, .> at p u1 + q e2 is the equal gains' lhs - rhs at (p, q, 0): the lifted point has equal "
             "gains exactly when (p, q, 0) does", start=Start.HYPOTHESIS),
        Step("lift-budget", ip["dd_t"] - 1, at(budget.lhs - budget.rhs, lift),
             "||p u1 + q e2||^2 - 1 is the budget's lhs - rhs at (p, q, 0): the lifted point is within the budget "
             "exactly when (p, q, 0) is", start=Start.HYPOTHESIS),
        Step("image-equal-gains", at(equal.lhs, image), at(equal.rhs, image),
             "(<u1, delta>, <e2, delta>, ||w||) has equal gains: x cos(theta) + y sin(theta) = <u2, delta> = "
             "<u1, delta> = x", start=Start.HYPOTHESIS),
    ]
    if not same(ip["gx"], at(objective, image)):
        # The objective written otherwise than as x: the d-dimensional gain is at most its value at the image.
        steps.append(Step("image-objective", ip["gx"], at(objective, image),
                          "<u1, delta> is at most the objective at (<u1, delta>, <e2, delta>, ||w||)", Op.LE,
                          start=Start.HYPOTHESIS))
    result = Step("image-budget", at(budget.lhs, image), at(budget.rhs, image),
                  "(<u1, delta>, <e2, delta>, ||w||) is within the budget: x^2 + y^2 + ||w||^2 = ||delta||^2 <= 1",
                  Op.LE, start=Start.HYPOTHESIS)
    names = ((ip["uu"], _u1.T * _u1), (ip["ee"], _e2.T * _e2), (ip["ue"], _u1.T * _e2), (ip["gx"], _u1.T * d),
             (ip["gy"], _e2.T * d), (ip["g2"], u2.T * d), (ip["dd"], d.T * d), (ip["ww"], w.T * w),
             (ip["gx_t"], _u1.T * lifted), (ip["g2_t"], u2.T * lifted), (ip["dd_t"], lifted.T * lifted))
    example = ((K._d, sp.Integer(2)), (theta, sp.Integer(0)), (_p, sp.Integer(0)), (_q, sp.Integer(0)),
               *((ip[k], sp.Integer(1)) for k in ("uu", "ee")),
               *((ip[k], sp.Integer(0)) for k in ("ue", "gx", "gy", "g2", "dd", "ww", "gx_t", "g2_t", "dd_t")))
    return Derivation(
        "cor-6.3.reduction", "Corollary 6.3: the problem in R^d has the value of its coordinates' (x, y, z)",
        ("u1, u2 unit in R^d, d >= 2, at angle theta in [0, pi]; e2 unit, orthogonal to u1, with u2 = cos(theta) u1 + "
         "sin(theta) e2", "delta with equal normalised gains <u1, delta> = <u2, delta>, ||delta||^2 <= 1 (budget 1)"),
        tuple(steps), result, relations=(ip["uu"] - 1, ip["ee"] - 1, ip["ue"], ip["g2"] - ip["gx"]),
        domain=(sp.Lt(1, K._d), sp.Le(ip["dd"], 1)), names=names, example=example, closed_angles=(theta,))

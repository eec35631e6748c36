"""Maximum safety at a fixed capability target: Thm 4.3, Cor 4.4, Cor 4.7, eq. (19) of Section 7.1.

Problem (Thm 4.3): maximise ``<v*, delta>`` subject to ``P_C delta = delta_C*`` and ``||delta|| <= B``, for a unit
``v*``, a subspace ``C`` of R^d and ``delta_C*`` in ``C``.

Coordinates.  Split R^d = C + C^perp.  The constraint fixes the C-part of delta to delta_C*; the free part
delta_perp lies in C^perp.  Rotate C^perp so that P_{C^perp} v* = n e_1 with n = ||P_{C^perp} v*|| >= 0, and write
delta_perp = y1 e_1 + R e_2 (R e_2 collects the rest of delta_perp; one more coordinate changes nothing below).
With s = <v*, delta_C*> and r = ||delta_C*||:

    <v*, delta> = s + n y1,    ||delta||^2 = r^2 + y1^2 + R^2    (C and C^perp are orthogonal).

By Pythagoras n^2 + tau = ||v*||^2 = 1 with tau = ||P_C v*||^2, so n is the non-negative root ``perp_norm()``
(solved by SymPy).  These coordinates lose no generality for any d > m >= 1: ``reduction`` proves it from
dimension-free matrices (every feasible delta maps to the feasible point (||delta_perp||, 0) with no smaller
objective, by Cauchy-Schwarz and Pythagoras, and (t, 0) lifts to the feasible delta_C* + t e_1), through
``reduce_to_coordinates``, which Thm 4.1's problem shares as the case of one unit capability (derive/frontier.py).

The maximum ``max_value()`` is found from the KKT system (SymPy's root with a positive multiplier) and proved by
``fixed_capability()``: it is attained at a feasible point, and a witness of known sign bounds every feasible
delta, for every n >= 0 and every r <= B (tau = 1 and a target that spends the whole budget included).  The
claims' chains cite that derivation and end in their statements' relations, which paper_checks hands in
(``target``): no formula of the paper is typed here.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from derive.core import Derivation, Op, Optimum, Rule, Solution, Start, Step
from derive.expressions import same

__all__ = ["s", "r", "n", "tau", "B", "y1", "R", "max_value", "perp_norm", "max_safety_at_target",
           "fixed_capability", "tax_free", "maximum", "maximum_tax_free", "small_tax", "negative_tax", "subsidy",
           "null_space_update", "null_space_capability_change", "perp_norm_from_definition", "reduction",
           "Capabilities", "at_point", "matrix_fact", "reduce_to_coordinates"]

s = sp.Symbol("s", real=True)                 # <v*, delta_C*>
r = sp.Symbol("r", nonnegative=True)          # ||delta_C*||
n = sp.Symbol("n", positive=True)             # ||P_{C^perp} v*|| in the KKT solve (n > 0 there); proofs use perp_norm()
tau = sp.Symbol("tau", nonnegative=True)      # ||P_C v*||^2
B = sp.Symbol("B", positive=True)
y1 = sp.Symbol("y1", real=True)               # delta_perp along P_{C^perp} v*
R = sp.Symbol("R", real=True)                 # the rest of delta_perp
mu = sp.Symbol("mu", real=True)               # multiplier of the budget
slack = sp.Symbol("s_B", nonnegative=True)    # B^2 - ||delta||^2 for a feasible delta

_ASSUMPTIONS = ("v* unit; C a subspace of R^d of dimension m; delta_C* in C with ||delta_C*|| = r <= B",
                "tau = ||P_C v*||^2 in [0, 1] (tau = 1: v* in C); any d > m >= 1")
# The statement's domain: tau in [0, 1] and a feasible target r <= B (tau, r >= 0 and B > 0 are the symbols').
_DOMAIN = (sp.Le(tau, 1), sp.Le(r, B))


@functools.cache
def perp_norm() -> sp.Expr:
    """||P_{C^perp} v*|| in terms of tau = ||P_C v*||^2, for unit v*: the non-negative root of Pythagoras'
    n^2 + tau = ||v*||^2 = 1 (solved by SymPy, not typed)."""
    roots = sp.solve(sp.Eq(n**2 + tau, 1), n)
    (root,) = [x for x in roots if x.subs(tau, sp.Rational(1, 2)).is_positive]
    return root


@functools.cache
def perp_norm_from_definition(quantity: sp.FunctionClass) -> Derivation:
    """``quantity(tau) = perp_norm()``: ||P_{C^perp} v*|| for unit v* with ||P_C v*||^2 = tau in [0, 1], from its
    definition.  Dimension-free, Pythagoras ||v*||^2 = ||P_C v*||^2 + ||v* - P_C v*||^2 (C of full column rank); so
    the norm is the nonnegative unknown solving n^2 + tau - 1 = 0 (rule SOLUTION, at the point SymPy's root gives,
    which the checker verifies)."""
    d, m = sp.Symbol("d", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
    C, v = sp.MatrixSymbol("C", d, m), sp.MatrixSymbol("v", d, 1)
    P = C * (C.T * C).I * C.T
    norm = sp.Symbol("n_perp", nonnegative=True)          # ||P_{C^perp} v*||: a norm, so the nonnegative root
    pythagoras = Step("pythagoras", v.T * v, (P * v).T * (P * v) + (v - P * v).T * (v - P * v),
                      "||v*||^2 = ||P_C v*||^2 + ||P_{C^perp} v*||^2 (P_C an orthogonal projection)",
                      start=Start.DEFINITION)
    result = Step("closed-form", quantity(tau), perp_norm(),
                  "with ||v*|| = 1 and ||P_C v*||^2 = tau the norm n >= 0 solves n^2 + tau - 1 = 0",
                  by=Rule.SOLUTION, using=Solution((norm,), (norm**2 + tau - 1,), norm, (perp_norm(),)),
                  start=Start.DEFINITION)
    return Derivation(str(quantity), "||P_{C^perp} v*|| from its definition: Pythagoras for a unit v*", (
        "v* unit; C of full column rank", "tau = ||P_C v*||^2 in [0, 1]"), (pythagoras,), result,
                      invertible=(C.T * C,), domain=(sp.Le(m, d), sp.Le(tau, 1)))


@functools.cache
def _kkt() -> tuple[sp.Expr, sp.Expr]:
    """The maximiser (y1*, R*) of s + n y1 over y1^2 + R^2 <= B^2 - r^2: SymPy's KKT root whose multiplier is
    positive.  SymPy writes y1* with sqrt(1/(B - r)); the root is tidied to the non-negative square root of its
    square, and the derivation checks the tidied point itself (attained, feasible), so the rewrite needs no trust."""
    lagrangian = s + n * y1 - mu * (y1**2 + R**2 - (B**2 - r**2))
    equations = [sp.diff(lagrangian, y1), sp.diff(lagrangian, R), y1**2 + R**2 - (B**2 - r**2)]
    roots = sp.solve(equations, [y1, R, mu], dict=True)
    probe = {n: sp.Rational(1, 2), r: sp.Rational(1, 3), B: 1}
    best = [x for x in roots if x[mu].subs(probe) > 0]
    if len(best) != 1:
        raise RuntimeError(f"expected one KKT root with mu > 0, found {len(best)} of {len(roots)}")
    y_star, r_star = best[0][y1], best[0][R]
    # The root is positive (its multiplier is): y1* = sqrt(y1*^2), with the square simplified.
    return sp.sqrt(sp.expand(sp.simplify(y_star**2))), r_star


def max_value() -> sp.Expr:
    """The derived maximum s + n y1* in the coordinates (n = ||P_{C^perp} v*||)."""
    return s + n * _kkt()[0]


@functools.cache
def max_safety_at_target() -> sp.Expr:
    """max <v*, delta> s.t. P_C delta = delta_C*, ||delta|| <= B, in (s, r, tau, B): ``max_value`` with
    n = ``perp_norm()``.  ``fixed_capability`` proves it for every tau in [0, 1] and r <= B."""
    return max_value().subs(n, perp_norm())


@functools.cache
def fixed_capability() -> Derivation:
    """Thm 4.3's maximality: the closed form ``max_safety_at_target`` is attained at a feasible point and bounds
    <v*, delta> for every feasible delta.  Its final segment: for every (y1, R) with r^2 + y1^2 + R^2 <= B^2,
    s + n y1 <= the closed form (n = perp_norm()), with no division, so tau = 1 (n = 0) and r = B are covered."""
    k = perp_norm()
    y_star, r_star = _kkt()
    value = max_safety_at_target()
    objective = s + k * y1
    steps = (
        Step("attained", sp.Subs(objective, (y1, R), (y_star, r_star)), value,
             "the KKT point delta* = delta_C* + y1* e_1 (y1* = SymPy's root, R* = 0) attains the closed form",
             start=Start.DEFINITION),
        # As built, unevaluated: the content is that y1* is real (its radicand is an obligation) and spends B.
        Step("feasible", r**2 + sp.Pow(y_star, 2, evaluate=False) + r_star**2, B**2,
             "delta* is feasible: ||delta*||^2 = r^2 + y1*^2 = B^2 (it spends the whole budget)",
             start=Start.DEFINITION),
    )
    # Every feasible delta: n (y1* - y1) >= 0 because y1 <= |y1| <= sqrt(B^2 - r^2 - R^2 - s_B) <= y1* and n >= 0.
    result = Step("upper-bound", objective, value,
                  "for every feasible delta (P_C delta = delta_C*, ||delta||^2 = r^2 + y1^2 + R^2 = B^2 - s_B,"
                  " s_B >= 0): <v*, delta> = s + n y1 <= s + n y1*, the witness n (y1* - y1) being >= 0",
                  # expanded, so that the checker merges sqrt(1 - tau) sqrt(B^2 - r^2) in the witness as in the sides
                  Op.LE, witness=sp.expand(k * (y_star - y1)), start=Start.HYPOTHESIS)
    return Derivation("thm-4.3.maximality", "Theorem 4.3: the closed form is attained and bounds every feasible delta",
                      _ASSUMPTIONS, steps, result,
                      relations=(slack - (B**2 - r**2 - y1**2 - R**2),),
                      domain=(*_DOMAIN, sp.Le(r**2 + y1**2 + R**2, B**2)), bound=(y1, R))


# ---------------------------------------------------------------------------------------------
# The reduction: the problem in R^d has the value of its two coordinates' problem

_d, _m = sp.Symbol("d", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
_C = sp.MatrixSymbol("C", _d, _m)          # the capabilities' directions, full column rank
_v = sp.MatrixSymbol("v", _d, 1)           # v*
_a = sp.MatrixSymbol("a", _m, 1)           # delta_C* = C a: the target lies in C
_x = sp.MatrixSymbol("x", _d, 1)           # delta = C a + (x - P_C x), x = delta: every delta with P_C delta = delta_C*
_e = sp.MatrixSymbol("e", _d, 1)           # e_1 = e - P_C e in C^perp: the free part's direction along P_{C^perp} v*
_t = sp.Symbol("t", real=True)             # y_1 of the lifted point delta_C* + t e_1
#: The named inner products (besides the problem's parameter s): what the reduction's scalar steps are about
#: (vc, cc and icc name <v*, c>, ||c||^2 and its inverse for a single capability c).
IP = {k: sp.Symbol(k, real=True)
      for k in ("pp", "rr", "vv", "nn", "g", "ww", "gain", "dd", "ee", "h", "gain_t", "dd_t", "vc", "cc", "icc")}


@dataclass(frozen=True)
class Capabilities:
    """What a reduction from R^d to two coordinates is about, besides what every such reduction shares: the claim and
    its words, the capabilities' matrix ``C`` (full column rank) and the target ``delta_C*`` in C, the setting's own
    matrix ``facts`` and ``names``, the ``relations`` and ``domain`` its hypotheses give, ``lifted`` = <v*, e_1> (the
    gain per unit of the lifted direction, a hypothesis on e_1), an ``example`` point and its ``closed_angles``; and
    the objective's ``direction`` v* (a d x 1 matrix expression: the symbol v, or a combination of the setting's
    vectors); the equations ``through`` which the bound s + sqrt(nn) ||w|| becomes the problem's objective, each
    a name = its value in the setting's parameters (none where the names are the parameters); and the scalar steps
    that ``links`` the meaning's objective and constraints to <v*, delta> and P_C delta = delta_C* (none where they
    are the meaning's own)."""

    claim: str
    title: str
    assumptions: tuple[str, ...]
    C: sp.MatrixExpr
    target: sp.MatrixExpr
    facts: tuple[Step, ...]
    names: tuple[tuple[sp.Symbol, sp.Basic], ...]
    relations: tuple[sp.Expr, ...]
    domain: tuple[sp.Basic, ...]
    lifted: sp.Expr
    example: tuple[tuple[sp.Symbol, sp.Expr], ...]
    closed_angles: tuple[sp.Symbol, ...] = ()
    direction: sp.MatrixExpr = _v
    through: tuple[sp.Equality, ...] = ()
    links: tuple[Step, ...] = ()

    @property
    def projection(self) -> sp.MatrixExpr:
        """P_C = C (C^T C)^{-1} C^T."""
        return self.C * (self.C.T * self.C).I * self.C.T


def _reduction_names(where: Capabilities) -> tuple[tuple[sp.Symbol, sp.Basic], ...]:
    """Each name and the inner product it names: s = <v*, delta_C*>, pp = ||P_C v*||^2 (= tau), rr = ||delta_C*||^2,
    vv = ||v*||^2, nn = ||P_{C^perp} v*||^2, g = <P_{C^perp} v*, w>, ww = ||w||^2 (w = x - P_C x, the free part),
    gain = <v*, delta>, dd = ||delta||^2, ee = ||e_1||^2, h = <v*, e_1>, and gain_t, dd_t those of delta_C* + t e_1;
    then the setting's own names."""
    P, target, v = where.projection, where.target, where.direction
    u, w, e1 = v - P * v, _x - P * _x, _e - P * _e
    delta, lifted = target + w, target + _t * e1
    return ((s, v.T * target), (IP["pp"], (P * v).T * (P * v)), (IP["rr"], target.T * target), (IP["vv"], v.T * v),
            (IP["nn"], u.T * u), (IP["g"], u.T * w), (IP["ww"], w.T * w), (IP["gain"], v.T * delta),
            (IP["dd"], delta.T * delta), (IP["ee"], e1.T * e1), (IP["h"], v.T * e1), (IP["gain_t"], v.T * lifted),
            (IP["dd_t"], lifted.T * lifted), *where.names)


def at_point(e: sp.Basic, point: dict[sp.Symbol, sp.Expr]) -> sp.Basic:
    """``e`` at the coordinates' ``point`` (simultaneous substitution: a coordinate's value may name another)."""
    return sp.sympify(e).subs(point, simultaneous=True)


def matrix_fact(name: str, lhs, rhs, why: str, op: Op = Op.EQ, witness=None) -> Step:
    """A fact the matrices give: an identity (rule MATRIX), or with a witness u an inequality rhs - lhs = u^T u."""
    return Step(name, lhs, rhs, why, op, witness=witness, by=Rule.MATRIX if witness is None else Rule.SQUARED_NORM,
                start=Start.DEFINITION)


def _reduction_matrix_steps(where: Capabilities) -> tuple[Step, ...]:
    """The facts the matrices give: the feasible set, Pythagoras, the tax rate's complement, Cauchy-Schwarz; then the
    setting's own."""
    P, target, v = where.projection, where.target, where.direction
    u, w, e1 = v - P * v, _x - P * _x, _e - P * _e
    rr, vv, nn, g, ww = (IP[k] for k in ("rr", "vv", "nn", "g", "ww"))
    fact = matrix_fact
    return (
        fact("feasible-set", P * (target + w), target, "every delta = delta_C* + (x - P_C x) has P_C delta = "
             "delta_C* (delta_C* in C); and every delta with P_C delta = delta_C* is one, with x = delta"),
        fact("split", _x, sp.MatAdd(P * _x, w, evaluate=False),
             "x = P_C x + (x - P_C x): a delta with P_C delta = delta_C* is delta_C* + w"),
        fact("gain", IP["gain"], s + g, "<v*, delta> = <v*, delta_C*> + <P_{C^perp} v*, w> (w in C^perp)"),
        fact("pythagoras", IP["dd"], rr + ww, "||delta||^2 = ||delta_C*||^2 + ||w||^2 (C and C^perp orthogonal)"),
        fact("unit", vv, IP["pp"] + nn, "||v*||^2 = ||P_C v*||^2 + ||P_{C^perp} v*||^2"),
        fact("tau-nonnegative", sp.Integer(0), IP["pp"], "tau = ||P_C v*||^2 >= 0", Op.LE, P * v),
        fact("nn-nonnegative", sp.Integer(0), nn, "||P_{C^perp} v*||^2 >= 0", Op.LE, u),
        fact("ww-nonnegative", sp.Integer(0), ww, "||w||^2 >= 0", Op.LE, w),
        fact("cs-along-v", g**2 * nn, nn**2 * ww, "nn (nn ww - g^2) = ||nn w - g P_{C^perp} v*||^2", Op.LE,
             nn * w - g * u),
        fact("cs-along-w", g**2 * ww, ww**2 * nn, "ww (nn ww - g^2) = ||ww P_{C^perp} v*  - g w||^2", Op.LE,
             ww * u - g * w),
        fact("cs-sum", -2 * g, nn + ww, "||P_{C^perp} v* + w||^2 >= 0", Op.LE, u + w),
        fact("cs-difference", 2 * g, nn + ww, "||P_{C^perp} v* - w||^2 >= 0", Op.LE, u - w),
        fact("lift-feasible", P * (target + _t * e1), target, "delta_C* + t e_1 has P_C delta = delta_C* (e_1 in "
             "C^perp)"),
        *where.facts,
    )


def reduce_to_coordinates(where: Capabilities, variables: tuple[sp.Symbol, sp.Symbol], objective: sp.Expr,
                          constraint: sp.Basic) -> Derivation:
    """A problem max <v*, delta> s.t. P_C delta = delta_C*, ||delta|| <= B in R^d (``where``) has the value of its
    problem in two coordinates (y_1, y_rest): ``objective`` over ``constraint`` (handed in by paper_checks, the
    problem as its definition states it).

    The matrices (``_reduction_matrix_steps``): every feasible delta is delta_C* + w with w = x - P_C x in C^perp;
    <v*, delta> = s + g with g = <P_{C^perp} v*, w>; ||delta||^2 = ||delta_C*||^2 + ||w||^2; ||P_{C^perp} v*||^2 =
    1 - ||P_C v*||^2 for unit v*; and Cauchy-Schwarz g^2 <= nn ww from four squared norms (nn (nn ww - g^2),
    ww (nn ww - g^2) and nn +- 2g + ww are each one; together they give it where nn or ww vanishes too).  Then:

    * every feasible delta maps to the feasible point (y_1, y_rest) = (||w||, 0), with <v*, delta> at most the
      objective there (upper bound: the d-dimensional value is at most the two-variable one);
    * the two-variable point (t, 0) lifts to delta_C* + t e_1, e_1 a unit vector in C^perp with <v*, e_1> =
      ||P_{C^perp} v*|| (P_{C^perp} v* normalised, or any unit vector of C^perp when it is 0; d > m), which is feasible
      exactly when (t, 0) is and has <v*, delta> = the objective at (t, 0)."""
    y1_, y_rest = variables
    rr, nn, g, ww = (IP[k_] for k_ in ("rr", "nn", "g", "ww"))
    image, lift = {y1_: sp.sqrt(ww), y_rest: 0}, {y1_: _t, y_rest: 0}
    steps = (*_reduction_matrix_steps(where),
             Step("lift-gain", IP["gain_t"], s + _t * IP["h"], "<v*, delta_C* + t e_1> = s + t <v*, e_1>",
                  by=Rule.MATRIX, start=Start.DEFINITION),
             Step("lift-norm", IP["dd_t"], rr + _t**2 * IP["ee"],
                  "||delta_C* + t e_1||^2 = ||delta_C*||^2 + t^2 ||e_1||^2", by=Rule.MATRIX, start=Start.DEFINITION),
             Step("cauchy-schwarz", g**2, nn * ww, "g^2 <= nn ww from the four squared norms (z3 and cvc5 combine "
                  "them)", Op.LE, start=Start.HYPOTHESIS),
             Step("lift-objective", s + _t * IP["h"], at_point(objective, lift),
                  f"<v*, e_1> = ||P_{{C^perp}} v*|| = {where.lifted}: <v*, delta_C* + t e_1> is the objective at "
                  "(t, 0)",
                  by=Rule.SUBSTITUTE, using=sp.Eq(IP["h"], where.lifted), start=Start.HYPOTHESIS),
             Step("lift-budget", rr + _t**2 * IP["ee"] - B**2, at_point(constraint.lhs - constraint.rhs, lift),
                  "||e_1|| = 1: ||delta_C* + t e_1||^2 - B^2 is the constraint's lhs - rhs at (t, 0), so the lifted "
                  "point is feasible exactly when (t, 0) is", start=Start.HYPOTHESIS),
             Step("image-feasible", at_point(constraint.lhs, image), at_point(constraint.rhs, image),
                  "(||w||, 0) is feasible: ||delta_C*||^2 + ||w||^2 = ||delta||^2 <= B^2", Op.LE,
                  start=Start.HYPOTHESIS))
    *steps, result = (*steps, *where.links, *_bound_steps(where, at_point(objective, image)))
    return Derivation(where.claim, where.title, where.assumptions, steps, result, relations=where.relations,
                      domain=(*where.domain, sp.Le(IP["dd"], B**2), sp.Eq(IP["h"], where.lifted)),
                      invertible=(where.C.T * where.C,), names=_reduction_names(where), example=where.example,
                      closed_angles=where.closed_angles)


def _bound_steps(where: Capabilities, value: sp.Expr) -> tuple[Step, ...]:
    """The upper bound <v*, delta> <= ``value``, the objective at (||w||, 0).  Where the setting's names are its
    parameters, one step; else each equation ``through`` proved, the bound in the names, and the equations substituted
    in turn (a solver decides the bound in few names, not in the setting's parameters and radicals)."""
    nn, ww = IP["nn"], IP["ww"]
    if not where.through:
        return (Step("upper-bound", IP["gain"], value,
                     f"<v*, delta> = s + g <= s + sqrt(nn) sqrt(ww) = s + ||P_{{C^perp}} v*|| ||w||, the objective at "
                     f"(||w||, 0) (Cauchy-Schwarz, ||P_{{C^perp}} v*|| = {where.lifted})", Op.LE,
                     start=Start.HYPOTHESIS),)
    proved = tuple(Step(f"value-of-{eq.lhs}", eq.lhs, eq.rhs, f"{eq.lhs} in the setting's parameters",
                        start=Start.HYPOTHESIS) for eq in where.through)
    bound = s + sp.sqrt(nn) * sp.sqrt(ww)
    steps = [*proved, Step("bound-in-names", IP["gain"], bound,
                           "<v*, delta> = s + g <= s + sqrt(nn) sqrt(ww) (Cauchy-Schwarz: g^2 <= nn ww)", Op.LE,
                           start=Start.HYPOTHESIS)]
    for k, eq in enumerate(where.through):
        bound = bound.subs(eq.lhs, eq.rhs)
        last = k == len(where.through) - 1
        steps.append(Step("upper-bound" if last else f"bound-with-{eq.lhs}", steps[-1].rhs, value if last else bound,
                          f"{eq.lhs} = {eq.rhs}" + (": the objective at (||w||, 0)" if last else ""),
                          by=Rule.SUBSTITUTE, using=eq))
    return tuple(steps)


#: Thm 4.3's setting: C with m < d columns, delta_C* = C a, the parameters s, r, tau; a point of the hypotheses and of
#: the facts the matrices give: v* orthogonal to C (tau = 0), delta_C* = 0, delta = 0, e_1 = v*, in R^2 with m = 1.
_FIXED_CAPABILITY = Capabilities(
    claim="thm-4.3.reduction", title="Theorem 4.3: the problem in R^d has the value of its two coordinates'",
    assumptions=("v* unit; C of full column rank with m < d columns; delta_C* = C a in C with ||delta_C*|| = r",
                 "delta feasible: P_C delta = delta_C*, ||delta||^2 <= B^2",
                 "e_1 in C^perp, unit, <v*, e_1> = ||P_{C^perp} v*||"),
    C=_C, target=_C * _a, facts=(), names=(), relations=(IP["vv"] - 1, IP["rr"] - r**2, tau - IP["pp"], IP["ee"] - 1),
    domain=(sp.Lt(_m, _d), sp.Le(tau, 1)), lifted=sp.sqrt(IP["nn"]),
    example=tuple((x, sp.Integer(v)) for x, v in (
        (_d, 2), (_m, 1), (s, 0), (r, 0), (tau, 0), (B, 1), (_t, 0), (IP["pp"], 0), (IP["rr"], 0), (IP["vv"], 1),
        (IP["nn"], 1), (IP["g"], 0), (IP["ww"], 0), (IP["gain"], 0), (IP["dd"], 0), (IP["ee"], 1), (IP["h"], 1),
        (IP["gain_t"], 0), (IP["dd_t"], 0))))


@functools.cache
def reduction(variables: tuple[sp.Symbol, sp.Symbol], objective: sp.Expr, constraint: sp.Basic) -> Derivation:
    """MaxSafetyAtTarget's problem in R^d has the value of its problem in two coordinates (y_1, y_rest), for every
    d > m >= 1 (``reduce_to_coordinates``, with ||delta_C*|| = r, ||P_C v*||^2 = tau and <v*, e_1> = sqrt(nn)); the
    two-variable maximum is attained at y_rest = 0 (``fixed_capability``), so the d-dimensional maximum reaches it."""
    return reduce_to_coordinates(_FIXED_CAPABILITY, variables, objective, constraint)


def _optimum_step(name: str, quantity: sp.Basic, lemma, at: dict[sp.Symbol, sp.Expr], feasible: sp.Basic,
                  reverse: bool = False, start: Start | None = Start.DEFINITION) -> Step:
    """``quantity = value`` (``value = quantity`` with ``reverse``) by Rule.OPTIMUM: ``lemma`` bounds <v*, delta> by the
    closed form over the feasible set (premise ``feasible``), and the KKT point attains it; ``at`` fixes (s, r)."""
    value = max_safety_at_target().subs(at, simultaneous=True)
    point = tuple(x.subs(at, simultaneous=True) for x in _kkt())
    opt = Optimum((y1, R), s.subs(at) + perp_norm() * y1, (feasible,), point)
    lhs, rhs = (value, quantity) if reverse else (quantity, value)
    return Step(name, lhs, rhs,
                f"the maximum: {lemma().claim} bounds <v*, delta> by the closed form over the feasible set, and the KKT"
                " point delta* = delta_C* + y1* e_1 is feasible and attains it", by=Rule.OPTIMUM, cites=lemma,
                using=opt, start=start)


_FEASIBLE = sp.Le(r**2 + y1**2 + R**2, B**2)


def _value_chain(claim: str, title: str, target: sp.Basic, lemma, at: dict[sp.Symbol, sp.Expr],
                 feasible: sp.Basic) -> Derivation:
    """``target`` is ``F(args) = E`` (F the optimum, every other defined quantity unfolded): Rule.OPTIMUM takes F's
    value from the cited upper bound ``lemma`` (its premise ``feasible``) and the KKT point, which attains it; a
    last step, when E is written otherwise, rewrites the derived value into E."""
    value = max_safety_at_target().subs(at, simultaneous=True)
    first = _optimum_step("maximum", target.lhs, lemma, at, feasible)
    if same(value, target.rhs):
        steps, result = (), first
    else:
        steps, result = (first,), Step("as-stated", value, target.rhs, "the derived maximum, written as stated")
    domain = tuple(c for c in (sp.Le(tau, 1), sp.Le(r, B).subs(at)) if c is not sp.true)
    return Derivation(claim, title, _ASSUMPTIONS, steps, result, domain=domain)


@functools.cache
def maximum(target: sp.Basic) -> Derivation:
    """Thm 4.3, eq. (4): the maximum's value, from the definition (Rule.OPTIMUM citing ``fixed_capability``)."""
    return _value_chain("thm-4.3", "Theorem 4.3: the value of the maximum", target, fixed_capability, {}, _FEASIBLE)


@functools.cache
def maximum_tax_free(target: sp.Basic) -> Derivation:
    """Cor 4.4 and eq. (19): the maximum's value at delta_C* = 0 (Rule.OPTIMUM citing ``tax_free``)."""
    return _value_chain("cor-4.4", "Corollary 4.4 / eq. (19): the value of the maximum at delta_C* = 0", target,
                        tax_free, {s: 0, r: 0}, _FEASIBLE_PERP)


def _maximality(at: dict[sp.Symbol, sp.Expr] | None = None) -> Step:
    """The cited maximality of ``fixed_capability`` (under the substitution ``at``): the chain's link from the
    definition of the optimum to its closed form."""
    at = at or {}
    lemma = fixed_capability().result
    return Step("maximality", lemma.lhs.subs(at, simultaneous=True), lemma.rhs.subs(at, simultaneous=True),
                "cites Thm 4.3's maximality: every feasible delta has <v*, delta> <= the closed form, which delta*"
                " attains" + (f" (at {', '.join(f'{k} = {v}' for k, v in at.items())})" if at else ""),
                Op.LE, by=Rule.CITE, cites=fixed_capability, using=at, start=Start.LEMMA)


def _parts(target: sp.Basic) -> tuple[sp.Basic | None, sp.Basic]:
    """(premise or None, relation) of a statement's conclusion; ``>``/``>=`` read as ``<``/``<=`` reversed."""
    premise, rel = target.args if isinstance(target, sp.Implies) else (None, target)
    if isinstance(rel, (sp.Gt, sp.Ge)):
        rel = rel.reversed
    return premise, rel


_FEASIBLE_PERP = sp.Le(y1**2 + R**2, B**2)     # the free part at delta_C* = 0


@functools.cache
def tax_free() -> Derivation:
    """Cor 4.4 and eq. (19): the maximum at delta_C* = 0 is Thm 4.3's closed form at s = r = 0 (cited)."""
    zero = {s: 0, r: 0}
    value = max_safety_at_target().subs(zero)
    y_star, r_star = (x.subs(zero) for x in _kkt())
    steps = (
        Step("attained", sp.Subs(perp_norm() * y1, (y1, R), (y_star, r_star)), value,
             "delta_C* = 0: delta* = y1* e_1 in C^perp attains the closed form at s = r = 0", start=Start.DEFINITION),
    )
    result = _maximality(zero)
    return Derivation("cor-4.4.maximality", "Corollary 4.4 / eq. (19): at delta_C* = 0 the closed form is attained"
                      " and bounds every feasible delta", _ASSUMPTIONS, steps, result,
                      relations=(slack - (B**2 - y1**2 - R**2),), domain=(sp.Le(tau, 1), _FEASIBLE_PERP),
                      bound=(y1, R))


@functools.cache
def small_tax(target: sp.Basic) -> Derivation:
    """Cor 4.4's gloss: the budget the tax takes, B - (the maximum at delta_C* = 0), is at most the bound of ``target``
    (the statement's relation, the optimum kept): the maximum's value by Rule.OPTIMUM, substituted, rationalised to
    B tau/(1 + sqrt(1 - tau)) and bounded."""
    _, rel = _parts(target)
    zero = {s: 0, r: 0}
    (quantity,) = rel.lhs.atoms(sp.core.function.AppliedUndef)
    k = perp_norm()
    maximum = _optimum_step("maximum-at-0", quantity, tax_free, zero, _FEASIBLE_PERP)
    taken = rel.lhs.subs(quantity, maximum.rhs)
    # (B - B k)(1 + k) = B (1 - k^2) = B tau: SymPy expands the numerator, so the form is computed, not typed.
    rationalised = sp.expand(taken * (1 + k)) / (1 + k)
    steps = (maximum,
             Step("budget-taken", rel.lhs, taken, "the maximum's value in the budget the tax takes", by=Rule.SUBSTITUTE,
                  using=sp.Eq(quantity, maximum.rhs), start=Start.HYPOTHESIS),
             Step("rationalise", taken, rationalised, "times (1 + sqrt(1 - tau))/(1 + sqrt(1 - tau))"))
    result = Step("at-most", rationalised, rel.rhs,
                  "1 + sqrt(1 - tau) >= 1: the rationalised form is at most the bound", Op.LE)
    return Derivation("cor-4.4.small-tau", "Corollary 4.4: the budget the tax takes vanishes with tau",
                      _ASSUMPTIONS, steps, result, domain=(sp.Le(tau, 1),))


@functools.cache
def negative_tax(target: sp.Basic) -> Derivation:
    """Cor 4.7, eq. (7): the residual budget's share is below the maximum, whose value (Rule.OPTIMUM) exceeds it by
    exactly s = <v*, delta_C*>, which the premise makes positive.  ``target`` is the statement's implication, the
    optimum kept."""
    premise, rel = _parts(target)
    value = max_safety_at_target()
    steps = (Step("eq-7", rel.lhs, value, "the closed form minus the residual budget's share is s = <v*, delta_C*> > 0",
                  Op.LT, witness=s, start=Start.HYPOTHESIS),)
    result = _optimum_step("maximum", rel.rhs, fixed_capability, {}, _FEASIBLE, reverse=True, start=None)
    return Derivation("cor-4.7", "Corollary 4.7: negative tax", _ASSUMPTIONS, steps, result,
                      domain=(*_DOMAIN, premise), bound=(s,))


@functools.cache
def subsidy(target: sp.Basic) -> Derivation:
    """Cor 4.7's gloss: the maximum at delta_C* exceeds the maximum at delta_C* = 0 when <v*, delta_C*> is large enough:
    both values by Rule.OPTIMUM, and their difference has the sign the premise gives it (z3 and cvc5 decide it)."""
    premise, rel = _parts(target)
    zero = {s: 0, r: 0}
    steps = (_optimum_step("maximum-at-0", rel.lhs, tax_free, zero, _FEASIBLE_PERP, start=Start.HYPOTHESIS),
             Step("subsidy", max_safety_at_target().subs(zero), max_safety_at_target(),
                  "the closed form at delta_C* minus the one at 0 is positive exactly under the premise", Op.LT))
    result = _optimum_step("maximum", rel.rhs, fixed_capability, {}, _FEASIBLE, reverse=True, start=None)
    return Derivation("cor-4.7.subsidy", "Corollary 4.7: capability improvement subsidises safety", _ASSUMPTIONS,
                      steps, result, domain=(*_DOMAIN, premise), bound=(s,))


@functools.cache
def null_space_update() -> Derivation:
    """Section 7.1 corrected: an update in C^perp changes no capability, whatever tau."""
    d_, m_ = sp.Symbol("d", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
    C = sp.MatrixSymbol("C", d_, m_)
    w = sp.MatrixSymbol("w", d_, 1)
    P = C * (C.T * C).I * C.T
    steps = (
        Step("null-space", C.T * (w - P * w), sp.ZeroMatrix(m_, 1),
             "C^T (w - P_C w) = C^T w - C^T C (C^T C)^{-1} C^T w = 0: NSPO's delta leaves every capability unchanged"),
    )
    result = Step("tau-free", (C.T * (w - P * w)).T * (C.T * (w - P * w)), sp.ZeroMatrix(1, 1), start=Start.DEFINITION,
                  rule="the capability change is 0 independently of tau; tau enters only the safety gain")
    return Derivation("sec-7.1.equivalence", "Section 7.1: null-space updates and the tax rate",
                      ("C of full column rank",), steps, result, invertible=(C.T * C,), domain=(sp.Le(m_, d_),))


@functools.cache
def null_space_capability_change() -> sp.Expr:
    """The largest |<c, delta>| over delta in C^perp: C^T (w - P_C w) computed for a general capability
    column c in R^3 and a general w (the step ``null-space`` of ``null_space_update``, in coordinates),
    cancelled as a rational function by SymPy; it is 0 identically, whatever v* and tau."""
    c = sp.Matrix(sp.symbols("c1:4", real=True))
    w = sp.Matrix(sp.symbols("w1:4", real=True))
    change = c.T * (w - c * (c.T * c).inv() * c.T * w)
    return sp.cancel(change[0, 0])

"""Formal statements of the single-capability frontier: Thm 4.1 and the claims read from it (Rem 4.2, the
ellipse of the abstract and Section 11, Section 7.3's model averaging).

Reduction to scalars (no loss of generality).  Every quantity depends on ``v*, c`` only through the angle
``alpha = arccos <v*, c>``: components of ``delta`` orthogonal to ``span(v*, c)`` change neither gain and only
spend budget (Thm 4.1's proof), and a rotation maps any pair of unit vectors at angle ``alpha`` to any other.
So a statement's variables are ``alpha in [0, pi]`` (every angle the paper's ``arccos`` gives), the budget
``B > 0`` and signed capability changes.  The dimension ``d`` enters only Thm 4.1's tightness clause, whose
statement carries it as an integer variable ``d >= 1`` (the paper's ``v*, c in S^(d-1)`` allows d = 1, where
S^0 = {-1, 1} and alpha is 0 or pi).

Sign convention: a capability change ``Delta_C = <c, delta>`` is signed (negative: capability lost); the safety
gain is ``Delta_S = <v*, delta>``.  "Pareto-efficient" means: no attainable point has at least as much of both
and strictly more of one.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from paper_checks.definitions import Problem, define, on_the_lifted_line
from paper_checks.statement import Statement, Variable

alpha = sp.Symbol("alpha", real=True)
alpha2 = sp.Symbol("alpha'", real=True)
B = sp.Symbol("B", positive=True)
Delta_C = sp.Symbol("Delta_C", real=True)
Delta_C2 = sp.Symbol("Delta_C'", real=True)
lam = sp.Symbol("lambda", real=True)
x, y = sp.symbols("x y", real=True)
d = sp.Symbol("d", integer=True, positive=True)
cos_alpha = sp.Symbol("cos_alpha", real=True)   # cos(alpha): the angle by its cosine

ALPHA = Variable(alpha, sp.Interval(0, sp.pi), note="angle between v* and c, arccos <v*, c> (every angle in [0, pi])")
ALPHA2 = Variable(alpha2, sp.Interval(0, sp.pi), note="a second angle between v* and c")
BUDGET = Variable(B, sp.Interval.open(0, sp.oo), note="perturbation budget")
DELTA_C = Variable(Delta_C, sp.Interval(-sp.oo, sp.oo), note="signed capability change <c, delta>")
DELTA_C2 = Variable(Delta_C2, sp.Interval(-sp.oo, sp.oo), note="a second signed capability change")
COS_ALPHA = Variable(cos_alpha, sp.Interval(-1, 1),
                     note="cos(alpha) = <v*, c>: the angle by its cosine, so that both ends alpha = 0 and alpha = pi "
                          "are the exact points cos_alpha = 1 and -1 (alpha = pi is no rational number)")
LAMBDA = Variable(lam, sp.Interval.open(0, 1), note="a weight strictly between 0 and 1")
DIM = Variable(d, sp.Interval(1, sp.oo), integer=True, note="dimension of the representation space")
X = Variable(x, sp.Interval(-sp.oo, sp.oo), note="<v*, delta>: component of delta along v*")
Y = Variable(y, sp.Interval(-sp.oo, sp.oo),
             note="component of delta along the unit normal w of v* in span(v*, c), <c, w> = sin(alpha); the rest of "
                  "delta changes neither gain, so setting it to 0 loses no generality")

IN_RANGE = sp.Le(sp.Abs(Delta_C), B)      # |Delta_C| <= B: eq. (3)'s stated range


_T, _Z = sp.Symbol("t", real=True), sp.Symbol("z", real=True)


def _max_safety_gain_problem(a: sp.Expr, b: sp.Expr, dc: sp.Expr) -> Problem:
    """Thm 4.1's problem in coordinates: a delta with <c, delta> = Delta_C is Delta_C c + t w + z e, w a unit vector
    orthogonal to c in the plane of v* and c (any such one when alpha is 0 or pi) and e orthogonal to both, so
    <v*, delta> = Delta_C cos(alpha) + t sin(alpha) and ||delta||^2 = Delta_C^2 + t^2 + z^2 (z = 0 when d = 2).  That
    these coordinates lose nothing is the derivation ``_max_safety_gain_reduction``, on which every chain taking the
    maximum rests."""
    return Problem((_T, _Z), dc * sp.cos(a) + _T * sp.sin(a), (sp.Le(dc**2 + _T**2 + _Z**2, b**2),))


def _max_safety_gain_reduction() -> Any:
    """The derivation that ``_max_safety_gain_problem`` has the value of the problem in R^d, d >= 2: every feasible
    delta maps to a feasible (t, z) with no smaller objective, and (t, 0) lifts to a feasible delta with the same
    objective (derive/frontier.py, ``reduction``: MaxSafetyAtTarget's reduction with one capability)."""
    from derive import frontier as F
    problem = _max_safety_gain_problem(alpha, B, Delta_C)
    (constraint,) = problem.constraints
    return F.reduction(problem.variables, problem.objective, constraint)


@define("MaxSafetyGain", "max <v*, delta> subject to <c, delta> = Delta_C and ||delta|| <= B, for unit v*, c "
        "with <v*, c> = cos(alpha), in any dimension d >= 2", "derive.frontier.frontier_value", 3,
        problem=_max_safety_gain_problem, reduction=_max_safety_gain_reduction, lifts=on_the_lifted_line)
def _max_safety_gain(a: sp.Expr, b: sp.Expr, dc: sp.Expr) -> sp.Expr:
    from derive import frontier as F
    return F.frontier_value().subs({F.alpha: a, F.B: b, F.Delta_C: dc}, simultaneous=True)


MaxSafetyGain = _max_safety_gain


@define("LargestMaximiserNorm", "the largest ||delta*|| over maximisers delta* of <v*, delta> subject to "
        "<c, delta> = Delta_C and ||delta|| <= B, for unit v*, c in R^d with <v*, c> = cos(alpha)",
        "derive.frontier.largest_maximiser_norm", 4)
def _largest_maximiser_norm(a: sp.Expr, b: sp.Expr, dc: sp.Expr, dim: sp.Expr) -> sp.Expr:
    from derive import frontier as F
    return F.largest_maximiser_norm().subs({F.B: b, F.Delta_C: dc, F.d_dim: dim}, simultaneous=True)


LargestMaximiserNorm = _largest_maximiser_norm


@define("FrontierSweep", "the angle swept around the origin (the centre of the attainable ellipse) by the curve "
        "Delta_C -> (Delta_C, MaxSafetyGain(alpha, B, Delta_C)) from Delta_C = lo to Delta_C = B",
        "derive.frontier.frontier_sweep", 3)
def _frontier_sweep(a: sp.Expr, b: sp.Expr, lo: sp.Expr) -> sp.Expr:
    from derive import frontier as F
    lo_ = sp.Dummy("lo")
    return F.frontier_sweep(lo_).subs({F.alpha: a, F.B: b, lo_: lo}, simultaneous=True)


FrontierSweep = _frontier_sweep


@define("SemiAxisAlongSum", "the semi-axis of the attainable set {(<c, delta>, <v*, delta>) : ||delta|| <= B} along "
        "(1, 1)/sqrt 2 (its support function there; the set is an ellipse centred at the origin)",
        "derive.frontier.squared_semi_axes", 2)
def _semi_axis_sum(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    from derive import frontier as F
    return sp.sqrt(F.squared_semi_axes()[0]).subs({F.alpha: a, F.B: b}, simultaneous=True)


@define("SemiAxisAlongDifference", "the semi-axis of the attainable set {(<c, delta>, <v*, delta>) : ||delta|| <= B} "
        "along (1, -1)/sqrt 2", "derive.frontier.squared_semi_axes", 2)
def _semi_axis_difference(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    from derive import frontier as F
    return sp.sqrt(F.squared_semi_axes()[1]).subs({F.alpha: a, F.B: b}, simultaneous=True)


SemiAxisAlongSum, SemiAxisAlongDifference = _semi_axis_sum, _semi_axis_difference


@define("ParetoLowerEnd", "the smallest capability change of a Pareto-efficient point of the attainable set "
        "{(<c, delta>, <v*, delta>) : ||delta|| <= B} (no attainable point has more of one gain and no less of the "
        "other), "
        "for unit v*, c with <v*, c> = cos(alpha): the Pareto frontier is MaxSafetyGain over "
        "ParetoLowerEnd <= Delta_C <= B (paper_checks.glossary, 'Pareto frontier')",
        "derive.frontier.pareto_efficient_part", 2)
def _pareto_lower_end(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    # pareto_efficient_part's result: the efficient arc starts at the unconstrained optimum Delta_C = B cos(alpha).
    from derive import frontier as F
    return (F.B * sp.cos(F.alpha)).subs({F.alpha: a, F.B: b}, simultaneous=True)


ParetoLowerEnd = _pareto_lower_end


def dominated(a: sp.Expr, b: sp.Expr, capability: sp.Expr, safety: sp.Expr) -> sp.Basic:
    """An attainable point (capability, safety) is not on the Pareto frontier (glossary, 'Pareto frontier'): it lies
    below the maximum at its capability change, or left of the efficient arc: ``safety < max(MaxSafetyGain(capability),
    safety + ParetoLowerEnd - capability)``, which holds exactly when one of the two does."""
    return sp.Lt(safety, sp.Max(MaxSafetyGain(a, b, capability), safety + ParetoLowerEnd(a, b) - capability))


def eq3(dc: sp.Expr, a: sp.Expr = alpha) -> sp.Expr:
    """Eq. (3) as printed, at capability change ``dc`` and angle ``a``: the right side every frontier statement
    reads."""
    return dc * sp.cos(a) + sp.sin(a) * sp.sqrt(B**2 - dc**2)


_F = MaxSafetyGain

STATEMENTS: dict[str, Statement] = {
    # Thm 4.1, eq. (3): the value of the maximum.  It holds in every dimension: in d = 1 (alpha in {0, pi}) the
    # only feasible point gives Delta_C cos(alpha), which is eq. (3) with sin(alpha) = 0.
    "thm-4.1": Statement(
        (ALPHA, BUDGET, DELTA_C), (IN_RANGE,),
        sp.Eq(_F(alpha, B, Delta_C), eq3(Delta_C)),
        words="max <v*, delta> s.t. <c, delta> = Delta_C, ||delta|| <= B equals eq. (3) for |Delta_C| <= B"),
    # "This frontier is tight: for each Delta_C in [-B, B], there exists delta* with ||delta*|| = B achieving
    # equality": some maximiser spends the whole budget, i.e. the largest norm of a maximiser is B.
    "thm-4.1.tight": Statement(
        (ALPHA, BUDGET, DELTA_C, DIM),
        (IN_RANGE,
         # v*, c in S^(d-1): in d = 1 they are +-1, so alpha is 0 or pi (sin(alpha) = 0)
         sp.Eq(sp.sin(alpha) * sp.Max(0, 2 - d), 0)),
        sp.Eq(LargestMaximiserNorm(alpha, B, Delta_C, d), B),
        words="for each Delta_C in [-B, B] a maximiser delta* has ||delta*|| = B"),
    # "The Pareto frontier ... is (3), |Delta_C| <= B": every point (Delta_C, eq. (3)) is Pareto-efficient, i.e.
    # no attainable point with more capability (Delta_C' > Delta_C) reaches the same safety.
    "thm-4.1.pareto": Statement(
        (ALPHA, BUDGET, DELTA_C, DELTA_C2), (IN_RANGE, sp.Le(sp.Abs(Delta_C2), B)),
        sp.Implies(sp.Lt(Delta_C, Delta_C2), sp.Lt(_F(alpha, B, Delta_C2), eq3(Delta_C))),
        words="every point (Delta_C, eq. (3)) with |Delta_C| <= B is Pareto-efficient"),
    # "an elliptic Pareto frontier": the Pareto frontier (the efficient arc, glossary) is a genuine (non-degenerate)
    # ellipse arc, not a segment; read as strict (midpoint) concavity: the chord's midpoint lies strictly below the
    # curve (for a continuous curve this is strict concavity).  The angle enters by its cosine cos_alpha: the
    # statement is the same over alpha in [0, pi], and the failure at alpha = pi becomes certifiable at cos_alpha = -1
    # (alpha = pi is no rational number).
    "ellipse": Statement(
        (COS_ALPHA, BUDGET, DELTA_C, DELTA_C2),
        (IN_RANGE, sp.Le(sp.Abs(Delta_C2), B), sp.Le(ParetoLowerEnd(sp.acos(cos_alpha), B), Delta_C)),
        sp.Implies(sp.Lt(Delta_C, Delta_C2),
                   sp.Lt((_F(sp.acos(cos_alpha), B, Delta_C) + _F(sp.acos(cos_alpha), B, Delta_C2)) / 2,
                         _F(sp.acos(cos_alpha), B, (Delta_C + Delta_C2) / 2))),
        words="the Pareto frontier is a non-degenerate ellipse arc: strictly curved, every chord's midpoint strictly "
              "below it"),
    # The frontier lies on the conic Q = 0 of the paper's proof: (Delta_S - Delta_C cos alpha)^2 =
    # sin^2(alpha) (B^2 - Delta_C^2), whose quadratic part has determinant sin^2(alpha).
    "ellipse.conic": Statement(
        (ALPHA, BUDGET, DELTA_C), (IN_RANGE,),
        sp.Eq((_F(alpha, B, Delta_C) - Delta_C * sp.cos(alpha))**2, sp.sin(alpha)**2 * (B**2 - Delta_C**2)),
        words="the frontier lies on the conic (Delta_S - Delta_C cos alpha)^2 = sin^2(alpha) (B^2 - Delta_C^2)"),
    # "a conic section, which is the same curve that arises from intersecting a sphere with a plane": every plane
    # section of a sphere is a circle, so the frontier's ellipse would have equal semi-axes.
    "ellipse.sphere": Statement(
        (ALPHA, BUDGET), (),
        sp.Eq(SemiAxisAlongSum(alpha, B), SemiAxisAlongDifference(alpha, B)),
        words="the frontier's conic is a plane section of a sphere: a circle, equal semi-axes"),
    # Rem 4.2: "When alpha = 0: Delta_S = Delta_C (linear tradeoff)."
    "rem-4.2": Statement(
        (ALPHA, BUDGET, DELTA_C), (sp.Eq(alpha, 0), IN_RANGE),
        sp.Eq(_F(alpha, B, Delta_C), Delta_C),
        words="alpha = 0: Delta_S = Delta_C"),
    # Rem 4.2: "When alpha = pi/2: Delta_S = sqrt(B^2 - Delta_C^2)".
    "rem-4.2.orthogonal": Statement(
        (ALPHA, BUDGET, DELTA_C), (sp.Eq(alpha, sp.pi / 2), IN_RANGE),
        sp.Eq(_F(alpha, B, Delta_C), sp.sqrt(B**2 - Delta_C**2)),
        words="alpha = pi/2: Delta_S = sqrt(B^2 - Delta_C^2)"),
    # Rem 4.2: "(quarter circle ...)": at alpha = pi/2 the Pareto frontier (the efficient arc, glossary) sweeps a
    # quarter turn around the circle's centre.
    "rem-4.2.quarter": Statement(
        (ALPHA, BUDGET), (sp.Eq(alpha, sp.pi / 2),),
        sp.Eq(FrontierSweep(alpha, B, ParetoLowerEnd(alpha, B)), sp.pi / 2),
        words="alpha = pi/2: the Pareto frontier (Delta_C from B cos(alpha) = 0 to B) is a quarter circle "
              "(sweeps pi/2)"),
    # Rem 4.2: "The frontier continuously interpolates between these extremes": continuous in alpha, uniformly in
    # Delta_C, read with the explicit modulus |dF/dalpha| <= B (B is the best constant).
    "rem-4.2.continuity": Statement(
        (ALPHA, ALPHA2, BUDGET, DELTA_C), (IN_RANGE,),
        sp.Le(sp.Abs(_F(alpha, B, Delta_C) - _F(alpha2, B, Delta_C)), B * sp.Abs(alpha - alpha2)),
        words="the frontier depends continuously on alpha: |F_alpha - F_alpha'| <= B |alpha - alpha'|"),
    # Sec 7.3: "Model averaging traces a straight line inscribed in the curved frontier, which is good but not
    # Pareto-optimal": for every attainable delta and weight lambda in (0, 1), the averaged point lambda delta is
    # dominated (glossary, 'Pareto frontier'): below the maximum at its capability change, or left of the efficient
    # arc.  The angle enters by its cosine, as in "ellipse", so that alpha = pi is an exact point (cos_alpha = -1).
    "sec-7.3": Statement(
        (COS_ALPHA, BUDGET, X, Y, LAMBDA), (sp.Le(x**2 + y**2, B**2),),
        dominated(sp.acos(cos_alpha), B, lam * (x * cos_alpha + y * sp.sqrt(1 - cos_alpha**2)), lam * x),
        words="every averaged point lambda delta, 0 < lambda < 1, is dominated: not Pareto-optimal"),
}


def _with(s: Statement, *, variables: tuple[Variable, ...] | None = None, extra: tuple[sp.Basic, ...] = (),
          words: str = "") -> Statement:
    """``s`` with some variables' domains replaced and hypotheses added: a corrected statement."""
    return Statement(variables or s.variables, s.hypotheses + extra, s.conclusion, words=words)


CORRECTIONS: dict[str, tuple[Statement, ...]] = {
    "thm-4.1.tight": (
        _with(STATEMENTS["thm-4.1.tight"],
              variables=(ALPHA, BUDGET, DELTA_C, Variable(d, sp.Interval(2, sp.oo), integer=True,
                                                          note="dimension, at least 2")),
              words="tight for d >= 2: some direction orthogonal to c takes up the unused budget; in d = 1 the only "
                    "feasible delta is Delta_C c, of norm |Delta_C| (eq. (3) still gives the maximum)"),),
    "thm-4.1.pareto": (
        _with(STATEMENTS["thm-4.1.pareto"], extra=(sp.Le(ParetoLowerEnd(alpha, B), Delta_C),),
              words="the Pareto frontier is eq. (3) for B cos(alpha) <= Delta_C <= B only; for Delta_C < B cos(alpha) "
                    "eq. (3) is the maximum safety gain at that capability change, but the point is dominated"),),
    "ellipse": (
        _with(STATEMENTS["ellipse"],
              variables=(Variable(cos_alpha, sp.Interval.open(-1, 1),
                                  note="cos(alpha), alpha strictly between 0 and pi"), BUDGET, DELTA_C, DELTA_C2),
              words="an ellipse arc for 0 < alpha < pi; at alpha = pi the Pareto frontier is the segment "
                    "Delta_S = -Delta_C (a degenerate conic), at alpha = 0 the single point (B, B)"),),
    "ellipse.sphere": (
        _with(STATEMENTS["ellipse.sphere"], extra=(sp.Eq(alpha, sp.pi / 2),),
              words="the attainable set is an ellipse with semi-axes sqrt(2) B cos(alpha/2) along (1, 1) and "
                    "sqrt(2) B sin(alpha/2) along (1, -1), a plane section of a cylinder or a cone; it is a circle "
                    "(a plane section of a sphere) only at alpha = pi/2"),),
    "sec-7.3": (
        _with(STATEMENTS["sec-7.3"],
              variables=(Variable(cos_alpha, sp.Interval.Lopen(-1, 1), note="cos(alpha), alpha in [0, pi)"),
                         BUDGET, X, Y, LAMBDA),
              words="for 0 <= alpha < pi; at alpha = pi every attainable point is Pareto-optimal (Delta_S = -Delta_C: "
                    "safety is bought with capability one for one), the averaged ones included"),),
}


# --------------------------------------------------------------------------------------------- Section 1
# "When alpha = pi/2 (orthogonal), the tradeoff vanishes and safety can be maximized independently of capability."
# The sentence says what it means by the tradeoff vanishing: the whole budget B goes to safety at no capability
# change (the paper's "zero tax", Def 3.4).  Read so; a reading of "tradeoff" as "the frontier falls in Delta_C"
# would refute the paper at every alpha in (0, pi], against its own words at alpha = 0 ("unavoidable").

SECTION_1: dict[str, Statement] = {
    "sec-1.orthogonal.independent": Statement(
        (ALPHA, BUDGET), (sp.Eq(alpha, sp.pi / 2),), sp.Eq(_F(alpha, B, 0), B),
        words="alpha = pi/2: the maximum safety gain at no capability change is B, the whole budget"),
}

CORRECTIONS_1: dict[str, tuple[Statement, ...]] = {}

STATEMENTS.update(SECTION_1)
CORRECTIONS.update(CORRECTIONS_1)

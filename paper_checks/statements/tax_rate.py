"""Formal statements of the tax rate tau = ||P_C v*||^2: Def 3.4 and its gloss, Cor 4.5, Rem 4.6 and its gloss,
and the model reading of Prediction 1.

Scalar parameters.  The tax rate depends on v* and C only through inner products:

* one capability c (m = 1): ``a = <v*, c>`` in [-1, 1]; every value is realisable (d >= 2);
* two capabilities (m = 2, the smallest number at which capabilities can overlap, which Rem 4.6 is about):
  ``a1 = <v*, c1>``, ``a2 = <v*, c2>``, ``g = <c1, c2>`` with |g| < 1 (C = [c1 | c2] of full rank, as
  (C^T C)^{-1} requires).  (a1, a2, g) is realisable by unit vectors in some R^d (d >= 3) exactly when the
  Gram matrix of (v*, c1, c2) is positive semidefinite: its leading minors 1 and 1 - a1^2 are >= 0 by the
  domains, and its determinant is the hypothesis ``REALISABLE_2``.

The defined quantities ``TaxRate1(a)`` and ``TaxRate2(a1, a2, g)`` are ||P_C v*||^2 itself, computed in
derive/tax_rate.py from an orthonormal (Gram-Schmidt) basis of C, never from a formula of the paper.

Predictions 1-3 are experiments on trained models (statement None, verdict not-checkable); their mathematical
parts are sub-claims: Prediction 1's "Delta_C_i proportional to -tau_i" is ``pred-1.model``; Prediction 2's
O(1/d) decrease and plateau are Prop 5.5 / Cor 5.6 (``prop-5.5``, ``cor-5.6``, random_subspace); Prediction 3
has none (the model has no layers).
"""
from __future__ import annotations

import functools

import sympy as sp

from derive import closed_form as DC
from derive import tax_rate as DT
from derive.core import Derivation
from paper_checks import chains
from paper_checks.definitions import Equations, define
from paper_checks.statement import Quantifier, Statement, Variable

a = sp.Symbol("a", real=True)
a1, a2, g = sp.symbols("a1 a2 g", real=True)
B = sp.Symbol("B", positive=True)
sigma = sp.Symbol("sigma", integer=True)
Delta_C = sp.Symbol("Delta_C", real=True)
y = sp.Symbol("y", real=True)

A = Variable(a, sp.Interval(-1, 1), note="<v*, c_i> for unit v*, c_i (m = 1)")
A1 = Variable(a1, sp.Interval(-1, 1), note="<v*, c1>")
A2 = Variable(a2, sp.Interval(-1, 1), note="<v*, c2>")
G = Variable(g, sp.Interval.open(-1, 1), note="<c1, c2>; |g| < 1: c1, c2 independent (C^T C invertible)")
BUDGET = Variable(B, sp.Interval.open(0, sp.oo), note="perturbation budget, ||delta|| <= B")
SIGMA = Variable(sigma, sp.Interval(-1, 1), integer=True,
                 note="<v*, c> with m = 1: a unit v* in C = span(c) is v* = sigma c, sigma = +-1 (tau = 1 keeps "
                      "exactly these among the integers -1, 0, 1)")
DELTA_C = Variable(Delta_C, sp.Interval(-sp.oo, sp.oo), note="Delta_C = <c, delta>, the capability change")
Y = Variable(y, sp.Interval(-sp.oo, sp.oo),
             note="<u, delta>, u the unit vector of span(v*, c) orthogonal to c (a part of delta orthogonal to "
                  "both meets neither; the budget does not enter signs, as delta may be scaled into it)")

#: det of the Gram matrix of (v*, c1, c2) >= 0: (a1, a2, g) are inner products of unit vectors.
REALISABLE_2 = sp.Ge(1 + 2 * a1 * a2 * g - a1**2 - a2**2 - g**2, 0)


#: The coefficients of P_C v* = sum_k lambda_k c_k on the capabilities.
_LAMBDA = sp.symbols("lambda_1:3", real=True)


def projection_equations(inner: tuple[sp.Expr, ...], gram: tuple[tuple[sp.Expr, ...], ...]) -> Equations:
    """||P_C v||^2 as its definition states it in the Gram entries: P_C v = sum_k lambda_k c_k with the residual
    orthogonal to each c_l (the normal equations <v, c_l> - sum_k <c_k, c_l> lambda_k = 0), and ||P_C v||^2 =
    sum_kl lambda_k lambda_l <c_k, c_l>; ``inner`` = (<v, c_l>), ``gram`` = (<c_k, c_l>)."""
    lam = _LAMBDA[:len(inner)]
    m = range(len(inner))
    return Equations(lam, tuple(inner[l_] - sum(gram[l_][k] * lam[k] for k in m) for l_ in m),
                     sum(lam[k] * lam[l_] * gram[k][l_] for k in m for l_ in m))


def _tax_rate_one_equations(a_: sp.Expr) -> Equations:
    return projection_equations((a_,), ((1,),))


def _tax_rate_two_equations(a1_: sp.Expr, a2_: sp.Expr, g_: sp.Expr) -> Equations:
    return projection_equations((a1_, a2_), ((1, g_), (g_, 1)))


@define("TaxRate1", "||P_C v*||^2 for C = span(c), unit c and v* with <v*, c> = a", "derive.tax_rate.tax_rate_one", 1,
        equations=_tax_rate_one_equations, proof=DT.tax_rate_one_from_definition)
def _tax_rate_one(a_: sp.Expr) -> sp.Expr:
    from derive import tax_rate as T
    return T.tax_rate_one().subs(T.a1, a_)


@define("TaxRate2", "||P_C v*||^2 for C = span(c1, c2), unit c1, c2 with <c1, c2> = g and unit v* with "
        "<v*, c_i> = a_i", "derive.tax_rate.tax_rate_two", 3, equations=_tax_rate_two_equations,
        proof=DT.tax_rate_two_from_definition)
def _tax_rate_two(a1_: sp.Expr, a2_: sp.Expr, g_: sp.Expr) -> sp.Expr:
    from derive import tax_rate as T
    return T.tax_rate_two().subs({T.a1: a1_, T.a2: a2_, T.g: g_}, simultaneous=True)


@define("SafetyGain", "<v*, delta> for unit c, unit v* with <v*, c> = a and delta with <c, delta> = Delta_C and "
        "<u, delta> = y (u: the unit vector of span(v*, c) orthogonal to c)", "derive.tax_rate.safety_gain_in_plane", 3)
def _safety_gain(a_: sp.Expr, dc: sp.Expr, y_: sp.Expr) -> sp.Expr:
    from derive import tax_rate as T
    x_, yy = sp.symbols("x y", real=True)
    return T.safety_gain_in_plane().subs({T.a1: a_, x_: dc, yy: y_}, simultaneous=True)


@define("CapabilityChangeAtMaxSafety", "<c_i, delta*> for delta* = argmax <v*, delta> over ||delta|| <= B (the "
        "safety-maximising update), unit v*, c_i with <v*, c_i> = a", "derive.tax_rate.capability_change_at_max_safety",
        2)
def _capability_change_at_max_safety(a_: sp.Expr, b_: sp.Expr) -> sp.Expr:
    from derive import tax_rate as T
    return T.capability_change_at_max_safety().subs({T.a1: a_, sp.Symbol("B", positive=True): b_},
                                                    simultaneous=True)


TaxRate1, TaxRate2, SafetyGain, CapabilityChangeAtMaxSafety = (_tax_rate_one, _tax_rate_two, _safety_gain,
                                                                _capability_change_at_max_safety)

# Rem 4.6 as printed: (C^T v*)^T (C^T C)^{-1} (C^T v*) with C = [c1 | c2], C^T v* = (a1, a2), C^T C = [[1, g], [g, 1]].
_CTV = sp.Matrix([a1, a2])
_CTC = sp.Matrix([[1, g], [g, 1]])
_GRAM_FORM = sp.cancel((_CTV.T * _CTC.inv() * _CTV)[0, 0])

STATEMENTS = {
    # Eq. (2): tau in [0, 1], written as one relation (tau - 1/2)^2 <= 1/4 (|tau - 1/2| <= 1/2 squared: the
    # chain's checker has no rule for |.|, and the two say the same).
    "def-3.4": Statement(
        (A1, A2, G), (REALISABLE_2,),
        sp.Le((TaxRate2(a1, a2, g) - sp.Rational(1, 2)) ** 2, sp.Rational(1, 4)),
        words="tau = ||P_C v*||^2 lies in [0, 1]"),
    # "When tau = 1, ... any safety gain requires capability loss": m = 1, tau = 1, Delta_S > 0 => -Delta_C > 0.
    "def-3.4.loss": Statement(
        (SIGMA, DELTA_C, Y), (sp.Eq(TaxRate1(sigma), 1),),
        sp.Implies(sp.Gt(SafetyGain(sigma, Delta_C, y), 0), sp.Gt(-Delta_C, 0)),
        words="tau = 1 and Delta_S > 0 imply a capability loss, Delta_C < 0"),
    # Eq. (6).
    "cor-4.5": Statement((A,), (), sp.Eq(TaxRate1(a), a**2)),
    # Rem 4.6's Gram form, two unit capabilities with overlap g.
    "rem-4.6": Statement((A1, A2, G), (REALISABLE_2,), sp.Eq(TaxRate2(a1, a2, g), _GRAM_FORM)),
    # "In general, capabilities may overlap, and the joint tax can be less than the sum of individual taxes", as
    # printed: "can be" is existential, some realisable geometry has tau < tau_1 + tau_2 (tau_i = <v*, c_i>^2, eq. (6)).
    "rem-4.6.additivity": Statement(
        (A1, A2, G), (REALISABLE_2,), sp.Lt(TaxRate2(a1, a2, g), a1**2 + a2**2),
        words="some overlapping capabilities have a joint tax below the sum: tau < tau_1 + tau_2",
        quantifier=Quantifier.EXISTENTIAL),
    # What the words suggest beyond themselves: overlap can only lower the joint tax, tau <= sum_i tau_i always.
    "rem-4.6.subadditive": Statement(
        (A1, A2, G), (REALISABLE_2,), sp.Le(TaxRate2(a1, a2, g), a1**2 + a2**2),
        words="overlap can only lower the joint tax: tau <= tau_1 + tau_2"),
    # "Compare predicted capability degradation Delta_C_i proportional to -tau_i": in the model, the safety-maximising
    # update delta* = B v*; for two capabilities, Delta_C_1 : Delta_C_2 = (-tau_1) : (-tau_2).
    "pred-1.model": Statement(
        (A1, A2, BUDGET), (),
        sp.Eq(CapabilityChangeAtMaxSafety(a1, B) * TaxRate1(a2), CapabilityChangeAtMaxSafety(a2, B) * TaxRate1(a1)),
        words="Delta_C_1 : Delta_C_2 = (-tau_1) : (-tau_2) for the safety-maximising delta* = B v*"),
}

CORRECTIONS: dict[str, tuple[Statement, ...]] = {
    # Overlap moves the joint tax either way, within a factor 1 +- |g| of the sum: since C^T C has eigenvalues
    # 1 +- g, sum_i tau_i = a^T a lies between (1 - |g|) tau and (1 + |g|) tau for tau = a^T (C^T C)^{-1} a.
    "rem-4.6.subadditive": (
        Statement((A1, A2, G), (REALISABLE_2,),
                  sp.Le(sp.Abs(a1**2 + a2**2 - TaxRate2(a1, a2, g)), sp.Abs(g) * TaxRate2(a1, a2, g)),
                  words="(1 - |g|) tau <= tau_1 + tau_2 <= (1 + |g|) tau, g = <c1, c2>: the joint tax can be below "
                        "or above the sum"),),
    # tau = 1: every safety gain changes the capability (Delta_C != 0), in either direction.
    "def-3.4.loss": (
        Statement((SIGMA, DELTA_C, Y), (sp.Eq(TaxRate1(sigma), 1),),
                  sp.Implies(sp.Gt(SafetyGain(sigma, Delta_C, y), 0), sp.Gt(Delta_C**2, 0)),
                  words="tau = 1 and Delta_S > 0 imply Delta_C != 0: the capability changes, in either direction"),),
    # Delta_C_i = B <v*, c_i>: proportional to -sqrt(tau_i) for the capabilities with <v*, c_i> < 0.
    "pred-1.model": (
        Statement((A1, BUDGET), (sp.Le(a1, 0),),
                  sp.Eq(CapabilityChangeAtMaxSafety(a1, B), -B * sp.sqrt(TaxRate1(a1))),
                  words="Delta_C_i = B <v*, c_i>: -B sqrt(tau_i) for capabilities with <v*, c_i> <= 0 (they degrade "
                        "with sqrt(tau_i)), +B sqrt(tau_i) for the others (they improve)"),),
}

#: Formal readings proposed as new sub-claims (no registry row yet, so the audit does not run them; the lead
#: adds the row, and the statement moves to STATEMENTS).
PROPOSED: dict[str, Statement] = {
    # Prediction 1: "the per-task ordering of degradation should match the ordering of tau_i", in the model
    # (delta* = B v*): tau_1 < tau_2 => capability 1 degrades less than capability 2, -Delta_C_1 < -Delta_C_2.
    "pred-1.ordering": Statement(
        (A1, A2, BUDGET), (),
        sp.Implies(sp.Lt(TaxRate1(a1), TaxRate1(a2)),
                   sp.Lt(-CapabilityChangeAtMaxSafety(a1, B), -CapabilityChangeAtMaxSafety(a2, B))),
        words="tau_1 < tau_2 implies capability 1 degrades less: -Delta_C_1 < -Delta_C_2 (delta* = B v*)"),
}

# Registered as sub-claims (paper_checks/registry.py): the proposed readings join the statements.
STATEMENTS.update(PROPOSED)

# Prediction 1's ordering holds among the capabilities that degrade (<v*, c_i> <= 0): there -Delta_C_i = B sqrt(tau_i)
# is increasing in tau_i; a capability with <v*, c_i> > 0 improves, whatever its tau_i.
CORRECTIONS["pred-1.ordering"] = (
    Statement((A1, A2, BUDGET), (sp.Le(a1, 0), sp.Le(a2, 0)),
              sp.Implies(sp.Lt(TaxRate1(a1), TaxRate1(a2)),
                         sp.Lt(-CapabilityChangeAtMaxSafety(a1, B), -CapabilityChangeAtMaxSafety(a2, B))),
              words="among the capabilities that degrade (<v*, c_i> <= 0), tau_1 < tau_2 implies -Delta_C_1 < "
                    "-Delta_C_2; a capability with <v*, c_i> > 0 improves under delta* = B v*, whatever its tau_i"),)


# --------------------------------------------------------------------------------------------- chains
# Derivations that end in the statements' own conclusions (registered beside the dimension-free ones of
# derive/tax_rate.py): each starts from the definition of the quantity the statement names.


def _inputs(claim_id: str) -> tuple[sp.Basic, tuple[sp.Equality, ...], tuple[sp.Basic, ...]]:
    return chains.inputs(STATEMENTS[claim_id])


@functools.cache
def chain_def_3_4() -> Derivation:
    """def-3.4's statement, for every realisable (a1, a2, g): derive.tax_rate.tax_range_chain."""
    return DT.tax_range_chain(*_inputs("def-3.4"))


@functools.cache
def chain_cor_4_5() -> Derivation:
    """cor-4.5's statement: TaxRate1's closed form is <v*, c>^2 as built, so the definition is the whole proof."""
    rel, defs, dom = _inputs("cor-4.5")
    return DC.equation_chain("cor-4.5.statement", "Corollary 4.5 from the definition of TaxRate1", rel, defs, dom)


@functools.cache
def chain_rem_4_6() -> Derivation:
    """rem-4.6's statement: the Gram-Schmidt closed form of TaxRate2 equals the Gram form, for every (a1, a2, g)."""
    rel, defs, dom = _inputs("rem-4.6")
    return DC.equation_chain("rem-4.6.statement", "Remark 4.6 (two capabilities) from the definition of TaxRate2",
                             rel, defs, dom)


# --------------------------------------------------------------------------------------------- Sections 1, 7, 9
# Sentences of the introduction, the connections and the discussion that state signs of capability changes for
# one capability (m = 1, a = <v*, c>, tau = a^2), read under the paper's own definitions and the signed
# convention (a capability loss is Delta_C < 0).

SECTIONS_1_7_9: dict[str, Statement] = {
    # Section 1: "When alpha = 0 (safety and capability are aligned), the tradeoff is linear and unavoidable";
    # Section 9.3, entangled regime (alpha ~ 0, tau ~ 1): "Any safety gain comes at nearly one-to-one capability
    # cost".  Read at the regime's own point alpha = 0 (<v*, c> = 1): every safety gain costs capability.
    "sec-9.3.entangled": Statement(
        (A, DELTA_C, Y), (sp.Eq(a, 1),),
        sp.Implies(sp.Gt(SafetyGain(a, Delta_C, y), 0), sp.Gt(-Delta_C, 0)),
        words="at alpha = 0 (<v*, c> = 1), every safety gain Delta_S > 0 comes with a capability loss, Delta_C < 0"),
    # Section 9.3, tradeoff regime (0 < tau < 1): "The optimal strategy allocates perturbation partly along the
    # capability subspace (accepting some cost) ...".  The safety-optimal update delta* = B v* (the argmax of
    # <v*, delta> over ||delta|| <= B) has a part B P_C v* in C; read: that part costs capability, Delta_C < 0.
    # (Every Pareto-efficient update of Thm 4.1 has Delta_C >= B cos(alpha) too, so the reading does not hang on
    # which optimum is meant.)  Written as an equation: the part along C, of norm B ||P_C v*|| = B sqrt(tau), is paid
    # as capability, <c, delta*> = -B sqrt(tau).  Where tau > 0 this holds exactly when <c, delta*> = B a < 0 (B a =
    # -B |a| iff a < 0), so it says no more than "costs capability", and gives every mutation operator a term.
    "sec-9.3.tradeoff": Statement(
        (A, BUDGET), (sp.Gt(TaxRate1(a), 0), sp.Lt(TaxRate1(a), 1)),
        sp.Eq(CapabilityChangeAtMaxSafety(a, B), -B * sp.sqrt(TaxRate1(a))),
        words="for 0 < tau < 1, the safety-optimal update delta* = B v* pays its part along C as capability: "
              "<c, delta*> = -B sqrt(tau) < 0"),
    # Section 7.5: a "trade-off between capability and alignment" when operating outside S^perp "is exactly the
    # non-zero tax regime (tau > 0)".  The capability-optimal update delta = B c changes safety by <v*, B c> = B a,
    # the same function of a = <v*, c> as CapabilityChangeAtMaxSafety (the roles of v* and c exchanged).
    # tau > 0 implies that optimising capability lowers safety (as an equation, as sec-9.3.tradeoff: the same truth
    # set).
    "sec-7.5.tradeoff": Statement(
        (A, BUDGET), (sp.Gt(TaxRate1(a), 0),),
        sp.Eq(CapabilityChangeAtMaxSafety(a, B), -B * sp.sqrt(TaxRate1(a))),
        words="tau > 0 implies a trade-off: the capability-optimal update delta = B c lowers safety, <v*, B c> = "
              "-B sqrt(tau) < 0"),
    # Section 7.4: "reasoning directions have higher tau_i = <v*, c_i>^2, meaning they have smaller angles to the
    # safety direction"; Section 7.1: "non-negligible tau_j ..., i.e. capabilities whose directions have smaller
    # angles to safety".  The angle is Thm 4.1's alpha = arccos(<v*, c>) in [0, pi].
    "sec-7.4.angle": Statement(
        (A1, A2), (),
        sp.Implies(sp.Gt(TaxRate1(a1), TaxRate1(a2)), sp.Lt(sp.acos(a1), sp.acos(a2))),
        words="tau_1 > tau_2 implies alpha_1 < alpha_2, alpha_i = arccos(<v*, c_i>) the angle to safety"),
}

CORRECTIONS_1_7_9: dict[str, tuple[Statement, ...]] = {
    # At alpha = 0, Delta_S = Delta_C (Rem 4.2): a safety gain is an equal capability gain.
    "sec-9.3.entangled": (
        Statement((A, DELTA_C, Y), (sp.Eq(a, 1),),
                  sp.Implies(sp.Gt(SafetyGain(a, Delta_C, y), 0), sp.Gt(Delta_C, 0)),
                  words="at alpha = 0 every safety gain is a capability gain (Delta_C = Delta_S > 0); the one-to-one "
                        "cost is at alpha = pi"),),
    # The safety-optimal update changes capability by B <v*, c>: a cost exactly when <v*, c> < 0.
    "sec-9.3.tradeoff": (
        Statement((A, BUDGET), (sp.Gt(TaxRate1(a), 0), sp.Lt(TaxRate1(a), 1), sp.Lt(a, 0)),
                  sp.Eq(CapabilityChangeAtMaxSafety(a, B), -B * sp.sqrt(TaxRate1(a))),
                  words="the safety-optimal update costs capability only when <v*, c> < 0 (alpha > pi/2); for "
                        "alpha < pi/2 it raises capability by B cos(alpha)"),),
    "sec-7.5.tradeoff": (
        Statement((A, BUDGET), (sp.Lt(a, 0),), sp.Eq(CapabilityChangeAtMaxSafety(a, B), -B * sp.sqrt(TaxRate1(a))),
                  words="optimising capability lowers safety exactly when <v*, c> < 0 (alpha > pi/2); with "
                        "<v*, c> > 0 it raises safety, tau > 0 notwithstanding"),),
    # tau = cos^2(alpha) orders the unsigned angle min(alpha, pi - alpha) = arccos|<v*, c>|, the angle between lines.
    "sec-7.4.angle": (
        Statement((A1, A2), (),
                  sp.Implies(sp.Gt(TaxRate1(a1), TaxRate1(a2)), sp.Lt(sp.acos(sp.Abs(a1)), sp.acos(sp.Abs(a2)))),
                  words="tau_1 > tau_2 implies a smaller angle between the lines: arccos|<v*, c_1>| < "
                        "arccos|<v*, c_2>|; the signed angle alpha can be larger (a capability nearly opposite to "
                        "safety)"),),
}

STATEMENTS.update(SECTIONS_1_7_9)
CORRECTIONS.update(CORRECTIONS_1_7_9)

# Remark 5.7: "Tasks where tau_i decreases with d have incidental overlap".  Read in the packing model as the audit
# reads Cor 5.6 (statements/random_subspace.py): an intrinsic capability has <v*, c_i> = gamma_i + eps_i with the
# packing residual eps_i = eta d^(-1/2), of gamma_i's sign (taken positive), which shrinks as d grows: eps at d,
# eps' < eps at a larger d'.  The remark's contrapositive: an intrinsic task's tau_i does not decrease, i.e.
# TaxRate1(gamma + eps') >= TaxRate1(gamma + eps).
gamma_i, eps_i, eps_j = sp.symbols("gamma_i epsilon epsilon'", real=True)
GAMMA_I = Variable(gamma_i, sp.Interval.open(0, 1), note="intrinsic overlap gamma_i != 0 (sign taken positive)")
EPS_I = Variable(eps_i, sp.Interval.Lopen(0, 1),
                 note="packing residual eps_i = eta d^(-1/2) of the intrinsic pair at d")
EPS_J = Variable(eps_j, sp.Interval.Lopen(0, 1), note="the same residual at a larger dimension d' > d: eps' < eps")
_RESIDUALS = (sp.Lt(eps_j, eps_i), sp.Le(gamma_i + eps_i, 1))
SECTIONS_1_7_9["rem-5.7.decrease"] = Statement(
    (GAMMA_I, EPS_I, EPS_J), _RESIDUALS,
    sp.Ge(TaxRate1(gamma_i + eps_j), TaxRate1(gamma_i + eps_i)),
    words="an intrinsic task's tau_i does not decrease as d grows (so a decrease marks incidental overlap)")
CORRECTIONS_1_7_9["rem-5.7.decrease"] = (
    Statement((GAMMA_I, EPS_I, EPS_J), _RESIDUALS, sp.Gt(TaxRate1(gamma_i + eps_j), gamma_i**2),
              words="an intrinsic task's tau_i decreases too, towards gamma_i^2 and staying above it: a decrease marks "
                    "nothing, the limit does (gamma_i^2 > 0 intrinsic, 0 incidental)"),)
STATEMENTS.update(SECTIONS_1_7_9)
CORRECTIONS.update(CORRECTIONS_1_7_9)

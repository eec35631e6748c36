"""Formal statements of maximum safety at a fixed capability target: Thm 4.3, Cor 4.4, Cor 4.7, eq. (19) of
Section 7.1 and its reading of NSPO's measurements.

Scalar parameters, without loss of generality.  Thm 4.3's problem

    maximise <v*, delta>  subject to  P_C delta = delta_C*,  ||delta|| <= B

(v* unit, C any subspace of R^d of dimension m, delta_C* in C) depends on the geometry only through

    s = <v*, delta_C*>,  r = ||delta_C*||,  tau = ||P_C v*||^2,  B,

because delta = delta_C* + delta_perp with delta_perp in C^perp and <v*, delta_perp> = <P_{C^perp} v*, delta_perp>
(derive/capability_constraint.py; that the two-coordinate problem has the value of the problem in R^d is the
derivation ``reduction``, on which every chain taking the maximum rests).  A tuple (s, r, tau, B) is realisable
(by some v*, C, delta_C* in some d > m >= 1) exactly when |s| <= sqrt(tau) r (Cauchy-Schwarz in C:
s = <P_C v*, delta_C*>), i.e. s^2 <= tau r^2; that is the hypothesis ``REALISABLE`` (with m >= 2 when
|s| < sqrt(tau) r, since for m = 1 delta_C* is parallel to P_C v*; the theorem is stated for every m).  The problem
has a feasible point exactly when r <= B, which the theorem's "the maximum" presupposes (``FEASIBLE``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

import sympy as sp

from paper_checks.definitions import DEFINITIONS, Equations, Problem, define, expand_except, on_the_lifted_line
from paper_checks.statement import Statement, Variable

s = sp.Symbol("s", real=True)
r = sp.Symbol("r", nonnegative=True)
tau = sp.Symbol("tau", nonnegative=True)
B = sp.Symbol("B", positive=True)

S_VAR = Variable(s, sp.Interval(-sp.oo, sp.oo), note="<v*, delta_C*>, the capability target's overlap with safety")
R_VAR = Variable(r, sp.Interval(0, sp.oo), note="||delta_C*||, the size of the capability target (delta_C* in C)")
TAU = Variable(tau, sp.Interval(0, 1), note="tau = ||P_C v*||^2, the tax rate of Definition 3.4")
BUDGET = Variable(B, sp.Interval.open(0, sp.oo), note="perturbation budget, ||delta|| <= B")
# The same budget as a plain real symbol (its domain still says B > 0).  Where a premise's closed form makes
# SymPy decide it from the symbol's assumptions (0 < B/100 becomes True), the numeric route cannot evaluate
# the resulting Boolean atom in ball arithmetic; with this symbol the premise stays a relation it evaluates.
B_real = sp.Symbol("B", real=True)
BUDGET_REAL = Variable(B_real, sp.Interval.open(0, sp.oo), note="perturbation budget, ||delta|| <= B")

REALISABLE = sp.Le(s**2, tau * r**2)      # delta_C* in C: |<v*, delta_C*>| = |<P_C v*, delta_C*>| <= sqrt(tau) r
FEASIBLE = sp.Le(r, B)                    # some delta with P_C delta = delta_C* has ||delta|| <= B


_Y1, _REST = sp.Symbol("y_1", real=True), sp.Symbol("y_rest", real=True)


def _fixed_capability_problem(s_: sp.Expr, r_: sp.Expr, tau_: sp.Expr, b_: sp.Expr) -> Problem:
    """Thm 4.3's problem in the coordinates of the module docstring: delta = delta_C* + y_1 e_1 + y_rest e_2 with
    e_1 = P_{C^perp} v*/||P_{C^perp} v*|| (any unit e_1 in C^perp when it is 0) and e_2 in C^perp orthogonal to
    e_1, so <v*, delta> = s + ||P_{C^perp} v*|| y_1 and ||delta||^2 = r^2 + y_1^2 + y_rest^2."""
    return Problem((_Y1, _REST), s_ + PerpLength(tau_) * _Y1, (sp.Le(r_**2 + _Y1**2 + _REST**2, b_**2),))


def _fixed_capability_reduction() -> Any:
    """The derivation that ``_fixed_capability_problem`` (its PerpLength unfolded) has the value of the problem in R^d:
    every feasible delta maps to a feasible (y_1, y_rest) with no smaller objective, and (t, 0) lifts to a feasible
    delta with the same objective (derive/capability_constraint.py, ``reduction``)."""
    from derive import capability_constraint as K
    from paper_checks.definitions import expand
    problem = _fixed_capability_problem(s, r, tau, B)
    (constraint,) = problem.constraints
    return K.reduction(problem.variables, expand(problem.objective), constraint)


@define("MaxSafetyAtTarget", "max <v*, delta> subject to P_C delta = delta_C* and ||delta|| <= B, for unit v* with "
        "||P_C v*||^2 = tau and delta_C* in C with <v*, delta_C*> = s, ||delta_C*|| = r (any d > m >= 1)",
        "derive.capability_constraint.max_safety_at_target", 4, problem=_fixed_capability_problem,
        reduction=_fixed_capability_reduction, lifts=on_the_lifted_line)
def _max_safety_at_target(s_: sp.Expr, r_: sp.Expr, tau_: sp.Expr, b_: sp.Expr) -> sp.Expr:
    from derive import capability_constraint as K
    return K.max_safety_at_target().subs({K.s: s_, K.r: r_, K.tau: tau_, K.B: b_}, simultaneous=True)


def _perp_norm_equations(tau_: sp.Expr) -> Equations:
    """n = ||P_{C^perp} v*|| >= 0 with n^2 = ||v*||^2 - ||P_C v*||^2 = 1 - tau (Pythagoras, v* unit)."""
    norm = sp.Symbol("n_perp", nonnegative=True)
    return Equations((norm,), (norm**2 + tau_ - 1,), norm)


def _perp_norm_proof(quantity: sp.FunctionClass) -> Any:
    from derive import capability_constraint as K
    return K.perp_norm_from_definition(quantity)


@define("PerpLength", "||P_{C^perp} v*|| for unit v* with ||P_C v*||^2 = tau", "derive.capability_constraint.perp_norm",
        1, equations=_perp_norm_equations, proof=_perp_norm_proof)
def _perp_norm(tau_: sp.Expr) -> sp.Expr:
    from derive import capability_constraint as K
    return K.perp_norm().subs(K.tau, tau_)


@define("NullSpaceCapabilityChange", "max over capabilities c_i of |<c_i, delta>| for delta in C^perp with "
        "||delta|| <= B (NSPO's update), unit v* with ||P_C v*||^2 = tau",
        "derive.capability_constraint.null_space_capability_change", 2)
def _null_space_capability_change(tau_: sp.Expr, b_: sp.Expr) -> sp.Expr:
    from derive import capability_constraint as K
    return K.null_space_capability_change()


MaxSafetyAtTarget, PerpLength, NullSpaceCapabilityChange = (_max_safety_at_target, _perp_norm,
                                                          _null_space_capability_change)

# The residual budget B' = sqrt(B^2 - ||delta_C*||^2) as the paper writes it in eq. (4) and (7).
_B_RES = sp.sqrt(B**2 - r**2)

#: "tau << 1" read as tau <= 1/10 (an order of magnitude below 1); the verdict of sec-7.1.equivalence is the
#: same for every threshold below 1, since NSPO's capability change is 0 for every tau.
TAU_SMALL = sp.Rational(1, 10)
#: "< 1% capability degradation": |Delta_C| < B/100, 1% of the largest change a budget-B update can make.
ONE_PERCENT = sp.Rational(1, 100)

STATEMENTS = {
    # Eq. (4): the maximum is <v*, delta_C*> + sqrt(B^2 - ||delta_C*||^2) ||P_{C^perp} v*||.  The clause
    # "achieved by delta* = ... P_{C^perp} v*/||P_{C^perp} v*||" is 0/0 at tau = 1; see the module's report note.
    "thm-4.3": Statement(
        (S_VAR, R_VAR, TAU, BUDGET), (REALISABLE, FEASIBLE),
        sp.Eq(MaxSafetyAtTarget(s, r, tau, B), s + _B_RES * PerpLength(tau))),
    # Eq. (5): delta_C* = 0.
    "cor-4.4": Statement(
        (TAU, BUDGET), (),
        sp.Eq(MaxSafetyAtTarget(0, 0, tau, B), B * sp.sqrt(1 - tau))),
    # Eq. (7): <v*, delta_C*> > 0 => the maximum exceeds the residual budget's share sqrt(B^2 - r^2) sqrt(1 - tau).
    "cor-4.7": Statement(
        (S_VAR, R_VAR, TAU, BUDGET), (REALISABLE, FEASIBLE),
        sp.Implies(sp.Gt(s, 0), sp.Gt(MaxSafetyAtTarget(s, r, tau, B), _B_RES * sp.sqrt(1 - tau)))),
    # Eq. (19): NSPO constrains delta to C^perp, i.e. Thm 4.3 with delta_C* = 0; the value B sqrt(1 - tau)
    # (its middle form B ||P_{C^perp} v*|| is thm-4.3 at s = r = 0).
    "sec-7.1": Statement(
        (TAU, BUDGET), (),
        sp.Eq(MaxSafetyAtTarget(0, 0, tau, B), B * sp.sqrt(1 - tau))),
    # "Their finding that safety improves with < 1% capability degradation ... is equivalent to tau << 1":
    # in the model, NSPO's update has capability change below 1% of B  =>  tau <= 1/10.
    "sec-7.1.equivalence": Statement(
        (TAU, BUDGET_REAL), (),
        sp.Implies(sp.Lt(NullSpaceCapabilityChange(tau, B_real), ONE_PERCENT * B_real), sp.Le(tau, TAU_SMALL)),
        words="NSPO's capability change below 1% of B implies tau <= 1/10 (tau << 1)"),
}

CORRECTIONS: dict[str, tuple[Statement, ...]] = {
    # What the model says instead: an update confined to C^perp changes no capability, whatever tau; tau
    # decides only its safety gain B sqrt(1 - tau).
    "sec-7.1.equivalence": (
        Statement((TAU, BUDGET_REAL), (), sp.Eq(NullSpaceCapabilityChange(tau, B_real), 0),
                  words="NSPO's update (delta in C^perp) changes no capability, for every tau in [0, 1]; tau decides "
                        "only its safety gain B sqrt(1 - tau)"),),
}

#: Formal readings proposed as new sub-claims (no registry row yet, so the audit does not run them; the lead
#: adds the row, and the statement moves to STATEMENTS, its correction to CORRECTIONS).
PROPOSED: dict[str, Statement] = {
    # Thm 4.3: "achieved by delta* = delta_C* + B' P_{C^perp} v*/||P_{C^perp} v*||", with the proof's "the second term
    # is maximized when delta_perp = B' P_{C^perp} v*/||P_{C^perp} v*||, giving B' ||P_{C^perp} v*||".  A linear
    # function <u, .> on a ball of radius B' > 0 has the unique maximiser B' u/||u|| exactly when its maximum is
    # positive (u != 0); when the maximum is 0 (u = 0) the printed quotient is 0/0 and every point of the ball is
    # a maximiser.  So the clause, read where there is budget left (r < B), is: the second term's maximum is
    # positive, Delta_S^max > <v*, delta_C*>.  (Neither the printed delta* nor its value can be stated directly:
    # SymPy cancels ||u||^2/||u|| to ||u|| before any route sees the 0/0, and an undefined value is no certified
    # failure.)  This form also gives every mutation operator a formula side, <v*, delta_C*>, to act on.
    "thm-4.3.maximiser": Statement(
        (S_VAR, R_VAR, TAU, BUDGET), (REALISABLE, FEASIBLE),
        sp.Implies(sp.Lt(r, B), sp.Gt(MaxSafetyAtTarget(s, r, tau, B), s)),
        words="the printed maximiser delta* = delta_C* + B' P_(C^perp) v*/||P_(C^perp) v*|| is defined and is the "
              "maximiser: with budget left (r < B) the free part raises safety, Delta_S^max > <v*, delta_C*> "
              "(equivalently ||P_(C^perp) v*|| > 0)"),
    # Cor 4.7: "Capability improvement subsidizes safety when the projection <v*, delta_C*> is large enough to
    # compensate for the reduced residual budget": when s exceeds what the smaller residual budget costs,
    # B sqrt(1 - tau) - B' sqrt(1 - tau), the maximum beats the zero-target maximum of Cor 4.4.
    "cor-4.7.subsidy": Statement(
        (S_VAR, R_VAR, TAU, BUDGET), (REALISABLE, FEASIBLE),
        sp.Implies(sp.Gt(s, B * sp.sqrt(1 - tau) - _B_RES * sp.sqrt(1 - tau)),
                   sp.Gt(MaxSafetyAtTarget(s, r, tau, B), MaxSafetyAtTarget(0, 0, tau, B))),
        words="<v*, delta_C*> > (B - B') sqrt(1 - tau) implies Delta_S^max(delta_C*) > Delta_S^max(0)"
              " = B sqrt(1 - tau)"),
    # Cor 4.4: "When tau << 1, almost the full budget is available for tax-free safety improvement": the budget
    # the tax takes, B - Delta_S^free, is at most B tau (so it vanishes with tau, linearly).
    "cor-4.4.small-tau": Statement(
        (TAU, BUDGET), (), sp.Le(B - MaxSafetyAtTarget(0, 0, tau, B), B * tau),
        words="the budget the tax takes, B - Delta_S^free, is at most B tau"),
}

#: Corrections of the proposed sub-claims.
PROPOSED_CORRECTIONS: dict[str, tuple[Statement, ...]] = {
    # tau < 1 (v* not in C); at tau = 1 every delta_C* + delta_perp, delta_perp in C^perp, ||delta|| <= B, attains
    # the maximum <v*, delta_C*>.
    "thm-4.3.maximiser": (
        Statement((S_VAR, R_VAR, Variable(tau, sp.Interval.Ropen(0, 1), note="tau < 1: v* not in C"), BUDGET),
                  (REALISABLE, FEASIBLE),
                  sp.Implies(sp.Lt(r, B), sp.Gt(MaxSafetyAtTarget(s, r, tau, B), s)),
                  words="tau < 1 (v* not in C); at tau = 1 any delta_C* + delta_perp, delta_perp in C^perp, "
                        "||delta|| <= B, attains the maximum <v*, delta_C*>"),),
}

# Registered as sub-claims (paper_checks/registry.py): the proposed readings join the statements.
STATEMENTS.update(PROPOSED)
CORRECTIONS.update(PROPOSED_CORRECTIONS)


def _with_closed_forms(rel: sp.Basic, keep_optima: bool = False) -> sp.Basic:
    """``rel`` with each defined quantity replaced by its derived closed form (except, with ``keep_optima``, those
    defined by a formal problem, whose value the chain proves by Rule.OPTIMUM), the sides kept apart
    (unevaluated), as ``paper_checks.rule.proves`` compares a derivation's conclusion with a statement."""
    if isinstance(rel, sp.Implies):
        return sp.Implies(*(_with_closed_forms(a, keep_optima) for a in rel.args), evaluate=False)
    keep = {name for name, d in DEFINITIONS.items() if d.problem is not None} if keep_optima else set()
    return type(rel)(expand_except(rel.lhs, keep), expand_except(rel.rhs, keep), evaluate=False)


@dataclass(frozen=True)
class EndingIn:
    """The derivation ``make(target)`` of claim ``claim_id``, where ``target`` is the claim's own conclusion with its
    defined quantities replaced by their closed forms: derive/ builds the chain that ends in the statement's
    relation without a copy of the paper's formula (derive/ never imports paper_checks; the statement is handed
    in).  A frozen dataclass, not a closure, so that a claim still travels to the audit's worker processes."""

    claim_id: str
    make: Callable[[sp.Basic], Any]
    keep_optima: bool = False

    def __call__(self) -> Any:
        return self.make(_with_closed_forms(STATEMENTS[self.claim_id].conclusion, self.keep_optima))



def chain_ending_in(claim_id: str, make: Callable[[sp.Basic], Any], keep_optima: bool = False) -> Any:
    """``EndingIn(claim_id, make, keep_optima)()``: the registry names it (``registry.Chain``) to build it lazily."""
    return EndingIn(claim_id, make, keep_optima)()

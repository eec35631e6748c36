"""Formal statements of Def 3.3 (KL to second order is a Fisher quadratic form) and Section 4.4 (the frontier
under the ellipsoidal budget ``delta^T F delta <= B^2``).

Def 3.3 is stated for a softmax policy over K = 3 outcomes with logits moved by ``epsilon u`` (the derivation's
setting, derive.whitening.kl_expansion): p = softmax(z) is any point of the open simplex, (p1, p2) with
p1, p2 > 0 and p1 + p2 < 1, and u any direction.  The check confirms the same law for K = 2..7 numerically;
the statement's scope is K = 3.

Section 4.4 is reduced to scalars without loss of generality: the maximum of ``<v*, delta>`` subject to
``<c, delta> = Delta_C`` and ``delta^T F delta <= B^2`` depends on (v*, c, F) only through the Gram matrix of
F^(-1/2) v*, F^(-1/2) c: g_vv = v*^T F^-1 v*, g_vc = v*^T F^-1 c, g_cc = c^T F^-1 c.  Every positive
semidefinite 2x2 Gram matrix with g_vv, g_cc > 0 arises from unit v*, c and a positive definite F (in d >= 2 take
v* = e1, c = e2 and F^-1 equal to the Gram matrix on their span).  The whitened angle is
cos(alpha~) = <F^(-1/2) v*, F^(-1/2) c> / (||F^(-1/2) v*|| ||F^(-1/2) c||) = g_vc / sqrt(g_vv g_cc).
"""
from __future__ import annotations

import sympy as sp

from paper_checks.definitions import define
from paper_checks.statement import Statement, Variable

p1, p2 = sp.symbols("p1 p2", positive=True)
u1, u2, u3 = sp.symbols("u1 u2 u3", real=True)

g_vv = sp.Symbol("g_vv", positive=True)
g_cc = sp.Symbol("g_cc", positive=True)
g_vc = sp.Symbol("g_vc", real=True)
B = sp.Symbol("B", positive=True)
Delta_C = sp.Symbol("Delta_C", real=True)
alpha_t = sp.Symbol("alpha~", real=True)

_REAL = sp.Interval(-sp.oo, sp.oo)
P1 = Variable(p1, sp.Interval.open(0, 1), note="probability of outcome 1 under pi_ref = softmax(z)")
P2 = Variable(p2, sp.Interval.open(0, 1), note="probability of outcome 2 (p3 = 1 - p1 - p2 > 0)")
U = tuple(Variable(u, _REAL, note=f"component {i} of the logit direction u (delta in logit space)")
          for i, u in enumerate((u1, u2, u3), 1))

GVV = Variable(g_vv, sp.Interval.open(0, sp.oo), note="v*^T F^-1 v* = ||F^(-1/2) v*||^2")
GCC = Variable(g_cc, sp.Interval.open(0, sp.oo), note="c^T F^-1 c = ||F^(-1/2) c||^2")
GVC = Variable(g_vc, _REAL, note="v*^T F^-1 c")
BUDGET = Variable(B, sp.Interval.open(0, sp.oo), note="perturbation budget: delta^T F delta <= B^2")
DELTA_C = Variable(Delta_C, _REAL, note="signed capability change <c, delta>")
ALPHA_T = Variable(alpha_t, sp.Interval(0, sp.pi), note="the angle between v~* and c~ in the whitened space")

GRAM = sp.Ge(g_vv * g_cc - g_vc**2, 0)                     # a Gram matrix is positive semidefinite
WHITENED_ANGLE = sp.Eq(alpha_t, sp.acos(g_vc / sp.sqrt(g_vv * g_cc)))


def _kl_steps():
    from derive import whitening as W
    return W, W.kl_expansion()


@define("KLSecondOrder", "lim_{eps -> 0} KL(softmax(z + eps u) || softmax(z)) / eps^2 for K = 3 outcomes, "
        "p = softmax(z) = (p1, p2, 1 - p1 - p2)", "derive.whitening.kl_expansion", 5)
def _kl_second_order(a: sp.Expr, b: sp.Expr, x1: sp.Expr, x2: sp.Expr, x3: sp.Expr) -> sp.Expr:
    # KL and its first derivative vanish at eps = 0 (steps value-at-0, first-order), so the limit is half the
    # second derivative there, computed from the KL itself.
    from derive.core import evaluate
    W, deriv = _kl_steps()
    value = evaluate(deriv.step("second-order").lhs) / 2     # the step's own evaluation, shared with its check
    return sp.expand(value.subs({W.p1: a, W.p2: b, W.u1: x1, W.u2: x2, W.u3: x3}, simultaneous=True))


@define("FisherForm", "u^T F u with F = E_{y ~ softmax(z)}[(e_y - p)(e_y - p)^T], the Fisher information of the "
        "softmax policy in its logits, K = 3", "derive.whitening.kl_expansion", 5)
def _fisher_form(a: sp.Expr, b: sp.Expr, x1: sp.Expr, x2: sp.Expr, x3: sp.Expr) -> sp.Expr:
    W, deriv = _kl_steps()
    u = sp.Matrix([W.u1, W.u2, W.u3])
    value = (u.T * deriv.step("fisher").lhs * u)[0, 0]
    return sp.expand(value.subs({W.p1: a, W.p2: b, W.u1: x1, W.u2: x2, W.u3: x3}, simultaneous=True))


KLSecondOrder, FisherForm = _kl_second_order, _fisher_form


@define("MaxSafetyGainEllipsoid", "max <v*, delta> subject to <c, delta> = Delta_C and delta^T F delta <= B^2, "
        "for unit v*, c and F positive definite, as a function of g_vv, g_vc, g_cc (the Gram matrix of "
        "F^(-1/2) v*, F^(-1/2) c)", "derive.whitening.anisotropic_value", 5)
def _max_safety_ellipsoid(gvv: sp.Expr, gvc: sp.Expr, gcc: sp.Expr, b: sp.Expr, dc: sp.Expr) -> sp.Expr:
    from derive import whitening as W
    return W.anisotropic_value().subs({W.g_vv: gvv, W.g_vc: gvc, W.g_cc: gcc, W.B: b, W.Delta_C: dc},
                                      simultaneous=True)


MaxSafetyGainEllipsoid = _max_safety_ellipsoid
_G = (g_vv, g_vc, g_cc, B, Delta_C)

STATEMENTS: dict[str, Statement] = {
    # Def 3.3: "to first order, KL(pi_theta || pi_ref) ~ (1/2) delta^T F delta where F is the Fisher information":
    # the leading term of the KL as delta -> 0 is half the Fisher quadratic form.
    "def-3.3": Statement(
        (P1, P2, *U), (sp.Lt(p1 + p2, 1),),
        sp.Eq(KLSecondOrder(p1, p2, u1, u2, u3), FisherForm(p1, p2, u1, u2, u3) / 2),
        words="KL(softmax(z + eps u) || softmax(z)) = (eps^2 / 2) u^T F u + o(eps^2), F the Fisher information"),
    # Sec 4.4: "All results carry over with modified angles alpha~ computed in the whitened space": Thm 4.1's
    # eq. (3) with alpha -> alpha~ (same B, same Delta_C, |Delta_C| <= B) is the maximum under the ellipsoid.
    "sec-4.4": Statement(
        (GVV, GVC, GCC, BUDGET, DELTA_C, ALPHA_T), (GRAM, WHITENED_ANGLE, sp.Le(sp.Abs(Delta_C), B)),
        sp.Eq(MaxSafetyGainEllipsoid(*_G),
              Delta_C * sp.cos(alpha_t) + sp.sin(alpha_t) * sp.sqrt(B**2 - Delta_C**2)),
        words="under delta^T F delta <= B^2 the maximum safety gain is eq. (3) with alpha replaced by alpha~"),
}

_n_v, _n_c = sp.sqrt(g_vv), sp.sqrt(g_cc)

CORRECTIONS: dict[str, tuple[Statement, ...]] = {
    # Thm 4.1 carries over for the rescaled gains Delta_S / ||F^(-1/2) v*|| and Delta_C / ||F^(-1/2) c||.
    "sec-4.4": (
        Statement(
            (GVV, GVC, GCC, BUDGET, DELTA_C, ALPHA_T), (GRAM, WHITENED_ANGLE, sp.Le(sp.Abs(Delta_C), B * _n_c)),
            sp.Eq(MaxSafetyGainEllipsoid(*_G),
                  _n_v * ((Delta_C / _n_c) * sp.cos(alpha_t) + sp.sin(alpha_t) * sp.sqrt(B**2 - Delta_C**2 / _n_c**2))),
            words="under delta^T F delta <= B^2: Delta_S = n_v [ (Delta_C / n_c) cos alpha~ + sin alpha~ "
                  "sqrt(B^2 - Delta_C^2 / n_c^2) ] for |Delta_C| <= B n_c, n_v = ||F^(-1/2) v*||, "
                  "n_c = ||F^(-1/2) c||: Thm 4.1 carries over for the rescaled gains Delta_S / n_v and "
                  "Delta_C / n_c"),),
}

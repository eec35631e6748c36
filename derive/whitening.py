"""KL as a Fisher quadratic form (Def 3.3) and the frontier under an ellipsoidal budget (Section 4.4).

Section 4.4 is derived directly in the original coordinates: maximise <v*, delta> subject to
<c, delta> = Delta_C and delta^T F delta <= B^2.  Stationarity gives delta = F^{-1}(v* - lambda c)/(2 mu),
so everything depends on the F^{-1}-inner products g_vv = v*^T F^{-1} v*, g_vc = v*^T F^{-1} c,
g_cc = c^T F^{-1} c; the multipliers lambda, mu are solved for one equation at a time (``_kkt``).
"""
from __future__ import annotations

import functools

import sympy as sp

from derive import frontier
from derive.core import Derivation, Op, Start, Step

NEW = Start.DEFINITION

__all__ = ["g_vv", "g_vc", "g_cc", "anisotropic_value", "kl_expansion", "anisotropic_frontier"]

eps = sp.Symbol("epsilon", real=True)
p1, p2 = sp.symbols("p1 p2", positive=True)
p3 = 1 - p1 - p2
u1, u2, u3 = sp.symbols("u1 u2 u3", real=True)

g_vv, g_cc = sp.symbols("g_vv g_cc", positive=True)
g_vc = sp.Symbol("g_vc", real=True)
B, Delta_C = frontier.B, frontier.Delta_C
lam, mu = sp.symbols("lambda mu", real=True)


@functools.cache
def kl_expansion() -> Derivation:
    """Def 3.3: KL(softmax(z + eps u) || softmax(z)) = eps^2/2 u^T (diag p - p p^T) u + O(eps^3)."""
    p = sp.Matrix([p1, p2, p3])
    u = sp.Matrix([u1, u2, u3])
    w = [p[i] * sp.exp(eps * u[i]) for i in range(3)]
    Z = sum(w)
    q = [wi / Z for wi in w]
    kl = sum(q[i] * (eps * u[i] - sp.log(Z)) for i in range(3))     # sum q_i log(q_i / p_i), sum p = 1
    Fz = sp.diag(*p) - p * p.T
    fisher = sum((p[i] * (sp.eye(3)[:, i] - p) * (sp.eye(3)[:, i] - p).T for i in range(3)), sp.zeros(3, 3))
    steps = (
        Step("value-at-0", sp.Subs(kl, eps, 0), 0, "KL vanishes at delta = 0", start=NEW, instance="K = 3 outcomes"),
        Step("first-order", sp.Subs(sp.Derivative(kl, eps), eps, 0), 0,
             "the first-order term vanishes: KL is quadratic to leading order", start=NEW, instance="K = 3 outcomes"),
        Step("second-order", sp.Subs(sp.Derivative(kl, eps, 2), eps, 0), (u.T * Fz * u)[0, 0],
             "d^2 KL / d eps^2 at 0 = u^T (diag p - p p^T) u, so KL = (1/2) u^T F_z u eps^2 + O(eps^3)", start=NEW,
             instance="K = 3 outcomes"),
        Step("fisher", fisher, Fz, "diag p - p p^T is the Fisher information E[(e_y - p)(e_y - p)^T] of the"
             " softmax in its logits", start=NEW, instance="K = 3 outcomes"),
    )
    result = Step("quadratic-form", sp.Subs(sp.Derivative(kl, eps, 2), eps, 0) / 2, (u.T * fisher * u)[0, 0] / 2,
                  "KL = (1/2) u^T F u eps^2 + O(eps^3) with F the Fisher information; with logits z = W h and"
                  " u = W delta this is (1/2) delta^T (W^T F_z W) delta in representation space", start=NEW,
                  instance="K = 3 outcomes")
    return Derivation("def-3.3", "Definition 3.3: KL to second order is a Fisher quadratic form",
                      ("softmax policy over K = 3 outcomes (the algebra is the same for any K)",
                       "p = softmax(z), p3 = 1 - p1 - p2 > 0"), steps, result, domain=(sp.Lt(p1 + p2, 1),))


@functools.cache
def _kkt() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """Solve for the multipliers, one equation at a time; return (the maximum, lambda, mu).

    With delta = F^{-1}(v* - lambda c)/(2 mu) (stationarity; mu != 0 since v*, c are independent):

    1. <c, delta> = (g_vc - lambda g_cc)/(2 mu) = Delta_C is linear in lambda;
    2. the active budget delta^T F delta = (g_vv - 2 lambda g_vc + lambda^2 g_cc)/(4 mu^2) = B^2 is then
       4 (B^2 g_cc - Delta_C^2) mu^2 = g_vv g_cc - g_vc^2, a quadratic in mu with roots +-sqrt(G/X)/2,
       G = g_vv g_cc - g_vc^2 > 0, X = B^2 g_cc - Delta_C^2 > 0 (the domain of ``anisotropic_frontier``);
    3. dual feasibility mu >= 0 keeps the root that is positive for every positive square root (decided
       by SymPy with the radical as a positive symbol, not at a sample point);
    4. on that root the budget equation holds, so g_vv = (4 X mu^2 + g_vc^2)/g_cc there: substituted into
       <v*, delta> = (g_vv - lambda g_vc)/(2 mu), the maximum becomes a polynomial in mu over g_cc.
    """
    value = (g_vv - lam * g_vc) / (2 * mu)
    capability = (g_vc - lam * g_cc) / (2 * mu) - Delta_C
    budget = (g_vv - 2 * lam * g_vc + lam**2 * g_cc) / (4 * mu**2) - B**2
    (lam_mu,) = sp.solve(sp.numer(sp.together(capability)), lam, check=False, simplify=False)
    quadratic = sp.expand(sp.numer(sp.together(budget.subs(lam, lam_mu))))
    roots = sp.roots(sp.Poly(quadratic, mu))
    radicals = {r: sp.Dummy(positive=True) for root in roots for r in root.atoms(sp.Pow) if r.exp == sp.S.Half}
    best = [r for r in roots if r.xreplace(radicals).is_positive]
    if len(best) != 1 or len(roots) != 2:
        raise RuntimeError(f"expected one root mu > 0 of two, got {roots}")
    mu_s = best[0]
    (gvv_on_root,) = sp.solve(quadratic, g_vv, check=False, simplify=False)
    num, den = sp.fraction(sp.cancel(value.subs(lam, lam_mu).subs(g_vv, gvv_on_root)))
    maximum = sum(sp.factor(coeff) * mu_s**k for (k,), coeff in sp.Poly(num, mu).terms()) / den
    return maximum, sp.together(lam_mu.subs(mu, mu_s)), mu_s


def anisotropic_value() -> sp.Expr:
    """The derived maximum under delta^T F delta <= B^2, in terms of g_vv, g_vc, g_cc."""
    return _kkt()[0]


@functools.cache
def anisotropic_frontier() -> Derivation:
    """Section 4.4: the frontier in original units is n_v * F_{Thm 4.1}(alpha~, B, Delta_C / n_c)."""
    value, lam_s, mu_s = _kkt()
    n_v, n_c = sp.sqrt(g_vv), sp.sqrt(g_cc)
    cos_t = g_vc / (n_v * n_c)
    whitened = n_v * frontier.frontier_value().subs({frontier.Delta_C: Delta_C / n_c})
    steps = (
        Step("capability", sp.Subs((g_vc - lam * g_cc) / (2 * mu), (lam, mu), (lam_s, mu_s)), Delta_C,
             "<c, delta*> = (g_vc - lambda g_cc)/(2 mu) = Delta_C at SymPy's root", start=NEW),
        Step("budget", sp.Subs((g_vv - 2 * lam * g_vc + lam**2 * g_cc) / (4 * mu**2), (lam, mu), (lam_s, mu_s)), B**2,
             "delta*^T F delta* = B^2: the ellipsoidal budget is saturated", start=NEW),
        Step("dual-feasible", 0, mu_s, "mu > 0 selects the maximiser", Op.LT, start=NEW),
        Step("whitened-form", value,
             n_v * ((Delta_C / n_c) * cos_t + sp.sqrt(1 - cos_t**2) * sp.sqrt(B**2 - Delta_C**2 / n_c**2)),
             "the maximum is ||F^{-1/2} v*|| [ (Delta_C/||F^{-1/2} c||) cos alpha~ + sin alpha~ sqrt(B^2 -"
             " Delta_C^2/||F^{-1/2} c||^2) ], cos alpha~ = g_vc/sqrt(g_vv g_cc)", start=NEW),
    )
    result = Step("carries-over-with-rescaling", whitened.subs({sp.cos(frontier.alpha): cos_t,
                                                                 sp.sin(frontier.alpha): sp.sqrt(1 - cos_t**2)}),
                  value, "Thm 4.1 carries over with alpha -> alpha~ only after rescaling the gains:"
                  " Delta_S / ||F^{-1/2} v*|| against Delta_C / ||F^{-1/2} c||", start=NEW)
    return Derivation("sec-4.4", "Section 4.4: frontier under the ellipsoidal budget delta^T F delta <= B^2", (
        "F symmetric positive definite", "g_vv = v*^T F^{-1} v*, g_cc = c^T F^{-1} c, g_vc = v*^T F^{-1} c",
        "|Delta_C| < B sqrt(g_cc) and g_vv g_cc > g_vc^2 (v*, c independent)"), steps, result,
        domain=(sp.Lt(Delta_C**2, B**2 * g_cc), sp.Gt(g_vv * g_cc - g_vc**2, 0)))

"""The audit's conventions: one reading of each sign and each definition, used by every claim and every gloss.

Written once here and printed in every report's preamble, so that a reader knows what "loss",
"improvement" or "coherence" mean in every verdict.
"""
from __future__ import annotations

__all__ = ["CONVENTIONS"]

CONVENTIONS: tuple[tuple[str, str], ...] = (
    ("capability change", "Delta_C = <c, delta> is signed: a capability loss is Delta_C < 0, an improvement "
     "Delta_C > 0, no change Delta_C = 0 (Thm 4.1 states Delta_C in [-B, B])."),
    ("safety gain", "Delta_S = <v*, delta> is signed; 'safety improves' means Delta_S > 0. Two safety objectives "
     "have gains Delta_S1, Delta_S2, compared in absolute terms unless a claim says normalised (s_i)."),
    ("tradeoff", "a point of a frontier is a tradeoff when raising one gain lowers the other (negative slope); "
     "'Pareto frontier' is the set of attainable points not dominated in both coordinates, larger being better "
     "in both."),
    ("directions", "v* and every c_i are unit vectors (Defs 3.1, 3.2); the capability directions need not be "
     "orthonormal unless a claim says so (Rem 4.6's Gram form is the general tax rate); alpha in [0, pi] with "
     "cos(alpha) = <v*, c>."),
    ("budget", "the budget is ||delta|| <= B (Thm 4.1) unless a claim is about the Fisher budget "
     "delta^T F delta <= B^2 (Def 3.3, Sec 4.4)."),
    ("coherence", "Def 5.3 is read as printed everywhere: mu is the largest |<f_i, f_j>| over pairs with "
     "gamma_ij = 0; a bound that needs mu to bound every residual states that as a corrected hypothesis."),
    ("preservation", "'preserving a capability c' means the update satisfies <c, delta> = 0; Thm 6.4's C(c) is "
     "the cosine of the angle between the residuals of v1*, v2* in c-perp (eq. (12))."),
    ("random subspaces", "random capability directions and subspaces are uniform (Haar) on the sphere or the "
     "Grassmannian; expectations and probabilities are exact laws, not fitted rates."),
    ("rates", "O(.) as d grows is read through exponents of limits computed by SymPy from exact laws: the decay "
     "exponent kappa(g) = lim -log g / log d, and where log factors matter lambda(g) = lim -log(g / b) / log log d "
     "against b = (sqrt(m' log d) + log d)/d; g = O(r) implies kappa(g) >= kappa(r) and lambda(g) >= lambda(r). "
     "Each kappa is confirmed by the slope of -log g between d = 10^100 and 10^200 at sampled values of the "
     "other parameters (SymPy may return one branch of a limit for every value of a symbolic exponent)."),
    ("with high probability", "read both ways, each a sub-claim: in probability (for every failure probability a "
     "constant, prop-5.5.whp) and at confidence 1 - 1/d with one constant for every d (Bernstein's reading at "
     "t = log d, prop-5.5.quantile); a bound that holds with probability 1 - 1/d bounds the mean too "
     "(prop-5.5.intrinsic)."),
    ("domains", "a claim is audited on the domain the paper states, boundary values included where the paper "
     "includes them; conditions the paper does not state belong to a correction."),
)

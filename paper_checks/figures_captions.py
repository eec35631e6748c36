"""What each figure of a finding shows, in the report's prose (ASCII mathematics is typeset by the writers), by
the figure's file stem."""
from __future__ import annotations

__all__ = ["CAPTIONS"]

CAPTIONS: dict[str, str] = {
    "frontier": "Theorem 4.1 for four angles alpha (B = 1): the curve (3) is the upper arc of the ellipse Q = 0; "
                "only its red part (Delta_C >= B cos alpha) is Pareto-efficient; the dots are certified SOCP optima.",
    "safety_pair": "Two safety directions v1* = e1, v2* = e2 and a capability c = (3/5, -4/5, 0) with "
                   "opposite-sign projections (Thm 6.4 (i), Section 9.4): frontiers with and without preserving c, "
                   "in normalised gains (left) and absolute gains (right); stars mark the max-min points.",
    "counterexample_pareto": "Theorem 4.1 (\"the Pareto frontier\") at the finding's certified counterexample: the "
                             "point of (3) at Delta_C is dominated by the point at Delta_C' (more capability, no "
                             "less safety); only the bold arc Delta_C >= B cos(alpha), the corrected statement, is "
                             "Pareto-efficient.",
    "counterexample_cor_6_6": "Corollary 6.6 at the finding's certified counterexample, in the plane c^perp: the "
                              "max-min update points to the point of the segment nearest 0 and attains B' "
                              "dist(0, [v~_1, v~_2]) (the corrected value), above the bound of eq. (17).",
    "counterexample_thm_6_4_i": "Theorem 6.4 (i) over (a, rho) at the finding's b (opposite signs): in the red "
                                "region the conflict C(c) is below rho, against the claim; the star is the "
                                "finding's certified counterexample; above the dashed line rho >= 0 the "
                                "corrected statement holds; white: no realisable Gram matrix.",
    "counterexample_ellipse_sphere": "Section 11: the attainable set for alpha = pi/3 is an ellipse with semi-axes "
                                     "sqrt(3/2) and sqrt(1/2), not a circle, so it is not a plane section of a "
                                     "sphere in these coordinates.",
    "counterexample_rem_4_2": "Remark 4.2 at alpha = pi/2: Delta_S = sqrt(1 - Delta_C^2) is a half circle on "
                              "[-1, 1]; only the quarter with Delta_C >= 0 is Pareto-efficient.",
    "counterexample_sec_4_4": "Section 4.4 with v* = e1, c = e2 and F = 4I: the frontier as carried over (dashed) "
                              "and the true frontier under delta^T F delta <= 1, half as large.",
    "counterexample_prop_5_5": "Proposition 5.5 in the literal model (d = 3, gamma = 1/2, m' = 1): the exact mean "
                               "of tau is 5/8, not the printed tau_0 + m'/d = 7/12; the Monte Carlo mean agrees "
                               "with the exact law.",
    "counterexample_thm_4_1": "Theorem 4.1 in d = 1 with v* = c = 1 and Delta_C = 0: the only feasible delta is 0, "
                              "so no maximiser has norm B.",
    "counterexample_sec_7_3": "Section 7.3 at alpha = pi: every attainable point lies on the line Delta_S = "
                              "-Delta_C, where more safety is less capability one for one, so every point is "
                              "Pareto-optimal and averaging stays Pareto-optimal; at alpha = 0 the averaged point is "
                              "dominated by (B, B).",
    "counterexample_ellipse": "At alpha = pi the Pareto frontier is the segment Delta_S = -Delta_C (at alpha = 0 the "
                              "single point (B, B)): no ellipse arc.",
    "counterexample_thm_4_3": "Theorem 4.3 at tau = 1 (v* = c in C): P_(C^perp) v* = 0, so the printed maximiser "
                              "divides 0 by 0.",
    "counterexample_def_3_4_loss": "Definition 3.4 at tau = 1: delta = B v* raises safety and the capability "
                                   "together (Delta_S = Delta_C = 1), so a safety gain need not cost capability.",
    "counterexample_rem_4_6": "Remark 4.6: c1 = e1, c2 = (3/5, 4/5, 0), v* = (2/7, 6/7, 3/7) gives "
                              "tau = tau_1 + tau_2 = 40/49 although <c1, c2> = 3/5: additivity without "
                              "orthonormality.",
    "counterexample_rem_4_6_subadditive": "Remark 4.6 read as subadditivity: <v*, c1> = 0, <v*, c2> = -1/2 and "
                                          "<c1, c2> = -1/2 give tau = 1/3 above tau_1 + tau_2 = 1/4; overlap can "
                                          "raise the joint tax.",
    "counterexample_sec_7_1": "Section 7.1: the null-space update has Delta_C = 0 while tau = 16/25 is not small.",
    "counterexample_pred_1": "Prediction 1's model: under delta = B v* the capability change is "
                             "Delta_C_i = B <v*, c_i>, of either sign, while -tau_i is never positive; c1 and c3 have "
                             "the same tau_i = 1/4, yet one degrades and the other improves, so the degradation "
                             "does not follow the ordering of tau_i either.",
    "counterexample_thm_5_4": "Theorem 5.4 at the finding's certified counterexample: the residual |tau - tau_0| "
                              "exceeds eq. (9) with the coherence mu of Def 5.3; the corrected bound, whose mu covers "
                              "the intrinsic capability's residual too, needs m mu < 1 for that mu (n/a where it "
                              "fails).",
    "counterexample_cor_5_6_linear": "Corollary 5.6 (3), m' = d/2: E[tau] - tau_0 = (1 - tau_0) m'/(d - |I|) "
                                     "stays near (1 - tau_0)/2 as d grows, except at tau_0 = 1, where there is no "
                                     "incidental tax at any d.",
    "counterexample_prop_5_5_quantile": "Proposition 5.5, eq. (11) at confidence 1 - 1/d (I empty): the exact "
                                        "(1 - 1/d)-quantile Q of |tau - m'/d| over the printed term sqrt(m' + log d)/d "
                                        "grows without bound, like sqrt(log d); over Bernstein's (sqrt(m' log d) + "
                                        "log d)/d it tends to 2.",
    "counterexample_prop_5_5_intrinsic": "Proposition 5.5, eq. (11) with one intrinsic capability (gamma_1 = 1/2, "
                                         "exact overlap): the mean's offset from tau_0 + m'/d, about tau_0 m'/d, "
                                         "falls below eq. (11)'s O-terms for m' = d^(1/4) but not for m' = d^(3/4).",
    "counterexample_rate": "Corollary 5.6 and the abstract: with an intrinsic residual d^(-1/2) the residual R(d) "
                           "decays like d^(-1/2), not like m'/d or log d / d.",
    "tau_vs_d": "Corollary 5.6, regimes m' = 4, m' = sqrt(d), m' = d/2: Monte Carlo means (exact-law sampler, 99% "
                "bands) and exact expectations, without intrinsic overlap (left) and with tau_0 = 1/4 (right).",
    "coherence_vs_d": "Section 5.1: coherence of random packings (N = 4d) against sqrt(log N / d) and the Welch "
                      "bound; simplex equiangular tight frames meet their Welch bound.",
}

CAPTIONS.update({   # the pictures of READINGS
    "counterexample_sec_9_3_entangled": "Sections 1 and 9.3, alpha = 0: Delta_S = Delta_C for every update, so a "
                                        "safety gain is an equal capability gain, not a cost.",
    "counterexample_sec_9_3_tradeoff": "Sections 9.3 and 7.5: the safety-optimal update B v* changes capability by "
                                       "B <v*, c> (and the capability-optimal B c changes safety by the same), a cost "
                                       "only for <v*, c> < 0, while tau > 0 on both sides.",
    "counterexample_sec_7_4_angle": "Sections 7.1 and 7.4: tau = cos^2(alpha) is larger at alpha = 3 pi/4 than at "
                                    "pi/3; a higher tax rate is a smaller angle between lines, not a smaller alpha.",
    "counterexample_sec_9_4_exactly": "Section 9.4 at rho = 15/16: realisable (a, b) where preserving c raises the "
                                      "correlation (green) include same-sign projections, such as the certified "
                                      "(-8/13, -4/5).",
    "counterexample_sec_7_2_percentage": "Section 7.2 at r = 8, d = 4096: a unit rank-8 update changes a capability "
                                          "by up to ||P_U c||, 4.4% as a root mean square; the printed 0.2% = r/d is "
                                          "its square, the expected squared overlap.",
    "counterexample_rem_5_7_decrease": "Remark 5.7 at the certified gamma_i = 1/9, eta = 7/8: an intrinsic task's "
                                       "tau_i decreases with d too, towards gamma_i^2; the limit, not the decrease, "
                                       "tells the classes apart.",
})

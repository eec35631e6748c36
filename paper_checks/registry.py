"""The registry: every audited claim of the paper, in the paper's order, with the check that judges it.

One explicit table; a claim's verdict is never stored here, only computed by its check.
"""
from __future__ import annotations

from derive import frontier as DF
from derive import safety_pair as DS
from paper_checks.checks import frontier, safety_pair
from paper_checks.finding import Claim

__all__ = ["CLAIMS", "by_id"]

CLAIMS: tuple[Claim, ...] = (
    Claim("thm-4.1", "Theorem 4.1, eq. (1) and (3)",
          r"\Delta_S = \Delta_C \cos\alpha + \sin\alpha\sqrt{B^2 - \Delta_C^2},\ |\Delta_C| \le B;"
          r" tight: for each \Delta_C \in [-B, B] some \delta^* with \|\delta^*\| = B attains it",
          (DF.single_capability,), frontier.check_thm_4_1),
    Claim("thm-4.1.pareto", "Theorem 4.1 (\"the Pareto frontier\")",
          r"the Pareto frontier is \Delta_S = \Delta_C\cos\alpha + \sin\alpha\sqrt{B^2-\Delta_C^2}"
          r" for |\Delta_C| \le B", (DF.pareto_efficient_part,), frontier.check_pareto),
    Claim("ellipse", "Abstract, Section 1, Section 11",
          r"the tradeoff is an elliptic Pareto frontier parameterized by a single angle \alpha",
          (DF.ellipse,), frontier.check_ellipse),
    Claim("ellipse.sphere", "Section 11",
          r"a conic section, which is the same curve that arises from intersecting a sphere with a plane",
          (DF.ellipse,), frontier.check_sphere_section),
    Claim("rem-4.2", "Remark 4.2",
          r"\alpha = 0: \Delta_S = \Delta_C;\ \alpha = \pi/2: \Delta_S = \sqrt{B^2 - \Delta_C^2}"
          r" (quarter circle); the frontier continuously interpolates", (DF.limiting_cases,), frontier.check_rem_4_2),
    Claim("thm-6.1", "Theorem 6.1, eq. (12)-(13)",
          r"\cos\theta = \frac{\rho - ab}{\sqrt{(1-a^2)(1-b^2)}},\ s_1 = s_2\cos\theta + \sin\theta\sqrt{1 - s_2^2}",
          (DS.effective_angle,), safety_pair.check_thm_6_1),
    Claim("rem-6.2", "Remark 6.2",
          r"\cos\theta = (\rho - ab)/\sqrt{(1-a^2)(1-b^2)} is exactly the partial correlation of v_1^*, v_2^* given c",
          (DS.partial_correlation,), safety_pair.check_rem_6_2),
    Claim("cor-6.3", "Corollary 6.3, eq. (14)",
          r"the maximum equal normalized gain s_1 = s_2 = s is s = \cos(\theta/2)", (DS.equal_gain,), safety_pair.check_cor_6_3),
    Claim("prop-6.5", "Proposition 6.5, eq. (15)-(16)",
          r"\cos\theta = \frac{\rho - a^\top (C^\top C)^{-1} b}{\sqrt{(1-\tau_1)(1-\tau_2)}};"
          r" the frontier under preservation of all capabilities is (13) with this \theta",
          (DS.multi_capability,), safety_pair.check_prop_6_5),
)

_INDEX = {c.id: c for c in CLAIMS}


def by_id(claim_id: str) -> Claim:
    try:
        return _INDEX[claim_id]
    except KeyError:
        raise KeyError(f"claim id {claim_id!r} is not in the registry; known ids: "
                       f"{', '.join(_INDEX)}") from None

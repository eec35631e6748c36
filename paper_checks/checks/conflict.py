"""Checks of the conflict theorem (Thm 6.4 (i)-(iii)) and of its reading "preserving this capability strictly
improves the safety tradeoff" (Thm 6.4 (i), Section 9.4, Prediction 4): independent numeric evidence for the
quantities the formal statements define.

``C(c)`` is the defined ``ProjectedCos``; the checks compute it from realised vectors (least-squares
residuals) on the region each part speaks of and compare it with the derived closed form.  The reading's
max-min gains are solved as SOCPs with and without the capability constraint and compared with their
closed forms.  Whether a part holds is decided by the statement search and the verdict rule, not here.
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from paper_checks.checks.common import DPS, SLACK, realisable_rho, rng_for
from paper_checks.checks.safety_pair import closed_form, realised
from paper_checks.finding import AuditConfig, Evidence, Method
from paper_checks.statements.conflict import STATEMENTS
from verify import safety_pair as VP

__all__ = ["check_thm_6_4_i", "check_thm_6_4_ii", "check_thm_6_4_iii", "check_preservation_reading", "check_pred_4",
           "check_sec_9_4_exactly"]

_GAP = 1e-9


def _opposite(rng: np.random.Generator) -> tuple[float, float, float]:
    """A realisable (rho, a, b) with a b < 0, every sign of rho."""
    a, b = rng.uniform(0.01, 0.99), -rng.uniform(0.01, 0.99)
    if rng.random() < 0.5:
        a, b = -a, -b
    return realisable_rho(a, b, rng.uniform(-1, 1))


def _symmetric(rng: np.random.Generator) -> tuple[float, float, float]:
    """A realisable (rho, a, a)."""
    a = rng.uniform(-0.99, 0.99)
    return realisable_rho(a, a, rng.uniform(-1, 1))


def _projected_cos_on(ev: Evidence, cfg: AuditConfig, claim: str, points: list[tuple[float, float, float]],
                      where: str) -> None:
    """The derived ProjectedCos against the angle between least-squares residuals of realised vectors."""
    cos_ = closed_form("ProjectedCos", 3)
    rng = rng_for(cfg.seed, claim + "/geometry")
    worst = 0.0
    for rho, a, b in points:
        v1, v2, c = realised(rho, a, b, 4, rng)
        with mpmath.workdps(DPS):
            worst = max(worst, float(abs(cos_(float(v1 @ v2), float(c @ v1), float(c @ v2))
                                         - VP.effective_cos(v1, v2, c[:, None]))))
    ev.confirm(f"definition of C(c): on {len(points)} realised geometries {where}, the derived ProjectedCos matches "
               f"the cosine of the angle between the least-squares residuals to {worst:.1e}", worst < _GAP,
               Method.HIGH_PRECISION)


def check_thm_6_4_i(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rng = rng_for(cfg.seed, "thm-6.4.i")
    _projected_cos_on(ev, cfg, "thm-6.4.i", [_opposite(rng) for _ in range(max(4, cfg.samples // 3))],
                      "with opposite-sign projections (every sign of rho)")
    return ev


def check_thm_6_4_ii(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rng = rng_for(cfg.seed, "thm-6.4.ii")
    _projected_cos_on(ev, cfg, "thm-6.4.ii", [_symmetric(rng) for _ in range(max(4, cfg.samples // 3))],
                      "with a = b")
    return ev


def check_thm_6_4_iii(cfg: AuditConfig) -> Evidence:
    """The printed example, read from the statement's hypotheses: C(c) from realised vectors there."""
    ev = Evidence()
    fixed = {h.lhs.name: float(h.rhs) for h in STATEMENTS["thm-6.4.iii"].hypotheses
             if isinstance(h, sp.Eq) and isinstance(h.lhs, sp.Symbol)}
    _projected_cos_on(ev, cfg, "thm-6.4.iii", [(fixed["rho"], fixed["a"], fixed["b"])], "at the printed example")
    return ev


def check_preservation_reading(cfg: AuditConfig) -> Evidence:
    """MaxMinPairGain (capability preserved) and MaxMinFreeGain (no constraint) against their SOCPs."""
    ev = Evidence()
    con_ = closed_form("MaxMinPairGain", 4)
    free_ = closed_form("MaxMinFreeGain", 2)
    rng = rng_for(cfg.seed, "thm-6.4.reading")
    inside = n = 0
    for _ in range(max(3, cfg.samples // 6)):
        v1, v2, c = realised(*_opposite(rng), 4, rng)
        con = VP.max_min_gain(v1, v2, c[:, None], 1.0, normalised=False).enclosure
        unc = VP.max_min_gain(v1, v2, None, 1.0, normalised=False).enclosure
        r_, a_, b_ = float(v1 @ v2), float(c @ v1), float(c @ v2)
        with mpmath.workdps(DPS):
            inside += con.contains(con_(r_, a_, b_, 1), SLACK) + unc.contains(free_(r_, 1), SLACK)
        n += 2
    ev.confirm(f"definitions: SOCP max-min of the absolute gains with and without <c, delta> = 0 on {n // 2} "
               f"opposite-sign geometries: the derived MaxMinPairGain and MaxMinFreeGain lie in the certified "
               f"enclosures at {inside}/{n} (slack {SLACK:g})", inside == n, Method.SOCP)
    return ev


def check_pred_4(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    ev.not_checkable = ("Prediction 4 is an experiment on trained models; its mathematical part (preserving an "
                        "opposite-sign capability improves the joint safety frontier) is audited as thm-6.4.reading")
    return ev


# --------------------------------------------------------------------------------------------- Section 9.4


def check_sec_9_4_exactly(cfg: AuditConfig) -> Evidence:
    """'The formalization predicts exactly which capabilities to constrain (opposite signs)': C(c) on geometries of
    every sign pattern, the same-sign ones included."""
    ev = Evidence()
    rng = rng_for(cfg.seed, "sec-9.4.exactly")
    points = [_opposite(rng) if k % 2 else realisable_rho(rng.uniform(-0.99, 0.99), rng.uniform(-0.99, 0.99),
                                                          rng.uniform(-1, 1))
              for k in range(max(4, cfg.samples // 3))]
    _projected_cos_on(ev, cfg, "sec-9.4.exactly", points, "of every sign pattern")
    return ev

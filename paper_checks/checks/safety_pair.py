"""Checks of the safety-pair results (Thm 6.1, Rem 6.2, Cor 6.3, Prop 6.5, Cor 6.6): independent numeric evidence
for the quantities their formal statements define.

Each check solves or computes a defined quantity from its definition on realised vectors (cvxpy SOCPs with
certified enclosures, least-squares residuals, the precision matrix at 50 digits) and compares it with
the closed form that ``paper_checks.definitions`` substitutes into the statement.  No formula of the paper
is written here; whether the printed formula holds is the statement search's business
(``paper_checks.margin``), and the verdict the rule's (``paper_checks.rule``).
"""
from __future__ import annotations

import functools
from collections.abc import Callable

import mpmath
import numpy as np
import sympy as sp

from paper_checks import definitions
from paper_checks.checks.common import DPS, SLACK, random_rotation, realisable_rho, rng_for
from paper_checks.finding import AuditConfig, Evidence, Method
from verify import high_precision as HP
from verify import safety_pair as VP

__all__ = ["closed_form", "check_thm_6_1", "check_rem_6_2", "check_cor_6_3", "check_prop_6_5", "check_cor_6_6"]

# The closed forms differ from the SOCP optimum of the double-precision data by the rounding of the data
# (unit vectors stored in doubles): SLACK (1e-12) covers that and is far below any wrong formula's gap.
_GAP = 1e-9


@functools.cache
def closed_form(name: str, arity: int) -> Callable[..., mpmath.mpf]:
    """The derived closed form of the defined quantity ``name`` as an mpmath function of its arguments."""
    args = sp.symbols(f"x0:{arity}", real=True)
    definitions.expand(sp.Integer(0))              # loads the statement modules, which register the definitions
    fn = definitions.DEFINITIONS[name].function
    return sp.lambdify(args, definitions.expand(fn(*args)), modules=["mpmath", {"Min": min, "Max": max}])


def _samples(cfg: AuditConfig) -> int:
    # The statement search covers the domain; these confirm the definitions, so a few geometries suffice.
    return max(4, cfg.samples // 3)


def triples(cfg: AuditConfig, claim: str, n: int | None = None) -> list[tuple[float, float, float, int]]:
    """(rho, a, b, d) covering the realisable region: a, b of every sign, |a|, |b| up to 0.99, and
    rho = ab + t sqrt((1-a^2)(1-b^2)) with t = cos(theta) up to +-(1 - 1e-6) (theta near 0 and pi)."""
    rng = rng_for(cfg.seed, claim)
    n = n or _samples(cfg)
    ts = [1 - 1e-6, -(1 - 1e-6), 0.0] + list(rng.uniform(-1, 1, max(0, n - 3)))
    out = []
    for t in ts[:n]:
        rho, a, b = realisable_rho(*rng.uniform(-0.99, 0.99, 2), t)
        out.append((float(rho), float(a), float(b), int(rng.choice([3, 5, 16]))))
    return out


def realised(rho: float, a: float, b: float, d: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Unit v1*, v2*, c in R^d with the given Gram entries, randomly rotated."""
    v1, v2, c = VP.realise(rho, a, b, d)
    Q = random_rotation(d, rng)
    return tuple(w / np.linalg.norm(w) for w in (Q @ v1, Q @ v2, Q @ c))


def _gram_entries(v1: np.ndarray, v2: np.ndarray, c: np.ndarray) -> tuple[float, float, float]:
    return float(v1 @ v2), float(c @ v1), float(c @ v2)


def check_thm_6_1(cfg: AuditConfig) -> Evidence:
    """ProjectedCos and MaxNormalisedPairGain against their definitions: the angle between least-squares
    residuals of realised vectors, and the SOCP max <v1*, delta> in c^perp with <v2*, delta> fixed."""
    ev = Evidence()
    cos_ = closed_form("ProjectedCos", 3)
    gain = closed_form("MaxNormalisedPairGain", 4)
    rng = rng_for(cfg.seed, "thm-6.1/geometry")
    worst_cos, inside, total, widest = 0.0, 0, 0, 0.0
    s2s = [-0.9, 0.0, 0.6]
    for rho, a, b, d in triples(cfg, "thm-6.1"):
        v1, v2, c = realised(rho, a, b, d, rng)
        r_, a_, b_ = _gram_entries(v1, v2, c)
        with mpmath.workdps(DPS):
            worst_cos = max(worst_cos, float(abs(cos_(r_, a_, b_) - VP.effective_cos(v1, v2, c[:, None]))))
            for s2, pt in zip(s2s, VP.pair_frontier(v1, v2, c[:, None], s2s, 1.0), strict=False):
                # the SOCP maximises <v1*, delta> = ||v~_1|| s_1 (budget 1)
                value = mpmath.mpf(pt.norms[0]) * gain(r_, a_, b_, s2)
                inside += pt.enclosure.contains(value, SLACK)
                widest = max(widest, float(pt.enclosure.width))
                total += 1
    ev.confirm(f"definition of theta: on {_samples(cfg)} realised triples (theta near 0 and pi included, d in "
               f"{{3, 5, 16}}) the derived ProjectedCos matches the cosine of the angle between the least-squares "
               f"residuals to {worst_cos:.1e}", worst_cos < _GAP, Method.HIGH_PRECISION)
    ev.confirm(f"definition of the frontier: SOCP in c^perp (max <v1*, delta> s.t. <v2*, delta> fixed, <c, delta> = 0,"
               f" ||delta|| <= 1): the derived MaxNormalisedPairGain times ||v~_1|| lies in the certified enclosure "
               f"at {inside}/{total} points (slack {SLACK:g} for the doubles of the data), widest {widest:.2g}",
               inside == total, Method.SOCP)
    return ev


def check_rem_6_2(cfg: AuditConfig) -> Evidence:
    """PartialCorrelation (derived from regression residuals) against the precision-matrix definition
    -P_12 / sqrt(P_11 P_22), P = R^{-1}, at 50 digits."""
    ev = Evidence()
    pc = closed_form("PartialCorrelation", 3)
    worst = 0.0
    for rho, a, b, _ in triples(cfg, "rem-6.2"):
        R = np.array([[1, rho, a], [rho, 1, b], [a, b, 1]])
        if np.linalg.det(R) < 1e-6:
            continue                                   # the precision matrix needs R invertible
        with mpmath.workdps(DPS):
            worst = max(worst, float(abs(VP.partial_correlation(R) - pc(rho, a, b))))
    ev.confirm(f"definition: the derived PartialCorrelation equals the partial correlation from the precision "
               f"matrix ({DPS} digits) on realisable triples, largest gap {worst:.1e}", worst < _GAP,
               Method.HIGH_PRECISION)
    return ev


def check_cor_6_3(cfg: AuditConfig) -> Evidence:
    """MaxEqualGain against its definition: the SOCP max-min of the normalised gains in c^perp (the equal-gain
    optimum: at the max-min the two normalised gains are equal)."""
    ev = Evidence()
    eq_gain = closed_form("MaxEqualGain", 1)
    rng = rng_for(cfg.seed, "cor-6.3/geometry")
    inside = n = 0
    widest = 0.0
    for rho, a, b, d in triples(cfg, "cor-6.3"):
        v1, v2, c = realised(rho, a, b, d, rng)
        enc = VP.max_min_gain(v1, v2, c[:, None], 1.0).enclosure
        with mpmath.workdps(DPS):
            th = HP.angle(HP.residual(HP.vector(v1), c[:, None]), HP.residual(HP.vector(v2), c[:, None]))
            inside += enc.contains(eq_gain(th), SLACK)
        widest = max(widest, float(enc.width))
        n += 1
    ev.confirm(f"definition: SOCP max-min of the normalised gains in c^perp on {n} geometries (theta near 0 and pi "
               f"included; theta the angle between the residuals at {DPS} digits): the derived MaxEqualGain lies in "
               f"the certified enclosure at {inside}/{n} (slack {SLACK:g}), widest {widest:.2g}", inside == n,
               Method.SOCP)
    return ev


def _two_capabilities(cfg: AuditConfig, claim: str):
    """(v1, v2, C) with two unit, non-orthonormal columns (one pair nearly dependent), d in {4, 6, 12}."""
    rng = rng_for(cfg.seed, claim)
    out = []
    for i in range(_samples(cfg)):
        d = int(rng.choice([4, 6, 12]))
        C = rng.standard_normal((d, 2))
        if i == 0:
            C[:, 1] = C[:, 0] + 1e-3 * rng.standard_normal(d)      # nearly dependent capabilities
        C /= np.linalg.norm(C, axis=0)
        v1, v2 = rng.standard_normal(d), rng.standard_normal(d)
        out.append((v1 / np.linalg.norm(v1), v2 / np.linalg.norm(v2), C))
    return out


def check_prop_6_5(cfg: AuditConfig) -> Evidence:
    """ProjectedCosTwo and MaxNormalisedPairGainTwo (m = 2) against least-squares residuals and the SOCP in C^perp."""
    ev = Evidence()
    cos_ = closed_form("ProjectedCosTwo", 6)
    gain = closed_form("MaxNormalisedPairGainTwo", 7)
    worst, inside, total = 0.0, 0, 0
    for v1, v2, C in _two_capabilities(cfg, "prop-6.5"):
        args = (float(v1 @ v2), *(float(x) for x in C.T @ v1), *(float(x) for x in C.T @ v2), float(C[:, 0] @ C[:, 1]))
        with mpmath.workdps(DPS):
            worst = max(worst, float(abs(cos_(*args) - VP.effective_cos(v1, v2, C))) / np.linalg.cond(C))
            for s2, pt in zip([-0.5, 0.7], VP.pair_frontier(v1, v2, C, [-0.5, 0.7], 1.0), strict=False):
                inside += pt.enclosure.contains(mpmath.mpf(pt.norms[0]) * gain(*args, s2), SLACK * np.linalg.cond(C))
                total += 1
    ev.confirm(f"definition of theta (m = 2, non-orthonormal, one pair nearly dependent): the derived ProjectedCosTwo "
               f"matches the angle between least-squares residuals, largest gap / cond(C) {worst:.1e}", worst < _GAP,
               Method.HIGH_PRECISION)
    ev.confirm(f"definition of the frontier: SOCP in C^perp, the derived MaxNormalisedPairGainTwo times ||v~_1|| in "
               f"the certified enclosure at {inside}/{total} points (slack {SLACK:g} cond(C))", inside == total,
               Method.SOCP)
    return ev


def check_cor_6_6(cfg: AuditConfig) -> Evidence:
    """MaxMinPairGain against its definition: the SOCP max-min of the absolute gains in c^perp."""
    ev = Evidence()
    maxmin = closed_form("MaxMinPairGain", 4)
    rng = rng_for(cfg.seed, "cor-6.6/socp")
    inside = total = 0
    for rho, a, b, d in triples(cfg, "cor-6.6/socp"):
        v1, v2, c = realised(rho, a, b, d, rng)
        enc = VP.max_min_gain(v1, v2, c[:, None], 1.0, normalised=False).enclosure
        with mpmath.workdps(DPS):
            inside += enc.contains(maxmin(*_gram_entries(v1, v2, c), 1), SLACK)
        total += 1
    ev.confirm(f"definition: SOCP max-min of the absolute gains under <c, delta> = 0 on {total} geometries (theta "
               f"near 0 and pi included): the derived MaxMinPairGain (the distance from 0 to [v~_1, v~_2]) lies in "
               f"the certified enclosure at {inside}/{total} (slack {SLACK:g})", inside == total, Method.SOCP)
    return ev

"""Checks of the safety-pair results: Thm 6.1, Rem 6.2, Prop 6.5, Cor 6.3."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from derive import safety_pair as S
from paper_checks.checks.common import (DPS, EXACT_SLACK, SLACK, angle_pairs, identity_space, mp_function,
                                        no_counterexample, random_rotation, realisable_rho, rng_for, unit3)
from paper_checks.checks.common import dot as _dot
from paper_checks.finding import AuditConfig, Certified, Counterexample, Evidence, Method
from verify import high_precision as HP
from verify import safety_pair as VP
from verify import search as S_

_cos12 = mp_function(S.cos_theta_printed, (S.rho, S.a, S.b))
_frontier13 = mp_function(S.s2 * sp.cos(S.theta) + sp.sin(S.theta) * sp.sqrt(1 - S.s2**2), (S.theta, S.s2))


def _triples(cfg: AuditConfig, claim: str) -> list[tuple[float, float, float, int]]:
    """(rho, a, b, d) covering the realisable region: a, b of every sign, |a|, |b| up to 0.99, and
    rho = ab + t sqrt((1-a^2)(1-b^2)) with t = cos(theta) up to +-(1 - 1e-6) (theta near 0 and pi)."""
    rng = rng_for(cfg.seed, claim)
    ts = [1 - 1e-6, -(1 - 1e-6), 0.0] + list(rng.uniform(-1, 1, cfg.samples - 3))
    out = []
    for t in ts:
        rho, a, b = realisable_rho(*rng.uniform(-0.99, 0.99, 2), t)
        out.append((float(rho), float(a), float(b), int(rng.choice([3, 5, 16]))))
    return out


def _pair(rho: float, a: float, b: float, d: int, rng: np.random.Generator):
    v1, v2, c = VP.realise(rho, a, b, d)
    Q = random_rotation(d, rng)
    return [w / np.linalg.norm(w) for w in (Q @ v1, Q @ v2, Q @ c)]


def _frontier_on_data(v1: np.ndarray, v2: np.ndarray, C: np.ndarray, s2: float, B: float,
                      pt: VP.PairPoint) -> mpmath.mpf:
    """Frontier (13) for the double-precision data actually solved, at 50 digits.

    With r_i = P_{C^perp} v_i and t = s2 B ||r2|| as stored: max <r1, delta> s.t. <r2, delta> = t is
    ||r1|| B f(theta, t / (B ||r2||)), f the right side of (13) and theta the angle between r1, r2."""
    with mpmath.workdps(DPS):
        r1, r2 = HP.residual(HP.vector(v1), C), HP.residual(HP.vector(v2), C)
        t = mpmath.mpf(float(s2 * B * pt.norms[1]))
        return HP.norm(r1) * B * _frontier13(HP.angle(r1, r2), t / (B * HP.norm(r2)))


def _projected_cos(v1, v2, c, M):
    """cos of the angle between v_i - <c, v_i> c (unit c): the definition of theta."""
    t1 = tuple(x - _dot(v1, c) * y for x, y in zip(v1, c))
    t2 = tuple(x - _dot(v2, c) * y for x, y in zip(v2, c))
    return _dot(t1, t2) / M.sqrt(_dot(t1, t1) * _dot(t2, t2))


def _eq12_space() -> S_.Space:
    def vecs(p, M):
        return unit3(p[0], p[1], M), unit3(p[2], p[3], M), unit3(p[4], p[5], M)

    def adm(p, M):
        v1, v2, c = vecs(p, M)
        return bool(1 - _dot(v1, c) ** 2 > 1e-3) and bool(1 - _dot(v2, c) ** 2 > 1e-3)

    def printed(p, M):
        v1, v2, c = vecs(p, M)
        rho, a, b = _dot(v1, v2), _dot(c, v1), _dot(c, v2)
        return (rho - a * b) / M.sqrt((1 - a * a) * (1 - b * b))

    return identity_space(("alpha_1", "beta_1", "alpha_2", "beta_2", "alpha_c", "beta_c"),
                          lambda rng: angle_pairs(rng, 3), adm, printed, lambda p, M: _projected_cos(*vecs(p, M), M))


def check_thm_6_1(cfg: AuditConfig) -> Evidence:
    """Eq. (12) from the projections and frontier (13) in c^perp."""
    ev = Evidence()
    no_counterexample(ev, cfg, "thm-6.1", "a geometry where eq. (12) differs from the projected angle", _eq12_space())
    rng = rng_for(cfg.seed, "thm-6.1/geometry")
    cases = _triples(cfg, "thm-6.1")
    worst_cos, inside, total, widest = 0.0, 0, 0, mpmath.mpf(0)
    for rho, a, b, d in cases:
        v1, v2, c = _pair(rho, a, b, d, rng)
        rho_, a_, b_ = float(v1 @ v2), float(c @ v1), float(c @ v2)
        with mpmath.workdps(DPS):
            worst_cos = max(worst_cos, float(abs(_cos12(rho_, a_, b_) - VP.effective_cos(v1, v2, c[:, None]))))
        s2s = [-0.9, 0.0, 0.6]
        for s2, pt in zip(s2s, VP.pair_frontier(v1, v2, c[:, None], s2s, 1.0)):
            inside += pt.enclosure.contains(_frontier_on_data(v1, v2, c[:, None], s2, 1.0, pt), EXACT_SLACK)
            widest = max(widest, pt.enclosure.width)
            total += 1
    n = len(cases)
    ev.confirm(f"numeric projections on {n} realised triples (theta near 0 and pi included, d in {{3,5,16}}): "
               f"eq. (12) matches the cosine of the projected angle to {worst_cos:.1e}", worst_cos < 1e-9,
               Method.HIGH_PRECISION)
    ev.confirm(f"SOCP in c^perp (max <v1*,delta> s.t. <v2*,delta> fixed, <c,delta> = 0): eq. (13) inside the "
               f"certified enclosure (evaluated at {DPS} digits on the stored data) at {inside}/{total} points, widest "
               f"{mpmath.nstr(widest, 3)}", inside == total, Method.SOCP)
    ev.methods.add(Method.INTERVAL)
    return ev


def _partial_correlation_space() -> S_.Space:
    """(rho, a, b) in the realisable region: eq. (12) against -P_12 / sqrt(P_11 P_22), P the inverse of the
    correlation matrix (written out by cofactors)."""

    def sample(rng):
        a, b = rng.uniform(-0.99, 0.99, 2)
        return realisable_rho(a, b, rng.uniform(-0.999, 0.999))

    def adm(p, M):
        rho, a, b = p
        return bool(a * a < 0.999) and bool(b * b < 0.999) and bool(1 + 2 * rho * a * b - rho**2 - a * a - b * b > 1e-6)

    def printed(p, M):
        rho, a, b = p
        return (rho - a * b) / M.sqrt((1 - a * a) * (1 - b * b))

    def precision(p, M):
        rho, a, b = p
        det = 1 + 2 * rho * a * b - rho**2 - a * a - b * b
        p11, p22, p12 = (1 - b * b) / det, (1 - a * a) / det, -(rho - a * b) / det
        return -p12 / M.sqrt(p11 * p22)

    return identity_space(("rho", "a", "b"), sample, adm, printed, precision)


def check_rem_6_2(cfg: AuditConfig) -> Evidence:
    """Eq. (12) is the partial correlation of v1*, v2* given c."""
    ev = Evidence()
    no_counterexample(ev, cfg, "rem-6.2", "a realisable (rho, a, b) where eq. (12) is not the partial correlation",
                      _partial_correlation_space())
    worst = 0.0
    rng = rng_for(cfg.seed, "rem-6.2/geometry")
    for rho, a, b, d in _triples(cfg, "rem-6.2"):
        v1, v2, c = _pair(rho, a, b, d, rng)
        G = np.array([[1, v1 @ v2, v1 @ c], [v1 @ v2, 1, v2 @ c], [v1 @ c, v2 @ c, 1]])
        pc = VP.partial_correlation(G)
        worst = max(worst, float(abs(pc - VP.effective_cos(v1, v2, c[:, None]))))
    ev.confirm(f"numeric: the partial correlation from the precision matrix ({DPS} digits) equals the cosine of "
               f"the angle between the projections on {cfg.samples} triples, largest gap {worst:.1e}",
               worst < 1e-9, Method.HIGH_PRECISION)
    return ev


def _capability_sets(cfg: AuditConfig, claim: str):
    """(v1, v2, C): m = 1..3 non-orthonormal columns, one set nearly dependent, d from 4 to 12."""
    rng = rng_for(cfg.seed, claim)
    out = []
    for i in range(cfg.samples):
        d, m = int(rng.choice([4, 6, 12])), int(rng.integers(1, 4))
        C = rng.standard_normal((d, m)) * rng.uniform(0.2, 3, m)
        if i == 0 and m > 1:
            C[:, 1] = C[:, 0] + 1e-3 * rng.standard_normal(d)      # nearly dependent capabilities
        v1, v2 = rng.standard_normal(d), rng.standard_normal(d)
        out.append((v1 / np.linalg.norm(v1), v2 / np.linalg.norm(v2), C))
    return out


def _eq15(v1: np.ndarray, v2: np.ndarray, C: np.ndarray) -> float:
    """Eq. (15) as printed, with tau_i = ||P_C v_i||^2 (P_C by its definition, least squares)."""
    a, b, G = C.T @ v1, C.T @ v2, C.T @ C
    tau = [float(np.linalg.norm(v - VP.residual(v, C))**2) for v in (v1, v2)]
    return float((v1 @ v2 - a @ np.linalg.solve(G, b)) / np.sqrt((1 - tau[0]) * (1 - tau[1])))


def _eq15_space() -> S_.Space:
    """v1, v2 unit and two non-orthonormal capabilities c1, c2 (unit) in R^4... kept in R^3 with m = 2:
    eq. (15) against the angle between the residuals of least squares on [c1, c2]."""
    def vecs(p, M):
        return [unit3(p[2 * i], p[2 * i + 1], M) for i in range(4)]

    def resid(v, c1, c2, M):
        g = _dot(c1, c2)
        a1, a2 = _dot(v, c1), _dot(v, c2)
        det = 1 - g * g
        x1, x2 = (a1 - g * a2) / det, (a2 - g * a1) / det
        return tuple(vi - x1 * p - x2 * q for vi, p, q in zip(v, c1, c2))

    def adm(p, M):
        v1, v2, c1, c2 = vecs(p, M)
        r1, r2 = resid(v1, c1, c2, M), resid(v2, c1, c2, M)
        return bool(1 - _dot(c1, c2) ** 2 > 1e-2) and bool(_dot(r1, r1) > 1e-3) and bool(_dot(r2, r2) > 1e-3)

    def printed(p, M):
        v1, v2, c1, c2 = vecs(p, M)
        g = _dot(c1, c2)
        a, b = (_dot(c1, v1), _dot(c2, v1)), (_dot(c1, v2), _dot(c2, v2))
        det = 1 - g * g
        quad = lambda x, y: (x[0] * y[0] + x[1] * y[1] - g * (x[0] * y[1] + x[1] * y[0])) / det  # noqa: E731
        return (_dot(v1, v2) - quad(a, b)) / M.sqrt((1 - quad(a, a)) * (1 - quad(b, b)))

    def definition(p, M):
        v1, v2, c1, c2 = vecs(p, M)
        r1, r2 = resid(v1, c1, c2, M), resid(v2, c1, c2, M)
        return _dot(r1, r2) / M.sqrt(_dot(r1, r1) * _dot(r2, r2))

    names = tuple(f"{n}_{k}" for k in ("v1", "v2", "c1", "c2") for n in ("alpha", "beta"))
    return identity_space(names, lambda rng: angle_pairs(rng, 4), adm, printed, definition)


def check_prop_6_5(cfg: AuditConfig) -> Evidence:
    """Eq. (15)-(16) for several, non-orthonormal capabilities; the frontier (13) in C^perp."""
    ev = Evidence()
    no_counterexample(ev, cfg, "prop-6.5", "a geometry where eq. (15) differs from the projected angle (m = 2, "
                      "non-orthonormal)", _eq15_space())
    worst, inside, total = 0.0, 0, 0
    for v1, v2, C in _capability_sets(cfg, "prop-6.5"):
        numeric = VP.effective_cos(v1, v2, C)
        printed = _eq15(v1, v2, C)
        worst = max(worst, abs(printed - numeric) / max(1.0, np.linalg.cond(C)))
        for s2, pt in zip([-0.5, 0.7], VP.pair_frontier(v1, v2, C, [-0.5, 0.7], 2.0)):
            inside += pt.enclosure.contains(_frontier_on_data(v1, v2, C, s2, 2.0, pt), EXACT_SLACK)
            total += 1
    ev.confirm(f"numeric on {cfg.samples} capability sets (m = 1..3, non-orthonormal, one nearly dependent): "
               f"eq. (15) matches the angle between least-squares residuals, largest gap / cond(C) {worst:.1e}",
               worst < 1e-9, Method.HIGH_PRECISION)
    ev.confirm(f"SOCP in C^perp: (13), with theta the angle between the projections (evaluated at {DPS} digits "
               f"on the stored data), inside the certified enclosure at {inside}/{total} points",
               inside == total, Method.SOCP)
    ev.methods.add(Method.INTERVAL)
    return ev


def _equal_gain_space() -> S_.Space:
    """(theta, r, psi): delta = r (cos psi, sin psi) with |delta| <= 1 in the plane of the unit projections
    u1 = e1, u2 = (cos theta, sin theta); margin = cos(theta/2) - min(<u1, delta>, <u2, delta>)."""

    def sample(rng):
        return (rng.uniform(0, np.pi), rng.uniform(0, 1), rng.uniform(-np.pi, np.pi))

    def adm(p, M):
        return bool(p[0] >= 0) and bool(p[0] <= np.pi) and bool(p[1] >= 0) and bool(p[1] <= 1)

    def margin(p, M):
        th, r, ps = p
        return M.cos(th / 2) - M.min(r * M.cos(ps), r * (M.cos(th) * M.cos(ps) + M.sin(th) * M.sin(ps)))

    return S_.Space(("theta", "r", "psi"), sample, adm, margin, strict=False)


def check_cor_6_3(cfg: AuditConfig) -> Evidence:
    """The maximum equal normalised gain is cos(theta/2)."""
    ev = Evidence()
    no_counterexample(ev, cfg, "cor-6.3", "a feasible equal gain above cos(theta/2)", _equal_gain_space())
    rng = rng_for(cfg.seed, "cor-6.3/geometry")
    inside, widest = 0, mpmath.mpf(0)
    cases = _triples(cfg, "cor-6.3")
    for rho, a, b, d in cases:
        v1, v2, c = _pair(rho, a, b, d, rng)
        enc = VP.max_min_gain(v1, v2, c[:, None], 1.0).enclosure
        with mpmath.workdps(DPS):
            theta = HP.angle(HP.residual(HP.vector(v1), c[:, None]), HP.residual(HP.vector(v2), c[:, None]))
            inside += enc.contains(mpmath.cos(theta / 2), SLACK)
        widest = max(widest, enc.width)
    n = len(cases)
    ev.confirm(f"SOCP max-min of the normalised gains in c^perp on {n} geometries (theta near 0 and pi "
               f"included; theta the angle between the projections at {DPS} digits): cos(theta/2) inside the "
               f"certified enclosure (1e-12 allowed: the gains are normalised in doubles) at {inside}/{n}, widest "
               f"{mpmath.nstr(widest, 3)}", inside == n, Method.SOCP)
    ev.methods.add(Method.INTERVAL)
    with mpmath.workdps(DPS):
        lim0 = mpmath.cos(mpmath.mpf(10) ** -30 / 2)
        limpi = mpmath.cos((mpmath.pi - mpmath.mpf(10) ** -30) / 2)
    ev.confirm(f"limits at {DPS} digits: theta -> 0 gives s -> 1 (gap {mpmath.nstr(1 - lim0, 3)}), "
               f"theta -> pi gives s -> 0 (value {mpmath.nstr(limpi, 3)})",
               1 - lim0 < 1e-40 and limpi < 1e-29, Method.HIGH_PRECISION)
    return ev


def _cor66_space() -> S_.Space:
    """(rho, a, b): margin = eq. (17)'s bound minus the best min-gain of two explicit feasible directions."""

    def sample(rng):
        a, b = rng.uniform(-0.999, 0.999, 2)
        return realisable_rho(a, b, rng.uniform(-1, 1))

    def admissible(p, M):
        rho, a, b = p
        return bool(a * a < 1) and bool(b * b < 1) and bool(1 + 2 * rho * a * b - rho**2 - a * a - b * b > 0)

    def margin(p, M):
        rho, a, b = p
        n1, n2 = M.sqrt(1 - a * a), M.sqrt(1 - b * b)
        g = rho - a * b                                  # <v~1, v~2>
        half = M.sqrt((1 + g / (n1 * n2)) / 2)           # cos(theta/2)
        bound = half * M.min(n1, n2)
        # delta = v~1/n1 gives gains (n1, g/n1); delta = v~2/n2 gives (g/n2, n2); both are feasible.
        # margin < 0 iff one of them has both gains above the bound.
        return M.min(M.max(bound - n1, bound - g / n1), M.max(bound - g / n2, bound - n2))

    return S_.Space(("rho", "a", "b"), sample, admissible, margin, strict=False)


def check_cor_6_6(cfg: AuditConfig) -> Evidence:
    """Eq. (17): min(Delta_S1, Delta_S2) <= B' cos(theta/2) min(sqrt(1 - tau_1), sqrt(1 - tau_2))."""
    ev = Evidence()
    v1 = (Fraction(1), Fraction(0), Fraction(0))
    v2 = (Fraction(12, 25), Fraction(9, 25), Fraction(20, 25))
    delta = (Fraction(4, 5), Fraction(3, 5), Fraction(0))              # unit, orthogonal to c = e3
    gains = (sum(x * y for x, y in zip(v1, delta)), sum(x * y for x, y in zip(v2, delta)))
    n1_sq, n2_sq = 1 - v1[2] ** 2, 1 - v2[2] ** 2
    cos_t_sq = (sum(x * y for x, y in zip(v1[:2], v2[:2]))) ** 2 / (n1_sq * n2_sq)
    bound_sq = (1 + Fraction(4, 5)) / 2 * min(n1_sq, n2_sq)          # cos theta = 4/5 (cos^2 = 16/25)
    if cos_t_sq == Fraction(16, 25) and min(gains) ** 2 > bound_sq:
        ev.counterexample = Counterexample(
            {"v1": ["1", "0", "0"], "v2": ["12/25", "9/25", "4/5"], "c": ["0", "0", "1"], "B": "1"},
            f"min(Delta_S1, Delta_S2) <= cos(theta/2) min(sqrt(1-tau_1), sqrt(1-tau_2)), squared: {bound_sq}",
            f"delta = (4/5, 3/5, 0) (unit, <c, delta> = 0) gives gains ({gains[0]}, {gains[1]}), "
            f"min^2 = {min(gains) ** 2}",
            Certified.EXACT)
        ev.correction = ("max min(Delta_S1, Delta_S2) = B' dist(0, [v~_1, v~_2]) = B' n1 n2 sin(theta) / "
                         "sqrt(n1^2 + n2^2 - 2 n1 n2 cos(theta)) when the foot of the perpendicular lies on the "
                         "segment, else B' min(n1, n2) (n_i = sqrt(1 - tau_i)); it is >= eq. (17)'s right side, "
                         "with equality iff n1 = n2 or theta in {0, pi}. Eq. (17) is a lower bound (attained at the "
                         "equal normalised point), not an upper bound.")
    rep = S_.search(_cor66_space(), rng_for(cfg.seed, "cor-6.6"), samples=40 * cfg.samples)
    ev.note(f"search over (rho, a, b): {rep.describe()}; "
            f"{'a counterexample was found and certified: ' + str(rep.found.parameters) if rep.found else 'none certified'}")
    inside = total = 0
    rng = rng_for(cfg.seed, "cor-6.6/socp")
    for rho, a, b, d in _triples(cfg, "cor-6.6/socp"):
        v1_, v2_, c_ = _pair(rho, a, b, d, rng)
        enc = VP.max_min_gain(v1_, v2_, c_[:, None], 1.0, normalised=False).enclosure
        with mpmath.workdps(DPS):
            r1, r2 = HP.residual(HP.vector(v1_), c_[:, None]), HP.residual(HP.vector(v2_), c_[:, None])
            corrected = _segment_distance(r1, r2)
        inside += enc.contains(corrected, EXACT_SLACK)
        total += 1
    ev.correction_verified = ev.confirm(
        f"SOCP max-min of the absolute gains on {total} geometries (theta near 0 and pi included): the corrected "
        f"value, B' times the distance from 0 to the segment [v~_1, v~_2] at {DPS} digits on the stored data, inside "
        f"the certified enclosure {inside}/{total}", inside == total, Method.SOCP)
    ev.methods.add(Method.INTERVAL)
    return ev


def _segment_distance(r1, r2) -> mpmath.mpf:
    """dist(0, [r1, r2]) via the derived minimiser lambda* clipped to [0, 1]."""
    diff = r1 - r2
    den = sum(x * x for x in diff)
    if den == 0:
        return HP.norm(r1)
    lam = min(1, max(0, (sum(x * y for x, y in zip(r2, r2)) - sum(x * y for x, y in zip(r1, r2))) / den))
    return HP.norm(lam * r1 + (1 - lam) * r2)

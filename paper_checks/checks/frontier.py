"""Checks of the single-capability frontier: the independent numeric route for the quantities its statements name.

Each check solves the optimisation from its definition (one SOCP, Clarabel, with a certified enclosure; verify/)
and compares the optimum with the closed form that derive/ derived and ``paper_checks.definitions`` registered:
the statement's search trusts that closed form, so this is where it could be caught wrong.  No check sets a
verdict, a counterexample or a correction (the statement and the rule do), and no formula of the paper is typed
here: a closed form comes from ``DEFINITIONS``, a printed formula from the claim's statement.
"""
from __future__ import annotations

from fractions import Fraction
from collections.abc import Callable

import mpmath
import numpy as np
import sympy as sp

from paper_checks.checks.common import DPS, EXACT_SLACK, SLACK, random_rotation, rng_for
from paper_checks.definitions import DEFINITIONS
from paper_checks.finding import AuditConfig, Evidence, Method
from paper_checks.statements import frontier as SF
from verify import frontier as VF
from verify import high_precision as HP
from verify import socp

__all__ = ["check_thm_4_1", "check_thm_4_1_tight", "check_pareto", "check_ellipse", "check_ellipse_conic",
           "check_sphere_section", "check_rem_4_2", "check_rem_4_2_orthogonal", "check_rem_4_2_quarter",
           "check_rem_4_2_continuity", "check_sec_7_3", "closed_form"]


def closed_form(name: str, nargs: int) -> Callable[..., mpmath.mpf]:
    """The registered closed form of the defined quantity ``name`` as an mpmath function of its arguments.

    Read at call time from ``DEFINITIONS``, so a test that breaks the closed form sees the check fail."""
    args = sp.symbols(f"a0:{nargs}", real=True)
    return sp.lambdify(args, DEFINITIONS[name].closed_form(*args), modules="mpmath")


def _count(cfg: AuditConfig, share: int = 2) -> int:
    # The SOCPs confirm a definition the derivation already proves; a handful of geometries per claim suffices
    # (the audit's budget is seconds), with the edge angles always included.
    return max(4, cfg.samples // share)


def _geometry(alpha: float, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    v, c = VF.plane_geometry(alpha, d)
    Q = random_rotation(d, rng)
    v, c = Q @ v, Q @ c
    return v / np.linalg.norm(v), c / np.linalg.norm(c)


def _on_data(value: Callable[..., mpmath.mpf], v: np.ndarray, c: np.ndarray, dc: float, B: float) -> mpmath.mpf:
    """The closed form for the double-precision data actually solved: with v = |v| v^, c = |c| c^,
    max <v, delta> s.t. <c, delta> = Delta_C is |v| F(angle(v, c), B, Delta_C / |c|)."""
    vm, cm = HP.vector(v), HP.vector(c)
    return HP.norm(vm) * value(HP.angle(vm, cm), mpmath.mpf(B), mpmath.mpf(dc) / HP.norm(cm))


def _max_safety_confirmation(ev: Evidence, cfg: AuditConfig, key: str, alphas: list[float]) -> None:
    """SOCP optima of ``max <v*, delta>`` on rotated geometries against the closed form of ``MaxSafetyGain``."""
    value = closed_form("MaxSafetyGain", 3)
    rng = rng_for(cfg.seed, key)
    inside, widest = 0, mpmath.mpf(0)
    for al in alphas:
        d = int(rng.choice([2, 3, 8, 64]))
        B = float(rng.uniform(0.1, 10))
        dc = float(rng.uniform(-0.999, 0.999) * B)
        v, c = _geometry(al, d, rng)
        point = VF.max_safety_gain(v, c, dc, B)
        with mpmath.workdps(DPS):
            inside += point.enclosure.contains(_on_data(value, v, c, dc, B), EXACT_SLACK)
        widest = max(widest, point.enclosure.width)
    n = len(alphas)
    ev.confirm(f"SOCP (Clarabel) on {n} geometries (d in {{2,3,8,64}}, randomly rotated; alpha = "
               f"{', '.join(f'{a:.3g}' for a in alphas[:3])}, ...): the closed form of MaxSafetyGain, evaluated at "
               f"{DPS} digits on the stored double-precision data, inside the certified enclosure in {inside}/{n} "
               f"(widest enclosure {mpmath.nstr(widest, 3)})", inside == n, Method.SOCP)


def check_thm_4_1(cfg: AuditConfig) -> Evidence:
    """MaxSafetyGain's closed form against the SOCP optimum, the edge angles alpha = 0, pi/2, pi included."""
    ev = Evidence()
    rng = rng_for(cfg.seed, "thm-4.1")
    alphas = [0.0, np.pi / 2, np.pi] + list(rng.uniform(0, np.pi, _count(cfg) - 3))
    _max_safety_confirmation(ev, cfg, "thm-4.1/geometry", alphas)
    return ev


def check_thm_4_1_tight(cfg: AuditConfig) -> Evidence:
    """LargestMaximiserNorm's closed form: the solver's (unique) maximiser for d >= 2, the single feasible point in
    d = 1."""
    ev = Evidence()
    norm = closed_form("LargestMaximiserNorm", 4)
    rng = rng_for(cfg.seed, "thm-4.1.tight")
    n, ok, worst = _count(cfg, 3), 0, 0.0
    for _ in range(n):
        al, d, B = float(rng.uniform(0.05, np.pi - 0.05)), int(rng.choice([2, 3, 8])), float(rng.uniform(0.5, 5))
        dc = float(rng.uniform(-0.95, 0.95) * B)
        v, c = _geometry(al, d, rng)
        got = float(np.linalg.norm(VF.max_safety_gain(v, c, dc, B).delta))
        want = float(norm(al, B, dc, d))
        worst = max(worst, abs(got - want) / B)
        ok += abs(got - want) <= 1e-6 * B          # the solver's maximiser, to its tolerance
    ev.confirm(f"SOCP on {n} geometries with 0 < alpha < pi, d in {{2,3,8}}: the norm of the solver's maximiser "
               f"(unique there) equals the closed form, {ok}/{n} within 1e-6 B (largest gap {worst:.2g} B)",
               ok == n, Method.SOCP)
    # d = 1: v*, c in {-1, 1}, so <c, delta> = Delta_C has the single solution Delta_C / c, in exact rationals.
    exact = 0
    for _ in range(n):
        c1, v1 = Fraction(int(rng.choice([-1, 1]))), Fraction(int(rng.choice([-1, 1])))
        B = Fraction(int(rng.integers(1, 20)), int(rng.integers(1, 20)))
        dc = B * Fraction(int(rng.integers(-9, 10)), 10)
        only = dc / c1
        al = 0 if v1 == c1 else sp.pi
        exact += sp.nsimplify(norm(al, sp.Rational(B.numerator, B.denominator),
                                   sp.Rational(dc.numerator, dc.denominator), 1)) == abs(only)
    ev.confirm(f"d = 1, exact: on {n} random (v*, c in {{-1, 1}}, B, Delta_C) the norm of the only feasible point "
               f"Delta_C / c equals the closed form in {exact}/{n}", exact == n, Method.EXACT)
    return ev


def _pareto_end_confirmation(ev: Evidence, cfg: AuditConfig, key: str) -> None:
    """ParetoLowerEnd's closed form against its definition: every maximiser of a positive weighting
    l Delta_S + (1 - l) Delta_C is Pareto-efficient (the attainable set is convex and compact), so its capability
    change lies in [ParetoLowerEnd, B]; and as l -> 1 the maximiser tends to the end itself (delta = B v*)."""
    lower = closed_form("ParetoLowerEnd", 2)
    rng = rng_for(cfg.seed, key)
    n = _count(cfg)
    draws = [(rng.uniform(0.01, np.pi - 0.01), rng.uniform(0.001, 0.999), rng.uniform(0.5, 5)) for _ in range(n)]
    # The last problem weights Delta_S alone (l = 1): its maximiser B v* is the efficient arc's end.
    draws.append((float(rng.uniform(0.01, np.pi - 0.01)), 1.0, float(rng.uniform(0.5, 5))))
    planes = [VF.plane_geometry(al, 3) for al, _, _ in draws]
    w = np.stack([lam * v + (1 - lam) * c for (_, lam, _), (v, c) in zip(draws, planes, strict=False)])
    # One batched solve (the DPP problem is shared): a handful of confirmations costs one call.
    sols = socp.solve(w[:, None, :], np.zeros((n + 1, 0, 3)), np.zeros((n + 1, 0)),
                      np.array([Bv for _, _, Bv in draws]))
    dcs = [float(c @ sol.delta) for (_, c), sol in zip(planes, sols, strict=False)]
    ok = sum(float(lower(al, Bv)) - 1e-7 * Bv <= dc <= Bv * (1 + 1e-7)
             for (al, _, Bv), dc in zip(draws[:n], dcs, strict=False))
    al, _, Bv = draws[-1]
    at_end = abs(dcs[-1] - float(lower(al, Bv))) <= 1e-6 * Bv
    ev.confirm(f"SOCP: maximisers of {n} random positive weightings of (Delta_S, Delta_C) (Pareto-efficient points) "
               f"all have ParetoLowerEnd <= Delta_C <= B ({ok}/{n}; solver tolerance 1e-7 B), and the maximiser of "
               f"Delta_S alone sits at ParetoLowerEnd ({'yes' if at_end else 'no'})", ok == n and at_end, Method.SOCP)


def check_pareto(cfg: AuditConfig) -> Evidence:
    """The efficient points of the attainable set, from the SOCP, lie where ParetoLowerEnd says."""
    ev = Evidence()
    _pareto_end_confirmation(ev, cfg, "thm-4.1.pareto")
    return ev


def _conic_confirmation(ev: Evidence, cfg: AuditConfig, key: str) -> None:
    """Both the maximum and the minimum of Delta_S at fixed Delta_C lie on the conic of ``ellipse.conic``."""
    rel = SF.STATEMENTS["ellipse.conic"].conclusion
    S = sp.Symbol("S", real=True)
    q = (rel.lhs - rel.rhs).replace(SF.MaxSafetyGain, lambda *a: S)
    Q = sp.lambdify((S, SF.alpha, SF.B, SF.Delta_C), q, modules=[{"sin": mpmath.iv.sin, "cos": mpmath.iv.cos,
                                                                 "sqrt": mpmath.iv.sqrt}, mpmath.iv])
    rng = rng_for(cfg.seed, key)
    n, on = _count(cfg, 3), 0
    for _ in range(n):
        al, B = float(rng.uniform(0, np.pi)), float(rng.uniform(0.1, 10))
        dc = float(rng.uniform(-0.999, 0.999) * B)
        v, c = VF.plane_geometry(al, 2)
        cos_a = float(v @ c)
        al_data = float(np.arccos(np.clip(cos_a, -1, 1)))
        hits = []
        for sign in (1, -1):                      # min <v, delta> = -max <-v, delta>
            enc = VF.max_safety_gain(sign * v, c, dc, B).enclosure
            with mpmath.workdps(DPS):
                Siv = mpmath.iv.mpf([enc.lower - SLACK * B, enc.upper + SLACK * B]) * sign
                val = Q(Siv, mpmath.iv.mpf([al_data - 1e-15, al_data + 1e-15]), mpmath.iv.mpf(B), mpmath.iv.mpf(dc))
                hits.append(val.a <= 0 <= val.b)
        on += all(hits)
    ev.confirm(f"SOCP: on {n} geometries both the maximum and the minimum of Delta_S at fixed Delta_C lie on the conic "
               f"of ellipse.conic (evaluated on the certified enclosures in interval arithmetic): {on}/{n}",
               on == n, Method.SOCP)
    ev.methods.add(Method.INTERVAL)


def check_ellipse(cfg: AuditConfig) -> Evidence:
    """Strict curvature from the definition: SOCP enclosures certify F(mid) > chord for 0 < alpha < pi."""
    ev = Evidence()
    rng = rng_for(cfg.seed, "ellipse")
    n, strictly = _count(cfg, 3), 0
    for _ in range(n):
        al, B = float(rng.uniform(0.05, np.pi - 0.05)), float(rng.uniform(0.5, 5))
        d1, d2 = sorted(rng.uniform(-0.95, 0.95, 2) * B)
        lam = float(rng.uniform(0.1, 0.9))
        v, c = VF.plane_geometry(al, 2)
        e1, e2, em = (p.enclosure for p in VF.max_safety_gains(v, c, [d1, d2, lam * d1 + (1 - lam) * d2], B))
        with mpmath.workdps(DPS):
            strictly += em.lower > lam * e1.upper + (1 - lam) * e2.upper
    ev.confirm(f"SOCP on {n} random (0 < alpha < pi, Delta_C < Delta_C', lambda): the certified optimum at the "
               f"mid point exceeds the chord of the certified optima at the ends, {strictly}/{n}",
               strictly == n, Method.SOCP)
    _conic_confirmation(ev, cfg, "ellipse/conic")
    _pareto_end_confirmation(ev, cfg, "ellipse/pareto-end")
    return ev


def check_ellipse_conic(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    _conic_confirmation(ev, cfg, "ellipse.conic")
    return ev


def check_sphere_section(cfg: AuditConfig) -> Evidence:
    """The semi-axes' closed forms against the support function of the attainable set along (1, +-1)/sqrt 2."""
    ev = Evidence()
    along = {"SemiAxisAlongSum": 1.0, "SemiAxisAlongDifference": -1.0}
    forms = {name: closed_form(name, 2) for name in along}
    rng = rng_for(cfg.seed, "ellipse.sphere")
    n, ok = _count(cfg, 3), 0
    for _ in range(n):
        al, Bv = float(rng.uniform(0.01, np.pi - 0.01)), float(rng.uniform(0.5, 5))
        v, c = VF.plane_geometry(al, 2)
        for name, sign in along.items():
            # support function of {(<c,delta>, <v*,delta>)} along (1, sign)/sqrt 2 = max <(c + sign v*)/sqrt 2, delta>
            w = (c + sign * v) / np.sqrt(2)
            sol = socp.solve(w[None, None, :], np.zeros((1, 0, 2)), np.zeros((1, 0)), np.array([Bv]))[0]
            enc = socp.certify(sol, w[None, :], np.zeros((0, 2)), np.zeros(0), Bv)
            with mpmath.workdps(DPS):
                ok += enc.contains(forms[name](mpmath.mpf(al), mpmath.mpf(Bv)), SLACK * Bv)
    ev.confirm(f"SOCP: the support function of the attainable set along (1, 1)/sqrt 2 and (1, -1)/sqrt 2 equals the "
               f"closed forms of SemiAxisAlongSum and SemiAxisAlongDifference inside the certified enclosure on "
               f"{ok}/{2 * n} (alpha, B, direction)", ok == 2 * n, Method.SOCP)
    return ev


def _at_angle(ev: Evidence, cfg: AuditConfig, key: str, alphas: tuple[float, ...]) -> None:
    """MaxSafetyGain's closed form at the given angles (where derive's KKT argument, stated for 0 < alpha < pi,
    says nothing by itself) against the SOCP optimum at several Delta_C, negative ones included."""
    value = closed_form("MaxSafetyGain", 3)
    rng = rng_for(cfg.seed, key)
    total = ok = 0
    for al in alphas:
        B = float(rng.uniform(0.5, 5))
        dcs = list(rng.uniform(-0.99, 0.99, 3) * B)
        v, c = VF.plane_geometry(al, 4)
        for p in VF.max_safety_gains(v, c, dcs, B):
            with mpmath.workdps(DPS):
                ok += p.enclosure.contains(_on_data(value, v, c, p.Delta_C, B), SLACK * B)
            total += 1
    ev.confirm(f"SOCP at alpha = {', '.join(f'{a:.4g}' for a in alphas)}: the closed form of MaxSafetyGain inside the "
               f"certified enclosure at {ok}/{total} capability changes (negative ones included)", ok == total,
               Method.SOCP)


def check_rem_4_2(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    _at_angle(ev, cfg, "rem-4.2", (0.0, np.pi))
    return ev


def check_rem_4_2_orthogonal(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    _at_angle(ev, cfg, "rem-4.2.orthogonal", (np.pi / 2,))
    return ev


def check_rem_4_2_quarter(cfg: AuditConfig) -> Evidence:
    """FrontierSweep's closed form against the angle between two SOCP frontier points."""
    ev = Evidence()
    sweep = closed_form("FrontierSweep", 3)
    rng = rng_for(cfg.seed, "rem-4.2.quarter")
    n, ok, worst = _count(cfg, 3), 0, 0.0
    for _ in range(n):
        al, B = float(rng.uniform(0.05, np.pi - 0.05)), float(rng.uniform(0.5, 5))
        lo = float(rng.uniform(-0.95, 0.9) * B)
        hi = B * (1 - 1e-9)                      # the curve's end Delta_C = B, approached from inside
        v, c = VF.plane_geometry(al, 2)
        p_lo, p_hi = VF.max_safety_gains(v, c, [lo, hi], B)
        a = np.array([lo, p_lo.enclosure.solver_value])
        b = np.array([hi, p_hi.enclosure.solver_value])
        got = float(np.arccos(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1, 1)))
        gap = abs(got - float(sweep(al, B, lo)))
        worst = max(worst, gap)
        ok += gap <= 1e-4                        # the end point is 1e-9 B inside: its angle moves by ~sqrt(1e-9)
    ev.confirm(f"SOCP: on {n} random (alpha, B, lo) the angle between the optimal points at Delta_C = lo and "
               f"Delta_C -> B equals the closed form of FrontierSweep within 1e-4 ({ok}/{n}; largest gap {worst:.2g})",
               ok == n, Method.SOCP)
    _pareto_end_confirmation(ev, cfg, "rem-4.2.quarter/pareto-end")
    return ev


def check_rem_4_2_continuity(cfg: AuditConfig) -> Evidence:
    """The statement's modulus of continuity in alpha, on certified SOCP optima (no closed form involved)."""
    ev = Evidence()
    modulus = sp.lambdify((SF.alpha, SF.alpha2, SF.B), SF.STATEMENTS["rem-4.2.continuity"].conclusion.rhs, "mpmath")
    rng = rng_for(cfg.seed, "rem-4.2.continuity")
    n, ok = _count(cfg, 3), 0
    for _ in range(n):
        a1, B = float(rng.uniform(0, np.pi)), float(rng.uniform(0.5, 5))
        a2 = float(np.clip(a1 + rng.uniform(-0.3, 0.3), 0, np.pi))
        dc = float(rng.uniform(-0.99, 0.99) * B)
        e1 = VF.max_safety_gain(*VF.plane_geometry(a1, 2), dc, B).enclosure
        e2 = VF.max_safety_gain(*VF.plane_geometry(a2, 2), dc, B).enclosure
        with mpmath.workdps(DPS):
            # the smallest difference the enclosures allow must not exceed the modulus
            spread = max(e1.lower - e2.upper, e2.lower - e1.upper, 0)
            ok += spread <= modulus(mpmath.mpf(a1), mpmath.mpf(a2), mpmath.mpf(B))
    ev.confirm(f"SOCP on {n} random (alpha, alpha', B, Delta_C): the certified optima differ by at most the "
               f"statement's modulus B |alpha - alpha'| ({ok}/{n})", ok == n, Method.SOCP)
    return ev


def check_sec_7_3(cfg: AuditConfig) -> Evidence:
    """Model averaging: the averaged point is dominated, from certified SOCP optima (0 < alpha < pi; delta in R^3, so
    components off the plane are exercised too): strictly below the maximum at the averaged capability change."""
    ev = Evidence()
    rng = rng_for(cfg.seed, "sec-7.3")
    n, strictly = _count(cfg, 3), 0
    for _ in range(n):
        al, B = float(rng.uniform(0.01, np.pi - 0.01)), float(rng.uniform(0.5, 5))
        v, c = VF.plane_geometry(al, 3)
        delta = rng.standard_normal(3)
        delta *= B * rng.uniform(0.2, 1) / np.linalg.norm(delta)
        lam = float(rng.uniform(0.05, 0.95))
        point = VF.max_safety_gain(v, c, lam * float(c @ delta), B)
        strictly += point.enclosure.lower > lam * float(v @ delta)
    ev.confirm(f"SOCP on {n} random (0 < alpha < pi, delta, lambda): the certified maximum safety gain at the averaged "
               f"capability change strictly exceeds the averaged safety gain {strictly}/{n}", strictly == n,
               Method.SOCP)
    _pareto_end_confirmation(ev, cfg, "sec-7.3/pareto-end")
    ev.note("the HMA sentences of Section 7.3 are empirical and not checked")
    return ev

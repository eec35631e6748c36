"""Checks of the tax rate: Def 3.4, Cor 4.5, Rem 4.6, and Predictions 1-2 (their mathematical parts)."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from paper_checks.checks.common import DPS, angle_pairs, dot, identity_space, no_counterexample, rng_for, unit3
from paper_checks.finding import AuditConfig, Certified, Counterexample, Evidence, Method
from verify import high_precision as HP
from verify import search as S


def _tau_space() -> S.Space:
    """v*, c1, c2 unit in R^3 (two angles each); tau = a^T G^{-1} a; margin = min(tau, 1 - tau)."""

    def sample(rng):
        return angle_pairs(rng, 3)

    def tau(p, M):
        v, c1, c2 = (unit3(p[2 * i], p[2 * i + 1], M) for i in range(3))
        a1, a2, g = dot(v, c1), dot(v, c2), dot(c1, c2)
        return (a1 * a1 + a2 * a2 - 2 * g * a1 * a2) / (1 - g * g), g

    return S.Space(tuple(f"{n}_{k}" for k in ("v", "c1", "c2") for n in ("alpha", "beta")), sample,
                   lambda p, M: bool(1 - tau(p, M)[1] ** 2 > 0.01),
                   lambda p, M: M.min(tau(p, M)[0], 1 - tau(p, M)[0]), strict=False)


def _sets(cfg: AuditConfig, claim: str):
    rng = rng_for(cfg.seed, claim)
    for i in range(cfg.samples):
        d, m = int(rng.choice([2, 3, 5, 12])), int(rng.integers(1, 4))
        m = min(m, d)
        C = rng.standard_normal((d, m)) * rng.uniform(0.2, 3, m)
        if i % 5 == 0 and m > 1:
            C[:, 1] = C[:, 0] + 1e-4 * rng.standard_normal(d)      # nearly dependent
        v = rng.standard_normal(d)
        yield v / np.linalg.norm(v), C, rng


def check_def_3_4(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    lo, hi, worst_edge, n = 1.0, 0.0, mpmath.mpf(0), 0
    with mpmath.workdps(DPS):
        for v, C, rng in _sets(cfg, "def-3.4"):
            vm = HP.vector(v)
            vm = vm / HP.norm(vm)
            tau = 1 - HP.norm(HP.residual(vm, C)) ** 2
            lo, hi = min(lo, float(tau)), max(hi, float(tau))
            inside = HP.vector(C @ rng.standard_normal(C.shape[1]))
            perp = HP.residual(HP.vector(rng.standard_normal(C.shape[0])), C) if C.shape[1] < C.shape[0] else None
            worst_edge = max(worst_edge, abs(1 - (1 - HP.norm(HP.residual(inside / HP.norm(inside), C)) ** 2)))
            if perp is not None:
                worst_edge = max(worst_edge, abs(1 - HP.norm(HP.residual(perp / HP.norm(perp), C)) ** 2))
            n += 1
    rep = S.search(_tau_space(), rng_for(cfg.seed, "def-3.4/search"), samples=40 * cfg.samples)
    ev.confirm(f"search for tau outside [0, 1] (v*, c1, c2 in R^3): {rep.describe()}", rep.found is None,
               Method.HIGH_PRECISION)
    ev.confirm(f"{DPS}-digit projections on {n} capability sets (some nearly dependent): tau in [{lo:.3g}, {hi:.3g}]"
               f" within [0, 1]; tau = 1 for v* in C and 0 for v* orthogonal to C to {mpmath.nstr(worst_edge, 3)}",
               0 <= lo and hi <= 1 and worst_edge < 1e-30, Method.HIGH_PRECISION)
    return ev


def check_def_3_4_loss(cfg: AuditConfig) -> Evidence:
    """'When tau = 1 ... any safety gain requires capability loss'."""
    ev = Evidence()
    v, c, B = (Fraction(1), Fraction(0)), (Fraction(1), Fraction(0)), Fraction(1)
    delta = tuple(B * x for x in v)
    dS, dC = sum(a * b for a, b in zip(v, delta)), sum(a * b for a, b in zip(c, delta))
    if dS > 0 and dC > 0:
        ev.counterexample = Counterexample(
            {"v_star": ["1", "0"], "c": ["1", "0"], "B": "1"}, "tau = 1: any safety gain requires capability loss",
            f"tau = 1 and delta = B v* gives Delta_S = {dS} with Delta_C = +{dC}: the capability rises",
            Certified.EXACT)
        ev.correction = ("When tau = 1, every safety gain changes some capability (C^T delta != 0, since delta in "
                         "C^perp has <v*, delta> = 0); the change is a loss only for capabilities with "
                         "<c_i, delta> < 0, e.g. for m = 1 only when v* = -c.")
    rng = rng_for(cfg.seed, "def-3.4.loss")
    ok = 0
    for _ in range(cfg.samples):
        d, m = int(rng.integers(2, 8)), 1
        C = rng.standard_normal((d, m))
        v = C[:, 0] / np.linalg.norm(C[:, 0])                           # tau = 1
        delta = rng.standard_normal(d)
        if v @ delta > 1e-6:
            ok += np.abs(C.T @ delta).max() > 0
        else:
            ok += 1
    ev.correction_verified = ev.confirm(
        f"random tau = 1 geometries: every delta with a safety gain has C^T delta != 0 ({ok}/{cfg.samples})",
        ok == cfg.samples, Method.HIGH_PRECISION)
    return ev


def _single_direction_space() -> S.Space:
    """v*, c unit in R^3: ||v* - P_c v*||-based ||P_c v*||^2 against <v*, c>^2."""

    def projection(p, M):
        v, c = unit3(p[0], p[1], M), unit3(p[2], p[3], M)
        k = dot(v, c) / dot(c, c)                      # least squares on one column
        r = tuple(vi - k * ci for vi, ci in zip(v, c))
        return dot(v, v) - dot(r, r)

    def printed(p, M):
        v, c = unit3(p[0], p[1], M), unit3(p[2], p[3], M)
        return dot(v, c) ** 2

    return identity_space(("alpha_v", "beta_v", "alpha_c", "beta_c"), lambda rng: angle_pairs(rng, 2),
                          lambda p, M: True, printed, projection)


def check_cor_4_5(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    no_counterexample(ev, cfg, "cor-4.5", "a unit c_i with ||P_(c_i) v*||^2 != <v*, c_i>^2", _single_direction_space())
    worst = mpmath.mpf(0)
    rng = rng_for(cfg.seed, "cor-4.5")
    with mpmath.workdps(DPS):
        for _ in range(cfg.samples):
            d = int(rng.integers(2, 30))
            v, c = rng.standard_normal(d), rng.standard_normal(d)
            v, c = v / np.linalg.norm(v), c / np.linalg.norm(c)
            vm, cm = HP.vector(v), HP.vector(c)
            proj = HP.norm(vm) ** 2 - HP.norm(HP.residual(vm, c[:, None])) ** 2     # ||P_c v||^2 by definition
            # eq. (6) for the stored (unit to rounding) c: <v, c>^2 / ||c||^2
            worst = max(worst, abs(proj - (vm.T * cm)[0] ** 2 / HP.norm(cm) ** 2))
    ev.confirm(f"{DPS}-digit projections on {cfg.samples} random unit pairs: ||P_c v*||^2 = <v*, c>^2 to "
               f"{mpmath.nstr(worst, 3)}", worst < 1e-40, Method.HIGH_PRECISION)
    ev.note("'directly measurable via probing' is an empirical statement, not checked")
    return ev


def _gram_space() -> S.Space:
    """v*, c1, c2 in R^3 (c_i of lengths l_i, not unit): Rem 4.6's Gram form against ||P_C v*||^2 computed as
    ||v*||^2 minus the squared residual of least squares."""

    def vecs(p, M):
        v = unit3(p[0], p[1], M)
        c1 = tuple(p[6] * x for x in unit3(p[2], p[3], M))
        c2 = tuple(p[7] * x for x in unit3(p[4], p[5], M))
        return v, c1, c2

    def gram(p, M):
        v, c1, c2 = vecs(p, M)
        g11, g12, g22, a1, a2 = dot(c1, c1), dot(c1, c2), dot(c2, c2), dot(c1, v), dot(c2, v)
        return (g22 * a1 * a1 - 2 * g12 * a1 * a2 + g11 * a2 * a2) / (g11 * g22 - g12 * g12)

    def projection(p, M):
        v, c1, c2 = vecs(p, M)
        g11, g12, g22, a1, a2 = dot(c1, c1), dot(c1, c2), dot(c2, c2), dot(c1, v), dot(c2, v)
        det = g11 * g22 - g12 * g12
        x1, x2 = (g22 * a1 - g12 * a2) / det, (g11 * a2 - g12 * a1) / det
        r = tuple(vi - x1 * p_ - x2 * q for vi, p_, q in zip(v, c1, c2))
        return dot(v, v) - dot(r, r)

    def adm(p, M):
        _, c1, c2 = vecs(p, M)
        return bool(p[6] > 0.1) and bool(p[7] > 0.1) and \
            bool(dot(c1, c1) * dot(c2, c2) - dot(c1, c2) ** 2 > 1e-2)

    def sample(rng):
        return (*angle_pairs(rng, 3), rng.uniform(0.2, 3), rng.uniform(0.2, 3))

    names = ("alpha_v", "beta_v", "alpha_1", "beta_1", "alpha_2", "beta_2", "length_1", "length_2")
    return identity_space(names, sample, adm, gram, projection)


def check_rem_4_6(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    no_counterexample(ev, cfg, "rem-4.6", "a geometry where the Gram form differs from ||P_C v*||^2 (non-unit, "
                      "non-orthogonal capabilities)", _gram_space())
    worst = mpmath.mpf(0)
    with mpmath.workdps(DPS):
        for v, C, _ in _sets(cfg, "rem-4.6"):
            vm = HP.vector(v)
            M = mpmath.matrix(C.tolist())
            a = M.T * vm
            gram = (a.T * mpmath.lu_solve(M.T * M, a))[0]
            proj = HP.norm(vm) ** 2 - HP.norm(HP.residual(vm, C)) ** 2
            worst = max(worst, abs(gram - proj))
    ev.confirm(f"{DPS} digits on {cfg.samples} capability sets (non-orthonormal, some nearly dependent): "
               f"(C^T v*)^T (C^T C)^(-1) (C^T v*) = ||P_C v*||^2 to {mpmath.nstr(worst, 3)}",
               worst < 1e-25, Method.HIGH_PRECISION)
    return ev


def check_rem_4_6_additivity(cfg: AuditConfig) -> Evidence:
    """'reduces to sum_i tau_i only when capabilities are orthonormal'; 'the joint tax can be less'."""
    ev = Evidence()
    # Solve tau = tau_1 + tau_2 for v* = (x, y, z) with c1 = e1, c2 = (3/5, 4/5, 0): SymPy finds y = 3x.
    x, y = sp.symbols("x y", real=True)
    c2 = (sp.Rational(3, 5), sp.Rational(4, 5))
    tau = x**2 + y**2                                   # projection onto span(e1, e2)
    total = x**2 + (c2[0] * x + c2[1] * y) ** 2
    branches = sp.solve(sp.Eq(tau, total), y)
    v = None
    for br in branches:
        if sp.simplify(br - 3 * x) == 0:
            v = (sp.Rational(2, 7), sp.Rational(6, 7), sp.Rational(3, 7))      # y = 3x, unit, rational
    if v is not None and sum(t**2 for t in v) == 1:
        t_joint = v[0] ** 2 + v[1] ** 2
        t_sum = v[0] ** 2 + (c2[0] * v[0] + c2[1] * v[1]) ** 2
        if t_joint == t_sum:
            ev.counterexample = Counterexample(
                {"c1": ["1", "0", "0"], "c2": ["3/5", "4/5", "0"], "v_star": ["2/7", "6/7", "3/7"]},
                "tau = sum_i tau_i only when the capabilities are orthonormal",
                f"<c1, c2> = 3/5 != 0, yet tau = {t_joint} = tau_1 + tau_2 = {t_sum} (SymPy: the equality holds "
                f"on the branches y = {branches} of v* = (x, y, z))", Certified.EXACT)
    # Both directions of non-additivity, exactly.
    joint_more = (sp.Integer(1), c2[1] ** 2)          # v* = e2: tau = 1, tau_1 + tau_2 = 0 + 16/25
    ev.note(f"reading 'the joint tax can be less than the sum' holds (c2 -> c1 gives tau close to tau_1 while the "
            f"sum doubles) but it can also be more: v* = e2 with the same c1, c2 has tau = {joint_more[0]} > "
            f"tau_1 + tau_2 = {joint_more[1]}")
    ev.correction = ("With unit columns, tau - sum_i tau_i = a^T ((C^T C)^(-1) - I) a, a = C^T v*: zero for "
                     "orthonormal C and also whenever a lies on the null cone of (C^T C)^(-1) - I; the joint tax can "
                     "be below or above the sum.")
    worst = mpmath.mpf(0)
    with mpmath.workdps(DPS):
        for v_, C, _ in _sets(cfg, "rem-4.6.additivity"):
            C = C / np.linalg.norm(C, axis=0)
            vm, M = HP.vector(v_), mpmath.matrix(C.tolist())
            a = M.T * vm
            G = M.T * M
            gap = (a.T * mpmath.lu_solve(G, a))[0] - sum(x * x for x in a)
            formula = (a.T * (G**-1 - mpmath.eye(G.rows)) * a)[0]
            worst = max(worst, abs(gap - formula))
    ev.correction_verified = ev.confirm(
        f"{DPS} digits on {cfg.samples} unit-column capability sets: tau - sum tau_i = a^T((C^T C)^-1 - I)a to "
        f"{mpmath.nstr(worst, 3)}", worst < 1e-20, Method.HIGH_PRECISION)
    return ev


def check_pred_1(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    ev.not_checkable = ("Prediction 1 is an empirical protocol (probe, align, compare); its mathematical part, "
                        "'Delta_C_i proportional to -tau_i', is audited as pred-1.model")
    return ev


def check_pred_1_model(cfg: AuditConfig) -> Evidence:
    """In the model, with the safety-maximising perturbation delta = B v*: Delta_C_i = B <v*, c_i>."""
    ev = Evidence()
    B = Fraction(1)
    cos1, cos2 = Fraction(-1, 2), Fraction(-1, 4)
    dC1, dC2 = B * cos1, B * cos2
    tau1, tau2 = cos1**2, cos2**2
    if dC1 / dC2 != tau1 / tau2:
        ev.counterexample = Counterexample(
            {"B": "1", "cos_alpha_1": "-1/2", "cos_alpha_2": "-1/4"},
            "Delta_C_i proportional to -tau_i",
            f"delta = B v* gives Delta_C = ({dC1}, {dC2}) (ratio {dC1 / dC2}) while tau = ({tau1}, {tau2}) "
            f"(ratio {tau1 / tau2}); and <v*, c> = +1/2 gives Delta_C = +1/2, an improvement, with tau = 1/4",
            Certified.EXACT)
        ev.correction = ("For delta = B v*, Delta_C_i = B <v*, c_i> = -B sqrt(tau_i) for capabilities with "
                         "<v*, c_i> < 0 (they degrade in proportion to sqrt(tau_i)) and +B sqrt(tau_i) for the "
                         "others (they improve); the ordering of degradation matches tau_i among the degraded ones.")
    rng = rng_for(cfg.seed, "pred-1.model")
    worst = 0.0
    for _ in range(cfg.samples):
        d = int(rng.integers(2, 50))
        v, c = rng.standard_normal(d), rng.standard_normal(d)
        v, c = v / np.linalg.norm(v), c / np.linalg.norm(c)
        dC = c @ (2.0 * v)                              # B = 2
        worst = max(worst, abs(abs(dC) - 2.0 * np.sqrt((v @ c) ** 2)))
    ev.correction_verified = ev.confirm(
        f"{cfg.samples} random geometries: |Delta_C| = B sqrt(tau_i) for delta = B v* to {worst:.1e}",
        worst < 1e-12, Method.HIGH_PRECISION)
    return ev


def check_pred_2(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    ev.not_checkable = ("Prediction 2 is about trained model families; its mathematical content (E tau = m'/d, "
                        "the plateau at tau_0) is Prop 5.5 / Cor 5.6 of the section-5 audit")
    return ev


def check_pred_3(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    ev.not_checkable = ("Prediction 3 (HMA outperforms uniform averaging when angles vary across layers) is "
                        "empirical; the model has no layers to check it in")
    return ev

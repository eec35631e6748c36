"""Checks of the packing model: Section 5.1 (Welch bound, random packings, ETFs), Thm 5.4, Rem 5.8."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from derive import packing as DP
from paper_checks.checks.common import angle_pairs, rng_for, unit3
from paper_checks.checks.common import dot as _dot
from paper_checks.finding import AuditConfig, Certified, Counterexample, Evidence, Method
from verify import packing as VK
from verify import random_subspace as VR
from verify import search as S
from verify import sweeps as SW


def _scaling_space(literal: bool) -> S.Space:
    """v* = e1, an intrinsic c1 (declared overlap gamma) and an incidental c2 in R^3; margin = eq. (9) - |R|.

    literal: mu as Def 5.3 defines it (pairs with gamma = 0 only); else mu over every pair's residual."""

    def sample(rng):
        return (rng.uniform(-np.pi, np.pi), rng.uniform(-1.5, 1.5), rng.uniform(-np.pi, np.pi),
                rng.uniform(-1.5, 1.5), rng.uniform(-0.9, 0.9))

    def parts(p, M):
        a1, b1, a2, b2, g = p
        v, c1, c2 = (M.num(1), M.num(0), M.num(0)), unit3(a1, b1, M), unit3(a2, b2, M)
        o1, o2, o12 = _dot(v, c1), _dot(v, c2), _dot(c1, c2)
        det = 1 - o12 * o12
        tau = (o1 * o1 + o2 * o2 - 2 * o12 * o1 * o2) / det          # a^T G^{-1} a for unit c1, c2
        mu = M.max(M.abs(o2), M.abs(o12))
        if not literal:
            mu = M.max(mu, M.abs(o1 - g))
        return det, tau, mu, g

    def admissible(p, M):
        det, _, mu, g = parts(p, M)
        return bool(det > 0.01) and bool(2 * mu < 1) and bool(abs(g) <= 1) and bool(g != 0)

    def margin(p, M):
        _, tau, mu, g = parts(p, M)
        R = tau - g * g
        bound = (g * g * 2 * mu + mu * mu + 2 * M.abs(g) * mu + mu * mu) / (1 - 2 * mu)
        return bound - M.abs(R)

    return S.Space(("alpha_1", "beta_1", "alpha_2", "beta_2", "gamma_1"), sample, admissible, margin, strict=False)


def _welch_space() -> S.Space:
    """Four unit vectors in R^3 (two angles each); margin = coherence - Welch bound (= 1/3 here)."""

    def sample(rng):
        return angle_pairs(rng, 4)

    def margin(p, M):
        f = [unit3(p[2 * i], p[2 * i + 1], M) for i in range(4)]
        mu = M.abs(_dot(f[0], f[1]))
        for i in range(4):
            for j in range(i + 1, 4):
                mu = M.max(mu, M.abs(_dot(f[i], f[j])))
        return mu - M.sqrt(M.num(Fraction(1, 9)))

    return S.Space(tuple(f"{n}_{i}" for i in range(4) for n in ("alpha", "beta")), sample, lambda p, M: True,
                   margin, strict=False)


def check_sec_5_1(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rng = rng_for(cfg.seed, "sec-5.1")
    rep = S.search(_welch_space(), rng_for(cfg.seed, "sec-5.1/search"), samples=40 * cfg.samples)
    ev.confirm(f"search for four unit vectors in R^3 below the Welch bound 1/3: {rep.describe()} (the regular "
               "tetrahedron, an ETF, attains 0)", rep.found is None, Method.HIGH_PRECISION)
    below = 0
    for _ in range(cfg.samples):
        d = int(rng.integers(2, 40))
        N = int(rng.integers(d + 1, 4 * d + 2))
        below += VK.coherence(VK.random_packing(N, d, rng)) < float(DP.welch_bound(N, d)) - 1e-12
    ev.confirm(f"{cfg.samples} random packings (d = 2..39, N = d+1..4d+1): none below the Welch bound ({below} "
               "violations)", below == 0, Method.HIGH_PRECISION)
    gaps = [abs(VK.coherence(VK.simplex_frame(d)) - 1 / d) for d in (2, 3, 5, 8, 13, 64)]
    ev.confirm(f"the regular simplex (an ETF, N = d + 1) meets the Welch bound 1/d for d in 2..64 to {max(gaps):.1e}",
               max(gaps) < 1e-12, Method.HIGH_PRECISION)
    series, welch, ref = SW.coherence_sweep(rng)
    ratio = np.array(series.mean) / np.array(ref)
    ev.confirm(f"random packings N = 4d, d = 16..1024: coherence / sqrt(log N / d) stays in "
               f"[{ratio.min():.2f}, {ratio.max():.2f}] (bounded: mu = O(sqrt(log N / d))), always above Welch",
               ratio.max() < 3 and all(m >= w for m, w in zip(series.mean, welch)), Method.HIGH_PRECISION)
    return ev


def check_thm_5_4(cfg: AuditConfig) -> Evidence:
    """Bound (9) on packings; a packing that meets Defs 5.1-5.3 as literally written and breaks it."""
    ev = Evidence()
    # Literal definitions: mu (Def 5.3) ranges over pairs with gamma_ij = 0 only, so it does not bound the
    # residual of an intrinsic pair.  v* = e1, c1 = (3/5, 4/5, 0) with gamma_1 = 1/2, c2 = e3 (gamma_2 = 0).
    v, c1, c2 = (1, 0, 0), (Fraction(3, 5), Fraction(4, 5), 0), (0, 0, 1)
    mu = max(abs(_dot(v, c2)), abs(_dot(c1, c2)))                     # the gamma = 0 pairs
    tau = _dot(v, c1) ** 2 + _dot(v, c2) ** 2                          # c1, c2 orthonormal
    tau0 = Fraction(1, 4)
    bound = DP.bound_9(tau0, 2, 1, Fraction(1, 2), 1, mu)
    if tau - tau0 > bound:
        ev.counterexample = Counterexample(
            {"d": "3", "v_star": ["1", "0", "0"], "c1": ["3/5", "4/5", "0"], "gamma_1": "1/2", "c2": ["0", "0", "1"],
             "gamma_2": "0"},
            f"|R(d)| <= eq. (9) = {bound} (mu = {mu} by Def 5.3)",
            f"R = tau - tau_0 = {tau} - {tau0} = {tau - tau0}: the residual eps_1 = {_dot(v, c1) - Fraction(1, 2)} of "
            "the intrinsic pair is not bounded by mu as Def 5.3 defines it, yet the proof uses |eps_i| <= mu for i in I",
            Certified.EXACT)
        ev.conditions = ("mu must bound the packing residual of every pair among v*, c_1..c_m (intrinsic pairs "
                         "included) and the capabilities must have no intrinsic overlap with each other (Gershgorin "
                         "on C^T C needs all off-diagonal entries <= mu)")
    # Inside the conditions: random packings with intrinsic pairs carrying residuals, mu measured over all pairs.
    rng = rng_for(cfg.seed, "thm-5.4")
    ok = total = 0
    for _ in range(cfg.samples):
        d = int(rng.choice([512, 1024, 2048]))
        gammas = rng.uniform(-0.6, 0.6, int(rng.integers(1, 3)))
        v_, CI = VR.intrinsic_basis(gammas, d)
        CI = CI + rng.standard_normal(CI.shape) / np.sqrt(d) * 0.3          # packing residuals
        CI /= np.linalg.norm(CI, axis=0)
        m_p = int(rng.integers(1, 4))
        CR = rng.standard_normal((d, m_p))
        CR /= np.linalg.norm(CR, axis=0)
        C = np.hstack([CI, CR])
        G = np.abs(C.T @ C - np.eye(C.shape[1]))
        eps = np.concatenate([np.abs(v_ @ CI - gammas), np.abs(v_ @ CR)])
        mu_all = float(max(G.max(), eps.max()))
        m = C.shape[1]
        if m * mu_all >= 1:
            continue
        tau, R = VK.packing_residual(v_, C, np.concatenate([gammas, np.zeros(m_p)]))
        b9 = float(DP.bound_9(float(np.sum(gammas**2)), m, m_p, float(np.abs(gammas).max()), gammas.size, mu_all))
        ok += abs(R) <= b9 + 1e-12
        total += 1
    ev.confirm(f"corrected hypotheses on {total} packings (d = 512..2048, intrinsic pairs with residuals, mu over all "
               f"pairs): |R| <= eq. (9) in {ok}/{total}", total > 0 and ok == total, Method.HIGH_PRECISION)
    lit = S.search(_scaling_space(True), rng_for(cfg.seed, "thm-5.4/literal"), samples=40 * cfg.samples)
    ev.note(f"search over (c1, c2, gamma_1) in R^3 with mu as Def 5.3 defines it: {lit.describe()}; "
            + (f"certified counterexample {lit.found.parameters} (eq. (9) - |R| <= {lit.found.margin_upper})"
               if lit.found else "none certified"))
    fixed = S.search(_scaling_space(False), rng_for(cfg.seed, "thm-5.4/corrected"), samples=40 * cfg.samples)
    ev.confirm(f"search under the corrected hypotheses (mu over every residual): {fixed.describe()}",
               fixed.found is None, Method.HIGH_PRECISION)
    ev.note("rate (10) keeps the term gamma_bar |I| sqrt(log N / d): with intrinsic overlap R is of order d^(-1/2), "
            "not m'/d (see abstract-rate)")
    return ev


def check_rem_5_8(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rng = rng_for(cfg.seed, "rem-5.8")
    dims = tuple(2**k for k in range(4, 13))
    low = SW.near_orthogonality_sweep(0.25, rng, dims, reps=64)
    high = SW.near_orthogonality_sweep(0.75, rng, dims)
    e_low, e_high = low.exponent(5), high.exponent(5)
    ev.confirm(f"random packings, d = 16..4096 (64 and 8 draws each): m mu with m = d^0.25 has fitted exponent {e_low:.2f} (< 0, tends to 0); "
               f"with m = d^0.75, {e_high:.2f} (> 0, grows), as beta - 1/2 predicts (up to the sqrt(log) factor)",
               e_low < 0 < e_high, Method.HIGH_PRECISION)
    return ev

